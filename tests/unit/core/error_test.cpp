#include "cathodelab/core/error.hpp"
#include "cathodelab/core/suggest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cl = cathodelab::core;

TEST(InputError, MessageNamesFilePositionKeyAndFix) {
  const cl::InputError error("no unit given", "cathode.thickness", "write it as \"80 um\"",
                             {"study.toml", 12, 5});
  EXPECT_STREQ(error.what(),
               "study.toml:12:5: key 'cathode.thickness': no unit given; write it as \"80 um\"");
}

TEST(InputError, UnderAndAtComposeKeyPathAndPosition) {
  const cl::InputError inner("must be positive", "thickness");
  const cl::InputError outer = inner.under("cathode").at({"a.toml", 3, 1});
  EXPECT_EQ(outer.key_path(), "cathode.thickness");
  EXPECT_STREQ(outer.what(), "a.toml:3:1: key 'cathode.thickness': must be positive");
}

TEST(NumericalError, CarriesStatistics) {
  cl::SolveStats stats{.converged = false, .iterations = 500, .residual = 1e-3, .method = "pcg"};
  const cl::NumericalError error("stagnated", stats);
  EXPECT_EQ(error.stats().iterations, 500);
  EXPECT_NE(std::string(error.what()).find("500 iterations"), std::string::npos);
}

TEST(NumericalError, ShowsSmallResidualsInScientificNotation) {
  // A residual just above a 1e-6 tolerance must not print as "0.000000".
  cl::SolveStats stats{.converged = false, .iterations = 546, .residual = 2.5e-6, .method = "pcg"};
  const std::string text = cl::NumericalError("did not converge", stats).what();
  EXPECT_NE(text.find("relative residual 2.5e-06"), std::string::npos) << text;
}

TEST(Suggest, FindsNearestOption) {
  const std::vector<std::string> options{"butler-volmer", "linear", "marcus"};
  EXPECT_EQ(cl::nearest("butler-volmr", options).value_or(""), "butler-volmer");
  EXPECT_FALSE(cl::nearest("zzzzzz", options).has_value());
  EXPECT_EQ(cl::edit_distance("abcd", "abdc"), 1U);  // transposition counts once
}

TEST(Suggest, LengthGapAtTheThresholdStillCounts) {
  // "abcdefghijklmnop" (16 letters) accepts distances up to max(2, 16/3) = 5. An option 5 letters
  // shorter is exactly 5 deletions away, so it must still be found; one 6 shorter is too far, and
  // so is a word thousands of letters long (a garbled value), whose distance is its length gap.
  const std::vector<std::string> five_shorter{"abcdefghijk"};
  EXPECT_EQ(cl::nearest("abcdefghijklmnop", five_shorter).value_or(""), "abcdefghijk");
  const std::vector<std::string> six_shorter{"abcdefghij"};
  EXPECT_FALSE(cl::nearest("abcdefghijklmnop", six_shorter).has_value());
  EXPECT_FALSE(cl::nearest(std::string(5000, 'm'), five_shorter).has_value());
}

TEST(Suggest, ThrowUnknownListsValidValues) {
  const std::vector<std::string> options{"butler-volmer", "linear"};
  try {
    cl::throw_unknown("kinetics", "butler-volmr", options, "cathode.kinetics");
    FAIL() << "expected an InputError";
  } catch (const cl::InputError& e) {
    EXPECT_STREQ(e.what(),
                 "key 'cathode.kinetics': unknown kinetics 'butler-volmr'; did you mean "
                 "'butler-volmer'? (valid: butler-volmer, linear)");
  }
}
