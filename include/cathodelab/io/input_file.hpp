// Reading any input file (TOML or JSON) into the one format-free core::InputTree, with the
// file:line:column of every value. This is the only place where TOML and JSON documents become
// input values; every reader (study, cell parameters, BPX, materials, microstructure recipes) reads
// the tree through core::InputReader.
#pragma once

#include "cathodelab/core/input_tree.hpp"

#include <filesystem>
#include <string>

namespace cathodelab::io {

/// TOML text (named `name` in messages) -> tree. Syntax errors are one InputError at their position
/// naming the key on that line. Arrays of tables become "[i]" segments; a list must hold only
/// strings, only numbers or only tables.
[[nodiscard]] core::InputTree parse_toml_input(const std::string& text, const std::string& name);

/// JSON text -> tree, with the same conventions. Positions are those of each member's key in the
/// text; numbers out of the range of a double are refused at their position.
[[nodiscard]] core::InputTree parse_json_input(const std::string& text, const std::string& name);

/// The whole file as text; "file not found" / "cannot read" as InputError.
[[nodiscard]] std::string read_input_text(const std::filesystem::path& file);

/// By extension: .json -> parse_json_input, anything else -> parse_toml_input.
[[nodiscard]] core::InputTree read_input_file(const std::filesystem::path& file);

}  // namespace cathodelab::io
