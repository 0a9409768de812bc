// Effective conductivity: answers that are exact for the discretization.
//
// Discretization (docs/theory/transport.md): unknowns at voxel centres, face conductance between
// voxels a, b = h * 2 s_a s_b / (s_a + s_b) (area h^2 over distance h), boundary voxel to its
// driven face = 2 h s (distance h/2), potentials 1 V and 0 V on the outer faces of the first and
// last layer.
//  - Uniform block of n_x x n_y x n_z voxels: the linear potential through the face centres solves
//  the
//    discrete equations; the current is s h^2 n_x n_y / (n_z h), so sigma_eff = s and tau = 1.
//  - Series stack of layers normal to the axis, s_k in layer k: every column is a chain of
//  resistors
//    h/(2 s_k h^2) + h/(2 s_k h^2) per layer, so the current per column is 1 / sum_k 1/(s_k h) and
//    sigma_eff = n_z / sum_k (1 / s_k): the harmonic mean, exact with the half-voxel boundary.
//  - Parallel slabs (layers parallel to the axis): the potential 1 - z/L is exact in every slab and
//    no current crosses between slabs, so sigma_eff = arithmetic mean of s over the slabs.
//  - Straight columns through an insulator: each column carries s h (1 V) / n_z; a dead end
//  attached
//    to a column is at the column's potential and carries nothing; clusters touching at most one
//    face carry nothing. sigma_eff = s * columns / (n_x n_y) and the percolating fraction counts
//    columns and dead ends over all conducting voxels.
//  - Non-percolating image: no path, sigma_eff = 0, tau = infinity, flagged, not an error.
#include "cathodelab/core/error.hpp"
#include "cathodelab/transport/effective_conductivity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace cl = cathodelab;
using cl::core::Array3;
using cl::core::Axis;
using cl::core::Grid3;

namespace {
constexpr double kTol = 1e-5;  // relative; the solve runs to 1e-8 relative residual here
const cl::transport::ConductivityOptions kTight{.relative_tolerance = 1e-9};
}  // namespace

TEST(TransportExact, UniformBlockGivesBulkConductivityAndTauOne) {
  const Array3<std::uint8_t> image(Grid3{{7, 5, 9}, 2e-6}, 1);
  const std::vector<double> sigma{0.0, 2.5};
  for (const Axis axis : {Axis::x, Axis::y, Axis::z}) {
    const auto r = cl::transport::effective_conductivity(image, sigma, axis, kTight);
    EXPECT_TRUE(r.percolates);
    EXPECT_TRUE(r.stats.converged);
    EXPECT_NEAR(r.effective_conductivity, 2.5, 2.5 * kTol);
    EXPECT_NEAR(r.tortuosity_factor, 1.0, kTol);
    EXPECT_DOUBLE_EQ(r.volume_fraction, 1.0);
    EXPECT_DOUBLE_EQ(r.percolating_fraction, 1.0);
    const auto a = static_cast<std::size_t>(axis);
    const double n_along = static_cast<double>(image.grid().shape[a]);
    const double area = 7.0 * 5.0 * 9.0 / n_along * 4e-12;
    EXPECT_NEAR(r.current_in, 2.5 * area / (n_along * 2e-6), 1e-5 * r.current_in);
    EXPECT_NEAR(r.current_out, r.current_in, 1e-6 * r.current_in);
  }
}

TEST(TransportExact, SeriesLayersGiveHarmonicMeanIncludingHalfVoxelBoundary) {
  // Four phases with contrast 1e4 stacked along z, in an uneven pattern.
  const std::vector<double> sigma{0.0, 1.0, 1e-4, 0.3, 20.0};
  const std::vector<std::uint8_t> layer_label{1, 2, 3, 4, 4, 1, 3, 2, 2, 1, 4};
  Array3<std::uint8_t> image(Grid3{{6, 4, layer_label.size()}, 1e-6});
  double sum_inverse = 0.0;
  for (std::size_t k = 0; k < layer_label.size(); ++k) {
    sum_inverse += 1.0 / sigma[layer_label[k]];
    for (std::size_t j = 0; j < 4; ++j)
      for (std::size_t i = 0; i < 6; ++i) image(i, j, k) = layer_label[k];
  }
  const double expected = static_cast<double>(layer_label.size()) / sum_inverse;
  const auto r = cl::transport::effective_conductivity(image, sigma, Axis::z, kTight);
  EXPECT_NEAR(r.effective_conductivity, expected, expected * kTol);
  // Across the layers (along x) they are parallel slabs: arithmetic mean.
  double mean = 0.0;
  for (const auto l : layer_label) mean += sigma[l] / static_cast<double>(layer_label.size());
  const auto p = cl::transport::effective_conductivity(image, sigma, Axis::x, kTight);
  EXPECT_NEAR(p.effective_conductivity, mean, mean * kTol);
  EXPECT_NEAR(p.tortuosity_factor, 1.0, kTol);  // sigma_bulk is the same arithmetic mean
}

