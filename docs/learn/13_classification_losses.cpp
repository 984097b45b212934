// 13_classification_losses.cpp: chapter 13 of the course (13_classification_losses.md). The two losses of a
// classifier, derived on the page and checked here: sigmoid + binary cross-entropy, whose gradient is p - t, and
// softmax + cross-entropy, whose gradient is softmax - onehot; each against the library's op and against central
// differences in double, then the naive and the stable forms in float where the logits are large.
// Run it with `make chapter 13`.
#include <cmath>
#include <cstdio>
#include <vector>

#include "autograd/autograd.h"

using namespace tg;

// Central difference of a scalar function of one element of x (chapter 1), in double. On a copy: a Tensor is a
// handle, and `Tensor<double> y = x` would share x's numbers.
template <typename F>
double slope(const Tensor<double>& x0, int64_t i, const F& f) {
  Tensor<double> x = x0.clone();
  const double h = 1e-5, saved = x[i];
  x[i] = saved + h;
  const double plus = f(x);
  x[i] = saved - h;
  const double minus = f(x);
  return (plus - minus) / (2 * h);
}

int main() {
  // [begin binary]
  // Three logits and their 0/1 targets. The loss of one: -[t log p + (1 - t) log(1 - p)], p = sigmoid(x).
  const Tensor<double> x = Tensor<double>::from(Shape{3}, {-2.0, 0.5, 3.0});
  const Tensor<double> t = Tensor<double>::from(Shape{3}, {0.0, 1.0, 0.0});
  Var<double> logits(x.clone(), true);
  Tape<double> tape;
  tape.backward(sum(bce_with_logits(logits, Var<double>(t))));
  auto loss_of = [&](const Tensor<double>& v) {  // the formula itself, written out
    double total = 0;
    for (int64_t i = 0; i < v.numel(); ++i) {
      const double p = 1 / (1 + std::exp(-v[i]));
      total += -(t[i] * std::log(p) + (1 - t[i]) * std::log(1 - p));
    }
    return total;
  };
  std::printf("sigmoid + binary cross-entropy\n");
  for (int64_t i = 0; i < 3; ++i) {
    const double p = 1 / (1 + std::exp(-x[i]));
    std::printf("  x %5.2f  t %.0f   tape %9.6f   p - t %9.6f   central difference %9.6f\n", x[i], t[i], logits.grad()[i],
                p - t[i], slope(x, i, loss_of));
  }
  // [end binary]

  // [begin softmax]
  // One row of four class scores; the right class is 2. The loss: -log softmax(x)_y = logsumexp(x) - x_y.
  const Tensor<double> scores = Tensor<double>::from(Shape{1, 4}, {1.0, -0.5, 2.0, 0.0});
  const std::vector<int32_t> label = {2};
  Var<double> s(scores.clone(), true);
  Tape<double> tape2;
  tape2.backward(sum(cross_entropy(s, label)));
  auto ce_of = [&](const Tensor<double>& v) {
    double z = 0;
    for (int64_t k = 0; k < 4; ++k) z += std::exp(v[k]);
    return std::log(z) - v[label[0]];
  };
  double z = 0;
  for (int64_t k = 0; k < 4; ++k) z += std::exp(scores[k]);
  std::printf("softmax + cross-entropy, right class 2\n");
  for (int64_t k = 0; k < 4; ++k) {
    const double softmax = std::exp(scores[k]) / z, onehot = k == label[0] ? 1 : 0;
    std::printf("  class %lld  score %5.2f   tape %9.6f   softmax - onehot %9.6f   central difference %9.6f\n", (long long)k,
                scores[k], s.grad()[k], softmax - onehot, slope(scores, k, ce_of));
  }
  // [end softmax]

  // [begin stable]
  // In float, with logits of the size a confident classifier produces. Naive: the formulas as written.
  // Stable: the library's ops, which rearrange them (softplus(x) - t x; logsumexp with the maximum taken out).
  std::printf("in float, large logits\n");
  for (float v : {-100.0f, 100.0f}) {
    const float p = 1 / (1 + std::exp(-v));
    const float naive = -std::log(p);  // the loss for t = 1
    NoGrad no_grad;
    const float stable = bce_with_logits(Var<float>(Tensor<float>::scalar(v)), Var<float>(Tensor<float>::scalar(1.0f))).item();
    std::printf("  BCE, x %6.1f, t = 1:   naive %-10g stable %g\n", v, naive, stable);
  }
  const Tensor<float> big = Tensor<float>::from(Shape{1, 3}, {1000.0f, 998.0f, 0.0f});
  float naive_z = 0;
  for (int64_t k = 0; k < 3; ++k) naive_z += std::exp(big[k]);
  NoGrad no_grad;
  const float stable_ce = cross_entropy(Var<float>(big), std::vector<int32_t>{1}).item();
  std::printf("  cross-entropy, scores (1000, 998, 0), right class 1:   naive %g   stable %g\n", std::log(naive_z) - big[1], stable_ce);
  // [end stable]
  return 0;
}
