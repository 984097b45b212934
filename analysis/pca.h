// pca.h: principal component analysis — centre the data, form the D x D covariance with one gemm, and take
// its top-k eigenvectors (LAPACK). t-SNE reduces 784 pixels to 50 this way first, and the anomaly
// experiment uses it as a baseline. Read next: neighbors.h.
#pragma once
#include <cstdint>
#include <vector>

namespace tg::analysis {

struct Pca {
  int64_t dims = 0, components = 0;
  std::vector<double> mean;          // dims
  std::vector<double> axes;          // components x dims, rows = principal directions, largest variance first
  std::vector<double> variances;     // components
  /// x (n x dims) -> (n x components) coordinates.
  std::vector<float> project(const std::vector<float>& x, int64_t n) const;
  /// coordinates (n x components) -> reconstruction (n x dims).
  std::vector<float> reconstruct(const std::vector<float>& coords, int64_t n) const;
};

Pca fit_pca(const std::vector<float>& x, int64_t n, int64_t dims, int64_t components);

}  // namespace tg::analysis
