// optimizer.cpp: the shared parts — slots, zero_grad, and state save/load. Read next: sgd.cpp.
#include "optim/optimizer.h"

#include <cmath>

#include <fmt/format.h>

namespace tg::optim {

std::vector<Tensor<float>>& Optimizer::add_slot(const std::string& name) {
  std::vector<Tensor<float>>& slot = slots_[name];
  for (const auto& p : params_) slot.push_back(Tensor<float>::zeros(p.var.shape()));
  return slot;
}

void Optimizer::apply_weight_decay() {
  if (weight_decay_ == 0) return;
  for (auto& p : params_) {
    Tensor<float> g = p.var.grad();
    if (!g.defined()) continue;
    const float* w = p.var.value().data();
    float* gp = g.data();
    for (int64_t j = 0, n = g.numel(); j < n; ++j) gp[j] += weight_decay_ * w[j];
  }
}

void Optimizer::zero_grad() {
  for (auto& p : params_) p.var.zero_grad();
}

void Optimizer::save_state(io::SafeTensors& file, const std::string& prefix) const {
  file.tensors[prefix + ".steps"] = io::to_safetensor_u64({static_cast<uint64_t>(steps_)});
  for (const auto& [slot, tensors] : slots_)
    for (size_t i = 0; i < params_.size(); ++i)
      file.tensors[prefix + "." + slot + "." + params_[i].name] = io::to_safetensor(tensors[i]);
}

void Optimizer::load_state(const io::SafeTensors& file, const std::string& path, const std::string& prefix) {
  auto find = [&](const std::string& name) -> const io::SafeTensor& {
    auto it = file.tensors.find(name);
    if (it == file.tensors.end())
      throw std::runtime_error(fmt::format("{}: no tensor {}; expected optimizer state saved by the same optimizer", path, name));
    return it->second;
  };
  const std::vector<uint64_t> steps = io::to_u64_vector(find(prefix + ".steps"), path + ": " + prefix + ".steps");
  if (steps.size() != 1) throw std::runtime_error(fmt::format("{}: {}.steps has {} values, expected 1", path, prefix, steps.size()));
  if (steps[0] > uint64_t(1) << 53) throw std::runtime_error(fmt::format("{}: {}.steps is {}, not a plausible step count", path, prefix, steps[0]));
  for (auto& [slot, tensors] : slots_)
    for (size_t i = 0; i < params_.size(); ++i) {
      const std::string name = prefix + "." + slot + "." + params_[i].name;
      Tensor<float> t = io::to_float_tensor(find(name), path + ": " + name);
      if (t.shape() != params_[i].var.shape())
        throw std::runtime_error(fmt::format("{}: {} has shape {}, expected {}", path, name, to_string(t.shape()),
                                             to_string(params_[i].var.shape())));
      for (int64_t k = 0; k < t.numel(); ++k)
        if (!std::isfinite(t.data()[k]))
          throw std::runtime_error(fmt::format("{}: {} holds a non-finite value ({}) at element {}", path, name, t.data()[k], k));
      tensors[i] = t;
    }
  steps_ = static_cast<int64_t>(steps[0]);
}

}  // namespace tg::optim
