// 15_initialisation.cpp: chapter 15 of the course (15_initialisation.md). Why the scale of the random starting
// weights matters: a stack of twenty ReLU layers, started from weights of four sizes, and the size of the
// activations and of the gradients at each depth; then what the library's He initialisation gives, measured.
// Run it with `make chapter 15`.
#include <cmath>
#include <cstdio>
#include <vector>

#include "autograd/autograd.h"
#include "nn/init.h"
#include "nn/linear.h"

using namespace tg;

// The root mean square of a tensor's entries: the typical size of an activation or a gradient.
double rms(const Tensor<double>& t) {
  double s = 0;
  for (int64_t i = 0; i < t.numel(); ++i) s += t[i] * t[i];
  return std::sqrt(s / double(t.numel()));
}

int main() {
  // [begin stack]
  // Twenty layers of 256 ReLU units on a batch of 256 inputs drawn from N(0, 1). Every weight from N(0, s^2), biases
  // zero, for four sizes s; the last layer's outputs summed give a loss, so backward reaches every layer.
  const int64_t width = 256, depth = 20;
  Rng rng(15);
  Tensor<double> x0(Shape{256, width});
  rng.fill_normal(x0.data(), x0.numel());
  const double n = double(width);
  const std::vector<std::pair<const char*, double>> scales = {
      {"s = 0.01", 0.01}, {"s = sqrt(1/n)", std::sqrt(1 / n)}, {"s = sqrt(2/n) (He)", std::sqrt(2 / n)}, {"s = 0.2", 0.2}};
  for (const auto& [name, s] : scales) {
    std::vector<Var<double>> weights;
    for (int64_t l = 0; l < depth; ++l) {
      Tensor<double> w(Shape{width, width});
      rng.fill_normal(w.data(), w.numel());
      for (int64_t i = 0; i < w.numel(); ++i) w[i] *= s;
      weights.emplace_back(w, true);
    }
    Tape<double> tape;
    Var<double> h(x0);
    std::vector<double> act;
    for (const Var<double>& w : weights) {
      h = relu(matmul(h, w));
      act.push_back(rms(h.value()));
    }
    tape.backward(sum(h));
    std::printf("%-19s activations at layer 1 / 5 / 10 / 20: %9.3g %9.3g %9.3g %9.3g   weight gradients at layer 1 / 20: %9.3g %9.3g\n",
                name, act[0], act[4], act[9], act[19], rms(weights[0].grad()), rms(weights[19].grad()));
  }
  // [end stack]

  // [begin library]
  // What nn::Linear's He-uniform start gives a 784 -> 400 layer: U(-a, a) with a = sqrt(6 / fan_in), whose
  // standard deviation is a / sqrt(3) = sqrt(2 / fan_in).
  nn::Linear<double> layer(784, 400, rng, nn::Init::HeUniform);
  const Tensor<double>& w = layer.parameters()[0].var.value();
  std::printf("nn::Linear(784, 400), He-uniform: weight std %.5f, sqrt(2/784) = %.5f\n", rms(w), std::sqrt(2.0 / 784));
  // [end library]
  return 0;
}
