// The error hierarchy of cathodelab (ARCHITECTURE.md section 5).
//
// One root `Error`; `InputError` is the user's fault and says where (file, line:column, key path),
// what is wrong and what to do; `NumericalError` carries the statistics of the solve that failed;
// `InternalError` is a bug. The CLI maps InputError to exit code 2.
#pragma once

#include "cathodelab/core/solve_stats.hpp"

#include <stdexcept>
#include <string>

namespace cathodelab::core {

/// Where in an input a value came from. An empty file means "not from a file" (CLI flag, API call).
struct SourceLocation {
  std::string file;
  int line = 0;    ///< 1-based; 0 = unknown
  int column = 0;  ///< 1-based; 0 = unknown
};

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The user's input is wrong. The message reads
/// `FILE:LINE:COL: key 'a.b.c': PROBLEM; FIX` with the parts that are known.
class InputError : public Error {
 public:
  InputError(std::string problem, std::string key_path = {}, std::string fix = {},
             SourceLocation where = {});

  [[nodiscard]] const std::string& problem() const noexcept { return problem_; }
  [[nodiscard]] const std::string& key_path() const noexcept { return key_path_; }
  [[nodiscard]] const std::string& fix() const noexcept { return fix_; }
  [[nodiscard]] const SourceLocation& where() const noexcept { return where_; }

  /// The same error, placed at a file position (io adds positions to errors raised by parsers
  /// that only knew the key).
  [[nodiscard]] InputError at(SourceLocation where) const;
  /// The same error under a longer key path ("cathode" + "thickness" -> "cathode.thickness").
  [[nodiscard]] InputError under(const std::string& parent_key) const;

 private:
  std::string problem_;
  std::string key_path_;
  std::string fix_;
  SourceLocation where_;
};

/// A solver did not converge or produced a non-finite state. Carries the solver's statistics.
class NumericalError : public Error {
 public:
  NumericalError(const std::string& what, SolveStats stats);
  [[nodiscard]] const SolveStats& stats() const noexcept { return stats_; }

 private:
  SolveStats stats_;
};

/// A broken invariant inside cathodelab: a bug, never the user's fault.
class InternalError : public Error {
 public:
  using Error::Error;
};

/// Always-on precondition check for API boundaries: throws InternalError naming the condition.
#define CATHODELAB_REQUIRE(condition, message)                                                    \
  do {                                                                                            \
    if (!(condition)) {                                                                           \
      throw ::cathodelab::core::InternalError(std::string("precondition failed: ") + #condition + \
                                              ": " + (message));                                  \
    }                                                                                             \
  } while (false)

}  // namespace cathodelab::core
