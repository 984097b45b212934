// The reference solution of exercise 10.1: the KL term as an average over samples of q.
#include "docs/learn/exercises/10_kl_by_sampling.h"

#include <cmath>
#include <numbers>

double my_kl_by_sampling(double mu, double logvar, int64_t n, tg::Rng& rng) {
  const double sigma = std::exp(logvar / 2), log_2pi = std::log(2 * std::numbers::pi);
  double total = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double z = mu + sigma * rng.normal();
    const double log_q = -(log_2pi + logvar + (z - mu) * (z - mu) / std::exp(logvar)) / 2;
    const double log_p = -(log_2pi + z * z) / 2;
    total += log_q - log_p;
  }
  return total / double(n);
}
