// Unit tests of recipe validation and generate(): errors name the key and the fix; fractions,
// ids and determinism hold on small domains.
#include "cathodelab/core/error.hpp"
#include "cathodelab/microstructure/generate.hpp"
#include "cathodelab/microstructure/particle_size.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace ms = cathodelab::microstructure;
using cathodelab::core::InputError;

namespace {

ms::GenerationSpec cold_pressed(std::uint64_t seed = 3) {
  ms::GenerationSpec spec{
      .domain_x = 16e-6, .domain_y = 16e-6, .thickness = 12e-6, .voxel_size = 0.4e-6, .seed = seed};
  spec.phases.push_back(
      {.name = "pore", .role = ms::PhaseRole::pore, .shape = ms::PhaseShape::pore});
  spec.phases.push_back({.name = "NCM811",
                         .role = ms::PhaseRole::active,
                         .volume_fraction = 0.5,
                         .size = {.d50 = 5e-6, .geometric_spread = 1.2},
                         .allowed_overlap = 0.05,
                         .coating = ms::CoatingSpec{.material = "LiNbO3", .thickness = 10e-9}});
  spec.phases.push_back({.name = "LPSCl",
                         .role = ms::PhaseRole::electrolyte,
                         .volume_fraction = 0.3,
                         .size = {.d50 = 1.6e-6, .geometric_spread = 1.2},
                         .allowed_overlap = 0.2});
  spec.phases.push_back(
      {.name = "VGCF",
       .role = ms::PhaseRole::additive,
       .shape = ms::PhaseShape::fibre,
       .volume_fraction = 0.02,
       .fibre = {.diameter = 150e-9, .length = {.d50 = 6e-6, .geometric_spread = 1.2}}});
  return spec;
}

std::string message_of(const ms::GenerationSpec& spec) {
  try {
    ms::validate(spec);
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST(GenerationSpec, RefusesFractionsAboveOne) {
  auto spec = cold_pressed();
  spec.phases[2].volume_fraction = 0.6;
  const std::string message = message_of(spec);
  EXPECT_NE(message.find("add up to 1.1200"), std::string::npos) << message;
  EXPECT_NE(message.find("microstructure.phases"), std::string::npos) << message;
}

TEST(GenerationSpec, NeedsExactlyOneRemainderPhase) {
  auto spec = cold_pressed();
  spec.phases[0].placement = ms::PorePlacement::surface;
  spec.phases[0].size = {.d50 = 2e-6};
  EXPECT_NE(message_of(spec).find("no phase fills the remainder"), std::string::npos);
}

TEST(GenerationSpec, RefusesUnresolvedParticles) {
  auto spec = cold_pressed();
  spec.phases[2].size.d50 = 0.5e-6;
  const std::string message = message_of(spec);
  EXPECT_NE(message.find("microstructure.phases.LPSCl.diameter"), std::string::npos) << message;
  EXPECT_NE(message.find("smaller voxel_size"), std::string::npos) << message;
}

TEST(GenerationSpec, UnknownShapeSuggestsNearest) {
  try {
    (void)ms::parse_phase_shape("spere", "microstructure.phases[1].shape");
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("did you mean 'sphere'"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(ms::parse_phase_shape("fiber", "k"), ms::PhaseShape::fibre);
}

TEST(ParticleSize, VolumeMedianConvertsToNumberMedian) {
  const ms::SizeDistribution size{
      .d50 = 10e-6, .geometric_spread = 1.5, .basis = ms::SizeBasis::volume};
  const double ln_s = std::log(1.5);
  EXPECT_NEAR(ms::number_median_diameter(size), 10e-6 * std::exp(-3.0 * ln_s * ln_s), 1e-15);
  EXPECT_NEAR(ms::number_cdf({.d50 = 4e-6, .geometric_spread = 1.4}, 4e-6), 0.5, 1e-12);
}

TEST(ParticleSize, TableByVolumeWeighsByInverseCube) {
  const ms::SizeDistribution size{.basis = ms::SizeBasis::volume,
                                  .table_diameters = {1e-6, 2e-6},
                                  .table_fractions = {0.5, 0.5}};
  // number weights proportional to 1 and 1/8
  EXPECT_NEAR(ms::number_cdf(size, 1.5e-6), 8.0 / 9.0, 1e-12);
}

TEST(Generate, HitsTargetFractionsAndReportsThem) {
  const auto out = ms::generate(cold_pressed());
  const auto& report = out.report;
  ASSERT_EQ(report.phases.size(), 5U);  // 4 phases + coating
  for (const auto& phase : report.phases) {
    if (phase.target_fraction) {
      EXPECT_NEAR(phase.measured_fraction, *phase.target_fraction, 0.01) << phase.name;
    }
  }
  EXPECT_TRUE(report.phases[4].is_coating);
  EXPECT_FALSE(report.phases[4].coating_voxelized);  // 10 nm at 400 nm voxels: interface property
  EXPECT_EQ(report.phases[4].measured_fraction, 0.0);
  EXPECT_GT(report.phases[1].particle_count, 3U);
  EXPECT_GT(report.phases[3].particle_count, 3U);
}

TEST(Generate, ParticleIdsAgreeWithLabels) {
  const auto out = ms::generate(cold_pressed());
  const auto& m = out.microstructure;
  ASSERT_TRUE(m.has_particle_ids());
  const auto& ids = m.particle_ids();
  const auto& labels = m.labels();
  std::size_t with_id = 0;
  for (std::size_t n = 0; n < ids.size(); ++n) {
    if (ids[n] >= 0) {
      ++with_id;
      const auto& particle = m.particles()[static_cast<std::size_t>(ids[n])];
      ASSERT_EQ(particle.id, ids[n]);
      ASSERT_EQ(particle.phase, labels[n]);
    } else {
      ASSERT_TRUE(labels[n] == 0) << "solid voxel without particle id at " << n;
    }
  }
  EXPECT_GT(with_id, ids.size() / 2);
  for (const auto& particle : m.particles()) {
    if (particle.phase == 1) {
      EXPECT_EQ(particle.coating_phase, 4);
      EXPECT_DOUBLE_EQ(particle.coating_thickness, 10e-9);
    }
  }
}

TEST(Generate, SameSeedIdenticalDifferentSeedDiffers) {
  const auto a = ms::generate(cold_pressed(11));
  const auto b = ms::generate(cold_pressed(11));
  const auto c = ms::generate(cold_pressed(12));
  EXPECT_TRUE(a.microstructure.labels() == b.microstructure.labels());
  EXPECT_TRUE(a.microstructure.particle_ids() == b.microstructure.particle_ids());
  EXPECT_FALSE(a.microstructure.labels() == c.microstructure.labels());
}

TEST(Generate, PolymerMatrixWithSurfacePoresAndFullCoverage) {
  for (const auto placement :
       {ms::PorePlacement::surface, ms::PorePlacement::random, ms::PorePlacement::none}) {
    ms::GenerationSpec spec{
        .domain_x = 20e-6, .domain_y = 20e-6, .thickness = 14e-6, .voxel_size = 0.5e-6, .seed = 5};
    const double porosity = placement == ms::PorePlacement::none ? 0.0 : 0.08;
    spec.phases.push_back({.name = "pore",
                           .role = ms::PhaseRole::pore,
                           .shape = ms::PhaseShape::pore,
                           .volume_fraction = porosity,
                           .size = {.d50 = 2e-6, .geometric_spread = 1.2},
                           .placement = placement});
    spec.phases.push_back({.name = "NCM811",
                           .role = ms::PhaseRole::active,
                           .volume_fraction = 0.55,
                           .size = {.d50 = 6e-6, .geometric_spread = 1.2}});
    spec.phases.push_back({.name = "PEO-LiTFSI",
                           .role = ms::PhaseRole::electrolyte,
                           .shape = ms::PhaseShape::matrix});
    const auto out = ms::generate(spec);
    const auto fractions = out.microstructure.volume_fractions();
    EXPECT_NEAR(fractions[0], porosity, 0.01) << ms::to_string(placement);
    EXPECT_NEAR(fractions[1], 0.55, 0.01);
    EXPECT_NEAR(fractions[2], 1.0 - 0.55 - porosity, 0.01);
    EXPECT_NEAR(*out.report.phases[2].target_fraction, 1.0 - 0.55 - porosity, 1e-12);
  }
}

TEST(Generate, SurfacePoresTouchActiveParticlesMoreThanRandomPores) {
  // Fraction of pore voxels with an active-material face neighbour: surface placement puts the
  // voids at the particle surfaces (point contacts of a calendered cathode).
  const auto touching = [](ms::PorePlacement placement) {
    ms::GenerationSpec spec{
        .domain_x = 20e-6, .domain_y = 20e-6, .thickness = 14e-6, .voxel_size = 0.5e-6, .seed = 9};
    spec.phases.push_back({.name = "pore",
                           .role = ms::PhaseRole::pore,
                           .shape = ms::PhaseShape::pore,
                           .volume_fraction = 0.08,
                           .size = {.d50 = 1.5e-6},
                           .placement = placement});
    spec.phases.push_back({.name = "NCM811",
                           .role = ms::PhaseRole::active,
                           .volume_fraction = 0.45,
                           .size = {.d50 = 6e-6, .geometric_spread = 1.2}});
    spec.phases.push_back(
        {.name = "CBD", .role = ms::PhaseRole::binder, .shape = ms::PhaseShape::matrix});
    const auto out = ms::generate(spec);
    const auto& labels = out.microstructure.labels();
    const auto& g = labels.grid();
    std::size_t pores = 0;
    std::size_t touch = 0;
    for (std::size_t k = 1; k + 1 < g.nz(); ++k) {
      for (std::size_t j = 1; j + 1 < g.ny(); ++j) {
        for (std::size_t i = 1; i + 1 < g.nx(); ++i) {
          if (labels(i, j, k) != 0) {
            continue;
          }
          ++pores;
          touch +=
              (labels(i + 1, j, k) == 1 || labels(i - 1, j, k) == 1 || labels(i, j + 1, k) == 1 ||
               labels(i, j - 1, k) == 1 || labels(i, j, k + 1) == 1 || labels(i, j, k - 1) == 1)
                  ? 1
                  : 0;
        }
      }
    }
    return static_cast<double>(touch) / static_cast<double>(pores);
  };
  EXPECT_GT(touching(ms::PorePlacement::surface), 1.5 * touching(ms::PorePlacement::random));
}

TEST(Generate, RefusesWhenCoatingShellsLeaveNoRoom) {
  auto spec = cold_pressed();
  spec.phases[1].coating->thickness = 1.2e-6;  // voxelized; takes ~3t/r of the NCM volume
  try {
    (void)ms::generate(spec);
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("coating"), std::string::npos) << error.what();
  }
}
