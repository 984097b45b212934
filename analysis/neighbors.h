// neighbors.h: exact nearest neighbours by brute force, organised as blocked matrix multiplies:
// |a - b|^2 = |a|^2 + |b|^2 - 2 a.b, with the a.b for 1024 rows at a time from one sgemm. For the
// 10,000-point sets here that is ~15 GFLOP at 50 dims: under a second, exact, and simpler than a tree.
// Read next: tsne.h.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "autograd/tensor.h"

namespace tg::analysis {

struct Neighbors {
  int64_t n = 0, k = 0;
  std::vector<int32_t> index;  // n x k, nearest first, never the point itself
  std::vector<float> sq_dist;  // n x k squared Euclidean distances
};

/// x: n points (rows) of dims features.
Neighbors nearest_neighbors(const Tensor<float>& x, int64_t k);

/// Calls f(first_row, rows, d2) with d2 = squared distances (rows x n) of rows first..first+rows-1 to all points.
void for_each_distance_block(const Tensor<float>& x,
                             const std::function<void(int64_t, int64_t, const float*)>& f);

}  // namespace tg::analysis
