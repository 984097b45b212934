// rng.cpp: xoshiro256++ and the draws built on it. Read next: nn/init.h, which takes an Rng&.
#include "autograd/rng.h"

#include <bit>
#include <cmath>
#include <numbers>
#include <vector>

#include "autograd/parallel.h"

namespace tg {

namespace {
uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
}  // namespace

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
// The Box-Muller transform of one pair of uniforms (u1 > 0): two independent standard normals.
struct NormalPair {
  double cos_part, sin_part;
};
NormalPair box_muller(double u1, double u2) {
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  return {radius * std::cos(angle), radius * std::sin(angle)};
}
}  // namespace

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u1;
  do u1 = uniform();
  while (u1 <= 0.0);  // log(0) guard
  const NormalPair p = box_muller(u1, uniform());
  spare_ = p.sin_part;
  has_spare_ = true;
  return p.cos_part;
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
  std::vector<double> u(static_cast<size_t>(2 * pairs));
  for (int64_t p = 0; p < pairs; ++p) {
    do u[2 * p] = rng.uniform();
    while (u[2 * p] <= 0.0);
    u[2 * p + 1] = rng.uniform();
  }
  T* dst = out + i;
  const int64_t left = n - i;
  parallel_for(pairs, 4096, [&](int64_t first, int64_t last) {
    for (int64_t p = first; p < last; ++p) {
      const NormalPair z = box_muller(u[2 * p], u[2 * p + 1]);
      dst[2 * p] = static_cast<T>(z.cos_part);
      if (2 * p + 1 < left) dst[2 * p + 1] = static_cast<T>(z.sin_part);
    }
  });
  if (pairs > 0) {  // the last pair's second value: the spare the next draw returns if n - i is odd
    spare = box_muller(u[2 * pairs - 2], u[2 * pairs - 1]).sin_part;  // (kept even when used, as normal() does)
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
  for (int i = 0; i < 4; ++i) s_[i] = st[i];
  has_spare_ = st[4] != 0;
  spare_ = std::bit_cast<double>(st[5]);
}

}  // namespace tg
