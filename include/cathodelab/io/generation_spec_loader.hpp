// Loading a standalone microstructure recipe file (a TOML file with a [microstructure] section)
// into microstructure::GenerationSpec; keys in docs/input_reference.md.
#pragma once

#include "cathodelab/microstructure/generation_spec.hpp"

#include <filesystem>

namespace cathodelab::io {

/// Parses and validates the [microstructure] section of `path`. InputError with file:line:column,
/// key path and fix for any problem.
[[nodiscard]] microstructure::GenerationSpec load_generation_spec(
    const std::filesystem::path& path);

/// Whether the file is a study (has a [cathode] table) rather than a bare recipe.
[[nodiscard]] bool is_study_file(const std::filesystem::path& path);

}  // namespace cathodelab::io
