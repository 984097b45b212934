// 16_posterior_collapse.cpp: chapter 16 of the course (16_posterior_collapse.md). A VAE given far more latent
// variables than its data needs: which of them it uses (the active units), what the unused ones look like (each a
// copy of the prior: posterior collapse, one dimension at a time), and whether KL warm-up, the cure the study's
// binarised recipe uses, changes that here. Five seeds each way. Run it with `make chapter 16`.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "autograd/autograd.h"
#include "docs/learn/bars.h"
#include "models/vae.h"
#include "models/vae_training.h"
#include "optim/optimizer.h"

using namespace tg;

struct Trained {
  double test_elbo;
  std::vector<double> variance, kl;  // per latent dimension, over the test images: Var_x mu_j(x), mean KL_j
  int active;                        // dimensions whose mean varies: variance > 0.01
};

// [begin train]
// The study's model with Z = 50 on the bars (they need about seven numbers: an orientation and six bars), trained
// 100 epochs with Adam. warmup > 0: the KL term's weight rises from 1/warmup to 1 over the first warmup epochs
// (Sonderby et al. 2016), as `make experiment KL_WARMUP=10` does on MNIST.
Trained train_and_measure(uint64_t seed, int warmup) {
  const int64_t Z = 50, batch = 50;
  Rng rng(seed);
  const Tensor<float> train = bar_images(2000, rng), test = bar_images(500, rng);
  const models::Vae<float> vae(36, 64, Z, rng);
  optim::Adam adam(vae.parameters(), 3e-3f);
  std::vector<int64_t> order(static_cast<size_t>(train.rows()));
  for (int64_t i = 0; i < train.rows(); ++i) order[static_cast<size_t>(i)] = i;
  for (int epoch = 1; epoch <= 100; ++epoch) {
    const double kl_weight = warmup > 0 ? std::min(1.0, double(epoch) / warmup) : 1.0;
    for (int64_t i = train.rows() - 1; i > 0; --i) std::swap(order[static_cast<size_t>(i)], order[rng.below(static_cast<uint64_t>(i + 1))]);
    for (int64_t first = 0; first < train.rows(); first += batch) {
      Tensor<float> x(Shape{batch, 36});
      for (int64_t b = 0; b < batch; ++b)
        for (int64_t d = 0; d < 36; ++d) x.at(b, d) = train.at(order[static_cast<size_t>(first + b)], d);
      Tape<float> tape;
      tape.backward(vae.neg_elbo(Var<float>(x), models::standard_normal<float>(Shape{batch, Z}, rng), kl_weight).loss);
      adam.step();
      adam.zero_grad();
    }
  }
  // [end train]

  // [begin measure]
  // Per dimension j over the test images: how much the code's mean moves, Var_x mu_j(x), and the mean KL_j =
  // 1/2 (mu_j^2 + sigma_j^2 - log sigma_j^2 - 1), the nats dimension j costs. A dimension the decoder ignores is
  // best left at the prior (mu = 0, sigma = 1), where both are 0.
  NoGrad no_grad;
  Trained t;
  t.test_elbo = -vae.neg_elbo(Var<float>(test), models::standard_normal<float>(Shape{test.rows(), Z}, rng)).loss.item();
  const models::Vae<float>::Posterior q = vae.encode(Var<float>(test));
  const Tensor<float>&mu = q.mu.value(), &lv = q.logvar.value();
  for (int64_t j = 0; j < Z; ++j) {
    double m = 0, v = 0, kl = 0;
    for (int64_t i = 0; i < test.rows(); ++i) m += mu.at(i, j) / double(test.rows());
    for (int64_t i = 0; i < test.rows(); ++i) {
      v += (mu.at(i, j) - m) * (mu.at(i, j) - m) / double(test.rows());
      kl += 0.5 * (mu.at(i, j) * mu.at(i, j) + std::exp(lv.at(i, j)) - lv.at(i, j) - 1) / double(test.rows());
    }
    t.variance.push_back(v), t.kl.push_back(kl);
  }
  t.active = static_cast<int>(models::active_dimensions(mu, test.rows()).size());
  // [end measure]
  return t;
}

int main() {
  set_num_threads(1);  // the same numbers on any machine with the same CPU type
  // [begin seeds]
  std::printf("seed  warm-up  test ELBO  active units of 50  KL of the active / the others (nats)\n");
  double sum[2][2] = {{0, 0}, {0, 0}};  // [no warm-up, warm-up][ELBO, active]
  double worst_inactive_kl = 0;
  for (uint64_t seed = 1; seed <= 5; ++seed)
    for (int w = 0; w < 2; ++w) {
      const Trained t = train_and_measure(seed, w ? 20 : 0);
      double kl_active = 0, kl_other = 0;
      for (size_t j = 0; j < t.kl.size(); ++j) {
        (t.variance[j] > 0.01 ? kl_active : kl_other) += t.kl[j];
        if (t.variance[j] <= 0.01) worst_inactive_kl = std::max(worst_inactive_kl, t.kl[j]);
      }
      std::printf("%4llu  %7s  %9.3f  %18d  %6.3f / %.3f\n", (unsigned long long)seed, w ? "20" : "none", t.test_elbo, t.active,
                  kl_active, kl_other);
      sum[w][0] += t.test_elbo / 5, sum[w][1] += t.active / 5.0;
    }
  std::printf("mean over 5 seeds: no warm-up ELBO %.3f, %.1f active; warm-up ELBO %.3f, %.1f active\n", sum[0][0], sum[0][1],
              sum[1][0], sum[1][1]);
  std::printf("the most any inactive dimension costs: %.4f nats\n", worst_inactive_kl);
  // [end seeds]
  // The page's claim, checked here: a dimension whose mean does not move is a copy of the prior, costing almost nothing.
  if (!(worst_inactive_kl < 0.01)) return 1;
  return 0;
}
