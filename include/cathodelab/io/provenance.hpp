// Provenance of a run (ARCHITECTURE.md section 4): code version and git sha, build type, compiler,
// the versions of the libraries compiled in (from their version macros), the date in UTC, the
// host's core count, the seeds. Recorded in study.json and shown in the report header.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cathodelab::io {

/// Ordered (name, value) pairs, e.g. ("git sha", "1a2b3c4d5e6f").
using Provenance = std::vector<std::pair<std::string, std::string>>;

/// Versions of fmt, toml++, nlohmann-json, SUNDIALS, libtiff and libpng this binary was built with.
[[nodiscard]] Provenance dependency_versions();

/// Everything above plus the date (UTC, ISO 8601), host cores and the study seed.
[[nodiscard]] Provenance collect_provenance(std::uint64_t study_seed);

}  // namespace cathodelab::io
