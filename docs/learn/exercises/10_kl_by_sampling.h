// 10_kl_by_sampling.h: the function of exercise 10.1 (docs/learn/10_the_elbo.md).
#pragma once
#include <cstdint>

#include "autograd/rng.h"

/// KL(q || p) for q = N(mu, e^logvar) and p = N(0, 1), one latent variable, estimated from n samples of q: the mean
/// over z ~ q of log q(z) - log p(z). Draw each z as mu + sigma eps with eps = rng.normal().
double my_kl_by_sampling(double mu, double logvar, int64_t n, tg::Rng& rng);
