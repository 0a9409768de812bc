// Private helpers for reading TOML with toml++ inside io: the source position of a node as a
// core::SourceLocation, and a toml++ parse error as a one-line InputError naming file:line:column,
// the key on that line (when one is recognisable) and the fix. Other io readers may include this.
#pragma once

#include "cathodelab/core/error.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace cathodelab::io::detail {

inline core::SourceLocation location(const std::string& file, const toml::source_region& region) {
  return {file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

inline core::SourceLocation location(const std::string& file, const toml::node& node) {
  return location(file, node.source());
}

/// The key written on line `line` of `file` ("name" in `name = ...`), or "" when there is none.
inline std::string key_on_line(const std::filesystem::path& file, int line) {
  std::ifstream in(file);
  std::string text;
  for (int i = 0; i < line && std::getline(in, text); ++i) {
  }
  const auto equals = text.find('=');
  if (equals == std::string::npos) {
    const auto open = text.find('[');
    const auto close = text.find(']', open == std::string::npos ? 0 : open);
    if (open != std::string::npos && close != std::string::npos) {
      std::string section = text.substr(open, close - open + 1);
      while (!section.empty() && section.front() == '[') section.erase(0, 1);
      return section.substr(0, section.find(']'));
    }
    return {};
  }
  std::string key = text.substr(0, equals);
  const auto first = key.find_first_not_of(" \t");
  const auto last = key.find_last_not_of(" \t");
  return first == std::string::npos ? std::string{} : key.substr(first, last - first + 1);
}

/// Parses a TOML file; a syntax error becomes an InputError at its position.
inline toml::table parse_toml_file(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) {
    throw core::InputError("file not found: " + file.string(), {},
                           "check the path (relative paths are taken from the current directory)");
  }
  try {
    return toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    const auto where = location(file.string(), error.source());
    std::string problem = "TOML syntax error: " + std::string(error.description());
    return [&]() -> toml::table {
      throw core::InputError(std::move(problem), key_on_line(file, where.line),
                             "fix the syntax at this position (strings in double quotes, "
                             "key = value, [section] headers)",
                             where);
    }();
  }
}

}  // namespace cathodelab::io::detail
