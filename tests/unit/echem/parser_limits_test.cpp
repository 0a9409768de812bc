// Inputs that once overflowed the stack or grew memory without end in the expression and
// experiment parsers: each must be refused with an InputError naming the key and the limit, and
// inputs just inside the limits must still parse to the right value.
#include "cathodelab/echem/experiment.hpp"
#include "cathodelab/echem/expression.hpp"

#include "cathodelab/core/error.hpp"

#include "support/input_error_text.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace cathodelab::echem {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string repeated(const std::string& piece, std::size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (std::size_t n = 0; n < times; ++n) out += piece;
  return out;
}

std::string expression_error(const std::string& text) {
  return test::input_error_text([&] { (void)Expression::parse(text, {"x"}, "positive.ocp"); });
}

TEST(ExpressionLimits, DeepNestingIsAnInputErrorNotAStackOverflow) {
  const std::vector<std::string> deep{
      repeated("(", 20000) + "x" + repeated(")", 20000),   // parentheses
      repeated("-", 200000) + "x",                         // unary minus signs
      repeated("+", 200000) + "x",                         // unary plus signs
      repeated("2^", 100000) + "x",                        // right-associative powers
      repeated("exp(", 5000) + "x" + repeated(")", 5000),  // function calls
      repeated("min(x, ", 5000) + "x" + repeated(")", 5000),
  };
  for (const std::string& text : deep) {
    const std::string message = expression_error(text);
    EXPECT_TRUE(contains(message, "nests deeper than 256 levels")) << message.substr(0, 300);
    EXPECT_TRUE(contains(message, "key 'positive.ocp'")) << message.substr(0, 300);
    EXPECT_TRUE(contains(message, "simplify it")) << message.substr(0, 300);
    EXPECT_LT(message.size(), 1000U) << "the message quotes a shortened expression";
  }
}

TEST(ExpressionLimits, NestingJustInsideTheLimitEvaluates) {
  // 250 levels of "1 + 2 * (...)" keep two operands waiting per level, more than the old 64-slot
  // evaluation stack held. The expected value comes from the same recurrence in a loop.
  constexpr int levels = 250;
  const std::string text = repeated("1 + 2*(", levels) + "x" + repeated(")", levels);
  const Expression e = Expression::parse(text, {"x"});
  const double x = 0.25;
  double expected = x;
  for (int n = 0; n < levels; ++n) expected = 1.0 + 2.0 * expected;
  EXPECT_DOUBLE_EQ(e(x), expected);
  // Two-argument functions keep three operands waiting per level.
  const std::string mins = repeated("x + 1*min(x, x + 1*(", 120) + "x" + repeated("))", 120);
  EXPECT_NO_THROW((void)Expression::parse(mins, {"x"})(1.0));
  EXPECT_DOUBLE_EQ(Expression::parse(repeated("-", 255) + "x", {"x"})(2.0), -2.0);
}

TEST(ExpressionLimits, LongFlatSumsAreNotNested) {
  // A sum of 100000 terms is one level deep: parsed in one pass, evaluated on a two-slot stack.
  const std::string text = "x" + repeated(" + x", 99999);
  EXPECT_DOUBLE_EQ(Expression::parse(text, {"x"})(0.5), 50000.0);
}

TEST(ExpressionLimits, NumbersOutOfRangeAreRefused) {
  for (const char* text : {"1e400*x", "x + 1e-400", "1e99999999999999999999"}) {
    const std::string message = expression_error(text);
    EXPECT_TRUE(contains(message, "number out of range")) << text << ": " << message;
    EXPECT_TRUE(contains(message, "key 'positive.ocp'")) << message;
  }
}

TEST(ExperimentLimits, SixtyThousandCharactersParseInOnePass) {
  // About 60 KB of sentences, once a stack overflow inside std::regex.
  const std::string text = repeated("Rest for 1 s; ", 4300);
  ASSERT_GT(text.size(), 60000U);
  EXPECT_EQ(parse_experiment(text).steps.size(), 4300U);
  const auto repeated_group = parse_experiment("(" + text + ") x 2");
  EXPECT_EQ(repeated_group.steps.size(), 8600U);
  EXPECT_EQ(repeated_group.cycle_count(), 2);
  // One 65 KB sentence with thousands of clauses.
  const std::string sentence = "Discharge at 1C until 3 V" + repeated(" or until 3 V", 5000);
  const auto one = parse_experiment(sentence);
  ASSERT_EQ(one.steps.size(), 1U);
  EXPECT_DOUBLE_EQ(*one.steps[0].voltage_limit, 3.0);
}

TEST(ExperimentLimits, HugeRepeatCountsAreRefusedWithTheLimit) {
  for (const char* text : {"(Rest for 1 s) x 99999999999999999999999999",
                           "(Rest for 1 s) x 100000000", "Rest for 1 s x 100000000 cycles"}) {
    const std::string message = test::input_error_text([&] { (void)parse_experiment(text); });
    EXPECT_TRUE(contains(message, "limit of 1000000 steps")) << message;
    EXPECT_TRUE(contains(message, "key 'experiment'")) << message;
    EXPECT_TRUE(contains(message, "repeat fewer cycles")) << message;
  }
  // The limit is on the expanded total: 3 steps x 400000 and two strings of 600000 each.
  const std::string three = test::input_error_text(
      [] { (void)parse_experiment("(Rest for 1 s; Rest for 2 s; Rest for 3 s) x 400000"); });
  EXPECT_TRUE(contains(three, "3 steps repeated 400000 times")) << three;
  const std::vector<std::string> two{"(Rest for 1 s) x 600000", "(Rest for 1 s) x 600000"};
  EXPECT_TRUE(
      contains(test::input_error_text([&] { (void)parse_experiment(two); }), "limit of 1000000"));
  EXPECT_TRUE(contains(test::input_error_text([] { (void)parse_experiment("(Rest for 1 s) x 0"); }),
                       "at least once"));
}

TEST(ExperimentLimits, RepeatFormsOfTheOldGrammarStillParse) {
  const auto count = [](const std::string& text) { return parse_experiment(text).steps.size(); };
  EXPECT_EQ(count("Rest for 1 s X 2"), 2U);
  EXPECT_EQ(count("Rest for 1 s * 3 cycle"), 3U);
  EXPECT_EQ(count("  ( Rest for 1 s; Rest for 2 s )x4  "), 8U);
  EXPECT_EQ(count("(Rest for 1 s)*2cycles"), 2U);
  EXPECT_EQ(count("Rest for 1 s"), 1U);
  // A group over several lines repeats as a whole.
  EXPECT_EQ(count("Discharge at 1C until 3 V\nRest for 1 s x 3"), 6U);
  const auto e = parse_experiment("Discharge at C / 5 until 3 V; Charge at 1 mA/cm2 until 4 V");
  EXPECT_EQ(e.steps[0].mode, StepMode::c_rate);
  EXPECT_DOUBLE_EQ(e.steps[0].value, 0.2);
  EXPECT_EQ(e.steps[1].mode, StepMode::current_density);
  EXPECT_NEAR(e.steps[1].value, 10.0, 1e-12);  // 1 mA/cm^2 = 10 A/m^2
}

}  // namespace
}  // namespace cathodelab::echem
