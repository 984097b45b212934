// test_vae.cpp: the VAE's loss on a case computed by hand, its gradients (all parameters, in double), and the
// importance-weighted estimator on a linear-Gaussian model whose log p(x) is known in closed form.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "models/importance_sampling.h"
#include "models/vae.h"
#include "models/vae_training.h"
#include "tests/gradcheck.h"

namespace tg::models {
namespace {

TEST(Vae, NegElboMatchesAHandComputedCase) {
  // D = 2, H = 1, Z = 1. All weights 0; encoder output bias (mu, logvar) = (0.5, 0); decoder output bias (0, 2).
  // eps = 1: z = 0.5 + e^0 * 1 = 1.5; decoder hidden = relu(0) = 0, so logits = (0, 2); x = (1, 0).
  //   -log p(x|z) = softplus(0) - 1*0 + softplus(2) - 0*2 = log 2 + log(1 + e^2) = 0.693147 + 2.126928 = 2.820075
  //   KL = (0.5^2 + e^0 - 1 - 0) / 2 = 0.125;   -ELBO = 2.945075
  Rng rng(1);
  Vae<double> vae(2, 1, 1, rng);
  for (auto& p : vae.parameters()) std::fill(p.var.value().data(), p.var.value().data() + p.var.value().numel(), 0.0);
  Parameters<double> ps = vae.parameters();
  auto find = [&](const std::string& name) -> Tensor<double>& {
    for (auto& p : ps)
      if (p.name == name) return p.var.value();
    throw std::runtime_error("no parameter " + name);
  };
  find("encoder.out.bias")[0] = 0.5;
  find("decoder.out.bias")[1] = 2.0;
  Var<double> x(Tensor<double>::from(Shape{1, 2}, {1, 0}));
  auto out = vae.neg_elbo(x, Tensor<double>::from(Shape{1, 1}, {1.0}));
  EXPECT_NEAR(out.reconstruction.item(), 2.820075191602918, 1e-12);
  EXPECT_NEAR(out.kl.item(), 0.125, 1e-12);
  EXPECT_NEAR(out.loss.item(), 2.945075191602918, 1e-12);
}

// A batch of 4 random 6-pixel images and the noise for a 3-dimensional latent, drawn from rng in that order.
struct Batch {
  Tensor<double> x, eps;
};
Batch random_batch(Rng& rng) {
  Tensor<double> x(Shape{4, 6});
  for (int64_t i = 0; i < x.numel(); ++i) x[i] = rng.uniform();
  return {x, standard_normal<double>(Shape{4, 3}, rng)};
}

// The -ELBO (its KL term weighted by kl_weight) of a random batch through a (6, 5, 3) model, checked against
// central differences for every parameter.
test::GradcheckResult check_whole_model(const Vae<double>& vae, Rng& rng, double kl_weight = 1) {
  const Batch b = random_batch(rng);
  std::vector<Var<double>> leaves;
  for (const auto& p : vae.parameters()) leaves.push_back(p.var);
  return test::compare_gradients([&] { return vae.neg_elbo(Var<double>(b.x), b.eps, kl_weight).loss; }, leaves, rng);
}

TEST(Vae, GradientsOfTheWholeModelMatchCentralDifferences) {
  Rng rng(2);
  Vae<double> vae(6, 5, 3, rng);
  test::GradcheckResult r = check_whole_model(vae, rng);
  EXPECT_EQ(r.elements_checked, 6 * 5 + 5 + 5 * 6 + 6 + 3 * 5 + 5 + 5 * 6 + 6);
  EXPECT_LE(r.worst_error, test::kGradcheckTolerance) << r.worst_where;
}

// KL warm-up: the loss with the KL term weighted, its parts reported unweighted, and its gradient checked.
TEST(Vae, AWeightedKlTermForWarmUp) {
  Rng rng(12);
  Vae<double> vae(6, 5, 3, rng);
  const Batch batch = random_batch(rng);
  const auto full = vae.neg_elbo(Var<double>(batch.x), batch.eps), warm = vae.neg_elbo(Var<double>(batch.x), batch.eps, 0.25);
  double rec = 0, kl = 0;
  for (int64_t b = 0; b < 4; ++b) rec += warm.reconstruction.value()[b] / 4, kl += warm.kl.value()[b] / 4;
  EXPECT_GT(kl, 0.01);
  EXPECT_NEAR(warm.loss.value()[0], rec + 0.25 * kl, 1e-12);
  EXPECT_NEAR(full.loss.value()[0], rec + kl, 1e-12);
  const test::GradcheckResult r = check_whole_model(vae, rng, 0.25);
  EXPECT_LE(r.worst_error, test::kGradcheckTolerance) << r.worst_where;
}

TEST(Vae, TanhHiddenUnitsGradientsMatchCentralDifferences) {  // Kingma & Welling (2013)'s units
  Rng rng(4);
  Vae<double> vae(6, 5, 3, rng, 1, nn::Activation::Tanh);
  test::GradcheckResult r = check_whole_model(vae, rng);
  EXPECT_LE(r.worst_error, test::kGradcheckTolerance) << r.worst_where;
  // and the hidden layer really is tanh: its output lies in (-1, 1) where relu's would exceed 1
  Vae<double> relu_vae(6, 5, 3, rng);
  Tensor<double> big = Tensor<double>::zeros(Shape{1, 6});
  for (int64_t i = 0; i < 6; ++i) big[i] = 50;
  EXPECT_NE(vae.encode(Var<double>(big)).mu.value().to_vector(), relu_vae.encode(Var<double>(big)).mu.value().to_vector());
}

TEST(Vae, TwoHiddenLayersGradientsAndNames) {  // the M1 model of the semi-supervised experiment
  Rng rng(3);
  Vae<double> vae(6, 4, 2, rng, 2);
  std::vector<std::string> names;
  std::vector<Var<double>> leaves;
  for (const auto& p : vae.parameters()) names.push_back(p.name), leaves.push_back(p.var);
  // Biases start at exactly 0: a unit whose inputs are all 0 would then sit on ReLU's kink, where central
  // differences are meaningless. Move them off it.
  for (auto p : vae.parameters())  // a copy of the handle; it shares the model's storage
    if (p.name.ends_with(".bias"))
      for (int64_t i = 0; i < p.var.value().numel(); ++i) p.var.value()[i] = 0.05 + 0.1 * rng.uniform();
  const std::vector<std::string> expected = {"encoder.hidden.weight", "encoder.hidden.bias", "encoder.hidden2.weight",
                                             "encoder.hidden2.bias", "encoder.out.weight", "encoder.out.bias",
                                             "decoder.hidden.weight", "decoder.hidden.bias", "decoder.hidden2.weight",
                                             "decoder.hidden2.bias", "decoder.out.weight", "decoder.out.bias"};
  EXPECT_EQ(names, expected);
  Tensor<double> x(Shape{3, 6});
  for (int64_t i = 0; i < x.numel(); ++i) x[i] = rng.uniform();
  const Tensor<double> eps = standard_normal<double>(Shape{3, 2}, rng);
  test::GradcheckResult r = test::compare_gradients([&] { return vae.neg_elbo(Var<double>(x), eps).loss; }, leaves, rng);
  EXPECT_EQ(r.elements_checked, (6 * 4 + 4) + (4 * 4 + 4) + (4 * 4 + 4) + (2 * 4 + 4) + (4 * 4 + 4) + (4 * 6 + 6));
  EXPECT_LE(r.worst_error, test::kGradcheckTolerance) << r.worst_where;
  EXPECT_THROW(Vae<double>(6, 4, 2, rng, 0), std::exception);
}

// A 1-D linear-Gaussian model: z ~ N(0, 1), x | z ~ N(a z + b, s^2), so p(x) = N(x; b, a^2 + s^2) and the
// posterior is N(m, v) with v = 1 / (1 + a^2 / s^2), m = v a (x - b) / s^2.
struct LinearGaussian {
  double a = 1.5, b = -0.3, s = 0.7;
  double log_normal(double x, double mean, double var) const {
    return -0.5 * (std::log(2 * std::numbers::pi * var) + (x - mean) * (x - mean) / var);
  }
  double log_px(double x) const { return log_normal(x, b, a * a + s * s); }
  std::function<Tensor<double>(const Tensor<double>&, int64_t, int64_t, int64_t)> likelihood(const std::vector<double>& xs) const {
    return [this, xs](const Tensor<double>& z, int64_t first, int64_t, int64_t per_example) {
      Tensor<double> ll(Shape{z.rows()});
      for (int64_t r = 0; r < z.rows(); ++r) ll[r] = log_normal(xs[first + r / per_example], a * z[r] + b, s * s);
      return ll;
    };
  }
};

// The IWAE loss (Burda et al. 2015) on the tape, against the evaluation estimator (models/importance_sampling.h)
// given the same samples: one minus the other, to rounding, for k = 1, 5 and 50.
TEST(Iwae, LossEqualsTheEvaluationEstimatorOnTheSameSamples) {
  Rng init(11);
  const int64_t B = 3, D = 6, Z = 2;
  Vae<double> vae(D, 5, Z, init, 2, nn::Activation::Tanh);
  Tensor<double> x(Shape{B, D});
  for (int64_t i = 0; i < x.numel(); ++i) x[i] = init.uniform() < 0.5 ? 0.0 : 1.0;
  for (int64_t k : {1, 5, 50}) {
    Rng a(12), b(12);  // iw_log_px draws its (B*k, Z) noise with one fill_normal, as standard_normal does
    const double loss = vae.iwae_loss(Var<double>(x), standard_normal<double>(Shape{B * k, Z}, a), k).item();
    NoGrad no_grad;
    const auto q = vae.encode(Var<double>(x));
    const std::vector<double> log_px = iw_log_px<double>(q.mu.value(), q.logvar.value(), k, b,
        [&](const Tensor<double>& z, int64_t first, int64_t count, int64_t per_example) {
          const Tensor<double> xr = repeat_rows(x, first, count, per_example);
          return neg(bce_with_logits_rowsum(vae.decode(Var<double>(z)), Var<double>(xr))).value();
        });
    EXPECT_NEAR(loss, -(log_px[0] + log_px[1] + log_px[2]) / 3, 1e-12) << "k = " << k;
  }
}

// With one sample the IWAE loss is the ELBO with its KL estimated at that sample: it differs from neg_elbo (exact
// KL) by exactly mean_b [log q(z_b|x_b) - log p(z_b) - KL_b], at the same noise.
TEST(Iwae, OneSampleIsTheElboWithASampledKl) {
  Rng rng(13);
  Vae<double> vae(6, 5, 3, rng);
  const auto [x, eps] = random_batch(rng);
  NoGrad no_grad;
  const double iwae = vae.iwae_loss(Var<double>(x), eps, 1).item();
  const auto elbo = vae.neg_elbo(Var<double>(x), eps);
  Var<double> z = gaussian_sample(elbo.posterior.mu, elbo.posterior.logvar, eps);
  Var<double> zero(Tensor<double>::zeros(z.shape()));
  const Tensor<double> log_q = gaussian_log_density(z, elbo.posterior.mu, elbo.posterior.logvar).value();
  const Tensor<double> log_p = gaussian_log_density(z, zero, zero).value();
  double correction = 0;
  for (int64_t b = 0; b < 4; ++b) correction += (log_q[b] - log_p[b] - elbo.kl.value()[b]) / 4;
  EXPECT_NEAR(iwae, elbo.loss.item() + correction, 1e-12);
}

TEST(Iwae, GradientsMatchCentralDifferences) {
  Rng rng(14);
  Vae<double> vae(6, 5, 3, rng, 2, nn::Activation::Tanh);
  Tensor<double> x(Shape{2, 6});
  for (int64_t i = 0; i < x.numel(); ++i) x[i] = rng.uniform();
  const Tensor<double> eps = standard_normal<double>(Shape{2 * 4, 3}, rng);
  std::vector<Var<double>> leaves;
  for (const auto& p : vae.parameters()) leaves.push_back(p.var);
  test::GradcheckResult r = test::compare_gradients([&] { return vae.iwae_loss(Var<double>(x), eps, 4); }, leaves, rng);
  EXPECT_LE(r.worst_error, test::kGradcheckTolerance) << r.worst_where;
  EXPECT_GT(r.elements_checked, 150);
}

// The IWAE authors' start for the decoder's output bias: the logit of each pixel's mean training value, clipped to
// [0.001, 0.999] (a pixel that is always 0 gets logit(0.001), not -inf).
TEST(VaeInit, OutputBiasStartsAtTheLogitOfTheMeanImage) {
  data::Dataset d;
  d.count = 4, d.height = 1, d.width = 3;
  d.pixels = {0, 255, 51, 0, 255, 102, 0, 255, 153, 0, 255, 204};  // pixel 0 always 0, pixel 1 always 255, pixel 2 mean 0.5
  d.labels.assign(4, 0);
  Rng rng(3);
  Vae<float> vae(3, 4, 2, rng);
  set_output_bias_to_data_mean(vae, d);
  Tensor<float> bias;
  for (const auto& p : vae.parameters())
    if (p.name == "decoder.out.bias") bias = p.var.value();
  ASSERT_EQ(bias.numel(), 3);
  EXPECT_NEAR(bias[0], std::log(0.001 / 0.999), 1e-5);
  EXPECT_NEAR(bias[1], std::log(0.999 / 0.001), 1e-5);
  EXPECT_NEAR(bias[2], 0.0, 1e-6);
  data::Dataset wrong = d;
  wrong.width = 2, wrong.pixels.resize(8);
  EXPECT_THROW(set_output_bias_to_data_mean(vae, wrong), std::invalid_argument);
}

TEST(ImportanceSampling, ExactPosteriorGivesTheExactLogLikelihoodForAnyK) {
  LinearGaussian m;
  const std::vector<double> xs = {-2.0, 0.1, 1.7};
  Tensor<double> mu(Shape{3, 1}), lv(Shape{3, 1});
  const double v = 1.0 / (1.0 + m.a * m.a / (m.s * m.s));
  for (int i = 0; i < 3; ++i) mu[i] = v * m.a * (xs[i] - m.b) / (m.s * m.s), lv[i] = std::log(v);
  for (int64_t K : {1, 7, 100}) {
    Rng rng(3);
    const std::vector<double> est = iw_log_px<double>(mu, lv, K, rng, m.likelihood(xs));
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(est[i], m.log_px(xs[i]), 1e-9) << "K " << K;  // every weight equals p(x)
  }
}

// With K larger than one decoder call holds (kIwRowsPerCall), an example's samples go through the decoder in
// parts; the noise is drawn part by part in order, so the estimate is the one a single call would give: the
// same normals from the same seed, the same log weights, one logsumexp. Computed here by hand, in one piece.
TEST(ImportanceSampling, AnExampleSplitOverSeveralCallsGivesTheOneCallEstimate) {
  LinearGaussian m;
  const std::vector<double> xs = {0.8, -1.3};
  Tensor<double> mu = Tensor<double>::from(Shape{2, 1}, {0.2, -0.4}), lv = Tensor<double>::from(Shape{2, 1}, {-0.5, 0.3});
  const int64_t K = 2 * kIwRowsPerCall + 7;  // three calls per example, of unequal sizes
  Rng rng(21), same(21);
  const std::vector<double> est = iw_log_px<double>(mu, lv, K, rng, m.likelihood(xs));
  const Tensor<double> eps = standard_normal<double>(Shape{2 * K, 1}, same);
  for (int64_t e = 0; e < 2; ++e) {
    std::vector<double> log_w(static_cast<size_t>(K));
    for (int64_t k = 0; k < K; ++k) {
      const double sd = std::exp(0.5 * lv[e]), z = mu[e] + sd * eps[e * K + k];
      log_w[static_cast<size_t>(k)] = m.log_normal(xs[e], m.a * z + m.b, m.s * m.s) + m.log_normal(z, 0, 1) -
                                      m.log_normal(z, mu[e], sd * sd);
    }
    const double mx = *std::max_element(log_w.begin(), log_w.end());
    double sum = 0;
    for (double w : log_w) sum += std::exp(w - mx);
    EXPECT_NEAR(est[e], mx + std::log(sum) - std::log(double(K)), 1e-12) << "example " << e;
  }
}

TEST(ImportanceSampling, ApproximatePosteriorConvergesFromBelowAsKGrows) {
  LinearGaussian m;
  const std::vector<double> xs = {0.8};
  Tensor<double> mu = Tensor<double>::from(Shape{1, 1}, {0.2}), lv = Tensor<double>::from(Shape{1, 1}, {0.0});
  Rng rng(4);
  double k1 = 0;
  for (int rep = 0; rep < 2000; ++rep) k1 += iw_log_px<double>(mu, lv, 1, rng, m.likelihood(xs))[0] / 2000;
  const double k5000 = iw_log_px<double>(mu, lv, 5000, rng, m.likelihood(xs))[0];
  EXPECT_LT(k1, m.log_px(0.8) - 0.05);               // K = 1 is the ELBO: a strict lower bound here
  EXPECT_NEAR(k5000, m.log_px(0.8), 0.02);           // K large: close to the truth
}

TEST(VaeTraining, NonFiniteLossNamesEpochAndStep) {
  Rng rng(5);
  Vae<float> vae(4, 3, 2, rng);
  vae.parameters()[0].var.value()[0] = NAN;  // poison one weight
  optim::Adam adam(vae.parameters());
  data::Dataset d;
  d.count = 10, d.height = 2, d.width = 2;
  d.pixels.assign(40, 100);
  d.labels.assign(10, 0);
  try {
    train_vae_epoch(vae, adam, d, {5, data::Binarize::None}, elbo_objective(), rng, 3);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("epoch 3, step 0"), std::string::npos) << e.what();
  }
}

// Each objective draws just the noise it uses from the run's generator: after an epoch of the autoencoder the
// generator has only shuffled the data; the ELBO draws one (B, Z) batch of noise a step, the IWAE bound k of them.
// (The autoencoder once drew the ELBO's noise and threw it away.) Under KL warm-up the epoch reports the true
// -ELBO, reconstruction + KL, not the weighted loss.
TEST(VaeTraining, EachObjectiveDrawsOnlyTheNoiseItUses) {
  data::Dataset d;
  d.count = 10, d.height = 2, d.width = 2;
  for (int i = 0; i < 40; ++i) d.pixels.push_back(static_cast<uint8_t>(i * 6));
  d.labels.assign(10, 0);
  const auto next_draw_after = [&](const VaeObjective& objective, VaeEpoch* out = nullptr) {
    Rng init(7);
    Vae<float> vae(4, 3, 2, init);
    optim::Adam adam(vae.parameters());
    Rng rng(11);
    const VaeEpoch e = train_vae_epoch(vae, adam, d, {5, data::Binarize::None}, objective, rng, 1);
    if (out) *out = e;
    return rng.next_u64();
  };
  const auto expected_after = [&](int64_t normals) {
    Rng rng(11);
    data::shuffled_indices(10, rng);
    for (int step = 0; step < 2; ++step) standard_normal<float>(Shape{normals, 2}, rng);
    return rng.next_u64();
  };
  Rng shuffle_only(11);
  data::shuffled_indices(10, shuffle_only);
  EXPECT_EQ(next_draw_after(autoencoder_objective()), shuffle_only.next_u64());
  EXPECT_EQ(next_draw_after(elbo_objective()), expected_after(5));
  EXPECT_EQ(next_draw_after(iwae_objective(3)), expected_after(15));
  VaeEpoch warm, plain;
  next_draw_after(elbo_objective(0.25), &warm);
  next_draw_after(elbo_objective(), &plain);
  EXPECT_NEAR(warm.neg_elbo, warm.reconstruction + warm.kl, 1e-9);
  EXPECT_NEAR(plain.neg_elbo, plain.reconstruction + plain.kl, 1e-3);  // the loss itself, the same sum in float
  EXPECT_GT(plain.kl, 0);
}

}  // namespace
}  // namespace tg::models
