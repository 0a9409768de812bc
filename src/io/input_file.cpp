// TOML (toml++) and JSON (nlohmann-json) documents -> core::InputTree (see input_file.hpp). The
// conversion keeps every value's position, turns arrays of tables into "[i]" segments, refuses
// lists that mix kinds, and bounds the nesting depth so that no document can exhaust the stack.
#include "cathodelab/io/input_file.hpp"

#include "cathodelab/core/error.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <limits>
#include <sstream>

namespace cathodelab::io {
namespace {

namespace fs = std::filesystem;
using core::InputError;
using core::InputTree;
using core::InputValue;
using core::KeyPath;

/// Deeper documents are refused: no input of cathodelab nests beyond a few levels, and the
/// converters recurse once per level.
constexpr std::size_t max_nesting = 64;

/// The literal of a real as written back into a resolved design file ("2.0", "1e-05").
std::string real_literal(double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

InputValue integer_value(std::int64_t value, core::SourceLocation where) {
  InputValue v;
  v.kind = InputValue::Kind::integer;
  v.number = static_cast<double>(value);
  v.text = std::to_string(value);
  v.where = std::move(where);
  return v;
}

InputValue real_value(double value, core::SourceLocation where) {
  InputValue v;
  v.kind = InputValue::Kind::real;
  v.number = value;
  v.text = real_literal(value);
  v.where = std::move(where);
  return v;
}

[[noreturn]] void mixed_list(const KeyPath& path, core::SourceLocation where) {
  throw InputError("a list must hold only strings, only numbers or only tables",
                   core::key_path_text(path),
                   "e.g. [\"Discharge at C/10 until 2.5 V\", \"Rest for 1 hour\"] or [0.1, 0.5]",
                   std::move(where));
}

void check_depth(const KeyPath& path, const core::SourceLocation& where) {
  if (path.size() > max_nesting) {
    throw InputError(fmt::format("nested more than {} levels deep", max_nesting),
                     core::key_path_text(KeyPath(path.begin(), path.begin() + 3)) + "...",
                     "flatten the input; no cathodelab input nests beyond a few levels", where);
  }
}

// ---------------------------------------------------------------- TOML

core::SourceLocation toml_location(const std::string& file, const toml::source_region& region) {
  return {file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

/// The key written on line `line` of `text` ("name" in `name = ...`, "a.b" in `[a.b]`).
std::string key_on_line(const std::string& text, int line) {
  std::istringstream in(text);
  std::string row;
  for (int i = 0; i < line && std::getline(in, row); ++i) {
  }
  const auto equals = row.find('=');
  if (equals == std::string::npos) {
    const auto open = row.find('[');
    const auto close = row.find(']', open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos) return {};
    std::string section = row.substr(open, close - open + 1);
    while (!section.empty() && section.front() == '[') section.erase(0, 1);
    return section.substr(0, section.find(']'));
  }
  std::string key = row.substr(0, equals);
  const auto first = key.find_first_not_of(" \t");
  const auto last = key.find_last_not_of(" \t");
  return first == std::string::npos ? std::string{} : key.substr(first, last - first + 1);
}

class TomlConverter {
 public:
  TomlConverter(std::string file, InputTree& out) : file_(std::move(file)), out_(out) {}

  void table(const toml::table& table, KeyPath& path) {
    check_depth(path, toml_location(file_, table.source()));
    for (const auto& [key, node] : table) {
      path.emplace_back(key.str());
      this->node(node, path);
      path.pop_back();
    }
  }

 private:
  void node(const toml::node& node, KeyPath& path) {
    const core::SourceLocation where = toml_location(file_, node.source());
    if (const auto* sub = node.as_table()) {
      table(*sub, path);
    } else if (const auto* array = node.as_array()) {
      list(*array, path, where);
    } else {
      out_[path] = leaf(node, path, where);
    }
  }

  void list(const toml::array& array, KeyPath& path, const core::SourceLocation& where) {
    const auto all = [&](auto predicate) {
      return std::all_of(array.begin(), array.end(), predicate);
    };
    if (!array.empty() && all([](const toml::node& n) { return n.is_table(); })) {
      check_depth(path, where);
      for (std::size_t i = 0; i < array.size(); ++i) {
        path.push_back(core::index_segment(i));
        table(*array[i].as_table(), path);
        path.pop_back();
      }
      return;
    }
    InputValue value;
    value.where = where;
    if (all([](const toml::node& n) { return n.is_string(); })) {
      value.kind = InputValue::Kind::text_list;
      for (const auto& element : array) value.list.push_back(element.as_string()->get());
    } else if (all([](const toml::node& n) { return n.is_number(); })) {
      value.kind = InputValue::Kind::number_list;
      for (const auto& element : array) {
        if (const auto* i = element.as_integer()) {
          value.numbers.push_back(static_cast<double>(i->get()));
          value.list.push_back(std::to_string(i->get()));
        } else {
          value.numbers.push_back(element.as_floating_point()->get());
          value.list.push_back(fmt::format("{}", value.numbers.back()));
        }
      }
    } else {
      mixed_list(path, where);
    }
    out_[path] = std::move(value);
  }

  static InputValue leaf(const toml::node& node, const KeyPath& path, core::SourceLocation where) {
    if (const auto* i = node.as_integer()) return integer_value(i->get(), std::move(where));
    if (const auto* f = node.as_floating_point()) return real_value(f->get(), std::move(where));
    InputValue value;
    value.where = std::move(where);
    if (const auto* s = node.as_string()) {
      value.text = s->get();
    } else if (const auto* b = node.as_boolean()) {
      value.kind = InputValue::Kind::boolean;
      value.boolean = b->get();
      value.text = b->get() ? "true" : "false";
    } else {
      throw InputError("dates and times are not input values", core::key_path_text(path),
                       "write a string with units, e.g. \"1 hour\"", value.where);
    }
    return value;
  }

  std::string file_;
  InputTree& out_;
};

// ---------------------------------------------------------------- JSON

using ordered_json = nlohmann::ordered_json;

/// nlohmann's message without its "[json.exception.<kind>.<id>] " tag and its "parse error at line
/// L, column C: " preamble (the position goes into the error's location instead).
std::string json_message(const nlohmann::json::exception& error) {
  std::string text = error.what();
  if (const auto tag = text.find("] ");
      text.rfind("[json.exception.", 0) == 0 && tag != std::string::npos) {
    text.erase(0, tag + 2);
  }
  if (text.rfind("parse error", 0) == 0) {
    if (const auto colon = text.find(": "); colon != std::string::npos) text.erase(0, colon + 2);
  }
  return text;
}

/// 1-based line and column of byte offset `offset` of `text`.
core::SourceLocation location_of_offset(const std::string& text, std::size_t offset,
                                        const std::string& name) {
  const std::size_t end = std::min(offset, text.size());
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {name, line, column};
}

/// The token in single quotes in a message ("number overflow parsing '1e400'" -> "1e400").
std::string quoted_token(const std::string& message) {
  const auto open = message.find('\'');
  const auto close = open == std::string::npos ? open : message.find('\'', open + 1);
  if (close == std::string::npos) return {};
  return message.substr(open + 1, close - open - 1);
}

/// Where `token` first stands in `text` as a JSON value (after ':', '[' or ','; not inside a
/// longer number). The file alone when it is not found.
core::SourceLocation location_of_token(const std::string& text, const std::string& token,
                                       const std::string& name) {
  const auto number_char = [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.' || c == 'e' || c == 'E' ||
           c == '+' || c == '-';
  };
  const auto after_separator = [&](std::size_t at) {
    const auto before = at == 0 ? std::string::npos : text.find_last_not_of(" \t\r\n", at - 1);
    return before != std::string::npos &&
           (text[before] == ':' || text[before] == '[' || text[before] == ',');
  };
  for (auto at = token.empty() ? std::string::npos : text.find(token); at != std::string::npos;
       at = text.find(token, at + 1)) {
    const bool ends = at + token.size() == text.size() || !number_char(text[at + token.size()]);
    if (after_separator(at) && ends) return location_of_offset(text, at, name);
  }
  return {name, 0, 0};
}

/// Converts a parsed JSON document. A member's position is found by searching its quoted name
/// forward from its previous sibling (ordered_json keeps the file order), so the search stays
/// linear per nesting level; a name written with escapes falls back to the parent's position.
class JsonConverter {
 public:
  JsonConverter(const std::string& text, std::string name, InputTree& out)
      : text_(text), name_(std::move(name)), out_(out) {}

  void object(const ordered_json& object, KeyPath& path, std::size_t from) {
    check_depth(path, position(from));
    std::size_t cursor = from;
    for (const auto& [key, value] : object.items()) {
      const std::string quoted = "\"" + key + "\"";
      const auto at = text_.find(quoted, cursor);
      const std::size_t here = at == std::string::npos ? from : at;
      if (at != std::string::npos) cursor = at + quoted.size();
      path.push_back(key);
      node(value, path, here);
      path.pop_back();
    }
  }

 private:
  [[nodiscard]] core::SourceLocation position(std::size_t offset) const {
    return location_of_offset(text_, offset, name_);
  }

  void node(const ordered_json& value, KeyPath& path, std::size_t at) {
    if (value.is_object()) {
      object(value, path, at);
    } else if (value.is_array()) {
      list(value, path, at);
    } else {
      out_[path] = leaf(value, path, position(at));
    }
  }

  void list(const ordered_json& array, KeyPath& path, std::size_t at) {
    const auto all = [&](auto predicate) {
      return std::all_of(array.begin(), array.end(), predicate);
    };
    const core::SourceLocation where = position(at);
    if (!array.empty() && all([](const ordered_json& v) { return v.is_object(); })) {
      check_depth(path, where);
      for (std::size_t i = 0; i < array.size(); ++i) {
        path.push_back(core::index_segment(i));
        object(array[i], path, at);
        path.pop_back();
      }
      return;
    }
    InputValue value;
    value.where = where;
    if (all([](const ordered_json& v) { return v.is_string(); })) {
      value.kind = InputValue::Kind::text_list;
      for (const auto& element : array) value.list.push_back(element.get<std::string>());
    } else if (all([](const ordered_json& v) { return v.is_number(); })) {
      value.kind = InputValue::Kind::number_list;
      for (const auto& element : array) {
        value.numbers.push_back(element.get<double>());
        value.list.push_back(element.dump());
      }
    } else {
      mixed_list(path, where);
    }
    out_[path] = std::move(value);
  }

  static InputValue leaf(const ordered_json& json, const KeyPath& path,
                         core::SourceLocation where) {
    // nlohmann stores non-negative integers as unsigned; those beyond int64 stay reals.
    const bool fits_signed =
        !json.is_number_unsigned() ||
        json.get<std::uint64_t>() <=
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (json.is_number_integer() && fits_signed) {
      return integer_value(json.get<std::int64_t>(), std::move(where));
    }
    if (json.is_number()) {
      InputValue value = real_value(json.get<double>(), std::move(where));
      if (json.is_number_unsigned()) value.text = json.dump();
      return value;
    }
    InputValue value;
    value.where = std::move(where);
    if (json.is_string()) {
      value.text = json.get<std::string>();
    } else if (json.is_boolean()) {
      value.kind = InputValue::Kind::boolean;
      value.boolean = json.get<bool>();
      value.text = value.boolean ? "true" : "false";
    } else {
      throw InputError("null is not a value", core::key_path_text(path),
                       "give a value or leave the key out", value.where);
    }
    return value;
  }

  const std::string& text_;
  std::string name_;
  InputTree& out_;
};

}  // namespace

core::InputTree parse_toml_input(const std::string& text, const std::string& name) {
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& error) {
    const auto where = toml_location(name, error.source());
    throw InputError("TOML syntax error: " + std::string(error.description()),
                     key_on_line(text, where.line),
                     "fix the syntax at this position (strings in double quotes, key = value, "
                     "[section] headers)",
                     where);
  }
  InputTree tree;
  KeyPath path;
  TomlConverter(name, tree).table(root, path);
  return tree;
}

core::InputTree parse_json_input(const std::string& text, const std::string& name) {
  ordered_json root;
  try {
    root = ordered_json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError("JSON syntax error: " + json_message(error), {}, "fix the JSON syntax",
                     location_of_offset(text, error.byte == 0 ? 0 : error.byte - 1, name));
  } catch (const nlohmann::json::out_of_range& error) {
    // A number too large for a double (e.g. 1e400); nlohmann names the token but not its place.
    const std::string token = quoted_token(error.what());
    throw InputError(
        fmt::format("number {} is out of the range of a double (about +-1.8e308)", token), {},
        "write the value in the unit the key names, e.g. 1e-5",
        location_of_token(text, token, name));
  } catch (const nlohmann::json::exception& error) {
    throw InputError("unreadable JSON: " + json_message(error), {}, "fix the JSON syntax",
                     {name, 0, 0});
  }
  if (!root.is_object()) {
    throw InputError("the document must be a JSON object", {}, "write { \"key\": value, ... }",
                     {name, 1, 1});
  }
  InputTree tree;
  KeyPath path;
  JsonConverter(text, name, tree).object(root, path, 0);
  return tree;
}

std::string read_input_text(const fs::path& file) {
  std::error_code error;
  if (!fs::exists(file, error)) {
    throw InputError("file not found: " + file.string(), {},
                     "check the path (relative paths are taken from the current directory)");
  }
  if (fs::is_directory(file, error)) {
    throw InputError("'" + file.string() + "' is a folder, not a file", {}, "give an input file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError("cannot read file " + file.string(), {}, "check its permissions");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

core::InputTree read_input_file(const fs::path& file) {
  const std::string text = read_input_text(file);
  if (file.extension() == ".json") return parse_json_input(text, file.string());
  return parse_toml_input(text, file.string());
}

}  // namespace cathodelab::io
