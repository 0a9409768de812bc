// Did-you-mean: the nearest valid option by case-insensitive edit distance with adjacent
// transpositions (optimal string alignment distance).
#include "cathodelab/core/suggest.hpp"

#include "cathodelab/core/error.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace cathodelab::core {
namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::size_t> d((n + 1) * (m + 1));
  auto at = [m1 = m + 1, &d](std::size_t i, std::size_t j) -> std::size_t& {
    return d[i * m1 + j];
  };
  for (std::size_t i = 0; i <= n; ++i) at(i, 0) = i;
  for (std::size_t j = 0; j <= m; ++j) at(0, j) = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(n, m);
}

std::optional<std::string> nearest(std::string_view word, std::span<const std::string> options) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& option : options) {
    // The distance is at least the difference in length: a word far longer than every option
    // (a garbled value, a pasted line) is then refused without filling an n x m table each time.
    const std::size_t length_gap =
        word.size() > option.size() ? word.size() - option.size() : option.size() - word.size();
    if (length_gap >= best_distance) continue;
    const std::size_t distance = edit_distance(word, option);
    if (distance < best_distance) {
      best_distance = distance;
      best = option;
    }
  }
  return best;
}

std::string suggestion_text(std::string_view word, std::span<const std::string> options,
                            std::size_t max_listed) {
  std::string text;
  if (auto near = nearest(word, options)) {
    text = "did you mean '" + *near + "'? (";
  } else {
    text = "(";
  }
  text += "valid: ";
  for (std::size_t i = 0; i < options.size() && i < max_listed; ++i) {
    text += (i == 0 ? "" : ", ") + options[i];
  }
  if (options.size() > max_listed) {
    text += ", ... " + std::to_string(options.size() - max_listed) + " more";
  }
  return text + ")";
}

void throw_unknown(std::string_view what, std::string_view word,
                   std::span<const std::string> options, const std::string& key_path) {
  throw InputError("unknown " + std::string(what) + " '" + std::string(word) + "'", key_path,
                   suggestion_text(word, options));
}

}  // namespace cathodelab::core
