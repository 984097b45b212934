// rng.cpp: xoshiro256++ and the draws built on it. Read next: nn/init.h, which takes an Rng&.
#include "autograd/rng.h"

#include "autograd/check.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <memory>
#include <numbers>
#include <vector>

#include "autograd/backend/parallel.h"

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

namespace tg {

namespace {
uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
}  // namespace

uint64_t derive_seed(uint64_t seed, std::string_view purpose) {
  uint64_t h = 0xCBF29CE484222325ULL;  // FNV-1a over the name, then mixed with the seed by splitmix64
  for (unsigned char c : purpose) h = (h ^ c) * 0x100000001B3ULL;
  uint64_t x = seed ^ h;
  return splitmix64(x);
}

Rng::Rng(uint64_t seed) {
  for (uint64_t& word : s_) word = splitmix64(seed);  // never all zero
}

uint64_t Rng::next_u64() {
  const uint64_t result = std::rotl(s_[0] + s_[3], 23) + s_[0];
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = std::rotl(s_[3], 45);
  return result;
}

double Rng::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

uint64_t Rng::below(uint64_t n) {
  // Reject the top partial block so every residue is equally likely.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = next_u64();
  while (x >= limit);
  return x % n;
}

namespace {
// The Box-Muller transform: uniforms (u1 > 0, u2) -> two independent standard normals
//   r cos(2 pi u2), r sin(2 pi u2),   r = sqrt(-2 log u1).
// log, sin and cos of a double cost libm ~28 ns a pair, which at Z = 200 was the largest cost of a training
// step outside the matrix multiplies. glibc's vector math library (libmvec) computes them 8 (AVX-512) or 4 (AVX2)
// at a time, within 4 ulps of libm: 3 ns a pair, and the same floats for all of 10 million draws we compared
// (the double results differ from libm's in the last bits). Every draw goes through the same vector kernel,
// single draws included (padded to a full vector), so normal() and fill_normal() agree exactly.
#if defined(TG_REFERENCE)
constexpr int kLanes = 1;  // the reference build: libm, one pair at a time
#elif defined(__AVX512F__)
using Doubles = __m512d;
constexpr int kLanes = 8;
#define TG_LIBMVEC(name) _ZGVeN8v_##name  // libmvec's names follow the vector ABI: e = AVX-512, 8 lanes
#elif defined(__AVX2__)
using Doubles = __m256d;
constexpr int kLanes = 4;
#define TG_LIBMVEC(name) _ZGVdN4v_##name  // d = AVX2, 4 lanes
#else
constexpr int kLanes = 1;  // no vector math library: libm, one pair at a time
#endif
#ifdef TG_LIBMVEC
extern "C" Doubles TG_LIBMVEC(log)(Doubles);
extern "C" Doubles TG_LIBMVEC(sin)(Doubles);
extern "C" Doubles TG_LIBMVEC(cos)(Doubles);
#endif

// kLanes pairs: u1[k], u2[k] -> cos_part[k], sin_part[k].
void box_muller_lanes(const double* u1, const double* u2, double* cos_part, double* sin_part) {
#ifdef TG_LIBMVEC
  alignas(64) double radius[kLanes], angle[kLanes], c[kLanes], s[kLanes];
  Doubles lu;
  std::memcpy(&lu, u1, sizeof lu);
  lu = TG_LIBMVEC(log)(lu);
  std::memcpy(radius, &lu, sizeof lu);
  for (int k = 0; k < kLanes; ++k) radius[k] = std::sqrt(-2.0 * radius[k]), angle[k] = 2.0 * std::numbers::pi * u2[k];
  Doubles va;
  std::memcpy(&va, angle, sizeof va);
  const Doubles vc = TG_LIBMVEC(cos)(va), vs = TG_LIBMVEC(sin)(va);
  std::memcpy(c, &vc, sizeof vc);
  std::memcpy(s, &vs, sizeof vs);
  for (int k = 0; k < kLanes; ++k) cos_part[k] = radius[k] * c[k], sin_part[k] = radius[k] * s[k];
#else
  const double radius = std::sqrt(-2.0 * std::log(u1[0])), angle = 2.0 * std::numbers::pi * u2[0];
  cos_part[0] = radius * std::cos(angle), sin_part[0] = radius * std::sin(angle);
#endif
}

// One pair, through the same vector kernel (padded with u = 0.5) so that it equals the same pair in a vector.
void box_muller_one(double u1, double u2, double& cos_part, double& sin_part) {
  double a[kLanes], b[kLanes], c[kLanes], s[kLanes];
  for (int k = 0; k < kLanes; ++k) a[k] = b[k] = 0.5;
  a[0] = u1, b[0] = u2;
  box_muller_lanes(a, b, c, s);
  cos_part = c[0], sin_part = s[0];
}

// One uniform for the radius, never 0 (log(0) guard), then one for the angle: the order normal() draws them in.
void draw_uniform_pair(Rng& rng, double& u1, double& u2) {
  do u1 = rng.uniform();
  while (u1 <= 0.0);
  u2 = rng.uniform();
}
}  // namespace

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u1, u2, cos_part, sin_part;
  draw_uniform_pair(*this, u1, u2);
  box_muller_one(u1, u2, cos_part, sin_part);
  spare_ = sin_part;
  has_spare_ = true;
  return cos_part;
}

