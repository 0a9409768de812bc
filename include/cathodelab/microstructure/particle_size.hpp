// Particle size distributions: drawing diameters from a log-normal (by median d50 and geometric
// spread sigma_g) or from a table, deterministically from core::Rng.
//
// A log-normal by number with median d_n and spread sigma_g has its volume-weighted median at
// d_v = d_n exp(3 ln^2 sigma_g) (Hatch-Choate relation); laser diffraction reports d_v, so a d50
// given on the volume basis is converted to the number median before drawing.
#pragma once

#include "cathodelab/core/rng.hpp"
#include "cathodelab/microstructure/generation_spec.hpp"

#include <vector>

namespace cathodelab::microstructure {

/// [m] number-median diameter of a log-normal distribution (converts a volume-basis d50).
[[nodiscard]] double number_median_diameter(const SizeDistribution& size);

/// [m] truncation bounds [lo, hi] of the distribution as drawn.
struct DiameterBounds {
  double lo = 0.0;  ///< [m]
  double hi = 0.0;  ///< [m]
};
[[nodiscard]] DiameterBounds diameter_bounds(const SizeDistribution& size);

/// One diameter [m] drawn from the number distribution.
[[nodiscard]] double draw_diameter(const SizeDistribution& size, core::Rng& rng);

/// [m^3] expected volume of one particle drawn by number, E[pi d^3 / 6] (by quadrature over the
/// truncated distribution, or the table sum); used to size particle counts before drawing.
[[nodiscard]] double mean_particle_volume(const SizeDistribution& size);

/// Draws diameters until their total sphere volume reaches `total_volume` [m^3]; the last particle
/// is kept (so the sum exceeds the target by less than one particle). Returned sorted descending
/// (large particles are placed first).
[[nodiscard]] std::vector<double> draw_diameters_for_volume(const SizeDistribution& size,
                                                            double total_volume, core::Rng& rng);

/// Cumulative distribution (by number) of the requested distribution at diameter d [m]: the
/// reference for goodness-of-fit tests of placed particles.
[[nodiscard]] double number_cdf(const SizeDistribution& size, double diameter);

}  // namespace cathodelab::microstructure
