// study::homogenize: recipe and measured effective properties -> P2D cell parameters (Bruggeman
// estimates only without a microstructure; docs/theory/homogenization.md).
#include "cathodelab/study/homogenize.hpp"

#include "cathodelab/core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace cathodelab::study {
namespace {

using core::InputError;

void require_positive(double value, const std::string& what, const std::string& key) {
  if (!(value > 0.0) || !std::isfinite(value)) {
    throw InputError(fmt::format("{} must be positive and finite, got {}", what, value), key,
                     "check the recipe and the material data");
  }
}

// Mobile-ion concentration of a single-ion conductor as the cell model sees it. Only the product
// with the kinetic coefficient matters (the coefficient is derived from i0 below), so any positive
// value gives the same cell.
constexpr double electrolyte_concentration = 1000.0;  // [mol/m^3]

}  // namespace

double bruggeman_conductivity(const std::vector<ConductingPhase>& phases, bool ionic,
                              double exponent) {
  double sigma = 0.0;
  for (const auto& phase : phases) {
    const double s = ionic ? phase.ionic_conductivity : phase.electronic_conductivity;
    if (s > 0.0 && phase.volume_fraction > 0.0)
      sigma += s * std::pow(phase.volume_fraction, exponent);
  }
  return sigma;
}

double property_or_zero(const materials::Material& material,
                        std::optional<materials::Property> materials::Material::*member,
                        double temperature, double stoichiometry) {
  const auto& property = material.*member;
  if (!property) return 0.0;
  const auto& model = property->model;
  const double x = std::clamp(stoichiometry, model.x_min(), model.x_max());
  return model.value({.temperature = temperature, .stoichiometry = x, .state_of_charge = x},
                     material.name);
}

namespace {

/// Why a cathode that the cell model can represent delivers nothing, or "" when it can.
std::string blocked_reason(double utilizable, double sigma_ion, double sigma_el,
                           double active_area) {
  if (!(utilizable > 0.0)) return "no active material is reachable by both ions and electrons";
  if (!(sigma_ion > 0.0)) return "the cathode has no ion-conducting phase";
  if (!(sigma_el > 0.0)) return "the cathode has no electron-conducting phase";
  if (!(active_area > 0.0)) return "the active material has no active interface area";
  return {};
}

}  // namespace

