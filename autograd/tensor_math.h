// tensor_math.h: the loops every op is written with — map (one input), zip (two, same shape),
// broadcast_zip (two, numpy broadcasting), sum_to (the reverse of broadcasting, for gradients), add_into.
// Plain loops over contiguous memory that the compiler vectorises; no autograd. Large ones are split over
// the cores by parallel_for (each output element still computed by one thread, so results never change).
// Read next: var.h, tape.h.
#pragma once
#include "autograd/backend/parallel.h"
#include "autograd/tensor.h"

namespace tg {

/// y[i] = f(x[i])
template <typename T, typename F>
Tensor<T> map(const Tensor<T>& x, F f) {
  Tensor<T> y(x.shape());
  const T* xp = x.data();
  T* yp = y.data();
  parallel_for(x.numel(), kElementwiseGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) yp[i] = f(xp[i]);
  });
  return y;
}

/// y[i] = f(a[i], b[i]); a and b have the same shape (backward code relies on this).
template <typename T, typename F>
Tensor<T> zip(const Tensor<T>& a, const Tensor<T>& b, F f) {
  require(a.shape() == b.shape(), "zip: shapes differ — got {} and {}", to_string(a.shape()),
          to_string(b.shape()));
  Tensor<T> y(a.shape());
  const T* ap = a.data();
  const T* bp = b.data();
  T* yp = y.data();
  parallel_for(a.numel(), kElementwiseGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) yp[i] = f(ap[i], bp[i]);
  });
  return y;
}

/// y = f(a, b) elementwise under numpy broadcasting (row vector, column vector or scalar against a matrix).
template <typename T, typename F>
Tensor<T> broadcast_zip(const Tensor<T>& a, const Tensor<T>& b, F f, const char* op) {
  if (a.shape() == b.shape()) return zip(a, b, f);
  Shape shape = broadcast_shape(a.shape(), b.shape(), op);
  Tensor<T> y(shape);
  const int64_t R = shape.rows(), C = shape.cols();
  // A dimension of size 1 is read with stride 0: that is all broadcasting is.
  const int64_t a_row = a.rows() == 1 ? 0 : a.cols(), a_col = a.cols() == 1 ? 0 : 1;
  const int64_t b_row = b.rows() == 1 ? 0 : b.cols(), b_col = b.cols() == 1 ? 0 : 1;
  const T* ap = a.data();
  const T* bp = b.data();
  T* yp = y.data();
  parallel_rows(R, C, [&](int64_t first, int64_t last) {
    for (int64_t i = first; i < last; ++i)
      for (int64_t j = 0; j < C; ++j) yp[i * C + j] = f(ap[i * a_row + j * a_col], bp[i * b_row + j * b_col]);
  });
  return y;
}

/// Sums g over the axes along which `shape` was broadcast to g's shape: the gradient of broadcasting.
template <typename T>
Tensor<T> sum_to(const Tensor<T>& g, const Shape& shape) {
  if (g.shape() == shape) return g;
  require(broadcast_shape(shape, g.shape(), "sum_to") == g.shape(),
          "sum_to: cannot reduce {} to {}, expected {} to broadcast to it", to_string(g.shape()),
          to_string(shape), to_string(shape));
  Tensor<T> out = Tensor<T>::zeros(shape);
  const int64_t R = g.rows(), C = g.cols();
  if (shape.rows() == 1 && shape.cols() == C) {  // a row vector (a bias): add the rows, a vectorisable loop
    T* op = out.data();
    // Split by columns: each column is still summed by one thread, top to bottom, as in the serial loop.
    parallel_rows(C, R, [&](int64_t first, int64_t last) {
      for (int64_t i = 0; i < R; ++i) {
        const T* gp = g.data() + i * C;
        for (int64_t j = first; j < last; ++j) op[j] += gp[j];
      }
    });
    return out;
  }
  const int64_t o_row = shape.rows() == 1 ? 0 : shape.cols(), o_col = shape.cols() == 1 ? 0 : 1;
  const T* gp = g.data();
  T* op = out.data();
  for (int64_t i = 0; i < R; ++i)
    for (int64_t j = 0; j < C; ++j) op[i * o_row + j * o_col] += gp[i * C + j];
  return out;
}

/// Rows first .. first+count-1 of t (R, C), each repeated `times` times in a row: (count * times, C), where
/// row r of the result is row first + r / times of t. How one example meets K samples in one batched pass.
template <typename T>
Tensor<T> repeat_rows(const Tensor<T>& t, int64_t first, int64_t count, int64_t times) {
  require(first >= 0 && count >= 0 && first + count <= t.rows() && times >= 1,
          "repeat_rows: rows [{}, {}) x {} of a tensor of shape {}", first, first + count, times, to_string(t.shape()));
  const int64_t C = t.cols();
  Tensor<T> out(Shape{count * times, C});
  parallel_rows(count * times, C, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r)
      std::copy(t.data() + (first + r / times) * C, t.data() + (first + r / times + 1) * C, out.data() + r * C);
  });
  return out;
}

/// The column of each row's largest value (the first of equal ones): the class a classifier's scores or
/// probabilities (R, K) pick for each example.
template <typename T>
std::vector<int64_t> argmax_rows(const Tensor<T>& t) {
  std::vector<int64_t> best(static_cast<size_t>(t.rows()), 0);
  for (int64_t r = 0; r < t.rows(); ++r)
    for (int64_t k = 1; k < t.cols(); ++k)
      if (t.at(r, k) > t.at(r, best[static_cast<size_t>(r)])) best[static_cast<size_t>(r)] = k;
  return best;
}

/// p[0] + ... + p[n-1] with 8 running sums in a fixed order: vectorisable (a single running float sum is not,
/// since the compiler may not reorder it) and still deterministic.
template <typename T>
T sum_lanes(const T* p, int64_t n) {
  T acc[8] = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) acc[k] += p[i + k];
  T total = 0;
  for (; i < n; ++i) total += p[i];
  for (int k = 0; k < 8; ++k) total += acc[k];
  return total;
}

/// out[b, j] = c * s[b] * f(m[b, j]) (f defaults to the identity): a per-row scale, the backward pass of every
/// op that sums over a row — with f, the elementwise derivative folded into the same pass. Nested loops, so no
/// index division per element.
struct Identity {
  template <typename T>
  T operator()(T v) const { return v; }
};
template <typename T, typename F = Identity>
Tensor<T> scale_rows(const Tensor<T>& m, const Tensor<T>& s, T c, F f = {}) {
  const int64_t R = m.rows(), C = m.cols();
  Tensor<T> out(m.shape());
  parallel_rows(R, C, [&](int64_t first, int64_t last) {
    for (int64_t r = first; r < last; ++r) {
      const T k = c * s[r];
      const T* mp = m.data() + r * C;
      T* op = out.data() + r * C;
      for (int64_t j = 0; j < C; ++j) op[j] = k * f(mp[j]);
    }
  });
  return out;
}

/// dst += src, same shape.
template <typename T>
void add_into(Tensor<T>& dst, const Tensor<T>& src) {
  require(dst.shape() == src.shape(), "add_into: shapes differ — got {} and {}", to_string(dst.shape()),
          to_string(src.shape()));
  T* dp = dst.data();
  const T* sp = src.data();
  parallel_for(dst.numel(), kElementwiseGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) dp[i] += sp[i];
  });
}

}  // namespace tg
