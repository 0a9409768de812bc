// Cycling protocols as PyBaMM-style sentences, parsed once into typed steps:
//   "Discharge at 1C until 3.0 V", "Charge at 0.5 mA/cm2 until 4.3 V", "Hold at 4.3 V until C/20",
//   "Rest for 1 hour", "Discharge at 2 A for 10 minutes", "Discharge at 1 W until 3 V",
//   "Charge at C/3 for 2 hours or until 4.2 V", "Sweep from 3.0 V to 4.3 V at 0.1 mV/s".
// An experiment string holds sentences separated by ';' (or newlines); a group repeats with
// "(...) x N" or a trailing "x N cycles". Errors name the sentence, the column and a did-you-mean.
// An experiment expands to at most 1,000,000 steps (repeats included); more is a core::InputError.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cathodelab::echem {

enum class StepMode {
  rest,             ///< zero current
  current,          ///< value [A]
  c_rate,           ///< value [1/h] multiples of the nominal capacity per hour
  current_density,  ///< value [A/m^2]
  power,            ///< value [W]
  voltage,          ///< value [V] hold
  sweep,            ///< linear voltage sweep from sweep_start to value at sweep_rate
};

/// What ends a step besides its duration.
struct CurrentLimit {
  double value = 0.0;  ///< magnitude in the unit of `mode` ([A], [1/h] or [A/m^2])
  StepMode mode = StepMode::current;
};

struct Step {
  std::string text;  ///< the sentence as written
  StepMode mode = StepMode::rest;
  double direction = 1.0;                     ///< +1 discharge, -1 charge (current-type modes)
  double value = 0.0;                         ///< magnitude in the unit of `mode`
  double sweep_start = 0.0;                   ///< [V] (sweep)
  double sweep_rate = 0.0;                    ///< [V/s] signed (sweep)
  std::optional<double> duration;             ///< [s]
  std::optional<double> voltage_limit;        ///< [V] ends the step when crossed
  std::optional<CurrentLimit> current_limit;  ///< |I| falls below (voltage holds)
  int cycle = 0;                              ///< 0-based cycle (repeat group) index
};

struct Experiment {
  std::vector<Step> steps;
  [[nodiscard]] int cycle_count() const { return steps.empty() ? 0 : steps.back().cycle + 1; }
};

/// Parses one sentence; throws core::InputError naming the sentence, the column and the fix.
[[nodiscard]] Step parse_step(std::string_view sentence);

/// Parses experiment strings: each is a ';'-separated group, repeated by "(...) x N" or
/// "... x N cycles". Consecutive strings become consecutive cycles.
[[nodiscard]] Experiment parse_experiment(std::span<const std::string> texts);
[[nodiscard]] Experiment parse_experiment(std::string_view text);

}  // namespace cathodelab::echem
