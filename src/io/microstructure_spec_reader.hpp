// Reader of a [microstructure] recipe section into microstructure::GenerationSpec, over a
// core::InputReader so that any input format that becomes an InputTree can hold a recipe. Private
// to io. Keys and units: docs/input_reference.md.
#pragma once

#include "cathodelab/core/input_reader.hpp"
#include "cathodelab/microstructure/generation_spec.hpp"

namespace cathodelab::io::detail {

/// Reads `section` (the [microstructure] section of an input tree) into a validated
/// GenerationSpec. Errors name the key under the section's path with its file:line:column; unknown
/// keys are refused with a did-you-mean.
[[nodiscard]] microstructure::GenerationSpec read_generation_spec(const core::InputReader& section);

}  // namespace cathodelab::io::detail
