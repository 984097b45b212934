// 05_checking_gradients.cpp: chapter 5 of the course (05_checking_gradients.md). The library's gradient checker
// (autograd/gradcheck.h) on a right op, on an op whose backward is wrong, and on the same computation in float.
// Run it with `make chapter 5`.
#include <cmath>
#include <cstdio>

#include "autograd/autograd.h"
#include "autograd/gradcheck.h"

using namespace tg;

// [begin wrong_op]
// cube(x) = x^3, registered and recorded like any library op, but with a planted error in its backward:
// the derivative is 3 x^2, and this says 3 x.
inline const OpId kWrongCube = register_op("course_wrong_cube");
Var<double> wrong_cube(const Var<double>& x) {
  Tensor<double> y = map(x.value(), [](double v) { return v * v * v; });
  return record<double>(kWrongCube, {x}, std::move(y), [x = x.value()](const Tensor<double>& dy, InputGrads<double>& dx) {
    dx.add(0, zip(dy, x, [](double g, double v) { return g * 3 * v; }));  // wrong: should be 3 v^2
  });
}
// [end wrong_op]

int main() {
  // [begin right]
  Var<double> x(Tensor<double>::from(Shape{2, 3}, {0.5, -1.2, 2.0, 0.3, 1.1, -0.7}), true);
  Var<double> W(Tensor<double>::from(Shape{3, 2}, {1.0, -0.5, 0.25, 2.0, -1.5, 0.75}), true);
  GradcheckReport right = check_gradients([&] { return tanh(matmul(x, W)); }, {{"x", x}, {"W", W}});
  std::printf("tanh(x W):      %s\n", right.summary().c_str());
  // [end right]
  // [begin wrong]
  GradcheckReport wrong = check_gradients([&] { return wrong_cube(x); }, {{"x", x}});
  std::printf("wrong_cube(x):  %s\n", wrong.summary().c_str());
  // Both values are weighted by the same random w (gradcheck.h), so their ratio is free of it: the tape's
  // derivative over the true one. 1 / x says the tape is missing a factor of x.
  const double x_at = x.value()[wrong.element];
  std::printf("                analytic / numeric = %.4f;  x[%lld] = %.1f, 1 / x = %.4f\n", wrong.analytic / wrong.numeric,
              (long long)wrong.element, x_at, 1 / x_at);
  // [end wrong]
  // [begin float]
  // Why double: the same central difference on the float version of tanh(x W) at eps = 1e-3, the best a float
  // step can do, is off in the third or fourth digit; in double the checker agrees to ten.
  Var<float> xf(Tensor<float>::from(Shape{2, 3}, {0.5f, -1.2f, 2.0f, 0.3f, 1.1f, -0.7f}), true);
  Var<float> Wf(Tensor<float>::from(Shape{3, 2}, {1.0f, -0.5f, 0.25f, 2.0f, -1.5f, 0.75f}), true);
  double worst = 0;
  {
    Tape<float> tape;
    tape.backward(sum(tanh(matmul(xf, Wf))));
  }
  NoGrad no_grad;
  for (int64_t j = 0; j < 6; ++j) {
    const float saved = xf.value()[j], eps = 1e-3f;
    xf.value()[j] = saved + eps;
    const float plus = sum(tanh(matmul(xf, Wf))).item();
    xf.value()[j] = saved - eps;
    const float minus = sum(tanh(matmul(xf, Wf))).item();
    xf.value()[j] = saved;
    worst = std::max(worst, std::abs(double(xf.grad()[j]) - double(plus - minus) / (2 * double(eps))));
  }
  std::printf("in float, eps 1e-3: worst difference %.1e (in double: %.1e)\n", worst, right.worst_error);
  // [end float]
}
