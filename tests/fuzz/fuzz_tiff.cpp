// libFuzzer target: io::read_tiff_values, the reader behind every TIFF file and slice folder, on
// arbitrary bytes (libtiff reads them from memory). InputError is the expected answer to a bad
// file; anything else is a finding.
#include "cathodelab/core/error.hpp"
#include "cathodelab/io/image_io.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)cathodelab::io::read_tiff_values(std::span<const std::uint8_t>(data, size), "fuzz.tif");
  } catch (const cathodelab::core::InputError&) {
  }
  return 0;
}
