// Shared checks of command-line values (see argument_checks.hpp).
#include "argument_checks.hpp"

#include "cathodelab/core/error.hpp"

#include <fmt/format.h>

#include <unistd.h>
#include <charconv>
#include <cmath>
#include <fstream>
#include <system_error>

namespace cathodelab::apps {

namespace fs = std::filesystem;
using core::InputError;

void require_positive_finite(double value, const std::string& flag, const std::string& example) {
  if (!(value > 0.0) || !std::isfinite(value)) {
    throw InputError(fmt::format("must be a positive finite number, got {}", value), flag,
                     fmt::format("give e.g. {} {}", flag, example));
  }
}

void require_non_negative_finite(double value, const std::string& flag,
                                 const std::string& example) {
  if (!(value >= 0.0) || !std::isfinite(value)) {
    throw InputError(fmt::format("must be a finite number >= 0, got {}", value), flag,
                     fmt::format("give e.g. {} {}", flag, example));
  }
}

void require_count_in(long long value, const std::string& flag, long long lowest, long long highest,
                      long long example, const std::string& why_highest) {
  if (value < lowest) {
    throw InputError(fmt::format("must be at least {}, got {}", lowest, value), flag,
                     fmt::format("give e.g. {} {}", flag, example));
  }
  if (value > highest) {
    throw InputError(fmt::format("{} is above the limit of {} ({})", value, highest, why_highest),
                     flag, fmt::format("give at most {} {}", flag, highest));
  }
}

std::uint64_t parse_seed(const std::string& text, const std::string& flag) {
  std::uint64_t seed = 0;
  const char* end = text.data() + text.size();
  const bool digits_only =
      !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  const auto [ptr, ec] = std::from_chars(text.data(), end, seed);
  if (!digits_only || ec != std::errc{} || ptr != end) {
    const bool too_large = digits_only && ec == std::errc::result_out_of_range;
    throw InputError(
        too_large ? fmt::format("seed {} is larger than 2^64 - 1", text)
                  : fmt::format("seed '{}' is not a whole number >= 0", text),
        flag, fmt::format("give a whole number from 0 to 18446744073709551615, e.g. {} 42", flag));
  }
  return seed;
}

fs::path prepare_output_folder(const std::string& path, const std::string& flag) {
  fs::path dir(path);
  if (path.empty()) {
    throw InputError("the output folder is empty", flag, fmt::format("give e.g. {} results", flag));
  }
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw InputError(fmt::format("output folder '{}' is an existing file, not a folder", path),
                     flag, fmt::format("give a new folder name, e.g. {} results", flag));
  }
  fs::create_directories(dir, ec);
  if (ec) {
    throw InputError(fmt::format("cannot create output folder '{}': {}", path, ec.message()), flag,
                     "choose a folder you can write to");
  }
  // A folder that exists but refuses new files would fail only after the computation.
  const fs::path probe = dir / fmt::format(".cathodelab-write-test-{}", getpid());
  {
    std::ofstream out(probe);
    if (!out) {
      throw InputError(fmt::format("cannot write into output folder '{}'", path), flag,
                       "choose a folder you can write to");
    }
  }
  fs::remove(probe, ec);
  return dir;
}

}  // namespace cathodelab::apps
