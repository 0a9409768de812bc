// Provenance of a run: code version and git sha, build type, compiler, library versions, date,
// cores and seed, written into every result folder.
#include "cathodelab/io/provenance.hpp"

#include "cathodelab/core/build_info.hpp"

#include <fmt/format.h>
#include <png.h>
#include <tiffvers.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <thread>

#ifndef CATHODELAB_SUNDIALS_VERSION
#define CATHODELAB_SUNDIALS_VERSION "unknown"
#endif

namespace cathodelab::io {

Provenance dependency_versions() {
  return {
      {"fmt",
       fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100)},
      {"toml++", fmt::format("{}.{}.{}", TOML_LIB_MAJOR, TOML_LIB_MINOR, TOML_LIB_PATCH)},
      {"nlohmann-json", fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR,
                                    NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH)},
      // SUNDIALS stays inside numerics; its version comes from CMake's find_package.
      {"SUNDIALS", CATHODELAB_SUNDIALS_VERSION},
      {"libtiff", fmt::format("{}.{}.{}", TIFFLIB_MAJOR_VERSION, TIFFLIB_MINOR_VERSION,
                              TIFFLIB_MICRO_VERSION)},
      {"libpng", PNG_LIBPNG_VER_STRING},
  };
}

Provenance collect_provenance(std::uint64_t study_seed) {
  const auto& build = core::build_info();
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &utc);
  Provenance p{
      {"cathodelab version", build.version},
      {"git sha", build.git_sha},
      {"build type", build.build_type},
      {"compiler", build.compiler},
      {"date (UTC)", date},
      {"host cores", std::to_string(std::thread::hardware_concurrency())},
      {"study seed", std::to_string(study_seed)},
  };
  for (auto& [name, version] : dependency_versions()) p.emplace_back(name, version);
  return p;
}

}  // namespace cathodelab::io
