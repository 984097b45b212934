// bench_vae.cpp: `make bench`, part 2 — one training epoch of the study's VAE (50,000 images, batch 512,
// forward and backward, Adam) at Z = 3, 20 and 200, against the time its matrix multiplies alone need: the
// same 11 sgemm calls per step (4 forward, 7 backward; no gradient for the input images) on bare buffers,
// measured in this same run. Also the importance-weighted evaluation and the peak resident memory.
// Usage: bench_vae [mnist folder]   (random images of the same size when no folder is given)
#include <cblas.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "datasets/mnist.h"
#include "models/vae_training.h"

using namespace tg;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The GEMMs of one training step with batch B: x(B,D) W1(D,H), h(B,H) W2(H,2Z), z(B,Z) W3(Z,H), h(B,H) W4(H,D)
// forward; for backward, each layer's dW = input^T dy and (except the first) dinput = dy W^T.
double gemm_only_epoch(int64_t n, int64_t B, int64_t D, int64_t H, int64_t Z) {
  std::vector<float> a(static_cast<size_t>(B * std::max(D, H)), 0.5f), b(static_cast<size_t>(std::max(D, H) * std::max(D, H)), 0.25f),
      c(static_cast<size_t>(std::max(B, D) * std::max(D, H)), 0.0f);
  auto mm = [&](bool ta, bool tb, int64_t M, int64_t N, int64_t K) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, int(M), int(N), int(K), 1.0f,
                a.data(), int(ta ? M : K), b.data(), int(tb ? K : N), 0.0f, c.data(), int(N));
  };
  auto step = [&](int64_t b_) {
    mm(false, false, b_, H, D), mm(false, false, b_, 2 * Z, H), mm(false, false, b_, H, Z), mm(false, false, b_, D, H);
    mm(false, true, b_, H, D), mm(true, false, H, D, b_);          // decoder out: dh, dW4
    mm(false, true, b_, Z, H), mm(true, false, Z, H, b_);          // decoder hidden: dz, dW3
    mm(false, true, b_, H, 2 * Z), mm(true, false, H, 2 * Z, b_);  // encoder out: dh, dW2
    mm(true, false, D, H, b_);                                     // encoder hidden: dW1 only
  };
  step(B);  // warm-up
  const auto t = Clock::now();
  for (int64_t s = 0; s < n; s += B) step(std::min(B, n - s));
  return seconds_since(t);
}

int main(int argc, char** argv) {
  try {
    set_blas_threads(2);
    data::Dataset train;
    if (argc > 1) {
      train = data::load_mnist(argv[1]).train;
    } else {
      Rng rng(1);
      train.count = 50000, train.height = 28, train.width = 28;
      train.pixels.resize(50000 * 784);
      for (uint8_t& p : train.pixels) p = rng.uniform() < 0.8 ? 0 : static_cast<uint8_t>(rng.below(256));
      train.labels.assign(50000, 0);
    }
    std::printf("VAE epoch (%lld images, batch 512, H 400, Adam) on %s, OpenBLAS %d threads\n", (long long)train.count,
                argc > 1 ? argv[1] : "random images", blas_threads());
    std::printf("%6s %12s %12s %8s %16s\n", "Z", "epoch s", "GEMM-only s", "ratio", "target ratio");
    for (int64_t Z : {3, 20, 200}) {
      Rng rng(1);
      models::Vae<float> vae(train.dim(), 400, Z, rng);
      optim::Adam adam(vae.parameters(), 1e-3f);
      models::train_vae_epoch(vae, adam, train, 512, data::Binarize::None, rng, 1);  // warm-up
      double best = 1e9;
      for (int r = 0; r < 2; ++r) {
        const auto t = Clock::now();
        models::train_vae_epoch(vae, adam, train, 512, data::Binarize::None, rng, 2 + r);
        best = std::min(best, seconds_since(t));
      }
      double gemm = 1e9;
      for (int r = 0; r < 2; ++r) gemm = std::min(gemm, gemm_only_epoch(train.count, 512, train.dim(), 400, Z));
      std::printf("%6lld %12.3f %12.3f %8.3f %16s\n", (long long)Z, best, gemm, best / gemm, "<= 1.15");
      std::fflush(stdout);
      if (Z == 200) {  // evaluation: importance-weighted log p(x), K = 1000, on 1,000 images (x10 for the test set)
        data::Dataset part = data::subset(train, 0, 1000);
        const auto t = Clock::now();
        models::score_vae(vae, part, 1000, rng);
        std::printf("IW log p(x), K = 1000, Z = 200: %.1f s per 1,000 images -> %.0f s for the 10,000 test images (target < 120 s)\n",
                    seconds_since(t), 10 * seconds_since(t));
      }
    }
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    std::printf("peak resident memory: %.0f MB (target < 400 MB)\n", u.ru_maxrss / 1024.0);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
