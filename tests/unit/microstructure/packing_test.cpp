// Unit tests of the collective-rearrangement packing: exact pair geometry and periodicity.
#include "cathodelab/microstructure/packing.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace ms = cathodelab::microstructure;

TEST(Packing, PeriodicDeltaTakesMinimumImage) {
  const ms::PackingBox box{10.0, 10.0, 5.0};
  const auto d = ms::periodic_delta({0.5, 9.5, 1.0}, {9.5, 0.5, 2.0}, box);
  EXPECT_DOUBLE_EQ(d[0], -1.0);
  EXPECT_DOUBLE_EQ(d[1], 1.0);
  EXPECT_DOUBLE_EQ(d[2], 1.0);  // z is not periodic
}

TEST(Packing, SeparatesTwoSpheresToTheAllowedOverlapAcrossThePeriodicBoundary) {
  const ms::PackingBox box{10.0, 10.0, 10.0};
  std::vector<ms::PackingSphere> spheres{
      {.centre = {0.2, 5.0, 5.0}, .radius = 1.0, .allowed_overlap = 0.1},
      {.centre = {9.6, 5.0, 5.0}, .radius = 1.0, .allowed_overlap = 0.0}};
  const auto result = ms::relax_packing(spheres, box, 200, 1e-6);
  EXPECT_TRUE(result.converged);
  const auto d = ms::periodic_delta(spheres[0].centre, spheres[1].centre, box);
  const double distance = std::hypot(d[0], d[1], d[2]);
  // the softer particle sets the pair's overlap: contact at (1 - 0.1)(1 + 1)
  EXPECT_GE(distance, 1.8 - 1e-9);
  // pushed no further than the 5 % over-relaxation of the initial excess (1.8 - 0.6)
  EXPECT_LE(distance, 1.8 + 0.05 * 1.2 + 1e-9);
}

TEST(Packing, LargeSphereMovesLessThanSmallOne) {
  const ms::PackingBox box{20.0, 20.0, 20.0};
  std::vector<ms::PackingSphere> spheres{{.centre = {10.0, 10.0, 10.0}, .radius = 3.0},
                                         {.centre = {13.0, 10.0, 10.0}, .radius = 1.0}};
  (void)ms::relax_packing(spheres, box, 200, 1e-8);
  const double big_moved = std::abs(spheres[0].centre[0] - 10.0);
  const double small_moved = std::abs(spheres[1].centre[0] - 13.0);
  EXPECT_NEAR(small_moved / big_moved, 27.0, 1e-6);  // shares in inverse proportion to volume
}

TEST(Packing, WallsKeepCentresInside) {
  const ms::PackingBox box{10.0, 10.0, 4.0};
  std::vector<ms::PackingSphere> spheres{
      {.centre = {5.0, 5.0, -3.0}, .radius = 1.0},
      {.centre = {5.0, 5.0, 9.0}, .radius = 1.0, .allowed_overlap = 0.2}};
  (void)ms::relax_packing(spheres, box, 10, 1e-6);
  EXPECT_DOUBLE_EQ(spheres[0].centre[2], 1.0);
  EXPECT_DOUBLE_EQ(spheres[1].centre[2], 4.0 - 0.8);
}

TEST(Packing, SphereGridFindsEveryNeighbourOfAPolydisperseSet) {
  const ms::PackingBox box{20.0, 20.0, 20.0};
  std::vector<ms::PackingSphere> spheres;
  for (int n = 0; n < 400; ++n) {
    const double x = std::fmod(n * 7.31, 20.0);
    const double y = std::fmod(n * 3.17, 20.0);
    const double z = std::fmod(n * 1.93, 20.0);
    spheres.push_back({.centre = {x, y, z}, .radius = (n % 10 == 0) ? 3.0 : 0.3});
  }
  ms::SphereGrid grid(box, 0.3, 3.0);
  grid.build(spheres);
  for (std::size_t i = 0; i < spheres.size(); ++i) {
    std::vector<bool> seen(spheres.size(), false);
    grid.for_each_candidate(spheres[i], 0.0, [&](std::uint32_t j) { seen[j] = true; });
    for (std::size_t j = 0; j < spheres.size(); ++j) {
      const auto d = ms::periodic_delta(spheres[i].centre, spheres[j].centre, box);
      if (std::hypot(d[0], d[1], d[2]) < spheres[i].radius + spheres[j].radius) {
        ASSERT_TRUE(seen[j]) << i << " misses " << j;
      }
    }
  }
}
