// linear.h: Linear(in, out), y = x W + b, and the activation functions applied between layers.
// Shapes: x (B, in), W (in, out), b (1, out) -> y (B, out). W is stored (in, out) so the forward pass is
// one gemm without a transpose. Read next: mlp.h.
#pragma once
#include <string>

#include "autograd/autograd.h"
#include "nn/init.h"
#include "autograd/parameters.h"

namespace tg::nn {

template <typename T>
class Linear {
 public:
  Linear(int64_t in, int64_t out, Rng& rng, Init init = Init::GlorotUniform)
      : weight_(Tensor<T>(Shape{in, out}), true), bias_(Tensor<T>::zeros(Shape{1, out}), true) {
    init_weights(weight_.value(), init, in, out, rng);
  }
  Var<T> operator()(const Var<T>& x) const { return linear(x, weight_, bias_); }
  /// relu(x W + b) as one op (linear_relu): what a hidden layer computes.
  Var<T> with_relu(const Var<T>& x) const { return linear_relu(x, weight_, bias_); }
  Parameters<T> parameters() const { return {{"weight", weight_}, {"bias", bias_}}; }
  int64_t in() const { return weight_.shape()[0]; }
  int64_t out() const { return weight_.shape()[1]; }

 private:
  Var<T> weight_, bias_;
};

enum class Activation { Identity, Relu, Tanh, Sigmoid, Softplus };

template <typename T>
Var<T> activate(Activation a, const Var<T>& x) {
  switch (a) {
    case Activation::Identity: return x;
    case Activation::Relu: return relu(x);
    case Activation::Tanh: return tanh(x);
    case Activation::Sigmoid: return sigmoid(x);
    case Activation::Softplus: return softplus(x);
  }
  return x;
}

/// A hidden layer, activation(x W + b): for ReLU the fused op (Linear::with_relu: one pass, no second (B, out)
/// tensor), for the others the layer then the activation. What the VAE's and M2's hidden layers compute.
template <typename T>
Var<T> hidden_layer(const Linear<T>& layer, Activation a, const Var<T>& x) {
  return a == Activation::Relu ? layer.with_relu(x) : activate(a, layer(x));
}

}  // namespace tg::nn
