// libFuzzer target: echem::Expression::parse on arbitrary text with the variables x and T, then
// evaluation at a few points. InputError (bad text) and NumericalError are expected answers; any
// other exception (InternalError included), a crash or a sanitizer report is a finding.
#include "cathodelab/core/error.hpp"
#include "cathodelab/echem/expression.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace core = cathodelab::core;
  using cathodelab::echem::Expression;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const Expression e = Expression::parse(text, {"x", "T"}, "fuzz.ocp");
    for (const double x : {0.0, 0.5, -1.0, 1e300}) {
      (void)e(x, 298.15);  // NaN and inf are values here; the callers judge them
    }
  } catch (const core::InputError&) {
  } catch (const core::NumericalError&) {
  }
  return 0;
}
