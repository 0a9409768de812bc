// The one reader of input values (input_reader.hpp): lookups relative to a section of an
// InputTree, unit conversion through core::parse_quantity_as, and the project's single wording of
// input errors.
#include "cathodelab/core/input_reader.hpp"

#include "cathodelab/core/suggest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace cathodelab::core {
namespace {

// The key as a user would write it in the file: the last segment, or the section and key.
std::string assignment_example(const KeyPath& key, const std::string& example) {
  const std::string leaf = key.empty() ? std::string("value") : key_path_text(key);
  return leaf + " = " + example;
}

bool earlier(const SourceLocation& a, const SourceLocation& b) {
  return std::tie(a.line, a.column) < std::tie(b.line, b.column);
}

bool matches(const KeyPath& pattern, const KeyPath& path) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == "**") return i < path.size();
    if (i >= path.size()) return false;
    if (pattern[i] != "*" && pattern[i] != path[i]) return false;
  }
  return pattern.size() == path.size();
}

}  // namespace

InputReader::InputReader(const InputTree& tree, KeyPath prefix)
    : tree_(&tree), prefix_(std::move(prefix)) {}

std::string InputReader::key_text(const KeyPath& key) const {
  return key_path_text(full(key));
}

SourceLocation InputReader::where(const KeyPath& key) const {
  const KeyPath path = full(key);
  std::optional<SourceLocation> first;
  std::optional<SourceLocation> any_file;
  for (auto it = tree_->lower_bound(path); it != tree_->end() && starts_with(it->first, path);
       ++it) {
    const SourceLocation& at = it->second.where;
    if (!any_file) any_file = SourceLocation{at.file, 0, 0};
    if (at.line > 0 && (!first || earlier(at, *first))) first = at;
  }
  if (first) return *first;
  if (any_file) return *any_file;
  if (!key.empty()) return where({});  // the section's position for an absent key
  // An absent section: the file of any value in the tree.
  if (!tree_->empty()) return SourceLocation{tree_->begin()->second.where.file, 0, 0};
  return {};
}

const InputValue* InputReader::find(const KeyPath& key) const {
  const auto it = tree_->find(full(key));
  return it == tree_->end() ? nullptr : &it->second;
}

bool InputReader::has(const KeyPath& key) const {
  const KeyPath path = full(key);
  const auto it = tree_->lower_bound(path);
  return it != tree_->end() && starts_with(it->first, path);
}

bool InputReader::has_section(const KeyPath& key) const {
  const KeyPath path = full(key);
  const auto it = tree_->lower_bound(path);
  if (it == tree_->end() || !starts_with(it->first, path)) return false;
  // The first entry at or after `path` is the leaf itself when `key` is a value.
  return it->first.size() > path.size();
}

InputReader InputReader::section(const KeyPath& key) const {
  if (find(key) != nullptr) {
    fail(key, "'" + key.back() + "' is a value, not a section",
         "write it as a section, e.g. [" + key_text(key) + "]");
  }
  if (!has_section(key)) {
    fail(key, "missing section", "add a [" + key_text(key) + "] section");
  }
  return InputReader(*tree_, full(key));
}

std::optional<InputReader> InputReader::optional_section(const KeyPath& key) const {
  if (!has(key)) return std::nullopt;
  return section(key);
}

std::vector<std::string> InputReader::children() const {
  std::vector<std::pair<SourceLocation, std::string>> found;
  const std::size_t depth = prefix_.size();
  for (auto it = tree_->lower_bound(prefix_); it != tree_->end() && starts_with(it->first, prefix_);
       ++it) {
    if (it->first.size() <= depth) continue;
    const std::string& name = it->first[depth];
    const auto same = [&](const auto& entry) { return entry.second == name; };
    const auto known = std::find_if(found.begin(), found.end(), same);
    if (known == found.end()) {
      found.emplace_back(it->second.where, name);
    } else if (it->second.where.line > 0 && earlier(it->second.where, known->first)) {
      known->first = it->second.where;
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    const auto ia = segment_index(a.second);
    const auto ib = segment_index(b.second);
    if (ia && ib) return *ia < *ib;
    return earlier(a.first, b.first);
  });
  std::vector<std::string> names;
  names.reserve(found.size());
  for (auto& entry : found) names.push_back(std::move(entry.second));
  return names;
}

