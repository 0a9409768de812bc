// Private helpers of the whole-path stages (microstructure, analysis, cell): reading their own
// input sections ([microstructure], [protocol]) from an InputTree with units, positions and
// did-you-mean for misspelt keys.
#pragma once

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/suggest.hpp"
#include "cathodelab/core/units.hpp"
#include "cathodelab/study/study_spec.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cathodelab::study::detail {

/// A section's leaves (key paths relative to the section) with the section name for messages.
class SectionReader {
 public:
  SectionReader(const InputTree& tree, std::string section)
      : tree_(tree), section_(std::move(section)) {}

  [[nodiscard]] const InputValue* find(const KeyPath& key) const {
    const auto it = tree_.find(key);
    return it == tree_.end() ? nullptr : &it->second;
  }

  [[nodiscard]] std::string key_text(const KeyPath& key) const {
    return section_ + "." + key_path_text(key);
  }

  /// A dimensional value written as text with a unit ("1 um"); a bare number is refused.
  [[nodiscard]] std::optional<double> quantity(const KeyPath& key, core::Dimension dimension,
                                               const std::string& example) const {
    const InputValue* v = find(key);
    if (v == nullptr) return std::nullopt;
    const std::string path = key_text(key);
    if (v->kind != InputValue::Kind::text) {
      throw core::InputError("expected a value with a unit", path, "write e.g. " + example,
                             v->where);
    }
    try {
      return core::parse_quantity_as(v->text, dimension, path, example);
    } catch (const core::InputError& e) {
      throw e.at(v->where);
    }
  }

  /// A dimensionless number (TOML number or a text such as "20 %").
  [[nodiscard]] std::optional<double> number(const KeyPath& key, const std::string& example) const {
    const InputValue* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (v->kind == InputValue::Kind::integer || v->kind == InputValue::Kind::real) return v->number;
    if (v->kind == InputValue::Kind::text) {
      try {
        return core::parse_quantity_as(v->text, core::dim::dimensionless, key_text(key), example);
      } catch (const core::InputError& e) {
        throw e.at(v->where);
      }
    }
    throw core::InputError("expected a number", key_text(key), "write e.g. " + example, v->where);
  }

  [[nodiscard]] std::optional<std::string> text(const KeyPath& key,
                                                const std::string& example) const {
    const InputValue* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (v->kind != InputValue::Kind::text) {
      throw core::InputError("expected a text", key_text(key), "write e.g. " + example, v->where);
    }
    return v->text;
  }

  /// A list of texts (a single text is a list of one).
  [[nodiscard]] std::optional<std::vector<std::string>> text_list(
      const KeyPath& key, const std::string& example) const {
    const InputValue* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (v->kind == InputValue::Kind::text) return std::vector<std::string>{v->text};
    if (v->kind == InputValue::Kind::text_list) return v->list;
    throw core::InputError("expected a list of texts", key_text(key), "write e.g. " + example,
                           v->where);
  }

  /// Refuses any leaf whose path does not match one of `patterns` ("*" matches one segment).
  void refuse_unknown(const std::vector<KeyPath>& patterns) const {
    for (const auto& [path, value] : tree_) {
      bool known = false;
      for (const auto& pattern : patterns) {
        if (pattern.size() != path.size()) continue;
        bool match = true;
        for (std::size_t i = 0; i < path.size() && match; ++i) {
          match = pattern[i] == "*" || pattern[i] == path[i];
        }
        known = known || match;
      }
      if (known) continue;
      std::vector<std::string> options;
      for (const auto& pattern : patterns) {
        if (pattern.size() == path.size()) options.push_back(pattern.back());
      }
      throw core::InputError("unknown key '" + path.back() + "'", key_text(path),
                             core::suggestion_text(path.back(), options), value.where);
    }
  }

 private:
  const InputTree& tree_;
  std::string section_;
};

}  // namespace cathodelab::study::detail
