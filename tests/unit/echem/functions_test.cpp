// Expression evaluator, monotone tables, parameter validation and step failures.
#include "cathodelab/echem/functions.hpp"
#include "cathodelab/echem/expression.hpp"
#include "cathodelab/echem/simulate.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/materials/property_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace cathodelab::echem {
namespace {

TEST(Expression, EvaluatesArithmeticAndFunctions) {
  const auto e =
      Expression::parse("2*x^2 - 3/x + exp(-x)*tanh(T/300) + sqrt(4) - -1 + 2**3", {"x", "T"});
  const double x = 1.5;
  const double t = 330.0;
  EXPECT_NEAR(e(x, t), 2 * x * x - 3 / x + std::exp(-x) * std::tanh(t / 300) + 2 + 1 + 8, 1e-12);
  EXPECT_NEAR(Expression::parse("-x^2", {"x"})(3.0), -9.0, 1e-15);  // unary minus binds looser
  EXPECT_NEAR(Expression::parse("2^-1", {"x"})(0.0), 0.5, 1e-15);
  EXPECT_NEAR(Expression::parse("exp(34700/R*(1/298.15 - 1/T))", {"T"})(298.15), 1.0, 1e-14);
  EXPECT_NEAR(Expression::parse("max(x, 2) + log10(100)", {"x"})(1.0), 4.0, 1e-14);
}

TEST(Expression, ErrorsGiveColumnAndSuggestion) {
  try {
    (void)Expression::parse("1 + tnah(x)", {"x"}, "positive.material.ocp");
    FAIL();
  } catch (const core::InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("column 5"), std::string::npos) << m;
    EXPECT_NE(m.find("tanh"), std::string::npos) << m;
    EXPECT_EQ(e.key_path(), "positive.material.ocp");
  }
  EXPECT_THROW((void)Expression::parse("(x + 1", {"x"}), core::InputError);
  EXPECT_THROW((void)Expression::parse("x + y", {"x"}), core::InputError);
}

TEST(MonotoneTable, InterpolatesWithoutOvershootAndRefusesUnsortedX) {
  const MonotoneTable t({0.0, 0.5, 0.6, 1.0}, {4.2, 3.8, 3.79, 3.0});
  EXPECT_DOUBLE_EQ(t(0.5), 3.8);
  double previous = t(0.0);
  for (int i = 1; i <= 1000; ++i) {
    const double v = t(i / 1000.0);
    EXPECT_LE(v, previous + 1e-15);
    previous = v;
  }
  EXPECT_EQ(t.monotonicity(), -1);
  EXPECT_THROW(MonotoneTable({0.0, 0.5, 0.4}, {1, 2, 3}), core::InputError);
}

TEST(MonotoneTable, InterpolatesExactlyAsTheMaterialsLibrary) {
  // One interpolator: an OCP table read by `cell` (echem::MonotoneTable) and by a study (the
  // library's PropertyModel) gives the same value everywhere, ends included.
  const std::vector<double> x{0.25, 0.3, 0.45, 0.6, 0.8, 0.9, 0.97};
  const std::vector<double> y{4.30, 4.18, 4.02, 3.90, 3.75, 3.62, 3.20};
  const MonotoneTable cell_table(x, y);
  materials::Table t;
  t.x = x;
  t.y = y;
  const auto library = materials::PropertyModel::table(t);
  for (int i = 0; i <= 2000; ++i) {
    const double at = 0.25 + 0.72 * i / 2000.0;
    EXPECT_DOUBLE_EQ(cell_table(at),
                     library.value({.stoichiometry = at, .state_of_charge = at}, "test OCP"))
        << at;
  }
}

CellParameters simple_cell() {
  CellParameters p;
  p.positive.material.open_circuit_potential =
      Function1([](double x) { return 4.2 - x; }, "linear");
  p.positive.initial_stoichiometry = 0.3;
  p.lower_voltage_limit = 3.0;
  p.upper_voltage_limit = 4.3;
  return p;
}

TEST(CellParameters, NegativeThicknessIsRefusedWithItsKey) {
  auto p = simple_cell();
  p.positive.thickness = -1e-6;
  try {
    validate(p);
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.key_path(), "positive.thickness");
  }
}

TEST(Simulate, ACutOffReachedAtTheStartEndsTheStepAndTheExperimentGoesOn) {
  const auto p = simple_cell();  // OCV = 3.9 V
  const auto r =
      simulate(p, parse_experiment("Rest for 10 s; Charge at 1C until 3.5 V; Rest for 10 s"));
  ASSERT_FALSE(r.failure) << r.failure->reason;
  ASSERT_EQ(r.steps.size(), 3U);
  EXPECT_EQ(r.steps[0].termination, "time");
  EXPECT_TRUE(r.steps[1].ended_at_start);
  EXPECT_EQ(r.steps[1].end, StepEnd::upper_voltage);
  EXPECT_EQ(r.steps[1].termination, "upper voltage cut-off (reached at the start)");
  EXPECT_EQ(r.steps[1].capacity, 0.0);
  EXPECT_GT(r.steps[1].start_voltage, 3.5);        // under the charging current
  EXPECT_NEAR(r.steps[1].end_voltage, 3.9, 1e-6);  // the state before the step, at rest
  EXPECT_EQ(r.steps[2].termination, "time");
  for (double v : r.timeseries.voltage) EXPECT_TRUE(std::isfinite(v));
}

