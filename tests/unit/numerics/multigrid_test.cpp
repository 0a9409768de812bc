// Voxel Laplacian and multigrid: the operator is symmetric and conservative, the V-cycle is a
// symmetric positive definite preconditioner (CG requires it), and PCG solves to its tolerance.
#include "cathodelab/numerics/cg.hpp"
#include "cathodelab/numerics/voxel_laplacian.hpp"
#include "cathodelab/numerics/voxel_multigrid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace nm = cathodelab::numerics;

namespace {

struct Problem {
  std::vector<std::uint8_t> labels;
  nm::VoxelLaplacian laplacian;
};

/// Random three-label medium (0 excluded) with contrast 100; labels not connected to both planes
/// are fine for symmetry checks but the solve needs every active cell linked to a plane, so the
/// solve tests use `connected = true` (label 0 never used).
Problem random_problem(std::size_t nx, std::size_t ny, std::size_t nz, bool with_holes,
                       unsigned seed) {
  Problem p;
  p.labels.resize(nx * ny * nz);
  std::mt19937 gen(seed);
  for (auto& l : p.labels) {
    const auto r = gen() % 10;
    l = static_cast<std::uint8_t>(with_holes && r < 2 ? 0 : 1 + r % 2);
  }
  p.laplacian.shape = {nx, ny, nz};
  const float g11 = 1.0F, g22 = 0.01F, g12 = static_cast<float>(2.0 * 1.0 * 0.01 / 1.01);
  p.laplacian.pair_conductance = {0, 0, 0, 0, g11, g12, 0, g12, g22};
  p.laplacian.boundary_conductance = {0.0F, 2.0F, 0.02F};
  return p;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

std::vector<double> random_vector(const std::vector<std::uint8_t>& labels, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> v(labels.size());
  for (std::size_t c = 0; c < v.size(); ++c) v[c] = labels[c] != 0 ? u(gen) : 0.0;
  return v;
}

/// u^T M v = v^T M u and u^T M u > 0 for two random vectors on the active cells of `labels`;
/// float work vectors inside the cycle make it symmetric to single precision only.
void expect_symmetric_positive_definite(const nm::VoxelMultigrid& m,
                                        const std::vector<std::uint8_t>& labels) {
  const auto u = random_vector(labels, 5), v = random_vector(labels, 6);
  std::vector<double> mu(u.size()), mv(v.size());
  m.apply(u, mu);
  m.apply(v, mv);
  EXPECT_NEAR(dot(v, mu), dot(u, mv), 1e-5 * std::sqrt(dot(u, mu) * dot(v, mv)));
  EXPECT_GT(dot(u, mu), 0.0);
  EXPECT_GT(dot(v, mv), 0.0);
}

}  // namespace

TEST(VoxelLaplacian, SymmetricAndPositiveDefiniteOnActiveCells) {
  auto p = random_problem(9, 7, 6, true, 1);
  p.laplacian.labels = p.labels;
  const nm::VoxelLaplacianOperator a(p.laplacian);
  const auto u = random_vector(p.labels, 2), v = random_vector(p.labels, 3);
  std::vector<double> au(u.size()), av(v.size());
  a.apply(u, au);
  a.apply(v, av);
  EXPECT_NEAR(dot(v, au), dot(u, av), 1e-12 * std::abs(dot(v, au)));
  EXPECT_GT(dot(u, au), 0.0);
}

TEST(VoxelLaplacian, DirichletFlowsOfTheLinearProfileInAUniformBlock) {
  // Uniform label 1, g = 1 inside and 2 at the planes: phi = 1 - (k + 1/2)/nz is exact and the
  // flow through every layer is nx*ny/nz.
  const std::size_t nx = 3, ny = 4, nz = 5;
  std::vector<std::uint8_t> labels(nx * ny * nz, 1);
  nm::VoxelLaplacian l{{nx, ny, nz}, labels, {0, 0, 0, 1.0F}, {0.0F, 2.0F}};
  std::vector<double> phi(labels.size()), b(labels.size()), aphi(labels.size());
  for (std::size_t c = 0; c < phi.size(); ++c)
    phi[c] = 1.0 - (static_cast<double>(c / (nx * ny)) + 0.5) / nz;
  nm::rhs_for_dirichlet(l, 1.0, 0.0, b);
  nm::VoxelLaplacianOperator(l).apply(phi, aphi);
  for (std::size_t c = 0; c < phi.size(); ++c) EXPECT_NEAR(aphi[c], b[c], 1e-12);
  const auto flows = nm::dirichlet_flows(l, phi, 1.0, 0.0);
  EXPECT_NEAR(flows.into_low, 12.0 / 5.0, 1e-12);
  EXPECT_NEAR(flows.out_high, 12.0 / 5.0, 1e-12);
}

TEST(VoxelMultigrid, VCycleIsSymmetricPositiveDefinite) {
  auto p = random_problem(20, 18, 22, false, 4);
  p.laplacian.labels = p.labels;
  const nm::VoxelMultigrid m(p.laplacian, {.coarsest_cells = 64, .cycle = nm::VoxelCycle::v});
  EXPECT_GE(m.levels(), 3);
  expect_symmetric_positive_definite(m, p.labels);
}

TEST(VoxelMultigrid, PcgAgreesWithPlainCgAndConvergesFast) {
  auto p = random_problem(24, 20, 26, false, 7);
  p.laplacian.labels = p.labels;
  const nm::VoxelMultigrid m(p.laplacian);
  std::vector<double> x(p.labels.size(), 0.0);
  const auto stats = nm::voxel_pcg(p.laplacian, m, 1.0, 0.0, x, {.rtol = 1e-10});
  EXPECT_TRUE(stats.converged) << stats.message;
  EXPECT_LE(stats.residual, 1e-10);  // the true residual, recomputed in double
  EXPECT_LT(stats.iterations, 60);
  const nm::VoxelLaplacianOperator a(p.laplacian);
  std::vector<double> b(x.size()), y(x.size(), 0.0);
  nm::rhs_for_dirichlet(p.laplacian, 1.0, 0.0, b);
  const auto plain =
      nm::cg(a, nm::IdentityOperator(x.size()), b, y, {.rtol = 1e-11, .max_iterations = 5000});
  EXPECT_TRUE(plain.converged);
  EXPECT_GT(plain.iterations, stats.iterations);
  double max_diff = 0.0;
  for (std::size_t c = 0; c < x.size(); ++c) max_diff = std::max(max_diff, std::abs(x[c] - y[c]));
  EXPECT_LT(max_diff, 1e-7);
  const auto flows = nm::dirichlet_flows(p.laplacian, x, 1.0, 0.0);
  EXPECT_NEAR(flows.into_low, flows.out_high, 1e-7 * flows.into_low);
}

namespace {

/// Labels 1 (conductance 1) and 2 (conductance 1/contrast); harmonic means between them.
nm::VoxelLaplacian two_material_laplacian(const std::vector<std::uint8_t>& labels, std::size_t nx,
                                          std::size_t ny, std::size_t nz, double contrast) {
  const double s2 = 1.0 / contrast;
  const auto g12 = static_cast<float>(2.0 * s2 / (1.0 + s2));
  nm::VoxelLaplacian l;
  l.shape = {nx, ny, nz};
  l.labels = labels;
  l.pair_conductance = {0, 0, 0, 0, 1.0F, g12, 0, g12, static_cast<float>(s2)};
  l.boundary_conductance = {0.0F, 2.0F, static_cast<float>(2.0 * s2)};
  return l;
}

}  // namespace

TEST(VoxelMultigridSplit, ABlockWithTwoMaterialsGivesTwoCoarseUnknowns) {
  // 4x2x2 cells, x even = good, x odd = poor (contrast 1e6): each of the two 2x2x2 blocks holds one
  // good and one poor slab, joined only by weak faces.
  const std::size_t nx = 4, ny = 2, nz = 2;
  std::vector<std::uint8_t> labels(nx * ny * nz);
  for (std::size_t c = 0; c < labels.size(); ++c) labels[c] = (c % nx) % 2 == 0 ? 1 : 2;
  const auto l = two_material_laplacian(labels, nx, ny, nz, 1e6);
  const nm::VoxelMultigrid split(l, {.coarsest_cells = 2});
  EXPECT_TRUE(split.split_coarsening());  // chosen automatically from the contrast
  EXPECT_GT(split.contrast(), 1e5);
  ASSERT_GE(split.level_sizes().size(), 2U);
  EXPECT_EQ(split.level_sizes()[1], 4U);
  const nm::VoxelMultigrid structured(
      l, {.coarsest_cells = 2, .coarsening = nm::VoxelCoarsening::structured});
  EXPECT_FALSE(structured.split_coarsening());
  EXPECT_EQ(structured.level_sizes()[1], 2U);
  // Uniform material: one component per block, the same coarse grid as the structured path.
  const std::vector<std::uint8_t> uniform(labels.size(), 1);
  const auto u = two_material_laplacian(uniform, nx, ny, nz, 1e6);
  const nm::VoxelMultigrid forced(u,
                                  {.coarsest_cells = 2, .coarsening = nm::VoxelCoarsening::split});
  EXPECT_EQ(forced.level_sizes()[1], 2U);
}

TEST(VoxelMultigridSplit, VCycleIsSymmetricPositiveDefiniteAtHighContrast) {
  const std::size_t nx = 20, ny = 18, nz = 22;
  std::vector<std::uint8_t> labels(nx * ny * nz);
  std::mt19937 gen(12);
  for (auto& v : labels) v = static_cast<std::uint8_t>(1 + gen() % 2);
  const auto l = two_material_laplacian(labels, nx, ny, nz, 1e6);
  // The V-cycle (the K-cycle default is a variable preconditioner, symmetric by construction only
  // up to its inner flexible CG steps).
  const nm::VoxelMultigrid m(l, {.coarsest_cells = 64, .cycle = nm::VoxelCycle::v});
  ASSERT_TRUE(m.split_coarsening());
  EXPECT_FALSE(m.variable());
  EXPECT_GE(m.levels(), 3);
  expect_symmetric_positive_definite(m, labels);
}

TEST(VoxelMultigridSplit, ChosenForManyExcludedCellsAtContrastOne) {
  const std::size_t nx = 16, ny = 16, nz = 16;
  std::vector<std::uint8_t> labels(nx * ny * nz, 1);
  const auto full = two_material_laplacian(labels, nx, ny, nz, 1.0);
  EXPECT_FALSE(nm::VoxelMultigrid(full, {.coarsest_cells = 64}).split_coarsening());
  for (std::size_t c = 0; c < labels.size(); c += 3) labels[c] = 0;  // a third excluded
  const auto holed = two_material_laplacian(labels, nx, ny, nz, 1.0);
  EXPECT_TRUE(nm::VoxelMultigrid(holed, {.coarsest_cells = 64}).split_coarsening());
  EXPECT_FALSE(
      nm::VoxelMultigrid(holed, {.coarsest_cells = 64, .split_above_excluded_fraction = 0.5})
          .split_coarsening());
}

TEST(VoxelMultigridSplit, KCycleWithFlexibleCgNeedsNoMoreIterationsThanTheVCycle) {
  // Random two-material image near the threshold of the good phase at contrast 1e4: the K-cycle
  // (flexible CG steps on the graph levels) must reach the same solution in at most as many outer
  // iterations as the V-cycle.
  const std::size_t nx = 40, ny = 40, nz = 40;
  std::vector<std::uint8_t> labels(nx * ny * nz);
  std::mt19937 gen(7);
  for (auto& v : labels) v = static_cast<std::uint8_t>(gen() % 100 < 35 ? 1 : 2);
  const auto l = two_material_laplacian(labels, nx, ny, nz, 1e4);
  const nm::VoxelMultigrid v(l, {.coarsest_cells = 64, .cycle = nm::VoxelCycle::v});
  const nm::VoxelMultigrid k(l, {.coarsest_cells = 64, .cycle = nm::VoxelCycle::k});
  ASSERT_TRUE(k.variable());
  std::vector<double> xv(labels.size(), 0.0), xk(labels.size(), 0.0);
  const auto sv = nm::voxel_pcg(l, v, 1.0, 0.0, xv, {.rtol = 1e-10});
  const auto sk = nm::voxel_pcg(l, k, 1.0, 0.0, xk, {.rtol = 1e-10});
  ASSERT_TRUE(sv.converged) << sv.message;
  ASSERT_TRUE(sk.converged) << sk.message;
  EXPECT_LE(sk.iterations, sv.iterations);
  double diff = 0.0, norm = 0.0;
  for (std::size_t c = 0; c < xv.size(); ++c) {
    diff = std::max(diff, std::abs(xv[c] - xk[c]));
    norm = std::max(norm, std::abs(xv[c]));
  }
  EXPECT_LE(diff, 1e-6 * norm);
}

TEST(VoxelMultigridSplit, SeriesSlabsWithContrastOneMillionAreExact) {
  // Layers along z alternate in pairs good, good, poor, poor, ...: every column is the same series
  // of resistances, flow = nx ny / (1/g_low + sum 1/g_faces + 1/g_high), exact for the scheme.
  const std::size_t nx = 12, ny = 10, nz = 24;
  const double contrast = 1e6;
  std::vector<std::uint8_t> labels(nx * ny * nz);
  for (std::size_t c = 0; c < labels.size(); ++c) labels[c] = (c / (nx * ny)) % 4 < 2 ? 1 : 2;
  const auto l = two_material_laplacian(labels, nx, ny, nz, contrast);
  auto layer = [&](std::size_t k) { return labels[k * nx * ny]; };
  double resistance =
      1.0 / l.boundary_conductance[layer(0)] + 1.0 / l.boundary_conductance[layer(nz - 1)];
  for (std::size_t k = 1; k < nz; ++k)
    resistance += 1.0 / static_cast<double>(l.pair_conductance[3 * layer(k - 1) + layer(k)]);
  const double exact = static_cast<double>(nx * ny) / resistance;
  const nm::VoxelMultigrid m(l, {.coarsest_cells = 8});
  ASSERT_TRUE(m.split_coarsening());
  std::vector<double> x(labels.size(), 0.0);
  const auto stats = nm::voxel_pcg(l, m, 1.0, 0.0, x, {.rtol = 1e-12});
  EXPECT_TRUE(stats.converged) << stats.message;
  EXPECT_LT(stats.iterations, 25);
  // The residual is relative to b (order 1 on the driven layers) while the flow is 1e-5: rtol 1e-12
  // bounds the flow error by ~1e-11, i.e. 1e-6 of it; 1e-5 leaves a margin.
  const auto flows = nm::dirichlet_flows(l, x, 1.0, 0.0);
  EXPECT_NEAR(flows.into_low, exact, 1e-5 * exact);
  EXPECT_NEAR(flows.out_high, exact, 1e-5 * exact);
}
