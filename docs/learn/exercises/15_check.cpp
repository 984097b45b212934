// The check of exercise 15.1, run by `make exercise 15` against your copy and by `make test` against the solution:
// the chapter's stack of ReLU layers (256 units, inputs from N(0, 1)) run to layer 5 for four weight sizes s, and the
// activations' root mean square there against your prediction sqrt(gain^5). One random stack differs from the
// expectation by a little; the check allows a factor of 1.35, and the usual mistakes (no 1/2 for the ReLU, s for
// s^2) miss by far more.
#include <cmath>
#include <cstdio>
#include <exception>

#include "autograd/autograd.h"
#include "docs/learn/exercises/15_relu_gain.h"

using namespace tg;

int main() {
  const int64_t n = 256;
  try {
    for (double s : {0.01, std::sqrt(1.0 / n), std::sqrt(2.0 / n), 0.2}) {
      Rng rng(15);
      Tensor<double> h(Shape{256, n});
      rng.fill_normal(h.data(), h.numel());
      NoGrad no_grad;
      for (int layer = 0; layer < 5; ++layer) {
        Tensor<double> w(Shape{n, n});
        rng.fill_normal(w.data(), w.numel());
        for (int64_t i = 0; i < w.numel(); ++i) w[i] *= s;
        h = relu(matmul(Var<double>(h), Var<double>(w))).value();
      }
      double ms = 0;
      for (int64_t i = 0; i < h.numel(); ++i) ms += h[i] * h[i] / double(h.numel());
      const double measured = std::sqrt(ms), gain = my_relu_gain(s, n), predicted = std::sqrt(std::pow(gain, 5));
      if (predicted > measured / 1.35 && predicted < measured * 1.35) continue;
      std::printf("Task 15.1 not done: for s = %.4g your gain %.4g predicts activations of %.4g at layer 5; the stack has %.4g\n",
                  s, gain, predicted, measured);
      if (std::abs(gain - double(n) * s * s) < 1e-12 * (1 + gain))
        std::printf("  hint: the ReLU sets every negative a to 0, half of them: the mean square keeps half\n");
      else if (std::abs(gain - double(n) * s / 2) < 1e-12 * (1 + gain))
        std::printf("  hint: E[w^2] is s^2, the variance, not s\n");
      return 1;
    }
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  std::printf("Task 15.1 passed: your gain predicts the activations at layer 5 for all four sizes; it is 1 at s = sqrt(2/n)\n");
  return 0;
}
