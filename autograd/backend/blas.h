// blas.h: the one door to OpenBLAS. gemm<float> calls cblas_sgemm, gemm<double> calls cblas_dgemm (the double
// one serves the gradient checks), each large product split over parallel.h's pool; plus LAPACK's symmetric
// eigensolver for PCA. No other library file includes cblas.h or declares a LAPACK routine (the benchmarks'
// bare reference, bench/bare_blas.h, calls OpenBLAS directly on purpose). Read next: ../ops/matmul.h.
#pragma once
#include <string>
#include <vector>

#include "autograd/tensor.h"

namespace tg {

/// c (M, N) = alpha * op(a) @ op(b) + beta * c, where op transposes when asked. c must be allocated.
/// With beta = 0, c's old contents are ignored (BLAS does not read them).
template <typename T>
void gemm(bool transpose_a, bool transpose_b, const Tensor<T>& a, const Tensor<T>& b, T alpha, T beta,
          Tensor<T>& c);

/// Eigen-decomposition of a symmetric n x n matrix (row-major, double) through LAPACK's dsyevr (shipped
/// inside OpenBLAS): returns eigenvalues ascending, and overwrites `a` with the eigenvectors as rows.
std::vector<double> symmetric_eigen(std::vector<double>& a, int n);

/// The cores tapegrad computes on: parallel.h's pool runs the elementwise loops and the pieces of every large
/// gemm, and OpenBLAS is set to one thread so that it works inside those pieces. Until this is called the pool
/// has one thread (everything inline) and OpenBLAS keeps its own threads.
void set_num_threads(int threads);
int num_threads();
std::string blas_config();           // openblas_get_config(): proves which BLAS is linked

}  // namespace tg
