// The reference solution of exercise 4.1: three loops for each product, the sum over the index y's two factors
// share (m for dx, n for dw).
#include "docs/learn/exercises/04_matmul_backward.h"

void matmul_backward(const std::vector<double>& x, const std::vector<double>& w, const std::vector<double>& dy, int64_t n,
                     int64_t k, int64_t m, std::vector<double>& dx, std::vector<double>& dw) {
  for (int64_t i = 0; i < n; ++i)  // dx[i][p] = sum_j dy[i][j] w[p][j]
    for (int64_t p = 0; p < k; ++p) {
      double s = 0;
      for (int64_t j = 0; j < m; ++j) s += dy[i * m + j] * w[p * m + j];
      dx[i * k + p] = s;
    }
  for (int64_t p = 0; p < k; ++p)  // dw[p][j] = sum_i x[i][p] dy[i][j]
    for (int64_t j = 0; j < m; ++j) {
      double s = 0;
      for (int64_t i = 0; i < n; ++i) s += x[i * k + p] * dy[i * m + j];
      dw[p * m + j] = s;
    }
}
