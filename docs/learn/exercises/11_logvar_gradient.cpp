// Exercise 11.1 (docs/learn/11_reparameterisation.md): the chapter moved mu; a VAE's encoder also sets the variance,
// through logvar. Write the reparameterised gradient with respect to logvar, then run `make exercise 11`.
// With z = mu + e^(logvar / 2) eps, the chain rule gives df/dlogvar = f'(z) dz/dlogvar, and dz/dlogvar is the
// derivative of e^(logvar / 2) eps with respect to logvar. Here f(z) = z^2, so f'(z) = 2 z. Exactly,
// G = E_q[z^2] = mu^2 + e^logvar, so the check knows the answer: dG/dlogvar = e^logvar.
// Your copy: edit this file. The reference solution is docs/learn/solutions/11_logvar_gradient.cpp (try first).
#include "docs/learn/exercises/11_logvar_gradient.h"

#include <stdexcept>

double my_logvar_gradient(double mu, double logvar, int64_t n, tg::Rng& rng) {
  (void)mu, (void)logvar, (void)n, (void)rng;
  throw std::logic_error("Task 11.1: my_logvar_gradient is not written yet (docs/learn/exercises/11_logvar_gradient.cpp)");
}
