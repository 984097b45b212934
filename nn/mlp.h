// mlp.h: a sequential multi-layer perceptron built from Linear layers: sizes {784, 400, 10} means
// Linear(784, 400) -> activation -> Linear(400, 10). No activation after the last layer (it emits logits
// or Gaussian parameters; the loss decides what they mean). Parameters are named "0.weight", "0.bias", ...
// Read next: ../experiments/mnist_mlp.cpp.
#pragma once
#include <vector>

#include "nn/linear.h"

namespace tg::nn {

template <typename T>
class Mlp {
 public:
  Mlp(const std::vector<int64_t>& sizes, Activation hidden, Rng& rng, Init init = Init::GlorotUniform)
      : hidden_(hidden) {
    require(sizes.size() >= 2, "Mlp: needs at least an input and an output size, got {} sizes", sizes.size());
    for (size_t i = 0; i + 1 < sizes.size(); ++i) layers_.emplace_back(sizes[i], sizes[i + 1], rng, init);
  }
  Var<T> operator()(Var<T> x) const {
    for (size_t i = 0; i < layers_.size(); ++i) {
      x = layers_[i](x);
      if (i + 1 < layers_.size()) x = activate(hidden_, x);
    }
    return x;
  }
  int64_t outputs() const { return layers_.back().out(); }  // the last layer's size: classes, for a classifier
  Parameters<T> parameters() const {
    Parameters<T> all;
    for (size_t i = 0; i < layers_.size(); ++i) append_parameters(all, std::to_string(i), layers_[i].parameters());
    return all;
  }

 private:
  std::vector<Linear<T>> layers_;
  Activation hidden_;
};

}  // namespace tg::nn
