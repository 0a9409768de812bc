// Writing comma-separated tables (RFC 4180 quoting) with full-precision numbers.
#pragma once

#include <string>
#include <vector>

namespace cathodelab::io {

/// A field quoted when it holds a comma, a quote or a line break.
[[nodiscard]] std::string csv_field(const std::string& text);
/// One line (with "\n") of already formatted fields.
[[nodiscard]] std::string csv_line(const std::vector<std::string>& fields);
/// Shortest text that reads back to the same double ("0.1", "1e-05").
[[nodiscard]] std::string csv_number(double value);

}  // namespace cathodelab::io
