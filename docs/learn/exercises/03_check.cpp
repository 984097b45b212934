// The check of exercise 3.1, run by `make exercise 3` against your copy and by `make test` against the solution.
// f(x, y) = tanh(x y + x) * x uses x three times; its gradient from the toy tape is compared with central
// differences (chapter 1), and a second backward must give the same gradient again.
#include <cmath>
#include <cstdio>
#include <exception>

#include "docs/learn/exercises/03_toy_tape.h"

int main() {
  try {
    auto f = [](double x, double y) { return std::tanh(x * y + x) * x; };
    const double x0 = 0.7, y0 = -0.4, h = 1e-6;
    ToyTape t;
    const int x = t.leaf(x0), y = t.leaf(y0);
    const int out = t.mul(t.tanh(t.add(t.mul(x, y), x)), x);
    t.backward(out);
    const double want_x = (f(x0 + h, y0) - f(x0 - h, y0)) / (2 * h), want_y = (f(x0, y0 + h) - f(x0, y0 - h)) / (2 * h);
    if (std::abs(t.grad(x) - want_x) > 1e-8 || std::abs(t.grad(y) - want_y) > 1e-8) {
      std::printf("Task 3.1 not done: for f = tanh(x y + x) x at x = %g, y = %g the tape gives df/dx %.8f, df/dy %.8f; "
                  "central differences give %.8f, %.8f%s\n", x0, y0, t.grad(x), t.grad(y), want_x, want_y,
                  std::abs(t.grad(x) - want_x) > 1e-8 && std::abs(t.grad(y) - want_y) <= 1e-8
                      ? " (x is used three times: does each use add to its grad?)" : "");
      return 1;
    }
    // Running backward twice must give the same gradients, not twice them.
    t.backward(out);
    if (std::abs(t.grad(x) - want_x) > 1e-8) {
      std::printf("Task 3.1 not done: a second backward gives df/dx %.8f, not %.8f (clear the grads first)\n", t.grad(x), want_x);
      return 1;
    }
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  std::printf("Task 3.1 passed: the reverse loop is right\n");
  return 0;
}
