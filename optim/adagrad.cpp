// adagrad.cpp: Adagrad (Duchi, Hazan & Singer 2011), used by Kingma & Welling's original VAE experiments:
//   s <- s + g^2;  p <- p - lr g / (sqrt(s) + eps)
// Each coordinate's step shrinks with the history of its own gradients. Read next: ../nn/checkpoint.h.
#include <cmath>

#include "optim/optimizer.h"

namespace tg::optim {

Adagrad::Adagrad(Parameters<float> params, float lr, float eps)
    : Optimizer(std::move(params), lr), eps_(eps) {
  add_slot("sum_sq");
}

void Adagrad::step() {
  apply_weight_decay();
  ++steps_;
  const float lr = lr_, eps = eps_;  // locals: the compiler can then vectorise the loop
  std::vector<Tensor<float>>& sums = slots_["sum_sq"];
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor<float>& g = params_[i].var.grad();
    if (!g.defined()) continue;
    float* p = params_[i].var.value().data();
    float* s = sums[i].data();
    const float* gp = g.data();
    for (int64_t j = 0, n = g.numel(); j < n; ++j) {
      s[j] += gp[j] * gp[j];
      p[j] -= lr * gp[j] / (std::sqrt(s[j]) + eps);
    }
  }
}

}  // namespace tg::optim
