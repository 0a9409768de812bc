// libFuzzer target: io::parse_cell_parameters_bpx (the Battery Parameter eXchange JSON reader, with
// its expressions, tables and unit conversions) on arbitrary text. InputError is the expected
// answer to bad input; anything else (another exception, a crash, a sanitizer report) is a finding.
// A parameter set that is accepted must also pass echem::validate, which the cell model runs first.
#include "cathodelab/core/error.hpp"
#include "cathodelab/echem/cell_parameters.hpp"
#include "cathodelab/io/cell_parameters_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto parameters = cathodelab::io::parse_cell_parameters_bpx(text, "fuzz.json");
    cathodelab::echem::validate(parameters);
  } catch (const cathodelab::core::InputError&) {
  }
  return 0;
}