HomogenizedCell homogenize(const HomogenizationInput& in) {
  require_positive(in.cathode_thickness, "cathode thickness", "cathode.thickness");
  require_positive(in.active_particle_radius, "active particle diameter", "cathode.components");
  require_positive(in.active_density, "active material density", "materials");
  require_positive(in.max_concentration, "maximum Li concentration of " + in.active_name,
                   "materials." + in.active_name + ".max_concentration");
  require_positive(in.usable_specific_capacity, "specific capacity of " + in.active_name,
                   "materials." + in.active_name + ".specific_capacity");
  require_positive(in.separator_thickness, "separator thickness", "separator.thickness");
  require_positive(in.separator_ionic_conductivity, "separator ionic conductivity",
                   "separator.material");
  if (!(in.active_volume_fraction > 0.0 && in.active_volume_fraction < 1.0)) {
    throw InputError(
        fmt::format("active volume fraction {} outside (0, 1)", in.active_volume_fraction),
        "cathode.components", "check the recipe");
  }
  if (!(in.initial_state_of_charge >= 0.0 && in.initial_state_of_charge <= 1.0)) {
    throw InputError(
        fmt::format("initial state of charge {} outside [0, 1]", in.initial_state_of_charge),
        "protocol.initial_state_of_charge", "give e.g. 1 (charged)");
  }

  HomogenizedCell out;
  auto& p = out.parameters;
  p.name = in.name;
  // Every property is evaluated at the cell temperature by the materials library (Arrhenius laws
  // there), so the cell model's own Arrhenius factors stay at 1: T_ref = T.
  p.temperature = in.temperature;
  p.reference_temperature = in.temperature;
  p.area = in.area;
  p.lower_voltage_limit = in.lower_voltage_limit;
  p.upper_voltage_limit = in.upper_voltage_limit;

  // Electrolyte: single-ion conductor whose bulk conductivity is the separator's; the cathode's
  // effective conductivity enters as a transport factor relative to it.
  const double kappa = in.separator_ionic_conductivity;
  p.electrolyte.model = echem::ElectrolyteModel::single_ion;
  p.electrolyte.initial_concentration = electrolyte_concentration;
  p.electrolyte.conductivity = kappa;

  // Separator: a dense layer with voids; P2D "porosity" is the conducting (electrolyte) fraction.
  const double separator_fraction = std::clamp(1.0 - in.separator_porosity, 1e-3, 1.0);
  p.separator.thickness = in.separator_thickness;
  p.separator.porosity = separator_fraction;
  p.separator.ionic_transport_factor = echem::bruggeman_factor(separator_fraction);

  // Lithium metal anode.
  p.negative_model = echem::NegativeElectrodeModel::lithium_metal;
  p.lithium.exchange_current_density = in.lithium_exchange_current_density;

  // Effective cathode properties: from the microstructure, or Bruggeman estimates.
  const double eps = in.active_volume_fraction;
  double sigma_ion = 0.0;
  double sigma_el = 0.0;
  double active_area = 0.0;
  double utilizable = 1.0;
  // Where each cell-model property comes from, said per property in the outputs.
  std::string ionic_source = "microstructure";
  std::string electronic_source = "microstructure";
  std::string area_source = "microstructure";
  std::string utilizable_source = "microstructure";
  if (in.effective) {
    sigma_ion = in.effective->ionic_conductivity;
    sigma_el = in.effective->electronic_conductivity;
    active_area = in.effective->active_area;
    utilizable = in.effective->utilizable_fraction;
    ionic_source = electronic_source = area_source = utilizable_source = in.effective->source;
    // A network that reaches active material from its own entry face but does not span the
    // whole thickness has no through-plane conductivity, yet it still serves the particles it
    // touches. The homogenized model has no way to represent that (its conductivity is uniform
    // through the thickness), and a formula's estimate in its place is not what the structure
    // says (at 96 wt% active material Bruggeman gave more than the measured 93 wt% network): the
    // cell is reported as not representable instead.
    std::string not_spanning;
    if (!(sigma_ion > 0.0) && utilizable > 0.0) not_spanning = "ionic";
    if (!(sigma_el > 0.0) && utilizable > 0.0) {
      not_spanning += (not_spanning.empty() ? "" : " and ") + std::string("electronic");
    }
    if (!not_spanning.empty()) {
      out.unsupported_reason = fmt::format(
          "the {} network reaches {:.1f} % of the active material but does not span the cathode "
          "thickness; the homogenized cell model needs a through-thickness path and none is "
          "estimated in its place",
          not_spanning, 100.0 * utilizable);
    }
    out.texts["Effective property source"] = in.effective->source;
  } else {
    sigma_ion = bruggeman_conductivity(in.phases, true);
    sigma_el = bruggeman_conductivity(in.phases, false);
    active_area = 3.0 * eps / in.active_particle_radius;
    utilizable = 1.0;
    out.texts["Effective property source"] = "Bruggeman estimate";
    ionic_source = electronic_source = "Bruggeman estimate (no microstructure)";
    area_source = "estimate 3 eps/r: full surface of the spheres (no microstructure)";
    utilizable_source = "estimate 1: every particle reachable (no microstructure)";
  }
  out.texts["Source of effective ionic conductivity"] = ionic_source;
  out.texts["Source of effective electronic conductivity"] = electronic_source;
  out.texts["Source of active area per volume"] = area_source;
  out.texts["Source of utilizable fraction"] = utilizable_source;
  // An unsupported cathode has no cell answer at all, so it is never also "blocked".
  if (out.unsupported_reason.empty()) {
    out.blocked_reason = blocked_reason(utilizable, sigma_ion, sigma_el, active_area);
  }

  double ion_fraction = 0.0;
  for (const auto& phase : in.phases) {
    if (phase.ionic_conductivity > 0.0) ion_fraction += phase.volume_fraction;
  }
  auto& e = p.positive;
  e.thickness = in.cathode_thickness;
  e.porosity = std::clamp(ion_fraction, 1e-3, 1.0 - eps);
  e.particles = {echem::ParticleClass{.radius = in.active_particle_radius, .volume_fraction = eps}};
  // A blocked network would make the cell model singular; the caller reports the blocked reason
  // instead of running it, so tiny positive placeholders keep the parameters valid.
  e.ionic_transport_factor = std::max(sigma_ion / kappa, 1e-12);
  e.electronic_conductivity = std::max(sigma_el, 1e-12);
  e.utilizable_fraction = std::clamp(utilizable, 1e-9, 1.0);
  e.active_area = std::max(active_area, 1e-3);
  if (in.coating_thickness > 0.0) {
    require_positive(in.coating_ionic_conductivity, "coating ionic conductivity",
                     "cathode.components");
    e.film_resistance = in.coating_thickness / in.coating_ionic_conductivity;
  }

  // Active material and the stoichiometry window: the discharge from the charged state runs from
  // x0 = x_max - dx to the lithiated end x_max of the OCP range, with dx chosen so that the
  // capacity equals the calculator's usable specific capacity q: dx = q rho / (c_max F).
  auto& m = e.material;
  m.name = in.active_name;
  m.max_concentration = in.max_concentration;
  m.density = in.active_density;
  m.open_circuit_potential = in.open_circuit_potential;
  m.diffusivity = in.diffusivity;
  m.min_stoichiometry = in.ocp_min_stoichiometry;
  m.max_stoichiometry = in.ocp_max_stoichiometry;
  const double window = in.ocp_max_stoichiometry - in.ocp_min_stoichiometry;
  double dx = in.usable_specific_capacity * in.active_density /
              (in.max_concentration * echem::faraday_constant);
  if (dx > window) {
    out.texts["Cell-model note"] = fmt::format(
        "usable capacity limited by the OCP range of {}: {:.1f} instead of {:.1f} mA.h.g-1",
        in.active_name, window / dx * in.usable_specific_capacity / 3.6,
        in.usable_specific_capacity / 3.6);
    dx = window;
  }
  const double x_charged = in.ocp_max_stoichiometry - dx;
  // The model may delithiate down to the charged state (a charge step ends there, so a cycle
  // returns to where the discharge began) with a margin of 0.5 % of dx: a state exactly on the
  // window edge would stop the first step at once.
  const double margin = 0.005 * dx;
  m.min_stoichiometry = std::max(in.ocp_min_stoichiometry, x_charged - margin);
  e.initial_stoichiometry =
      std::clamp(in.ocp_max_stoichiometry - in.initial_state_of_charge * dx,
                 m.min_stoichiometry + margin, in.ocp_max_stoichiometry - margin);
  // Butler-Volmer: i0 = m c_e^1/2 (c_s (c_max - c_s))^1/2, so i0 at half lithiation fixes m.
  m.exchange_current_coefficient =
      in.exchange_current_density /
      (std::sqrt(electrolyte_concentration) * 0.5 * in.max_concentration);

  // 1C: the usable capacity of the utilizable active material.
  const double active_mass = in.area * in.cathode_thickness * eps * in.active_density;
  p.nominal_capacity = active_mass * dx * in.max_concentration * echem::faraday_constant /
                       in.active_density * e.utilizable_fraction / 3600.0;
  const double upper_ocp = m.open_circuit_potential(x_charged);
  if (std::isfinite(upper_ocp) && upper_ocp + 0.05 > p.upper_voltage_limit) {
    p.upper_voltage_limit = upper_ocp + 0.05;
  }

  auto& s = out.scalars;
  s["Cell-model effective ionic conductivity [S.m-1]"] = sigma_ion;
  s["Cell-model effective electronic conductivity [S.m-1]"] = sigma_el;
  s["Cell-model active area per volume [m-1]"] = active_area;
  s["Cell-model utilizable fraction [-]"] = utilizable;
  s["Cell-model film resistance [Ohm.m2]"] = e.film_resistance;
  s["Cell-model nominal capacity [A.h]"] = p.nominal_capacity;
  s["Cell-model initial stoichiometry [-]"] = e.initial_stoichiometry;
  return out;
}

