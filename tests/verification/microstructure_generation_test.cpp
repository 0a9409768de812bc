// Verification of the recipe generator (docs/theory/microstructure.md).
//
// 1. Volume fractions: the per-phase radius scale is a k-th order statistic of the normalized
//    distance q = |x - c|/r over the voxels a phase owns, so the measured fraction equals the
//    target to within ties at the threshold; we require |measured - target| <= 0.01 for every
//    phase.
// 2. Particle size distribution: diameters are drawn from the (truncated) log-normal by number; the
//    Kolmogorov-Smirnov statistic D_n = sup |F_n(d) - F(d)| of the placed particles (diameters
//    divided by the phase's common radius scale) must stay below the 5 % critical value
//    1.36 / sqrt(n), and the scale itself within 5 % of 1 so the sizes in the image are the ones
//    asked.
// 3. Coating shells: for isolated spheres (no shell touches another or a wall) the shell volume is
//    sum 4/3 pi ((r + t)^3 - r^3); voxel counting converges to it as O(h/r), so with r >= 8 voxels
//    and t = 3 voxels we require 4 % agreement.
// 4. Dense packing: monodisperse spheres with 5 % allowed overlap reach a solid fraction >= 0.6
//    (random close packing is 0.64) with the radius scale <= 1.02, i.e. the packing and not a
//    dilation of the radii delivers the density, and every remaining excess overlap is < 1 % of
//    r_i + r_j.
// 5. Export/import round trip through TIFF and .npy is the identity on labels.
#include "cathodelab/io/image_io.hpp"
#include "cathodelab/microstructure/generate.hpp"
#include "cathodelab/microstructure/particle_size.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <optional>

namespace ms = cathodelab::microstructure;
namespace io = cathodelab::io;

TEST(MicrostructureGeneration, PlacedSizesFollowTheRequestedDistribution) {
  ms::GenerationSpec spec{
      .domain_x = 40e-6, .domain_y = 40e-6, .thickness = 30e-6, .voxel_size = 0.5e-6, .seed = 17};
  spec.phases.push_back(
      {.name = "pore", .role = ms::PhaseRole::pore, .shape = ms::PhaseShape::pore});
  const ms::SizeDistribution size{.d50 = 3e-6, .geometric_spread = 1.3};
  spec.phases.push_back({.name = "NCM811", .volume_fraction = 0.3, .size = size});
  const auto out = ms::generate(spec);
  const double scale = out.report.phases[1].radius_scale;
  EXPECT_NEAR(scale, 1.0, 0.05);
  std::vector<double> diameters;
  for (const auto& p : out.microstructure.particles()) {
    diameters.push_back(2.0 * p.radius / scale);
  }
  std::sort(diameters.begin(), diameters.end());
  const auto n = static_cast<double>(diameters.size());
  ASSERT_GT(n, 300);
  double d_max = 0.0;
  for (std::size_t i = 0; i < diameters.size(); ++i) {
    const double f = ms::number_cdf(size, diameters[i]);
    d_max = std::max({d_max, std::abs(f - static_cast<double>(i) / n),
                      std::abs(f - static_cast<double>(i + 1) / n)});
  }
  EXPECT_LT(d_max, 1.36 / std::sqrt(n)) << "KS statistic over " << n << " particles";
  // A distribution twice as wide must be rejected by the same statistic (the test can fail).
  const ms::SizeDistribution wrong{.d50 = 3e-6, .geometric_spread = 1.8};
  double d_wrong = 0.0;
  for (std::size_t i = 0; i < diameters.size(); ++i) {
    d_wrong = std::max(
        d_wrong, std::abs(ms::number_cdf(wrong, diameters[i]) - static_cast<double>(i + 1) / n));
  }
  EXPECT_GT(d_wrong, 1.36 / std::sqrt(n));
}

