// module.h: what every layer and model offers — a list of its parameters by name ("encoder.0.weight").
// Optimizers take this list; checkpoints save and load by these names. A NamedParameter holds a Var
// handle, so the list shares the parameters; it does not copy them. Read next: linear.h.
#pragma once
#include <string>
#include <vector>

#include "autograd/var.h"

namespace tg::nn {

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

}  // namespace tg::nn
