// Conjugate gradients: exact solves of small SPD systems, every non-converging status, no NaN.
#include "cathodelab/numerics/cg.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace nm = cathodelab::numerics;

namespace {

/// Dense matrix as an operator (row-major).
class DenseOperator final : public nm::LinearOperator {
 public:
  DenseOperator(std::size_t n, std::vector<double> a) : n_(n), a_(std::move(a)) {}
  void apply(std::span<const double> x, std::span<double> y) const override {
    for (std::size_t i = 0; i < n_; ++i) {
      y[i] = 0.0;
      for (std::size_t j = 0; j < n_; ++j) y[i] += a_[i * n_ + j] * x[j];
    }
  }
  [[nodiscard]] std::size_t size() const override { return n_; }

 private:
  std::size_t n_;
  std::vector<double> a_;
};

/// 1D Dirichlet Laplacian tridiag(-1, 2, -1), n x n.
DenseOperator laplacian_1d(std::size_t n) {
  std::vector<double> a(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    a[i * n + i] = 2.0;
    if (i > 0) a[i * n + i - 1] = -1.0;
    if (i + 1 < n) a[i * n + i + 1] = -1.0;
  }
  return DenseOperator(n, a);
}

/// Inverse of the diagonal (Jacobi preconditioner) of a constant-diagonal operator.
class ScaledIdentity final : public nm::LinearOperator {
 public:
  ScaledIdentity(std::size_t n, double s) : n_(n), s_(s) {}
  void apply(std::span<const double> x, std::span<double> y) const override {
    for (std::size_t i = 0; i < n_; ++i) y[i] = s_ * x[i];
  }
  [[nodiscard]] std::size_t size() const override { return n_; }

 private:
  std::size_t n_;
  double s_;
};

}  // namespace

TEST(Cg, SolvesLaplacianToToleranceInAtMostNIterations) {
  // Exact solution x_i = i (i = 1..n) of tridiag(-1,2,-1) x = b with b = (0,...,0,n+1).
  const std::size_t n = 40;
  const auto a = laplacian_1d(n);
  std::vector<double> b(n, 0.0), x(n, 0.0);
  b[n - 1] = static_cast<double>(n + 1);
  const auto stats = nm::cg(a, nm::IdentityOperator(n), b, x, {.rtol = 1e-12});
  EXPECT_TRUE(stats.converged);
  EXPECT_LE(stats.iterations, static_cast<int>(n));  // exact arithmetic: at most n steps
  EXPECT_LE(stats.residual, 1e-12);
  for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(x[i], static_cast<double>(i + 1), 1e-8);
  EXPECT_EQ(stats.method, "pcg");
}

TEST(Cg, PreconditionerKeepsTheAnswer) {
  const std::size_t n = 30;
  const auto a = laplacian_1d(n);
  std::vector<double> b(n, 1.0), x1(n, 0.0), x2(n, 0.0);
  (void)nm::cg(a, nm::IdentityOperator(n), b, x1, {.rtol = 1e-12});
  (void)nm::cg(a, ScaledIdentity(n, 0.5), b, x2, {.rtol = 1e-12});
  for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(x1[i], x2[i], 1e-8);
}

TEST(Cg, ZeroRightHandSideGivesZero) {
  const auto a = laplacian_1d(5);
  std::vector<double> b(5, 0.0), x(5, 3.0);
  const auto stats = nm::cg(a, nm::IdentityOperator(5), b, x);
  EXPECT_TRUE(stats.converged);
  for (const double v : x) EXPECT_EQ(v, 0.0);
}

TEST(Cg, IterationLimitIsAStatusNotAnException) {
  const std::size_t n = 50;
  const auto a = laplacian_1d(n);
  std::vector<double> b(n, 1.0), x(n, 0.0);
  const auto stats = nm::cg(a, nm::IdentityOperator(n), b, x, {.rtol = 1e-12, .max_iterations = 3});
  EXPECT_FALSE(stats.converged);
  EXPECT_EQ(stats.iterations, 3);
  EXPECT_NE(stats.message.find("iteration limit"), std::string::npos);
  for (const double v : x) EXPECT_TRUE(std::isfinite(v));
}

TEST(Cg, IndefiniteOperatorIsABreakdownAndLeavesXFinite) {
  // diag(1, -1): p.Ap = 0 for b = (1, 1) at the first step.
  const DenseOperator a(2, {1.0, 0.0, 0.0, -1.0});
  std::vector<double> b{1.0, 1.0}, x{0.0, 0.0};
  const auto stats = nm::cg(a, nm::IdentityOperator(2), b, x);
  EXPECT_FALSE(stats.converged);
  EXPECT_NE(stats.message.find("breakdown"), std::string::npos);
  for (const double v : x) EXPECT_TRUE(std::isfinite(v));
}

TEST(Cg, NaNInTheOperatorIsReportedNotReturned) {
  const DenseOperator a(2, {NAN, 0.0, 0.0, 1.0});
  std::vector<double> b{1.0, 1.0}, x{0.0, 0.0};
  const auto stats = nm::cg(a, nm::IdentityOperator(2), b, x);
  EXPECT_FALSE(stats.converged);
  EXPECT_NE(stats.message.find("non-finite"), std::string::npos);
  for (const double v : x) EXPECT_TRUE(std::isfinite(v));
}

TEST(Cg, StagnationIsDetected) {
  // A preconditioner that is SPD but useless in float-like precision cannot stall exact CG; use a
  // monitor directly: the best residual does not improve for the window.
  nm::CgMonitor monitor({.rtol = 1e-12, .max_iterations = 1000, .stagnation_window = 5}, 1.0);
  bool stopped = false;
  int i = 0;
  for (; i < 20 && !stopped; ++i) stopped = monitor.record(i, 0.5);
  EXPECT_TRUE(stopped);
  EXPECT_EQ(monitor.stop(), nm::CgStop::stagnated);
  EXPECT_EQ(i, 6);
}
