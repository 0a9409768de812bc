#include "cathodelab/study/cell_stage.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/units.hpp"
#include "cathodelab/echem/experiment.hpp"
#include "cathodelab/echem/simulate.hpp"
#include "cathodelab/study/analysis_stage.hpp"
#include "cathodelab/study/homogenize.hpp"
#include "whole_path_inputs.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace cathodelab::study {
namespace {

using core::InputError;

const std::vector<KeyPath>& known_protocol_keys() {
  static const std::vector<KeyPath> keys = {
      {"rate_test"},
      {"rate_test_cutoff"},
      {"exchange_current_density"},
      {"lithium_exchange_current_density"},
      {"initial_state_of_charge"},
      {"lower_voltage_limit"},
      {"upper_voltage_limit"},
  };
  return keys;
}

struct RateTest {
  std::vector<std::string> rates;  // as written ("1C")
  double cutoff = 2.5;             // [V]
};

RateTest rate_test(const Design& design) {
  const detail::SectionReader r(design.cell.protocol_options, "protocol");
  RateTest t;
  t.rates = r.text_list({"rate_test"}, "[\"C/10\", \"1C\", \"5C\"]").value_or(t.rates);
  for (const auto& rate : t.rates) {
    try {
      const double value = core::parse_c_rate(rate, "protocol.rate_test");
      if (!(value > 0.0)) throw InputError("a rate must be positive", "protocol.rate_test");
    } catch (const InputError& e) {
      throw e.at(r.find({"rate_test"})->where);
    }
  }
  t.cutoff = r.quantity({"rate_test_cutoff"}, core::dim::voltage, "\"2.5 V\"").value_or(t.cutoff);
  return t;
}

echem::Experiment experiment_of(const Design& design) {
  try {
    return echem::parse_experiment(design.cell.protocol);
  } catch (const InputError& e) {
    throw e.key_path().empty() ? e.under("protocol.experiment") : e;
  }
}

bool is_discharge(const echem::StepSummary& s) {
  return !s.text.empty() && (s.text[0] == 'D' || s.text[0] == 'd') && s.capacity > 0.0;
}

[[noreturn]] void fail(const echem::CellResult& r) {
  const auto& f = *r.failure;
  throw core::NumericalError(
      fmt::format("step {} \"{}\" at t = {:.1f} s: {}", f.step + 1, f.step_text, f.time, f.reason),
      r.solver);
}

Table voltage_curve(const echem::CellResult& r, double active_mass) {
  Table t;
  t.columns = {"Time [s]", "Voltage [V]", "Current [A]", "Discharge capacity [A.h]",
               "Discharge capacity [mA.h.g-1]"};
  const auto& ts = r.timeseries;
  t.rows.reserve(ts.time.size());
  for (std::size_t i = 0; i < ts.time.size(); ++i) {
    // 1 A.h per kg is 1 mA.h per g.
    t.rows.push_back({ts.time[i], ts.voltage[i], ts.current[i], ts.discharge_capacity[i],
                      ts.discharge_capacity[i] / active_mass});
  }
  return t;
}

class CellStage final : public Stage {
 public:
  [[nodiscard]] std::string_view name() const override { return cell_stage_name; }

  [[nodiscard]] bool applies(const Design& design) const override {
    return !design.cell.protocol.empty() ||
           design.cell.protocol_options.count(KeyPath{"rate_test"}) != 0;
  }

  void validate(const Design& design) const override {
    detail::SectionReader(design.cell.protocol_options, "protocol")
        .refuse_unknown(known_protocol_keys());
    (void)experiment_of(design);
    (void)rate_test(design);
    (void)cell_model_options(design);
    // The material data the cell model needs (OCP, concentration, separator conductivity).
    (void)homogenization_input(design, calculate_design(calculator_input(design)), std::nullopt);
  }

