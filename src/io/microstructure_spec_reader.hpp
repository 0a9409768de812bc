// Reader of a [microstructure] recipe section (TOML) into microstructure::GenerationSpec. Private
// to io: toml++ types never leave src/io. Keys and units: docs/input_reference.md.
#pragma once

#include "cathodelab/microstructure/generation_spec.hpp"

#include <toml++/toml.h>

#include <string>

namespace cathodelab::io::detail {

/// Reads `section` (the contents of [microstructure]) into a validated GenerationSpec. `file` and
/// node positions go into InputErrors; `key_prefix` is the section's key path ("microstructure").
/// Unknown keys are refused with a did-you-mean.
[[nodiscard]] microstructure::GenerationSpec read_generation_spec(
    const toml::table& section, const std::string& file,
    const std::string& key_prefix = "microstructure");

}  // namespace cathodelab::io::detail
