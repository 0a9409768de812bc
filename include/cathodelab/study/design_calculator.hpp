// The design calculator: the first study stage, pure arithmetic on a cell recipe.
//
// Converts mass to volume fractions with the component densities, adds coating shells, applies the
// porosity, derives the cathode thickness from the active-material loading (or the loading from the
// thickness), the theoretical areal capacity, and the specific energy, energy density and material
// cost of one single-sided stack unit (positive collector + cathode + separator + lithium metal
// anode + negative collector; no packaging). Equations and their derivation:
// docs/theory/design_calculator.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cathodelab::study {

struct CalculatorComponent {
  std::string name;
  bool active = false;                          ///< stores charge (cathode active material)
  double mass_fraction = 0.0;                   ///< of the uncoated solids [-]
  double density = 0.0;                         ///< [kg.m-3]
  double specific_capacity = 0.0;               ///< active only [C.kg-1]
  std::optional<double> average_voltage;        ///< active only, vs Li/Li+ [V]
  std::optional<double> cost_per_mass;          ///< [$.kg-1]
  double coating_volume_ratio = 0.0;            ///< shell volume / core volume [-]
  double coating_density = 0.0;                 ///< [kg.m-3]
  std::optional<double> coating_cost_per_mass;  ///< [$.kg-1]
  std::string coating_name;
};

/// A dense (or porous) layer of one material: separator, lithium, collector.
struct CalculatorLayer {
  std::string name;
  double thickness = 0.0;               ///< [m]
  double density = 0.0;                 ///< of the solid [kg.m-3]
  double porosity = 0.0;                ///< [-]
  std::optional<double> cost_per_mass;  ///< [$.kg-1]
};

struct CalculatorInput {
  std::vector<CalculatorComponent> components;
  double porosity = 0.0;                ///< cathode [-]
  std::optional<double> areal_loading;  ///< active mass per area [kg.m-2]
  std::optional<double> thickness;      ///< cathode [m] (exactly one of loading/thickness)
  double area = 1e-4;                   ///< [m2]
  CalculatorLayer separator;
  CalculatorLayer positive_collector;
  CalculatorLayer negative_collector;
  CalculatorLayer anode;                  ///< thickness ignored when np_ratio is set
  double anode_specific_capacity = 0.0;   ///< [C.kg-1] (lithium metal: 3860 mAh/g)
  std::optional<double> np_ratio;         ///< anode capacity / cathode capacity [-]
  std::optional<double> nominal_voltage;  ///< overrides the active material mean voltage [V]
};

struct CalculatorResult {
  std::vector<double> solid_volume_fractions;    ///< per component, cores, of all solids [-]
  std::vector<double> coating_volume_fractions;  ///< per component, shells, of all solids [-]
  double active_mass_fraction = 0.0;             ///< of the cathode composite (with coatings) [-]
  double active_volume_fraction = 0.0;           ///< of the electrode volume (with pores) [-]
  double solid_density = 0.0;                    ///< [kg.m-3]
  double electrode_density = 0.0;                ///< composite with pores [kg.m-3]
  double cathode_thickness = 0.0;                ///< [m]
  double areal_loading = 0.0;                    ///< active mass per area [kg.m-2]
  double cathode_areal_mass = 0.0;               ///< [kg.m-2]
  double areal_capacity = 0.0;                   ///< theoretical [C.m-2]
  double capacity = 0.0;                         ///< areal capacity x area [C]
  double composite_specific_capacity = 0.0;      ///< per cathode composite mass [C.kg-1]
  double nominal_voltage = 0.0;                  ///< [V]
  double anode_thickness = 0.0;                  ///< [m]
  double stack_areal_mass = 0.0;                 ///< [kg.m-2]
  double stack_thickness = 0.0;                  ///< [m]
  double areal_energy = 0.0;                     ///< [J.m-2]
  double specific_energy = 0.0;                  ///< [J.kg-1]
  double energy_density = 0.0;                   ///< [J.m-3]
  std::optional<double> cost_per_energy;         ///< [$.J-1]; absent when any cost is unknown
  std::vector<std::string> unknown_costs;        ///< materials whose cost is missing
};

/// Throws core::InputError when the recipe is impossible (no active material, fractions not
/// summing to one, porosity outside [0,1), no voltage known).
[[nodiscard]] CalculatorResult calculate_design(const CalculatorInput& input);

/// Volume fractions from mass fractions and densities: v_i = (w_i/rho_i) / sum_j (w_j/rho_j).
[[nodiscard]] std::vector<double> mass_to_volume_fractions(
    const std::vector<double>& mass_fractions, const std::vector<double>& densities);
/// Mass fractions from volume fractions: w_i = v_i rho_i / sum_j v_j rho_j.
[[nodiscard]] std::vector<double> volume_to_mass_fractions(
    const std::vector<double>& volume_fractions, const std::vector<double>& densities);
/// Volume of a shell of thickness t around a sphere of diameter d, per core volume:
/// ((d/2 + t)^3 - (d/2)^3) / (d/2)^3.
[[nodiscard]] double coating_volume_ratio(double diameter, double thickness);

}  // namespace cathodelab::study
