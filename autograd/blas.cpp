// blas.cpp: gemm for float and double through cblas, with shape checks that name both operands.
// Read next: ops/matmul.h, which calls it with transpose flags for the backward pass.
#include "autograd/blas.h"
#include "autograd/parallel.h"

#include <cblas.h>

#include <stdexcept>

// LAPACK's Fortran interface (OpenBLAS exports it; Debian ships no LAPACKE header for it). Column-major:
// for a symmetric matrix, row-major and column-major are the same matrix.
extern "C" void dsyevr_(const char* jobz, const char* range, const char* uplo, const int* n, double* a, const int* lda,
                        const double* vl, const double* vu, const int* il, const int* iu, const double* abstol, int* m,
                        double* w, double* z, const int* ldz, int* isuppz, double* work, const int* lwork, int* iwork,
                        const int* liwork, int* info);

namespace tg {

namespace {

struct GemmDims {
  int M, N, K;
};

template <typename T>
GemmDims check_gemm(bool ta, bool tb, const Tensor<T>& a, const Tensor<T>& b, const Tensor<T>& c) {
  require(a.shape().rank == 2 && b.shape().rank == 2 && c.shape().rank == 2,
          "gemm: needs matrices — got {} and {} into {}", to_string(a.shape()), to_string(b.shape()),
          to_string(c.shape()));
  const int64_t M = ta ? a.cols() : a.rows(), Ka = ta ? a.rows() : a.cols();
  const int64_t Kb = tb ? b.cols() : b.rows(), N = tb ? b.rows() : b.cols();
  require(Ka == Kb, "gemm: inner dimensions differ: {}{} @ {}{}", to_string(a.shape()), ta ? "^T" : "",
          to_string(b.shape()), tb ? "^T" : "");
  require(c.rows() == M && c.cols() == N, "gemm: output is {}, expected ({}, {})", to_string(c.shape()), M, N);
  return {static_cast<int>(M), static_cast<int>(N), static_cast<int>(Ka)};
}

}  // namespace

template <>
void gemm<float>(bool ta, bool tb, const Tensor<float>& a, const Tensor<float>& b, float alpha, float beta,
                 Tensor<float>& c) {
  GemmDims d = check_gemm(ta, tb, a, b, c);
  if (d.M == 0 || d.N == 0) return;
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, d.M, d.N, d.K,
              alpha, a.data(), static_cast<int>(a.cols()), b.data(), static_cast<int>(b.cols()), beta, c.data(),
              static_cast<int>(c.cols()));
}

template <>
void gemm<double>(bool ta, bool tb, const Tensor<double>& a, const Tensor<double>& b, double alpha, double beta,
                  Tensor<double>& c) {
  GemmDims d = check_gemm(ta, tb, a, b, c);
  if (d.M == 0 || d.N == 0) return;
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, d.M, d.N, d.K,
              alpha, a.data(), static_cast<int>(a.cols()), b.data(), static_cast<int>(b.cols()), beta, c.data(),
              static_cast<int>(c.cols()));
}

std::vector<double> symmetric_eigen(std::vector<double>& a, int n) {
  require(static_cast<int>(a.size()) == n * n, "symmetric_eigen: {} values for an {}x{} matrix", a.size(), n, n);
  std::vector<double> w(static_cast<size_t>(n)), z(static_cast<size_t>(n) * n);
  std::vector<int> isuppz(2 * static_cast<size_t>(n));
  int m = 0, info = 0, lwork = -1, liwork = -1, iwork_query = 0;
  double work_query = 0, zero = 0;
  const int one = 1;
  // First call asks for the workspace sizes, second does the work.
  dsyevr_("V", "A", "U", &n, a.data(), &n, &zero, &zero, &one, &one, &zero, &m, w.data(), z.data(), &n, isuppz.data(),
          &work_query, &lwork, &iwork_query, &liwork, &info);
  lwork = static_cast<int>(work_query);
  liwork = iwork_query;
  std::vector<double> work(static_cast<size_t>(lwork));
  std::vector<int> iwork(static_cast<size_t>(liwork));
  dsyevr_("V", "A", "U", &n, a.data(), &n, &zero, &zero, &one, &one, &zero, &m, w.data(), z.data(), &n, isuppz.data(),
          work.data(), &lwork, iwork.data(), &liwork, &info);
  if (info != 0) throw std::runtime_error("symmetric_eigen: LAPACK dsyevr failed with info " + std::to_string(info));
  a = z;  // column j of z (column-major) = row j of a (row-major): eigenvector j
  return w;
}

void set_blas_threads(int threads) {
  openblas_set_num_threads(threads);
  set_parallel_threads(threads);  // the elementwise loops use as many cores as the gemm calls
}
int blas_threads() { return openblas_get_num_threads(); }
std::string blas_config() { return openblas_get_config(); }

}  // namespace tg
