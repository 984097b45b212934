// test_m2.cpp: the semi-supervised VAE — the batched unlabelled bound equals the sum over classes computed one
// class at a time; gradients of the whole loss (both likelihoods) match central differences in double; the
// balanced label sampler takes exactly count / classes per class.
#include <gtest/gtest.h>

#include <set>

#include "datasets/batches.h"
#include "models/m2.h"
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
