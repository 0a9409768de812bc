// libFuzzer target: the study loader (io::parse_study, the same function `cathodelab check` and
// `run` call after reading the file) on arbitrary TOML text: [study], [[sweep]] blocks, inline
// materials, the schema check, and the expansion and resolution of every design (typed [protocol]
// and [microstructure] specs, the design calculator). The material library is read once.
// InputError and NumericalError are the expected answers; anything else is a finding.
#include "cathodelab/core/error.hpp"
#include "cathodelab/io/material_library.hpp"
#include "cathodelab/io/study_loader.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace {

std::shared_ptr<const cathodelab::materials::MaterialLibrary> library;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  library = std::make_shared<const cathodelab::materials::MaterialLibrary>(
      cathodelab::io::load_material_library(cathodelab::io::default_materials_dir()));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)cathodelab::io::parse_study(text, "fuzz/study.toml", {.library = library});
  } catch (const cathodelab::core::InputError&) {
  } catch (const cathodelab::core::NumericalError&) {
  }
  return 0;
}
