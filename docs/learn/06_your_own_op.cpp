// 06_your_own_op.cpp: chapter 6 of the course (06_your_own_op.md). An op of your own, in your own file: softplus,
// written first the naive way and then the stable way, run in float at |x| = 100, and gradient-checked.
// Run it with `make chapter 6`.
#include <cmath>
#include <cstdio>

#include "autograd/autograd.h"
#include "autograd/gradcheck.h"

using namespace tg;

// [begin naive]
// softplus(x) = log(1 + e^x), exactly as the formula reads. Its derivative is the sigmoid, 1 / (1 + e^-x).
template <typename T>
T naive_softplus_value(T x) { return std::log(T(1) + std::exp(x)); }
// [end naive]

// [begin stable]
// The same function, rearranged so that nothing overflows: log(1 + e^x) = max(x, 0) + log(1 + e^-|x|). Now e^-|x|
// is at most 1, and log1p keeps its precision when e^-|x| is tiny.
template <typename T>
T stable_softplus_value(T x) { return std::max(x, T(0)) + std::log1p(std::exp(-std::abs(x))); }
template <typename T>
T sigmoid_of(T x) { return x >= 0 ? T(1) / (T(1) + std::exp(-x)) : std::exp(x) / (T(1) + std::exp(x)); }
// [end stable]

// [begin op]
// The op: a name registered once, a forward pass, and a backward closure that turns dy into dx.
inline const OpId kCourseSoftplus = register_op("course_softplus");
template <typename T>
Var<T> course_softplus(const Var<T>& x) {
  Tensor<T> y = map(x.value(), stable_softplus_value<T>);
  return record<T>(kCourseSoftplus, {x}, std::move(y), [x = x.value()](const Tensor<T>& dy, InputGrads<T>& dx) {
    dx.add(0, zip(dy, x, [](T g, T v) { return g * sigmoid_of(v); }));  // dy * softplus'(x)
  });
}
// [end op]

int main() {
  // [begin float]
  for (float v : {-100.0f, -1.0f, 0.0f, 1.0f, 100.0f})
    std::printf("x = %6.1f   naive %-12g stable %-12g in double %g\n", v, naive_softplus_value(v), stable_softplus_value(v),
                stable_softplus_value(double(v)));
  // [end float]
  // [begin check]
  Var<double> x(Tensor<double>::from(Shape{6}, {-30, -2, -0.5, 0.5, 2, 30}), true);
  const GradcheckReport r = check_gradients([&] { return course_softplus(x); }, {{"x", x}});
  std::printf("course_softplus: %s\n", r.ok ? "gradient ok" : "gradient WRONG");
  // [end check]
  return 0;
}
