// test_analysis.cpp: AUC routines on hand-computed cases (ties included), each corruption's effect on a known
// image, the one-class SVM wrapper on a small case it must get right, t-SNE (perplexity calibration, clusters,
// Barnes-Hut against exact, repeatability), PCA and the embedding-quality measures.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analysis/auc.h"
#include "analysis/corruptions.h"
#include "analysis/embedding_quality.h"
#include "analysis/one_class_svm.h"
#include "analysis/pca.h"
#include "analysis/tsne.h"
#include "autograd/rng.h"

namespace tg::analysis {
namespace {

// Points built one value at a time, as rows of `dims` features.
Tensor<float> points(const std::vector<float>& values, int64_t dims) {
  return Tensor<float>::from(Shape{static_cast<int64_t>(values.size()) / dims, dims}, values);
}

TEST(Auc, RocOnAHandComputedCase) {
  // Pairs (anomaly, normal): (0.35, 0.1) yes, (0.35, 0.4) no, (0.8, 0.1) yes, (0.8, 0.4) yes -> 3/4
  EXPECT_DOUBLE_EQ(auc_roc({0.1, 0.4, 0.35, 0.8}, {false, false, true, true}), 0.75);
}

TEST(Auc, RocCountsTiesAsOneHalf) {
  // anomalies 1 and 2, normals 0 and 1: 1>0 yes, 1=1 half, 2>0 yes, 2>1 yes -> 3.5 / 4
  EXPECT_DOUBLE_EQ(auc_roc({0, 1, 1, 2}, {false, true, false, true}), 0.875);
  EXPECT_DOUBLE_EQ(auc_roc({5, 5, 5, 5}, {true, false, true, false}), 0.5);
  EXPECT_DOUBLE_EQ(auc_roc({1, 2}, {true, false}), 0.0);  // perfectly wrong
  EXPECT_THROW(auc_roc({1, 2}, {true, true}), std::invalid_argument);
}

TEST(Auc, AveragePrecisionOnHandComputedCases) {
  // Descending: 0.8 (anomaly: P 1, R 1/2), 0.4 (normal), 0.35 (anomaly: P 2/3, R 1) -> 1/2 * 1 + 1/2 * 2/3
  EXPECT_NEAR(auc_pr({0.1, 0.4, 0.35, 0.8}, {false, false, true, true}), 0.5 + 1.0 / 3, 1e-12);
  // All tied: one threshold with precision 1/2 and recall 1.
  EXPECT_DOUBLE_EQ(auc_pr({5, 5, 5, 5}, {true, false, true, false}), 0.5);
}

TEST(Auc, AverageRanksShareTies) {
  EXPECT_EQ(average_ranks({10, 20, 20, 5}), (std::vector<double>{2, 3.5, 3.5, 1}));
}

std::vector<uint8_t> ramp() {  // 28x28, pixel (y, x) = 9 x, a left-to-right ramp
  std::vector<uint8_t> img(784);
  for (int y = 0; y < 28; ++y)
    for (int x = 0; x < 28; ++x) img[y * 28 + x] = static_cast<uint8_t>(9 * x);
  return img;
}

// IDX allows any image size; a 20x28 or 28x20 image once overflowed the rotation's buffer. Every corruption
// stays inside the h x w frame (the sanitizer build checks the writes), and the rotation turns a single dot
// about the centre as a quarter turn clockwise would.
TEST(Corruptions, NonSquareImagesStayInTheirFrame) {
  for (const auto& [h, w] : {std::pair{20, 28}, std::pair{28, 20}, std::pair{1, 5}, std::pair{3, 1}}) {
    Rng rng(2);
    for (Corruption c : all_corruptions()) {
      std::vector<uint8_t> img(static_cast<size_t>(h * w) + 16, 7), other(static_cast<size_t>(h * w), 9);
      corrupt(c, img.data(), h, w, other.data(), rng);
      for (size_t i = static_cast<size_t>(h * w); i < img.size(); ++i) ASSERT_EQ(img[i], 7) << corruption_name(c) << " " << h << "x" << w;
    }
  }
  // 3 rows x 5 columns, a dot just above the centre (row 0, column 2): a clockwise quarter turn puts it just
  // right of the centre (row 1, column 3).
  std::vector<uint8_t> img(15, 0);
  img[0 * 5 + 2] = 255;
  Rng rng(1);
  corrupt(Corruption::Rotation90, img.data(), 3, 5, nullptr, rng);
  EXPECT_EQ(img[1 * 5 + 3], 255);
  EXPECT_EQ(std::count(img.begin(), img.end(), 255), 1);
}

TEST(Corruptions, EachDoesWhatItsNameSays) {
  Rng rng(1);
  std::vector<uint8_t> img = ramp(), other(784, 0);
  other[0] = 200;
  corrupt(Corruption::Inversion, img.data(), 28, 28, nullptr, rng);
  EXPECT_EQ(img[5], 255 - 45);
  img = ramp();
  corrupt(Corruption::Rotation90, img.data(), 28, 28, nullptr, rng);
  EXPECT_EQ(img[0 * 28 + 27], 0);       // the left column (0) becomes the top row
  EXPECT_EQ(img[27 * 28 + 27], 9 * 27);  // the right column becomes the bottom row... read clockwise
  EXPECT_EQ(img[5 * 28 + 27], 9 * 5);
  img = ramp();
  corrupt(Corruption::Overlay, img.data(), 28, 28, other.data(), rng);
  EXPECT_EQ(img[0], 200);
  EXPECT_EQ(img[1], 9);
  img.assign(784, 0);
  corrupt(Corruption::Occlusion, img.data(), 28, 28, nullptr, rng);
  EXPECT_EQ(std::count(img.begin(), img.end(), 255), 100);  // one 10x10 block
  img.assign(784, 128);
  corrupt(Corruption::SaltAndPepper, img.data(), 28, 28, nullptr, rng);
  const auto changed = std::count_if(img.begin(), img.end(), [](uint8_t v) { return v != 128; });
  EXPECT_GT(changed, 40);  // 10% of 784 ~ 78
  EXPECT_LT(changed, 120);
  img.assign(784, 128);
  corrupt(Corruption::GaussianNoise, img.data(), 28, 28, nullptr, rng);
  double mean = 0, var = 0;
  for (uint8_t v : img) mean += v / 784.0;
  for (uint8_t v : img) var += (v - mean) * (v - mean) / 784.0;
  // sigma 0.3 * 255 = 76.5 around 128, clipped to [0, 255] (about +-1.67 sigma): the clipped spread is ~0.86 sigma
  EXPECT_NEAR(std::sqrt(var), 0.86 * 76.5, 6);
  EXPECT_NEAR(mean, 128, 6);
  EXPECT_EQ(all_corruptions().size(), 6u);
  EXPECT_EQ(corruption_name(Corruption::SaltAndPepper), "salt_and_pepper");
}

TEST(OneClassSvm, FlagsPointsFarFromTheTrainingCloud) {
  Rng rng(2);
  std::vector<float> train;
  for (int i = 0; i < 200; ++i) train.push_back(static_cast<float>(rng.normal())), train.push_back(static_cast<float>(rng.normal()));
  OneClassSvm svm(points(train, 2), {});
  // Normal test points near the centre, anomalies on a ring of radius 6.
  std::vector<float> test;
  std::vector<bool> anomaly;
  for (int i = 0; i < 50; ++i) {
    test.push_back(static_cast<float>(0.5 * rng.normal())), test.push_back(static_cast<float>(0.5 * rng.normal()));
    anomaly.push_back(false);
    const double a = 0.1 * i;
    test.push_back(static_cast<float>(6 * std::cos(a))), test.push_back(static_cast<float>(6 * std::sin(a)));
    anomaly.push_back(true);
  }
  EXPECT_GT(auc_roc(svm.score(points(test, 2)), anomaly), 0.99);
  EXPECT_GT(svm.support_vectors(), 0);
  EXPECT_DOUBLE_EQ(svm.gamma(), 0.5);  // 1 / features
  EXPECT_THROW(OneClassSvm(points(train, 2), {.nu = 0.0, .gamma = 0}), std::invalid_argument);
  EXPECT_THROW(svm.score(points(test, 1)), std::invalid_argument);  // one feature per point, not two
}

TEST(Tsne, PerplexityCalibrationHitsTheTargetEntropy) {
  Rng rng(1);
  std::vector<double> d(200), p(200);
  for (double& v : d) v = 10 * rng.uniform();
  for (double perplexity : {5.0, 30.0, 100.0}) {
    double beta = 0;
    const double h = calibrate_row(d.data(), 200, perplexity, p.data(), &beta);
    double entropy = 0, total = 0;
    for (double q : p) entropy -= q > 0 ? q * std::log(q) : 0, total += q;
    EXPECT_NEAR(total, 1.0, 1e-12);
    EXPECT_NEAR(entropy, std::log(perplexity), 1e-4) << perplexity;  // computed independently from p
    EXPECT_NEAR(h, entropy, 1e-6);
    EXPECT_GT(beta, 0);
  }
}

// Gaussian clusters in 20-D, 80 points each, centres 10 apart with unit noise.
std::vector<float> clusters(int k, int per, int dims, std::vector<int>& labels, double spread = 10) {
  Rng rng(7);
  std::vector<float> x;
  for (int c = 0; c < k; ++c)
    for (int i = 0; i < per; ++i) {
      for (int d = 0; d < dims; ++d) x.push_back(static_cast<float>((d % k == c ? spread : 0) + rng.normal()));
      labels.push_back(c);
    }
  return x;
}

TEST(Tsne, SeparatedClustersStaySeparated) {
  std::vector<int> labels;
  const Tensor<float> x = points(clusters(4, 80, 20, labels), 20);
  const TsneResult r = tsne(x);
  EXPECT_GT(knn_accuracy(r.y, labels, 10), 0.99);
  EXPECT_GT(trustworthiness(x, r.y, 10), 0.9);
}

TEST(Tsne, BarnesHutAgreesWithTheExactMethod) {
  std::vector<int> labels;
  const Tensor<float> x = points(clusters(3, 100, 10, labels, 4), 10);
  TsneOptions o;
  o.perplexity = 20;
  o.iterations = 600;
  o.exact = true;
  const TsneResult exact = tsne(x, o);
  o.exact = false;
  const TsneResult bh = tsne(x, o);
  EXPECT_GT(exact.kl, 0);
  // Barnes-Hut keeps only 3 x perplexity neighbours and approximates far cells; the objective it reaches
  // must still be close to the exact method's.
  EXPECT_NEAR(bh.kl, exact.kl, 0.05 * exact.kl) << "exact " << exact.kl << ", Barnes-Hut " << bh.kl;
  EXPECT_GT(knn_accuracy(bh.y, labels, 10), 0.95);
}

TEST(Tsne, SameSeedAndThreadsRepeatExactly) {
  std::vector<int> labels;
  const Tensor<float> x = points(clusters(3, 60, 8, labels), 8);
  TsneOptions o;
  o.iterations = 200;
  EXPECT_EQ(tsne(x, o).y, tsne(x, o).y);
}

TEST(Pca, FindsTheDominantAxis) {
  Rng rng(3);
  std::vector<float> x;
  for (int i = 0; i < 500; ++i) {
    const double t = 5 * rng.normal();  // variance 25 along (1, 1, 0)/sqrt(2), noise 0.01 elsewhere
    x.push_back(static_cast<float>(t / std::sqrt(2.0) + 0.1 * rng.normal()));
    x.push_back(static_cast<float>(t / std::sqrt(2.0) + 0.1 * rng.normal()));
    x.push_back(static_cast<float>(3 + 0.1 * rng.normal()));
  }
  const Pca p = fit_pca(points(x, 3), 2);
  EXPECT_NEAR(std::abs(p.axes[0]), 1 / std::sqrt(2.0), 0.01);
  EXPECT_NEAR(std::abs(p.axes[2]), 0.0, 0.01);
  EXPECT_NEAR(p.variances[0], 25, 4);
  EXPECT_NEAR(p.mean[2], 3, 0.05);
  // Reconstruction from 2 components loses only the small noise.
  const Tensor<float> back = p.reconstruct(p.project(points(x, 3)));
  ASSERT_EQ(back.shape(), (Shape{500, 3}));
  double err = 0;
  for (size_t i = 0; i < x.size(); ++i) err += (back[static_cast<int64_t>(i)] - x[i]) * (back[static_cast<int64_t>(i)] - x[i]);
  EXPECT_LT(err / 500, 0.05);
}

TEST(Quality, IdentityEmbeddingIsPerfectlyTrustworthyAndShuffledIsNot) {
  Rng rng(4);
  std::vector<float> x;
  std::vector<double> y, shuffled;
  std::vector<int> labels;
  for (int i = 0; i < 200; ++i) {
    const double a = rng.normal(), b = rng.normal();
    x.push_back(static_cast<float>(a)), x.push_back(static_cast<float>(b));
    y.push_back(a), y.push_back(b);
    labels.push_back(a > 0 ? 1 : 0);
  }
  EXPECT_NEAR(trustworthiness(points(x, 2), y, 10), 1.0, 1e-6);
  for (int i = 0; i < 200; ++i) shuffled.push_back(rng.normal()), shuffled.push_back(rng.normal());
  EXPECT_LT(trustworthiness(points(x, 2), shuffled, 10), 0.7);
  EXPECT_GT(knn_accuracy(y, labels, 10), 0.9);
  EXPECT_LT(knn_accuracy(shuffled, labels, 10), 0.7);
}

}  // namespace
}  // namespace tg::analysis
