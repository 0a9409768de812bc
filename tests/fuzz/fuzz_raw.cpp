// libFuzzer target: io::read_raw_values on arbitrary bytes. The first 12 bytes give the layout
// (nx, ny, nz as little-endian 32-bit numbers, so their product can overflow), the 13th the dtype
// (uint8, uint16, int32 or an unknown name), the rest is the data. InputError is the expected
// answer to a layout that does not fit the data; anything else is a finding.
#include "cathodelab/core/error.hpp"
#include "cathodelab/io/image_io.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kHeader = 13;
  if (size < kHeader) return 0;
  cathodelab::io::RawLayout layout;
  for (std::size_t axis = 0; axis < 3; ++axis) {
    std::size_t n = 0;
    for (std::size_t b = 0; b < 4; ++b) n |= std::size_t{data[4 * axis + b]} << (8 * b);
    layout.shape[axis] = n;
  }
  constexpr std::array<const char*, 4> dtypes{"uint8", "uint16", "int32", "float64"};
  layout.dtype = dtypes[data[12] % dtypes.size()];
  try {
    (void)cathodelab::io::read_raw_values(
        std::span<const std::uint8_t>(data + kHeader, size - kHeader), layout, "fuzz.raw");
  } catch (const cathodelab::core::InputError&) {
  }
  return 0;
}
