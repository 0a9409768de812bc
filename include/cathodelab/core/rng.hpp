// Seeded, platform-independent random numbers.
//
// std:: distributions differ between standard libraries, so the same seed could give different
// structures on different machines. We use std::mt19937_64 for raw bits (its output is fixed by the
// standard) and draw uniforms and normals ourselves. Independent streams (per design, per particle
// class) come from SplitMix64 mixing of (seed, stream).
#pragma once

#include <cstdint>
#include <random>

namespace cathodelab::core {

class Rng {
 public:
  explicit Rng(std::uint64_t seed, std::uint64_t stream = 0);

  /// uniform in [0, 1)
  double uniform();
  /// uniform in [lo, hi)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// uniform integer in [0, n)
  std::uint64_t below(std::uint64_t n);
  /// standard normal (Box-Muller, both values used)
  double normal();
  std::uint64_t bits() { return engine_(); }

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

/// SplitMix64 finalizer: a good 64-bit mix, used to derive stream seeds and content hashes.
[[nodiscard]] std::uint64_t mix64(std::uint64_t value) noexcept;

}  // namespace cathodelab::core
