// Reads cell-model parameters (echem::CellParameters) from our TOML format (keys and units:
// docs/input_reference.md) or from a Battery Parameter eXchange (BPX) JSON file, the schema
// read by PyBaMM (About:Energy, BPX 0.4: "Header" and "Parameterisation" with "Cell",
// "Electrolyte", "Negative electrode", "Positive electrode", "Separator"). Functions are
// expression strings (echem::Expression) or tables; dimensional TOML values are strings with units.
#pragma once

#include "cathodelab/echem/cell_parameters.hpp"

#include <filesystem>
#include <string>

namespace cathodelab::io {

/// By extension: .toml -> read_cell_parameters_toml, .json -> read_cell_parameters_bpx. Throws
/// core::InputError with file:line:column (TOML) and the key path.
[[nodiscard]] echem::CellParameters read_cell_parameters(const std::filesystem::path& file);

[[nodiscard]] echem::CellParameters read_cell_parameters_toml(const std::filesystem::path& file);
[[nodiscard]] echem::CellParameters read_cell_parameters_bpx(const std::filesystem::path& file);

/// The same from text (for tests); `name` stands in for the file name in messages.
[[nodiscard]] echem::CellParameters parse_cell_parameters_toml(const std::string& text,
                                                               const std::string& name = "input");
[[nodiscard]] echem::CellParameters parse_cell_parameters_bpx(const std::string& text,
                                                              const std::string& name = "input");

}  // namespace cathodelab::io
