// losses.h: bce_with_logits, cross_entropy, gaussian_kl, gaussian_log_density. Each is one fused op with a
// hand-written backward: fewer passes over memory, and the stable form is written once, in one place.
// None of them reduces over the batch; take mean() or sum() of the result. The derivations are in
// docs/elbo_gradients.md. Read next: ../tape.cpp (the reverse loop that calls these closures).
#pragma once
#include <cmath>
#include <numbers>
#include <vector>

#include "autograd/ops/scalar_math.h"
#include "autograd/tape.h"

namespace tg {

// ---- bce_with_logits, elementwise, logits x and targets t of one shape (B, D) -> (B, D):
//   l = -[t log s(x) + (1 - t) log(1 - s(x))] = softplus(x) - t x = max(x,0) - t x + log1p(e^-|x|)
//   dl/dx = sigmoid(x) - t,   dl/dt = -x
// The last form never takes log of a sigmoid, so x = +-100 gives 100 - 100 t or 100 t, not inf.
inline const OpId kBceWithLogits = register_op("bce_with_logits");
template <typename T>
Var<T> bce_with_logits(const Var<T>& logits, const Var<T>& targets) {
  require(logits.shape() == targets.shape(), "bce_with_logits: logits {} and targets {} must have one shape",
          to_string(logits.shape()), to_string(targets.shape()));
  Tensor<T> y = zip(logits.value(), targets.value(), [](T x, T t) { return stable_softplus(x) - t * x; });
  return record<T>(kBceWithLogits, {logits, targets}, std::move(y),
                   [x = logits.value(), t = targets.value()](const Tensor<T>& dy, InputGrads<T>& dx) {
                     if (dx.needs(0)) {
                       Tensor<T> g(x.shape());
                       for (int64_t i = 0; i < x.numel(); ++i) g[i] = dy[i] * (stable_sigmoid(x[i]) - t[i]);
                       dx.add(0, std::move(g));
                     }
                     if (dx.needs(1)) dx.add(1, zip(dy, x, [](T g, T v) { return -g * v; }));
                   });
}

// ---- cross_entropy with integer labels: logits (B, K), labels[B] in 0..K-1 -> (B)
//   l_b = logsumexp_k(x_bk) - x_b,label_b;   dl_b/dx_bk = softmax(x_b)_k - [k == label_b]
inline const OpId kCrossEntropy = register_op("cross_entropy");
template <typename T>
Var<T> cross_entropy(const Var<T>& logits, const std::vector<int32_t>& labels) {
  const Shape& s = logits.shape();
  require(s.rank == 2 && static_cast<int64_t>(labels.size()) == s[0],
          "cross_entropy: logits {} need one label per row — got {} labels", to_string(s), labels.size());
  const int64_t B = s[0], K = s[1];
  for (int32_t c : labels)
    require(c >= 0 && c < K, "cross_entropy: label {} is outside 0..{} for logits {}", c, K - 1, to_string(s));
  const Tensor<T>& x = logits.value();
  Tensor<T> y(Shape{B});
  Tensor<T> log_probs(s);  // saved for backward: softmax = e^log_probs
  for (int64_t b = 0; b < B; ++b) {
    const T* row = x.data() + b * K;
    T m = row[0];
    for (int64_t k = 1; k < K; ++k) m = std::max(m, row[k]);
    T total = 0;
    for (int64_t k = 0; k < K; ++k) total += std::exp(row[k] - m);
    const T lse = m + std::log(total);
    for (int64_t k = 0; k < K; ++k) log_probs[b * K + k] = row[k] - lse;
    y[b] = -log_probs[b * K + labels[b]];
  }
  return record<T>(kCrossEntropy, {logits}, std::move(y),
                   [log_probs, labels](const Tensor<T>& dy, InputGrads<T>& dx) {
                     const int64_t B = log_probs.rows(), K = log_probs.cols();
                     Tensor<T> g(log_probs.shape());
                     for (int64_t b = 0; b < B; ++b)
                       for (int64_t k = 0; k < K; ++k)
                         g[b * K + k] = dy[b] * (std::exp(log_probs[b * K + k]) - (k == labels[b] ? T(1) : T(0)));
                     dx.add(0, std::move(g));
                   });
}

// ---- gaussian_kl: KL( N(mu, e^lv) || N(0, I) ) per row, mu and lv (B, Z) -> (B)
//   KL_b = 1/2 sum_z (mu^2 + e^lv - 1 - lv);   dmu = dy mu,   dlv = dy (e^lv - 1) / 2
// e^lv is taken of clamp_logvar(lv) (see scalar_math.h), so lv = 100 stays finite in float.
inline const OpId kGaussianKl = register_op("gaussian_kl");
template <typename T>
Var<T> gaussian_kl(const Var<T>& mu, const Var<T>& logvar) {
  require(mu.shape() == logvar.shape() && mu.shape().rank == 2,
          "gaussian_kl: mu {} and logvar {} must be matrices of one shape (B, Z)", to_string(mu.shape()),
          to_string(logvar.shape()));
  const int64_t B = mu.shape()[0], Z = mu.shape()[1];
  const Tensor<T>& m = mu.value();
  const Tensor<T>& lv = logvar.value();
  Tensor<T> y(Shape{B});
  for (int64_t b = 0; b < B; ++b) {
    T total = 0;
    for (int64_t j = b * Z; j < (b + 1) * Z; ++j) total += m[j] * m[j] + std::exp(clamp_logvar(lv[j])) - T(1) - lv[j];
    y[b] = T(0.5) * total;
  }
  return record<T>(kGaussianKl, {mu, logvar}, std::move(y), [m, lv, Z](const Tensor<T>& dy, InputGrads<T>& dx) {
    if (dx.needs(0)) {
      Tensor<T> g(m.shape());
      for (int64_t j = 0; j < m.numel(); ++j) g[j] = dy[j / Z] * m[j];
      dx.add(0, std::move(g));
    }
    if (dx.needs(1)) {
      Tensor<T> g(lv.shape());
      for (int64_t j = 0; j < lv.numel(); ++j) g[j] = dy[j / Z] * T(0.5) * (std::exp(clamp_logvar(lv[j])) - T(1));
      dx.add(1, std::move(g));
    }
  });
}

// ---- gaussian_log_density: log N(x; mu, diag e^lv) per row, x mu lv (B, Z) -> (B)
//   l_b = -1/2 sum_z (log 2pi + lv + (x - mu)^2 e^-lv)
//   dx = -dy (x - mu) e^-lv,   dmu = +dy (x - mu) e^-lv,   dlv = dy ((x - mu)^2 e^-lv - 1) / 2
inline const OpId kGaussianLogDensity = register_op("gaussian_log_density");
template <typename T>
Var<T> gaussian_log_density(const Var<T>& x, const Var<T>& mu, const Var<T>& logvar) {
  require(x.shape() == mu.shape() && x.shape() == logvar.shape() && x.shape().rank == 2,
          "gaussian_log_density: x {}, mu {} and logvar {} must be matrices of one shape (B, Z)",
          to_string(x.shape()), to_string(mu.shape()), to_string(logvar.shape()));
  const int64_t B = x.shape()[0], Z = x.shape()[1];
  const T log_2pi = std::log(T(2) * std::numbers::pi_v<T>);
  // Saved for backward: r = (x - mu) e^-lv, the "precision-weighted residual".
  Tensor<T> r(x.shape());
  Tensor<T> y(Shape{B});
  for (int64_t b = 0; b < B; ++b) {
    T total = 0;
    for (int64_t j = b * Z; j < (b + 1) * Z; ++j) {
      const T d = x.value()[j] - mu.value()[j];
      const T lv = logvar.value()[j];
      r[j] = d * std::exp(-clamp_logvar(lv));
      total += log_2pi + lv + d * r[j];
    }
    y[b] = T(-0.5) * total;
  }
  return record<T>(kGaussianLogDensity, {x, mu, logvar}, std::move(y),
                   [r, d = zip(x.value(), mu.value(), [](T a, T b) { return a - b; }), Z](const Tensor<T>& dy,
                                                                                           InputGrads<T>& dx) {
                     if (dx.needs(0) || dx.needs(1)) {
                       Tensor<T> g(r.shape());
                       for (int64_t j = 0; j < r.numel(); ++j) g[j] = -dy[j / Z] * r[j];
                       if (dx.needs(1)) dx.add(1, map(g, [](T v) { return -v; }));
                       dx.add(0, std::move(g));
                     }
                     if (dx.needs(2)) {
                       Tensor<T> g(r.shape());
                       for (int64_t j = 0; j < r.numel(); ++j) g[j] = dy[j / Z] * T(0.5) * (d[j] * r[j] - T(1));
                       dx.add(2, std::move(g));
                     }
                   });
}

}  // namespace tg
