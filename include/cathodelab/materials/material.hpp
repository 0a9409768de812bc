// A material record: identity (name, class, formula) and its sourced property models in SI.
//
// Every property value carries where it comes from (a DOI or reference) and whether it is an
// estimate (with a note saying why), because a simulator is only as good as its inputs and a
// researcher must be able to check each number (ARCHITECTURE.md section 4). The descriptor table
// (property_descriptors()) lists each property's key, dimension, display unit and physical range:
// readers, writers and validation iterate it instead of repeating the list.
#pragma once

#include "cathodelab/core/units.hpp"
#include "cathodelab/materials/property_model.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cathodelab::materials {

enum class MaterialClass {
  cathode_active,
  dual_conducting_cathode,  ///< cathode with its own ionic and electronic conduction (ICDC)
  solid_electrolyte,
  polymer_electrolyte,
  additive,         ///< electronic additive (carbon)
  mixed_conductor,  ///< mixed ionic-electronic additive (e.g. LWOC)
  coating,
  anode,
  current_collector,
};

/// All classes in declaration order.
[[nodiscard]] std::span<const MaterialClass> all_material_classes();
[[nodiscard]] std::string_view to_string(MaterialClass material_class);
/// Parses a class name; InputError with did-you-mean (key `key_path`) when unknown.
[[nodiscard]] MaterialClass material_class_from_string(std::string_view text,
                                                       const std::string& key_path = {});

/// One property: its model in SI units and its provenance.
struct Property {
  PropertyModel model;
  std::string source;     ///< DOI ("doi:10.xxxx/...") or bibliographic reference; never empty
  bool estimate = false;  ///< true when not a measured value of this very material
  std::string note;       ///< why it is an estimate, conditions of the measurement, ...
};

/// What a published price refers to.
enum class CostBasis { per_mass, per_volume, per_area };
[[nodiscard]] std::string_view to_string(CostBasis basis);

struct Cost {
  double value = 0.0;  ///< [$/kg], [$/m^3] or [$/m^2] according to basis
  CostBasis basis = CostBasis::per_mass;
  std::string source;
  bool estimate = false;
  std::string note;
};

struct Material {
  std::string name;  ///< unique key in the library, e.g. "NCM811"
  MaterialClass material_class = MaterialClass::cathode_active;
  std::string formula;  ///< e.g. "LiNi0.8Co0.1Mn0.1O2"
  std::string description;
  std::vector<std::string> aliases;  ///< other names that find() accepts, e.g. "NMC811"

  std::optional<Property> density;                      ///< [kg/m^3]
  std::optional<Property> molar_mass;                   ///< [kg/mol] per formula unit
  std::optional<Property> specific_capacity;            ///< theoretical [C/kg]
  std::optional<Property> practical_specific_capacity;  ///< reversible in the cited window [C/kg]
  std::optional<Property> max_concentration;            ///< of Li in the host [mol/m^3]
  std::optional<Property> average_voltage;              ///< [V] vs Li/Li+
  std::optional<Property> open_circuit_potential;       ///< [V] vs Li/Li+, strictly monotone in x
  std::optional<Property> diffusivity;                  ///< Li in the solid [m^2/s]
  std::optional<Property> ionic_conductivity;           ///< [S/m]
  std::optional<Property> electronic_conductivity;      ///< [S/m]
  std::optional<Property> youngs_modulus;               ///< [Pa]
  std::optional<Property> hardness;                     ///< [Pa]
  std::optional<Property> poisson_ratio;                ///< [-]
  std::optional<Property>
      volume_change;  ///< (V(x) - V(x=1)) / V(x=1) [-], negative on delithiation
  std::optional<Property> oxidation_limit;      ///< onset of oxidation [V] vs Li/Li+
  std::optional<Property> reduction_limit;      ///< onset of reduction [V] vs Li/Li+
  std::optional<Property> transference_number;  ///< Li+ transference number [-]
  std::optional<Cost> cost;

  /// The value of a property member (e.g. &Material::density) at `conditions`; InputError naming
  /// the material and the property when the material does not have it.
  [[nodiscard]] double value(std::optional<Property> Material::*member,
                             const Conditions& conditions = {}) const;
  /// The same by key ("density"); InputError with did-you-mean for an unknown key.
  [[nodiscard]] double value(std::string_view property_key,
                             const Conditions& conditions = {}) const;
};

/// Static facts about one property: key, unit, physical range. Ranges are wide sanity bounds in SI
/// (e.g. density 500..25000 kg/m^3), not expectations.
struct PropertyDescriptor {
  std::string_view key;  ///< TOML key and JSON name, e.g. "ionic_conductivity"
  std::optional<Property> Material::*member;
  core::Dimension dimension;
  std::string_view display_unit;  ///< unit for tables and docs, e.g. "mS/cm"
  double display_scale;           ///< SI value of one display unit (1 mS/cm = 0.1 S/m)
  double min;                     ///< [SI] smallest physically sensible value
  double max;                     ///< [SI] largest physically sensible value
  std::string_view meaning;
};

[[nodiscard]] std::span<const PropertyDescriptor> property_descriptors();
/// Descriptor by key; InputError with did-you-mean when unknown.
[[nodiscard]] const PropertyDescriptor& find_property_descriptor(std::string_view key,
                                                                 const std::string& key_path = {});

/// Checks a record: name, source of every value, values in physical ranges at the tabulated nodes
/// (or at 25 degC for constants), OCP strictly monotone. Throws InputError naming the property.
void validate(const Material& material);

/// Cost per mass [$/kg]; converts a per-volume price with the density. nullopt when there is no
/// cost, or it is per area, or a per-volume price without density.
[[nodiscard]] std::optional<double> cost_per_mass(const Material& material);

}  // namespace cathodelab::materials
