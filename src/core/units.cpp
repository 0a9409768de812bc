#include "cathodelab/core/units.hpp"

#include "cathodelab/core/error.hpp"

namespace cathodelab::core {

Quantity parse_quantity(std::string_view text) {
  throw InputError("unit parsing is not implemented yet: '" + std::string(text) + "'");
}

double parse_quantity_as(std::string_view text, Dimension, std::string_view, std::string_view) {
  return parse_quantity(text).value;
}

double parse_c_rate(std::string_view text, std::string_view) { return parse_quantity(text).value; }

std::string dimension_name(Dimension) { return "?"; }

}  // namespace cathodelab::core
