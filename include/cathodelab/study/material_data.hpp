// The few material numbers the study stages need, in SI, copied out of the materials library by io
// (or given inline in the study file). A plain value type so that the design calculator and the
// resolved design do not depend on how the library stores its property models.
#pragma once

#include "cathodelab/materials/material.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace cathodelab::study {

/// What a material does in the stack; decides which numbers are required.
enum class MaterialRole {
  active,
  electrolyte,
  conductive_additive,
  binder,
  coating,
  anode,
  collector,
  other
};

[[nodiscard]] std::string_view role_name(MaterialRole role);

struct MaterialData {
  std::string name;
  MaterialRole role = MaterialRole::other;
  double density = 0.0;  ///< [kg.m-3]
  /// Usable capacity [C.kg-1]: the practical reversible value where the library has one, else the
  /// theoretical one (active materials, anode).
  std::optional<double> specific_capacity;
  std::optional<double> theoretical_capacity;  ///< one Li per formula unit [C.kg-1]
  std::optional<double> average_voltage;       ///< mean OCP vs Li/Li+ over the usable window [V]
  std::optional<double> cost_per_mass;  ///< material cost [$.kg-1]; absent = unknown, never 0
  std::string source;                   ///< where the numbers come from (file or "inline")
  /// The full library record (OCP table, diffusivity, conductivities) for the microstructure,
  /// analysis and cell stages; null for a material defined only inline in the study file.
  std::shared_ptr<const materials::Material> record;
};

/// Every material known to a study, by name.
using MaterialTable = std::map<std::string, MaterialData>;

}  // namespace cathodelab::study
