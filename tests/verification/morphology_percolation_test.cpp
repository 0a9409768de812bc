// Site percolation on the simple cubic lattice: the spanning probability jumps at p_c = 0.3116
// (Lorenz & Ziff, Phys. Rev. E 57 (1998) 230: p_c = 0.3116077). With face (6-neighbour)
// connectivity our labelling is exactly site percolation on the simple cubic lattice, so:
//   * below p_c the chance that a cluster spans an L^3 box vanishes as L grows; above p_c it tends
//     to one. The transition width scales as L^(-1/nu), nu = 0.876, i.e. about 0.015 at L = 40, so
//     p = 0.26 and p = 0.37 lie more than three widths away on either side: the statistical check
//     is loose on purpose (at most 2 of 16 samples on the wrong side).
//   * with 26-neighbour connectivity the threshold drops to about 0.097 (site percolation on the
//     sc lattice with 1st-3rd neighbours), so at p = 0.2 a vertex-connected image spans while a
//     face-connected one does not.
// Seeds are fixed, so the test is deterministic.
#include "cathodelab/core/rng.hpp"
#include "cathodelab/microstructure/networks.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace cathodelab::microstructure {
namespace {

core::Array3<Label> random_lattice(std::size_t n, double p, std::uint64_t seed) {
  core::Rng rng(seed);
  core::Array3<Label> labels({{n, n, n}, 1e-6}, 0);
  for (std::size_t v = 0; v < labels.size(); ++v) labels[v] = rng.uniform() < p ? 1 : 0;
  return labels;
}

int spanning_samples(double p, Connectivity connectivity, int samples) {
  const std::vector<double> sigma{0.0, 1.0};
  int spanning = 0;
  for (int s = 0; s < samples; ++s) {
    const auto labels = random_lattice(40, p, 1000 + static_cast<std::uint64_t>(s));
    const auto net = analyze_network(labels, sigma, Network::ionic, {.connectivity = connectivity});
    if (net.spanning_fraction > 0.0) ++spanning;
  }
  return spanning;
}

TEST(MorphologyPercolation, SiteThresholdOfTheSimpleCubicLatticeIsNear03116) {
  constexpr int samples = 16;
  EXPECT_LE(spanning_samples(0.26, Connectivity::face, samples), 2);
  EXPECT_GE(spanning_samples(0.37, Connectivity::face, samples), samples - 2);
}

TEST(MorphologyPercolation, VertexConnectivityPercolatesFarBelowTheFaceThreshold) {
  EXPECT_EQ(spanning_samples(0.20, Connectivity::face, 4), 0);
  EXPECT_EQ(spanning_samples(0.20, Connectivity::vertex, 4), 4);
}

TEST(MorphologyPercolation, WellAboveThresholdAlmostAllOfTheNetworkSpans) {
  // At p = 0.6 the infinite cluster holds nearly every occupied site (P_inf / p > 0.97).
  const std::vector<double> sigma{0.0, 1.0};
  const auto net = analyze_network(random_lattice(40, 0.6, 7), sigma, Network::ionic);
  EXPECT_GT(net.spanning_fraction, 0.95);
  EXPECT_GT(net.axis_spanning_fraction[0], 0.95);
  EXPECT_NEAR(net.volume_fraction, 0.6, 0.01);
  EXPECT_NEAR(net.spanning_fraction + net.dead_end_fraction + net.opposite_only_fraction +
                  net.isolated_fraction + net.boundary_only_fraction,
              1.0, 1e-12);
}

}  // namespace
}  // namespace cathodelab::microstructure
