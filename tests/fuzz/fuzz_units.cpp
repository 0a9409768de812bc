// libFuzzer target: the units parser (core::parse_quantity, parse_quantity_as, parse_c_rate,
// dimension_name) on arbitrary text. An InputError is the expected answer to bad text; any other
// exception, a crash or a sanitizer report is a finding.
#include "cathodelab/core/error.hpp"
#include "cathodelab/core/units.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace core = cathodelab::core;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const core::Quantity q = core::parse_quantity(text);
    // The parser promises finite SI values.
    if (!std::isfinite(q.value)) std::abort();
    (void)core::dimension_name(q.dimension);
  } catch (const core::InputError&) {
  }
  try {
    (void)core::parse_quantity_as(text, core::dim::conductivity, "fuzz.key", "0.73 mS/cm");
  } catch (const core::InputError&) {
  }
  try {
    const double rate = core::parse_c_rate(text, "fuzz.rate");
    if (!(rate > 0.0) || !std::isfinite(rate)) std::abort();
  } catch (const core::InputError&) {
  }
  return 0;
}
