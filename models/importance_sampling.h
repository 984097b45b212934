// importance_sampling.h: the importance-weighted estimate of log p(x) (Burda et al. 2015, eq. 1 with q as
// the proposal):
//   log p(x) ~= log (1/K) sum_k w_k,   w_k = p(x|z_k) p(z_k) / q(z_k|x),   z_k ~ q(z|x) = N(mu, e^lv)
//            = logsumexp_k [log p(x|z_k) + log N(z_k; 0, I) - log N(z_k; mu, e^lv)] - log K
// It is a lower bound in expectation that tightens as K grows (K = 1 gives the ELBO). The decoder enters only
// through log_px_given_z, so the estimator can be tested on a model whose log p(x) is known exactly.
// Read next: vae_training.h, which plugs the VAE's Bernoulli decoder in.
#pragma once
#include <cmath>
#include <functional>

#include "autograd/autograd.h"

namespace tg::models {

/// mu, logvar (B, Z): q(z|x) per example. log_px_given_z(z, first, count) gets z (count*K, Z) whose rows
/// r*K .. r*K+K-1 belong to example first + r, and returns log p(x|z) per row (count*K).
/// Returns log p(x) estimates (B). Examples are processed `count` at a time so that count*K ~ 2000 rows.
template <typename T>
std::vector<double> iw_log_px(const Tensor<T>& mu, const Tensor<T>& logvar, int64_t K, Rng& rng,
                              const std::function<Tensor<T>(const Tensor<T>&, int64_t, int64_t)>& log_px_given_z) {
  require(K >= 1, "iw_log_px: K = {}, expected at least 1 sample", K);
  require(mu.shape() == logvar.shape() && mu.shape().rank == 2, "iw_log_px: mu {} and logvar {} must be (B, Z)",
          to_string(mu.shape()), to_string(logvar.shape()));
  NoGrad no_grad;
  const int64_t B = mu.rows(), Z = mu.cols();
  const int64_t group = std::max<int64_t>(1, 2000 / K);
  std::vector<double> out(static_cast<size_t>(B));
  for (int64_t first = 0; first < B; first += group) {
    const int64_t count = std::min(group, B - first), R = count * K;
    const Tensor<T> m = repeat_rows(mu, first, count, K), lv = repeat_rows(logvar, first, count, K);  // q, K times each
    Tensor<T> eps(Shape{R, Z});
    rng.fill_normal(eps.data(), eps.numel());
    Var<T> mv(m), lvv(lv);
    Var<T> z = gaussian_sample(mv, lvv, eps);
    Var<T> zeros(Tensor<T>::zeros(Shape{R, Z}));
    const Tensor<T> log_prior = gaussian_log_density(z, zeros, zeros).value();   // (R)
    const Tensor<T> log_q = gaussian_log_density(z, mv, lvv).value();            // (R)
    const Tensor<T> log_lik = log_px_given_z(z.value(), first, count);            // (R)
    for (int64_t e = 0; e < count; ++e) {
      // logsumexp in double: K terms of very different size
      double mx = -INFINITY;
      for (int64_t k = 0; k < K; ++k) {
        const int64_t r = e * K + k;
        mx = std::max(mx, double(log_lik[r]) + double(log_prior[r]) - double(log_q[r]));
      }
      double s = 0;
      for (int64_t k = 0; k < K; ++k) {
        const int64_t r = e * K + k;
        s += std::exp(double(log_lik[r]) + double(log_prior[r]) - double(log_q[r]) - mx);
      }
      out[static_cast<size_t>(first + e)] = mx + std::log(s) - std::log(double(K));
    }
  }
  return out;
}

}  // namespace tg::models
