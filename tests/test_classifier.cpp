// test_classifier.cpp: models/classifier.h — the logits in chunks are the logits in one call, the counts of the
// answers put each row where its label and its largest score say, and mismatched inputs are refused.
#include <gtest/gtest.h>

#include "autograd/autograd.h"
#include "models/classifier.h"
#include "models/vae.h"  // standard_normal

namespace tg::models {
namespace {

// The confusion counts on rows whose answers are known: each row lands at (its label, its largest score), the
// diagonal is what classification_error calls right, and a label outside the classes is refused by name.
TEST(Classifier, ConfusionCountsPutEachRowAtItsLabelAndItsLargestScore) {
  const Tensor<float> p = Tensor<float>::from(Shape{5, 3}, {0.7f, 0.2f, 0.1f,   // label 0, answer 0
                                                             0.1f, 0.3f, 0.6f,   // label 1, answer 2
                                                             0.2f, 0.5f, 0.3f,   // label 1, answer 1
                                                             0.1f, 0.3f, 0.6f,   // label 1, answer 2
                                                             0.5f, 0.4f, 0.1f}); // label 2, answer 0
  const std::vector<int32_t> labels = {0, 1, 1, 1, 2};
  const std::vector<std::vector<int64_t>> c = confusion_counts(p, labels);
  EXPECT_EQ(c, (std::vector<std::vector<int64_t>>{{1, 0, 0}, {0, 1, 2}, {1, 0, 0}}));
  EXPECT_DOUBLE_EQ(classification_error(p, labels), 1.0 - double(c[0][0] + c[1][1] + c[2][2]) / 5);
  EXPECT_THROW(confusion_counts(p, {0, 1, 1, 3, 2}), std::invalid_argument);
}

// The logits of 10 rows a chunk of 3 at a time are those of one call of 10 rows, row for row, and their error is the
// error of the answers counted by hand.
TEST(Classifier, LogitsInChunksAreTheLogitsInOneCall) {
  Rng rng(3);
  const Classifier c({4, 6, 3}, nn::Activation::Relu, rng);
  const Tensor<float> x = standard_normal<float>(Shape{10, 4}, rng);
  int calls = 0;
  const auto rows = [&](int64_t first, int64_t count) {
    ++calls;
    Tensor<float> part(Shape{count, 4});
    std::copy(x.data() + first * 4, x.data() + (first + count) * 4, part.data());
    return part;
  };
  const Tensor<float> chunked = classifier_logits(c, 10, rows, 3);
  EXPECT_EQ(calls, 4);  // 3 + 3 + 3 + 1
  NoGrad no_grad;
  const Tensor<float> whole = c(Var<float>(x)).value();
  ASSERT_EQ(chunked.shape(), whole.shape());
  for (int64_t i = 0; i < whole.numel(); ++i) EXPECT_FLOAT_EQ(chunked[i], whole[i]) << "element " << i;
  const std::vector<int64_t> given = argmax_rows(whole);
  std::vector<int32_t> labels(10, 0);
  int64_t right = 0;
  for (int64_t r = 0; r < 10; ++r) labels[r] = r % 3, right += given[r] == r % 3;
  EXPECT_EQ(correct_count(chunked, labels), right);
  EXPECT_DOUBLE_EQ(classification_error(chunked, labels), double(10 - right) / 10);
  EXPECT_THROW(correct_count(chunked, std::vector<int32_t>(9, 0)), std::invalid_argument);  // 9 labels, 10 rows
}

}  // namespace
}  // namespace tg::models
