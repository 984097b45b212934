// rng.h: Rng, the only source of randomness: xoshiro256++ seeded through splitmix64 (both public-domain
// algorithms by Blackman & Vigna), plus uniform, integer and normal draws written out here rather than via
// <random>'s distributions, whose outputs differ between standard libraries. Every function that draws
// takes an Rng& explicitly, so SEED alone fixes a run. Its state saves and restores (checkpoints).
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

namespace tg {

class Rng {
 public:
  explicit Rng(uint64_t seed = 1);
  uint64_t next_u64();
  double uniform();                       // [0, 1), 53 random bits
  uint64_t below(uint64_t n);             // uniform integer in [0, n), unbiased
  double normal();                        // standard normal, Box-Muller (the spare is kept in the state)
  /// out[0..n) = n successive normal() draws, the same values in the same order, with the Box-Muller transforms
  /// (a log, a sqrt and a sincos per pair) split over the cores: at Z = 200 they were a tenth of a training step.
  void fill_normal(float* out, int64_t n);
  void fill_normal(double* out, int64_t n);

  using State = std::array<uint64_t, 6>;  // s[0..3], has_spare, bits of spare
  State state() const;
  void set_state(const State& st);  // throws on a state state() cannot produce (all-zero words, say)

 private:
  std::array<uint64_t, 4> s_{};
  bool has_spare_ = false;
  double spare_ = 0;
};

/// A seed for one purpose of a run ("m1", "labels", "diagnostics", ...), derived from the run's seed and the
/// purpose's name: each purpose gets its own stream, so adding or reordering one part of a program never changes
/// the random numbers another part sees.
uint64_t derive_seed(uint64_t seed, std::string_view purpose);

}  // namespace tg
