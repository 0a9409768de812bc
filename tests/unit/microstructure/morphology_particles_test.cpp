// Per-particle morphology on constructed images with voxel-face counting, so every area is an exact
// count of faces: reachability by ions and electrons, utilizable fraction, contact categories.
#include "cathodelab/core/error.hpp"
#include "cathodelab/microstructure/morphology.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace cathodelab::microstructure {
namespace {

constexpr double h = 1e-6;  // [m] voxel size
constexpr double face = h * h;

// Labels: 0 pore, 1 electrolyte, 2 electron-conducting CAM (NCM), 3 carbon, 4 insulating CAM.
const std::vector<double> sigma_ion{0.0, 0.1, 0.0, 0.0, 0.0};
const std::vector<double> sigma_el{0.0, 0.0, 1.0, 100.0, 0.0};

Microstructure make(core::Array3<Label> labels) {
  std::vector<Phase> phases{{"pore", "", PhaseRole::pore},
                            {"SE", "", PhaseRole::electrolyte},
                            {"NCM", "", PhaseRole::active},
                            {"C", "", PhaseRole::additive},
                            {"insulating CAM", "", PhaseRole::active}};
  return Microstructure(std::move(labels), std::move(phases));
}

const MorphologyOptions exact{.area_estimator = AreaEstimator::face_count};

const ParticleMorphology& particle_at(const Morphology& m, std::size_t voxels, Label phase) {
  for (const auto& p : m.particles) {
    if (p.voxels == voxels && p.phase == phase) return p;
  }
  throw std::runtime_error("particle not found");
}

TEST(MorphologyParticles, CamTouchingOnlyPoresIsNotUtilizable) {
  core::Array3<Label> labels({{8, 8, 8}, h}, 0);
  for (std::size_t k = 3; k < 5; ++k)
    for (std::size_t j = 3; j < 5; ++j)
      for (std::size_t i = 3; i < 5; ++i) labels(i, j, k) = 2;
  const auto m = analyze_morphology(make(labels), sigma_ion, sigma_el, exact);
  ASSERT_EQ(m.particles.size(), 1u);
  const auto& p = m.particles[0];
  EXPECT_EQ(p.voxels, 8u);
  EXPECT_DOUBLE_EQ(p.volume, 8 * h * h * h);
  EXPECT_DOUBLE_EQ(p.surface_area, 24 * face);
  EXPECT_DOUBLE_EQ(p.pore_area, 24 * face);
  EXPECT_DOUBLE_EQ(p.active_area, 0.0);
  EXPECT_FALSE(p.reachable_by_ions);
  EXPECT_FALSE(p.reachable_by_electrons);
  EXPECT_DOUBLE_EQ(m.summary.utilizable_fraction, 0.0);
  EXPECT_DOUBLE_EQ(m.summary.active_area_fraction, 0.0);
  EXPECT_FALSE(m.particles_from_id_map);
}

TEST(MorphologyParticles, CamAtTheCollectorBesideASpanningElectrolyteIsUtilizable) {
  core::Array3<Label> labels({{8, 8, 8}, h}, 0);
  for (std::size_t k = 0; k < 3; ++k) labels(1, 1, k) = 2;  // CAM column on the collector
  for (std::size_t k = 0; k < 8; ++k) labels(2, 1, k) = 1;  // electrolyte column to the separator
  const auto m = analyze_morphology(make(labels), sigma_ion, sigma_el, exact);
  ASSERT_EQ(m.particles.size(), 1u);
  const auto& p = m.particles[0];
  EXPECT_DOUBLE_EQ(p.surface_area, 13 * face);  // 4 sides x 3 + top; the collector face is a cut
  EXPECT_DOUBLE_EQ(p.ionic_contact_area, 3 * face);
  EXPECT_DOUBLE_EQ(p.active_area, 3 * face);
  EXPECT_DOUBLE_EQ(p.pore_area, 10 * face);
  EXPECT_TRUE(p.reachable_by_ions);
  EXPECT_TRUE(p.reachable_by_electrons);  // NCM conducts electrons itself and touches z = 0
  EXPECT_DOUBLE_EQ(m.summary.utilizable_fraction, 1.0);
  EXPECT_DOUBLE_EQ(m.summary.active_area_fraction, 3.0 / 13.0);
  EXPECT_DOUBLE_EQ(m.summary.specific_active_area, 3 * face / (512 * h * h * h));
  // label interfaces come from the same faces
  EXPECT_DOUBLE_EQ(m.interface_area.between(2, 1), 3 * face);
  EXPECT_DOUBLE_EQ(m.interface_area.between(2, 0), 10 * face);
  EXPECT_DOUBLE_EQ(m.interface_area.of(2), 13 * face);
  EXPECT_DOUBLE_EQ(m.interface_area.between(1, 0), (4 * 8 - 3) * face);  // 8-voxel column, 4 sides
}

TEST(MorphologyParticles, LabelInterfacesMatchTheLabelOnlyComputation) {
  core::Array3<Label> labels({{10, 10, 10}, h}, 0);
  for (std::size_t k = 0; k < 10; ++k)
    for (std::size_t j = 0; j < 10; ++j)
      for (std::size_t i = 0; i < 10; ++i) {
        auto d = [](std::size_t n) { return static_cast<double>(n) - 4.5; };
        const double r2 = d(i) * d(i) + d(j) * d(j) + d(k) * d(k);
        if (r2 < 9)
          labels(i, j, k) = 2;
        else if (k < 3)
          labels(i, j, k) = 1;
      }
  const auto m = analyze_morphology(make(labels), sigma_ion, sigma_el);
  const auto direct = interface_areas(labels, 5);
  for (Label a = 0; a < 5; ++a) {
    for (Label b = 0; b < 5; ++b)
      EXPECT_NEAR(m.interface_area.between(a, b), direct.between(a, b), 1e-24);
  }
  EXPECT_GT(m.interface_area.between(2, 1), 0.0);
}

TEST(MorphologyParticles, ElectrolyteCutFromTheSeparatorGivesContactButNoActiveArea) {
  core::Array3<Label> labels({{8, 8, 8}, h}, 0);
  for (std::size_t k = 0; k < 3; ++k) labels(1, 1, k) = 2;
  for (std::size_t k = 0; k < 6; ++k) labels(2, 1, k) = 1;  // stops before z = L
  const auto m = analyze_morphology(make(labels), sigma_ion, sigma_el, exact);
  const auto& p = m.particles[0];
  EXPECT_DOUBLE_EQ(p.ionic_contact_area, 3 * face);
  EXPECT_DOUBLE_EQ(p.active_area, 0.0);
  EXPECT_FALSE(p.reachable_by_ions);
  EXPECT_DOUBLE_EQ(m.summary.utilizable_fraction, 0.0);
}

TEST(MorphologyParticles, InsulatingCamNeedsAConnectedElectronicNeighbour) {
  core::Array3<Label> labels({{8, 8, 8}, h}, 0);
  for (std::size_t k = 0; k < 2; ++k) labels(5, 5, k) = 4;  // insulating CAM on the collector
  for (std::size_t k = 0; k < 8; ++k) labels(5, 4, k) = 1;  // spanning electrolyte beside it
  auto without = analyze_morphology(make(labels), sigma_ion, sigma_el, exact);
  ASSERT_EQ(without.particles.size(), 1u);
  EXPECT_TRUE(without.particles[0].reachable_by_ions);
  EXPECT_FALSE(without.particles[0].reachable_by_electrons);

  labels(6, 5, 0) = labels(6, 5, 1) = 3;  // a carbon column from the collector
  const auto with = analyze_morphology(make(labels), sigma_ion, sigma_el, exact);
  const auto& p = with.particles[0];
  EXPECT_TRUE(p.reachable_by_electrons);
  EXPECT_DOUBLE_EQ(p.electronic_contact_area, 2 * face);
  EXPECT_DOUBLE_EQ(p.connected_electronic_contact_area, 2 * face);
  EXPECT_DOUBLE_EQ(with.summary.utilizable_fraction, 1.0);
}

TEST(MorphologyParticles, ParticleIdsSplitTouchingParticlesAndChainElectrons) {
  core::Array3<Label> labels({{8, 8, 8}, h}, 0);
  core::Array3<ParticleId> ids({{8, 8, 8}, h}, no_particle);
  for (std::size_t k = 0; k < 4; ++k)
    for (std::size_t j = 2; j < 4; ++j)
      for (std::size_t i = 2; i < 4; ++i) {
        labels(i, j, k) = 2;
        ids(i, j, k) = k < 2 ? 7 : 9;  // particle 7 on the collector, 9 stacked on it
      }
  for (std::size_t k = 2; k < 8; ++k) labels(4, 2, k) = 1;  // electrolyte touching only 9
  auto structure = make(labels);
  structure.set_particle_ids(ids);
  const auto m = analyze_morphology(structure, sigma_ion, sigma_el, exact);
  ASSERT_EQ(m.particles.size(), 2u);
  EXPECT_TRUE(m.particles_from_id_map);
  const auto& lower = m.particles[0];
  const auto& upper = m.particles[1];
  EXPECT_EQ(lower.id, 7);
  EXPECT_EQ(upper.id, 9);
  EXPECT_DOUBLE_EQ(lower.particle_contact_area, 4 * face);
  EXPECT_DOUBLE_EQ(upper.particle_contact_area, 4 * face);
  EXPECT_DOUBLE_EQ(upper.surface_area, 24 * face);  // a 2x2x2 cube, its bottom touching particle 7
  EXPECT_DOUBLE_EQ(upper.active_area, 2 * face);
  EXPECT_TRUE(upper.reachable_by_electrons);  // through particle 7 (NCM conducts)
  EXPECT_TRUE(upper.reachable_by_ions);
  EXPECT_FALSE(lower.reachable_by_ions);
  EXPECT_DOUBLE_EQ(m.summary.utilizable_fraction, 0.5);
  EXPECT_DOUBLE_EQ(m.summary.ion_reachable_fraction, 0.5);
  EXPECT_DOUBLE_EQ(m.summary.electron_reachable_fraction, 1.0);
  // active-area fractions 0 and 2/24: both in the first of ten bins
  EXPECT_EQ(m.active_area_fraction_histogram.counts[0], 2u);
  EXPECT_DOUBLE_EQ(m.active_area_fraction_histogram.volume_fraction[0], 1.0);
  EXPECT_DOUBLE_EQ(m.summary.active_area_fraction, 2.0 / 44.0);  // 20 + 24 faces in all
}

TEST(MorphologyParticles, WithoutIdsTouchingCamIsOneCluster) {
  core::Array3<Label> labels({{8, 8, 8}, h}, 0);
  for (std::size_t k = 0; k < 4; ++k) labels(2, 2, k) = 2;
  labels(5, 5, 5) = 2;
  labels(6, 6, 6) = 4;  // a different active label is its own particle
  const auto m = analyze_morphology(make(labels), sigma_ion, sigma_el, exact);
  ASSERT_EQ(m.particles.size(), 3u);
  EXPECT_EQ(particle_at(m, 4, 2).voxels, 4u);
  EXPECT_EQ(particle_at(m, 1, 4).phase, 4);
  EXPECT_EQ(m.summary.particle_count, 3u);
}

TEST(MorphologyParticles, ExplicitActiveLabelsOverrideRoles) {
  core::Array3<Label> labels({{4, 4, 4}, h}, 1);
  labels(1, 1, 1) = 3;
  const auto m =
      analyze_morphology(make(labels), sigma_ion, sigma_el,
                         {.active_labels = {3}, .area_estimator = AreaEstimator::face_count});
  ASSERT_EQ(m.particles.size(), 1u);
  EXPECT_DOUBLE_EQ(m.particles[0].active_area, 6 * face);
  EXPECT_DOUBLE_EQ(m.summary.active_area_fraction, 1.0);
}

TEST(MorphologyParticles, RefusesMismatchedConductivityLists) {
  core::Array3<Label> labels({{4, 4, 4}, h}, 1);
  const std::vector<double> short_list{0.0, 0.1};
  EXPECT_THROW((void)analyze_morphology(make(labels), short_list, sigma_el), core::InputError);
}

TEST(MorphologyParticles, HistogramClampsIntoEndBins) {
  const std::vector<double> values{-1.0, 0.05, 0.95, 1.0, 2.0};
  const std::vector<double> volumes{1.0, 1.0, 1.0, 1.0, 1.0};
  const auto hist = make_histogram(values, volumes, 0.0, 1.0, 10);
  ASSERT_EQ(hist.edges.size(), 11u);
  EXPECT_EQ(hist.counts[0], 2u);
  EXPECT_EQ(hist.counts[9], 3u);
  EXPECT_DOUBLE_EQ(hist.volume_fraction[9], 0.6);
}

}  // namespace
}  // namespace cathodelab::microstructure
