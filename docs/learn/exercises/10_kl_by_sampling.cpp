// Exercise 10.1 (docs/learn/10_the_elbo.md): estimate the VAE's KL term by sampling, then run `make exercise 10`.
// KL(q || p) = E_q[log q(z) - log p(z)]: draw z from q, average the log-density difference. With
//   log N(z; m, s^2) = -(log(2 pi) + log s^2 + (z - m)^2 / s^2) / 2,
// q = N(mu, e^logvar) (so sigma = e^(logvar / 2)) and p = N(0, 1). The check compares your estimate with the formula
// (mu^2 + e^logvar - 1 - logvar) / 2 that the library's gaussian_kl computes.
// Your copy: edit this file. The reference solution is docs/learn/solutions/10_kl_by_sampling.cpp (try first).
#include "docs/learn/exercises/10_kl_by_sampling.h"

#include <stdexcept>

double my_kl_by_sampling(double mu, double logvar, int64_t n, tg::Rng& rng) {
  (void)mu, (void)logvar, (void)n, (void)rng;
  throw std::logic_error("Task 10.1: my_kl_by_sampling is not written yet (docs/learn/exercises/10_kl_by_sampling.cpp)");
}
