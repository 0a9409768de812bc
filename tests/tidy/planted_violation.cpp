// A file with a known clang-tidy finding, so that the style gate is shown to fail
// (ctest style.clang_tidy_planted_violation_fails): a string copied where it is only read.
#include <string>

int planted_length(const std::string& text) {
  const std::string copy = text;  // performance-unnecessary-copy-initialization
  return static_cast<int>(copy.size());
}
