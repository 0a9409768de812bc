// Experiment sentences -> typed steps, and the messages for bad sentences.
#include "cathodelab/echem/experiment.hpp"

#include "cathodelab/core/error.hpp"

#include <gtest/gtest.h>

namespace cathodelab::echem {
namespace {

TEST(Experiment, ParsesTheSentenceKinds) {
  const auto e = parse_experiment(
      "Discharge at 1C until 3.0 V; Charge at 0.5 mA/cm2 until 4.3 V; Hold at 4.3 V until C/20; "
      "Rest for 1 hour; Discharge at 2 A for 10 minutes; Sweep from 3.0 V to 4.3 V at 0.1 mV/s; "
      "Charge at C/3 for 2 hours or until 4.2 V; Discharge at 1 W until 3 V");
  ASSERT_EQ(e.steps.size(), 8U);
  EXPECT_EQ(e.steps[0].mode, StepMode::c_rate);
  EXPECT_DOUBLE_EQ(e.steps[0].value, 1.0);
  EXPECT_DOUBLE_EQ(e.steps[0].direction, 1.0);
  EXPECT_DOUBLE_EQ(*e.steps[0].voltage_limit, 3.0);
  EXPECT_EQ(e.steps[1].mode, StepMode::current_density);
  EXPECT_NEAR(e.steps[1].value, 5.0, 1e-12);  // 0.5 mA/cm2 = 5 A/m2
  EXPECT_DOUBLE_EQ(e.steps[1].direction, -1.0);
  EXPECT_EQ(e.steps[2].mode, StepMode::voltage);
  EXPECT_EQ(e.steps[2].current_limit->mode, StepMode::c_rate);
  EXPECT_DOUBLE_EQ(e.steps[2].current_limit->value, 0.05);
  EXPECT_EQ(e.steps[3].mode, StepMode::rest);
  EXPECT_DOUBLE_EQ(*e.steps[3].duration, 3600.0);
  EXPECT_EQ(e.steps[4].mode, StepMode::current);
  EXPECT_DOUBLE_EQ(*e.steps[4].duration, 600.0);
  EXPECT_EQ(e.steps[5].mode, StepMode::sweep);
  EXPECT_NEAR(e.steps[5].sweep_rate, 1e-4, 1e-15);
  EXPECT_NEAR(*e.steps[5].duration, 13000.0, 1e-6);
  EXPECT_DOUBLE_EQ(*e.steps[6].duration, 7200.0);
  EXPECT_DOUBLE_EQ(*e.steps[6].voltage_limit, 4.2);
  EXPECT_EQ(e.steps[7].mode, StepMode::power);
}

TEST(Experiment, RepeatsGroupsAsCycles) {
  const std::vector<std::string> texts{"Rest for 1 s",
                                       "(Discharge at 1C until 3 V; Charge at 1C until 4.2 V) x 3"};
  const auto e = parse_experiment(texts);
  ASSERT_EQ(e.steps.size(), 7U);
  EXPECT_EQ(e.cycle_count(), 4);
  EXPECT_EQ(e.steps[6].cycle, 3);
  EXPECT_EQ(parse_experiment("Discharge at 1C until 3 V; Rest for 1 s x 5 cycles").steps.size(),
            10U);
}

std::string message_of(const std::string& text) {
  try {
    (void)parse_experiment(text);
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Experiment, BadSentencesSayWhereAndSuggest) {
  const auto typo = message_of("Dischrage at 1C until 3 V");
  EXPECT_NE(typo.find("did you mean 'Discharge'"), std::string::npos) << typo;
  EXPECT_NE(typo.find("column 1"), std::string::npos) << typo;
  const auto unit = message_of("Discharge at 1C until 3 parsecs");
  EXPECT_NE(unit.find("column"), std::string::npos) << unit;
  const auto endless = message_of("Discharge at 1C");
  EXPECT_NE(endless.find("no end"), std::string::npos) << endless;
  const auto rest = message_of("Rest until 4 V");
  EXPECT_NE(rest.find("duration"), std::string::npos) << rest;
  const auto wrong = message_of("Charge at 4.2 V until C/20");
  EXPECT_NE(wrong.find("not a current"), std::string::npos) << wrong;
}

}  // namespace
}  // namespace cathodelab::echem
