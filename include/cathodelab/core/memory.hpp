// Memory budgeting: check a large allocation against the memory actually available before making it
// (DEVELOPERS.md: "Check memory needs before large allocations").
#pragma once

#include <cstddef>
#include <string_view>

namespace cathodelab::core {

/// [byte] memory the OS reports as available now (Linux MemAvailable); 0 if unknown.
[[nodiscard]] std::size_t available_memory_bytes();

/// Throws InputError naming `what`, the bytes needed and available (in GB) and a fix, when `bytes`
/// exceeds `fraction` of the available memory. Does nothing when availability is unknown.
void require_memory(std::size_t bytes, std::string_view what, double fraction = 0.9);

}  // namespace cathodelab::core
