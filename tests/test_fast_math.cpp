// test_fast_math.cpp: the vectorisable exp and log1p against libm (in double) on a dense grid of their
// input ranges, plus the limits bce_with_logits_rowsum and the Gaussian ops rely on.
#include <gtest/gtest.h>

#include <cmath>

#include "autograd/autograd.h"

namespace tg {
namespace {

TEST(FastMath, ExpIsWithinAFewUlpsOnItsRange) {
  double worst = 0;
  for (float x = -87.0f; x <= 88.0f; x += 0.00137f) {
    const double exact = std::exp(double(x));
    worst = std::max(worst, std::abs(fast_exp(x) - exact) / exact);
  }
  EXPECT_LT(worst, 4e-7) << "worst relative error";  // float's epsilon is 1.19e-7
  EXPECT_EQ(fast_exp(0.0f), 1.0f);
  EXPECT_GT(fast_exp(-1000.0f), 0.0f);  // clamped, never 0 or NaN
  EXPECT_LT(fast_exp(-1000.0f), 2e-38f);
  EXPECT_TRUE(std::isfinite(fast_exp(1000.0f)));  // clamped, never inf
  EXPECT_GT(fast_exp(1000.0f), 1e38f);
  EXPECT_TRUE(std::isnan(fast_exp(std::nanf(""))));
}

TEST(FastMath, Log1pIsWithinAFewUlpsOnTheUnitInterval) {
  double worst = 0;
  for (float e = 0.0f; e <= 1.0f; e += 0.000113f) {
    const double exact = std::log1p(double(e));
    if (e > 0) worst = std::max(worst, std::abs(fast_log1p_unit(e) - exact) / exact);
  }
  EXPECT_LT(worst, 4e-7);
  EXPECT_FLOAT_EQ(fast_log1p_unit(1e-30f), 1e-30f);  // tiny arguments keep their relative precision
}

// tanh against libm in double, relative error, on a dense grid across the switch between its two forms (0.3)
// and out to where it is 1 in float; the extremes keep their meaning (the sign of 0, +-inf, NaN, tiny x).
TEST(FastMath, TanhIsWithinAFewUlpsEverywhere) {
  double worst = 0, worst_at = 0;
  for (float x = -20.0f; x <= 20.0f; x += 0.000731f) {
    const double exact = std::tanh(double(x));
    if (x == 0.0f) continue;
    const double error = std::abs(fast_tanh(x) - exact) / std::abs(exact);
    if (error > worst) worst = error, worst_at = x;
  }
  for (float x = 1e-6f; x < 1.0f; x *= 1.01f) {  // small arguments, where 1 - e^-2x would have cancelled
    worst = std::max(worst, std::abs(fast_tanh(x) - std::tanh(double(x))) / std::tanh(double(x)));
    worst = std::max(worst, std::abs(fast_tanh(-x) - std::tanh(double(-x))) / std::tanh(double(x)));
  }
  EXPECT_LT(worst, 4e-7) << "worst relative error, at x = " << worst_at;
  EXPECT_EQ(fast_tanh(1e-30f), 1e-30f);
  EXPECT_TRUE(std::signbit(fast_tanh(-0.0f)));
  EXPECT_EQ(fast_tanh(0.0f), 0.0f);
  EXPECT_EQ(fast_tanh(100.0f), 1.0f);
  EXPECT_EQ(fast_tanh(-100.0f), -1.0f);
  EXPECT_EQ(fast_tanh(INFINITY), 1.0f);
  EXPECT_EQ(fast_tanh(-INFINITY), -1.0f);
  EXPECT_TRUE(std::isnan(fast_tanh(std::nanf(""))));
  // through the op, with its gradient 1 - y^2
  Var<float> x(Tensor<float>::from(Shape{3}, {-2.5f, 0.1f, 4.0f}), true);
  Tape<float> tape;
  const Var<float> y = tanh(x);
  tape.backward(sum(y));
  for (int i = 0; i < 3; ++i) {
    const double t = std::tanh(double(x.value()[i]));
    EXPECT_NEAR(y.value()[i], t, 4e-7 * std::abs(t));
    EXPECT_NEAR(x.grad()[i], 1 - t * t, 1e-6);
  }
}

// softplus and its derivative in float, through the op, against libm's stable forms in double: a dense grid of
// [-100, 100] and the extremes (+-1e30, +-inf, NaN). Below x = -87 the exp is clamped: e^-87 ~ 1.6e-38 stands
// for a smaller number, an absolute error under 2e-38.
TEST(FastMath, SoftplusAndItsGradientInFloatMatchLibm) {
  std::vector<float> xs;
  for (float x = -100.0f; x <= 100.0f; x += 0.0137f) xs.push_back(x);
  for (float x : {0.0f, -0.0f, 1e-30f, -1e-30f, 1e30f, -1e30f, INFINITY, -INFINITY}) xs.push_back(x);
  Var<float> x(Tensor<float>::from(Shape{static_cast<int64_t>(xs.size())}, xs), true);
  Tape<float> tape;
  Var<float> y = softplus(x);
  tape.backward(sum(y));
  double worst_y = 0, worst_dx = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const double v = xs[i];
    const double exact_y = std::max(v, 0.0) + std::log1p(std::exp(-std::abs(v)));
    const double exact_dx = v >= 0 ? 1 / (1 + std::exp(-v)) : std::exp(v) / (1 + std::exp(v));
    ASSERT_TRUE(std::isfinite(y.value()[i]) || std::isinf(exact_y)) << "x = " << v;
    if (std::isinf(exact_y)) EXPECT_EQ(y.value()[i], exact_y);
    else worst_y = std::max(worst_y, std::abs(y.value()[i] - exact_y) / (std::abs(exact_y) + 1e-37 / 4e-7));
    worst_dx = std::max(worst_dx, std::abs(x.grad()[i] - exact_dx) / (exact_dx + 2e-38 / 4e-7));
  }
  EXPECT_LT(worst_y, 4e-7);
  EXPECT_LT(worst_dx, 4e-7);
  NoGrad no_grad;
  EXPECT_TRUE(std::isnan(softplus(Var<float>(Tensor<float>::scalar(NAN))).item()));
  EXPECT_FLOAT_EQ(softplus(Var<float>(Tensor<float>::scalar(-100.0f))).item() + 1.0f, 1.0f);  // e^-100, not 0 - 100
  EXPECT_FLOAT_EQ(softplus(Var<float>(Tensor<float>::scalar(100.0f))).item(), 100.0f);
}

TEST(FastMath, RowsumBceMatchesTheElementwiseOpInFloat) {
  Tensor<float> x(Shape{3, 50}), t(Shape{3, 50});
  Rng rng(1);
  for (int64_t i = 0; i < x.numel(); ++i) x[i] = static_cast<float>(30 * rng.normal()), t[i] = rng.uniform() < 0.5f;
  NoGrad no_grad;
  const Tensor<float> fused = bce_with_logits_rowsum(Var<float>(x), Var<float>(t)).value();
  const Tensor<float> plain = sum(bce_with_logits(Var<float>(x), Var<float>(t)), 1).value();
  for (int b = 0; b < 3; ++b) EXPECT_NEAR(fused[b], plain[b], 1e-5 * std::abs(plain[b]) + 1e-4);
}

// The fused op's backward in float (the fast sigmoid inside it) against the elementwise op's, over logits from
// -30 to 30 with fractional targets too: the gradient is sigmoid(x) - t, and both must give it to float rounding.
TEST(FastMath, RowsumBceGradientMatchesTheElementwiseOpInFloat) {
  Tensor<float> x(Shape{4, 64}), t(Shape{4, 64}), w(Shape{4});
  Rng rng(2);
  for (int64_t i = 0; i < x.numel(); ++i) x[i] = static_cast<float>(60 * rng.uniform() - 30), t[i] = static_cast<float>(rng.uniform());
  for (int64_t b = 0; b < 4; ++b) w[b] = static_cast<float>(rng.normal());  // an upstream gradient per row
  auto gradient = [&](bool fused) {
    Var<float> logits(x.clone(), true), targets(t.clone(), true);
    Tape<float> tape;
    const Var<float> rows = fused ? bce_with_logits_rowsum(logits, targets) : sum(bce_with_logits(logits, targets), 1);
    tape.backward(rows, w);
    return std::pair{logits.grad().clone(), targets.grad().clone()};
  };
  const auto [fused_dx, fused_dt] = gradient(true);
  const auto [plain_dx, plain_dt] = gradient(false);
  for (int64_t i = 0; i < x.numel(); ++i) {
    EXPECT_NEAR(fused_dx[i], plain_dx[i], 2e-6f * (1 + std::abs(plain_dx[i]))) << "d/dlogit at " << i << ", x = " << x[i];
    EXPECT_NEAR(fused_dt[i], plain_dt[i], 2e-6f * (1 + std::abs(plain_dt[i]))) << "d/dtarget at " << i << ", x = " << x[i];
  }
}

// The IWAE bound's form, k logit rows per target row, reads each target k times instead of a k-fold copy: the same
// bits as the copy for the values and the logits' gradient, and the targets' gradient is the copy's summed over
// its k rows.
TEST(FastMath, RowsumBceWithKSamplesPerTargetIsTheRepeatedTargetsOp) {
  const int64_t B = 3, k = 4, D = 37;
  Tensor<float> x(Shape{B * k, D}), t(Shape{B, D}), w(Shape{B * k});
  Rng rng(3);
  for (int64_t i = 0; i < x.numel(); ++i) x[i] = static_cast<float>(10 * rng.normal());
  for (int64_t i = 0; i < t.numel(); ++i) t[i] = rng.uniform() < 0.5f;
  for (int64_t r = 0; r < B * k; ++r) w[r] = static_cast<float>(rng.normal());
  Tensor<float> t_copies(Shape{B * k, D});  // row r is target row r / k
  for (int64_t r = 0; r < B * k; ++r) std::copy(t.data() + (r / k) * D, t.data() + (r / k + 1) * D, t_copies.data() + r * D);
  auto run = [&](const Tensor<float>& targets) {
    Var<float> logits(x.clone(), true), tv(targets.clone(), true);
    Tape<float> tape;
    const Var<float> rows = bce_with_logits_rowsum(logits, tv);
    tape.backward(rows, w);
    return std::tuple{rows.value().clone(), logits.grad().clone(), tv.grad().clone()};
  };
  const auto [y_k, dx_k, dt_k] = run(t);
  const auto [y_copy, dx_copy, dt_copy] = run(t_copies);
  for (int64_t r = 0; r < B * k; ++r) EXPECT_EQ(y_k[r], y_copy[r]) << "row " << r;
  for (int64_t i = 0; i < x.numel(); ++i) EXPECT_EQ(dx_k[i], dx_copy[i]) << "d/dlogit " << i;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t d = 0; d < D; ++d) {
      float summed = 0;
      for (int64_t j = 0; j < k; ++j) summed += dt_copy[(b * k + j) * D + d];
      EXPECT_FLOAT_EQ(dt_k[b * D + d], summed) << "d/dtarget (" << b << ", " << d << ")";
    }
  EXPECT_THROW(bce_with_logits_rowsum(Var<float>(x), Var<float>(Tensor<float>(Shape{5, D}))), std::invalid_argument);  // 12 rows, 5 targets
}

}  // namespace
}  // namespace tg
