// What built this binary: provenance recorded in every result folder (ARCHITECTURE.md section 4).
#pragma once

#include <string>

namespace cathodelab::core {

struct BuildInfo {
  std::string version;     ///< project version, e.g. "0.1.0"
  std::string git_sha;     ///< short sha at configure time, "-dirty" when the tree had changes
  std::string build_type;  ///< CMake build type
  std::string compiler;    ///< compiler id and version
};

[[nodiscard]] const BuildInfo& build_info();

}  // namespace cathodelab::core
