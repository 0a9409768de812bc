// libFuzzer target: the microstructure recipe reader (the [microstructure] section of a
// `cathodelab build` file: domain, voxel size, phases, packing) on arbitrary TOML text, through the
// same io::parse_toml_input and detail::read_generation_spec that io::load_generation_spec calls
// after reading the file. InputError (a TOML syntax error or a refused value) is the expected
// answer; anything else is a finding.
#include "cathodelab/core/error.hpp"
#include "cathodelab/core/input_reader.hpp"
#include "cathodelab/io/input_file.hpp"
#include "io/microstructure_spec_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const cathodelab::core::InputTree tree = cathodelab::io::parse_toml_input(text, "fuzz.toml");
    const cathodelab::core::InputReader root(tree);
    if (!root.has({"microstructure"})) return 0;
    (void)cathodelab::io::detail::read_generation_spec(root.section({"microstructure"}));
  } catch (const cathodelab::core::InputError&) {
  }
  return 0;
}
