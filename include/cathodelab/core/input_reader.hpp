// The one reader of input values: a view of one section of an InputTree (input_tree.hpp) with
// typed accessors that convert units (core::parse_quantity_as) and word every error the same way:
// `FILE:LINE:COL: key 'section.key': PROBLEM; FIX`. Every input format (study TOML, cell TOML,
// BPX JSON, material records, microstructure recipes) is read through it, so a misspelt key, a
// missing unit or a non-finite number reads alike in all of them.
//
// Wording (one per situation): "missing value" / "missing section", "must be a string", "must be
// a number", "must be a value with its unit", "must be finite, got X", "must be an integer ...",
// "must be true or false", "must be a list of strings/numbers", "unknown key 'k'" with a
// did-you-mean, "'k' is a section, not a value", "'k' is a value, not a section".
#pragma once

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/input_tree.hpp"
#include "cathodelab/core/units.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cathodelab::core {

/// A section of an input tree (the whole input for an empty prefix). Cheap to copy: it refers to
/// the tree, which must outlive it. Keys are relative to the section and may have several segments.
class InputReader {
 public:
  /// The section at `prefix` of `tree` (the whole tree for an empty prefix).
  explicit InputReader(const InputTree& tree, KeyPath prefix = {});

  [[nodiscard]] const KeyPath& prefix() const noexcept { return prefix_; }
  /// The full key path of `key` as written in messages: "positive.particles[0].radius".
  [[nodiscard]] std::string key_text(const KeyPath& key = {}) const;
  /// Where `key` was written: its own position, the first position below it for a section, or the
  /// section's position when `key` is absent.
  [[nodiscard]] SourceLocation where(const KeyPath& key = {}) const;

  // ------------------------------------------------------------------ structure
  /// The leaf at `key`, or nullptr.
  [[nodiscard]] const InputValue* find(const KeyPath& key) const;
  /// A leaf or a section exists at `key`.
  [[nodiscard]] bool has(const KeyPath& key) const;
  /// A section (a table with at least one leaf below it) exists at `key`.
  [[nodiscard]] bool has_section(const KeyPath& key) const;
  /// The section at `key`; "missing section" when absent, "is a value" when it is a leaf.
  [[nodiscard]] InputReader section(const KeyPath& key) const;
  /// The section at `key` when present.
  [[nodiscard]] std::optional<InputReader> optional_section(const KeyPath& key) const;
  /// Names of the direct children of this section, in the order they were written.
  [[nodiscard]] std::vector<std::string> children() const;
  /// The elements of an array of tables at `key`, in order (empty when absent); refuses a value
  /// or a plain table written where the array is expected.
  [[nodiscard]] std::vector<InputReader> elements(const KeyPath& key,
                                                  const std::string& example) const;
  /// Whether this section is an element of an array of tables.
  [[nodiscard]] bool is_element() const;

  // ------------------------------------------------------------------ values
  /// The leaf at `key`; "missing value" with `example` ("\"80 um\"") in the fix when absent.
  [[nodiscard]] const InputValue& require(const KeyPath& key, const std::string& example) const;
  /// A string.
  [[nodiscard]] std::optional<std::string> text(const KeyPath& key,
                                                const std::string& example) const;
  /// A dimensional value written as a string with its unit ("80 um"), converted to SI. For
  /// dim::dimensionless this is number().
  [[nodiscard]] std::optional<double> quantity(const KeyPath& key, Dimension dimension,
                                               const std::string& example) const;
  /// A finite dimensionless number: a TOML/JSON number, or a string such as "60 %" or "0.6".
  [[nodiscard]] std::optional<double> number(const KeyPath& key, const std::string& example) const;
  /// An integer within [min, max].
  [[nodiscard]] std::optional<std::int64_t> integer(const KeyPath& key, const std::string& example,
                                                    std::int64_t min, std::int64_t max) const;
  /// true or false.
  [[nodiscard]] std::optional<bool> boolean(const KeyPath& key, const std::string& example) const;
  /// A list of strings (a single string is a list of one).
  [[nodiscard]] std::optional<std::vector<std::string>> text_list(const KeyPath& key,
                                                                  const std::string& example) const;
  /// A list of finite numbers.
  [[nodiscard]] std::optional<std::vector<double>> number_list(const KeyPath& key,
                                                               const std::string& example) const;
  /// One of `options` (with a did-you-mean for anything else).
  [[nodiscard]] std::optional<std::string> choice(const KeyPath& key,
                                                  const std::vector<std::string>& options) const;

  // ------------------------------------------------------------------ checks and errors
  /// Refuses any leaf below this section whose relative path matches none of `patterns`: "*"
  /// matches one segment (a name or an array index), a trailing "**" anything below.
  void refuse_unknown(const std::vector<KeyPath>& patterns) const;
  /// The error for `key`, at its position.
  [[nodiscard]] InputError error(const KeyPath& key, std::string problem, std::string fix) const;
  [[noreturn]] void fail(const KeyPath& key, std::string problem, std::string fix) const;
  /// Runs `parse` (which may throw InputError without a position, e.g. a units or expression
  /// parser) and places its error at `key`.
  template <class Parse>
  auto located(const KeyPath& key, Parse&& parse) const -> decltype(parse()) {
    try {
      return parse();
    } catch (const InputError& e) {
      throw e.where().line == 0 ? e.at(where(key)) : e;
    }
  }

  /// Runs `parse` and places an error without a position at the key the error names, when that
  /// key is in the tree (a recipe check that knows "microstructure.domain" but not the file), or
  /// at this section otherwise.
  template <class Parse>
  auto placed(Parse&& parse) const -> decltype(parse()) {
    try {
      return parse();
    } catch (const InputError& e) {
      throw e.where().line == 0 ? e.at(position_of_named_key(e.key_path())) : e;
    }
  }

 private:
  [[nodiscard]] SourceLocation position_of_named_key(const std::string& key_path) const;
  [[nodiscard]] KeyPath full(const KeyPath& key) const { return joined(prefix_, key); }
  /// The leaf at `key`, nullptr when absent; "is a section" when a section stands there.
  [[nodiscard]] const InputValue* leaf(const KeyPath& key, const std::string& example) const;
  [[nodiscard]] InputError unknown_key_error(const std::vector<KeyPath>& patterns,
                                             const KeyPath& relative) const;

  const InputTree* tree_;
  KeyPath prefix_;
};

}  // namespace cathodelab::core
