// matmul.h: y = a @ b through sgemm/dgemm, linear: y = x W + b in one pass, and linear_relu. Backward uses the
// transpose flags of gemm rather than materialising a^T or b^T, so a backward pass costs exactly two more gemm
// calls and no copies. A mostly-zero left operand (a batch of MNIST pixels) is multiplied through its nonzeros
// instead (sparse.h), forward and backward. Shapes: a (M, K), b (K, N) -> y (M, N). Read next: losses.h.
#pragma once
#include "autograd/backend/blas.h"
#include "autograd/backend/fast_math.h"
#include "autograd/backend/sparse.h"
#include "autograd/tape.h"

namespace tg {

namespace detail {
// y = a b, or y += a b when `accumulate`. When a is mostly zeros, through its nonzeros, which are returned for
// the backward pass; otherwise by gemm, returning null. Either way the same numbers up to float rounding.
template <typename T>
std::shared_ptr<const SparseRows<T>> multiply(const Tensor<T>& a, const Tensor<T>& b, bool accumulate, Tensor<T>& y) {
  std::shared_ptr<const SparseRows<T>> a_sparse = compress_if_sparse(a);
  if (a_sparse)
    sparse_gemm(*a_sparse, b, accumulate, y);
  else
    gemm(false, false, a, b, T(1), accumulate ? T(1) : T(0), y);
  return a_sparse;
}
// The backward pass of y = a b for inputs 0 (a) and 1 (b) of a node; linear and linear_relu use it too.
// a_sparse is what multiply() returned: a^T dy then goes through a's nonzeros, transposed.
template <typename T>
void matmul_backward(const Tensor<T>& a, const SparseRows<T>* a_sparse, const Tensor<T>& b, const Tensor<T>& dy,
                     InputGrads<T>& dx) {
  if (dx.needs(0)) {
    Tensor<T> da(a.shape());
    gemm(false, true, dy, b, T(1), T(0), da);
    dx.add(0, std::move(da));
  }
  if (dx.needs(1)) {
    Tensor<T> db(b.shape());
    if (a_sparse)
      sparse_gemm(transpose(*a_sparse), dy, false, db);
    else
      gemm(true, false, a, dy, T(1), T(0), db);
    dx.add(1, std::move(db));
  }
}
// linear's and linear_relu's shape check, naming the op.
inline void check_linear(const Shape& xs, const Shape& ws, const Shape& bs, const char* op) {
  require(xs.rank == 2 && ws.rank == 2 && xs[1] == ws[0] && bs.numel() == ws[1] && bs.rows() == 1,
          "{}: x {} @ W {} + b {}, expected (B, I) @ (I, O) + (1, O)", op, to_string(xs), to_string(ws), to_string(bs));
}
// The backward pass of y = x W + b given dy: shared by linear and linear_relu (which passes dy masked by relu).
template <typename T>
void linear_backward(const Tensor<T>& x, const SparseRows<T>* x_sparse, const Tensor<T>& w, const Shape& bs,
                     const Tensor<T>& dy, InputGrads<T>& dx) {
  matmul_backward(x, x_sparse, w, dy, dx);
  if (dx.needs(2)) dx.add(2, sum_to(dy, bs));
}
}  // namespace detail

// ---- matmul: y = a b;  da = dy b^T (M,N)@(N,K);  db = a^T dy (K,M)@(M,N)
inline const OpId kMatmul = register_op("matmul");
template <typename T>
Var<T> matmul(const Var<T>& a, const Var<T>& b) {
  require(a.shape().rank == 2 && b.shape().rank == 2 && a.shape()[1] == b.shape()[0],
          "matmul: inner dimensions differ: {} @ {}, expected (M, K) @ (K, N)", to_string(a.shape()),
          to_string(b.shape()));
  Tensor<T> y(Shape{a.shape()[0], b.shape()[1]});
  auto a_sparse = detail::multiply(a.value(), b.value(), false, y);
  return record<T>(kMatmul, {a, b}, std::move(y),
                   [a = a.value(), a_sparse, b = b.value()](const Tensor<T>& dy, InputGrads<T>& dx) {
                     detail::matmul_backward(a, a_sparse.get(), b, dy, dx);
                   });
}

// ---- linear: y = x W + b, x (B, I), W (I, O), b (1, O) or (O) -> y (B, O)
//   dx = dy W^T,   dW = x^T dy,   db = sum over rows of dy
// The same as add(matmul(x, W), b), fused for speed: the bias is written into y first and gemm adds x W on
// top (beta = 1), which saves a full pass over y and one temporary per layer.
inline const OpId kLinear = register_op("linear");
template <typename T>
Var<T> linear(const Var<T>& x, const Var<T>& w, const Var<T>& b) {
  detail::check_linear(x.shape(), w.shape(), b.shape(), "linear");
  const int64_t B = x.shape()[0], O = w.shape()[1];
  Tensor<T> y(Shape{B, O});
  parallel_rows(B, O, [&](int64_t first, int64_t last) {
    for (int64_t r = first; r < last; ++r) std::copy(b.value().data(), b.value().data() + O, y.data() + r * O);
  });
  auto x_sparse = detail::multiply(x.value(), w.value(), true, y);
  return record<T>(kLinear, {x, w, b}, std::move(y),
                   [x = x.value(), x_sparse, w = w.value(), bs = b.shape()](const Tensor<T>& dy, InputGrads<T>& dx) {
                     detail::linear_backward(x, x_sparse.get(), w, bs, dy, dx);
                   });
}

// ---- linear_relu: y = relu(x W + b), the hidden layer of every model here
//   with m = [y > 0]:   dx = (dy m) W^T,   dW = x^T (dy m),   db = sum over rows of (dy m)
// The same as relu(linear(x, W, b)), fused: gemm writes x W into y, then one pass adds the bias and clips at 0
// in place — no bias pass before the gemm and no second (B, O) tensor for relu. NaN passes through, as in relu.
inline const OpId kLinearRelu = register_op("linear_relu");
template <typename T>
Var<T> linear_relu(const Var<T>& x, const Var<T>& w, const Var<T>& b) {
  detail::check_linear(x.shape(), w.shape(), b.shape(), "linear_relu");
  const int64_t B = x.shape()[0], O = w.shape()[1];
  Tensor<T> y(Shape{B, O});
  auto x_sparse = detail::multiply(x.value(), w.value(), false, y);
  parallel_rows(B, O, [&, bias = b.value().data()](int64_t first, int64_t last) {
    for (int64_t r = first; r < last; ++r) {
      T* row = y.data() + r * O;
      for (int64_t j = 0; j < O; ++j) {
        const T v = row[j] + bias[j];
        row[j] = select_negative(v, T(0), v);
      }
    }
  });
  return record<T>(kLinearRelu, {x, w, b}, y,
                   [x = x.value(), x_sparse, w = w.value(), bs = b.shape(), y](const Tensor<T>& dy,
                                                                                InputGrads<T>& dx) {
                     // dy where y > 0, else 0 (y is never negative), then linear's backward
                     const Tensor<T> masked = zip(dy, y, [](T g, T out) { return select_negative(-out, g, T(0)); });
                     detail::linear_backward(x, x_sparse.get(), w, bs, masked, dx);
                   });
}

}  // namespace tg
