// The study input as a flat, ordered tree of leaf values keyed by path, independent of any file
// format. io reads a TOML file into an InputTree (keeping each value's file:line:column); study
// applies sweeps by overwriting leaves and validates the result against its schema. Keeping the
// tree format-free lets sweeps address any key ("cathode.components.NCM811.fraction") and lets
// later stages read their own sections (microstructure, protocol) without seeing TOML types.
#pragma once

#include "cathodelab/core/error.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cathodelab::study {

/// A key path, one segment per table level: {"cathode", "components", "NCM811", "fraction"}.
using KeyPath = std::vector<std::string>;

/// One leaf value as written in the input. Numbers keep their literal text so that a resolved
/// design file reproduces them exactly.
struct InputValue {
  enum class Kind { text, integer, real, boolean, text_list, number_list };
  Kind kind = Kind::text;
  std::string text;               ///< the string, or the literal of a number/boolean
  double number = 0.0;            ///< integer or real value
  bool boolean = false;           ///< boolean value
  std::vector<std::string> list;  ///< text_list entries, or number_list literals
  std::vector<double> numbers;    ///< number_list values
  core::SourceLocation where;     ///< where it was written (file empty if not from a file)

  /// Human-readable form for tables and messages: the text, the literal, or "[a, b]".
  [[nodiscard]] std::string display() const;
  /// Same value (location ignored).
  [[nodiscard]] bool same_value(const InputValue& other) const;
};

/// All leaves of an input, ordered by key path (lexicographic by segments).
using InputTree = std::map<KeyPath, InputValue>;

/// "a.b.c"; segments that are not bare TOML keys (e.g. "1.4Li2O-0.75ZrCl4") are double-quoted.
[[nodiscard]] std::string key_path_text(const KeyPath& path);

/// Parses a dotted key with TOML quoting rules ('a."b.c".d'); throws InputError for a malformed
/// key.
[[nodiscard]] KeyPath parse_key_path(std::string_view dotted,
                                     const core::SourceLocation& where = {});

/// True when `prefix` is a leading part of `path`.
[[nodiscard]] bool starts_with(const KeyPath& path, const KeyPath& prefix);

/// The leaves of `tree` below `prefix`, with the prefix removed from their paths.
[[nodiscard]] InputTree subtree(const InputTree& tree, const KeyPath& prefix);

}  // namespace cathodelab::study
