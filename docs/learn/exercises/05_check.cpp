// The check of exercise 5.1, run by `make exercise 5` against your copy and by `make test` against the solution:
// the library's gradient checker (chapter 5) on all three inputs of gaussian_nll.
#include <cstdio>
#include <exception>

#include "autograd/gradcheck.h"
#include "docs/learn/exercises/05_gaussian_nll.h"

using namespace tg;

int main() {
  try {
    Var<double> x(Tensor<double>::from(Shape{2, 2}, {0.3, -1.2, 2.0, 0.5}), true);
    Var<double> mu(Tensor<double>::from(Shape{2, 2}, {0.1, 0.4, -0.6, 0.5}), true);
    Var<double> logvar(Tensor<double>::from(Shape{2, 2}, {0.0, -1.0, 0.7, 0.2}), true);
    const GradcheckReport r = check_gradients([&] { return gaussian_nll(x, mu, logvar); }, {{"x", x}, {"mu", mu}, {"logvar", logvar}});
    if (!r.ok) {
      std::printf("Task 5.1 not done: the gradient checker finds an error: %s\n", r.summary().c_str());
      return 1;
    }
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  std::printf("Task 5.1 passed: gaussian_nll's gradient is right for x, mu and logvar\n");
  return 0;
}