TEST(MicrostructureGeneration, CoatingShellVolumeMatchesGeometryForIsolatedParticles) {
  const double h = 0.5e-6;
  const double t = 3 * h;
  const auto make = [&](std::uint64_t seed) {
    ms::GenerationSpec spec{
        .domain_x = 40e-6, .domain_y = 40e-6, .thickness = 30e-6, .voxel_size = h, .seed = seed};
    spec.phases.push_back(
        {.name = "pore", .role = ms::PhaseRole::pore, .shape = ms::PhaseShape::pore});
    spec.phases.push_back(
        {.name = "NCM811",
         .volume_fraction = 0.012,
         .size = {.table_diameters = {8e-6}, .table_fractions = {1.0}},
         .coating = ms::CoatingSpec{.name = "shell",
                                    .material = "LiNbO3",
                                    .thickness = t,
                                    .representation = ms::CoatingRepresentation::voxels}});
    return ms::generate(spec);
  };
  // The exact check needs isolated shells (clear of the walls and of each other); the first seed
  // that gives such a configuration is used (deterministic).
  const auto isolated = [&](const ms::GeneratedMicrostructure& out) {
    const auto& particles = out.microstructure.particles();
    for (std::size_t a = 0; a < particles.size(); ++a) {
      const auto& p = particles[a];
      if (p.centre[2] - p.radius - t < h || p.centre[2] + p.radius + t > 30e-6 - h) return false;
      for (std::size_t b = a + 1; b < particles.size(); ++b) {
        const auto& q = particles[b];
        double d2 = 0.0;
        for (int c = 0; c < 3; ++c) {
          double d = q.centre[c] - p.centre[c];
          if (c < 2) d -= 40e-6 * std::nearbyint(d / 40e-6);
          d2 += d * d;
        }
        if (std::sqrt(d2) < p.radius + q.radius + 2 * t + 2 * h) return false;
      }
    }
    return particles.size() >= 2;
  };
  std::optional<ms::GeneratedMicrostructure> found;
  for (std::uint64_t seed = 1; seed <= 30 && !found; ++seed) {
    auto out = make(seed);
    if (isolated(out)) found = std::move(out);
  }
  ASSERT_TRUE(found.has_value()) << "no seed gave isolated particles";
  double expected = 0.0;
  for (const auto& p : found->microstructure.particles()) {
    expected += 4.0 / 3.0 * std::numbers::pi * (std::pow(p.radius + t, 3) - std::pow(p.radius, 3));
  }
  const auto fractions = found->microstructure.volume_fractions();
  const double box = 40e-6 * 40e-6 * 30e-6;
  EXPECT_NEAR(fractions[2] * box / expected, 1.0, 0.04);
  EXPECT_TRUE(found->report.phases[2].coating_voxelized);
  EXPECT_NEAR(found->report.phases[2].coating_expected_fraction * box / expected, 1.0, 1e-12);
}

TEST(MicrostructureGeneration, DensePackingReachesRandomClosePacking) {
  ms::GenerationSpec spec{
      .domain_x = 24e-6, .domain_y = 24e-6, .thickness = 24e-6, .voxel_size = 0.3e-6, .seed = 8};
  spec.phases.push_back(
      {.name = "pore", .role = ms::PhaseRole::pore, .shape = ms::PhaseShape::pore});
  spec.phases.push_back({.name = "Li6PS5Cl",
                         .role = ms::PhaseRole::electrolyte,
                         .volume_fraction = 0.62,
                         .size = {.d50 = 3e-6},
                         .allowed_overlap = 0.05});
  const auto out = ms::generate(spec);
  const auto fractions = out.microstructure.volume_fractions();
  EXPECT_GE(fractions[1], 0.6);
  EXPECT_LE(out.report.phases[1].radius_scale, 1.02);
  EXPECT_LT(out.report.packing.max_excess_overlap, 0.01);
}

