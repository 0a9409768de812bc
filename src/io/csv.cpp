// CSV fields and lines (RFC 4180 quoting), numbers in the shortest form that reads back to the
// same double.
#include "cathodelab/io/csv.hpp"

#include <fmt/format.h>

namespace cathodelab::io {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += csv_field(fields[i]);
  }
  return line + "\n";
}

std::string csv_number(double value) {
  return fmt::format("{}", value);
}

}  // namespace cathodelab::io
