// libFuzzer target: io::read_npy_values, the reader behind every .npy file, on arbitrary bytes.
// InputError is the expected answer to a bad file; anything else is a finding.
#include "cathodelab/core/error.hpp"
#include "cathodelab/io/image_io.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)cathodelab::io::read_npy_values(std::span<const std::uint8_t>(data, size), "fuzz.npy");
  } catch (const cathodelab::core::InputError&) {
  }
  return 0;
}
