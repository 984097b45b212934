// pca.cpp: covariance with one sgemm (X^T X), eigenvectors by symmetric_eigen (LAPACK dsyevr).
// Read next: neighbors.cpp.
#include "analysis/pca.h"

#include "autograd/backend/blas.h"
#include "autograd/tensor.h"

namespace tg::analysis {

Pca fit_pca(const std::vector<float>& x, int64_t n, int64_t dims, int64_t components) {
  require(n >= 2 && static_cast<int64_t>(x.size()) == n * dims && components >= 1 && components <= dims,
          "fit_pca: {} values for {} points of {} dims, {} components requested", x.size(), n, dims, components);
  Pca p;
  p.dims = dims;
  p.components = components;
  p.mean.assign(static_cast<size_t>(dims), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < dims; ++j) p.mean[j] += x[i * dims + j];
  for (double& m : p.mean) m /= double(n);
  Tensor<float> centred(Shape{n, dims});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < dims; ++j) centred[i * dims + j] = static_cast<float>(x[i * dims + j] - p.mean[j]);
  Tensor<float> cov(Shape{dims, dims});
  gemm(true, false, centred, centred, 1.0f / float(n - 1), 0.0f, cov);  // X^T X / (n - 1)
  std::vector<double> a(cov.data(), cov.data() + cov.numel());
  const std::vector<double> w = symmetric_eigen(a, static_cast<int>(dims));  // ascending
  for (int64_t c = 0; c < components; ++c) {
    const int64_t k = dims - 1 - c;  // largest first
    p.variances.push_back(w[k]);
    p.axes.insert(p.axes.end(), a.begin() + k * dims, a.begin() + (k + 1) * dims);
  }
  return p;
}

std::vector<float> Pca::project(const std::vector<float>& x, int64_t n) const {
  std::vector<float> out(static_cast<size_t>(n * components));
  std::vector<double> row(static_cast<size_t>(dims));
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < dims; ++j) row[j] = x[i * dims + j] - mean[j];
    for (int64_t c = 0; c < components; ++c) {
      double s = 0;
      for (int64_t j = 0; j < dims; ++j) s += row[j] * axes[c * dims + j];
      out[i * components + c] = static_cast<float>(s);
    }
  }
  return out;
}

std::vector<float> Pca::reconstruct(const std::vector<float>& coords, int64_t n) const {
  std::vector<float> out(static_cast<size_t>(n * dims));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < dims; ++j) {
      double s = mean[j];
      for (int64_t c = 0; c < components; ++c) s += coords[i * components + c] * axes[c * dims + j];
      out[i * dims + j] = static_cast<float>(s);
    }
  return out;
}

}  // namespace tg::analysis
