// init.h: weight initialisers. Each takes the Rng explicitly, so a seed fixes every parameter.
//   glorot_uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out))   (Glorot & Bengio 2010; keeps variance
//                   roughly equal forwards and backwards for tanh/sigmoid-like units)
//   he_uniform:     U(-a, a), a = sqrt(6 / fan_in)               (He et al. 2015; for ReLU units)
//   draw_all_from_normal: every parameter, weights and biases, from N(0, std^2): the 2013 and 2014 papers' code
//                   (Kingma & Welling: 0.01; Kingma et al.'s M2: 0.001)
// Read next: linear.h.
#pragma once
#include <cmath>

#include "autograd/rng.h"
#include "autograd/tensor.h"
#include "autograd/parameters.h"

namespace tg::nn {

enum class Init { GlorotUniform, HeUniform };

template <typename T>
void init_uniform(Tensor<T>& w, double limit, Rng& rng) {
  for (int64_t i = 0; i < w.numel(); ++i) w[i] = static_cast<T>((2 * rng.uniform() - 1) * limit);
}

template <typename T>
void init_weights(Tensor<T>& w, Init init, int64_t fan_in, int64_t fan_out, Rng& rng) {
  const double limit = init == Init::GlorotUniform ? std::sqrt(6.0 / double(fan_in + fan_out))
                                                   : std::sqrt(6.0 / double(fan_in));
  init_uniform(w, limit, rng);
}

template <typename T>
void draw_all_from_normal(const Parameters<T>& params, double std, Rng& rng) {
  for (const auto& p : params) {
    Tensor<T> v = p.var.value();
    rng.fill_normal(v.data(), v.numel());
    for (int64_t i = 0; i < v.numel(); ++i) v[i] *= static_cast<T>(std);
  }
}

}  // namespace tg::nn
