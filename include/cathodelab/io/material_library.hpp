// Reading the material library from data/materials/<class>/<name>.toml and writing a material as
// JSON (`cathodelab materials show --json`).
//
// Every value in a data file is a string with units ("4.75 g/cm^3", "0.73 mS/cm") parsed by
// core::parse_quantity_as into SI, next to its source and an estimate flag (schema in
// docs/materials.md). Errors name the file, line:column and key, and suggest the nearest key for a
// misspelt one.
#pragma once

#include "cathodelab/materials/material_library.hpp"

#include <filesystem>
#include <string>

namespace cathodelab::io {

/// $CATHODELAB_DATA_DIR/materials when that variable is set, else the data/materials folder of the
/// source tree this binary was built from.
[[nodiscard]] std::filesystem::path default_materials_dir();

/// Reads and validates one material file.
[[nodiscard]] materials::Material load_material_file(const std::filesystem::path& file);

/// Reads every *.toml below `dir` (sorted, so the result does not depend on the file system).
/// InputError on the first bad file, or when `dir` does not exist or holds no material.
[[nodiscard]] materials::MaterialLibrary load_material_library(const std::filesystem::path& dir);

/// The record as JSON text: identity, and per property its kind, SI unit, reference value, table
/// or function, activation energy, source, estimate flag and note.
[[nodiscard]] std::string material_to_json(const materials::Material& material, int indent = 2);

}  // namespace cathodelab::io
