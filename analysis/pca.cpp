// pca.cpp: covariance with one sgemm (X^T X), eigenvectors by symmetric_eigen (LAPACK dsyevr).
// Read next: neighbors.cpp.
#include "analysis/pca.h"

#include "autograd/backend/blas.h"
#include "autograd/tensor.h"

namespace tg::analysis {

Pca fit_pca(const Tensor<float>& x, int64_t components) {
  require(x.shape().rank == 2, "fit_pca: points of shape {}, expected (n, dims)", to_string(x.shape()));
  const int64_t n = x.rows(), dims = x.cols();
  require(n >= 2 && components >= 1 && components <= dims, "fit_pca: {} points of {} dims, {} components requested", n, dims,
          components);
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

Tensor<float> Pca::project(const Tensor<float>& x) const {
  require(x.shape().rank == 2 && x.cols() == dims, "Pca::project: points of shape {}, expected (n, {})", to_string(x.shape()), dims);
  const int64_t n = x.rows();
  Tensor<float> out(Shape{n, components});
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

Tensor<float> Pca::reconstruct(const Tensor<float>& coords) const {
  require(coords.shape().rank == 2 && coords.cols() == components, "Pca::reconstruct: coordinates of shape {}, expected (n, {})",
          to_string(coords.shape()), components);
  const int64_t n = coords.rows();
  Tensor<float> out(Shape{n, dims});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < dims; ++j) {
      double s = mean[j];
      for (int64_t c = 0; c < components; ++c) s += coords[i * components + c] * axes[c * dims + j];
      out[i * dims + j] = static_cast<float>(s);
    }
  return out;
}

}  // namespace tg::analysis