TEST(Simulate, VoltageCutOffEndsTheStepExactly) {
  const auto p = simple_cell();
  const auto r =
      simulate(p, parse_experiment("Discharge at 1C until 3.6 V; Hold at 3.6 V until C/10"));
  ASSERT_FALSE(r.failure) << r.failure->reason;
  EXPECT_EQ(r.steps[0].termination, "lower voltage cut-off");
  EXPECT_NEAR(r.steps[0].end_voltage, 3.6, 1e-8);
  // Every row of the constant-current step, the event row included, has the time of its state:
  // capacity = I t (IDA interpolates the state to the root; its internal time lies past it).
  const auto& ts = r.timeseries;
  for (std::size_t i = 0; i < ts.time.size() && ts.step[i] == 0; ++i) {
    EXPECT_NEAR(ts.discharge_capacity[i], ts.current[i] * ts.time[i] / 3600.0,
                1e-7 * nominal_capacity(p))
        << "row " << i << " at " << ts.time[i] << " s";
  }
  EXPECT_NEAR(r.steps[1].start_time, r.steps[0].duration, 1e-12);
  EXPECT_EQ(r.steps[1].termination, "current cut-off");
  EXPECT_NEAR(std::abs(r.timeseries.current.back()), 0.1 * nominal_capacity(p),
              1e-6 * nominal_capacity(p));
}

/// The simple cell with its linear OCP given as a table over [lower, 1] (the stoichiometry window
/// stays [0, 1], as when a file sets it explicitly).
CellParameters table_cell(double lower) {
  auto p = simple_cell();
  std::vector<double> x, y;
  for (int i = 0; i <= 10; ++i) {
    x.push_back(lower + (1.0 - lower) * i / 10.0);
    y.push_back(4.2 - x.back());
  }
  p.positive.material.open_circuit_potential = Function1(MonotoneTable(x, y), "table");
  return p;
}

TEST(CellParameters, InitialStoichiometryOutsideAnOcpOrDiffusivityTableIsRefused) {
  auto p = table_cell(0.35);  // initial stoichiometry 0.3
  try {
    validate(p);
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.key_path(), "positive.initial_stoichiometry");
    const std::string what = e.what();
    EXPECT_NE(what.find("0.3 lies outside the OCP table's range [0.35, 1]"), std::string::npos)
        << what;
    EXPECT_NE(what.find("extend the OCP table"), std::string::npos) << what;
  }
  p = simple_cell();
  Function2 d([](double, double) { return 1e-14; }, "table");
  d.set_domain(0.4, 1.0);
  p.positive.material.diffusivity = d;
  try {
    validate(p);
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.key_path(), "positive.initial_stoichiometry");
    EXPECT_NE(std::string(e.what()).find("diffusivity table's range [0.4, 1]"), std::string::npos)
        << e.what();
  }
  EXPECT_NO_THROW(validate(table_cell(0.3)));  // the edge itself is inside
}

TEST(Simulate, SurfaceLeavingAnOcpTableEndsTheStepAsAFailure) {
  const auto p = table_cell(0.25);  // from x = 0.3; a charge empties the surface below 0.25
  const auto r = simulate(p, parse_experiment("Rest for 10 s; Charge at 1C until 4.3 V"));
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->step, 1);
  EXPECT_GT(r.failure->time, 10.0);
  EXPECT_NE(r.failure->reason.find(
                "surface stoichiometry 0.2500 of the positive electrode left the OCP table "
                "[0.25, 1]"),
            std::string::npos)
      << r.failure->reason;
  ASSERT_EQ(r.steps.size(), 2U);
  EXPECT_EQ(r.steps[0].termination, "time");
  EXPECT_EQ(r.steps[1].termination.rfind("failed: ", 0), 0U);
  for (double v : r.timeseries.voltage) EXPECT_TRUE(std::isfinite(v));
  EXPECT_GT(r.timeseries.time.back(), 10.0);  // rows of the failed step up to the exit are kept
  // Without the table the same charge runs on to the window's margin.
  const auto free = simulate(simple_cell(), parse_experiment("Charge at 1C until 4.3 V"));
  ASSERT_FALSE(free.failure) << free.failure->reason;
}

}  // namespace
}  // namespace cathodelab::echem
