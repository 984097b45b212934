// 08_logistic_regression_and_xor.cpp: chapter 8 of the course (08_logistic_regression_and_xor.md). A classifier
// is chapter 7's loop with a different loss: logistic regression separates two clouds of points, cannot learn
// XOR (no line separates it), and one hidden layer of tanh units can. Run it with `make chapter 8`.
#include <cmath>
#include <cstdio>

#include "autograd/autograd.h"
#include "nn/mlp.h"

using namespace tg;

// [begin descend]
// Chapter 7's update for any list of parameters: p <- p - lr dloss/dp, then clear the gradient.
void descend(const Parameters<double>& params, double lr) {
  for (const NamedParameter<double>& named : params) {
    Var<double> p = named.var;  // a Var is a handle: this copy shares the parameter's value and gradient
    for (int64_t i = 0; i < p.value().numel(); ++i) p.value()[i] -= lr * p.grad()[i];
    p.zero_grad();
  }
}
// [end descend]

// The fraction of rows whose logit has the sign of its 0/1 label.
double accuracy(const Tensor<double>& logits, const Tensor<double>& labels) {
  int64_t right = 0;
  for (int64_t i = 0; i < logits.numel(); ++i) right += (logits[i] > 0) == (labels[i] > 0.5);
  return double(right) / double(logits.numel());
}

int main() {
  // [begin clouds]
  // Forty points in two overlapping clouds: class 0 around (-1, -1), class 1 around (1, 1), spread by normal
  // draws from the library's seeded generator (the same points on every run).
  const int64_t N = 40;
  Rng rng(1);
  Tensor<double> points(Shape{N, 2}), labels(Shape{N, 1});
  for (int64_t i = 0; i < N; ++i) {
    const double c = i % 2 == 0 ? -1.0 : 1.0;  // the class's centre, on both axes
    points.at(i, 0) = c + 1.5 * rng.normal();
    points.at(i, 1) = c + 1.5 * rng.normal();
    labels[i] = i % 2 == 0 ? 0.0 : 1.0;
  }
  // [end clouds]
  // [begin logistic]
  // Logistic regression: p(class 1 | x) = sigmoid(x w + b). The loss is the mean binary cross-entropy,
  // -[t log p + (1 - t) log(1 - p)], computed from the logit x w + b directly (stably: chapter 6).
  Var<double> w(Tensor<double>::zeros(Shape{2, 1}), true), b(Tensor<double>::scalar(0.0), true);
  for (int step = 0; step <= 300; ++step) {
    Tape<double> tape;
    Var<double> logits = matmul(Var<double>(points), w) + b;
    Var<double> loss = mean(bce_with_logits(logits, Var<double>(labels)));
    tape.backward(loss);
    if (step % 100 == 0)
      std::printf("clouds, step %3d  loss %.4f  accuracy %.3f\n", step, loss.item(), accuracy(logits.value(), labels));
    descend({{"w", w}, {"b", b}}, 0.5);
  }
  std::printf("the line: %.3f x1 %+.3f x2 %+.3f = 0\n", w.value()[0], w.value()[1], b.value()[0]);
  // [end logistic]

  // [begin xor]
  // XOR: the label is 1 when exactly one coordinate is 1. No line puts (0,1) and (1,0) on one side and (0,0)
  // and (1,1) on the other.
  const Tensor<double> xor_points = Tensor<double>::from(Shape{4, 2}, {0, 0, 0, 1, 1, 0, 1, 1});
  const Tensor<double> xor_labels = Tensor<double>::from(Shape{4, 1}, {0, 1, 1, 0});
  auto train = [&](const char* name, const auto& model, const Parameters<double>& params) {
    for (int step = 0; step <= 2000; ++step) {
      Tape<double> tape;
      Var<double> logits = model(Var<double>(xor_points));
      Var<double> loss = mean(bce_with_logits(logits, Var<double>(xor_labels)));
      tape.backward(loss);
      if (step % 1000 == 0) {
        std::printf("%-17s  step %4d  loss %.4f  p(1) for the four points:", name, step, loss.item());
        for (int64_t i = 0; i < 4; ++i) std::printf(" %.3f", 1 / (1 + std::exp(-logits.value()[i])));
        std::printf("\n");
      }
      descend(params, 0.5);
    }
  };
  // A linear model: logistic regression again.
  const nn::Linear<double> line(2, 1, rng);
  train("XOR, a line", line, line.parameters());
  // One hidden layer of four tanh units between the input and the logit.
  const nn::Mlp<double> net({2, 4, 1}, nn::Activation::Tanh, rng);
  train("XOR, 4 tanh units", net, net.parameters());
  // [end xor]
  return 0;
}
