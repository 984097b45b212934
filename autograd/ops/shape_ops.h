// shape_ops.h: reshape transpose concat slice repeat_each_row. They move numbers, never change them, so each backward
// moves dy back the same way. concat and slice work on the feature axis (axis 1) of (B, F) matrices:
// the encoder's (B, 2Z) output is sliced into mean and log-variance. Read next: matmul.h.
#pragma once
#include <algorithm>
#include <vector>

#include "autograd/tape.h"

namespace tg {

// ---- reshape: same numbers, new shape (shares storage);  dx = dy viewed as x's shape
inline const OpId kReshape = register_op("reshape");
template <typename T>
Var<T> reshape(const Var<T>& x, Shape shape) {
  return record<T>(kReshape, {x}, x.value().reshaped(shape), [s = x.shape()](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, dy.reshaped(s));
  });
}

template <typename T>
Tensor<T> transposed(const Tensor<T>& x) {
  const int64_t R = x.rows(), C = x.cols();
  Tensor<T> y(Shape{C, R});
  for (int64_t i = 0; i < R; ++i)
    for (int64_t j = 0; j < C; ++j) y[j * R + i] = x[i * C + j];
  return y;
}

// ---- transpose: y = x^T, x (R, C) -> (C, R);  dx = dy^T
inline const OpId kTranspose = register_op("transpose");
template <typename T>
Var<T> transpose(const Var<T>& x) {
  require(x.shape().rank == 2, "transpose: needs a matrix — got shape {}", to_string(x.shape()));
  return record<T>(kTranspose, {x}, transposed(x.value()), [](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, transposed(dy));
  });
}

// ---- concat along axis 1: xs[i] (B, F_i) -> y (B, sum F_i);  dx_i = dy[:, offset_i : offset_i + F_i]
template <typename T>
Tensor<T> columns(const Tensor<T>& x, int64_t start, int64_t end) {
  const int64_t R = x.rows(), C = x.cols(), W = end - start;
  Tensor<T> y(Shape{R, W});
  for (int64_t i = 0; i < R; ++i) std::copy(x.data() + i * C + start, x.data() + i * C + end, y.data() + i * W);
  return y;
}

inline const OpId kConcat = register_op("concat");
template <typename T>
Var<T> concat(const std::vector<Var<T>>& xs) {
  require(!xs.empty(), "concat: no inputs");
  const int64_t R = xs[0].shape().rows();
  int64_t C = 0;
  for (const Var<T>& x : xs) {
    require(x.shape().rank == 2 && x.shape().rows() == R,
            "concat: inputs must be matrices with the same number of rows — got {} and {}",
            to_string(xs[0].shape()), to_string(x.shape()));
    C += x.shape().cols();
  }
  Tensor<T> y(Shape{R, C});
  std::vector<int64_t> offsets;
  int64_t offset = 0;
  for (const Var<T>& x : xs) {
    const int64_t W = x.shape().cols();
    for (int64_t i = 0; i < R; ++i)
      std::copy(x.value().data() + i * W, x.value().data() + (i + 1) * W, y.data() + i * C + offset);
    offsets.push_back(offset);
    offset += W;
  }
  offsets.push_back(offset);
  return record<T>(kConcat, xs, std::move(y), [offsets](const Tensor<T>& dy, InputGrads<T>& dx) {
    for (size_t i = 0; i + 1 < offsets.size(); ++i)
      if (dx.needs(i)) dx.add(i, columns(dy, offsets[i], offsets[i + 1]));
  });
}

// ---- slice along axis 1: y = x[:, start:end];  dx = zeros with dy added at columns start..end
inline const OpId kSlice = register_op("slice");
template <typename T>
Var<T> slice(const Var<T>& x, int64_t start, int64_t end) {
  require(x.shape().rank == 2 && 0 <= start && start <= end && end <= x.shape().cols(),
          "slice: columns [{}, {}) do not fit shape {}, expected a matrix and 0 <= start <= end <= cols", start,
          end, to_string(x.shape()));
  return record<T>(kSlice, {x}, columns(x.value(), start, end),
                   [start](const Tensor<T>& dy, InputGrads<T>& dx) { dx.add_columns(0, dy, start); });
}

// ---- repeat_each_row: x (B, F) -> y (B*K, F), row b*K + k = row b of x;  dx_b = sum_k dy_(b*K + k)
// How one example meets K classes (or K samples) in one batched pass while what depends only on the example
// is computed once: M2's encoder multiplies x by its weights for B rows, not B*K.
inline const OpId kRepeatEachRow = register_op("repeat_each_row");
template <typename T>
Var<T> repeat_each_row(const Var<T>& x, int64_t times) {
  require(x.shape().rank == 2 && times >= 1, "repeat_each_row: a matrix repeated {} times — got shape {}", times,
          to_string(x.shape()));
  return record<T>(kRepeatEachRow, {x}, repeat_rows(x.value(), 0, x.shape().rows(), times),
                   [s = x.shape(), times](const Tensor<T>& dy, InputGrads<T>& dx) {
                     const int64_t B = s.rows(), F = s.cols();
                     Tensor<T> g = Tensor<T>::zeros(s);
                     for (int64_t b = 0; b < B; ++b)
                       for (int64_t k = 0; k < times; ++k)
                         for (int64_t j = 0; j < F; ++j) g[b * F + j] += dy[(b * times + k) * F + j];
                     dx.add(0, std::move(g));
                   });
}

}  // namespace tg
