// test_tape.cpp: the tape's own contract — reuse, diamonds, backward twice, NoGrad, clear, and the errors
// for shape mismatches and a non-scalar loss. Read next: test_extremes.cpp.
#include <gtest/gtest.h>

#include "autograd/autograd.h"

namespace tg {
namespace {

using V = Var<float>;
V param(std::vector<float> v) { return V(Tensor<float>::from(Shape{static_cast<int64_t>(v.size())}, v), true); }

TEST(Tape, TensorUsedTwiceGetsBothContributions) {
  V x = param({3.0f});
  Tape<float> tape;
  V y = sum(mul(x, x));  // y = x^2, dy/dx = 2x = 6
  tape.backward(y);
  EXPECT_FLOAT_EQ(x.grad()[0], 6.0f);
}

TEST(Tape, DiamondGraphSumsBothPaths) {
  // a -> b = 2a, c = a^2 -> d = b * c = 2a^3; dd/da = 6a^2 = 24 at a = 2
  V a = param({2.0f});
  Tape<float> tape;
  V b = scale(a, 2.0f);
  V c = square(a);
  V d = sum(mul(b, c));
  tape.backward(d);
  EXPECT_FLOAT_EQ(d.item(), 16.0f);
  EXPECT_FLOAT_EQ(a.grad()[0], 24.0f);
}

TEST(Tape, BackwardTwiceDoublesLeafGrads) {
  V x = param({1.0f, -2.0f});
  Tape<float> tape;
  V y = sum(exp(x));
  tape.backward(y);
  const float once0 = x.grad()[0], once1 = x.grad()[1];
  tape.backward(y);
  EXPECT_FLOAT_EQ(x.grad()[0], 2 * once0);
  EXPECT_FLOAT_EQ(x.grad()[1], 2 * once1);
  EXPECT_FLOAT_EQ(once0, std::exp(1.0f));
}

TEST(Tape, NoGradRecordsNothing) {
  V x = param({1.0f});
  Tape<float> tape;
  {
    NoGrad no_grad;
    V y = exp(x);
    EXPECT_FALSE(y.requires_grad());
  }
  EXPECT_TRUE(tape.nodes().empty());
  V z = exp(x);  // recording resumes after the block
  EXPECT_EQ(tape.nodes().size(), 1u);
  EXPECT_TRUE(z.requires_grad());
}

TEST(Tape, ConstantsAreNotRecordedAndGetNoGrad) {
  V w = param({2.0f});
  V data(Tensor<float>::from(Shape{1}, {5.0f}));  // requires_grad = false
  Tape<float> tape;
  V c = exp(data);
  EXPECT_TRUE(tape.nodes().empty());
  V y = sum(mul(w, c));
  tape.backward(y);
  EXPECT_FALSE(data.grad().defined());
  EXPECT_FLOAT_EQ(w.grad()[0], std::exp(5.0f));
}

TEST(Tape, ClearDropsNodesAndParametersSurvive) {
  V w = param({1.0f, 2.0f});
  Tape<float> tape;
  for (int step = 0; step < 3; ++step) {
    V y = sum(square(w));
    tape.backward(y);
    tape.clear();
    EXPECT_TRUE(tape.nodes().empty());
  }
  EXPECT_FLOAT_EQ(w.grad()[1], 3 * 4.0f);  // three steps without zero_grad accumulate
}

TEST(Tape, NestedTapesRestoreTheOuterOne) {
  Tape<float> outer;
  {
    Tape<float> inner;
    EXPECT_EQ(Tape<float>::active(), &inner);
  }
  EXPECT_EQ(Tape<float>::active(), &outer);
}

TEST(Tape, BackwardFromNonScalarThrowsWithTheShape) {
  V x(Tensor<float>::zeros(Shape{2, 3}), true);
  Tape<float> tape;
  V y = exp(x);
  try {
    tape.backward(y);
    FAIL() << "expected an exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("(2, 3)"), std::string::npos) << e.what();
  }
}

TEST(Tape, ShapeMismatchNamesBothShapes) {
  V a(Tensor<float>::zeros(Shape{512, 784}), true);
  V b(Tensor<float>::zeros(Shape{400, 200}), true);
  try {
    matmul(a, b);
    FAIL() << "expected an exception";
  } catch (const std::invalid_argument& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("matmul"), std::string::npos) << m;
    EXPECT_NE(m.find("(512, 784)"), std::string::npos) << m;
    EXPECT_NE(m.find("(400, 200)"), std::string::npos) << m;
  }
  V c(Tensor<float>::zeros(Shape{3, 4}), true);
  V d(Tensor<float>::zeros(Shape{3, 5}), true);
  EXPECT_THROW(add(c, d), std::invalid_argument);
}

TEST(Tape, GradientOfBroadcastInputHasTheInputsShape) {
  V x(Tensor<float>::full(Shape{4, 3}, 1.0f), true);
  V bias(Tensor<float>::zeros(Shape{1, 3}), true);
  Tape<float> tape;
  tape.backward(sum(add(x, bias)));
  EXPECT_EQ(bias.grad().shape(), (Shape{1, 3}));
  EXPECT_FLOAT_EQ(bias.grad()[2], 4.0f);  // summed over the 4 rows it was broadcast to
}

TEST(Tape, ActivationsAreFreedWhenTheTapeGoes) {
  V w = param({1.0f});
  Tensor<float> kept;  // a second handle on an activation's storage, to watch who else holds it
  {
    Tape<float> tape;
    V y = exp(w);
    kept = y.value();
    EXPECT_FALSE(kept.sole_owner());  // the tape's node (and y) still hold it
    tape.backward(sum(y));
  }
  EXPECT_TRUE(kept.sole_owner());  // tape gone: nodes, closures and activations released; no cycle kept it alive
  EXPECT_EQ(Tape<float>::active(), nullptr);
  EXPECT_TRUE(w.grad().defined());  // the parameter and its gradient carry on
}

}  // namespace
}  // namespace tg

