// test_nn.cpp: layers (gradients through Linear and an MLP, checked in double; the fused hidden layer against
// relu of the layer in float), initialiser ranges,
// safetensors (round trip, a file written by hand from the format's specification, corrupt files), and
// checkpoint loading into the wrong architecture.
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

std::string temp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("tapegrad-" + name + "-" + std::to_string(::getpid()))).string();
}

std::vector<Var<double>> leaves(const nn::Parameters<double>& ps) {
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
  nn::Parameters<float> ps = mlp.parameters();
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

TEST(Safetensors, RoundTripKeepsNamesShapesValuesAndMetadata) {
  io::SafeTensors f;
  Tensor<float> t = Tensor<float>::from(Shape{2, 3}, {1, 2, 3, 4, 5, -6.5f});
  f.tensors["layer.weight"] = io::to_safetensor(t);
  f.tensors["scalar"] = io::to_safetensor(Tensor<float>::scalar(7));
  f.tensors["rng"] = io::to_safetensor_u64({1, 2, UINT64_MAX});
  f.metadata["epoch"] = "12";
  const std::string path = temp_path("roundtrip.safetensors");
  io::save_safetensors(path, f);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  io::SafeTensors g = io::load_safetensors(path);
  EXPECT_EQ(io::to_float_tensor(g.tensors.at("layer.weight"), "w").to_vector(), t.to_vector());
  EXPECT_EQ(io::to_float_tensor(g.tensors.at("scalar"), "s").shape(), Shape{});
  EXPECT_EQ(io::to_u64_vector(g.tensors.at("rng"), "rng")[2], UINT64_MAX);
  EXPECT_EQ(g.metadata.at("epoch"), "12");
}

// A file assembled byte by byte from the specification (as PyTorch's safetensors.torch.save_file would
// write it), not by our encoder: N (u64 LE), JSON header, data.
TEST(Safetensors, ReadsAFileBuiltByHandFromTheSpec) {
  const std::string header =
      R"({"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"__metadata__":{"format":"pt"}})";
  std::string file(8, '\0');
  const uint64_t n = header.size();
  std::memcpy(file.data(), &n, 8);
  file += header;
  const float a = 0.5f, b[2] = {-1.0f, 3.25f};
  file.append(reinterpret_cast<const char*>(&a), 4);
  file.append(reinterpret_cast<const char*>(b), 8);
  io::SafeTensors f = io::decode_safetensors(file, "hand.safetensors");
  EXPECT_EQ(io::to_float_tensor(f.tensors.at("a"), "a").item(), 0.5f);
  EXPECT_EQ(io::to_float_tensor(f.tensors.at("b"), "b").to_vector(), (std::vector<float>{-1.0f, 3.25f}));
  EXPECT_EQ(f.metadata.at("format"), "pt");
}

TEST(Safetensors, CorruptFilesAreCleanErrors) {
  io::SafeTensors f;
  f.tensors["w"] = io::to_safetensor(Tensor<float>::from(Shape{2}, {1, 2}));
  const std::string good = io::encode_safetensors(f);
  for (size_t n = 0; n < good.size(); ++n)  // every truncation
    EXPECT_THROW(io::decode_safetensors(good.substr(0, n), "t.safetensors"), std::runtime_error) << n;
  std::string lying = good;
  lying[0] = static_cast<char>(0xff);  // header length beyond the file
  EXPECT_THROW(io::decode_safetensors(lying, "t.safetensors"), std::runtime_error);
  EXPECT_THROW(io::decode_safetensors(good + "extra", "t.safetensors"), std::runtime_error);
}

TEST(Checkpoint, LoadingIntoAnotherArchitectureListsEveryMismatch) {
  Rng rng(1);
  nn::Mlp<float> small({4, 3, 2}, nn::Activation::Relu, rng), other({4, 5, 2}, nn::Activation::Relu, rng);
  const std::string path = temp_path("arch.safetensors");
  nn::save_parameters(path, small.parameters());
  try {
    nn::load_parameters(path, other.parameters());
    FAIL() << "expected a mismatch";
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(path), std::string::npos) << m;
    EXPECT_NE(m.find("0.weight is [4, 3], expected [4, 5]"), std::string::npos) << m;
    EXPECT_NE(m.find("1.weight is [3, 2], expected [5, 2]"), std::string::npos) << m;
  }
  nn::Mlp<float> same({4, 3, 2}, nn::Activation::Relu, rng);
  nn::load_parameters(path, same.parameters());
  EXPECT_EQ(same.parameters()[0].var.value().to_vector(), small.parameters()[0].var.value().to_vector());
}

TEST(AtomicFile, ReplacesWholeAndLeavesNoTemporary) {
  const std::string path = temp_path("atomic.txt");
  io::write_file_atomically(path, "old");
  io::write_file_atomically(path, "new contents");
  EXPECT_EQ(io::read_file(path), "new contents");
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  EXPECT_THROW(io::write_file_atomically("/nonexistent-dir/x", "y"), std::runtime_error);
}

}  // namespace
}  // namespace tg
