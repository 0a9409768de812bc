// Verification: the homogenized cell delivers the design calculator's capacity at a slow rate.
//
// Derivation (docs/theory/homogenization.md section 3). homogenize() starts the discharge at
// x_0 = x_hi - dx with dx = q rho / (c_max F) (q the usable specific capacity, rho the active
// density) and the discharge ends when the particle surface reaches x_hi (or the voltage cut-off).
// At C/20 the particles are nearly uniform (radial concentration drop ~ j r / (5 D c_max) is below
// 1e-3 of dx for 5 um NCM811 and D ~ 1e-14 m^2/s), so the delivered capacity is
//   Q = A L eps_CAM u c_max dx F = A (eps_CAM L rho) q u = (calculator capacity) x u,
// u the utilizable fraction. The check runs the library's NCM811 | Li6PS5Cl recipe of
// examples/01_whole_path with Bruggeman estimates (u = 1), with given effective properties
// (u = 0.7), and with u measured on a generated microstructure; tolerance 3 %.
#include "cathodelab/echem/experiment.hpp"
#include "cathodelab/echem/simulate.hpp"
#include "cathodelab/io/study_loader.hpp"
#include "cathodelab/study/analysis_stage.hpp"
#include "cathodelab/study/design.hpp"
#include "cathodelab/study/homogenize.hpp"
#include "cathodelab/study/microstructure_stage.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace cathodelab::study {
namespace {

std::vector<Design> example_designs() {
  const auto file =
      std::filesystem::path(CATHODELAB_SOURCE_DIR) / "examples" / "01_whole_path" / "study.toml";
  return expand(io::load_study(file));
}

double slow_discharge_capacity(const echem::CellParameters& p) {
  const auto r = echem::simulate(p, echem::parse_experiment("Discharge at C/20 until 2.5 V"));
  EXPECT_FALSE(r.failure.has_value()) << (r.failure ? r.failure->reason : "");
  return r.steps.empty() ? 0.0 : r.steps.front().capacity;  // [A h]
}

TEST(HomogenizeCapacity, BruggemanCellDeliversTheCalculatorCapacity) {
  for (const auto& design : example_designs()) {
    const CalculatorResult calc = calculate_design(calculator_input(design));
    const HomogenizedCell h = homogenize(homogenization_input(design, calc, std::nullopt));
    const double expected = calc.capacity / 3600.0;  // [A h]
    EXPECT_NEAR(slow_discharge_capacity(h.parameters), expected, 0.03 * expected) << design.id;
  }
}

TEST(HomogenizeCapacity, UtilizableFractionScalesTheCapacity) {
  const Design design = example_designs().front();
  const CalculatorResult calc = calculate_design(calculator_input(design));
  const EffectiveCathodeProperties effective{.ionic_conductivity = 0.02,
                                             .electronic_conductivity = 1.0,
                                             .active_area = 2e5,
                                             .utilizable_fraction = 0.7};
  const HomogenizedCell h = homogenize(homogenization_input(design, calc, effective));
  const double expected = 0.7 * calc.capacity / 3600.0;
  EXPECT_NEAR(slow_discharge_capacity(h.parameters), expected, 0.03 * expected);
}

TEST(HomogenizeCapacity, MeasuredUtilizableFractionFromAMicrostructure) {
  Design design = example_designs().back();  // LWOC
  // A smaller box than the electrode keeps the check fast; u is what is being compared.
  InputValue thickness;
  thickness.kind = InputValue::Kind::text;
  thickness.text = "15 um";
  (*design.cell.microstructure)[{"microstructure", "thickness"}] = thickness;
  InputValue domain = thickness;
  domain.text = "12 um";
  (*design.cell.microstructure)[{"microstructure", "domain"}] = domain;
  design.generation = generation_spec(design, design.calculation);
  DesignResult result;
  microstructure_stage()->run(design, result);
  analysis_stage()->run(design, result);
  const auto analysis = analysis_payload(result);
  ASSERT_TRUE(analysis);
  const EffectiveCathodeProperties effective = analysis->effective_properties();
  ASSERT_GT(effective.utilizable_fraction, 0.0);
  const CalculatorResult calc = calculate_design(calculator_input(design));
  const HomogenizedCell h = homogenize(homogenization_input(design, calc, effective));
  ASSERT_TRUE(h.blocked_reason.empty()) << h.blocked_reason;
  const double expected = effective.utilizable_fraction * calc.capacity / 3600.0;
  EXPECT_NEAR(slow_discharge_capacity(h.parameters), expected, 0.03 * expected);
}

}  // namespace
}  // namespace cathodelab::study
