// bench_tsne.cpp: `make bench-tsne DATA=dir` — t-SNE of the 10,000 MNIST test images (784 dims, PCA to 50
// included), one line: seconds, 10-NN label accuracy (5-fold) and trustworthiness (k = 10, against the raw
// pixels). bench/sklearn_tsne.py prints scikit-learn's line for the same input, when it is installed.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "analysis/embedding_quality.h"
#include "analysis/tsne.h"
#include "autograd/backend/blas.h"
#include "datasets/batches.h"
#include "datasets/mnist.h"

int main(int argc, char** argv) {
  using namespace tg;
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_tsne <mnist folder> [seed ...]\n");
    return 2;
  }
  try {
    set_num_threads(2);
    const data::MnistSplits m = data::load_mnist(argv[1]);
    const data::Dataset& t = m.test;
    const Tensor<float> x = data::scaled_pixels(t);
    std::vector<int> labels(t.labels.begin(), t.labels.end());
    for (int a = 2; a < std::max(argc, 3); ++a) {
      analysis::TsneOptions o;
      o.seed = a < argc ? std::strtoull(argv[a], nullptr, 10) : 1;
      const analysis::TsneResult r = analysis::tsne(x, o);
      std::printf("tapegrad t-SNE  n=%lld  seed %llu  %.1f s  KL %.3f  10-NN accuracy %.3f  trustworthiness %.3f\n",
                  (long long)t.count, (unsigned long long)o.seed, r.seconds, r.kl, analysis::knn_accuracy(r.y, labels, 10),
                  analysis::trustworthiness(x, r.y, 10));
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
