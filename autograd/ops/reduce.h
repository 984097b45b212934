// reduce.h: sum and mean (of everything, or along an axis), logsumexp and log_softmax along an axis.
// An axis reduction works on "lines": the rows (axis 1) or the columns (axis 0) of a matrix, or the
// whole of a vector. keepdim=true keeps the reduced axis as size 1 (so the result broadcasts back).
// Shapes: x (R, C); axis 1 -> (R) or (R, 1); axis 0 -> (C) or (1, C). Read next: shape_ops.h.
#pragma once
#include <cmath>
#include <limits>

#include "autograd/ops/scalar_math.h"
#include "autograd/tape.h"

namespace tg {

/// The lines of x along `axis`: line i has `length` elements at x[start(i) + k * step].
struct Lines {
  int64_t count, length, line_stride, step;
  int64_t start(int64_t i) const { return i * line_stride; }
  Shape reduced;  // shape of one-number-per-line result (keepdim applied)
};

inline Lines lines_along(const Shape& s, int axis, bool keepdim, const char* op) {
  require(s.rank >= 1 && axis >= 0 && axis < s.rank, "{}: axis {} is out of range for shape {}", op, axis,
          to_string(s));
  if (s.rank == 1) return {1, s[0], 0, 1, keepdim ? Shape{1} : Shape{}};
  if (axis == 1) return {s[0], s[1], s[1], 1, keepdim ? Shape{s[0], 1} : Shape{s[0]}};
  return {s[1], s[0], 1, s[1], keepdim ? Shape{1, s[1]} : Shape{s[1]}};
}

/// x's shape filled by repeating r (one number per line) along each line.
template <typename T>
Tensor<T> spread_lines(const Tensor<T>& r, const Shape& x_shape, const Lines& L, T factor = T(1)) {
  Tensor<T> out(x_shape);
  for (int64_t i = 0; i < L.count; ++i)
    for (int64_t k = 0; k < L.length; ++k) out[L.start(i) + k * L.step] = factor * r[i];
  return out;
}

// ---- sum (all): y = sum_i x_i -> ();  dx_i = dy
inline const OpId kSum = register_op("sum");
// The sum of every element, in order (mean divides it; the sum's own op records it).
template <typename T>
T total_of(const Tensor<T>& x) {
  T total = 0;
  for (int64_t i = 0; i < x.numel(); ++i) total += x[i];
  return total;
}

// Each line's sum, in order along the line (y has the reduced shape; the mean along an axis divides them).
template <typename T>
Tensor<T> line_sums(const Tensor<T>& x, const Lines& L) {
  Tensor<T> y(L.reduced);
  for (int64_t i = 0; i < L.count; ++i) {
    T total = 0;
    for (int64_t k = 0; k < L.length; ++k) total += x[L.start(i) + k * L.step];
    y[i] = total;
  }
  return y;
}

template <typename T>
Var<T> sum(const Var<T>& x) {
  const T total = total_of(x.value());
  return record<T>(kSum, {x}, Tensor<T>::scalar(total), [s = x.shape()](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, Tensor<T>::full(s, dy[0]));
  });
}

// ---- sum_axis: y_i = sum_k x[line i, k];  dx[line i, k] = dy_i
inline const OpId kSumAxis = register_op("sum_axis");
template <typename T>
Var<T> sum(const Var<T>& x, int axis, bool keepdim = false) {
  Lines L = lines_along(x.shape(), axis, keepdim, "sum");
  return record<T>(kSumAxis, {x}, line_sums(x.value(), L), [s = x.shape(), L](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, spread_lines(dy, s, L));
  });
}

// ---- mean (all): y = sum_i x_i / n;  dx_i = dy / n
inline const OpId kMean = register_op("mean");
template <typename T>
Var<T> mean(const Var<T>& x) {
  const int64_t n = x.value().numel();
  require(n > 0, "mean: empty tensor of shape {}", to_string(x.shape()));
  return record<T>(kMean, {x}, Tensor<T>::scalar(total_of(x.value()) / T(n)),
                   [s = x.shape(), n](const Tensor<T>& dy, InputGrads<T>& dx) {
                     dx.add(0, Tensor<T>::full(s, dy[0] / T(n)));
                   });
}

