// init.h: weight initialisers. Each takes the Rng explicitly, so a seed fixes every parameter.
//   glorot_uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out))   (Glorot & Bengio 2010; keeps variance
//                   roughly equal forwards and backwards for tanh/sigmoid-like units)
//   he_uniform:     U(-a, a), a = sqrt(6 / fan_in)               (He et al. 2015; for ReLU units)
// Read next: linear.h.
#pragma once
#include <cmath>

#include "autograd/rng.h"
#include "autograd/tensor.h"

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

}  // namespace tg::nn
