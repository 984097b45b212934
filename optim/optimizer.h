// optimizer.h: the Optimizer interface — step() applies one update from the parameters' gradients,
// zero_grad() drops them. Per-parameter state (momentum, Adam's moments, Adagrad's sums) lives in one named
// map, so save_state/load_state can put it in a checkpoint and a resumed run continues exactly.
// Read next: adam.cpp (the update rule as math first, then the loop).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "autograd/parameters.h"

namespace tg::optim {

class Optimizer {
 public:
  Optimizer(Parameters<float> params, float lr) : params_(std::move(params)), lr_(lr) {}
  virtual ~Optimizer() = default;
  /// One update. Parameters whose grad is undefined (unused this step) are left alone.
  virtual void step() = 0;
  void zero_grad();
  int64_t steps() const { return steps_; }
  /// L2 weight decay: every step first adds wd * p to each parameter's gradient (the gradient of a Gaussian
  /// prior's -log p(theta) = ||theta||^2 / 2, scaled by wd). 0 (the default) leaves gradients alone.
  void set_weight_decay(float wd) { weight_decay_ = wd; }
  const Parameters<float>& parameters() const { return params_; }
  /// The step size of every update rule; a schedule (schedule.h) sets it before each epoch, the state carries over.
  void set_learning_rate(float lr) { lr_ = lr; }
  float learning_rate() const { return lr_; }

  void save_state(io::SafeTensors& file, const std::string& prefix = "optim") const;
  /// Restores what save_state wrote; throws naming `path` and the tensor if anything is missing or misshapen.
  void load_state(const io::SafeTensors& file, const std::string& path, const std::string& prefix = "optim");

 protected:
  /// Creates a zero-initialised state slot (one tensor per parameter, each of its parameter's shape).
  std::vector<Tensor<float>>& add_slot(const std::string& name);
  Parameters<float> params_;
  /// Adds the weight decay into the gradients; each step() calls it first.
  void apply_weight_decay();
  std::map<std::string, std::vector<Tensor<float>>> slots_;
  int64_t steps_ = 0;
  float lr_;
  float weight_decay_ = 0;
};

/// SGD with momentum (PyTorch's form):  v <- mu v + g;  p <- p - lr v   (mu = 0: plain p <- p - lr g)
class Sgd : public Optimizer {
 public:
  Sgd(Parameters<float> params, float lr, float momentum = 0.0f);
  void step() override;

 private:
  float momentum_;
};

/// Adam (Kingma & Ba 2015), bias-corrected:
///   m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  p <- p - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
/// With BiasCorrection::None, p <- p - lr m / (sqrt(v) + eps): the semi-supervised paper's code (dpkingma/nips14-ssl,
/// adam.py, eps 0), kept to measure against; its first steps are larger (about 3.2 lr for a steady gradient).
enum class BiasCorrection { Corrected, None };
class Adam : public Optimizer {
 public:
  Adam(Parameters<float> params, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f,
       BiasCorrection correction = BiasCorrection::Corrected);
  void step() override;

 private:
  float beta1_, beta2_, eps_;
  BiasCorrection correction_;
};

/// Adagrad (Duchi et al. 2011), the optimizer of the original VAE paper:
///   s <- s + g^2;  p <- p - lr g / (sqrt(s) + eps)
class Adagrad : public Optimizer {
 public:
  Adagrad(Parameters<float> params, float lr = 1e-2f, float eps = 1e-10f);
  void step() override;

 private:
  float eps_;
};

}  // namespace tg::optim