// ---- mean_axis: y_i = mean_k x[line i, k];  dx[line i, k] = dy_i / length
inline const OpId kMeanAxis = register_op("mean_axis");
template <typename T>
Var<T> mean(const Var<T>& x, int axis, bool keepdim = false) {
  Lines L = lines_along(x.shape(), axis, keepdim, "mean");
  require(L.length > 0, "mean: axis {} of shape {} is empty", axis, to_string(x.shape()));
  Tensor<T> y = line_sums(x.value(), L);
  for (int64_t i = 0; i < y.numel(); ++i) y[i] /= T(L.length);
  return record<T>(kMeanAxis, {x}, std::move(y), [s = x.shape(), L](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, spread_lines(dy, s, L, T(1) / T(L.length)));
  });
}

// ---- logsumexp: y_i = m_i + log sum_k e^(x_ik - m_i), m_i = max_k x_ik;  dx_ik = dy_i * e^(x_ik - y_i)
// Subtracting the max keeps every exponent <= 0: finite at |x| = 100 where e^100 overflows float.
template <typename T>
Tensor<T> logsumexp_lines(const Tensor<T>& x, const Lines& L) {
  Tensor<T> y(L.reduced);
  for (int64_t i = 0; i < L.count; ++i) {
    T m = -std::numeric_limits<T>::infinity();
    for (int64_t k = 0; k < L.length; ++k) m = std::max(m, x[L.start(i) + k * L.step]);
    if (!std::isfinite(m)) {  // all -inf (or a +inf): the answer is m itself
      y[i] = m;
      continue;
    }
    T s = 0;
    for (int64_t k = 0; k < L.length; ++k) s += std::exp(x[L.start(i) + k * L.step] - m);
    y[i] = m + std::log(s);
  }
  return y;
}

inline const OpId kLogsumexp = register_op("logsumexp");
template <typename T>
Var<T> logsumexp(const Var<T>& x, int axis, bool keepdim = false) {
  Lines L = lines_along(x.shape(), axis, keepdim, "logsumexp");
  Tensor<T> y = logsumexp_lines(x.value(), L);
  return record<T>(kLogsumexp, {x}, y, [x = x.value(), y, L](const Tensor<T>& dy, InputGrads<T>& dx) {
    Tensor<T> g(x.shape());
    for (int64_t i = 0; i < L.count; ++i)
      for (int64_t k = 0; k < L.length; ++k) {
        int64_t j = L.start(i) + k * L.step;
        g[j] = dy[i] * std::exp(x[j] - y[i]);
      }
    dx.add(0, std::move(g));
  });
}

// ---- log_softmax: y_ik = x_ik - logsumexp_k(x_i);  dx_ik = dy_ik - e^(y_ik) * sum_k dy_ik
// Each line by log_softmax_line (scalar_math.h), which keeps the digits of a confident line's small log-probabilities.
inline const OpId kLogSoftmax = register_op("log_softmax");
template <typename T>
Var<T> log_softmax(const Var<T>& x, int axis) {
  Lines L = lines_along(x.shape(), axis, false, "log_softmax");
  Tensor<T> y(x.shape());
  for (int64_t i = 0; i < L.count; ++i)
    log_softmax_line<T>(L.length, [&](int64_t k) { return x.value()[L.start(i) + k * L.step]; },
                        [&](int64_t k, T v) { y[L.start(i) + k * L.step] = v; });
  return record<T>(kLogSoftmax, {x}, y, [y, L](const Tensor<T>& dy, InputGrads<T>& dx) {
    Tensor<T> g(y.shape());
    for (int64_t i = 0; i < L.count; ++i) {
      T total = 0;
      for (int64_t k = 0; k < L.length; ++k) total += dy[L.start(i) + k * L.step];
      for (int64_t k = 0; k < L.length; ++k) {
        int64_t j = L.start(i) + k * L.step;
        g[j] = dy[j] - std::exp(y[j]) * total;
      }
    }
    dx.add(0, std::move(g));
  });
}

}  // namespace tg
