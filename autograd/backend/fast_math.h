// fast_math.h: exp, log1p and tanh for the loops where libm's scalar calls dominate — the per-pixel BCE of a VAE's
// decoder (bce_with_logits_rowsum), the per-latent e^logvar of the Gaussian ops, and the tanh units of the IWAE
// and AEVB models (perf put glibc's tanhf at the top of the IWAE step). Written as plain arithmetic
// so the compiler vectorises the loop around them; libm's expf/log1pf are opaque calls that keep it scalar.
// Accuracy: a few float ulps over the ranges used (tests/test_fast_math.cpp checks a dense grid against libm).
// No ops are registered here.
// Read next: ../ops/losses.h (bce_with_logits_rowsum).
#pragma once
#include <bit>
#include <cstdint>
#include <type_traits>

namespace tg {

/// x < 0 ? when_negative : otherwise, as a bit-mask blend rather than a branch (which would keep the loop
/// around it scalar). Works for float and double.
template <typename T>
T select_negative(T x, T when_negative, T otherwise) {
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  const Bits mask = Bits(0) - static_cast<Bits>(x < T(0));  // all ones where x < 0
  return std::bit_cast<T>((std::bit_cast<Bits>(when_negative) & mask) | (std::bit_cast<Bits>(otherwise) & ~mask));
}

/// e^x. Range reduction x = n ln2 + r, |r| <= ln2 / 2, then a degree-6 Taylor polynomial for e^r and 2^n built
/// in the exponent bits. x is clamped to [-87, 88] first: below, float would go subnormal (e^-87 ~ 1.6e-38 is
/// as good as 0 in a log-likelihood or a variance); above, it would overflow. NaN stays NaN.
#ifdef TG_REFERENCE
// The reference build (make REFERENCE=1) uses libm itself, under the same contract: x clamped to [-87, 88].
inline float fast_exp(float x) { return x != x ? x : __builtin_expf(x < -87.0f ? -87.0f : x > 88.0f ? 88.0f : x); }
inline float fast_log1p_unit(float e) { return __builtin_log1pf(e); }
inline float fast_tanh(float x) { return __builtin_tanhf(x); }
#else
inline float fast_exp(float x) {
  // The clamps as bit-mask selects: GCC will not turn a float min/max into one vector instruction unless told
  // NaNs cannot occur (which we will not promise), but integer and/or it always vectorises.
  x = select_negative(x + 87.0f, -87.0f, x);
  x = select_negative(88.0f - x, 88.0f, x);
  const float shifted = x * 1.44269504f + 12582912.0f;  // + 1.5 * 2^23 drops the fraction: round(x / ln2) is in the low bits
  const float n = shifted - 12582912.0f;
  const float r = (x - n * 0.693359375f) + n * 2.12194440e-4f;    // x - n ln2 in two parts
  float p = 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  // 2^n from the same low bits, not static_cast<int32_t>(n): that cast is undefined for a NaN x (found by
  // -fsanitize=float-cast-overflow), while reading the bits is defined (and the NaN in p carries through).
  const uint32_t bits = (std::bit_cast<uint32_t>(shifted) - std::bit_cast<uint32_t>(12582912.0f) + 127u) << 23;
  return p * std::bit_cast<float>(bits);
}

/// log(1 + e) for e in [0, 1]: log1p(e) = 2 atanh(s), s = e / (2 + e) in [0, 1/3], by its odd series up to s^15
/// (the first term left out is s^17 / 17 < 6e-10). Exact in relative terms for tiny e, where log(1 + e) loses it.
inline float fast_log1p_unit(float e) {
  const float s = e / (2.0f + e), s2 = s * s;
  float p = 1.0f / 15.0f;
  p = p * s2 + 1.0f / 13.0f;
  p = p * s2 + 1.0f / 11.0f;
  p = p * s2 + 1.0f / 9.0f;
  p = p * s2 + 1.0f / 7.0f;
  p = p * s2 + 1.0f / 5.0f;
  p = p * s2 + 1.0f / 3.0f;
  p = p * s2 + 1.0f;
  return 2.0f * s * p;
}

/// tanh x. Near 0 by its odd Taylor series up to x^13 (for |x| < 0.3 the first term left out is below 1e-9 of
/// x); elsewhere as (1 - e) / (1 + e) with e = e^(-2|x|), where 1 - e has no cancellation to lose digits to (it
/// is 0.45 or more). The sign is put back from x's bits, so -0 stays -0; NaN stays NaN; beyond |x| = 43.5 the
/// clamp of fast_exp gives e ~ 1.6e-38 and the result 1.
inline float fast_tanh(float x) {
  const float a = std::bit_cast<float>(std::bit_cast<uint32_t>(x) & 0x7fffffffu), a2 = a * a;
  float p = 21844.0f / 6081075.0f;
  p = p * a2 - 1382.0f / 155925.0f;
  p = p * a2 + 62.0f / 2835.0f;
  p = p * a2 - 17.0f / 315.0f;
  p = p * a2 + 2.0f / 15.0f;
  p = p * a2 - 1.0f / 3.0f;
  const float series = a + a * a2 * p;
  const float e = fast_exp(-2.0f * a);
  const float ratio = (1.0f - e) / (1.0f + e);
  const float t = select_negative(a - 0.3f, series, ratio);  // |x| < 0.3: the series
  return std::bit_cast<float>(std::bit_cast<uint32_t>(t) | (std::bit_cast<uint32_t>(x) & 0x80000000u));
}
#endif

// Double precision (the gradient checks) keeps libm: speed does not matter there, exactness does.
inline double fast_exp(double x) { return __builtin_exp(x); }
inline double fast_log1p_unit(double e) { return __builtin_log1p(e); }
inline double fast_tanh(double x) { return __builtin_tanh(x); }

}  // namespace tg
