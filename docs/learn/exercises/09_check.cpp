// The check of exercise 9.1, run by `make exercise 9` against your copy and by `make test` against the solution:
// your Adam and the library's (optim/adam.cpp, in float) take 30 steps down chapter 9's valley from (-5, 1.5) with
// lr 0.1; after every step the two points must agree. When the first step is already wrong, the check compares it
// with the usual mistakes and says which one it looks like.
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>

#include "autograd/autograd.h"
#include "docs/learn/exercises/09_adam.h"
#include "optim/optimizer.h"

using namespace tg;

int main() {
  const double lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  auto gradient = [](const std::vector<double>& p) { return std::vector<double>{p[0], 25 * p[1]}; };  // of (p0^2 + 25 p1^2) / 2
  try {
    std::vector<double> p = {-5.0, 1.5}, m = {0, 0}, v = {0, 0};
    Var<float> q(Tensor<float>::from(Shape{2}, {-5.0f, 1.5f}), true);
    optim::Adam adam(Parameters<float>{{"p", q}}, float(lr), float(beta1), float(beta2), float(eps));
    for (int t = 1; t <= 30; ++t) {
      const std::vector<double> g = gradient(p);
      my_adam_step(p, g, m, v, t, lr, beta1, beta2, eps);
      Tape<float> tape;
      tape.backward(0.5f * sum(Var<float>(Tensor<float>::from(Shape{2}, {1.0f, 25.0f})) * square(q)));
      adam.step();
      adam.zero_grad();
      for (int i = 0; i < 2; ++i) {
        const double want = q.value()[i];
        if (std::abs(p[i] - want) <= 1e-4 * (1 + std::abs(want))) continue;
        std::printf("Task 9.1 not done: after step %d, p%d is %.6g; Adam gives %.6g\n", t, i, p[i], want);
        if (t == 1) {  // the first step of Adam moves each coordinate by about lr, against the sign of its gradient
          const double g0 = gradient({-5.0, 1.5})[i], start = i == 0 ? -5.0 : 1.5;
          const double m1 = (1 - beta1) * g0, v1 = (1 - beta2) * g0 * g0;
          if (std::abs(p[i] - (start - lr * m1 / (std::sqrt(v1) + eps))) < 1e-9)
            std::printf("  hint: that is the step without the bias correction: divide m by (1 - beta1^t) and v by (1 - beta2^t)\n");
          else if (std::abs(p[i] - (start - lr * (m1 / (1 - beta1)) / (v1 / (1 - beta2) + eps))) < 1e-9)
            std::printf("  hint: the step divides by the square root of vhat, not vhat itself\n");
          else if (!std::isfinite(p[i]))
            std::printf("  hint: at t = 0, 1 - beta^t is 0; the first step is t = 1\n");
          else
            std::printf("  hint: the first step should move p%d by about lr = %g, against the sign of its gradient\n", i, lr);
        }
        return 1;
      }
    }
    std::printf("Task 9.1 passed: your Adam follows the library's for 30 steps, to (%.4g, %.4g)\n", p[0], p[1]);
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  return 0;
}
