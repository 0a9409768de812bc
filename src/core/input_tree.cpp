// The format-free input tree (input_tree.hpp): key paths with TOML quoting and array-element
// segments, subtrees, display of values.
#include "cathodelab/core/input_tree.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace cathodelab::core {
namespace {

bool is_bare_key(std::string_view segment) {
  if (segment.empty()) return false;
  return std::all_of(segment.begin(), segment.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
  });
}

}  // namespace

std::string InputValue::display() const {
  if (kind != Kind::text_list && kind != Kind::number_list) return text;
  const std::string quote = kind == Kind::text_list ? "\"" : "";
  std::string out = "[";
  for (std::size_t i = 0; i < list.size(); ++i) {
    out += (i == 0 ? "" : ", ") + quote + list[i] + quote;
  }
  return out + "]";
}

bool InputValue::same_value(const InputValue& other) const {
  return kind == other.kind && text == other.text && list == other.list;
}

std::string index_segment(std::size_t index) {
  return "[" + std::to_string(index) + "]";
}

std::optional<std::size_t> segment_index(std::string_view segment) {
  if (segment.size() < 3 || segment.front() != '[' || segment.back() != ']') return std::nullopt;
  std::size_t index = 0;
  const char* first = segment.data() + 1;
  const char* last = segment.data() + segment.size() - 1;
  const auto [end, error] = std::from_chars(first, last, index);
  if (error != std::errc{} || end != last) return std::nullopt;
  return index;
}

std::string key_path_text(const KeyPath& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (segment_index(path[i])) {
      out += path[i];
      continue;
    }
    if (i > 0) out += '.';
    out += is_bare_key(path[i]) ? path[i] : "\"" + path[i] + "\"";
  }
  return out;
}

KeyPath joined(const KeyPath& prefix, const KeyPath& tail) {
  KeyPath out = prefix;
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

KeyPath parse_key_path(std::string_view dotted, const SourceLocation& where) {
  KeyPath path;
  std::string segment;
  bool quoted = false;
  bool segment_quoted = false;
  char quote = '"';
  auto malformed = [&] {
    return InputError("malformed key path '" + std::string(dotted) + "'", {},
                      "write segments separated by dots and quote segments that contain dots, "
                      "e.g. 'cathode.components.\"1.4Li2O-0.75ZrCl4\".fraction'",
                      where);
  };
  for (char c : dotted) {
    if (quoted) {
      if (c == quote) {
        quoted = false;
      } else {
        segment += c;
      }
    } else if (c == '"' || c == '\'') {
      if (!segment.empty()) throw malformed();
      quoted = true;
      segment_quoted = true;
      quote = c;
    } else if (c == '.') {
      if (segment.empty() && !segment_quoted) throw malformed();
      path.push_back(segment);
      segment.clear();
      segment_quoted = false;
    } else if (c == ' ' || c == '\t') {
      continue;
    } else {
      if (segment_quoted) throw malformed();
      segment += c;
    }
  }
  if (quoted || (segment.empty() && !segment_quoted)) throw malformed();
  path.push_back(segment);
  return path;
}

bool starts_with(const KeyPath& path, const KeyPath& prefix) {
  return path.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

InputTree subtree(const InputTree& tree, const KeyPath& prefix) {
  InputTree out;
  for (const auto& [path, value] : tree) {
    if (path.size() > prefix.size() && starts_with(path, prefix)) {
      out.emplace(KeyPath(path.begin() + static_cast<std::ptrdiff_t>(prefix.size()), path.end()),
                  value);
    }
  }
  return out;
}

}  // namespace cathodelab::core
