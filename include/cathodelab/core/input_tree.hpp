// Every input of cathodelab (study files, cell parameter files in TOML or BPX JSON, material
// records, microstructure recipes) as one format-free tree of leaf values keyed by path. io turns a
// file into an InputTree once, keeping each value's file:line:column; everything above reads it
// through core::InputReader (input_reader.hpp), which converts units and words errors one way.
// Study sweeps overwrite leaves by path ("cathode.components.NCM811.fraction"). The design follows
// the idea of a typed map of input values with positions, as Cantera's AnyMap does for YAML.
#pragma once

#include "cathodelab/core/error.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cathodelab::core {

/// A key path, one segment per table level: {"cathode", "components", "NCM811", "fraction"}. An
/// element of an array of tables is the segment "[i]" (index_segment): {"positive", "particles",
/// "[0]", "radius"}; written out as positive.particles[0].radius.
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
  SourceLocation where;           ///< where it was written (file empty if not from a file)

  /// Human-readable form for tables and messages: the text, the literal, or "[a, b]".
  [[nodiscard]] std::string display() const;
  /// Same value (location ignored).
  [[nodiscard]] bool same_value(const InputValue& other) const;
};

/// All leaves of an input, ordered by key path (lexicographic by segments). A table exists when a
/// leaf lies below it; an empty table carries no information and is not kept.
using InputTree = std::map<KeyPath, InputValue>;

/// The segment of element `index` of an array of tables: "[3]".
[[nodiscard]] std::string index_segment(std::size_t index);
/// The index of an array-element segment ("[3]" -> 3), or nullopt for an ordinary key.
[[nodiscard]] std::optional<std::size_t> segment_index(std::string_view segment);

/// "a.b.c"; segments that are not bare TOML keys (e.g. "1.4Li2O-0.75ZrCl4") are double-quoted;
/// array elements are written "a[0].b".
[[nodiscard]] std::string key_path_text(const KeyPath& path);

/// Parses a dotted key with TOML quoting rules ('a."b.c".d'); throws InputError for a malformed
/// key.
[[nodiscard]] KeyPath parse_key_path(std::string_view dotted, const SourceLocation& where = {});

/// `prefix` followed by `tail`.
[[nodiscard]] KeyPath joined(const KeyPath& prefix, const KeyPath& tail);

/// True when `prefix` is a leading part of `path`.
[[nodiscard]] bool starts_with(const KeyPath& path, const KeyPath& prefix);

/// The leaves of `tree` below `prefix`, with the prefix removed from their paths.
[[nodiscard]] InputTree subtree(const InputTree& tree, const KeyPath& prefix);

}  // namespace cathodelab::core