TEST(TransportExact, ParallelSlabsGiveArithmeticMean) {
  const std::vector<double> sigma{0.0, 5.0, 0.5, 1e-3};
  Array3<std::uint8_t> image(Grid3{{9, 3, 12}, 1e-6});
  double mean = 0.0;
  for (std::size_t i = 0; i < 9; ++i) {
    const std::uint8_t l = static_cast<std::uint8_t>(1 + (i * 7) % 3);
    mean += sigma[l] / 9.0;
    for (std::size_t k = 0; k < 12; ++k)
      for (std::size_t j = 0; j < 3; ++j) image(i, j, k) = l;
  }
  for (const Axis axis : {Axis::y, Axis::z}) {
    const auto r = cl::transport::effective_conductivity(image, sigma, axis, kTight);
    EXPECT_NEAR(r.effective_conductivity, mean, mean * kTol);
  }
}

TEST(TransportExact, StraightChannelsWithDeadEndsAndIsolatedClusters) {
  Array3<std::uint8_t> image(Grid3{{10, 10, 16}, 1e-6}, 0);
  const std::vector<double> sigma{0.0, 3.0};
  std::size_t conducting = 0, spanning = 0;
  auto set = [&](std::size_t i, std::size_t j, std::size_t k) {
    if (image(i, j, k) == 0) ++conducting;
    image(i, j, k) = 1;
  };
  for (std::size_t k = 0; k < 16; ++k) {  // two straight channels
    set(1, 1, k);
    set(6, 7, k);
  }
  for (std::size_t i = 2; i < 5; ++i) set(i, 1, 8);      // dead end off channel 1
  for (std::size_t j = 2; j < 6; ++j) set(6, j + 2, 3);  // dead end off channel 2 (j = 4..7)
  spanning = conducting;
  for (std::size_t k = 4; k < 10; ++k) set(3, 5, k);   // isolated cluster
  for (std::size_t k = 0; k < 7; ++k) set(9, 9, k);    // touches only the first face
  for (std::size_t k = 12; k < 16; ++k) set(0, 9, k);  // touches only the last face
  const auto r = cl::transport::effective_conductivity(image, sigma, Axis::z, kTight);
  EXPECT_TRUE(r.percolates);
  EXPECT_NEAR(r.effective_conductivity, 3.0 * 2.0 / 100.0, 3.0 * 2.0 / 100.0 * kTol);
  EXPECT_EQ(r.unknowns, spanning);
  EXPECT_DOUBLE_EQ(r.percolating_fraction,
                   static_cast<double>(spanning) / static_cast<double>(conducting));
  const double phi = static_cast<double>(conducting) / 1600.0;
  EXPECT_NEAR(r.tortuosity_factor, phi * 3.0 / r.effective_conductivity, 1e-12);
  EXPECT_NEAR(r.current_out, r.current_in, 1e-6 * r.current_in);
}

TEST(TransportExact, NonPercolatingIsAResultNotAnError) {
  Array3<std::uint8_t> image(Grid3{{8, 8, 8}, 1e-6}, 1);
  for (std::size_t j = 0; j < 8; ++j)
    for (std::size_t i = 0; i < 8; ++i) image(i, j, 4) = 0;  // an insulating layer across z
  const std::vector<double> sigma{0.0, 1.0};
  const auto r = cl::transport::effective_conductivity(image, sigma, Axis::z);
  EXPECT_FALSE(r.percolates);
  EXPECT_EQ(r.effective_conductivity, 0.0);
  EXPECT_TRUE(std::isinf(r.tortuosity_factor));
  EXPECT_EQ(r.percolating_fraction, 0.0);
  EXPECT_EQ(r.unknowns, 0U);
  EXPECT_TRUE(r.stats.converged);
  // Along x the same image percolates (the layer lies along x): tau = 1/(phi) * phi = 1.
  const auto x = cl::transport::effective_conductivity(image, sigma, Axis::x, kTight);
  EXPECT_TRUE(x.percolates);
  EXPECT_NEAR(x.effective_conductivity, 7.0 / 8.0, 7.0 / 8.0 * kTol);
  EXPECT_NEAR(x.tortuosity_factor, 1.0, kTol);
}

TEST(TransportBadInput, RejectedWithKeyAndFix) {
  Array3<std::uint8_t> image(Grid3{{4, 4, 4}, 1e-6}, 1);
  image(0, 0, 0) = 2;
  auto expect_input_error = [&](const Array3<std::uint8_t>& img, std::vector<double> sigma,
                                Axis axis, const std::string& key, const std::string& words) {
    try {
      (void)cl::transport::effective_conductivity(img, sigma, axis);
      ADD_FAILURE() << "no InputError for " << key;
    } catch (const cl::core::InputError& e) {
      EXPECT_EQ(e.key_path(), key);
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
      EXPECT_FALSE(e.fix().empty());
    }
  };
  expect_input_error(image, {0.0, 1.0, NAN}, Axis::z, "sigma_by_label[2]",
                     "conductivity of label 2");
  expect_input_error(image, {0.0, -1.0, 1.0}, Axis::z, "sigma_by_label[1]", "-1");
  expect_input_error(image, {0.0, 1.0}, Axis::z, "sigma_by_label[2]", "label 2");
  const Array3<std::uint8_t> thin(Grid3{{4, 4, 1}, 1e-6}, 1);
  expect_input_error(thin, {0.0, 1.0}, Axis::z, "axes", "1 voxel thick along z");
  const Array3<std::uint8_t> no_size(Grid3{{4, 4, 4}, 0.0}, 1);
  expect_input_error(no_size, {0.0, 1.0}, Axis::z, "voxel_size", "positive length");
}
