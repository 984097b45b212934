// 11_reparameterisation.cpp: chapter 11 of the course (11_reparameterisation.md). The gradient of an
// expectation, d/dmu E_{z ~ N(mu, 1)}[f(z)], estimated from samples in two ways: the reparameterisation trick
// (z = mu + eps, differentiate f through the tape) and the score-function estimator (f(z) times the gradient of
// log q), each checked against the exact value and measured for its noise. f is chapter 10's -log p(x|z).
// Run it with `make chapter 11`.
#include <cmath>
#include <cstdio>
#include <numbers>

#include "autograd/autograd.h"

using namespace tg;

// [begin f]
// f(z) = -log p(x|z) of chapter 10's decoder for the image x = (1, 0): h = relu(z), logits (2h, 2 - h); pixel 0
// is on (cross-entropy softplus(-logit)), pixel 1 off (softplus(logit)). Written with the library's ops, so the
// tape can differentiate it.
Var<double> f(const Var<double>& z) {
  const Var<double> h = relu(z);
  return softplus(-2.0 * h) + softplus(2.0 - h);
}
// [end f]

// G(mu) = E_{z ~ N(mu, 1)}[f(z)], by the trapezoid rule over [mu - 12, mu + 12] (chapter 10's integrate).
double expected_f(double mu) {
  const int n = 24000;
  const double h = 24.0 / n;
  Tensor<double> z(Shape{n + 1});
  for (int i = 0; i <= n; ++i) z[i] = mu - 12 + i * h;
  const Tensor<double> fz = f(Var<double>(z)).value();
  double total = 0;
  for (int i = 0; i <= n; ++i) {
    const double density = std::exp(-(z[i] - mu) * (z[i] - mu) / 2) / std::sqrt(2 * std::numbers::pi);
    total += (i == 0 || i == n ? 0.5 : 1.0) * density * fz[i];
  }
  return total * h;
}

// Mean and standard deviation of n per-sample estimates.
void report(const char* name, const Tensor<double>& estimates) {
  const int64_t n = estimates.numel();
  double mean = 0, sq = 0;
  for (int64_t i = 0; i < n; ++i) mean += estimates[i] / double(n);
  for (int64_t i = 0; i < n; ++i) sq += (estimates[i] - mean) * (estimates[i] - mean);
  const double sd = std::sqrt(sq / double(n - 1));
  std::printf("%-26s mean %8.4f +- %.4f   one sample's sd %7.3f   samples for +-0.01: %8.0f\n", name, mean,
              sd / std::sqrt(double(n)), sd, (sd / 0.01) * (sd / 0.01));
}

int main() {
  const double mu = 0.5;
  // [begin exact]
  // The exact gradient: chapter 1's central difference, applied to the integral.
  const double step = 1e-4;
  const double exact = (expected_f(mu + step) - expected_f(mu - step)) / (2 * step);
  std::printf("exact dG/dmu at mu = %.1f: %.4f\n", mu, exact);
  // [end exact]

  const int64_t n = 100000;
  Rng rng(3);
  Tensor<double> eps(Shape{n});
  rng.fill_normal(eps.data(), n);

  // [begin reparameterised]
  // z = mu + eps: f(z) is a function of mu through z, and dz/dmu = 1, so each sample's gradient is f'(z_i),
  // which the tape computes for all n samples at once (z is made a leaf to read its gradient per sample).
  Tensor<double> z_values(Shape{n});
  for (int64_t i = 0; i < n; ++i) z_values[i] = mu + eps[i];
  Var<double> z(z_values, true);
  Tape<double> tape;
  tape.backward(sum(f(z)));  // d(sum_i f(z_i)) / dz_i = f'(z_i)
  report("reparameterisation", z.grad());
  // [end reparameterised]

  // [begin score]
  // The score function: d/dmu E_q[f(z)] = E_q[f(z) d/dmu log q(z)], and for q = N(mu, 1), d/dmu log q(z) = z - mu.
  // It needs f's values only, never its derivative.
  const Tensor<double> fz = f(Var<double>(z_values)).value();
  Tensor<double> score(Shape{n}), with_baseline(Shape{n});
  double mean_f = 0;
  for (int64_t i = 0; i < n; ++i) mean_f += fz[i] / double(n);
  for (int64_t i = 0; i < n; ++i) {
    score[i] = fz[i] * (z_values[i] - mu);
    // Subtracting a constant b from f changes nothing in expectation (E_q[z - mu] = 0) but can cut the noise;
    // b = the mean of f is the usual choice. (Using this batch's mean adds a bias of order 1/n, negligible here.)
    with_baseline[i] = (fz[i] - mean_f) * (z_values[i] - mu);
  }
  report("score function", score);
  report("score function, baseline", with_baseline);
  // [end score]

  // [begin many_latents]
  // A VAE has many latent variables. Let the loss be the sum of f over 100 of them, each z_j = mu + eps_j, and
  // estimate the gradient for the first one's mean (its exact value is unchanged: the others do not depend on it).
  // The reparameterised estimate is still f'(z_1); the score function's is now (the whole sum) x (z_1 - mu).
  const int64_t m = 20000, Z = 100;
  Tensor<double> z_many(Shape{m, Z});
  rng.fill_normal(z_many.data(), m * Z);
  for (int64_t i = 0; i < m * Z; ++i) z_many[i] += mu;
  const Tensor<double> f_many = sum(f(Var<double>(z_many)), 1).value();  // (m): the loss of each sample
  Var<double> z_first(slice(Var<double>(z_many), 0, 1).value(), true);        // (m, 1): z_1 of each sample
  Tape<double> tape_many;
  tape_many.backward(sum(f(z_first)));
  Tensor<double> score_many(Shape{m}), baseline_many(Shape{m});
  double mean_many = 0;
  for (int64_t i = 0; i < m; ++i) mean_many += f_many[i] / double(m);
  for (int64_t i = 0; i < m; ++i) {
    score_many[i] = f_many[i] * (z_many.at(i, 0) - mu);
    baseline_many[i] = (f_many[i] - mean_many) * (z_many.at(i, 0) - mu);
  }
  std::printf("with %lld latent variables:\n", (long long)Z);
  report("reparameterisation", z_first.grad());
  report("score function", score_many);
  report("score function, baseline", baseline_many);
  // [end many_latents]
  return 0;
}
