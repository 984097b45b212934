// test_walkthrough.cpp: keeps docs/walkthrough.md true — its hand-checkable example gives the numbers it
// claims, and every `path: function` it points at exists. Read next: docs/walkthrough.md.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "autograd/autograd.h"

namespace tg {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Walkthrough, TwoLayerNetworkMatchesTheNumbersInTheDoc) {
  Var<float> x(Tensor<float>::from(Shape{1, 2}, {1, 2}));
  Var<float> W1(Tensor<float>::from(Shape{2, 2}, {1, -1, 0.5, 1}), true);
  Var<float> W2(Tensor<float>::from(Shape{2, 1}, {1, -1}), true);
  Tape<float> tape;
  Var<float> h = relu(matmul(x, W1));
  Var<float> y = matmul(h, W2);
  Var<float> loss = sum(square(y));
  tape.backward(loss);
  EXPECT_EQ(h.value().to_vector(), (std::vector<float>{2, 1}));
  EXPECT_FLOAT_EQ(loss.item(), 1.0f);
  EXPECT_EQ(W2.grad().to_vector(), (std::vector<float>{4, 2}));
  EXPECT_EQ(W1.grad().to_vector(), (std::vector<float>{2, -2, 4, -4}));
}

TEST(Walkthrough, EveryReferencedFunctionExists) {
  const std::string doc = read_text("docs/walkthrough.md");
  ASSERT_FALSE(doc.empty()) << "run the tests from the repository root";
  std::regex ref("`([A-Za-z0-9_/]+\\.(?:h|cpp)): ([A-Za-z0-9_:<>]+)`");
  int refs = 0;
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), ref); it != std::sregex_iterator(); ++it) {
    const std::string path = (*it)[1], name = (*it)[2];
    const std::string source = read_text(path);
    EXPECT_FALSE(source.empty()) << "walkthrough names a missing file: " << path;
    const std::string last = name.substr(name.rfind(':') == std::string::npos ? 0 : name.rfind(':') + 1);
    EXPECT_NE(source.find(last), std::string::npos) << "walkthrough: " << path << " has no " << last;
    ++refs;
  }
  EXPECT_GE(refs, 8);
}

}  // namespace
}  // namespace tg
