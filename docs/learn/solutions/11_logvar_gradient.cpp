// The reference solution of exercise 11.1: the reparameterised gradient with respect to the log-variance, the
// per-sample rule that gaussian_sample's backward closure applies (autograd/ops/gaussian.h).
#include "docs/learn/exercises/11_logvar_gradient.h"

#include <cmath>

double my_logvar_gradient(double mu, double logvar, int64_t n, tg::Rng& rng) {
  const double sigma = std::exp(logvar / 2);
  double total = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double eps = rng.normal(), z = mu + sigma * eps;
    total += 2 * z * (sigma * eps / 2);  // f'(z) dz/dlogvar, with dz/dlogvar = e^(logvar / 2) eps / 2
  }
  return total / double(n);
}
