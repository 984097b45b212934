// The check of exercise 11.1, run by `make exercise 11` against your copy and by `make test` against the solution:
// your estimate of dG/dlogvar for G = E_q[z^2] = mu^2 + e^logvar against the exact e^logvar, for three q, within
// five standard errors of a 200,000-sample mean; then the same gradient from the library's gaussian_sample on the
// tape, the op the VAE uses. A factor of 2 too large (a missing 1/2) or sigma taken as e^logvar get hints.
#include <cmath>
#include <cstdio>
#include <exception>

#include "autograd/autograd.h"
#include "docs/learn/exercises/11_logvar_gradient.h"

using namespace tg;

int main() {
  const int64_t n = 200000;
  try {
    for (const auto& [mu, logvar] : {std::pair{0.5, 0.0}, std::pair{-1.0, 1.0}, std::pair{2.0, -1.5}}) {
      const double exact = std::exp(logvar), sigma = std::exp(logvar / 2);
      // One sample's spread, for the standard error: each sample is z sigma eps = (mu + sigma eps) sigma eps.
      const double sd = std::sqrt(mu * mu * sigma * sigma + 2 * sigma * sigma * sigma * sigma), se = sd / std::sqrt(double(n));
      Rng rng(13);
      const double mine = my_logvar_gradient(mu, logvar, n, rng);
      if (std::abs(mine - exact) <= 5 * se) continue;
      std::printf("Task 11.1 not done: for q = N(%g, e^%g) your estimate is %.5f; exactly dG/dlogvar = e^logvar = %.5f "
                  "(a standard error is %.5f)\n", mu, logvar, mine, exact, se);
      if (std::abs(mine - 2 * exact) <= 10 * se)
        std::printf("  hint: twice the answer: the derivative of e^(logvar / 2) is e^(logvar / 2) / 2\n");
      else if (std::abs(mine - 2 * std::exp(2 * logvar)) <= 0.05 * (1 + 2 * std::exp(2 * logvar)))
        std::printf("  hint: sigma is e^(logvar / 2), not e^logvar\n");
      return 1;
    }
    // The library does the same per sample in gaussian_sample's backward; one pass over 200,000 samples on the tape.
    Rng rng(17);
    Tensor<double> eps(Shape{n, 1});
    rng.fill_normal(eps.data(), n);
    Var<double> mu(Tensor<double>::full(Shape{n, 1}, 0.5), true), lv(Tensor<double>::full(Shape{n, 1}, 0.0), true);
    Tape<double> tape;
    tape.backward(mean(square(gaussian_sample(mu, lv, eps))));
    double by_tape = 0;
    for (int64_t i = 0; i < n; ++i) by_tape += lv.grad()[i];
    std::printf("Task 11.1 passed: your estimates agree with e^logvar for three q; gaussian_sample on the tape gives %.4f "
                "for q = N(0.5, e^0), where the exact value is 1\n", by_tape);
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  return 0;
}
