// sparse.h: a mostly-zero matrix kept as its nonzeros, row by row (compressed sparse rows), and its product
// with a dense matrix. An MNIST batch is such a matrix: 81% of the pixels are background, exactly 0. The first
// layer of every model here multiplies that batch by its weights, forward (x W) and backward (x^T dy); through
// the nonzeros only, each costs a fifth of the multiply-adds of a dense gemm. ops/matmul.h decides per product,
// by counting: a left operand with at most kSparseDensity nonzeros goes this way, anything denser to gemm.
// Read next: ../ops/matmul.h.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "autograd/tensor.h"

namespace tg {

template <typename T>
struct SparseRows {
  int64_t rows = 0, cols = 0;
  std::vector<int64_t> row_start;  // rows + 1 entries: row r's nonzeros are [row_start[r], row_start[r + 1])
  std::vector<int32_t> column;     // each nonzero's column, increasing within a row
  std::vector<T> value;            // and its value
  int64_t nonzeros() const { return row_start.empty() ? 0 : row_start.back(); }
};

/// The largest fraction of nonzeros for which the sparse path is taken. A nonzero costs about three dense
/// multiply-adds (its row of the right operand comes through L2, where gemm works on packed blocks in L1 and
/// registers), so with nonzeros at random places the two break even near 30% (bench_core prints the
/// crossover). MNIST does better than random: its ink sits in the middle of the image, so a batch keeps
/// re-reading the same rows of W, and at its 19% the sparse path takes 0.4 of gemm's time. 25% stays below
/// the crossover; a hidden layer's activations (40-55% nonzero after relu) stay with gemm.
inline constexpr double kSparseDensity = 0.25;

/// On by default. Off, every product goes to gemm: bench_vae times an epoch both ways.
void set_sparse_products(bool enabled);
bool sparse_products();

/// x's nonzeros, whatever their number (x a matrix).
template <typename T>
SparseRows<T> compress(const Tensor<T>& x);

/// x's nonzeros, or null when more than kSparseDensity of x is nonzero (a dense gemm is then faster).
/// Looks at the first rows before counting everything, so a dense x costs almost nothing to refuse.
template <typename T>
std::shared_ptr<const SparseRows<T>> compress_if_sparse(const Tensor<T>& x);

/// The same matrix, transposed: column c of s becomes row c (what x^T dy needs in the backward pass).
template <typename T>
SparseRows<T> transpose(const SparseRows<T>& s);

/// c = s d, or c += s d when `accumulate`. Shapes: s (M, K), d (K, N), c (M, N).
/// Every element of c is one sum over its row's nonzeros in column order, whatever the thread count.
/// One difference from gemm: a zero of s skips its row of d altogether, so a NaN or infinity there does not
/// reach c (gemm would compute 0 x NaN = NaN). NaN in s itself propagates as usual.
template <typename T>
void sparse_gemm(const SparseRows<T>& s, const Tensor<T>& d, bool accumulate, Tensor<T>& c);

}  // namespace tg
