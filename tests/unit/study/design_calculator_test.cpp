// Design calculator against hand-computed answers (derivation: docs/theory/design_calculator.md).
//
// Reference case: one active material (w = 1, rho = 5000 kg/m3, q = 200 mAh/g = 720000 C/kg,
// V = 4 V), porosity 0.2, loading 0.1 kg/m2 (10 mg/cm2):
//   L = m / ((1 - eps) rho) = 0.1 / (0.8 * 5000) = 25 um
//   Q = m q = 72000 C/m2 = 2 mAh/cm2;  E = Q V = 288000 J/m2
// Stack: separator 30 um at 2000 kg/m3 (dense) = 0.06 kg/m2; Li 20 um at 534 kg/m3 = 0.01068 kg/m2
//   M = 0.1 + 0.06 + 0.01068 = 0.17068 kg/m2 -> E/M/3600 = 468.71 Wh/kg
//   T = 75 um -> E/T/3.6e6 = 1066.67 Wh/L
// Cost at 10, 50, 100 $/kg: 1 + 3 + 1.068 = 5.068 $/m2 over 0.08 kWh/m2 = 63.35 $/kWh.
#include "cathodelab/study/design_calculator.hpp"
#include "cathodelab/core/error.hpp"

#include <gtest/gtest.h>

namespace cathodelab::study {
namespace {

CalculatorInput reference() {
  CalculatorInput in;
  CalculatorComponent cam;
  cam.name = "CAM";
  cam.active = true;
  cam.mass_fraction = 1.0;
  cam.density = 5000.0;
  cam.specific_capacity = 720000.0;
  cam.average_voltage = 4.0;
  cam.cost_per_mass = 10.0;
  in.components = {cam};
  in.porosity = 0.2;
  in.areal_loading = 0.1;
  in.separator = {"SE", 30e-6, 2000.0, 0.0, 50.0};
  in.anode = {"Li", 20e-6, 534.0, 0.0, 100.0};
  in.anode_specific_capacity = 3860.0 * 3.6e3;
  return in;
}

TEST(DesignCalculator, ReferenceStackByHand) {
  const auto r = calculate_design(reference());
  EXPECT_NEAR(r.cathode_thickness, 25e-6, 1e-15);
  EXPECT_NEAR(r.areal_capacity, 72000.0, 1e-8);
  EXPECT_NEAR(r.areal_capacity / 3.6 * 1e-4, 2.0, 1e-12);  // mAh/cm2
  EXPECT_NEAR(r.nominal_voltage, 4.0, 1e-15);
  EXPECT_NEAR(r.stack_areal_mass, 0.17068, 1e-12);
  EXPECT_NEAR(r.specific_energy / 3600.0, 288000.0 / 0.17068 / 3600.0, 1e-9);
  EXPECT_NEAR(r.specific_energy / 3600.0, 468.71, 0.01);
  EXPECT_NEAR(r.energy_density / 3.6e6, 1066.6667, 1e-3);
  ASSERT_TRUE(r.cost_per_energy.has_value());
  EXPECT_NEAR(*r.cost_per_energy * 3.6e6, 63.35, 1e-9);
}

TEST(DesignCalculator, ThicknessGivesTheSameLoading) {
  auto in = reference();
  in.areal_loading.reset();
  in.thickness = 25e-6;
  const auto r = calculate_design(in);
  EXPECT_NEAR(r.areal_loading, 0.1, 1e-15);
  EXPECT_NEAR(r.areal_capacity, 72000.0, 1e-8);
}

TEST(DesignCalculator, UnknownCostIsUnknownNotZero) {
  auto in = reference();
  in.separator.cost_per_mass.reset();
  const auto r = calculate_design(in);
  EXPECT_FALSE(r.cost_per_energy.has_value());
  ASSERT_EQ(r.unknown_costs.size(), 1U);
  EXPECT_EQ(r.unknown_costs[0], "SE");
}

TEST(DesignCalculator, LithiumFromNpRatio) {
  auto in = reference();
  in.np_ratio = 2.0;
  const auto r = calculate_design(in);
  // t = 2 Q / (rho_Li q_Li) = 144000 / (534 * 13896000)
  EXPECT_NEAR(r.anode_thickness, 144000.0 / (534.0 * 13896000.0), 1e-15);
}

TEST(DesignCalculator, MassVolumeFractionsRoundTrip) {
  const auto v = mass_to_volume_fractions({0.5, 0.5}, {1000.0, 3000.0});
  EXPECT_NEAR(v[0], 0.75, 1e-15);
  EXPECT_NEAR(v[1], 0.25, 1e-15);
  const auto w = volume_to_mass_fractions(v, {1000.0, 3000.0});
  EXPECT_NEAR(w[0], 0.5, 1e-15);
  EXPECT_NEAR(w[1], 0.5, 1e-15);
}

TEST(DesignCalculator, CoatingShellVolume) {
  // r = 1, t = 0.5: (1.5^3 - 1) / 1 = 2.375
  EXPECT_NEAR(coating_volume_ratio(2.0, 0.5), 2.375, 1e-15);
  EXPECT_EQ(coating_volume_ratio(5e-6, 0.0), 0.0);
}

TEST(DesignCalculator, TwoComponentsByHand) {
  // 50/50 wt% of CAM (5000) and SE (2000): volumes 1e-4 and 2.5e-4 per kg -> phi_CAM = 2/7.
  // Solid density 1 / 3.5e-4 = 2857.14; at eps = 0 and loading 0.1: L = 0.1 / (2/7 * 5000) = 70 um.
  auto in = reference();
  CalculatorComponent se;
  se.name = "SE";
  se.mass_fraction = 0.5;
  se.density = 2000.0;
  in.components[0].mass_fraction = 0.5;
  in.components.push_back(se);
  in.porosity = 0.0;
  const auto r = calculate_design(in);
  EXPECT_NEAR(r.solid_volume_fractions[0], 2.0 / 7.0, 1e-15);
  EXPECT_NEAR(r.cathode_thickness, 70e-6, 1e-15);
  EXPECT_NEAR(r.cathode_areal_mass, 0.2, 1e-15);
  EXPECT_NEAR(r.active_mass_fraction, 0.5, 1e-15);
}

TEST(DesignCalculator, RefusesARecipeWithoutActiveMaterial) {
  auto in = reference();
  in.components[0].active = false;
  EXPECT_THROW((void)calculate_design(in), core::InputError);
}

TEST(DesignCalculator, NeedsAVoltage) {
  auto in = reference();
  in.components[0].average_voltage.reset();
  EXPECT_THROW((void)calculate_design(in), core::InputError);
  in.nominal_voltage = 3.7;
  EXPECT_NEAR(calculate_design(in).nominal_voltage, 3.7, 0.0);
}

}  // namespace
}  // namespace cathodelab::study
