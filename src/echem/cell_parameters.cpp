// Helpers and validation of CellParameters (see cell_parameters.hpp).
#include "cathodelab/echem/cell_parameters.hpp"

#include "cathodelab/core/error.hpp"

#include <fmt/format.h>

#include <cmath>

namespace cathodelab::echem {

double bruggeman_factor(double fraction, double exponent) {
  return std::pow(fraction, exponent);
}

double arrhenius(double activation_energy, double temperature, double reference_temperature) {
  return std::exp(activation_energy / gas_constant *
                  (1.0 / reference_temperature - 1.0 / temperature));
}

double positive_active_mass(const CellParameters& p) {
  double fraction = 0.0;
  for (const auto& c : p.positive.particles) fraction += c.volume_fraction;
  return p.area * p.positive.thickness * fraction * p.positive.material.density;
}

double positive_capacity(const CellParameters& p) {
  const auto& e = p.positive;
  double fraction = 0.0;
  for (const auto& c : e.particles) fraction += c.volume_fraction;
  const double moles = p.area * e.thickness * fraction * e.utilizable_fraction *
                       e.material.max_concentration *
                       (e.material.max_stoichiometry - e.material.min_stoichiometry);
  return moles * faraday_constant / 3600.0;
}

double nominal_capacity(const CellParameters& p) {
  return p.nominal_capacity > 0.0 ? p.nominal_capacity : positive_capacity(p);
}

namespace {

void require_positive(double value, const std::string& key, const std::string& example) {
  if (!(value > 0.0) || !std::isfinite(value)) {
    throw core::InputError(fmt::format("must be positive and finite, got {}", value), key,
                           "give e.g. " + example);
  }
}
void require_fraction(double value, const std::string& key, bool allow_zero = false) {
  const bool ok = allow_zero ? (value >= 0.0 && value <= 1.0) : (value > 0.0 && value <= 1.0);
  if (!ok) {
    throw core::InputError(
        fmt::format("must lie in {}0, 1], got {}", allow_zero ? "[" : "(", value), key,
        "give a fraction such as 0.3");
  }
}

// A transport factor <= 0 asks for Bruggeman (cell_parameters.hpp); NaN or an infinity would be
// taken for that request without a word, so they are refused.
void require_finite_transport_factor(double value, const std::string& key) {
  if (!std::isfinite(value)) {
    throw core::InputError(fmt::format("must be finite, got {}", value), key,
                           "give a ratio in (0, 1], or <= 0 for Bruggeman");
  }
}

void validate_electrode(const PorousElectrode& e, const std::string& key) {
  require_positive(e.thickness, key + ".thickness", "\"60 um\"");
  require_fraction(e.porosity, key + ".porosity");
  require_finite_transport_factor(e.ionic_transport_factor, key + ".ionic_transport_factor");
  require_fraction(e.utilizable_fraction, key + ".utilizable_fraction");
  require_positive(e.electronic_conductivity, key + ".electronic_conductivity", "\"10 S/m\"");
  if (e.particles.empty()) {
    throw core::InputError("needs at least one particle class", key + ".particles",
                           "give radius and volume_fraction");
  }
  double solid = 0.0;
  for (std::size_t k = 0; k < e.particles.size(); ++k) {
    const std::string pk = fmt::format("{}.particles[{}]", key, k);
    require_positive(e.particles[k].radius, pk + ".radius", "\"5 um\"");
    require_fraction(e.particles[k].volume_fraction, pk + ".volume_fraction");
    solid += e.particles[k].volume_fraction;
  }
  if (solid + e.porosity > 1.0 + 1e-9) {
    throw core::InputError(
        fmt::format("active volume fraction {} plus porosity {} exceeds 1", solid, e.porosity), key,
        "lower the porosity or the active-material fraction");
  }
  const auto& m = e.material;
  require_positive(m.max_concentration, key + ".material.max_concentration", "\"51765 mol/m^3\"");
  require_positive(m.exchange_current_coefficient, key + ".material.exchange_current_coefficient",
                   "\"6e-7 A/m^2\"");
  if (!(m.min_stoichiometry >= 0.0 && m.max_stoichiometry <= 1.0 &&
        m.min_stoichiometry < m.max_stoichiometry)) {
    throw core::InputError(fmt::format("stoichiometry window [{}, {}] must lie inside [0, 1]",
                                       m.min_stoichiometry, m.max_stoichiometry),
                           key + ".material", "check the OCP table range");
  }
  if (!(e.initial_stoichiometry >= m.min_stoichiometry &&
        e.initial_stoichiometry <= m.max_stoichiometry)) {
    throw core::InputError(
        fmt::format("initial stoichiometry {} lies outside the OCP domain [{}, {}]",
                    e.initial_stoichiometry, m.min_stoichiometry, m.max_stoichiometry),
        key + ".initial_stoichiometry", "give a value inside the OCP table range");
  }
  // A table clamps outside its x range: a state there would run on a made-up constant OCP or D.
  auto require_inside_table = [&](double lower, double upper, const char* what) {
    if (!std::isfinite(lower) && !std::isfinite(upper)) return;
    if (e.initial_stoichiometry >= lower && e.initial_stoichiometry <= upper) return;
    throw core::InputError(
        fmt::format("initial stoichiometry {} lies outside the {} table's range [{}, {}]",
                    e.initial_stoichiometry, what, lower, upper),
        key + ".initial_stoichiometry",
        fmt::format("give an initial_stoichiometry inside [{}, {}] or extend the {} table to "
                    "cover {}",
                    lower, upper, what, e.initial_stoichiometry));
  };
  require_inside_table(m.open_circuit_potential.lower(), m.open_circuit_potential.upper(), "OCP");
  require_inside_table(m.diffusivity.lower(), m.diffusivity.upper(), "diffusivity");
  const double u = m.open_circuit_potential(e.initial_stoichiometry);
  const double d = m.diffusivity(e.initial_stoichiometry, 298.15);
  if (!std::isfinite(u) || !std::isfinite(d) || !(d > 0.0)) {
    throw core::InputError("OCP or diffusivity is not finite/positive at the initial stoichiometry",
                           key + ".material", "check the formulas");
  }
  if (e.film_resistance < 0.0 || e.double_layer_capacitance < 0.0) {
    throw core::InputError("film resistance and double-layer capacitance must not be negative", key,
                           "give 0 to switch them off");
  }
}

}  // namespace

void validate(const CellParameters& p) {
  require_positive(p.temperature, "temperature", "\"25 degC\"");
  require_positive(p.area, "area", "\"1 cm^2\"");
  if (p.contact_resistance < 0.0) {
    throw core::InputError("must not be negative", "contact_resistance", "give e.g. \"0 Ohm*m^2\"");
  }
  if (p.negative_model == NegativeElectrodeModel::porous)
    validate_electrode(p.negative, "negative");
  if (p.negative_model == NegativeElectrodeModel::lithium_metal) {
    require_positive(p.lithium.exchange_current_density, "negative.exchange_current_density",
                     "\"10 A/m^2\"");
  }
  require_positive(p.separator.thickness, "separator.thickness", "\"25 um\"");
  require_fraction(p.separator.porosity, "separator.porosity");
  require_finite_transport_factor(p.separator.ionic_transport_factor,
                                  "separator.ionic_transport_factor");
  validate_electrode(p.positive, "positive");
  require_positive(p.electrolyte.initial_concentration, "electrolyte.initial_concentration",
                   "\"1000 mol/m^3\"");
  const double kappa =
      p.electrolyte.conductivity(p.electrolyte.initial_concentration, p.temperature);
  if (!(kappa > 0.0) || !std::isfinite(kappa)) {
    throw core::InputError(fmt::format("conductivity at the initial state is {}", kappa),
                           "electrolyte.conductivity", "give a positive conductivity");
  }
  if (p.electrolyte.model == ElectrolyteModel::binary) {
    const double d = p.electrolyte.diffusivity(p.electrolyte.initial_concentration, p.temperature);
    if (!(d > 0.0) || !std::isfinite(d)) {
      throw core::InputError(fmt::format("diffusivity at the initial state is {}", d),
                             "electrolyte.diffusivity", "give a positive diffusivity");
    }
  }
  if (!(p.lower_voltage_limit < p.upper_voltage_limit)) {
    throw core::InputError("lower voltage limit must be below the upper one", "lower_voltage_limit",
                           "e.g. 2.5 V and 4.3 V");
  }
}

}  // namespace cathodelab::echem
