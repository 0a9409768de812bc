// Seeded, platform-independent random numbers (see rng.hpp): std::mt19937_64 bits, uniforms and
// Box-Muller normals drawn here, independent streams seeded by SplitMix64 mixing.
#include "cathodelab/core/rng.hpp"

#include <cmath>
#include <numbers>

namespace cathodelab::core {

std::uint64_t mix64(std::uint64_t value) noexcept {
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27U)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31U);
}

Rng::Rng(std::uint64_t seed, std::uint64_t stream) : engine_(mix64(mix64(seed) ^ stream)) {}

double Rng::uniform() {
  // 53 random mantissa bits -> exactly representable doubles in [0, 1)
  return static_cast<double>(engine_() >> 11U) * 0x1.0p-53;
}

std::uint64_t Rng::below(std::uint64_t n) {
  // rejection sampling removes the modulo bias
  const std::uint64_t limit = (~std::uint64_t{0}) - ((~std::uint64_t{0}) % n);
  std::uint64_t draw = engine_();
  while (draw >= limit) {
    draw = engine_();
  }
  return draw % n;
}

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u1 = uniform();
  while (u1 <= 0.0) {
    u1 = uniform();
  }
  const double u2 = uniform();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  spare_ = radius * std::sin(angle);
  has_spare_ = true;
  return radius * std::cos(angle);
}

}  // namespace cathodelab::core
