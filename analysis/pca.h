// pca.h: principal component analysis — centre the data, form the D x D covariance with one gemm, and take
// its top-k eigenvectors (LAPACK). t-SNE reduces 784 pixels to 50 this way first, and the anomaly
// experiment uses it as a baseline. Read next: neighbors.h.
#pragma once
#include <cstdint>
#include <vector>

#include "autograd/tensor.h"

namespace tg::analysis {

struct Pca {
  int64_t dims = 0, components = 0;
  std::vector<double> mean;          // dims
  std::vector<double> axes;          // components x dims, rows = principal directions, largest variance first
  std::vector<double> variances;     // components
  /// x (n, dims) -> coordinates (n, components).
  Tensor<float> project(const Tensor<float>& x) const;
  /// coordinates (n, components) -> reconstruction (n, dims).
  Tensor<float> reconstruct(const Tensor<float>& coords) const;
};

/// x: n points (rows) of dims features.
Pca fit_pca(const Tensor<float>& x, int64_t components);

}  // namespace tg::analysis
