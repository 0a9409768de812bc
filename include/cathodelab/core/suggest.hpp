// "Did you mean" for enumerated options and misspelt keys (ARCHITECTURE.md section 5): one helper
// that lists the valid values and proposes the nearest by Damerau-Levenshtein (optimal string
// alignment) distance.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cathodelab::core {

/// Edit distance with adjacent transpositions, case-insensitive.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

/// The option nearest to `word`, if it is close enough to be a plausible typo
/// (distance <= max(2, |word|/3)).
[[nodiscard]] std::optional<std::string> nearest(std::string_view word,
                                                 std::span<const std::string> options);

/// "did you mean 'x'? (valid: a, b, c)" or "valid: a, b, c" when nothing is near; lists at most
/// `max_listed` options.
[[nodiscard]] std::string suggestion_text(std::string_view word,
                                          std::span<const std::string> options,
                                          std::size_t max_listed = 12);

/// Throws InputError "unknown <what> 'word'; did you mean ...".
[[noreturn]] void throw_unknown(std::string_view what, std::string_view word,
                                std::span<const std::string> options,
                                const std::string& key_path = {});

}  // namespace cathodelab::core
