// matmul.h: y = a @ b through sgemm/dgemm. Backward uses the transpose flags of gemm rather than
// materialising a^T or b^T, so a backward pass costs exactly two more gemm calls and no copies.
// Shapes: a (M, K), b (K, N) -> y (M, N). Read next: losses.h.
#pragma once
#include "autograd/blas.h"
#include "autograd/tape.h"

namespace tg {

// ---- matmul: y = a b;  da = dy b^T (M,N)@(N,K);  db = a^T dy (K,M)@(M,N)
inline const OpId kMatmul = register_op("matmul");
template <typename T>
Var<T> matmul(const Var<T>& a, const Var<T>& b) {
  require(a.shape().rank == 2 && b.shape().rank == 2 && a.shape()[1] == b.shape()[0],
          "matmul: inner dimensions differ: {} @ {}, expected (M, K) @ (K, N)", to_string(a.shape()),
          to_string(b.shape()));
  Tensor<T> y(Shape{a.shape()[0], b.shape()[1]});
  gemm(false, false, a.value(), b.value(), T(1), T(0), y);
  return record<T>(kMatmul, {a, b}, std::move(y),
                   [a = a.value(), b = b.value()](const Tensor<T>& dy, InputGrads<T>& dx) {
                     if (dx.needs(0)) {
                       Tensor<T> da(a.shape());
                       gemm(false, true, dy, b, T(1), T(0), da);
                       dx.add(0, std::move(da));
                     }
                     if (dx.needs(1)) {
                       Tensor<T> db(b.shape());
                       gemm(true, false, a, dy, T(1), T(0), db);
                       dx.add(1, std::move(db));
                     }
                   });
}

}  // namespace tg
