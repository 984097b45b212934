// unary.h: exp log sqrt square relu sigmoid tanh softplus log_sigmoid — y = f(x) elementwise, dx = dy * f'(x).
// Each backward captures whichever of x or y makes f' cheapest (exp keeps y, since e^x' = y).
// Shapes: x any -> y same. Read next: reduce.h.
#pragma once
#include <cmath>

#include "autograd/backend/fast_math.h"
#include "autograd/ops/scalar_math.h"
#include "autograd/tape.h"

namespace tg {

// dy * f'(.) where f' is computed from a saved tensor s (x or y) by d(s)
template <typename T, typename D>
Tensor<T> chain(const Tensor<T>& dy, const Tensor<T>& saved, D d) {
  return zip(dy, saved, [d](T g, T s) { return g * d(s); });
}

// ---- exp: y = e^x;  dx = dy * y
inline const OpId kExp = register_op("exp");
template <typename T>
Var<T> exp(const Var<T>& x) {
  Tensor<T> y = map(x.value(), [](T v) { return std::exp(v); });
  return record<T>(kExp, {x}, y, [y](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, chain(dy, y, [](T out) { return out; }));
  });
}

// ---- log: y = ln x (x > 0);  dx = dy / x
inline const OpId kLog = register_op("log");
template <typename T>
Var<T> log(const Var<T>& x) {
  Tensor<T> y = map(x.value(), [](T v) { return std::log(v); });
  return record<T>(kLog, {x}, std::move(y), [x = x.value()](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, chain(dy, x, [](T v) { return T(1) / v; }));
  });
}

// ---- sqrt: y = x^(1/2) (x > 0);  dx = dy / (2 y)
inline const OpId kSqrt = register_op("sqrt");
template <typename T>
Var<T> sqrt(const Var<T>& x) {
  Tensor<T> y = map(x.value(), [](T v) { return std::sqrt(v); });
  return record<T>(kSqrt, {x}, y, [y](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, chain(dy, y, [](T out) { return T(0.5) / out; }));
  });
}

// ---- square: y = x^2;  dx = 2 x dy
inline const OpId kSquare = register_op("square");
template <typename T>
Var<T> square(const Var<T>& x) {
  Tensor<T> y = map(x.value(), [](T v) { return v * v; });
  return record<T>(kSquare, {x}, std::move(y), [x = x.value()](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, chain(dy, x, [](T v) { return T(2) * v; }));
  });
}

// ---- relu: y = max(x, 0);  dx = dy * [x > 0]   (the kink at 0 gets derivative 0, as in PyTorch)
// Written as "x < 0 ? 0 : x" so that a NaN passes through, as in PyTorch: a poisoned weight must surface in
// the loss, not vanish behind the activation.
inline const OpId kRelu = register_op("relu");
template <typename T>
Var<T> relu(const Var<T>& x) {
  Tensor<T> y = map(x.value(), [](T v) { return v < T(0) ? T(0) : v; });
  return record<T>(kRelu, {x}, y, [y](const Tensor<T>& dy, InputGrads<T>& dx) {
    // dy where y > 0, else 0; written as a mask select so the loop vectorises (y is never negative)
    dx.add(0, zip(dy, y, [](T g, T out) { return select_negative(-out, g, T(0)); }));
  });
}

// ---- sigmoid: y = 1 / (1 + e^-x);  dx = dy * y (1 - y).  Stable: see stable_sigmoid.
inline const OpId kSigmoid = register_op("sigmoid");
template <typename T>
Var<T> sigmoid(const Var<T>& x) {
  Tensor<T> y = map(x.value(), [](T v) { return stable_sigmoid(v); });  // a lambda inlines; a function pointer would not
  return record<T>(kSigmoid, {x}, y, [y](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, chain(dy, y, [](T out) { return out * (T(1) - out); }));
  });
}

// ---- tanh: y = tanh x;  dx = dy * (1 - y^2). The IWAE and AEVB models' hidden units: fast_math.h's tanh, which
// vectorises (libm's tanhf is an opaque call per element); libm in double.
inline const OpId kTanh = register_op("tanh");
template <typename T>
Var<T> tanh(const Var<T>& x) {
  Tensor<T> y = map(x.value(), [](T v) { return fast_tanh(v); });  // backend/fast_math.h: vectorises in float
  return record<T>(kTanh, {x}, y, [y](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, chain(dy, y, [](T out) { return T(1) - out * out; }));
  });
}

// ---- softplus: y = log(1 + e^x) = max(x,0) + log1p(e^-|x|);  dx = dy * sigmoid(x)
// The semi-supervised models' hidden units: there it is most of a step, so both directions are scalar_math.h's
// branch-free forms on fast_math.h's exp and log1p, which vectorise in float (libm in double).
inline const OpId kSoftplus = register_op("softplus");
template <typename T>
Var<T> softplus(const Var<T>& x) {
  // Lambdas, not the function names: a function pointer is an opaque call that keeps the loop scalar.
  Tensor<T> y = map(x.value(), [](T v) { return stable_softplus(v); });
  return record<T>(kSoftplus, {x}, std::move(y), [x = x.value()](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, chain(dy, x, [](T v) { return stable_sigmoid(v); }));
  });
}

// ---- log_sigmoid: y = log sigmoid(x) = -softplus(-x);  dx = dy * sigmoid(-x)
// Never log(sigmoid(x)): sigmoid(-100) underflows to 0 in float and its log is -inf; -softplus(100) = -100.
inline const OpId kLogSigmoid = register_op("log_sigmoid");
template <typename T>
Var<T> log_sigmoid(const Var<T>& x) {
  Tensor<T> y = map(x.value(), [](T v) { return -stable_softplus(-v); });
  return record<T>(kLogSigmoid, {x}, std::move(y), [x = x.value()](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, chain(dy, x, [](T v) { return stable_sigmoid(-v); }));
  });
}

}  // namespace tg
