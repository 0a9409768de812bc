// Verification of the interface-area estimator (surface_area.hpp) against analytic geometry.
//
// Derivation. A voxel face of normal e_d stands for a surface element dA of unit normal n only
// through its projection |n_d| dA, so counting faces estimates A_fc = integral (|n_x|+|n_y|+|n_z|)
// dA. Over a sphere, the mean of |n_x|+|n_y|+|n_z| is 3 * (1/2) = 3/2: face counting overestimates
// a sphere's area by 50 % at any resolution. Weighting every face by |n_hat . e_d| with an
// estimated unit normal n_hat gives integral sum_d |n_d| |n_hat_d| dA = integral cos(theta) dA
// (theta the normal error), exact for a plane and biased low by the mean theta^2/2 otherwise.
// Analytic references:
//   sphere of radius R:                    A = 4 pi R^2
//   two spheres of radius R, centres d apart (d < 2R), split by the mid plane:
//     contact disc  A_c = pi a^2, a^2 = R^2 - (d/2)^2 (physics notes 1.3, lens formula with r_i =
//     r_j) free surface of each   A_f = 4 pi R^2 - 2 pi R (R - d/2) = 2 pi R (R + d/2)
//   sphere of radius R cut by a plane at distance delta < R from its centre:
//     contact disc  A_c = pi (R^2 - delta^2); free cap on the centre's side 2 pi R (R + delta)
// Lines of centres and plane normals are tilted off the grid axes so the weighting is exercised.
#include "cathodelab/core/rng.hpp"
#include "cathodelab/microstructure/morphology.hpp"
#include "cathodelab/microstructure/surface_area.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <vector>

