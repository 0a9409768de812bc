// Memory checks before large allocations: the memory the OS reports available (MemAvailable) and
// the refusal, in GB, of a need above it.
#include "cathodelab/core/memory.hpp"

#include "cathodelab/core/error.hpp"

#include <fmt/format.h>

#include <fstream>
#include <string>

namespace cathodelab::core {

std::size_t available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::size_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit) {
    if (key == "MemAvailable:") {
      return kib * 1024;
    }
  }
  return 0;
}

void require_memory(std::size_t bytes, std::string_view what, double fraction) {
  const std::size_t available = available_memory_bytes();
  if (available == 0) {
    return;
  }
  if (static_cast<double>(bytes) > fraction * static_cast<double>(available)) {
    constexpr double gb = 1e9;
    throw InputError(
        fmt::format("{} needs {:.2f} GB of memory but only {:.2f} GB are available", what,
                    static_cast<double>(bytes) / gb, static_cast<double>(available) / gb),
        "", "reduce the domain size or coarsen the voxel size");
  }
}

}  // namespace cathodelab::core
