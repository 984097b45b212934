// The reference solution of exercise 16.1: each column's mean over the rows, then the mean square distance from it.
#include "docs/learn/exercises/16_code_variance.h"

std::vector<double> my_code_variances(const tg::Tensor<float>& mu) {
  const int64_t n = mu.rows(), z = mu.cols();
  std::vector<double> variances;
  for (int64_t j = 0; j < z; ++j) {
    double mean = 0, v = 0;
    for (int64_t i = 0; i < n; ++i) mean += mu.at(i, j) / double(n);
    for (int64_t i = 0; i < n; ++i) v += (mu.at(i, j) - mean) * (mu.at(i, j) - mean) / double(n);
    variances.push_back(v);
  }
  return variances;
}