namespace cathodelab::microstructure {
namespace {

using Vec = std::array<double, 3>;
constexpr double pi = std::numbers::pi;

Vec normalized(Vec v) {
  const double n = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  return {v[0] / n, v[1] / n, v[2] / n};
}
double dot(const Vec& a, const Vec& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/// Calls f(i, j, k, x) for every voxel, x = voxel centre in voxel units.
template <class F>
void for_voxels(const core::Grid3& g, F&& f) {
  for (std::size_t k = 0; k < g.nz(); ++k)
    for (std::size_t j = 0; j < g.ny(); ++j)
      for (std::size_t i = 0; i < g.nx(); ++i)
        f(i, j, k,
          Vec{static_cast<double>(i) + 0.5, static_cast<double>(j) + 0.5,
              static_cast<double>(k) + 0.5});
}

double sphere_area_ratio(double radius, Vec centre_offset, AreaEstimator estimator) {
  const auto n = static_cast<std::size_t>(2 * radius + 12);
  core::Array3<std::uint8_t> mask({{n, n, n}, 1.0}, 0);
  const double c = static_cast<double>(n) / 2.0;
  for_voxels(mask.grid(), [&](std::size_t i, std::size_t j, std::size_t k, Vec x) {
    const Vec r{x[0] - c - centre_offset[0], x[1] - c - centre_offset[1],
                x[2] - c - centre_offset[2]};
    if (dot(r, r) <= radius * radius) mask(i, j, k) = 1;
  });
  return surface_area(mask, {.estimator = estimator}) / (4 * pi * radius * radius);
}

/// Mean area ratio over a few sub-voxel centre positions (the digitization phase).
double mean_sphere_ratio(double radius, AreaEstimator estimator) {
  core::Rng rng(42);
  double sum = 0.0;
  constexpr int samples = 4;
  for (int s = 0; s < samples; ++s) {
    sum += sphere_area_ratio(radius, {rng.uniform(), rng.uniform(), rng.uniform()}, estimator);
  }
  return sum / samples;
}

TEST(MorphologyArea, FaceCountingOverestimatesASphereByOneHalf) {
  EXPECT_NEAR(mean_sphere_ratio(20.0, AreaEstimator::face_count), 1.5, 0.02);
}

TEST(MorphologyArea, NormalWeightedSphereAreaBiasIsBelowOnePercent) {
  for (const double radius : {5.0, 10.0, 20.0, 30.0}) {
    const double ratio = mean_sphere_ratio(radius, AreaEstimator::normal_weighted);
    RecordProperty("ratio_R" + std::to_string(static_cast<int>(radius)), std::to_string(ratio));
    EXPECT_NEAR(ratio, 1.0, radius >= 10.0 ? 0.006 : 0.01) << "R = " << radius;
  }
}

struct ContactResult {
  double contact_ratio;
  double free_ratio;
};

/// Two equal overlapping CAM spheres (ids 1 and 2) in pore; measured / analytic areas.
ContactResult sphere_pair(double radius, Vec direction) {
  const double d = 1.5 * radius;
  const Vec u = normalized(direction);
  const auto n = static_cast<std::size_t>(2 * radius + d + 12);
  const core::Grid3 grid{{n, n, n}, 1e-6};
  core::Array3<Label> labels(grid, 0);
  core::Array3<ParticleId> ids(grid, no_particle);
  const double c = static_cast<double>(n) / 2.0 + 0.27;
  for_voxels(grid, [&](std::size_t i, std::size_t j, std::size_t k, Vec x) {
    const Vec r{x[0] - c, x[1] - c, x[2] - c};  // from the midpoint of the two centres
    const double s = dot(r, u);                 // signed distance from the mid plane
    const Vec r1{r[0] + 0.5 * d * u[0], r[1] + 0.5 * d * u[1], r[2] + 0.5 * d * u[2]};
    const Vec r2{r[0] - 0.5 * d * u[0], r[1] - 0.5 * d * u[1], r[2] - 0.5 * d * u[2]};
    const bool in1 = dot(r1, r1) <= radius * radius, in2 = dot(r2, r2) <= radius * radius;
    if (!in1 && !in2) return;
    labels(i, j, k) = 1;
    ids(i, j, k) = (in1 && (!in2 || s < 0)) ? 1 : 2;
  });
  Microstructure structure(labels, {{"pore", "", PhaseRole::pore}, {"NCM", "", PhaseRole::active}});
  structure.set_particle_ids(ids);
  const std::vector<double> zero{0.0, 0.0};
  const auto m = analyze_morphology(structure, zero, zero);
  const double h2 = grid.voxel_size * grid.voxel_size;
  const double a2 = radius * radius - 0.25 * d * d;
  const double free_area = 2 * pi * radius * (radius + 0.5 * d);
  EXPECT_EQ(m.particles.size(), 2u);
  return {m.particles[0].particle_contact_area / h2 / (pi * a2),
          m.particles[0].pore_area / h2 / free_area};
}

TEST(MorphologyArea, SphereSphereContactDiscConvergesWithResolution) {
  for (const Vec& direction : {Vec{0, 0, 1}, Vec{1, 1, 1}, Vec{1, 2, 0.3}}) {
    const auto coarse = sphere_pair(8.0, direction);
    const auto fine = sphere_pair(20.0, direction);
    std::printf("pair %g %g %g: contact %.4f -> %.4f free %.4f -> %.4f\n", direction[0],
                direction[1], direction[2], coarse.contact_ratio, fine.contact_ratio,
                coarse.free_ratio, fine.free_ratio);
    EXPECT_NEAR(fine.contact_ratio, 1.0, 0.05);
    EXPECT_NEAR(fine.free_ratio, 1.0, 0.015);
    EXPECT_LT(std::abs(fine.contact_ratio - 1.0), std::abs(coarse.contact_ratio - 1.0) + 0.005);
  }
}

/// CAM sphere (label 1) pressed into a tilted plane (label 2) with its centre `delta` above it.
ContactResult sphere_on_plane(double radius, Vec normal) {
  const double delta = 0.6 * radius;
  const Vec u = normalized(normal);
  const auto n = static_cast<std::size_t>(2 * radius + 14);
  const core::Grid3 grid{{n, n, n}, 1.0};
  core::Array3<Label> labels(grid, 0);
  const double c = static_cast<double>(n) / 2.0 + 0.31;
  for_voxels(grid, [&](std::size_t i, std::size_t j, std::size_t k, Vec x) {
    const Vec r{x[0] - c, x[1] - c, x[2] - c};
    const double height = dot(r, u) + delta;  // above the plane
    if (height < 0) {
      labels(i, j, k) = 2;
    } else if (dot(r, r) <= radius * radius) {
      labels(i, j, k) = 1;
    }
  });
  const auto areas = interface_areas(labels, 3);
  return {areas.between(1, 2) / (pi * (radius * radius - delta * delta)),
          areas.between(1, 0) / (2 * pi * radius * (radius + delta))};
}

TEST(MorphologyArea, SpherePlaneContactConvergesWithResolution) {
  for (const Vec& normal : {Vec{0, 0, 1}, Vec{1, 0, 1}, Vec{0.4, 1, 1.7}}) {
    const auto coarse = sphere_on_plane(8.0, normal);
    const auto fine = sphere_on_plane(20.0, normal);
    std::printf("plane %g %g %g: contact %.4f -> %.4f free %.4f -> %.4f\n", normal[0], normal[1],
                normal[2], coarse.contact_ratio, fine.contact_ratio, coarse.free_ratio,
                fine.free_ratio);
    EXPECT_NEAR(fine.contact_ratio, 1.0, 0.05);
    EXPECT_NEAR(fine.free_ratio, 1.0, 0.015);
    EXPECT_LT(std::abs(fine.contact_ratio - 1.0), std::abs(coarse.contact_ratio - 1.0) + 0.005);
  }
}

}  // namespace
}  // namespace cathodelab::microstructure