HomogenizationInput homogenization_input(
    const Design& design, const CalculatorResult& calculation,
    const std::optional<EffectiveCathodeProperties>& effective) {
  const CellDesign& cell = design.cell;
  const MaterialTable& table = *design.materials;
  const double temperature = cell.conditions.temperature;
  auto record_of = [&](const std::string& name,
                       const std::string& key) -> const materials::Material& {
    const auto& data = table.at(name);
    if (!data.record) {
      throw InputError("material '" + name + "' has no library record", key,
                       "the cell model needs its properties from the material library "
                       "(data/materials); define it there rather than inline");
    }
    return *data.record;
  };

  HomogenizationInput in;
  in.name = design.study_name.empty() ? design.id : design.study_name + " " + design.id;
  in.temperature = temperature;
  in.area = cell.cathode.area;
  in.cathode_thickness = calculation.cathode_thickness;
  const double solids = 1.0 - cell.cathode.porosity;

  const ComponentSpec* active = nullptr;
  for (std::size_t i = 0; i < cell.cathode.components.size(); ++i) {
    const auto& c = cell.cathode.components[i];
    const MaterialData& data = table.at(c.material);
    ConductingPhase phase;
    phase.name = c.key;
    phase.volume_fraction = solids * calculation.solid_volume_fractions.at(i);
    if (data.record) {
      phase.ionic_conductivity =
          property_or_zero(*data.record, &materials::Material::ionic_conductivity, temperature);
      phase.electronic_conductivity = property_or_zero(
          *data.record, &materials::Material::electronic_conductivity, temperature);
    }
    in.phases.push_back(phase);
    if (data.role == MaterialRole::active && active == nullptr) {
      active = &c;
      in.active_volume_fraction = phase.volume_fraction;
    }
  }
  if (active == nullptr) {
    throw InputError("the cathode has no active material", "cathode.components",
                     "add a component whose material is a cathode active material");
  }
  const std::string component_key = "cathode.components." + active->key;
  if (!active->diameter) {
    throw InputError("the cell model needs the active particle size", component_key + ".diameter",
                     "add diameter = \"5 um\"");
  }
  in.active_particle_radius = 0.5 * *active->diameter;
  const MaterialData& active_data = table.at(active->material);
  const materials::Material& record = record_of(active->material, component_key);
  const std::string material_key = "materials." + active->material;
  in.active_name = active->material;
  in.active_density = active_data.density;
  in.usable_specific_capacity = active_data.specific_capacity.value_or(0.0);
  in.max_concentration = record.value(&materials::Material::max_concentration);
  if (!record.open_circuit_potential) {
    throw InputError("active material '" + active->material + "' has no open-circuit potential",
                     material_key + ".open_circuit_potential",
                     "add an OCP table to its library file");
  }
  const materials::PropertyModel ocp = record.open_circuit_potential->model;
  in.ocp_min_stoichiometry = std::max(0.0, ocp.x_min());
  in.ocp_max_stoichiometry = std::min(1.0, ocp.x_max());
  if (ocp.kind() == materials::ModelKind::constant ||
      ocp.kind() == materials::ModelKind::arrhenius) {
    throw InputError("the open-circuit potential of '" + active->material +
                         "' is a constant; the cell model needs U(x)",
                     material_key + ".open_circuit_potential", "give a table in stoichiometry");
  }
  echem::Function1 u(
      [ocp, name = active->material](double x) {
        return ocp.value({.stoichiometry = x, .state_of_charge = x}, name + " OCP");
      },
      active->material + " OCP (library)");
  u.set_domain(in.ocp_min_stoichiometry, in.ocp_max_stoichiometry);
  in.open_circuit_potential = u;
  if (record.diffusivity) {
    const materials::PropertyModel d = record.diffusivity->model;
    in.diffusivity = echem::Function2(
        [d, name = active->material](double x, double t) {
          const double xc = std::clamp(x, d.x_min(), d.x_max());
          return d.value({.temperature = t, .stoichiometry = xc, .state_of_charge = xc},
                         name + " diffusivity");
        },
        active->material + " diffusivity (library)");
  }
  if (active->coating) {
    const std::string coating_key = component_key + ".coating.material";
    const materials::Material& coating = record_of(active->coating->material, coating_key);
    in.coating_thickness = active->coating->thickness;
    in.coating_ionic_conductivity =
        property_or_zero(coating, &materials::Material::ionic_conductivity, temperature);
    if (!(in.coating_ionic_conductivity > 0.0)) {
      throw InputError("coating '" + coating.name + "' has no ionic conductivity", coating_key,
                       "add ionic_conductivity to its library file");
    }
  }

  const materials::Material& separator = record_of(cell.separator.material, "separator.material");
  in.separator_thickness = cell.separator.thickness;
  in.separator_porosity = cell.separator.porosity;
  in.separator_ionic_conductivity =
      property_or_zero(separator, &materials::Material::ionic_conductivity, temperature);
  if (!(in.separator_ionic_conductivity > 0.0)) {
    throw InputError("separator material '" + separator.name + "' conducts no ions",
                     "separator.material", "choose a solid electrolyte");
  }

  const CellModelOptions& options = design.cell.protocol.cell_model;
  in.exchange_current_density = options.exchange_current_density;
  in.lithium_exchange_current_density = options.lithium_exchange_current_density;
  in.initial_state_of_charge = options.initial_state_of_charge;
  in.lower_voltage_limit = options.lower_voltage_limit;
  in.upper_voltage_limit = options.upper_voltage_limit;
  in.effective = effective;
  return in;
}

}  // namespace cathodelab::study
