// transport::effective_conductivity: axis handling, result fields, memory estimate, failure modes.
#include "cathodelab/transport/effective_conductivity.hpp"
#include "cathodelab/core/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace cl = cathodelab;
using cl::core::Array3;
using cl::core::Axis;
using cl::core::Grid3;

TEST(EffectiveConductivity, EachAxisSeesItsOwnLayering) {
  // Layers normal to y: series along y, parallel along x and z.
  Array3<std::uint8_t> image(Grid3{{5, 6, 7}, 1e-6});
  for (std::size_t k = 0; k < 7; ++k)
    for (std::size_t j = 0; j < 6; ++j)
      for (std::size_t i = 0; i < 5; ++i) image(i, j, k) = j % 2 == 0 ? 1 : 2;
  const std::vector<double> sigma{0.0, 1.0, 4.0};
  const cl::transport::ConductivityOptions tight{.relative_tolerance = 1e-10};
  const auto x = cl::transport::effective_conductivity(image, sigma, Axis::x, tight);
  const auto y = cl::transport::effective_conductivity(image, sigma, Axis::y, tight);
  const auto z = cl::transport::effective_conductivity(image, sigma, Axis::z, tight);
  EXPECT_NEAR(x.effective_conductivity, 2.5, 1e-6);
  EXPECT_NEAR(z.effective_conductivity, 2.5, 1e-6);
  EXPECT_NEAR(y.effective_conductivity, 6.0 / (3.0 / 1.0 + 3.0 / 4.0), 1e-6);
  EXPECT_EQ(y.axis, Axis::y);
  EXPECT_DOUBLE_EQ(y.bulk_conductivity, 2.5);
  EXPECT_DOUBLE_EQ(y.volume_fraction, 1.0);
  EXPECT_EQ(y.stats.method, "pcg+voxel-multigrid");
}

TEST(EffectiveConductivity, ConductivitiesOfAbsentLabelsAreIgnored) {
  const Array3<std::uint8_t> image(Grid3{{3, 3, 3}, 1e-6}, 1);
  const std::vector<double> sigma{0.0, 2.0, 7.0, 9.0};  // labels 2 and 3 are absent
  const auto r = cl::transport::effective_conductivity(image, sigma, Axis::z);
  EXPECT_NEAR(r.effective_conductivity, 2.0, 2e-6);
}

TEST(EffectiveConductivity, MemoryEstimateIsAtMostTwentyFourBytesPerVoxel) {
  // labels 1 + x 8 + r, p, w 3 * 4 + structured coarse levels 20/7 = 23.9 bytes per voxel.
  const std::size_t n = 100'000'000;
  const double per_voxel =
      static_cast<double>(cl::transport::effective_conductivity_bytes(n)) / static_cast<double>(n);
  EXPECT_GT(per_voxel, 21.0);
  EXPECT_LE(per_voxel, 24.0);
  // The split (high-contrast) hierarchy costs more, and the estimate says so.
  EXPECT_GT(cl::transport::effective_conductivity_bytes(n, true),
            cl::transport::effective_conductivity_bytes(n));
}

TEST(EffectiveConductivity, ReportedSolverMemoryMatchesTheEstimate) {
  Array3<std::uint8_t> image(Grid3{{40, 40, 40}, 1e-6}, 1);
  for (std::size_t c = 0; c < image.size(); c += 7) image[c] = 0;
  const auto r =
      cl::transport::effective_conductivity(image, std::vector<double>{0.0, 1.0}, Axis::z);
  EXPECT_GT(r.solver_bytes, 21 * image.size());
  EXPECT_LE(r.solver_bytes, cl::transport::effective_conductivity_bytes(image.size()));
}

TEST(EffectiveConductivity, IterationLimitThrowsNumericalErrorWithStatistics) {
  Array3<std::uint8_t> image(Grid3{{16, 16, 16}, 1e-6}, 1);
  for (std::size_t c = 0; c < image.size(); c += 3) image[c] = 2;
  const std::vector<double> sigma{0.0, 1.0, 1e-3};
  try {
    (void)cl::transport::effective_conductivity(image, sigma, Axis::z,
                                                {.relative_tolerance = 1e-12, .max_iterations = 1});
    ADD_FAILURE() << "expected NumericalError";
  } catch (const cl::core::NumericalError& e) {
    EXPECT_FALSE(e.stats().converged);
    EXPECT_GE(e.stats().iterations, 1);
  }
  const auto r = cl::transport::effective_conductivity(
      image, sigma, Axis::z,
      {.relative_tolerance = 1e-12, .max_iterations = 1, .throw_on_failure = false});
  EXPECT_FALSE(r.stats.converged);
  EXPECT_TRUE(std::isfinite(r.effective_conductivity));
}