  void run(const Design& design, DesignResult& result) const override {
    const echem::Experiment experiment = experiment_of(design);
    const RateTest rates = rate_test(design);
    const CalculatorResult calculation = calculate_design(calculator_input(design));
    const auto analysis = analysis_payload(result);
    std::optional<EffectiveCathodeProperties> effective;
    if (analysis) effective = analysis->effective_properties();
    const HomogenizedCell cell = homogenize(homogenization_input(design, calculation, effective));
    for (const auto& [name, value] : cell.scalars) result.scalars[name] = value;
    for (const auto& [name, value] : cell.texts) result.texts[name] = value;
    const double active_mass = echem::positive_active_mass(cell.parameters);  // [kg]
    const double area_cm2 = cell.parameters.area * 1e4;
    auto& s = result.scalars;

    if (!cell.blocked_reason.empty()) {
      result.texts["Cell result"] = cell.blocked_reason;
      s["Discharge capacity [mA.h.g-1]"] = 0.0;
      s["Discharge capacity [mA.h.cm-2]"] = 0.0;
      s["Energy [W.h]"] = 0.0;
      for (const auto& rate : rates.rates) s["Capacity at " + rate + " [mA.h.g-1]"] = 0.0;
      return;
    }

    if (!experiment.steps.empty()) {
      const echem::CellResult r = echem::simulate(cell.parameters, experiment);
      if (r.failure) fail(r);
      result.tables["Voltage curve"] = voltage_curve(r, active_mass);
      double capacity = 0.0;  // [A h] discharge steps of the first cycle
      double energy = 0.0;    // [W h]
      for (const auto& step : r.steps) {
        if (step.cycle == 0 && is_discharge(step)) {
          capacity += step.capacity;
          energy += step.energy;
        }
      }
      s["Discharge capacity [mA.h.g-1]"] = capacity / active_mass;
      s["Discharge capacity [mA.h.cm-2]"] = capacity * 1e3 / area_cm2;
      s["Energy [W.h]"] = energy;
      if (capacity > 0.0) s["Mean discharge voltage [V]"] = energy / capacity;
      s["Cell-model unknowns [-]"] = r.unknowns;
      s["Cell-model solver steps [-]"] = r.solver.iterations;
    }

    if (!rates.rates.empty()) {
      Table summary;
      summary.columns = {"C-rate [h-1]", "Discharge capacity [mA.h.g-1]",
                         "Mean discharge voltage [V]"};
      for (const auto& rate : rates.rates) {
        const double c_rate = core::parse_c_rate(rate, "protocol.rate_test");
        const std::string sentence = fmt::format("Discharge at {} until {} V", rate, rates.cutoff);
        const echem::CellResult r =
            echem::simulate(cell.parameters, echem::parse_experiment(sentence));
        double capacity = 0.0;
        double mean_voltage = 0.0;
        if (r.failure) {
          // A rate whose first IR drop already crosses the cut-off delivers nothing: a result.
          // A solver that finds no consistent start at that current is not a capacity: the
          // rate's value is left out and the reason kept. Later failures fail the design.
          const bool at_start = r.failure->time <= 0.0 || r.timeseries.time.size() <= 1;
          if (!at_start) fail(r);
          if (r.failure->reason.find("already violated") == std::string::npos) {
            result.texts["Rate test at " + rate] =
                "solver failed at the start: " + r.failure->reason;
            continue;
          }
          result.texts["Rate test at " + rate] = "no capacity: " + r.failure->reason;
        } else {
          capacity = r.steps.empty() ? 0.0 : r.steps.front().capacity;
          mean_voltage = r.steps.empty() ? 0.0 : r.steps.front().mean_voltage;
          Table curve;
          curve.columns = {"Discharge capacity [mA.h.g-1]", "Voltage [V]"};
          const auto& ts = r.timeseries;
          for (std::size_t i = 0; i < ts.time.size(); ++i) {
            curve.rows.push_back({ts.discharge_capacity[i] / active_mass, ts.voltage[i]});
          }
          result.tables["Rate test at " + rate] = std::move(curve);
        }
        s["Capacity at " + rate + " [mA.h.g-1]"] = capacity / active_mass;
        summary.rows.push_back({c_rate, capacity / active_mass, mean_voltage});
      }
      result.tables["Rate capability"] = std::move(summary);
    }
  }
};

}  // namespace

std::shared_ptr<const Stage> cell_stage() {
  return std::make_shared<CellStage>();
}

}  // namespace cathodelab::study
