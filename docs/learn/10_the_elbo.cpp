// 10_the_elbo.cpp: chapter 10 of the course (10_the_elbo.md). The VAE's loss on a model small enough to check
// by hand: two pixels, one latent variable, one hidden unit, weights set by hand. Its value by hand and by the
// library's model; its units on a batch; its sign, against log p(x) computed exactly by integrating over z.
// Run it with `make chapter 10`.
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

#include "autograd/autograd.h"
#include "models/vae.h"

using namespace tg;

double softplus(double v) { return std::max(v, 0.0) + std::log1p(std::exp(-std::abs(v))); }

// [begin model]
// D = 2 pixels, H = 1 hidden unit, Z = 1 latent variable. Every weight is 0 except these:
//   encoder: q(z|x) = N(mu = 0.5, var = e^0 = 1) whatever x is (only the output bias is set)
//   decoder: h = relu(z), logits = h (2, -1) + (0, 2), p(pixel d = 1 | z) = sigmoid(logit_d)
models::Vae<double> tiny_vae() {
  Rng rng(1);
  models::Vae<double> vae(2, 1, 1, rng);
  for (const NamedParameter<double>& p : vae.parameters()) {
    Tensor<double> value = p.var.value();  // a handle: writes go to the model
    for (int64_t i = 0; i < value.numel(); ++i) value[i] = 0;
    if (p.name == "encoder.out.bias") value[0] = 0.5;  // [mu | logvar] = (0.5, 0)
    if (p.name == "decoder.hidden.weight") value[0] = 1;
    if (p.name == "decoder.out.weight") value[0] = 2, value[1] = -1;
    if (p.name == "decoder.out.bias") value[1] = 2;
  }
  return vae;
}
// [end model]

// -log p(x|z) for this decoder: each pixel's binary cross-entropy, -[x log p + (1 - x) log(1 - p)], which for a
// logit l is softplus(-l) when x = 1 and softplus(l) when x = 0.
double neg_log_px_given_z(double x0, double x1, double z) {
  const double h = std::max(z, 0.0), logit0 = 2 * h, logit1 = -h + 2;
  return (x0 == 1 ? softplus(-logit0) : softplus(logit0)) + (x1 == 1 ? softplus(-logit1) : softplus(logit1));
}
double normal_density(double z, double mu, double var) {
  return std::exp(-(z - mu) * (z - mu) / (2 * var)) / std::sqrt(2 * std::numbers::pi * var);
}
// The integral of f(z) over the real line, by the trapezoid rule on [-12, 12]: the densities here are
// negligible outside it, and 24,000 steps make the rule exact to far more digits than are printed.
template <typename F>
double integrate(F f) {
  const int n = 24000;
  const double a = -12, h = 24.0 / n;
  double total = (f(a) + f(a + n * h)) / 2;
  for (int i = 1; i < n; ++i) total += f(a + i * h);
  return total * h;
}

int main() {
  const models::Vae<double> vae = tiny_vae();
  // [begin by_hand]
  // One image x = (1, 0) and one noise draw eps = 1: z = mu + sigma eps = 0.5 + 1 = 1.5.
  const double z = 0.5 + 1.0;
  const double reconstruction = neg_log_px_given_z(1, 0, z);             // -log p(x|z), summed over the pixels
  const double kl = (0.5 * 0.5 + std::exp(0.0) - 1 - 0.0) / 2;           // KL(N(mu, e^lv) || N(0, 1)) = (mu^2 + e^lv - 1 - lv) / 2
  std::printf("by hand:   -log p(x|z) %.6f  KL %.6f  -ELBO %.6f\n", reconstruction, kl, reconstruction + kl);
  const Var<double> x(Tensor<double>::from(Shape{1, 2}, {1, 0}));
  const auto model = vae.neg_elbo(x, Tensor<double>::from(Shape{1, 1}, {1.0}));
  std::printf("the model: -log p(x|z) %.6f  KL %.6f  -ELBO %.6f\n", model.reconstruction.item(), model.kl.item(),
              model.loss.item());
  // [end by_hand]

  // [begin units]
  // A batch of the four possible images, each with its own noise draw. reconstruction and kl are per image
  // (each a sum: over the 2 pixels, and over the 1 latent variable); loss is their mean over the batch.
  const Var<double> batch(Tensor<double>::from(Shape{4, 2}, {0, 0, 0, 1, 1, 0, 1, 1}));
  const auto out = vae.neg_elbo(batch, Tensor<double>::from(Shape{4, 1}, {1.0, -0.5, 0.25, 2.0}));
  for (int64_t i = 0; i < 4; ++i)
    std::printf("image (%g, %g):  -log p(x|z) %.6f + KL %.6f = %.6f nats\n", batch.value().at(i, 0), batch.value().at(i, 1),
                out.reconstruction.value()[i], out.kl.value()[i], out.reconstruction.value()[i] + out.kl.value()[i]);
  std::printf("loss (the mean over the batch): %.6f nats per image, %.6f bits per pixel\n", out.loss.item(),
              out.loss.item() / (2 * std::numbers::ln2));
  // [end units]

  // [begin sign]
  // log p(x) = log of the integral of p(z) p(x|z) dz: one dimension, so it can be computed exactly.
  const double log_px = std::log(integrate([](double v) { return normal_density(v, 0, 1) * std::exp(-neg_log_px_given_z(1, 0, v)); }));
  // The ELBO for a Gaussian q(z) = N(m, s2): E_q[log p(x|z)] - KL(q || p), the expectation also by integrating.
  auto elbo = [](double m, double s2) {
    const double expected = integrate([&](double v) { return normal_density(v, m, s2) * -neg_log_px_given_z(1, 0, v); });
    return expected - (m * m + s2 - 1 - std::log(s2)) / 2;
  };
  // The exact posterior p(z|x) = p(z) p(x|z) / p(x), and its mean and variance: the best Gaussian q is near them.
  auto posterior = [&](double v) { return normal_density(v, 0, 1) * std::exp(-neg_log_px_given_z(1, 0, v) - log_px); };
  const double post_mean = integrate([&](double v) { return v * posterior(v); });
  const double post_var = integrate([&](double v) { return (v - post_mean) * (v - post_mean) * posterior(v); });
  std::printf("log p(x) for x = (1, 0), exactly:   %.6f\n", log_px);
  std::printf("ELBO, q = N(0.5, 1), the encoder's:  %.6f   gap %.6f\n", elbo(0.5, 1.0), log_px - elbo(0.5, 1.0));
  std::printf("ELBO, q = N(%.4f, %.4f):         %.6f   gap %.6f   (the posterior's mean and variance)\n", post_mean,
              post_var, elbo(post_mean, post_var), log_px - elbo(post_mean, post_var));
  // The training loss is an estimate of -ELBO from one noise draw per image; its average over many draws is
  // -ELBO itself (here 100,000 draws: the image repeated in a batch), up to the average's standard error.
  Rng rng(7);
  const int64_t n = 100000;
  const Var<double> many(repeat_rows(x.value(), 0, 1, n));
  const auto draws = vae.neg_elbo(many, models::standard_normal<double>(Shape{n, 1}, rng));
  double sum_sq = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double d = draws.reconstruction.value()[i] + draws.kl.value()[i] - draws.loss.item();
    sum_sq += d * d;
  }
  std::printf("the training loss, averaged over %lld draws: %.4f +- %.4f (-ELBO is %.4f)\n", (long long)n, draws.loss.item(),
              std::sqrt(sum_sq / double(n - 1) / double(n)), -elbo(0.5, 1.0));
  // [end sign]
  return 0;
}
