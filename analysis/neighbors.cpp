// neighbors.cpp: blocked distances and partial sorts. Read next: tsne.cpp.
#include "analysis/neighbors.h"

#include <algorithm>
#include <numeric>

#include "autograd/backend/blas.h"
#include "autograd/tensor.h"

namespace tg::analysis {

void for_each_distance_block(const Tensor<float>& x, const std::function<void(int64_t, int64_t, const float*)>& f) {
  require(x.shape().rank == 2, "nearest neighbours: points of shape {}, expected (n, dims)", to_string(x.shape()));
  const int64_t n = x.rows(), dims = x.cols();
  std::vector<float> norms(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    double s = 0;
    for (int64_t j = 0; j < dims; ++j) s += double(x[i * dims + j]) * x[i * dims + j];
    norms[i] = static_cast<float>(s);
  }
  const int64_t block = 1024;
  for (int64_t first = 0; first < n; first += block) {
    const int64_t rows = std::min(block, n - first);
    Tensor<float> part(Shape{rows, dims});
    std::copy(x.data() + first * dims, x.data() + (first + rows) * dims, part.data());
    Tensor<float> dot(Shape{rows, n});
    gemm(false, true, part, x, 1.0f, 0.0f, dot);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = 0; j < n; ++j)
        dot[r * n + j] = std::max(0.0f, norms[first + r] + norms[j] - 2.0f * dot[r * n + j]);  // rounding can dip below 0
    f(first, rows, dot.data());
  }
}

Neighbors nearest_neighbors(const Tensor<float>& x, int64_t k) {
  const int64_t n = x.shape().rank == 2 ? x.rows() : 0;
  require(k >= 1 && k < n, "nearest_neighbors: k = {} for {} points, expected 1 <= k < n", k, n);
  Neighbors nb;
  nb.n = n;
  nb.k = k;
  nb.index.resize(static_cast<size_t>(n * k));
  nb.sq_dist.resize(static_cast<size_t>(n * k));
  std::vector<int32_t> order(static_cast<size_t>(n));
  for_each_distance_block(x, [&](int64_t first, int64_t rows, const float* d2) {
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t i = first + r;
      const float* row = d2 + r * n;
      std::iota(order.begin(), order.end(), 0);
      // k + 1 smallest, then drop the point itself (distance 0, but duplicates may tie with it)
      std::partial_sort(order.begin(), order.begin() + k + 1, order.end(), [&](int32_t a, int32_t b) {
        return row[a] < row[b] || (row[a] == row[b] && (a == i ? true : b == i ? false : a < b));
      });
      int64_t out = 0;
      for (int64_t m = 0; m <= k && out < k; ++m) {
        if (order[m] == i) continue;
        nb.index[i * k + out] = order[m];
        nb.sq_dist[i * k + out] = row[order[m]];
        ++out;
      }
    }
  });
  return nb;
}

}  // namespace tg::analysis
