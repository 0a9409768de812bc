// Checks of command-line values shared by the subcommands: numbers that must be positive and
// finite, counts inside a bound, seeds, and output folders that must be creatable. Each failure is
// a core::InputError naming the flag and the fix (exit code 2), raised before any work starts, so a
// mistyped flag never reaches a library precondition (exit 70) or a filesystem exception.
#pragma once

#include "cathodelab/core/error.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace cathodelab::apps {

/// Refuses NaN, infinities, zero and negative values of `flag`; `example` is a valid value.
void require_positive_finite(double value, const std::string& flag, const std::string& example);

/// Refuses NaN, infinities and negative values of `flag` (zero is allowed).
void require_non_negative_finite(double value, const std::string& flag, const std::string& example);

/// Refuses `value` outside [lowest, highest]; `example` is a sensible value and `why_highest`
/// says what the upper bound protects (e.g. the memory the request would take).
void require_count_in(long long value, const std::string& flag, long long lowest, long long highest,
                      long long example, const std::string& why_highest);

/// A seed written on the command line: a decimal integer in [0, 2^64 - 1]. Signs, fractions,
/// exponents and out-of-range numbers are refused instead of being wrapped or rounded.
[[nodiscard]] std::uint64_t parse_seed(const std::string& text, const std::string& flag);

/// Creates the output folder `path` given with `flag` (and its parents) and checks that a file can
/// be written in it. An existing file of that name, a parent that is a file, or a folder that
/// cannot be created or written is an InputError naming the folder and the reason.
std::filesystem::path prepare_output_folder(const std::string& path, const std::string& flag);

/// Runs `work()`; an InputError that names no file is re-thrown naming `file`. Stages derive their
/// inputs from a study file they never see by name (e.g. a design's microstructure recipe), so
/// their errors carry only the key until the command that read the file adds it.
template <class Work>
decltype(auto) naming_file(const std::string& file, Work&& work) {
  try {
    return work();
  } catch (const core::InputError& e) {
    if (!e.where().file.empty()) throw;
    throw e.at({file, 0, 0});
  }
}

}  // namespace cathodelab::apps
