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

TEST(FastMath, RowsumBceMatchesTheElementwiseOpInFloat) {
  Tensor<float> x(Shape{3, 50}), t(Shape{3, 50});
  Rng rng(1);
  for (int64_t i = 0; i < x.numel(); ++i) x[i] = static_cast<float>(30 * rng.normal()), t[i] = rng.uniform() < 0.5f;
  NoGrad no_grad;
  const Tensor<float> fused = bce_with_logits_rowsum(Var<float>(x), Var<float>(t)).value();
  const Tensor<float> plain = sum(bce_with_logits(Var<float>(x), Var<float>(t)), 1).value();
  for (int b = 0; b < 3; ++b) EXPECT_NEAR(fused[b], plain[b], 1e-5 * std::abs(plain[b]) + 1e-4);
}

}  // namespace
}  // namespace tg
