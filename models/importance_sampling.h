// importance_sampling.h: the importance-weighted estimate of log p(x) (Burda et al. 2015, eq. 1 with q as
// the proposal):
//   log p(x) ~= log (1/K) sum_k w_k,   w_k = p(x|z_k) p(z_k) / q(z_k|x),   z_k ~ q(z|x) = N(mu, e^lv)
//            = logsumexp_k [log p(x|z_k) + log N(z_k; 0, I) - log N(z_k; mu, e^lv)] - log K
// It is a lower bound in expectation that tightens as K grows (K = 1 gives the ELBO). The decoder enters only
// through log_px_given_z, so the estimator can be tested on a model whose log p(x) is known exactly.
// Read next: vae_training.h, which plugs the VAE's Bernoulli decoder in.
#pragma once
#include <algorithm>
#include <cmath>
#include <functional>

#include "autograd/autograd.h"

namespace tg::models {

/// Rows of the decoder per call. A call writes (rows, D) logits that the likelihood pass reads straight back, so
/// a call is kept small enough for them to stay in cache (at K = 5000 on MNIST one 5000-row call wrote and re-read
/// 16 MB: 12% of the evaluation's time) and large enough for its products to run near their GEMM speed.
constexpr int64_t kIwRowsPerCall = 1000;

/// mu, logvar (B, Z): q(z|x) per example. log_px_given_z(z, first, count, per_example) gets z (count * per_example,
/// Z) whose rows r * per_example .. (r + 1) * per_example - 1 are samples for example first + r, and returns
/// log p(x|z) per row. per_example is K when K rows fit one call (then count examples share it), and a part of
/// an example's K otherwise (count = 1).
/// Returns log p(x) estimates (B). The noise is drawn call by call in order, so the estimate is the same for any
/// split of the rows.
template <typename T>
std::vector<double> iw_log_px(const Tensor<T>& mu, const Tensor<T>& logvar, int64_t K, Rng& rng,
                              const std::function<Tensor<T>(const Tensor<T>&, int64_t, int64_t, int64_t)>& log_px_given_z) {
  require(K >= 1, "iw_log_px: K = {}, expected at least 1 sample", K);
  require(mu.shape() == logvar.shape() && mu.shape().rank == 2, "iw_log_px: mu {} and logvar {} must be (B, Z)",
          to_string(mu.shape()), to_string(logvar.shape()));
  NoGrad no_grad;
  const int64_t B = mu.rows(), Z = mu.cols();
  const int64_t group = std::max<int64_t>(1, kIwRowsPerCall / K);                     // examples per call
  const int64_t parts = (K + kIwRowsPerCall - 1) / kIwRowsPerCall;                    // calls per example
  std::vector<double> out(static_cast<size_t>(B)), log_w;
  // e^(lv / 2) of each example, once, taken as gaussian_sample takes it: z below has the bits that op would give.
  const Tensor<T> sd = map(logvar, [](T lv) { return fast_exp(T(0.5) * clamp_logvar(lv)); });
  // One call: rows [k0, k1) of each of examples first .. first + count - 1; their log weights into log_w.
  auto call = [&](int64_t first, int64_t count, int64_t k0, int64_t k1) {
    const int64_t per = k1 - k0, R = count * per;
    Tensor<T> eps(Shape{R, Z});
    rng.fill_normal(eps.data(), eps.numel());
    // z = mu + sd eps, and in one pass log p(z) - log q(z|x) = 1/2 sum_j (eps_j^2 + lv_j - z_j^2): the log 2pi
    // terms cancel and (z - mu)^2 / e^lv is eps^2, so neither density is computed on its own.
    Tensor<T> z(Shape{R, Z});
    std::vector<double> prior_minus_q(static_cast<size_t>(R));
    parallel_rows(R, Z, [&](int64_t r0, int64_t r1) {
      std::vector<T> terms(static_cast<size_t>(Z));  // the row's terms, then their sum: the loop vectorises
      for (int64_t r = r0; r < r1; ++r) {
        const int64_t e = first + r / per;
        const T *m = mu.data() + e * Z, *s = sd.data() + e * Z, *lv = logvar.data() + e * Z, *n = eps.data() + r * Z;
        T* zr = z.data() + r * Z;
        for (int64_t j = 0; j < Z; ++j) {
          zr[j] = m[j] + n[j] * s[j];
          terms[j] = n[j] * n[j] + lv[j] - zr[j] * zr[j];
        }
        prior_minus_q[static_cast<size_t>(r)] = 0.5 * double(sum_lanes(terms.data(), Z));
      }
    });
    const Tensor<T> log_lik = log_px_given_z(z, first, count, per);  // (R)
    for (int64_t e = 0; e < count; ++e)
      for (int64_t k = 0; k < per; ++k) {
        const int64_t r = e * per + k;
        log_w[static_cast<size_t>(e * K + k0 + k)] = double(log_lik[r]) + prior_minus_q[static_cast<size_t>(r)];
      }
  };
  for (int64_t first = 0; first < B; first += group) {
    const int64_t count = std::min(group, B - first);
    log_w.assign(static_cast<size_t>(count * K), 0.0);
    if (parts == 1) call(first, count, 0, K);
    else
      for (int64_t p = 0; p < parts; ++p) call(first, 1, p * K / parts, (p + 1) * K / parts);
    for (int64_t e = 0; e < count; ++e) {  // logsumexp in double: K terms of very different size
      const double* w = log_w.data() + e * K;
      const double mx = *std::max_element(w, w + K);
      double s = 0;
      for (int64_t k = 0; k < K; ++k) s += std::exp(w[k] - mx);
      out[static_cast<size_t>(first + e)] = mx + std::log(s) - std::log(double(K));
    }
  }
  return out;
}

}  // namespace tg::models