TEST(MicrostructureGeneration, FractionsWithinOneHundredthForTheSeedSystems) {
  // NCM811 + halide + LWOC (mixed conductor) cold pressed, and a single-phase dual-conducting
  // cathode.
  ms::GenerationSpec lwoc{
      .domain_x = 20e-6, .domain_y = 20e-6, .thickness = 16e-6, .voxel_size = 0.4e-6, .seed = 1};
  lwoc.phases.push_back(
      {.name = "pore", .role = ms::PhaseRole::pore, .shape = ms::PhaseShape::pore});
  lwoc.phases.push_back({.name = "NCM811",
                         .volume_fraction = 0.62,
                         .size = {.d50 = 5e-6, .geometric_spread = 1.2},
                         .allowed_overlap = 0.05});
  lwoc.phases.push_back({.name = "Li3InCl6",
                         .role = ms::PhaseRole::electrolyte,
                         .volume_fraction = 0.22,
                         .size = {.d50 = 2e-6, .geometric_spread = 1.3},
                         .allowed_overlap = 0.2});
  lwoc.phases.push_back({.name = "LWOC",
                         .role = ms::PhaseRole::mixed,
                         .volume_fraction = 0.06,
                         .size = {.d50 = 1.2e-6, .geometric_spread = 1.2},
                         .allowed_overlap = 0.2});
  ms::GenerationSpec icdc{
      .domain_x = 20e-6, .domain_y = 20e-6, .thickness = 16e-6, .voxel_size = 0.4e-6, .seed = 1};
  icdc.phases.push_back(
      {.name = "pore", .role = ms::PhaseRole::pore, .shape = ms::PhaseShape::pore});
  icdc.phases.push_back({.name = "ICDC",
                         .role = ms::PhaseRole::active,
                         .volume_fraction = 0.9,
                         .size = {.d50 = 4e-6, .geometric_spread = 1.3},
                         .allowed_overlap = 0.3});
  for (const auto& spec : {lwoc, icdc}) {
    const auto out = ms::generate(spec);
    for (const auto& phase : out.report.phases) {
      ASSERT_TRUE(phase.target_fraction.has_value());
      EXPECT_NEAR(phase.measured_fraction, *phase.target_fraction, 0.01) << phase.name;
    }
  }
}

TEST(MicrostructureGeneration, ExportImportRoundTripIsIdentical) {
  ms::GenerationSpec spec{
      .domain_x = 12e-6, .domain_y = 10e-6, .thickness = 8e-6, .voxel_size = 0.4e-6, .seed = 3};
  spec.phases.push_back(
      {.name = "pore", .role = ms::PhaseRole::pore, .shape = ms::PhaseShape::pore});
  spec.phases.push_back(
      {.name = "NCM811", .volume_fraction = 0.5, .size = {.d50 = 3e-6}, .allowed_overlap = 0.1});
  spec.phases.push_back({.name = "LPSCl",
                         .role = ms::PhaseRole::electrolyte,
                         .volume_fraction = 0.3,
                         .size = {.d50 = 1.2e-6},
                         .allowed_overlap = 0.2});
  const auto out = ms::generate(spec);
  const auto dir = std::filesystem::temp_directory_path() / "cathodelab_verification_roundtrip";
  std::filesystem::create_directories(dir);
  io::write_tiff_labels(dir / "labels.tif", out.microstructure.labels());
  io::write_npy_labels(dir / "labels.npy", out.microstructure.labels());
  std::vector<io::PhaseMapping> map;
  for (std::size_t l = 0; l < out.microstructure.phases().size(); ++l) {
    map.push_back({static_cast<std::int32_t>(l), out.microstructure.phases()[l]});
  }
  for (const char* name : {"labels.tif", "labels.npy"}) {
    const auto back =
        io::to_microstructure(io::read_label_values(dir / name), map, spec.voxel_size, name);
    EXPECT_TRUE(back.labels() == out.microstructure.labels()) << name;
  }
}