namespace tg {
namespace {

TEST(TensorMath, RepeatRowsRepeatsEachRowAndChecksItsRange) {
  const Tensor<float> t = Tensor<float>::from(Shape{3, 2}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(repeat_rows(t, 1, 2, 2).to_vector(), (std::vector<float>{3, 4, 3, 4, 5, 6, 5, 6}));
  try {
    repeat_rows(t, 2, 2, 1);
    FAIL() << "expected an exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("rows [2, 4) x 1 of a tensor of shape (3, 2)"), std::string::npos) << e.what();
  }
}

TEST(TensorMath, ArgmaxRowsTakesTheFirstOfEqualLargest) {
  const Tensor<float> t = Tensor<float>::from(Shape{3, 3}, {0.1f, 0.7f, 0.2f, 5, 5, -1, -3, -2, -1});
  EXPECT_EQ(argmax_rows(t), (std::vector<int64_t>{1, 0, 2}));
  EXPECT_TRUE(argmax_rows(Tensor<float>(Shape{0, 3})).empty());
}

TEST(Print, TensorsAndVarsWithFmt) {
  EXPECT_EQ(fmt::format("{}", Tensor<double>::scalar(2.5)), "2.5");
  EXPECT_EQ(fmt::format("{}", Tensor<float>::from(Shape{2, 3}, {1, 2, 3, 4, 5, 6})), "[[1, 2, 3], [4, 5, 6]]");
  std::vector<double> many(784);
  for (size_t i = 0; i < many.size(); ++i) many[i] = double(i);
  EXPECT_EQ(fmt::format("{}", Tensor<double>::from(Shape{784}, many)), "[0, 1, 2, ..., 781, 782, 783]");
  EXPECT_EQ(fmt::format("{}", Tensor<double>::from(Shape{392, 2}, many)), "[[0, 1], [2, 3], [4, 5], ..., [778, 779], [780, 781], [782, 783]]");
  EXPECT_EQ(fmt::format("{}", Tensor<double>()), "undefined");
  Var<double> w(Tensor<double>::from(Shape{2}, {1, 2}), true);
  EXPECT_EQ(fmt::format("{}", w), "Var([1, 2])");
  Tape<double> tape;
  tape.backward(sum(w * w));
  EXPECT_EQ(fmt::format("{:>30}", w), "      Var([1, 2], grad [2, 4])");  // width and alignment work as for strings
}

}  // namespace
}  // namespace tg
