// study::homogenize: the one bridge from a composite-cathode recipe (and, when there is one, its
// voxel microstructure analysis) to the parameters of the pseudo-two-dimensional cell model
// (ARCHITECTURE.md section 1: "Design+Morph+Eff -> study::homogenize -> echem parameters").
//
// Inputs are plain numbers: the design calculator's thickness and volume fractions, the material
// properties evaluated at the cell temperature (Arrhenius laws applied by the materials library),
// and optionally the effective properties of a microstructure (effective ionic and electronic
// conductivity through the thickness, active area per volume, utilizable fraction of the active
// material). A measured network that does not span the thickness is not replaced by an estimate:
// the cell is then reported as not representable (HomogenizedCell::unsupported_reason). Where no
// microstructure was analysed at all, every number falls back to a documented estimate and the
// output says so (texts "Effective property source" = "Bruggeman estimate", and
// per property "Source of effective ionic conductivity", "... electronic conductivity",
// "Source of active area per volume", "Source of utilizable fraction"):
//   sigma_eff = sum_i sigma_i phi_i^1.5  (Bruggeman, each conducting phase i its own network),
//   a = 3 eps_CAM / r                   (full surface of spheres of radius r),
//   utilizable fraction = 1.
// The cell model's stoichiometry window is chosen so that the delivered capacity at a slow rate
// equals the design calculator's areal capacity times the utilizable fraction. Equations, choices
// and their reasons: docs/theory/homogenization.md.
#pragma once

#include "cathodelab/echem/cell_parameters.hpp"
#include "cathodelab/materials/material.hpp"
#include "cathodelab/study/design.hpp"
#include "cathodelab/study/design_calculator.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cathodelab::study {

/// Effective properties of the cathode measured on a microstructure (or given by the user).
struct EffectiveCathodeProperties {
  double ionic_conductivity = 0.0;       ///< [S/m] effective, through the thickness
  double electronic_conductivity = 0.0;  ///< [S/m] effective, through the thickness
  /// Active interface area of the utilizable active material per electrode volume [1/m].
  double active_area = 0.0;
  double utilizable_fraction = 1.0;       ///< [-] active material reachable by ions and electrons
  std::string source = "microstructure";  ///< where the numbers come from (shown in outputs)
};

/// One solid component of the cathode for the Bruggeman fallback.
struct ConductingPhase {
  std::string name;
  double volume_fraction = 0.0;          ///< [-] of the electrode volume
  double ionic_conductivity = 0.0;       ///< [S/m] bulk at the cell temperature
  double electronic_conductivity = 0.0;  ///< [S/m] bulk at the cell temperature
};

/// Everything homogenize() needs, in SI, at the cell temperature.
struct HomogenizationInput {
  std::string name = "cell";
  double temperature = 298.15;  ///< [K]
  double area = 1e-4;           ///< [m^2] electrode area
  // Cathode (from the design calculator)
  double cathode_thickness = 0.0;         ///< [m]
  double active_volume_fraction = 0.0;    ///< [-] active-material cores per electrode volume
  double active_particle_radius = 0.0;    ///< [m]
  double usable_specific_capacity = 0.0;  ///< [C/kg] the calculator's capacity per active mass
  std::vector<ConductingPhase> phases;    ///< every solid component (Bruggeman fallback)
  // Active material (from its library record)
  std::string active_name = "active material";
  double active_density = 0.0;              ///< [kg/m^3]
  double max_concentration = 0.0;           ///< [mol/m^3]
  echem::Function1 open_circuit_potential;  ///< U(x) [V], domain = the table range
  double ocp_min_stoichiometry = 0.0;       ///< [-] lower end of the OCP's range
  double ocp_max_stoichiometry = 1.0;       ///< [-] upper end (lithiated)
  echem::Function2 diffusivity = 1e-14;     ///< D_s(x, T) [m^2/s] at the cell temperature
  double exchange_current_density = 1.0;    ///< [A/m^2] at half lithiation
  double initial_state_of_charge = 1.0;     ///< [-] 1 = charged (start of a discharge)
  // Coating shell around the active particles (film in series with the kinetics)
  double coating_thickness = 0.0;           ///< [m]
  double coating_ionic_conductivity = 0.0;  ///< [S/m] (0 with a coating: InputError)
  // Separator (a dense solid-electrolyte layer with some voids)
  double separator_thickness = 0.0;           ///< [m]
  double separator_porosity = 0.0;            ///< [-] void fraction of the separator
  double separator_ionic_conductivity = 0.0;  ///< [S/m] bulk
  // Lithium metal anode
  double lithium_exchange_current_density = 10.0;  ///< [A/m^2]
  // Voltage safety limits of the cell model
  double lower_voltage_limit = 2.0;  ///< [V]
  double upper_voltage_limit = 4.6;  ///< [V]
  /// Effective properties from a microstructure; empty = Bruggeman estimates.
  std::optional<EffectiveCathodeProperties> effective;
};

struct HomogenizedCell {
  echem::CellParameters parameters;
  std::map<std::string, double> scalars;     ///< "Name [unit]" -> value, for the design result
  std::map<std::string, std::string> texts;  ///< "Effective property source", notes
  /// Non-empty when the cathode cannot work at all (no utilizable active material, no ion- or
  /// electron-conducting phase, no active interface): capacity 0 is the answer, reported instead
  /// of running the cell model.
  std::string blocked_reason;
  /// Non-empty when the homogenized cell model cannot represent the cathode: a measured network
  /// reaches active material but does not span the thickness, so there is no through-thickness
  /// conductivity to give it. The cell results are then missing with this reason; no formula's
  /// guess is put in the network's place.
  std::string unsupported_reason;
};

/// Bruggeman estimate sum_i sigma_i phi_i^exponent over the phases [S/m].
[[nodiscard]] double bruggeman_conductivity(const std::vector<ConductingPhase>& phases, bool ionic,
                                            double exponent = 1.5);

/// Maps the inputs to cell-model parameters (pure; throws core::InputError for impossible inputs,
/// with the key path of the study file where it is known).
[[nodiscard]] HomogenizedCell homogenize(const HomogenizationInput& input);

/// Builds the homogenization input of a design: the calculator's numbers and the library records
/// of its materials at the design temperature. Throws InputError naming the missing property.
[[nodiscard]] HomogenizationInput homogenization_input(
    const Design& design, const CalculatorResult& calculation,
    const std::optional<EffectiveCathodeProperties>& effective);

/// A material property at `conditions`, or 0 when the record lacks it (does not conduct).
/// Stoichiometry-dependent properties are evaluated at x clamped into their model's range.
[[nodiscard]] double property_or_zero(
    const materials::Material& material,
    std::optional<materials::Property> materials::Material::*member, double temperature,
    double stoichiometry = 0.5);

}  // namespace cathodelab::study