std::vector<InputReader> InputReader::elements(const KeyPath& key,
                                               const std::string& example) const {
  std::vector<InputReader> out;
  if (!has(key)) return out;
  if (find(key) != nullptr || !has_section(key)) {
    fail(key, "must be a list of tables", "write e.g. " + assignment_example(key, example));
  }
  const InputReader list(*tree_, full(key));
  const std::vector<std::string> names = list.children();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (segment_index(names[i]) != i) {
      fail(key, "must be a list of tables", "write e.g. " + assignment_example(key, example));
    }
    out.emplace_back(*tree_, joined(full(key), {names[i]}));
  }
  return out;
}

bool InputReader::is_element() const {
  return !prefix_.empty() && segment_index(prefix_.back()).has_value();
}

const InputValue* InputReader::leaf(const KeyPath& key, const std::string& example) const {
  const InputValue* value = find(key);
  if (value == nullptr && has_section(key)) {
    fail(key, "'" + key.back() + "' is a section, not a value",
         "write e.g. " + assignment_example(key, example));
  }
  return value;
}

const InputValue& InputReader::require(const KeyPath& key, const std::string& example) const {
  if (const InputValue* value = leaf(key, example)) return *value;
  fail(key, "missing value", "add e.g. " + assignment_example(key, example));
}

std::optional<std::string> InputReader::text(const KeyPath& key, const std::string& example) const {
  const InputValue* v = leaf(key, example);
  if (v == nullptr) return std::nullopt;
  if (v->kind != InputValue::Kind::text) {
    fail(key, "must be a string", "write e.g. " + assignment_example(key, example));
  }
  return v->text;
}

std::optional<double> InputReader::quantity(const KeyPath& key, Dimension dimension,
                                            const std::string& example) const {
  if (dimension == dim::dimensionless) return number(key, example);
  const InputValue* v = leaf(key, example);
  if (v == nullptr) return std::nullopt;
  if (v->kind != InputValue::Kind::text) {
    fail(key, "must be a value with its unit", "write e.g. " + assignment_example(key, example));
  }
  std::string bare_example = example;
  if (bare_example.size() >= 2 && bare_example.front() == '"' && bare_example.back() == '"') {
    bare_example = bare_example.substr(1, bare_example.size() - 2);
  }
  return located(
      key, [&] { return parse_quantity_as(v->text, dimension, key_text(key), bare_example); });
}

std::optional<double> InputReader::number(const KeyPath& key, const std::string& example) const {
  const InputValue* v = leaf(key, example);
  if (v == nullptr) return std::nullopt;
  double value = 0.0;
  if (v->kind == InputValue::Kind::integer || v->kind == InputValue::Kind::real) {
    value = v->number;
  } else if (v->kind == InputValue::Kind::text) {
    value = located(key, [&] {
      return parse_quantity_as(v->text, dim::dimensionless, key_text(key), example);
    });
  } else {
    fail(key, "must be a number", "write e.g. " + assignment_example(key, example));
  }
  if (!std::isfinite(value)) {
    fail(key, fmt::format("must be finite, got {}", value),
         "write e.g. " + assignment_example(key, example));
  }
  return value;
}

std::optional<std::int64_t> InputReader::integer(const KeyPath& key, const std::string& example,
                                                 std::int64_t min, std::int64_t max) const {
  const InputValue* v = leaf(key, example);
  if (v == nullptr) return std::nullopt;
  const std::string range = fmt::format("an integer from {} to {}", min, max);
  if (v->kind != InputValue::Kind::integer) {
    fail(key, "must be " + range, "write e.g. " + assignment_example(key, example));
  }
  // The literal, not the double: integers above 2^53 must not round into the range.
  std::int64_t value = 0;
  try {
    value = std::stoll(v->text);
  } catch (const std::exception&) {
    fail(key, "must be " + range, "write e.g. " + assignment_example(key, example));
  }
  if (value < min || value > max) {
    fail(key, fmt::format("must be {}, got {}", range, value),
         "write e.g. " + assignment_example(key, example));
  }
  return value;
}

std::optional<bool> InputReader::boolean(const KeyPath& key, const std::string& example) const {
  const InputValue* v = leaf(key, example);
  if (v == nullptr) return std::nullopt;
  if (v->kind != InputValue::Kind::boolean) {
    fail(key, "must be true or false", "write e.g. " + assignment_example(key, example));
  }
  return v->boolean;
}

