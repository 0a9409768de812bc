// Material records: classes, properties with their sources, and the checks a record must pass
// (positive densities, a strictly monotone OCP) (materials/material.hpp).
#include "cathodelab/materials/material.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/suggest.hpp"

#include <fmt/format.h>
#include <array>
#include <cmath>

namespace cathodelab::materials {
namespace {

constexpr std::array kClasses = {
    MaterialClass::cathode_active,    MaterialClass::dual_conducting_cathode,
    MaterialClass::solid_electrolyte, MaterialClass::polymer_electrolyte,
    MaterialClass::additive,          MaterialClass::mixed_conductor,
    MaterialClass::coating,           MaterialClass::anode,
    MaterialClass::current_collector,
};

constexpr double mAh_per_g = 3600.0;                 // C/kg
constexpr double highest_activation_energy = 3.0e5;  // J/mol (about 3.1 eV): sanity bound

// clang-format off
const PropertyDescriptor kDescriptors[] = {
    {"density", &Material::density, core::dim::density, "g/cm^3", 1e3, 500.0, 25000.0,
     "mass density of the dense solid"},
    {"molar_mass", &Material::molar_mass, core::dim::molar_mass, "g/mol", 1e-3, 1e-3, 2.0,
     "molar mass per formula unit"},
    {"specific_capacity", &Material::specific_capacity, core::dim::specific_capacity, "mAh/g",
     mAh_per_g, 0.0, 4000.0 * mAh_per_g, "theoretical specific capacity"},
    {"practical_specific_capacity", &Material::practical_specific_capacity,
     core::dim::specific_capacity, "mAh/g", mAh_per_g, 0.0, 4000.0 * mAh_per_g,
     "reversible specific capacity in the cited voltage window"},
    {"max_concentration", &Material::max_concentration, core::dim::concentration, "mol/m^3", 1.0,
     100.0, 2e5, "maximum Li concentration in the host (x = 1)"},
    {"average_voltage", &Material::average_voltage, core::dim::voltage, "V", 1.0, 0.0, 6.0,
     "average discharge voltage vs Li/Li+"},
    {"open_circuit_potential", &Material::open_circuit_potential, core::dim::voltage, "V", 1.0,
     -0.5, 6.5, "open-circuit potential vs Li/Li+ as a function of stoichiometry"},
    {"diffusivity", &Material::diffusivity, core::dim::diffusivity, "cm^2/s", 1e-4, 1e-26, 1e-5,
     "chemical diffusivity of Li in the solid"},
    {"ionic_conductivity", &Material::ionic_conductivity, core::dim::conductivity, "mS/cm", 0.1,
     0.0, 1e3, "Li-ion conductivity"},
    {"electronic_conductivity", &Material::electronic_conductivity, core::dim::conductivity, "S/cm",
     100.0, 0.0, 1e9, "electronic conductivity"},
    {"youngs_modulus", &Material::youngs_modulus, core::dim::pressure, "GPa", 1e9, 1e5, 1.2e12,
     "Young's modulus"},
    {"hardness", &Material::hardness, core::dim::pressure, "GPa", 1e9, 1e4, 1e11,
     "indentation hardness"},
    {"poisson_ratio", &Material::poisson_ratio, core::dim::dimensionless, "1", 1.0, -1.0, 0.5,
     "Poisson ratio"},
    {"volume_change", &Material::volume_change, core::dim::dimensionless, "%", 0.01, -0.5, 0.5,
     "relative volume change from the lithiated state, (V(x) - V(1)) / V(1)"},
    {"oxidation_limit", &Material::oxidation_limit, core::dim::voltage, "V", 1.0, 0.0, 7.0,
     "onset potential of oxidation vs Li/Li+"},
    {"reduction_limit", &Material::reduction_limit, core::dim::voltage, "V", 1.0, -0.5, 7.0,
     "onset potential of reduction vs Li/Li+"},
    {"transference_number", &Material::transference_number, core::dim::dimensionless, "1", 1.0,
     0.0, 1.0, "Li+ transference number"},
};
// clang-format on

std::vector<std::string> descriptor_keys() {
  std::vector<std::string> keys;
  for (const auto& descriptor : kDescriptors) keys.emplace_back(descriptor.key);
  return keys;
}

void check_range(const Material& material, const PropertyDescriptor& descriptor, double value,
                 const std::string& where) {
  if (!std::isfinite(value) || value < descriptor.min || value > descriptor.max) {
    throw core::InputError(
        fmt::format("{} {} = {:g} {}{} is outside the physical range [{:g}, {:g}] {}",
                    material.name, descriptor.key, value / descriptor.display_scale,
                    descriptor.display_unit, where, descriptor.min / descriptor.display_scale,
                    descriptor.max / descriptor.display_scale, descriptor.display_unit),
        std::string(descriptor.key), "check the unit and the number against the source");
  }
}

void check_provenance(const Material& material, std::string_view key, const std::string& source,
                      bool estimate, const std::string& note) {
  if (source.find_first_not_of(" \t") == std::string::npos) {
    throw core::InputError(fmt::format("{} {} has no source", material.name, key),
                           std::string(key) + ".source",
                           "give the DOI (\"doi:10....\") or the reference the value comes from");
  }
  if (estimate && note.find_first_not_of(" \t") == std::string::npos) {
    throw core::InputError(fmt::format("{} {} is an estimate without a note", material.name, key),
                           std::string(key) + ".note", "say why it is an estimate and from what");
  }
}

void validate_property(const Material& material, const PropertyDescriptor& descriptor,
                       const Property& property) {
  check_provenance(material, descriptor.key, property.source, property.estimate, property.note);
  const PropertyModel& model = property.model;
  const double ea = model.activation_energy();
  if (!(ea >= 0.0 && ea <= highest_activation_energy)) {
    throw core::InputError(
        fmt::format("{} {} activation energy {:g} kJ/mol is outside [0, {:g}] kJ/mol",
                    material.name, descriptor.key, ea / 1e3, highest_activation_energy / 1e3),
        std::string(descriptor.key) + ".activation_energy", "give it in eV or kJ/mol");
  }
  switch (model.kind()) {
    case ModelKind::constant:
    case ModelKind::arrhenius:
      check_range(material, descriptor, model.reference_value(), "");
      break;
    case ModelKind::table: {
      const Table& table = model.table_data();
      for (std::size_t k = 0; k < table.y.size(); ++k) {
        check_range(material, descriptor, table.y[k], fmt::format(" at x = {:g}", table.x[k]));
      }
      break;
    }
    case ModelKind::function:
      for (const double x : {model.x_min(), 0.5 * (model.x_min() + model.x_max()), model.x_max()}) {
        const Conditions at{
            .temperature = model.reference_temperature(), .stoichiometry = x, .state_of_charge = x};
        check_range(material, descriptor, model.value(at), fmt::format(" at x = {:g}", x));
      }
      break;
  }
  if (descriptor.member == &Material::open_circuit_potential &&
      model.kind() != ModelKind::constant && model.kind() != ModelKind::arrhenius &&
      !model.strictly_monotone()) {
    throw core::InputError(
        fmt::format("{} open-circuit potential is not strictly monotone in x", material.name),
        "open_circuit_potential",
        "an OCP must fall strictly as the host fills with Li; fix or remove the offending points "
        "(plateaus need a small slope)");
  }
}

}  // namespace

std::span<const MaterialClass> all_material_classes() {
  return kClasses;
}

std::string_view to_string(MaterialClass material_class) {
  switch (material_class) {
    case MaterialClass::cathode_active:
      return "cathode_active";
    case MaterialClass::dual_conducting_cathode:
      return "dual_conducting_cathode";
    case MaterialClass::solid_electrolyte:
      return "solid_electrolyte";
    case MaterialClass::polymer_electrolyte:
      return "polymer_electrolyte";
    case MaterialClass::additive:
      return "additive";
    case MaterialClass::mixed_conductor:
      return "mixed_conductor";
    case MaterialClass::coating:
      return "coating";
    case MaterialClass::anode:
      return "anode";
    case MaterialClass::current_collector:
      return "current_collector";
  }
  return "unknown";
}

MaterialClass material_class_from_string(std::string_view text, const std::string& key_path) {
  std::vector<std::string> names;
  for (const MaterialClass c : kClasses) {
    if (to_string(c) == text) return c;
    names.emplace_back(to_string(c));
  }
  core::throw_unknown("material class", text, names, key_path);
}

std::string_view to_string(CostBasis basis) {
  switch (basis) {
    case CostBasis::per_mass:
      return "per_mass";
    case CostBasis::per_volume:
      return "per_volume";
    case CostBasis::per_area:
      return "per_area";
  }
  return "unknown";
}

std::span<const PropertyDescriptor> property_descriptors() {
  return kDescriptors;
}

const PropertyDescriptor& find_property_descriptor(std::string_view key,
                                                   const std::string& key_path) {
  for (const auto& descriptor : kDescriptors) {
    if (descriptor.key == key) return descriptor;
  }
  core::throw_unknown("material property", key, descriptor_keys(), key_path);
}

double Material::value(std::optional<Property> Material::*member,
                       const Conditions& conditions) const {
  std::string_view key = "property";
  for (const auto& descriptor : kDescriptors) {
    if (descriptor.member == member) key = descriptor.key;
  }
  const std::optional<Property>& property = this->*member;
  if (!property) {
    throw core::InputError(fmt::format("material '{}' has no {}", name, key), {},
                           "add it to the material's data file with its source, or choose a "
                           "material that has it");
  }
  return property->model.value(conditions, name + " " + std::string(key));
}

double Material::value(std::string_view property_key, const Conditions& conditions) const {
  return value(find_property_descriptor(property_key).member, conditions);
}

void validate(const Material& material) {
  if (material.name.empty()) {
    throw core::InputError("material without a name", "name", "give it a name");
  }
  for (const auto& descriptor : kDescriptors) {
    if (const auto& property = material.*descriptor.member) {
      validate_property(material, descriptor, *property);
    }
  }
  if (material.cost) {
    const Cost& cost = *material.cost;
    check_provenance(material, "cost", cost.source, cost.estimate, cost.note);
    if (!(cost.value > 0.0) || !std::isfinite(cost.value)) {
      throw core::InputError(fmt::format("{} cost must be positive", material.name), "cost.value",
                             "give a price such as \"20 $/kg\"");
    }
  }
}

std::optional<double> cost_per_mass(const Material& material) {
  if (!material.cost) return std::nullopt;
  switch (material.cost->basis) {
    case CostBasis::per_mass:
      return material.cost->value;
    case CostBasis::per_volume:
      if (material.density) return material.cost->value / material.density->model.reference_value();
      return std::nullopt;
    case CostBasis::per_area:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace cathodelab::materials
