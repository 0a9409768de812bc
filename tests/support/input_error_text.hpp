// Test support shared by the unit and verification tests: the message of the core::InputError an
// action throws, so that tests assert on the one wording of input errors (core/input_reader.hpp).
#pragma once

#include "cathodelab/core/error.hpp"

#include <string>

namespace cathodelab::test {

/// The InputError's full message (`FILE:LINE:COL: key 'k': problem; fix`), or "no error" when the
/// action returns normally. Any other exception propagates, so it fails the test.
template <class Action>
std::string input_error_text(Action&& action) {
  try {
    action();
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace cathodelab::test
