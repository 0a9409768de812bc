// Plain SI parameters of a pseudo-two-dimensional (P2D, Doyle-Fuller-Newman) cell: a lithium-metal
// or porous negative electrode, a separator, a porous composite positive electrode, and an
// electrolyte closure (single-ion conductor or binary salt by concentrated-solution theory; Doyle,
// Fuller and Newman, J. Electrochem. Soc. 140 (1993) 1526). Equations: docs/theory/p2d.md.
//
// The cell model knows nothing of voxels or files: effective conductivities and the active area per
// volume come from the caller (microstructure analysis, measurement, or the Bruggeman fallback
// `bruggeman_factor`). Sign convention: a positive current discharges the cell.
#pragma once

#include "cathodelab/core/constants.hpp"
#include "cathodelab/echem/functions.hpp"

#include <string>
#include <vector>

namespace cathodelab::echem {

/// Which charge carriers move in the electrolyte phase.
enum class ElectrolyteModel {
  single_ion,  ///< transference number 1 (inorganic solid electrolytes): potential only
  binary,      ///< binary salt, concentrated-solution theory (polymers, liquids)
};

enum class NegativeElectrodeModel {
  lithium_metal,  ///< planar Li|separator interface with Butler-Volmer kinetics, no porous domain
  porous,         ///< porous insertion electrode (e.g. graphite), same equations as the positive
};

using core::faraday_constant;  // [C/mol], core/constants.hpp
using core::gas_constant;      // [J/(mol K)]

/// Bruggeman transport factor (effective / bulk) for a phase with volume fraction `fraction`:
/// fraction^exponent (exponent 1.5 for spheres). A fallback where no measured or computed value
/// exists.
[[nodiscard]] double bruggeman_factor(double fraction, double exponent = 1.5);

/// Arrhenius factor exp(E/R (1/T_ref - 1/T)).
[[nodiscard]] double arrhenius(double activation_energy, double temperature,
                               double reference_temperature = 298.15);

/// One size class of spherical active particles.
struct ParticleClass {
  double radius = 5e-6;          ///< [m]
  double volume_fraction = 0.5;  ///< [-] active-material volume per electrode volume
};

/// An insertion material: OCP, solid diffusion, Butler-Volmer kinetics.
struct ActiveMaterial {
  std::string name = "active material";
  double max_concentration = 50000.0;          ///< [mol/m^3]
  Function1 open_circuit_potential;            ///< U(stoichiometry) [V vs Li/Li+]
  Function2 diffusivity = 1e-14;               ///< D_s(stoichiometry, T) [m^2/s]
  double diffusivity_activation_energy = 0.0;  ///< [J/mol] applied on top of diffusivity
  /// Exchange current i0 = m c_e^alpha_a c_s^alpha_c (c_max - c_s)^alpha_a, m in
  /// [A/m^2 (m^3/mol)^(2 alpha_a + alpha_c)] (PyBaMM's m_ref; m = F k for a rate constant k). For a
  /// single-ion conductor c_e is the (uniform) mobile-ion concentration.
  double exchange_current_coefficient = 1e-6;
  double kinetics_activation_energy = 0.0;  ///< [J/mol]
  double alpha_anodic = 0.5;                ///< [-]
  double alpha_cathodic = 0.5;              ///< [-]
  double density = 4800.0;                  ///< [kg/m^3] for capacities per mass
  /// Stoichiometry window the model may use (OCP table range or physical 0..1) [-].
  double min_stoichiometry = 0.0;
  double max_stoichiometry = 1.0;
};

struct PorousElectrode {
  double thickness = 60e-6;  ///< [m]
  double porosity = 0.3;     ///< [-] electrolyte volume fraction
  std::vector<ParticleClass> particles = std::vector<ParticleClass>(1);
  ActiveMaterial material;
  /// Fraction of the active material connected to both networks (the rest does not cycle) [-].
  double utilizable_fraction = 1.0;
  /// Effective / bulk electrolyte conductivity and diffusivity [-]; <= 0 means Bruggeman
  /// porosity^1.5.
  double ionic_transport_factor = -1.0;
  double electronic_conductivity = 10.0;  ///< [S/m] effective, of the solid network
  /// Electrochemically active interface area per electrode volume [1/m]; <= 0 means the full
  /// particle surface 3 sum(eps_k / r_k) times the utilizable fraction.
  double active_area = -1.0;
  double film_resistance = 0.0;           ///< [Ohm m^2] coating/interphase, per active area
  double double_layer_capacitance = 0.0;  ///< [F/m^2] per active area
  double initial_stoichiometry = 0.5;     ///< [-] c_s / c_max at the start
};

struct Separator {
  double thickness = 25e-6;              ///< [m]
  double porosity = 1.0;                 ///< [-] electrolyte volume fraction
  double ionic_transport_factor = -1.0;  ///< [-] <= 0: Bruggeman porosity^1.5
};

struct LithiumMetalAnode {
  double exchange_current_density = 10.0;   ///< [A/m^2] at the initial electrolyte concentration
  double kinetics_activation_energy = 0.0;  ///< [J/mol]
  double alpha_anodic = 0.5;                ///< [-]
  double alpha_cathodic = 0.5;              ///< [-]
  double film_resistance = 0.0;             ///< [Ohm m^2] interphase (e.g. SEI, Li|SE contact)
  double double_layer_capacitance = 0.0;    ///< [F/m^2]
};

struct Electrolyte {
  ElectrolyteModel model = ElectrolyteModel::single_ion;
  double initial_concentration = 1000.0;  ///< [mol/m^3] (mobile Li+ for a single-ion conductor)
  Function2 conductivity = 0.1;           ///< kappa(c, T) [S/m], bulk
  Function2 diffusivity = 1e-10;          ///< D(c, T) [m^2/s], bulk (binary only)
  Function2 transference_number = 0.4;    ///< t+(c, T) [-] (binary only)
  Function2 thermodynamic_factor = 1.0;   ///< 1 + dln f/dln c [-] (binary only)
  double conductivity_activation_energy = 0.0;  ///< [J/mol] applied on top of conductivity
  double diffusivity_activation_energy = 0.0;   ///< [J/mol] applied on top of diffusivity
};

struct CellParameters {
  std::string name = "cell";
  double temperature = 298.15;            ///< [K] isothermal
  double reference_temperature = 298.15;  ///< [K] of the Arrhenius laws
  double area = 1e-4;                     ///< [m^2] electrode area
  double contact_resistance = 0.0;        ///< [Ohm m^2] collectors and contacts, in series
  NegativeElectrodeModel negative_model = NegativeElectrodeModel::lithium_metal;
  LithiumMetalAnode lithium;  ///< used when negative_model == lithium_metal
  PorousElectrode negative;   ///< used when negative_model == porous
  Separator separator;
  PorousElectrode positive;
  Electrolyte electrolyte;
  double lower_voltage_limit = 2.5;  ///< [V] safety cut-off of every step
  double upper_voltage_limit = 4.4;  ///< [V]
  /// [A h] defines 1C; <= 0 means the utilizable positive capacity between the stoichiometry
  /// window ends.
  double nominal_capacity = -1.0;
};

/// Positive-electrode active-material mass per cell [kg] (all of it, utilizable or not).
[[nodiscard]] double positive_active_mass(const CellParameters& p);

/// Utilizable positive capacity between min_ and max_stoichiometry [A h].
[[nodiscard]] double positive_capacity(const CellParameters& p);

/// The capacity that defines 1C [A h].
[[nodiscard]] double nominal_capacity(const CellParameters& p);

/// Throws core::InputError (with the key path, e.g. "positive.thickness") for a physically
/// impossible parameter set: non-positive thickness, fractions outside (0, 1], an initial
/// stoichiometry outside the OCP domain, a non-monotone OCP table.
void validate(const CellParameters& p);

}  // namespace cathodelab::echem
