// IdaSolver on small DAEs with analytic solutions.
#include "cathodelab/numerics/ida_solver.hpp"

#include "cathodelab/core/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <utility>

namespace cathodelab::numerics {
namespace {

// y0' = -k y0 (differential), 0 = y1 - 2 y0 (algebraic): y0 = exp(-k t), y1 = 2 exp(-k t).
// Event: y0 - level crosses zero at t = ln(1/level)/k.
class DecayWithConstraint : public DaeSystem {
 public:
  double k = 2.0;
  double level = 0.25;
  bool poison = false;  // residual turns NaN after t = 0.5
  [[nodiscard]] std::size_t size() const override { return 2; }
  void residual(double t, std::span<const double> y, std::span<const double> yp,
                std::span<double> out) const override {
    out[0] = yp[0] + k * y[0];
    out[1] = y[1] - 2.0 * y[0];
    if (poison && t > 0.5) out[0] = std::numeric_limits<double>::quiet_NaN();
  }
  [[nodiscard]] std::vector<bool> differential_mask() const override { return {true, false}; }
  [[nodiscard]] SparsityPattern sparsity() const override {
    const std::pair<std::size_t, std::size_t> entries[] = {{1, 0}};
    return make_sparsity_pattern(2, entries);
  }
  [[nodiscard]] std::size_t event_count() const override { return 1; }
  void events(double, std::span<const double> y, std::span<const double>,
              std::span<double> g) const override {
    g[0] = y[0] - level;
  }
};

TEST(IdaSolver, ExponentialDecayWithAlgebraicConstraintMatchesAnalyticSolution) {
  DecayWithConstraint system;
  IdaSolver solver(system, {.relative_tolerance = 1e-9, .absolute_tolerance = 1e-12});
  solver.set_events_enabled(false);
  const double y0[] = {1.0, 0.0};  // y1 inconsistent on purpose
  const double yp0[] = {0.0, 0.0};
  solver.reset(0.0, y0, yp0);
  solver.make_consistent(0.1);
  EXPECT_NEAR(solver.y()[1], 2.0, 1e-12);
  EXPECT_NEAR(solver.yp()[0], -2.0, 1e-9);
  const auto result = solver.advance(1.0);
  EXPECT_EQ(result.stop, AdvanceStop::reached_time);
  EXPECT_DOUBLE_EQ(result.t, 1.0);
  EXPECT_NEAR(solver.y()[0], std::exp(-2.0), 1e-7);
  EXPECT_NEAR(solver.y()[1], 2.0 * std::exp(-2.0), 1e-7);
  EXPECT_GT(solver.stats().iterations, 10);
  EXPECT_EQ(solver.stats().method, "ida+klu");
}

TEST(IdaSolver, EventIsLocatedToTolerance) {
  DecayWithConstraint system;
  IdaSolver solver(system, {.relative_tolerance = 1e-8, .absolute_tolerance = 1e-12});
  const double y0[] = {1.0, 2.0};
  const double yp0[] = {-2.0, -4.0};
  solver.reset(0.0, y0, yp0);
  const auto result = solver.advance(10.0);
  ASSERT_EQ(result.stop, AdvanceStop::event);
  ASSERT_EQ(result.event_direction.size(), 1U);
  EXPECT_EQ(result.event_direction[0], -1);
  EXPECT_NEAR(result.t, std::log(4.0) / 2.0, 1e-6);
  EXPECT_NEAR(solver.y()[0], 0.25, 1e-6);
}

TEST(IdaSolver, OneStepModeReturnsIntermediateStates) {
  DecayWithConstraint system;
  IdaSolver solver(system);
  solver.set_events_enabled(false);
  const double y0[] = {1.0, 2.0};
  const double yp0[] = {-2.0, -4.0};
  solver.reset(0.0, y0, yp0);
  int steps = 0;
  double t = 0.0;
  while (t < 1.0) {
    const auto r = solver.advance(1.0, true);
    ASSERT_GT(r.t, t);
    t = r.t;
    ++steps;
  }
  EXPECT_GT(steps, 5);
  EXPECT_DOUBLE_EQ(t, 1.0);
}

TEST(IdaSolver, NonFiniteResidualBecomesNumericalErrorWithStats) {
  DecayWithConstraint system;
  system.poison = true;
  IdaSolver solver(system);
  solver.set_events_enabled(false);
  const double y0[] = {1.0, 2.0};
  const double yp0[] = {-2.0, -4.0};
  solver.reset(0.0, y0, yp0);
  try {
    solver.advance(1.0);
    FAIL() << "expected NumericalError";
  } catch (const core::NumericalError& e) {
    EXPECT_FALSE(e.stats().converged);
    EXPECT_GT(e.stats().iterations, 0);
    EXPECT_NE(std::string(e.what()).find("failed at t ="), std::string::npos);
  }
  // The last accepted state is still readable and finite.
  EXPECT_TRUE(std::isfinite(solver.y()[0]));
  EXPECT_LE(solver.time(), 0.5 + 1e-12);
}

TEST(DaeSparsity, TridiagonalPatternNeedsThreeColours) {
  std::vector<std::pair<std::size_t, std::size_t>> entries;
  const std::size_t n = 10;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    entries.emplace_back(i, i + 1);
    entries.emplace_back(i + 1, i);
  }
  const auto pattern = make_sparsity_pattern(n, entries);
  EXPECT_EQ(pattern.nonzeros(), 3 * n - 2);
  const auto colour = colour_columns(pattern);
  EXPECT_EQ(*std::max_element(colour.begin(), colour.end()), 2);
  for (std::size_t j = 0; j + 1 < n; ++j) EXPECT_NE(colour[j], colour[j + 1]);
  for (std::size_t j = 0; j + 2 < n; ++j) EXPECT_NE(colour[j], colour[j + 2]);
}

// A stiff linear system with many unknowns (heat equation by finite volumes, Dirichlet ends):
// the slowest mode decays as exp(-lambda_1 t) with the discrete eigenvalue
// lambda_1 = (4/h^2) sin^2(pi h / 2) for y_i(0) = sin(pi x_i).
class DiscreteHeat : public DaeSystem {
 public:
  std::size_t n = 40;
  [[nodiscard]] std::size_t size() const override { return n; }
  void residual(double, std::span<const double> y, std::span<const double> yp,
                std::span<double> out) const override {
    const double h = 1.0 / static_cast<double>(n + 1);
    for (std::size_t i = 0; i < n; ++i) {
      const double left = i > 0 ? y[i - 1] : 0.0;
      const double right = i + 1 < n ? y[i + 1] : 0.0;
      out[i] = yp[i] - (left - 2.0 * y[i] + right) / (h * h);
    }
  }
  [[nodiscard]] std::vector<bool> differential_mask() const override {
    return std::vector<bool>(n, true);
  }
  [[nodiscard]] SparsityPattern sparsity() const override {
    std::vector<std::pair<std::size_t, std::size_t>> e;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      e.emplace_back(i, i + 1);
      e.emplace_back(i + 1, i);
    }
    return make_sparsity_pattern(n, e);
  }
};

TEST(IdaSolver, StiffDiscreteHeatEquationDecaysAtDiscreteEigenvalue) {
  DiscreteHeat system;
  const double h = 1.0 / static_cast<double>(system.n + 1);
  const double pi = std::acos(-1.0);
  const double lambda = 4.0 / (h * h) * std::pow(std::sin(pi * h / 2.0), 2);
  std::vector<double> y(system.n), yp(system.n);
  for (std::size_t i = 0; i < system.n; ++i) {
    y[i] = std::sin(pi * h * static_cast<double>(i + 1));
    yp[i] = -lambda * y[i];
  }
  IdaSolver solver(system, {.relative_tolerance = 1e-8, .absolute_tolerance = 1e-12});
  solver.reset(0.0, y, yp);
  solver.advance(0.2);
  for (std::size_t i = 0; i < system.n; ++i) {
    EXPECT_NEAR(solver.y()[i], y[i] * std::exp(-lambda * 0.2), 1e-7);
  }
}

}  // namespace
}  // namespace cathodelab::numerics
