// Reading a study file (TOML) into a validated study::StudySpec, and writing one design back as a
// fully resolved study file that re-runs that design alone.
//
// Schema: docs/input_reference.md. Every dimensional value is a string with units parsed by
// core::parse_quantity_as; a bare number is refused with an example. Errors are one line:
// FILE:LINE:COL: key 'a.b': problem; fix (misspelt keys and unknown materials get a did-you-mean).
#pragma once

#include "cathodelab/materials/material_library.hpp"
#include "cathodelab/study/design.hpp"
#include "cathodelab/study/study_spec.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace cathodelab::io {

struct LoadStudyOptions {
  /// The material library folder; default io::default_materials_dir().
  std::optional<std::filesystem::path> materials_dir;
  /// A library already read from `materials_dir` (load_material_library), reused instead of
  /// reading the folder again (many studies in one process, e.g. a sweep driver or a fuzz run).
  std::shared_ptr<const materials::MaterialLibrary> library;
};

/// Reads, validates (every design of the sweep) and resolves materials. Throws core::InputError.
[[nodiscard]] study::StudySpec load_study(const std::filesystem::path& file,
                                          const LoadStudyOptions& options = {});

/// The same from the text of a study; `name` is its file name (for messages; relative material
/// folders are taken from its folder).
[[nodiscard]] study::StudySpec parse_study(const std::string& text, const std::string& name,
                                           const LoadStudyOptions& options = {});

/// The resolved design as a study file: the base input with this design's swept values, no
/// [[sweep]], the library path made absolute and a header comment naming the design.
[[nodiscard]] std::string design_toml(const study::Design& design);

}  // namespace cathodelab::io
