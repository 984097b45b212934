// The check of exercise 6.1, run by `make exercise 6` against your copy and by `make test` against the solution:
// the values at six points on both sides of the bend, then the library's gradient checker (chapter 5).
#include <cmath>
#include <cstdio>
#include <exception>

#include "autograd/gradcheck.h"
#include "docs/learn/exercises/06_huber.h"

using namespace tg;

int main() {
  try {
    const std::vector<double> points = {-3, -1.5, -0.5, 0.25, 0.9, 2.5};
    Var<double> x(Tensor<double>::from(Shape{6}, points), true);
    const Tensor<double> y = huber(x).value();
    for (size_t i = 0; i < points.size(); ++i) {
      const double v = points[i], want = std::abs(v) <= 1 ? v * v / 2 : std::abs(v) - 0.5;
      if (std::abs(y[static_cast<int64_t>(i)] - want) > 1e-12) {
        std::printf("Task 6.1 not done: huber(%g) is %g, expected %g\n", v, y[static_cast<int64_t>(i)], want);
        return 1;
      }
    }
    const GradcheckReport r = check_gradients([&] { return huber(x); }, {{"x", x}});
    if (!r.ok) {
      std::printf("Task 6.1 not done: the gradient is wrong: %s\n", r.summary().c_str());
      return 1;
    }
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  std::printf("Task 6.1 passed: huber and its gradient are right\n");
  return 0;
}
