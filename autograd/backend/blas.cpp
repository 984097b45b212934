// blas.cpp: gemm for float and double through cblas, with shape checks that name both operands.
// Read next: ../ops/matmul.h, which calls it with transpose flags for the backward pass.
#include "autograd/backend/blas.h"
#include "autograd/backend/parallel.h"

#include <cblas.h>

#include <algorithm>
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

// One single-threaded BLAS call, row-major: c (M, N) = alpha op(a) op(b) + beta c, with leading dimensions.
// The reference build (make REFERENCE=1) computes it with the plain loops below instead, the definition itself.
#ifdef TG_REFERENCE
template <typename T>
void reference_gemm(bool ta, bool tb, int M, int N, int K, T alpha, const T* a, int lda, const T* b, int ldb, T beta,
                    T* c, int ldc) {
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      T dot = 0;  // sum over k of op(a)[i, k] op(b)[k, j]
      for (int k = 0; k < K; ++k) dot += (ta ? a[k * lda + i] : a[i * lda + k]) * (tb ? b[j * ldb + k] : b[k * ldb + j]);
      c[i * ldc + j] = alpha * dot + (beta == T(0) ? T(0) : beta * c[i * ldc + j]);  // beta 0: c may hold garbage
    }
}
void blas_gemm(bool ta, bool tb, int M, int N, int K, float alpha, const float* a, int lda, const float* b, int ldb,
               float beta, float* c, int ldc) {
  reference_gemm(ta, tb, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
}
void blas_gemm(bool ta, bool tb, int M, int N, int K, double alpha, const double* a, int lda, const double* b, int ldb,
               double beta, double* c, int ldc) {
  reference_gemm(ta, tb, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
}
#else
void blas_gemm(bool ta, bool tb, int M, int N, int K, float alpha, const float* a, int lda, const float* b, int ldb,
               float beta, float* c, int ldc) {
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N, K, alpha, a, lda, b,
              ldb, beta, c, ldc);
}
void blas_gemm(bool ta, bool tb, int M, int N, int K, double alpha, const double* a, int lda, const double* b, int ldb,
               double beta, double* c, int ldc) {
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N, K, alpha, a, lda, b,
              ldb, beta, c, ldc);
}
#endif

// Pieces start at multiples of this many rows, or of columns (64-byte aligned offsets into c and b). Rows are cut
// finely so that the pieces come out even: with blocks of 16 rows, a 400-row product was split 208 / 192 and ran
// at 195 GFLOP/s; blocks of 4 split it 200 / 200, at 201 (OpenBLAS's kernels handle the odd rows at the edges).
constexpr int kRowAlign = 4, kColumnAlign = 16;

}  // namespace

// The pool's threads each compute their own rows of c (or columns, when c has only a few rows) with one
// single-threaded BLAS call. Every element of c is then the same dot product, in the same order, for a given
// thread count, so results repeat exactly; and there is one pool for everything (parallel.h), not OpenBLAS's
// threads spinning beside ours between gemm calls.
template <typename T>
void gemm(bool ta, bool tb, const Tensor<T>& a, const Tensor<T>& b, T alpha, T beta, Tensor<T>& c) {
  const GemmDims d = check_gemm(ta, tb, a, b, c);
  if (d.M == 0 || d.N == 0) return;
  const int lda = static_cast<int>(a.cols()), ldb = static_cast<int>(b.cols()), ldc = static_cast<int>(c.cols());
  const int pieces = parallel_threads();
  if (pieces <= 1 || double(d.M) * d.N * d.K < kMultiplyAddGrain) {
    blas_gemm(ta, tb, d.M, d.N, d.K, alpha, a.data(), lda, b.data(), ldb, beta, c.data(), ldc);
    return;
  }
  // By rows whenever each piece gets 64 or more: measured on the VAE's shapes, row blocks run every one at the
  // full speed of both cores (~200 GFLOP/s) while column blocks lose up to 25%.
  const bool by_rows = d.M >= 64 * pieces;
  const int align = by_rows ? kRowAlign : kColumnAlign;
  const int64_t extent = by_rows ? d.M : d.N, tiles = (extent + align - 1) / align;
  parallel_chunks(tiles, pieces, [&](int, int64_t first_tile, int64_t end_tile) {
    const int begin = static_cast<int>(first_tile * align);
    const int count = static_cast<int>(std::min<int64_t>(end_tile * align, extent)) - begin;
    if (by_rows)  // rows begin.. of op(a) and of c
      blas_gemm(ta, tb, count, d.N, d.K, alpha, a.data() + (ta ? begin : int64_t(begin) * lda), lda, b.data(), ldb, beta,
                c.data() + int64_t(begin) * ldc, ldc);
    else  // columns begin.. of op(b) and of c
      blas_gemm(ta, tb, d.M, count, d.K, alpha, a.data(), lda, b.data() + (tb ? int64_t(begin) * ldb : begin), ldb, beta,
                c.data() + begin, ldc);
  });
}
template void gemm<float>(bool, bool, const Tensor<float>&, const Tensor<float>&, float, float, Tensor<float>&);
template void gemm<double>(bool, bool, const Tensor<double>&, const Tensor<double>&, double, double, Tensor<double>&);

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

void set_num_threads(int threads) {
  openblas_set_num_threads(1);      // OpenBLAS works inside the pool's chunks (gemm above)
  set_parallel_threads(threads);
}
int num_threads() { return parallel_threads(); }
std::string blas_config() { return openblas_get_config(); }

}  // namespace tg
