// embedding_quality.cpp: brute-force neighbour searches in 2-D; blocked distances in the original space.
#include "analysis/embedding_quality.h"

#include <algorithm>
#include <numeric>

#include "analysis/neighbors.h"
#include "autograd/rng.h"
#include "autograd/tensor.h"
#include "datasets/batches.h"

namespace tg::analysis {

namespace {
double sq2(const std::vector<double>& y, int64_t a, int64_t b) {
  const double dx = y[2 * a] - y[2 * b], dy = y[2 * a + 1] - y[2 * b + 1];
  return dx * dx + dy * dy;
}
}  // namespace

double knn_accuracy(const std::vector<double>& y, const std::vector<int>& labels, int k, uint64_t seed) {
  const int64_t n = static_cast<int64_t>(labels.size());
  require(static_cast<int64_t>(y.size()) == 2 * n && n > 5 * k, "knn_accuracy: {} points, {} labels, k = {}", y.size() / 2, n, k);
  Rng rng(seed);
  const std::vector<int64_t> perm = data::shuffled_indices(n, rng);
  std::vector<int> fold(static_cast<size_t>(n));
  for (int64_t p = 0; p < n; ++p) fold[perm[p]] = static_cast<int>(p * 5 / n);
  const int classes = *std::max_element(labels.begin(), labels.end()) + 1;
  int64_t correct = 0;
  std::vector<std::pair<double, int64_t>> cand;
  for (int64_t i = 0; i < n; ++i) {
    cand.clear();
    for (int64_t j = 0; j < n; ++j)
      if (fold[j] != fold[i]) cand.emplace_back(sq2(y, i, j), j);
    std::partial_sort(cand.begin(), cand.begin() + k, cand.end());
    std::vector<int> votes(static_cast<size_t>(classes), 0);
    for (int m = 0; m < k; ++m) ++votes[labels[cand[m].second]];
    correct += std::max_element(votes.begin(), votes.end()) - votes.begin() == labels[i];
  }
  return double(correct) / double(n);
}

double trustworthiness(const Tensor<float>& x, const std::vector<double>& y, int k) {
  const int64_t n = static_cast<int64_t>(y.size() / 2);
  require(x.shape().rank == 2 && x.rows() == n, "trustworthiness: points of shape {} for an embedding of {} points",
          to_string(x.shape()), n);
  require(n > 2 * k + 1, "trustworthiness: {} points is too few for k = {}", n, k);
  // The k nearest in the embedding, per point.
  std::vector<int64_t> low(static_cast<size_t>(n * k));
  std::vector<std::pair<double, int64_t>> cand(static_cast<size_t>(n - 1));
  for (int64_t i = 0; i < n; ++i) {
    int64_t c = 0;
    for (int64_t j = 0; j < n; ++j)
      if (j != i) cand[c++] = {sq2(y, i, j), j};
    std::partial_sort(cand.begin(), cand.begin() + k, cand.end());
    for (int m = 0; m < k; ++m) low[i * k + m] = cand[m].second;
  }
  // Their ranks among the original-space neighbours: rank = 1 + how many points are strictly closer.
  double penalty = 0;
  for_each_distance_block(x, [&](int64_t first, int64_t rows, const float* d2) {
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t i = first + r;
      const float* row = d2 + r * n;
      for (int m = 0; m < k; ++m) {
        const float dj = row[low[i * k + m]];
        int64_t closer = 0;
        for (int64_t j = 0; j < n; ++j) closer += (j != i && row[j] < dj);
        const int64_t rank = closer + 1;
        if (rank > k) penalty += double(rank - k);
      }
    }
  });
  return 1.0 - 2.0 / (double(n) * k * (2.0 * n - 3.0 * k - 1.0)) * penalty;
}

}  // namespace tg::analysis
