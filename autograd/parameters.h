// parameters.h: what every layer and model offers — a list of its parameters by name ("encoder.0.weight").
// Optimizers take this list; checkpoints save and load by these names. A NamedParameter holds a Var
// handle, so the list shares the parameters; it does not copy them. It lives with the engine, not in nn/, so
// that optim/ needs nothing above autograd/ (as torch.optim takes tensors, not modules). Read next: ../nn/linear.h.
#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include "autograd/var.h"

namespace tg {

template <typename T>
struct NamedParameter {
  std::string name;
  Var<T> var;
};

template <typename T>
using Parameters = std::vector<NamedParameter<T>>;

/// Appends `from`'s parameters to `to`, each name prefixed with `prefix.` (how models nest layers).
template <typename T>
void append_parameters(Parameters<T>& to, const std::string& prefix, const Parameters<T>& from) {
  for (const NamedParameter<T>& p : from) to.push_back({prefix + "." + p.name, p.var});
}

/// The parameters' values, copied (the list itself shares them): a start to come back to.
template <typename T>
std::vector<Tensor<T>> copy_values(const Parameters<T>& params) {
  std::vector<Tensor<T>> values;
  for (const NamedParameter<T>& p : params) values.push_back(p.var.value().clone());
  return values;
}
/// Writes values taken by copy_values back into the same parameters, in place (optimizers keep their handles).
template <typename T>
void restore_values(const Parameters<T>& params, const std::vector<Tensor<T>>& values) {
  for (size_t i = 0; i < params.size(); ++i) {
    Tensor<T> v = params[i].var.value();
    std::copy(values[i].data(), values[i].data() + v.numel(), v.data());
  }
}

}  // namespace tg