std::optional<std::vector<std::string>> InputReader::text_list(const KeyPath& key,
                                                               const std::string& example) const {
  const InputValue* v = leaf(key, example);
  if (v == nullptr) return std::nullopt;
  if (v->kind == InputValue::Kind::text) return std::vector<std::string>{v->text};
  if (v->kind == InputValue::Kind::text_list) return v->list;
  fail(key, "must be a list of strings", "write e.g. " + assignment_example(key, example));
}

std::optional<std::vector<double>> InputReader::number_list(const KeyPath& key,
                                                            const std::string& example) const {
  const InputValue* v = leaf(key, example);
  if (v == nullptr) return std::nullopt;
  if (v->kind != InputValue::Kind::number_list) {
    fail(key, "must be a list of numbers", "write e.g. " + assignment_example(key, example));
  }
  for (const double x : v->numbers) {
    if (!std::isfinite(x)) {
      fail(key, fmt::format("list entries must be finite, got {}", x),
           "write e.g. " + assignment_example(key, example));
    }
  }
  return v->numbers;
}

std::optional<std::string> InputReader::choice(const KeyPath& key,
                                               const std::vector<std::string>& options) const {
  const std::string example = options.empty() ? std::string("\"...\"") : "\"" + options[0] + "\"";
  auto value = text(key, example);
  if (!value) return std::nullopt;
  if (std::find(options.begin(), options.end(), *value) == options.end()) {
    fail(key, "unknown value '" + *value + "'", suggestion_text(*value, options));
  }
  return value;
}

void InputReader::refuse_unknown(const std::vector<KeyPath>& patterns) const {
  const std::size_t depth = prefix_.size();
  for (auto it = tree_->lower_bound(prefix_); it != tree_->end() && starts_with(it->first, prefix_);
       ++it) {
    const KeyPath relative(it->first.begin() + static_cast<std::ptrdiff_t>(depth), it->first.end());
    if (relative.empty()) continue;
    const auto accepts = [&](const KeyPath& p) { return matches(p, relative); };
    if (std::any_of(patterns.begin(), patterns.end(), accepts)) continue;
    throw unknown_key_error(patterns, relative).at(it->second.where);
  }
}

InputError InputReader::unknown_key_error(const std::vector<KeyPath>& patterns,
                                          const KeyPath& relative) const {
  // The first segment that no pattern accepts after the segments before it.
  const auto leads = [&](const KeyPath& p, std::size_t level) {
    for (std::size_t i = 0; i < level; ++i) {
      if (i >= p.size()) return false;
      if (p[i] == "**") return true;
      if (p[i] != "*" && p[i] != relative[i]) return false;
    }
    return p.size() > level;
  };
  for (std::size_t level = 0; level < relative.size(); ++level) {
    std::vector<std::string> options;
    bool fits = false;
    for (const auto& p : patterns) {
      if (!leads(p, level)) continue;
      fits = fits || p[level] == "*" || p[level] == "**" || p[level] == relative[level];
      if (p[level] != "*" && p[level] != "**" &&
          std::find(options.begin(), options.end(), p[level]) == options.end()) {
        options.push_back(p[level]);
      }
    }
    if (fits) continue;
    const KeyPath shown(relative.begin(),
                        relative.begin() + static_cast<std::ptrdiff_t>(level) + 1);
    if (options.empty() && level > 0) {
      // Nothing may sit below the previous segment: it is a value written as a section.
      const KeyPath parent(shown.begin(), shown.end() - 1);
      return error(parent, "'" + parent.back() + "' is a value, not a section",
                   "write it as " + parent.back() + " = ...");
    }
    return error(shown, "unknown key '" + relative[level] + "'",
                 suggestion_text(relative[level], options));
  }
  // Every segment fits but the path ends early: a value written where a section belongs.
  return error(relative, "'" + relative.back() + "' is a section, not a value",
               "write it as a section, e.g. [" + key_text(relative) + "]");
}

SourceLocation InputReader::position_of_named_key(const std::string& key_path) const {
  try {
    const KeyPath path = parse_key_path(key_path);
    if (InputReader(*tree_).has(path)) return InputReader(*tree_).where(path);
  } catch (const InputError&) {
    // Not a key path of this tree (a CLI flag, a phase name): the section's position.
  }
  return where();
}

InputError InputReader::error(const KeyPath& key, std::string problem, std::string fix) const {
  return {std::move(problem), key_text(key), std::move(fix), where(key)};
}

void InputReader::fail(const KeyPath& key, std::string problem, std::string fix) const {
  throw error(key, std::move(problem), std::move(fix));
}

}  // namespace cathodelab::core