namespace {
// Draw the uniforms in order on this thread (the generator is sequential), transform them in parallel, and
// leave the state exactly as n calls of normal() would: the same spare, the same generator position.
template <typename T>
void fill_normal_impl(Rng& rng, T* out, int64_t n, bool& has_spare, double& spare) {
  int64_t i = 0;
  if (n > 0 && has_spare) {
    out[i++] = static_cast<T>(spare);
    has_spare = false;
  }
  const int64_t pairs = (n - i + 1) / 2;
  std::unique_ptr<double[]> u(new double[static_cast<size_t>(2 * pairs)]);  // u1, u2 of each pair, as drawn
  for (int64_t p = 0; p < pairs; ++p) draw_uniform_pair(rng, u[2 * p], u[2 * p + 1]);
  T* dst = out + i;
  const int64_t left = n - i;
  double last_sin = 0;  // the last pair's second value, written by the one chunk that has that pair
  // Whole vectors of pairs per chunk, each transformed and written straight into dst; the same for any split.
  const int64_t vectors = (pairs + kLanes - 1) / kLanes;
  parallel_for(vectors, 1024, [&](int64_t first, int64_t last) {
    double u1[kLanes], u2[kLanes], c[kLanes], s[kLanes];
    for (int64_t v = first; v < last; ++v) {
      const int64_t p0 = v * kLanes, count = std::min<int64_t>(kLanes, pairs - p0);
      for (int k = 0; k < kLanes; ++k)  // a partial last vector is padded with 0.5 and its extra results dropped
        u1[k] = k < count ? u[2 * (p0 + k)] : 0.5, u2[k] = k < count ? u[2 * (p0 + k) + 1] : 0.5;
      box_muller_lanes(u1, u2, c, s);
      for (int64_t k = 0; k < count; ++k) {
        const int64_t p = p0 + k;
        dst[2 * p] = static_cast<T>(c[k]);
        if (2 * p + 1 < left) dst[2 * p + 1] = static_cast<T>(s[k]);
        if (p == pairs - 1) last_sin = s[k];
      }
    }
  });
  if (pairs > 0) {  // the spare the next draw returns if n - i is odd (kept even when used, as normal() does)
    spare = last_sin;
    has_spare = left % 2 == 1;
  }
}
}  // namespace

void Rng::fill_normal(float* out, int64_t n) { fill_normal_impl(*this, out, n, has_spare_, spare_); }
void Rng::fill_normal(double* out, int64_t n) { fill_normal_impl(*this, out, n, has_spare_, spare_); }

Rng::State Rng::state() const {
  return {s_[0], s_[1], s_[2], s_[3], has_spare_ ? 1u : 0u, std::bit_cast<uint64_t>(spare_)};
}

void Rng::set_state(const State& st) {
  // xoshiro's all-zero state is a fixed point (every draw 0, and below() would loop forever); a spare that is
  // not a finite number, or a flag other than 0/1, cannot come from state() either.
  require(st[0] != 0 || st[1] != 0 || st[2] != 0 || st[3] != 0, "rng state: the generator's four words are all zero");
  require(st[4] <= 1, "rng state: has_spare is {}, expected 0 or 1", st[4]);
  require(std::isfinite(std::bit_cast<double>(st[5])), "rng state: the spare normal draw is not a finite number");
  for (int i = 0; i < 4; ++i) s_[i] = st[i];
  has_spare_ = st[4] != 0;
  spare_ = std::bit_cast<double>(st[5]);
}

}  // namespace tg
