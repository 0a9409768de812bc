// libFuzzer target: the microstructure recipe reader (the [microstructure] section of a
// `cathodelab build` file: domain, voxel size, phases, packing) on arbitrary TOML text, through the
// same detail::read_generation_spec that io::load_generation_spec calls after reading the file.
// A TOML syntax error (toml::parse_error, which the file reader turns into an InputError) and
// InputError are the expected answers; anything else is a finding.
#include "cathodelab/core/error.hpp"
#include "io/microstructure_spec_reader.hpp"

#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const toml::table root = toml::parse(text, std::string_view("fuzz.toml"));
    const toml::node* section = root.get("microstructure");
    if (section == nullptr || !section->is_table()) return 0;
    (void)cathodelab::io::detail::read_generation_spec(*section->as_table(), "fuzz.toml",
                                                       "microstructure");
  } catch (const toml::parse_error&) {
  } catch (const cathodelab::core::InputError&) {
  }
  return 0;
}
