// tsne.h: t-SNE (van der Maaten & Hinton 2008) with the Barnes-Hut approximation (van der Maaten 2014), and
// the exact O(N^2) version as its reference. Input N x D floats, output N x 2.
//   1. PCA to 50 dimensions when D > 50.
//   2. Input similarities: for each point, its 3 x perplexity nearest neighbours (exact, neighbors.h) get
//      p_j|i = exp(-beta_i d_ij^2) / sum, with beta_i found by bisection so that the entropy of p_.|i is
//      log(perplexity); then P = (p_j|i + p_i|j) / 2N, sparse and symmetric.
//   3. Gradient descent on KL(P || Q), q_ij ~ (1 + |y_i - y_j|^2)^-1: attraction from the sparse P, repulsion
//      from a quadtree whose far cells act as single points (a cell is "far" when width / distance < theta).
//      Early exaggeration 12 for 250 iterations, momentum 0.5 then 0.8, per-coordinate gains.
// Learning rate and gradient follow bhtsne/openTSNE's convention (no factor 4; lr = max(200, N / 12)).
// Read next: embedding_quality.h.
#pragma once
#include <cstdint>
#include <vector>

#include "autograd/tensor.h"

namespace tg::analysis {

struct TsneOptions {
  double perplexity = 30;
  int iterations = 1000;
  int exaggeration_iterations = 250;
  double early_exaggeration = 12;
  double learning_rate = 0;  // 0 = max(200, N / 12)
  double theta = 0.5;        // Barnes-Hut accuracy; ignored when exact
  int pca_dims = 50;         // reduce to this many dimensions first when D is larger; 0 = never
  int threads = 2;
  uint64_t seed = 1;         // breaks ties in initialisation when PCA cannot be used
  bool exact = false;        // O(N^2) reference implementation
  bool verbose = false;      // progress every 50 iterations on stderr
};

struct TsneResult {
  std::vector<double> y;     // N x 2
  double kl = 0;             // KL(P || Q) at the end (Barnes-Hut estimate of the normaliser unless exact)
  double seconds = 0;
};

/// x: n points (rows) of dims features.
TsneResult tsne(const Tensor<float>& x, const TsneOptions& options = {});

/// For one point: given squared distances to its candidate neighbours, finds beta with
/// entropy(p) = log(perplexity) and writes p (summing to 1). Returns the entropy reached.
double calibrate_row(const double* sq_dist, int64_t count, double perplexity, double* p, double* beta_out = nullptr);

}  // namespace tg::analysis
