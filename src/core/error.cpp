// The error types' messages: FILE:LINE:COL: key 'a.b': problem; fix (InputError), and solver
// statistics for NumericalError.
#include "cathodelab/core/error.hpp"

#include <fmt/format.h>

#include <utility>

namespace cathodelab::core {
namespace {

std::string compose(const std::string& problem, const std::string& key_path, const std::string& fix,
                    const SourceLocation& where) {
  std::string text;
  if (!where.file.empty()) {
    text += where.file;
    if (where.line > 0) {
      text += ":" + std::to_string(where.line);
      if (where.column > 0) {
        text += ":" + std::to_string(where.column);
      }
    }
    text += ": ";
  }
  if (!key_path.empty()) {
    text += "key '" + key_path + "': ";
  }
  text += problem;
  if (!fix.empty()) {
    text += "; " + fix;
  }
  return text;
}

}  // namespace

InputError::InputError(std::string problem, std::string key_path, std::string fix,
                       SourceLocation where)
    : Error(compose(problem, key_path, fix, where)),
      problem_(std::move(problem)),
      key_path_(std::move(key_path)),
      fix_(std::move(fix)),
      where_(std::move(where)) {}

InputError InputError::at(SourceLocation where) const {
  return {problem_, key_path_, fix_, std::move(where)};
}

InputError InputError::under(const std::string& parent_key) const {
  std::string key = parent_key;
  if (!key_path_.empty()) {
    key += key.empty() ? key_path_ : "." + key_path_;
  }
  return {problem_, key, fix_, where_};
}

NumericalError::NumericalError(const std::string& what, SolveStats stats)
    : Error(fmt::format("{} ({}: {} iterations, relative residual {:.3g}{}{})", what, stats.method,
                        stats.iterations, stats.residual, stats.message.empty() ? "" : ", ",
                        stats.message)),
      stats_(std::move(stats)) {}

}  // namespace cathodelab::core
