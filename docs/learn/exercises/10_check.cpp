// The check of exercise 10.1, run by `make exercise 10` against your copy and by `make test` against the solution:
// for three posteriors q, your sampled KL against the formula the library's gaussian_kl computes, within five
// standard errors of a 200,000-sample mean (measured here from the spread of log q - log p). The usual mistakes
// (the sign, sigma taken as e^logvar) land far outside that, and each gets its own hint.
#include <cmath>
#include <cstdio>
#include <exception>
#include <numbers>

#include "autograd/autograd.h"
#include "docs/learn/exercises/10_kl_by_sampling.h"

using namespace tg;

int main() {
  const int64_t n = 200000;
  try {
    for (const auto& [mu, logvar] : {std::pair{0.5, 0.0}, std::pair{-1.0, 1.0}, std::pair{2.0, -2.0}}) {
      NoGrad no_grad;
      const double formula = gaussian_kl(Var<double>(Tensor<double>::from(Shape{1, 1}, {mu})),
                                         Var<double>(Tensor<double>::from(Shape{1, 1}, {logvar}))).item();
      // The spread of log q(z) - log p(z) under q, for the standard error of an n-sample mean.
      Rng spread_rng(7);
      double s1 = 0, s2 = 0;
      for (int64_t i = 0; i < 20000; ++i) {
        const double eps = spread_rng.normal(), z = mu + std::exp(logvar / 2) * eps;
        const double d = -(logvar + eps * eps) / 2 + z * z / 2;
        s1 += d, s2 += d * d;
      }
      const double sd = std::sqrt(s2 / 20000 - (s1 / 20000) * (s1 / 20000)), se = sd / std::sqrt(double(n));
      Rng rng(11);
      const double mine = my_kl_by_sampling(mu, logvar, n, rng);
      if (std::abs(mine - formula) <= 5 * se) continue;
      std::printf("Task 10.1 not done: for q = N(%g, e^%g) your estimate is %.5f; the formula gives %.5f (a standard error is %.5f)\n",
                  mu, logvar, mine, formula, se);
      const double wide = (mu * mu + std::exp(2 * logvar) - 1 - 2 * logvar) / 2;  // the KL if sigma were e^logvar
      if (std::abs(mine + formula) <= 5 * se)
        std::printf("  hint: the sign: KL(q || p) is the mean of log q(z) - log p(z), with z drawn from q\n");
      else if (std::abs(mine - wide) <= 0.05 * (1 + std::abs(wide)))
        std::printf("  hint: sigma is e^(logvar / 2): logvar is the log of the variance, sigma^2\n");
      else
        std::printf("  hint: draw z = mu + e^(logvar / 2) eps, and average log q(z) - log p(z) over the draws\n");
      return 1;
    }
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  std::printf("Task 10.1 passed: the sampled KL agrees with the formula for three posteriors, within five standard errors\n");
  return 0;
}
