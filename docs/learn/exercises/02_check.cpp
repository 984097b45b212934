// The check of exercise 2.1, run by `make exercise 2` against your copy and by `make test` against the solution:
// your reverse pass against the tape's (the same expression on Var<double>) at three points; when df/dx is off by
// exactly one of its two contributions, the hint says that x is used twice.
#include <cmath>
#include <cstdio>
#include <exception>

#include "autograd/autograd.h"
#include "docs/learn/exercises/02_reverse_by_hand.h"

using namespace tg;

int main() {
  try {
    for (const auto& [x0, y0] : {std::pair{0.5, -1.0}, std::pair{2.0, 3.0}, std::pair{-1.2, 0.7}}) {
      Var<double> x(Tensor<double>::scalar(x0), true), y(Tensor<double>::scalar(y0), true);
      Tape<double> tape;
      Var<double> c = x * y + exp(x);
      tape.backward(c * c);
      const Gradient2 mine = my_reverse_pass(x0, y0);
      const double want_dx = x.grad().item(), want_dy = y.grad().item();
      const bool dx_ok = std::abs(mine.dx - want_dx) <= 1e-9 * (1 + std::abs(want_dx));
      const bool dy_ok = std::abs(mine.dy - want_dy) <= 1e-9 * (1 + std::abs(want_dy));
      if (dx_ok && dy_ok) continue;
      std::printf("Task 2.1 not done: at x = %g, y = %g you give df/dx %.6f, df/dy %.6f; the tape gives %.6f, %.6f\n", x0, y0,
                  mine.dx, mine.dy, want_dx, want_dy);
      const double cv = x0 * y0 + std::exp(x0);
      if (!dx_ok && (std::abs(mine.dx - 2 * cv * y0) < 1e-9 || std::abs(mine.dx - 2 * cv * std::exp(x0)) < 1e-9))
        std::printf("  hint: x is used twice (in x y and in e^x): its derivative is the sum of both contributions\n");
      return 1;
    }
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  std::printf("Task 2.1 passed: your reverse pass gives the tape's derivatives at three points\n");
  return 0;
}
