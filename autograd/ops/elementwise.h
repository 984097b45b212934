// elementwise.h: add sub mul div (with numpy broadcasting of a row, a column or a scalar), neg, scale.
// Broadcast gradients need no code here: InputGrads::add sums dy back to each input's shape.
// Shapes: a, b broadcastable, e.g. a (B, D) and b (1, D), (D), (B, 1) or () -> y (B, D).
// Read next: unary.h.
#pragma once
#include <type_traits>
#include "autograd/tape.h"

namespace tg {

// ---- add: y = a + b;  da = dy,  db = dy
inline const OpId kAdd = register_op("add");
template <typename T>
Var<T> add(const Var<T>& a, const Var<T>& b) {
  Tensor<T> y = broadcast_zip(a.value(), b.value(), [](T u, T v) { return u + v; }, "add");
  return record<T>(kAdd, {a, b}, std::move(y), [](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, dy);
    dx.add(1, dy);
  });
}

// ---- sub: y = a - b;  da = dy,  db = -dy
inline const OpId kSub = register_op("sub");
template <typename T>
Var<T> sub(const Var<T>& a, const Var<T>& b) {
  Tensor<T> y = broadcast_zip(a.value(), b.value(), [](T u, T v) { return u - v; }, "sub");
  return record<T>(kSub, {a, b}, std::move(y), [](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, dy);
    if (dx.needs(1)) dx.add(1, map(dy, [](T g) { return -g; }));
  });
}

// ---- mul: y = a * b;  da = dy * b,  db = dy * a
inline const OpId kMul = register_op("mul");
template <typename T>
Var<T> mul(const Var<T>& a, const Var<T>& b) {
  Tensor<T> y = broadcast_zip(a.value(), b.value(), [](T u, T v) { return u * v; }, "mul");
  return record<T>(kMul, {a, b}, std::move(y),
                   [a = a.value(), b = b.value()](const Tensor<T>& dy, InputGrads<T>& dx) {
                     auto times = [](T g, T v) { return g * v; };
                     if (dx.needs(0)) dx.add(0, broadcast_zip(dy, b, times, "mul backward"));
                     if (dx.needs(1)) dx.add(1, broadcast_zip(dy, a, times, "mul backward"));
                   });
}

// ---- div: y = a / b;  da = dy / b,  db = -dy * a / b^2 = -(dy / b) * y
inline const OpId kDiv = register_op("div");
template <typename T>
Var<T> div(const Var<T>& a, const Var<T>& b) {
  Tensor<T> y = broadcast_zip(a.value(), b.value(), [](T u, T v) { return u / v; }, "div");
  return record<T>(kDiv, {a, b}, y, [b = b.value(), y](const Tensor<T>& dy, InputGrads<T>& dx) {
    Tensor<T> dy_over_b = broadcast_zip(dy, b, [](T g, T v) { return g / v; }, "div backward");
    if (dx.needs(1)) dx.add(1, zip(dy_over_b, y, [](T t, T out) { return -t * out; }));
    dx.add(0, std::move(dy_over_b));
  });
}

// ---- neg: y = -x;  dx = -dy
inline const OpId kNeg = register_op("neg");
template <typename T>
Var<T> neg(const Var<T>& x) {
  Tensor<T> y = map(x.value(), [](T v) { return -v; });
  return record<T>(kNeg, {x}, std::move(y), [](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, map(dy, [](T g) { return -g; }));
  });
}

// ---- scale: y = c * x for a constant c;  dx = c * dy
inline const OpId kScale = register_op("scale");
template <typename T>
Var<T> scale(const Var<T>& x, T c) {
  Tensor<T> y = map(x.value(), [c](T v) { return c * v; });
  return record<T>(kScale, {x}, std::move(y), [c](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, map(dy, [c](T g) { return c * g; }));
  });
}

template <typename T> Var<T> operator+(const Var<T>& a, const Var<T>& b) { return add(a, b); }
template <typename T> Var<T> operator-(const Var<T>& a, const Var<T>& b) { return sub(a, b); }
template <typename T> Var<T> operator*(const Var<T>& a, const Var<T>& b) { return mul(a, b); }
template <typename T> Var<T> operator/(const Var<T>& a, const Var<T>& b) { return div(a, b); }
template <typename T> Var<T> operator-(const Var<T>& x) { return neg(x); }

// Plain numbers on either side, for small examples (`3 * d`, `10.0 / f`, `c + 1`): the number becomes a constant
// scalar that broadcasts. std::type_identity_t keeps the number from deciding T (so `1 + c` works for Var<double>).
template <typename T> Var<T> constant(std::type_identity_t<T> c) { return Var<T>(Tensor<T>::scalar(c)); }
template <typename T> Var<T> operator+(const Var<T>& a, std::type_identity_t<T> c) { return add(a, constant<T>(c)); }
template <typename T> Var<T> operator+(std::type_identity_t<T> c, const Var<T>& a) { return add(constant<T>(c), a); }
template <typename T> Var<T> operator-(const Var<T>& a, std::type_identity_t<T> c) { return sub(a, constant<T>(c)); }
template <typename T> Var<T> operator-(std::type_identity_t<T> c, const Var<T>& a) { return sub(constant<T>(c), a); }
template <typename T> Var<T> operator*(const Var<T>& a, std::type_identity_t<T> c) { return scale(a, static_cast<T>(c)); }
template <typename T> Var<T> operator*(std::type_identity_t<T> c, const Var<T>& a) { return scale(a, static_cast<T>(c)); }
template <typename T> Var<T> operator/(const Var<T>& a, std::type_identity_t<T> c) { return div(a, constant<T>(c)); }
template <typename T> Var<T> operator/(std::type_identity_t<T> c, const Var<T>& a) { return div(constant<T>(c), a); }
// a += b makes a the handle of a new node a + b (as micrograd's `c += c + 1`); the old value stays on the tape.
template <typename T, typename U> Var<T>& operator+=(Var<T>& a, const U& b) { return a = a + b; }
template <typename T, typename U> Var<T>& operator-=(Var<T>& a, const U& b) { return a = a - b; }
template <typename T, typename U> Var<T>& operator*=(Var<T>& a, const U& b) { return a = a * b; }

}  // namespace tg
