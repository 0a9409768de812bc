#include "cathodelab/core/array3.hpp"
#include "cathodelab/core/memory.hpp"
#include "cathodelab/core/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

namespace cl = cathodelab::core;

TEST(Rng, SameSeedSameSequenceDifferentStreamDifferent) {
  cl::Rng a(42), b(42), c(42, 1);
  for (int i = 0; i < 100; ++i) {
    const double x = a.uniform();
    EXPECT_EQ(x, b.uniform());
    EXPECT_GE(x, 0.0);
    EXPECT_LT(x, 1.0);
  }
  EXPECT_NE(cl::Rng(42).bits(), c.bits());
}

TEST(Rng, NormalHasUnitMomentsWithinSamplingError) {
  cl::Rng rng(7);
  constexpr int n = 200000;
  double sum = 0.0;
  double sum_sq = 0.0;
  for (int i = 0; i < n; ++i) {
    const double x = rng.normal();
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(sum_sq / n - mean * mean, 1.0, 0.02);
}

TEST(Array3, IndexIsXFastest) {
  cl::Array3<int> a(cl::Grid3{{3, 4, 5}, 1e-6});
  a(2, 1, 3) = 9;
  EXPECT_EQ(a[2 + 3 * (1 + 4 * 3)], 9);
  EXPECT_DOUBLE_EQ(a.grid().length(cl::Axis::z), 5e-6);
}

TEST(Memory, RefusesAnAllocationLargerThanTheMachine) {
  if (cl::available_memory_bytes() == 0) GTEST_SKIP() << "no /proc/meminfo";
  EXPECT_THROW(cl::require_memory(std::size_t{1} << 60, "a test image"), cl::InputError);
  EXPECT_NO_THROW(cl::require_memory(1024, "a small buffer"));
}

TEST(Memory, CheckedProductDetectsOverflow) {
  EXPECT_EQ(cl::checked_product({3, 5, 7, 4}), std::size_t{420});
  EXPECT_EQ(cl::checked_product({}), std::size_t{1});
  // 2^32 * 2^32 * 1 wraps to 0 in 64-bit arithmetic; a .npy header with that shape once
  // allocated a tiny buffer and wrote the whole declared image into it.
  EXPECT_FALSE(cl::checked_product({std::size_t{1} << 32, std::size_t{1} << 32, 1}).has_value());
  EXPECT_FALSE(cl::checked_product({SIZE_MAX, 2}).has_value());
  EXPECT_EQ(cl::checked_product({SIZE_MAX, 1}), SIZE_MAX);
  EXPECT_EQ(cl::checked_product({SIZE_MAX, SIZE_MAX, 0}), std::size_t{0});  // zero wins
}
