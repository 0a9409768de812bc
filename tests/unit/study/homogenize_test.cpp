// study::homogenize: the Bruggeman fallback is exact, microstructure numbers pass through, the
// stoichiometry window reproduces the calculator's capacity, the film resistance is t / sigma, and
// impossible inputs are refused with their key.
#include "cathodelab/study/homogenize.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/echem/cell_parameters.hpp"
#include "cathodelab/study/stage.hpp"
#include "whole_path_fixture.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace cathodelab::study {
namespace {

HomogenizationInput plain_input() {
  HomogenizationInput in;
  in.temperature = 298.15;
  in.area = 1e-4;
  in.cathode_thickness = 40e-6;
  in.active_volume_fraction = 0.55;
  in.active_particle_radius = 2.5e-6;
  in.usable_specific_capacity = 200.0 * 3600.0;  // 200 mAh/g in C/kg
  in.phases = {{"NCM811", 0.55, 0.0, 0.1}, {"Li6PS5Cl", 0.30, 0.2, 0.0}, {"VGCF", 0.05, 0.0, 1e4}};
  in.active_name = "NCM811";
  in.active_density = 4800.0;
  in.max_concentration = 60000.0;
  echem::Function1 u([](double x) { return 4.3 - 0.8 * (x - 0.25) / 0.7; }, "linear");
  u.set_domain(0.25, 0.95);
  in.open_circuit_potential = u;
  in.ocp_min_stoichiometry = 0.25;
  in.ocp_max_stoichiometry = 0.95;
  in.separator_thickness = 30e-6;
  in.separator_porosity = 0.05;
  in.separator_ionic_conductivity = 0.2;
  return in;
}

TEST(Homogenize, BruggemanFallbackIsExact) {
  const HomogenizationInput in = plain_input();
  const HomogenizedCell h = homogenize(in);
  const auto& e = h.parameters.positive;
  const double sigma_ion = 0.2 * std::pow(0.30, 1.5);
  const double sigma_el = 0.1 * std::pow(0.55, 1.5) + 1e4 * std::pow(0.05, 1.5);
  EXPECT_DOUBLE_EQ(bruggeman_conductivity(in.phases, true), sigma_ion);
  EXPECT_DOUBLE_EQ(bruggeman_conductivity(in.phases, false), sigma_el);
  EXPECT_DOUBLE_EQ(e.ionic_transport_factor * 0.2, sigma_ion);
  EXPECT_DOUBLE_EQ(e.electronic_conductivity, sigma_el);
  EXPECT_DOUBLE_EQ(e.active_area, 3.0 * 0.55 / 2.5e-6);
  EXPECT_DOUBLE_EQ(e.utilizable_fraction, 1.0);
  EXPECT_EQ(h.texts.at("Effective property source"), "Bruggeman estimate");
  // Each property says it is an estimate.
  for (const char* property : {"effective ionic conductivity", "effective electronic conductivity",
                               "active area per volume", "utilizable fraction"}) {
    const std::string& source = h.texts.at(std::string("Source of ") + property);
    EXPECT_NE(source.find("estimate"), std::string::npos) << property << ": " << source;
    EXPECT_NE(source.find("no microstructure"), std::string::npos) << property << ": " << source;
  }
  EXPECT_TRUE(h.blocked_reason.empty());
  EXPECT_DOUBLE_EQ(h.parameters.separator.ionic_transport_factor, std::pow(0.95, 1.5));
}

TEST(Homogenize, MicrostructurePropertiesPassThrough) {
  HomogenizationInput in = plain_input();
  in.effective = EffectiveCathodeProperties{.ionic_conductivity = 0.01,
                                            .electronic_conductivity = 3.0,
                                            .active_area = 2e5,
                                            .utilizable_fraction = 0.8};
  const HomogenizedCell h = homogenize(in);
  const auto& e = h.parameters.positive;
  EXPECT_DOUBLE_EQ(e.ionic_transport_factor, 0.01 / 0.2);
  EXPECT_DOUBLE_EQ(e.electronic_conductivity, 3.0);
  EXPECT_DOUBLE_EQ(e.active_area, 2e5);
  EXPECT_DOUBLE_EQ(e.utilizable_fraction, 0.8);
  EXPECT_EQ(h.texts.at("Effective property source"), "microstructure");
  for (const char* property : {"effective ionic conductivity", "effective electronic conductivity",
                               "active area per volume", "utilizable fraction"}) {
    EXPECT_EQ(h.texts.at(std::string("Source of ") + property), "microstructure") << property;
  }
}

TEST(Homogenize, WindowReproducesTheCalculatorCapacity) {
  HomogenizationInput in = plain_input();
  in.effective = EffectiveCathodeProperties{.ionic_conductivity = 0.01,
                                            .electronic_conductivity = 3.0,
                                            .active_area = 2e5,
                                            .utilizable_fraction = 0.8};
  const HomogenizedCell h = homogenize(in);
  const auto& p = h.parameters;
  // Areal capacity x area x utilizable fraction, in A h.
  const double mass =
      in.area * in.cathode_thickness * in.active_volume_fraction * in.active_density;
  const double expected = mass * in.usable_specific_capacity * 0.8 / 3600.0;
  EXPECT_NEAR(p.nominal_capacity, expected, 1e-12 * expected);
  // Charged start: x0 = x_max - q rho / (c_max F).
  const double dx = in.usable_specific_capacity * in.active_density /
                    (in.max_concentration * echem::faraday_constant);
  EXPECT_NEAR(p.positive.initial_stoichiometry, 0.95 - dx, 1e-12);
  // A charge may return to the charged state (plus a 0.5 % margin), not beyond.
  EXPECT_NEAR(p.positive.material.min_stoichiometry, 0.95 - 1.005 * dx, 1e-12);
  EXPECT_DOUBLE_EQ(p.positive.material.max_stoichiometry, 0.95);
  EXPECT_NO_THROW(echem::validate(p));
}

TEST(Homogenize, HalfChargedStartsHalfWay) {
  HomogenizationInput in = plain_input();
  in.initial_state_of_charge = 0.5;
  const double dx = in.usable_specific_capacity * in.active_density /
                    (in.max_concentration * echem::faraday_constant);
  EXPECT_NEAR(homogenize(in).parameters.positive.initial_stoichiometry, 0.95 - 0.5 * dx, 1e-12);
}

TEST(Homogenize, FilmResistanceIsThicknessOverConductivity) {
  HomogenizationInput in = plain_input();
  in.coating_thickness = 10e-9;
  in.coating_ionic_conductivity = 1e-3;
  EXPECT_DOUBLE_EQ(homogenize(in).parameters.positive.film_resistance, 1e-5);
  in.coating_ionic_conductivity = 0.0;
  EXPECT_THROW((void)homogenize(in), core::InputError);
}

TEST(Homogenize, CapacityBeyondTheOcpRangeIsCappedWithANote) {
  HomogenizationInput in = plain_input();
  in.usable_specific_capacity = 400.0 * 3600.0;  // needs dx > 0.7
  const HomogenizedCell h = homogenize(in);
  // Started half a percent inside the window: a state on its edge would end the first step.
  EXPECT_NEAR(h.parameters.positive.initial_stoichiometry, 0.25 + 0.005 * 0.7, 1e-12);
  EXPECT_NE(h.texts.at("Cell-model note").find("limited by the OCP range"), std::string::npos);
}

TEST(Homogenize, NonPercolatingNetworkIsAResultNotAnError) {
  HomogenizationInput in = plain_input();
  in.effective = EffectiveCathodeProperties{.ionic_conductivity = 0.0,
                                            .electronic_conductivity = 3.0,
                                            .active_area = 2e5,
                                            .utilizable_fraction = 0.0};
  const HomogenizedCell h = homogenize(in);
  EXPECT_NE(h.blocked_reason.find("no active material is reachable"), std::string::npos);
  for (const auto& [name, value] : h.scalars) EXPECT_TRUE(std::isfinite(value)) << name;
}

TEST(Homogenize, NetworkNotSpanningTheThicknessIsNotReplacedByAnEstimate) {
  // An electronic network that serves 90 % of the active material without spanning the thickness:
  // no formula may stand in for it (Bruggeman would give the cell model a path the structure does
  // not have); the cell is reported as not representable, and not as a zero-capacity cathode.
  HomogenizationInput in = plain_input();
  in.effective = EffectiveCathodeProperties{.ionic_conductivity = 0.01,
                                            .electronic_conductivity = 0.0,
                                            .active_area = 2e5,
                                            .utilizable_fraction = 0.9};
  const HomogenizedCell h = homogenize(in);
  EXPECT_TRUE(h.blocked_reason.empty()) << h.blocked_reason;
  EXPECT_NE(h.unsupported_reason.find("electronic network reaches 90.0 %"), std::string::npos)
      << h.unsupported_reason;
  EXPECT_EQ(h.texts.at("Source of effective electronic conductivity"), "microstructure");
  EXPECT_EQ(h.texts.at("Effective property source"), "microstructure");
  EXPECT_EQ(h.scalars.at("Cell-model effective electronic conductivity [S.m-1]"), 0.0);
  // Both networks cut: both named.
  in.effective->ionic_conductivity = 0.0;
  EXPECT_NE(homogenize(in).unsupported_reason.find("ionic and electronic network"),
            std::string::npos);
  // Nothing utilizable: that is a zero-capacity cathode, not an unrepresentable one.
  in.effective->utilizable_fraction = 0.0;
  const HomogenizedCell none = homogenize(in);
  EXPECT_TRUE(none.unsupported_reason.empty());
  EXPECT_FALSE(none.blocked_reason.empty());
}

TEST(Homogenize, RefusesImpossibleInputsWithTheirKey) {
  HomogenizationInput in = plain_input();
  in.separator_ionic_conductivity = 0.0;
  try {
    (void)homogenize(in);
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.key_path(), "separator.material");
  }
  in = plain_input();
  in.active_volume_fraction = 1.2;
  EXPECT_THROW((void)homogenize(in), core::InputError);
}

