// Size distributions (see particle_size.hpp).
#include "cathodelab/microstructure/particle_size.hpp"

#include "cathodelab/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace cathodelab::microstructure {
namespace {

bool is_table(const SizeDistribution& size) {
  return !size.table_diameters.empty();
}

// Table weights converted to number weights (volume weights divide by d^3).
std::vector<double> table_number_weights(const SizeDistribution& size) {
  std::vector<double> weights(size.table_diameters.size(), 0.0);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double d = size.table_diameters[i];
    weights[i] = size.basis == SizeBasis::volume ? size.table_fractions[i] / (d * d * d)
                                                 : size.table_fractions[i];
  }
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  CATHODELAB_REQUIRE(total > 0.0, "size table weights must not all be zero");
  for (double& w : weights) {
    w /= total;
  }
  return weights;
}

double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::numbers::sqrt2);
}

}  // namespace

double number_median_diameter(const SizeDistribution& size) {
  const double ln_s = std::log(std::max(size.geometric_spread, 1.0));
  return size.basis == SizeBasis::volume ? size.d50 * std::exp(-3.0 * ln_s * ln_s) : size.d50;
}

DiameterBounds diameter_bounds(const SizeDistribution& size) {
  if (is_table(size)) {
    const auto [lo, hi] =
        std::minmax_element(size.table_diameters.begin(), size.table_diameters.end());
    return {*lo, *hi};
  }
  const double median = number_median_diameter(size);
  const double s = std::max(size.geometric_spread, 1.0);
  const double lo = size.min_diameter > 0.0 ? size.min_diameter : median / (s * s * s);
  const double hi = size.max_diameter > 0.0 ? size.max_diameter : median * s * s * s;
  return {std::min(lo, median), std::max(hi, median)};
}

double draw_diameter(const SizeDistribution& size, core::Rng& rng) {
  if (is_table(size)) {
    const std::vector<double> weights = table_number_weights(size);
    double u = rng.uniform();
    for (std::size_t i = 0; i < weights.size(); ++i) {
      u -= weights[i];
      if (u < 0.0) {
        return size.table_diameters[i];
      }
    }
    return size.table_diameters.back();
  }
  const double median = number_median_diameter(size);
  const double ln_s = std::log(std::max(size.geometric_spread, 1.0));
  if (ln_s == 0.0) {
    return median;
  }
  const DiameterBounds bounds = diameter_bounds(size);
  // Rejection keeps the truncated log-normal exact; bounds contain the median so this terminates
  // fast.
  for (;;) {
    const double d = median * std::exp(ln_s * rng.normal());
    if (d >= bounds.lo && d <= bounds.hi) {
      return d;
    }
  }
}

double number_cdf(const SizeDistribution& size, double diameter) {
  if (is_table(size)) {
    const std::vector<double> weights = table_number_weights(size);
    double cdf = 0.0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (size.table_diameters[i] <= diameter) {
        cdf += weights[i];
      }
    }
    return cdf;
  }
  const double median = number_median_diameter(size);
  const double ln_s = std::log(std::max(size.geometric_spread, 1.0));
  if (ln_s == 0.0) {
    return diameter >= median ? 1.0 : 0.0;
  }
  const DiameterBounds bounds = diameter_bounds(size);
  const double z_lo = std::log(bounds.lo / median) / ln_s;
  const double z_hi = std::log(bounds.hi / median) / ln_s;
  const double z = std::log(std::clamp(diameter, bounds.lo, bounds.hi) / median) / ln_s;
  return (normal_cdf(z) - normal_cdf(z_lo)) / (normal_cdf(z_hi) - normal_cdf(z_lo));
}

double mean_particle_volume(const SizeDistribution& size) {
  const auto volume = [](double d) { return std::numbers::pi / 6.0 * d * d * d; };
  if (is_table(size)) {
    const std::vector<double> weights = table_number_weights(size);
    double mean = 0.0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      mean += weights[i] * volume(size.table_diameters[i]);
    }
    return mean;
  }
  const double median = number_median_diameter(size);
  const double ln_s = std::log(std::max(size.geometric_spread, 1.0));
  if (ln_s == 0.0) {
    return volume(median);
  }
  // Midpoint quadrature of the truncated normal in z = ln(d/median)/ln_s.
  const DiameterBounds bounds = diameter_bounds(size);
  const double z_lo = std::log(bounds.lo / median) / ln_s;
  const double z_hi = std::log(bounds.hi / median) / ln_s;
  constexpr int n = 2000;
  const double dz = (z_hi - z_lo) / n;
  double weight = 0.0;
  double mean = 0.0;
  for (int i = 0; i < n; ++i) {
    const double z = z_lo + (i + 0.5) * dz;
    const double pdf = std::exp(-0.5 * z * z);
    weight += pdf;
    mean += pdf * volume(median * std::exp(ln_s * z));
  }
  return mean / weight;
}

std::vector<double> draw_diameters_for_volume(const SizeDistribution& size, double total_volume,
                                              core::Rng& rng) {
  std::vector<double> diameters;
  double volume = 0.0;
  while (volume < total_volume) {
    const double d = draw_diameter(size, rng);
    diameters.push_back(d);
    volume += std::numbers::pi / 6.0 * d * d * d;
  }
  std::sort(diameters.begin(), diameters.end(), std::greater<>());
  return diameters;
}

}  // namespace cathodelab::microstructure
