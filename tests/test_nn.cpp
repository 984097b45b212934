// test_nn.cpp: layers (gradients through Linear and an MLP, checked in double; the fused hidden layer against
// relu of the layer in float) and initialiser ranges. Files (safetensors, checkpoints, training states) are
// tested in test_safetensors.cpp and test_training_state.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "nn/checkpoint.h"
#include "nn/mlp.h"
#include "tests/gradcheck.h"

namespace tg {
namespace {

namespace fs = std::filesystem;


std::vector<Var<double>> leaves(const Parameters<double>& ps) {
  std::vector<Var<double>> v;
  for (const auto& p : ps) v.push_back(p.var);
  return v;
}

TEST(Nn, GradientsThroughLinearMatchCentralDifferences) {
  Rng rng(5);
  nn::Linear<double> layer(4, 3, rng);
  Var<double> x(Tensor<double>(Shape{5, 4}), true);
  for (int64_t i = 0; i < 20; ++i) x.value()[i] = rng.normal();
  std::vector<Var<double>> all = leaves(layer.parameters());
  all.push_back(x);
  test::GradcheckResult r = test::compare_gradients([&] { return layer(x); }, all, rng);
  EXPECT_EQ(r.elements_checked, 4 * 3 + 3 + 20);
  EXPECT_LE(r.worst_error, test::kGradcheckTolerance) << r.worst_where;
}

// The fused hidden layer must be relu(linear) exactly in what it computes — in float, at the training shapes
// where its loops run split over the pool — values and all three gradients, NaN included.
TEST(Nn, WithReluIsReluOfTheLayerInFloat) {
  Rng rng(8);
  nn::Linear<float> layer(300, 200, rng);
  Var<float> x(Tensor<float>(Shape{256, 300}), true);
  for (int64_t i = 0; i < x.value().numel(); ++i) x.value()[i] = static_cast<float>(rng.normal());
  x.value()[7] = NAN;  // row 0 of the output becomes NaN throughout
  auto run = [&](bool fused) {
    Tape<float> tape;
    Var<float> y = fused ? layer.with_relu(x) : relu(layer(x));
    Tensor<float> dy(y.shape());
    for (int64_t i = 0; i < dy.numel(); ++i) dy[i] = static_cast<float>(i % 7) - 3.0f;
    tape.backward(y, dy);
    std::vector<Tensor<float>> out = {y.value(), x.grad()};
    for (const auto& p : layer.parameters()) out.push_back(p.var.grad());
    x.zero_grad();
    for (auto p : layer.parameters()) p.var.zero_grad();
    return out;
  };
  const std::vector<Tensor<float>> fused = run(true), plain = run(false);
  for (size_t t = 0; t < fused.size(); ++t)
    for (int64_t i = 0; i < fused[t].numel(); ++i) {
      if (std::isnan(plain[t][i])) {
        ASSERT_TRUE(std::isnan(fused[t][i])) << "tensor " << t << " element " << i;
        continue;
      }
      // the bias is added before the gemm's sum in one and after it in the other: float rounding apart
      ASSERT_NEAR(fused[t][i], plain[t][i], 1e-4f * (1.0f + std::abs(plain[t][i]))) << "tensor " << t << " element " << i;
    }
  EXPECT_TRUE(std::isnan(fused[0][0]));
}

TEST(Nn, GradientsThroughMlpWithEveryActivationMatch) {
  for (nn::Activation a : {nn::Activation::Tanh, nn::Activation::Sigmoid, nn::Activation::Softplus, nn::Activation::Relu}) {
    Rng rng(6);
    nn::Mlp<double> mlp({3, 5, 4, 2}, a, rng);
    Var<double> x(Tensor<double>(Shape{4, 3}), true);
    for (int64_t i = 0; i < 12; ++i) x.value()[i] = rng.normal();
    std::vector<Var<double>> all = leaves(mlp.parameters());
    all.push_back(x);
    test::GradcheckResult r = test::compare_gradients([&] { return mlp(x); }, all, rng);
    EXPECT_LE(r.worst_error, test::kGradcheckTolerance) << static_cast<int>(a) << ": " << r.worst_where;
  }
}

TEST(Nn, ParametersAreNamedAndShared) {
  Rng rng(1);
  nn::Mlp<float> mlp({784, 400, 10}, nn::Activation::Relu, rng);
  Parameters<float> ps = mlp.parameters();
  ASSERT_EQ(ps.size(), 4u);
  EXPECT_EQ(ps[0].name, "0.weight");
  EXPECT_EQ(ps[3].name, "1.bias");
  EXPECT_EQ(ps[0].var.shape(), (Shape{784, 400}));
  ps[3].var.value()[0] = 42.0f;  // the list shares the parameters
  EXPECT_EQ(mlp.parameters()[3].var.value()[0], 42.0f);
}

TEST(Nn, InitialisersStayInTheirBoundsAndDependOnTheSeed) {
  Rng a(3), b(3), c(4);
  Tensor<float> w(Shape{100, 50}), v(Shape{100, 50}), u(Shape{100, 50});
  nn::init_weights(w, nn::Init::GlorotUniform, 100, 50, a);
  nn::init_weights(v, nn::Init::GlorotUniform, 100, 50, b);
  nn::init_weights(u, nn::Init::HeUniform, 100, 50, c);
  const float glorot = std::sqrt(6.0f / 150.0f), he = std::sqrt(6.0f / 100.0f);
  float max_w = 0, max_u = 0;
  for (int64_t i = 0; i < w.numel(); ++i) {
    max_w = std::max(max_w, std::abs(w[i]));
    max_u = std::max(max_u, std::abs(u[i]));
  }
  EXPECT_LE(max_w, glorot);
  EXPECT_GT(max_w, 0.9f * glorot);  // the range is actually used
  EXPECT_LE(max_u, he);
  EXPECT_GT(max_u, glorot);
  EXPECT_EQ(w.to_vector(), v.to_vector());
}

}  // namespace
}  // namespace tg
