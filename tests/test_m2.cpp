// test_m2.cpp: the semi-supervised VAE — the batched unlabelled bound equals the sum over classes computed one
// class at a time; gradients of the whole loss (both likelihoods) match central differences in double; the
// balanced label sampler takes exactly count / classes per class.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "datasets/batches.h"
#include "models/m2.h"
#include "models/m2_training.h"
#include "models/vae.h"
#include "tests/gradcheck.h"

namespace tg::models {
namespace {

Tensor<double> onehot_rows(int64_t B, int64_t K, int64_t y) {
  Tensor<double> t = Tensor<double>::zeros(Shape{B, K});
  for (int64_t b = 0; b < B; ++b) t.at(b, y) = 1;
  return t;
}

TEST(M2, UnlabelledBoundEqualsTheExplicitSumOverClasses) {
  for (Likelihood lik : {Likelihood::Bernoulli, Likelihood::Gaussian}) {
    Rng rng(1);
    const int64_t B = 3, D = 5, Z = 2, K = 4;
    M2<double> m(D, 6, Z, K, lik, rng);
    Tensor<double> x(Shape{B, D});
    for (int64_t i = 0; i < x.numel(); ++i) x[i] = rng.uniform();
    const Tensor<double> eps = standard_normal<double>(Shape{B * K, Z}, rng);
    NoGrad no_grad;
    const Tensor<double> batched = m.unlabelled_loss(Var<double>(x), eps).value();
    // One class at a time: L(x, y) with the noise rows b*K + y, then sum_y q(y|x) L - H(q).
    const Tensor<double> logits = m.class_logits(Var<double>(x)).value();
    for (int64_t b = 0; b < B; ++b) {
      double mx = -1e300, total = 0;
      for (int64_t y = 0; y < K; ++y) mx = std::max(mx, logits.at(b, y));
      for (int64_t y = 0; y < K; ++y) total += std::exp(logits.at(b, y) - mx);
      double u = 0;
      for (int64_t y = 0; y < K; ++y) {
        Tensor<double> xb(Shape{1, D}), eb(Shape{1, Z});
        std::copy(x.data() + b * D, x.data() + (b + 1) * D, xb.data());
        std::copy(eps.data() + (b * K + y) * Z, eps.data() + (b * K + y + 1) * Z, eb.data());
        const double l = m.labelled_loss(Var<double>(xb), onehot_rows(1, K, y), eb).item();
        const double q = std::exp(logits.at(b, y) - mx) / total;
        u += q * l + q * std::log(q);
      }
      EXPECT_NEAR(batched[b], u, 1e-10) << "row " << b;
    }
  }
}

TEST(M2, GradientsOfTheSemiSupervisedLossMatchCentralDifferences) {
  for (Likelihood lik : {Likelihood::Bernoulli, Likelihood::Gaussian}) {
    Rng rng(2);
    const int64_t D = 4, Z = 2, K = 3;
    M2<double> m(D, 5, Z, K, lik, rng);
    Tensor<double> xl(Shape{2, D}), xu(Shape{2, D});
    for (int64_t i = 0; i < xl.numel(); ++i) xl[i] = rng.uniform(), xu[i] = rng.uniform();
    const std::vector<int32_t> labels = {2, 0};
    Tensor<double> yl = Tensor<double>::zeros(Shape{2, K});
    yl.at(0, 2) = yl.at(1, 0) = 1;
    const Tensor<double> el = standard_normal<double>(Shape{2, Z}, rng), eu = standard_normal<double>(Shape{2 * K, Z}, rng);
    std::vector<Var<double>> leaves;
    for (const auto& p : m.parameters()) leaves.push_back(p.var);
    test::GradcheckResult r = test::compare_gradients(
        [&] {
          Var<double> labelled = mean(m.labelled_loss(Var<double>(xl), yl, el));
          Var<double> unlabelled = mean(m.unlabelled_loss(Var<double>(xu), eu));
          Var<double> classification = mean(cross_entropy(m.class_logits(Var<double>(xl)), labels));
          return add(add(labelled, unlabelled), scale(classification, 0.5));
        },
        leaves, rng);
    EXPECT_LE(r.worst_error, test::kGradcheckTolerance) << r.worst_where;
    EXPECT_GT(r.elements_checked, 100);
  }
}

// The paper's J^alpha with alpha = 0.1 N, as the authors' learn_yz_x_ss.py weights it: beta = 0.1 N / N_l per
// labelled example beside its L — 50 at 100 labels of 50,000, 5/3 at 3,000 — and, per step over N, the labelled
// mean L weighs N_l / N, the unlabelled mean U N_u / N, the labelled mean cross-entropy 0.1 (= N_l beta / N).
TEST(M2Objective, PaperWeightsPerLabelledExample) {
  const ObjectiveWeights a = objective_weights(Weighting::Paper, 100, 49900, 0.1);
  EXPECT_DOUBLE_EQ(a.per_labelled_example, 50.0);
  EXPECT_DOUBLE_EQ(a.labelled, 100.0 / 50000);
  EXPECT_DOUBLE_EQ(a.unlabelled, 49900.0 / 50000);
  EXPECT_DOUBLE_EQ(a.classification, 0.1);
  EXPECT_DOUBLE_EQ(a.classification / a.labelled, a.per_labelled_example);  // beta beside each labelled L
  const ObjectiveWeights b = objective_weights(Weighting::Paper, 3000, 47000, 0.1);
  EXPECT_DOUBLE_EQ(b.per_labelled_example, 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(b.classification / b.labelled, b.per_labelled_example);
  // Balanced: labelled and unlabelled means weigh alike; the cross-entropy keeps beta beside each labelled L.
  const ObjectiveWeights c = objective_weights(Weighting::Balanced, 100, 49900, 0.1);
  EXPECT_DOUBLE_EQ(c.labelled, 1.0);
  EXPECT_DOUBLE_EQ(c.unlabelled, 1.0);
  EXPECT_DOUBLE_EQ(c.classification, 50.0);
  EXPECT_THROW(objective_weights(Weighting::Paper, 0, 100, 0.1), std::invalid_argument);
  EXPECT_THROW(parse_weighting("sum"), std::invalid_argument);
}

// M1+M2's inputs: a row with a log-variance is a fresh draw mean + e^(logvar/2) eps each time it is gathered for
// training (mean and spread as asked), and exactly the mean when gathered for evaluation.
TEST(M2Features, SampledRowsHaveTheEncodersMeanAndSpread) {
  Features f;
  f.mean = Tensor<float>(Shape{2, 3});
  f.logvar = Tensor<float>(Shape{2, 3});
  for (int64_t i = 0; i < 6; ++i) f.mean[i] = float(i) - 2.f, f.logvar[i] = std::log(0.25f * float(i + 1));
  const std::vector<int64_t> idx(20000, 1);  // row 1, many times
  Rng rng(5);
  const Tensor<float> draws = f.rows(idx, &rng);
  for (int64_t d = 0; d < 3; ++d) {
    double m = 0, v = 0;
    for (int64_t r = 0; r < draws.rows(); ++r) m += draws.at(r, d) / double(draws.rows());
    for (int64_t r = 0; r < draws.rows(); ++r) v += (draws.at(r, d) - m) * (draws.at(r, d) - m) / double(draws.rows());
    EXPECT_NEAR(m, f.mean.at(1, d), 0.02) << d;
    EXPECT_NEAR(v, 0.25 * double(3 + d + 1), 0.05 * 0.25 * double(3 + d + 1)) << d;
  }
  const Tensor<float> means = f.rows(std::vector<int64_t>{1, 0});
  for (int64_t d = 0; d < 3; ++d) {
    EXPECT_EQ(means.at(0, d), f.mean.at(1, d));
    EXPECT_EQ(means.at(1, d), f.mean.at(0, d));
  }
  Features plain = f;
  plain.logvar = Tensor<float>();
  const Tensor<float> same = plain.rows(std::vector<int64_t>{1}, &rng);  // no log-variance: the data themselves
  for (int64_t d = 0; d < 3; ++d) EXPECT_EQ(same.at(0, d), f.mean.at(1, d));
}

// --zero-logvar: at the start every log-variance the model outputs is exactly 0 (the encoder's and the Gaussian
// decoder's), whatever the input, while the means it outputs are the same as without it (their columns untouched).
TEST(M2, ZeroedLogVarianceHeadsStartEveryVarianceAtOne) {
  Rng rng_a(3), rng_b(3);
  const int64_t D = 6, Z = 2, K = 3;
  M2<double> plain(D, 8, Z, K, Likelihood::Gaussian, rng_a), zeroed(D, 8, Z, K, Likelihood::Gaussian, rng_b);
  zeroed.zero_logvar_heads();
  Tensor<double> x(Shape{4, D});
  Rng data_rng(9);
  data_rng.fill_normal(x.data(), x.numel());
  for (int64_t i = 0; i < x.numel(); ++i) x[i] *= 30;  // far from the origin, as M1's codes can be
  const Tensor<double> y = onehot_rows(4, K, 1);
  const Tensor<double> out_plain = plain.decoder_output_at_mean(Var<double>(x), y), out = zeroed.decoder_output_at_mean(Var<double>(x), y);
  double plain_logvar = 0;
  for (int64_t b = 0; b < 4; ++b)
    for (int64_t j = 0; j < D; ++j) {
      EXPECT_EQ(out.at(b, D + j), 0.0) << b << " " << j;
      plain_logvar = std::max(plain_logvar, std::abs(out_plain.at(b, D + j)));
    }
  EXPECT_GT(plain_logvar, 0.1);  // without it the start is not at 0
  // The encoder's log-variance columns too (its output is not exposed), and nothing else: the mean columns are the
  // plain model's.
  for (const auto& [name, from, to] : std::vector<std::tuple<std::string, int64_t, int64_t>>{{"encoder.out", Z, 2 * Z}, {"decoder.out", D, 2 * D}})
    for (const char* part : {".weight", ".bias"}) {
      const auto find = [&](const M2<double>& m) {
        for (const auto& p : m.parameters())
          if (p.name == name + part) return p.var.value();
        ADD_FAILURE() << name << part;
        return Tensor<double>();
      };
      const Tensor<double> w = find(zeroed), w_plain = find(plain);
      for (int64_t r = 0; r < w.rows(); ++r)
        for (int64_t c = 0; c < w.cols(); ++c)
          if (c >= from && c < to) EXPECT_EQ(w.at(r, c), 0.0) << name << part;
          else EXPECT_EQ(w.at(r, c), w_plain.at(r, c)) << name << part;
    }
}

// The pixel M2 under --binarize dynamic: a training row is 0s and 1s, each pixel 1 as often as its grey level says
// (0 and 1 exactly, 0.3 and 0.75 within sampling error), drawn afresh each time; evaluation reads the grey levels.
TEST(M2Features, BinaryDrawsAreBernoulliOfTheGreyLevel) {
  Features f;
  f.mean = Tensor<float>(Shape{1, 4});
  const float grey[4] = {0.f, 0.3f, 0.75f, 1.f};
  std::copy(grey, grey + 4, f.mean.data());
  f.binary_draws = true;
  const std::vector<int64_t> idx(20000, 0);
  Rng rng(7);
  const Tensor<float> draws = f.rows(idx, &rng);
  for (int64_t d = 0; d < 4; ++d) {
    double ones = 0;
    for (int64_t r = 0; r < draws.rows(); ++r) {
      ASSERT_TRUE(draws.at(r, d) == 0.f || draws.at(r, d) == 1.f) << draws.at(r, d);
      ones += draws.at(r, d) / double(draws.rows());
    }
    EXPECT_NEAR(ones, grey[d], 0.01) << d;  // 3.5 standard errors at p = 0.5
  }
  const Tensor<float> again = f.rows(idx, &rng);  // a fresh draw, not the same one again
  EXPECT_FALSE(std::equal(again.data(), again.data() + again.numel(), draws.data()));
  const Tensor<float> evaluated = f.rows(std::vector<int64_t>{0});
  for (int64_t d = 0; d < 4; ++d) EXPECT_EQ(evaluated.at(0, d), grey[d]);
}

// The class-use gap is what it says: an M2 whose L(x, y) does not depend on y has a gap of exactly 0 (its decoder
// and encoder class weights zeroed), and the diagnostics' error and cross-entropy agree with q(y|x) computed here.
TEST(M2Diagnostics, GapIsZeroWhenTheModelIgnoresTheClass) {
  Rng rng(6);
  const int64_t D = 6, K = 3;
  M2<float> m(D, 8, 2, K, Likelihood::Bernoulli, rng);
  int zeroed = 0;
  for (const auto& p : m.parameters()) {
    Tensor<float> w = p.var.value();
    if (p.name == "encoder.hidden_y.weight") std::fill(w.data(), w.data() + w.numel(), 0.f), ++zeroed;
    if (p.name == "decoder.hidden.weight") {  // rows Z..Z+K-1 multiply onehot(y)
      for (int64_t r = 2; r < 2 + K; ++r)
        for (int64_t c = 0; c < w.cols(); ++c) w.at(r, c) = 0;
      ++zeroed;
    }
  }
  ASSERT_EQ(zeroed, 2);
  Features f;
  f.mean = Tensor<float>(Shape{7, D});
  for (int64_t i = 0; i < f.mean.numel(); ++i) f.mean[i] = float(rng.uniform());
  f.labels = {0, 1, 2, 0, 1, 2, 0};
  Rng eval(7);
  const M2Diagnostics d = diagnose_m2(m, f, 7, eval);
  EXPECT_NEAR(d.class_use_gap, 0.0, 1e-5);
  const Tensor<float> p = class_probabilities(m, f);
  double ce = 0;
  for (int64_t r = 0; r < 7; ++r) ce -= std::log(p.at(r, f.labels[r])) / 7;
  EXPECT_NEAR(d.cross_entropy, ce, 1e-6);
  EXPECT_DOUBLE_EQ(d.error, classification_error(p, f.labels));
  EXPECT_GT(d.entropy, 0.0);
  EXPECT_LE(d.entropy, std::log(3.0) + 1e-6);
}

TEST(BalancedLabels, TakesExactlyCountOverClassesFromEachClass) {
  data::Dataset d;
  d.count = 1000, d.height = 1, d.width = 1;
  d.pixels.assign(1000, 0);
  for (int i = 0; i < 1000; ++i) d.labels.push_back(static_cast<uint8_t>((i * 7) % 10));
  Rng a(3), b(3), c(4);
  const std::vector<int64_t> idx = data::balanced_label_indices(d, 100, 10, a);
  ASSERT_EQ(idx.size(), 100u);
  std::vector<int> per_class(10, 0);
  for (int64_t i : idx) ++per_class[d.labels[i]];
  for (int n : per_class) EXPECT_EQ(n, 10);
  EXPECT_EQ(std::set<int64_t>(idx.begin(), idx.end()).size(), 100u);  // distinct
  EXPECT_EQ(idx, data::balanced_label_indices(d, 100, 10, b));        // seeded
  EXPECT_NE(idx, data::balanced_label_indices(d, 100, 10, c));
  EXPECT_THROW(data::balanced_label_indices(d, 105, 10, a), std::invalid_argument);
  EXPECT_THROW(data::balanced_label_indices(d, 1000 + 10, 10, a), std::invalid_argument);
}

}  // namespace
}  // namespace tg::models
