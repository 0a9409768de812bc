// Memory budgeting: check a large allocation against the memory actually available before making it
// (DEVELOPERS.md: "Check memory needs before large allocations"), and multiply sizes taken from
// input without wrapping around (a wrapped product would allocate a small buffer and then write
// past it).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace cathodelab::core {

/// [byte] memory the OS reports as available now (Linux MemAvailable); 0 if unknown.
[[nodiscard]] std::size_t available_memory_bytes();

/// Throws InputError naming `what`, the bytes needed and available (in GB) and a fix, when `bytes`
/// exceeds `fraction` of the available memory. Does nothing when availability is unknown.
void require_memory(std::size_t bytes, std::string_view what, double fraction = 0.9);

/// Product of sizes (dimensions, counts, element sizes); nullopt when it does not fit in
/// std::size_t. Use it wherever sizes that come from input are multiplied.
[[nodiscard]] constexpr std::optional<std::size_t> checked_product(
    std::initializer_list<std::size_t> factors) {
  std::size_t product = 1;
  for (const std::size_t factor : factors) {
    if (factor == 0) return 0;
  }
  for (const std::size_t factor : factors) {
    if (__builtin_mul_overflow(product, factor, &product)) return std::nullopt;
  }
  return product;
}

}  // namespace cathodelab::core
