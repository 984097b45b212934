// test_batches.cpp: seeded shuffling and batch gathering (scaling, binarisation, labels), and the Rng.
#include <gtest/gtest.h>

#include <algorithm>

#include "datasets/batches.h"

namespace tg::data {
namespace {

Dataset tiny() {
  Dataset d;
  d.count = 4;
  d.height = 1;
  d.width = 3;
  d.pixels = {0, 255, 128, 10, 20, 30, 40, 50, 60, 255, 255, 0};
  d.labels = {3, 1, 4, 1};
  return d;
}

TEST(Batches, ShuffleIsASeededPermutation) {
  Rng a(1), b(1), c(2);
  std::vector<int64_t> p = shuffled_indices(1000, a), q = shuffled_indices(1000, b), r = shuffled_indices(1000, c);
  EXPECT_EQ(p, q);
  EXPECT_NE(p, r);
  std::sort(r.begin(), r.end());
  EXPECT_EQ(r, identity_order(1000));
}

TEST(Batches, GatherScalesToUnitIntervalAndKeepsLabels) {
  Dataset d = tiny();
  std::vector<int64_t> order = {2, 0};
  Tensor<float> x;
  std::vector<int32_t> labels;
  gather(d, order, x, &labels);
  EXPECT_EQ(x.shape(), (Shape{2, 3}));
  EXPECT_FLOAT_EQ(x.at(0, 0), 40.0f / 255.0f);
  EXPECT_FLOAT_EQ(x.at(1, 1), 1.0f);
  EXPECT_EQ(labels, (std::vector<int32_t>{4, 3}));
}

TEST(Batches, ThresholdAndDynamicBinarisation) {
  Dataset d = tiny();
  std::vector<int64_t> order = {0};
  Tensor<float> x;
  gather(d, order, x, nullptr, Binarize::Threshold);
  EXPECT_EQ(x.to_vector(), (std::vector<float>{0, 1, 1}));
  // Dynamic: pixel 255 is always 1, pixel 0 always 0, pixel 128 about half the time.
  Rng rng(3);
  int ones = 0;
  for (int i = 0; i < 2000; ++i) {
    gather(d, order, x, nullptr, Binarize::Dynamic, &rng);
    EXPECT_EQ(x[0], 0.0f);
    EXPECT_EQ(x[1], 1.0f);
    ones += x[2] == 1.0f;
  }
  EXPECT_NEAR(ones / 2000.0, 128.0 / 255.0, 0.04);
  EXPECT_THROW(gather(d, order, x, nullptr, Binarize::Dynamic, nullptr), std::invalid_argument);
}

// The binarised test images every run is scored on do not depend on how many images the run held out for
// validation (VALID_SIZE=400 once drew them from another place in the stream), and --test-draw N gives another
// Bernoulli draw of the same grey levels.
Dataset grey_images(int64_t count) {
  Dataset d;
  d.count = count;
  d.height = 1;
  d.width = 50;
  for (int64_t i = 0; i < count * d.width; ++i) d.pixels.push_back(static_cast<uint8_t>(i * 37 % 256));
  d.labels.assign(static_cast<size_t>(count), 0);
  return d;
}
TEST(Batches, TheBinarisedTestImagesDoNotDependOnTheValidationSize) {
  Dataset valid_small = grey_images(3), valid_large = grey_images(40), test_a = grey_images(20), test_b = test_a;
  binarize_for_evaluation(valid_small, test_a);
  binarize_for_evaluation(valid_large, test_b);
  EXPECT_EQ(test_a.pixels, test_b.pixels);
  Dataset valid_again = grey_images(3), redrawn = grey_images(20), redrawn_again = grey_images(20);
  binarize_for_evaluation(valid_again, redrawn, 1);
  EXPECT_EQ(valid_again.pixels, valid_small.pixels);  // the validation images keep their one draw
  EXPECT_NE(redrawn.pixels, test_a.pixels);
  Dataset valid_3 = grey_images(3);
  binarize_for_evaluation(valid_3, redrawn_again, 1);
  EXPECT_EQ(redrawn.pixels, redrawn_again.pixels);  // a draw is a draw: the same N, the same images
  const Dataset grey = grey_images(20);
  int64_t ones = 0;
  for (size_t i = 0; i < grey.pixels.size(); ++i) {
    ASSERT_TRUE(redrawn.pixels[i] == 0 || redrawn.pixels[i] == 255);
    if (grey.pixels[i] == 0) {
      EXPECT_EQ(redrawn.pixels[i], 0);
    }
    if (grey.pixels[i] == 255) {
      EXPECT_EQ(redrawn.pixels[i], 255);
    }
    ones += redrawn.pixels[i] == 255;
  }
  double expected = 0;  // the mean grey level, which the share of ones should match
  for (uint8_t p : grey.pixels) expected += p / 255.0;
  EXPECT_NEAR(static_cast<double>(ones) / grey.pixels.size(), expected / grey.pixels.size(), 0.05);
}

TEST(Batches, LastBatchIsShort) {
  std::vector<int64_t> order = identity_order(10);
  EXPECT_EQ(batch_at(order, 8, 4).size(), 2u);
  EXPECT_EQ(batch_at(order, 0, 4).size(), 4u);
}

TEST(Rng, NormalHasUnitMomentsAndStateRoundTrips) {
  Rng rng(11);
  double s = 0, s2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    s += z;
    s2 += z * z;
  }
  EXPECT_NEAR(s / n, 0.0, 0.01);
  EXPECT_NEAR(s2 / n, 1.0, 0.01);
  rng.normal();  // leave a spare in the state
  Rng copy(0);
  copy.set_state(rng.state());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(copy.normal(), rng.normal());
}

}  // namespace
}  // namespace tg::data
