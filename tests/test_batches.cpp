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
