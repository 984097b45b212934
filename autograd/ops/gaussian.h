// gaussian.h: the diagonal-Gaussian pieces of a VAE — gaussian_sample (the reparameterisation trick),
// gaussian_kl (to N(0, I), analytic) and gaussian_log_density. All take (B, Z) matrices; the last two sum
// over Z and return (B). The derivations are in docs/elbo_gradients.md. Read next: ../../models/vae.h.
#pragma once
#include <cmath>
#include <numbers>
#include <vector>

#include "autograd/ops/scalar_math.h"
#include "autograd/tape.h"

namespace tg {

// ---- gaussian_sample: z = mu + e^(lv / 2) * eps, with eps ~ N(0, I) drawn by the caller (a constant)
//   dmu = dz,   dlv = dz * eps * e^(lv / 2) / 2     (Kingma & Welling 2013: the reparameterisation trick —
//   the randomness sits in eps, so z is a differentiable function of mu and lv)
inline const OpId kGaussianSample = register_op("gaussian_sample");
template <typename T>
Var<T> gaussian_sample(const Var<T>& mu, const Var<T>& logvar, const Tensor<T>& eps) {
  require(mu.shape() == logvar.shape() && mu.shape() == eps.shape(),
          "gaussian_sample: mu {}, logvar {} and eps {} must have one shape", to_string(mu.shape()),
          to_string(logvar.shape()), to_string(eps.shape()));
  // Saved for backward: s = eps * e^(lv / 2), the noise as scaled for this example.
  Tensor<T> s = zip(logvar.value(), eps, [](T lv, T e) { return e * fast_exp(T(0.5) * clamp_logvar(lv)); });
  Tensor<T> z = zip(mu.value(), s, [](T m, T v) { return m + v; });
  return record<T>(kGaussianSample, {mu, logvar}, std::move(z), [s](const Tensor<T>& dz, InputGrads<T>& dx) {
    if (dx.needs(1)) dx.add(1, zip(dz, s, [](T g, T v) { return T(0.5) * g * v; }));
    dx.add(0, dz);
  });
}

// ---- gaussian_kl: KL( N(mu, e^lv) || N(0, I) ) per row, mu and lv (B, Z) -> (B)
//   KL_b = 1/2 sum_z (mu^2 + e^lv - 1 - lv);   dmu = dy mu,   dlv = dy (e^lv - 1) / 2
// e^lv is taken of clamp_logvar(lv) (see scalar_math.h), so lv = 100 stays finite in float. Here and in the
// other two ops e^ is fast_exp (fast_math.h): in float a vectorised polynomial within a few ulps, in double
// (the gradient checks) libm's exp.
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
  parallel_rows(B, Z, [&](int64_t first, int64_t last) {
    std::vector<T> terms(static_cast<size_t>(Z));  // the row's terms, then their sum: the first loop vectorises
    for (int64_t b = first; b < last; ++b) {
      const T* mb = m.data() + b * Z;
      const T* lvb = lv.data() + b * Z;
      for (int64_t j = 0; j < Z; ++j) terms[j] = mb[j] * mb[j] + fast_exp(clamp_logvar(lvb[j])) - T(1) - lvb[j];
      y[b] = T(0.5) * sum_lanes(terms.data(), Z);
    }
  });
  return record<T>(kGaussianKl, {mu, logvar}, std::move(y), [m, lv](const Tensor<T>& dy, InputGrads<T>& dx) {
    if (dx.needs(0)) dx.add(0, scale_rows(m, dy, T(1)));
    if (dx.needs(1))
      dx.add(1, scale_rows(lv, dy, T(0.5), [](T v) { return fast_exp(clamp_logvar(v)) - T(1); }));
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
  parallel_rows(B, Z, [&](int64_t first, int64_t last) {
    std::vector<T> terms(static_cast<size_t>(Z));  // the row's terms, then their sum: the first loop vectorises
    for (int64_t b = first; b < last; ++b) {
      const T* xb = x.value().data() + b * Z;
      const T* mub = mu.value().data() + b * Z;
      const T* lvb = logvar.value().data() + b * Z;
      T* rb = r.data() + b * Z;
      for (int64_t j = 0; j < Z; ++j) {
        const T d = xb[j] - mub[j];
        rb[j] = d * fast_exp(-clamp_logvar(lvb[j]));
        terms[j] = log_2pi + lvb[j] + d * rb[j];
      }
      y[b] = T(-0.5) * sum_lanes(terms.data(), Z);
    }
  });
  return record<T>(kGaussianLogDensity, {x, mu, logvar}, std::move(y),
                   [r, d = zip(x.value(), mu.value(), [](T a, T b) { return a - b; })](const Tensor<T>& dy,
                                                                                           InputGrads<T>& dx) {
                     if (dx.needs(0)) dx.add(0, scale_rows(r, dy, T(-1)));
                     if (dx.needs(1)) dx.add(1, scale_rows(r, dy, T(1)));
                     if (dx.needs(2)) dx.add(2, scale_rows(zip(d, r, [](T a, T b) { return a * b - T(1); }), dy, T(0.5)));
                   });
}

}  // namespace tg
