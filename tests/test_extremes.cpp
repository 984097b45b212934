// test_extremes.cpp: float32 at |x| = 100 for the numerically delicate ops. Values and gradients must be
// finite and close to their limits (e.g. softplus(100) = 100, log_sigmoid(-100) = -100), where a naive
// formula gives inf or nan. Read next: test_walkthrough.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>

#include "autograd/autograd.h"

namespace tg {
namespace {

using V = Var<float>;

// f applied to x = {-100, 100}: returns value and dL/dx for L = sum(f(x)).
struct Probe {
  std::vector<float> value, grad;
};
Probe probe(const std::function<V(const V&)>& f, std::vector<float> xs = {-100.0f, 100.0f}) {
  V x(Tensor<float>::from(Shape{1, static_cast<int64_t>(xs.size())}, xs), true);
  Tape<float> tape;
  V y = f(x);
  tape.backward(sum(y));
  return {y.value().to_vector(), x.grad().to_vector()};
}

void expect_all_finite(const Probe& p) {
  for (float v : p.value) EXPECT_TRUE(std::isfinite(v)) << v;
  for (float g : p.grad) EXPECT_TRUE(std::isfinite(g)) << g;
}

TEST(Extremes, Softplus) {
  Probe p = probe([](const V& x) { return softplus(x); });
  expect_all_finite(p);
  EXPECT_NEAR(p.value[0], 0.0f, 1e-30f);
  EXPECT_FLOAT_EQ(p.value[1], 100.0f);
  EXPECT_FLOAT_EQ(p.grad[1], 1.0f);
}

TEST(Extremes, LogSigmoid) {
  Probe p = probe([](const V& x) { return log_sigmoid(x); });
  expect_all_finite(p);
  EXPECT_FLOAT_EQ(p.value[0], -100.0f);
  EXPECT_NEAR(p.value[1], 0.0f, 1e-30f);
  EXPECT_FLOAT_EQ(p.grad[0], 1.0f);
}

TEST(Extremes, Sigmoid) {
  Probe p = probe([](const V& x) { return sigmoid(x); });
  expect_all_finite(p);
  EXPECT_FLOAT_EQ(p.value[1], 1.0f);
}

TEST(Extremes, BceWithLogits) {
  for (float t : {0.0f, 1.0f}) {
    Probe p = probe([t](const V& x) {
      return bce_with_logits(x, V(Tensor<float>::full(x.shape(), t)));
    });
    expect_all_finite(p);
    // target 1: loss(-100) = 100, loss(100) = 0; target 0: the reverse.
    EXPECT_FLOAT_EQ(p.value[t == 1.0f ? 0 : 1], 100.0f);
    EXPECT_NEAR(p.value[t == 1.0f ? 1 : 0], 0.0f, 1e-30f);
  }
}

// The evaluation's row value (no gradient kept) is bit for bit the loss op's, at ordinary and extreme logits, for
// grey and binary targets: the importance-weighted log p(x) does not move when evaluation takes the short kernel.
TEST(Extremes, BceRowValueIsTheLossRowsValue) {
  const int64_t D = 37;  // not a multiple of any vector width: the tail too
  std::vector<float> logits(D), targets(D), residual(D), scratch(D);
  for (const float scale : {0.5f, 8.f, 100.f}) {
    for (int64_t j = 0; j < D; ++j) {
      logits[j] = scale * std::sin(1.7f * float(j) + 0.3f);
      targets[j] = j % 3 == 0 ? 0.f : j % 3 == 1 ? 1.f : 0.37f;
    }
    const float full = bce_logits_row(logits.data(), targets.data(), residual.data(), scratch.data(), D);
    const float value = bce_logits_row_value(logits.data(), targets.data(), scratch.data(), D);
    EXPECT_EQ(std::memcmp(&full, &value, sizeof full), 0) << "scale " << scale << ": " << full << " vs " << value;
    EXPECT_TRUE(std::isfinite(value));
  }
}

TEST(Extremes, Logsumexp) {
  Probe p = probe([](const V& x) { return logsumexp(x, 1); }, {100.0f, 99.0f, -100.0f});
  expect_all_finite(p);
  EXPECT_NEAR(p.value[0], 100.0f + std::log1p(std::exp(-1.0f)), 1e-4f);
  // softmax sums to 1, up to float rounding of y ~ 100.3 (one ulp there is 7.6e-6)
  EXPECT_NEAR(p.grad[0] + p.grad[1] + p.grad[2], 1.0f, 1e-5f);
}

TEST(Extremes, LogSoftmaxAndCrossEntropy) {
  Probe p = probe([](const V& x) { return log_softmax(x, 1); }, {100.0f, -100.0f, 0.0f});
  expect_all_finite(p);
  EXPECT_NEAR(p.value[0], 0.0f, 1e-6f);
  Probe q = probe([](const V& x) { return cross_entropy(x, {1}); }, {100.0f, -100.0f, 0.0f});
  expect_all_finite(q);
  EXPECT_FLOAT_EQ(q.value[0], 200.0f);
}

// Large logits close together: the log-probability of the winner is tiny but not zero, and float keeps its
// digits when the max is subtracted first. Exact values from the formula in double: log_softmax({100, 89, 80})[0]
// = -log(1 + e^-11 + e^-20) = -1.670e-5 (PyTorch float32: -1.669e-5); a form x - (m + log s) gives -1.526e-5.
TEST(Extremes, LogSoftmaxKeepsTheDigitsOfAConfidentRow) {
  Probe p = probe([](const V& x) { return log_softmax(x, 1); }, {100.0f, 89.0f, 80.0f});
  const double exact = -std::log1p(std::exp(-11.0) + std::exp(-20.0));
  EXPECT_NEAR(p.value[0], exact, 1e-3 * std::abs(exact)) << p.value[0];
  EXPECT_NEAR(p.value[1], -11.0 + exact, 1e-6);
}

TEST(Extremes, CrossEntropyOfAConfidentRightAnswerIsSmallNotZero) {
  // {50, -50, 36.5}, label 0: loss log(1 + e^-100 + e^-13.5) = 1.3710e-6, and its gradient for the label is -1.3710e-6.
  Probe q = probe([](const V& x) { return cross_entropy(x, {0}); }, {50.0f, -50.0f, 36.5f});
  const double exact = std::log1p(std::exp(-100.0) + std::exp(-13.5));
  EXPECT_NEAR(q.value[0], exact, 1e-3 * exact) << q.value[0];
  EXPECT_NEAR(q.grad[0], -exact, 1e-3 * exact) << q.grad[0];
  EXPECT_NEAR(q.grad[2], std::exp(-13.5), 1e-3 * std::exp(-13.5)) << q.grad[2];
}

TEST(Extremes, NanPropagatesThroughActivations) {  // a NaN must reach the loss, where training stops on it
  for (auto f : {relu<float>, sigmoid<float>, softplus<float>, tanh<float>}) {
    NoGrad no_grad;
    V y = f(V(Tensor<float>::from(Shape{1}, {NAN})));
    EXPECT_TRUE(std::isnan(y.item()));
  }
}

TEST(Extremes, ExpOfHalfLogVariance) {  // the reparameterisation's std = e^(lv / 2)
  Probe p = probe([](const V& lv) { return exp(scale(lv, 0.5f)); });
  expect_all_finite(p);
}

TEST(Extremes, GaussianKl) {
  V mu(Tensor<float>::from(Shape{1, 2}, {100.0f, -100.0f}), true);
  V lv(Tensor<float>::from(Shape{1, 2}, {100.0f, -100.0f}), true);
  Tape<float> tape;
  V kl = gaussian_kl(mu, lv);
  tape.backward(sum(kl));
  EXPECT_TRUE(std::isfinite(kl.item()));
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(std::isfinite(mu.grad()[i]));
    EXPECT_TRUE(std::isfinite(lv.grad()[i]));
  }
  EXPECT_GT(lv.grad()[0], 0.0f);  // still pushes a huge log-variance down
  EXPECT_LT(lv.grad()[1], 0.0f);  // and a tiny one up
}

TEST(Extremes, GaussianSample) {
  V mu(Tensor<float>::zeros(Shape{1, 2}), true);
  V lv(Tensor<float>::from(Shape{1, 2}, {100.0f, -100.0f}), true);
  Tape<float> tape;
  V z = gaussian_sample(mu, lv, Tensor<float>::full(Shape{1, 2}, 1.0f));
  tape.backward(sum(z));
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(std::isfinite(z.value()[i]) && std::isfinite(lv.grad()[i]));
}

TEST(Extremes, GaussianLogDensity) {
  V x(Tensor<float>::from(Shape{1, 2}, {1.0f, 1.0f}), true);
  V mu(Tensor<float>::zeros(Shape{1, 2}), true);
  V lv(Tensor<float>::from(Shape{1, 2}, {100.0f, -100.0f}), true);
  Tape<float> tape;
  V l = gaussian_log_density(x, mu, lv);
  tape.backward(sum(l));
  EXPECT_TRUE(std::isfinite(l.item()));
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(std::isfinite(lv.grad()[i]) && std::isfinite(x.grad()[i]));
}

}  // namespace
}  // namespace tg
