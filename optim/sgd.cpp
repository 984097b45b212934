// sgd.cpp: v <- mu v + g;  p <- p - lr v. Read next: adam.cpp.
#include "optim/optimizer.h"

namespace tg::optim {

Sgd::Sgd(Parameters<float> params, float lr, float momentum)
    : Optimizer(std::move(params), lr), momentum_(momentum) {
  if (momentum_ != 0.0f) add_slot("momentum");
}

void Sgd::step() {
  apply_weight_decay();
  ++steps_;
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor<float>& g = params_[i].var.grad();
    if (!g.defined()) continue;
    float* p = params_[i].var.value().data();
    float* v = momentum_ != 0.0f ? slots_["momentum"][i].data() : nullptr;
    for (int64_t j = 0; j < g.numel(); ++j) {
      float update = g[j];
      if (v) update = v[j] = momentum_ * v[j] + g[j];
      p[j] -= lr_ * update;
    }
  }
}

}  // namespace tg::optim