TEST(HomogenizationInput, FromADesignUsesTheCalculatorAndTheRecords) {
  const Design design = fixture::test_design();
  const CalculatorResult calc = calculate_design(calculator_input(design));
  const HomogenizationInput in = homogenization_input(design, calc, std::nullopt);
  EXPECT_DOUBLE_EQ(in.cathode_thickness, calc.cathode_thickness);
  EXPECT_DOUBLE_EQ(in.active_particle_radius, 2.5e-6);
  EXPECT_DOUBLE_EQ(in.max_concentration, 60000.0);
  EXPECT_DOUBLE_EQ(in.separator_ionic_conductivity, 0.2);
  EXPECT_DOUBLE_EQ(in.coating_ionic_conductivity, 1e-3);
  EXPECT_DOUBLE_EQ(in.coating_thickness, 10e-9);
  // Loading = eps_CAM L rho: the active fraction is consistent with the calculator.
  EXPECT_NEAR(in.active_volume_fraction * in.cathode_thickness * 4800.0, 0.1, 1e-9);
  EXPECT_DOUBLE_EQ(in.ocp_min_stoichiometry, 0.25);
  EXPECT_DOUBLE_EQ(in.ocp_max_stoichiometry, 0.95);
  EXPECT_NEAR(in.open_circuit_potential(0.6), 4.3 - 0.8 * 0.35 / 0.7, 1e-12);
  const HomogenizedCell h = homogenize(in);
  EXPECT_NO_THROW(echem::validate(h.parameters));
  for (const auto& [name, value] : h.scalars) EXPECT_TRUE(std::isfinite(value)) << name;
}

TEST(HomogenizationInput, MissingParticleSizeNamesTheKey) {
  Design design = fixture::test_design();
  design.cell.cathode.components[0].diameter.reset();
  design.cell.cathode.components[0].coating.reset();
  const CalculatorResult calc = calculate_design(calculator_input(design));
  try {
    (void)homogenization_input(design, calc, std::nullopt);
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.key_path(), "cathode.components.NCM811.diameter");
  }
}

}  // namespace
}  // namespace cathodelab::study
