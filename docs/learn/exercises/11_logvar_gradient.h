// 11_logvar_gradient.h: the function of exercise 11.1 (docs/learn/11_reparameterisation.md).
#pragma once
#include <cstdint>

#include "autograd/rng.h"

/// For q = N(mu, e^logvar) and f(z) = z^2: the reparameterised estimate of dG/dlogvar, G = E_q[f(z)], from n samples
/// z = mu + e^(logvar / 2) eps, eps = rng.normal(): the mean over the samples of f'(z) dz/dlogvar.
double my_logvar_gradient(double mu, double logvar, int64_t n, tg::Rng& rng);
