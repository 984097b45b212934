// adam.cpp: Adam with bias correction (Kingma & Ba 2015, Algorithm 1):
//   m <- b1 m + (1 - b1) g            first moment (a running mean of the gradient)
//   v <- b2 v + (1 - b2) g^2          second moment (a running mean of its square)
//   p <- p - lr * mhat / (sqrt(vhat) + eps),  mhat = m / (1 - b1^t),  vhat = v / (1 - b2^t)
// The corrections undo the bias of starting m and v at zero; BiasCorrection::None leaves them out (t = 1 throughout
// below), as the semi-supervised paper's code did. Read next: adagrad.cpp.
#include <cmath>

#include "autograd/backend/parallel.h"
#include "optim/optimizer.h"

namespace tg::optim {

Adam::Adam(Parameters<float> params, float lr, float beta1, float beta2, float eps, BiasCorrection correction)
    : Optimizer(std::move(params), lr), beta1_(beta1), beta2_(beta2), eps_(eps), correction_(correction) {
  add_slot("m");
  add_slot("v");
}

void Adam::step() {
  apply_weight_decay();
  ++steps_;
  const bool corrected = correction_ == BiasCorrection::Corrected;
  const double correction1 = corrected ? 1.0 - std::pow(double(beta1_), double(steps_)) : 1.0;
  const double correction2 = corrected ? 1.0 - std::pow(double(beta2_), double(steps_)) : 1.0;
  // Fold both corrections into the step size and epsilon, leaving one divide per element:
  //   lr (m / c1) / (sqrt(v / c2) + eps) = (lr sqrt(c2) / c1) m / (sqrt(v) + eps sqrt(c2))
  const float step_size = static_cast<float>(lr_ * std::sqrt(correction2) / correction1);
  const float eps_hat = static_cast<float>(double(eps_) * std::sqrt(correction2));
  const float beta1 = beta1_, beta2 = beta2_;  // locals: the compiler can then vectorise the loop
  std::vector<Tensor<float>>& ms = slots_["m"];
  std::vector<Tensor<float>>& vs = slots_["v"];
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor<float>& g = params_[i].var.grad();
    if (!g.defined()) continue;
    float* p_ = params_[i].var.value().data();
    float* m_ = ms[i].data();
    float* v_ = vs[i].data();
    const float* g_ = g.data();
    // Captured by value and marked __restrict: four distinct arrays, so the compiler vectorises the loop.
    parallel_for(g.numel(), kElementwiseGrain, [=](int64_t begin, int64_t end) {
      float* __restrict p = p_;
      float* __restrict m = m_;
      float* __restrict v = v_;
      const float* __restrict gp = g_;
      for (int64_t j = begin; j < end; ++j) {
        m[j] = beta1 * m[j] + (1.0f - beta1) * gp[j];
        v[j] = beta2 * v[j] + (1.0f - beta2) * gp[j] * gp[j];
        p[j] -= step_size * m[j] / (std::sqrt(v[j]) + eps_hat);
      }
    });
  }
}

}  // namespace tg::optim
