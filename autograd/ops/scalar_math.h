// scalar_math.h: numerically stable scalar functions shared by several ops. No ops are registered here.
// The trick in each: never evaluate e^x for a large positive x; rewrite in terms of e^-|x| <= 1.
// Read next: unary.h and losses.h, which use them.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "autograd/backend/fast_math.h"

namespace tg {

/// 1 / (1 + e^-x), through e = e^-|x| <= 1 so that nothing overflows: 1 / (1 + e) for x >= 0, e / (1 + e) below.
/// Branch-free (a select) and on fast_math.h's exp, so a loop over it vectorises in float; in double, libm's exp.
template <typename T>
T stable_sigmoid(T x) {
  const T e = fast_exp(-std::abs(x)), inv = T(1) / (T(1) + e);
  return select_negative(x, e * inv, inv);
}

/// log(1 + e^x) = max(x, 0) + log1p(e^-|x|): finite at x = +-100 (the naive form overflows at x ~ 89 in float).
/// Branch-free as above; max(x, 0) as a select keeps NaN a NaN.
template <typename T>
T stable_softplus(T x) {
  return select_negative(x, T(0), x) + fast_log1p_unit(fast_exp(-std::abs(x)));
}

/// log softmax of one line of n values, v(k) for k = 0..n-1, each result handed to out(k, value): log p_k =
/// (v_k - m) - log1p(r), with m the line's largest value and r the sum of e^(v_k - m) over the other entries. Both
/// terms keep their digits, where v_k - (m + log s) would lose the small ones: log_softmax({100, 89, 80})[0] is
/// -1.670e-5 this way, -1.526e-5 the other (m + log s rounds to 100), and log(1 + r) in float gives -1.669e-5.
/// A line whose largest value is not finite gets v_k - m, the answer logsumexp's m would give. Shared by the
/// log_softmax op (reduce.h) and cross_entropy (losses.h).
template <typename T, typename Read, typename Write>
void log_softmax_line(int64_t n, Read v, Write out) {
  int64_t top = 0;
  for (int64_t k = 1; k < n; ++k)
    if (v(k) > v(top)) top = k;
  const T m = v(top);
  T log_s = 0;
  if (std::isfinite(m)) {
    T rest = 0;  // the other entries' e^(v - m): log s = log1p(rest), exact however small rest is
    for (int64_t k = 0; k < n; ++k)
      if (k != top) rest += std::exp(v(k) - m);
    log_s = std::log1p(rest);
  }
  for (int64_t k = 0; k < n; ++k) out(k, (v(k) - m) - log_s);
}

/// The gaussian ops clamp log-variance to +-kLogVarLimit before exponentiating: e^80 ~ 5.5e34, so even a
/// sum of 200 such terms stays below float's 3.4e38. Inside the limits the ops follow their formulas; outside,
/// the value saturates but the gradient keeps the unclamped formula's sign, so training is pushed back, not
/// stuck. Written as two bit-mask selects rather than std::clamp so that the loops around it vectorise; NaN
/// passes through, as it does through std::clamp.
template <typename T>
T clamp_logvar(T logvar) {
  constexpr T kLogVarLimit = T(80);
  logvar = select_negative(logvar + kLogVarLimit, -kLogVarLimit, logvar);
  return select_negative(kLogVarLimit - logvar, kLogVarLimit, logvar);
}

}  // namespace tg
