// The cell stage: homogenize a design and run the P2D under its protocol and rate test; failed or
// unrepresentable results are missing with their reasons (cell_stage.hpp).
#include "cathodelab/study/cell_stage.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/units.hpp"
#include "cathodelab/echem/experiment.hpp"
#include "cathodelab/echem/simulate.hpp"
#include "cathodelab/study/analysis_stage.hpp"
#include "cathodelab/study/homogenize.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace cathodelab::study {
namespace {

using core::InputError;

/// One line on how a simulation failed: step, time and reason.
std::string failure_text(const echem::Failure& f) {
  return fmt::format("step {} \"{}\" failed at t = {:.1f} s: {}", f.step + 1, f.step_text, f.time,
                     f.reason);
}

/// Steps that ended on a particle surface reaching its stoichiometry window before their own
/// cut-off (the capacity is then set by solid diffusion), or that ended at once because their end
/// was reached at the start: the user should be told.
std::string early_step_ends(const echem::CellResult& r) {
  std::string text;
  for (const auto& step : r.steps) {
    if (step.end != echem::StepEnd::surface_filled && step.end != echem::StepEnd::surface_emptied &&
        !step.ended_at_start) {
      continue;
    }
    text += fmt::format("{}step {} \"{}\" ended at {:.3f} V: {}", text.empty() ? "" : "; ",
                        step.index + 1, step.text, step.end_voltage, step.termination);
  }
  return text;
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
    return design.cell.protocol.any();
  }

  void validate(const Design& design) const override {
    // [protocol] was resolved with the design; what is left to check is the material data the cell
    // model needs (OCP, concentration, separator conductivity).
    (void)homogenization_input(design, design.calculation, std::nullopt);
  }

  void run(const Design& design, DesignResult& result) const override {
    const ProtocolSpec& protocol = design.cell.protocol;
    const echem::Experiment& experiment = protocol.experiment;
    const auto analysis = analysis_payload(result);
    std::optional<EffectiveCathodeProperties> effective;
    if (analysis) effective = analysis->effective_properties();
    const HomogenizedCell cell =
        homogenize(homogenization_input(design, design.calculation, effective));
    for (const auto& [name, value] : cell.scalars) result.scalars[name] = value;
    for (const auto& [name, value] : cell.texts) result.texts[name] = value;
    const double active_mass = echem::positive_active_mass(cell.parameters);  // [kg]
    const double area_cm2 = cell.parameters.area * 1e4;
    auto& s = result.scalars;
    const std::vector<std::string> experiment_results = {
        "Discharge capacity [mA.h.g-1]", "Discharge capacity [mA.h.cm-2]", "Energy [W.h]"};
    auto rate_result = [](const std::string& rate) {
      return "Capacity at " + rate + " [mA.h.g-1]";
    };

    if (!cell.unsupported_reason.empty()) {
      // The cell model cannot represent this cathode: every cell result is missing, with why.
      result.texts["Cell result"] = cell.unsupported_reason;
      if (!experiment.steps.empty()) {
        for (const auto& name : experiment_results) result.missing[name] = cell.unsupported_reason;
      }
      for (const auto& rate : protocol.rate_test) {
        result.missing[rate_result(rate.text)] = cell.unsupported_reason;
      }
      return;
    }
    if (!cell.blocked_reason.empty()) {
      // The cathode cannot deliver anything: zero is the computed answer.
      result.texts["Cell result"] = cell.blocked_reason;
      if (!experiment.steps.empty()) {
        for (const auto& name : experiment_results) s[name] = 0.0;
      }
      for (const auto& rate : protocol.rate_test) s[rate_result(rate.text)] = 0.0;
      return;
    }

    if (!experiment.steps.empty()) {
      const echem::CellResult r = echem::simulate(cell.parameters, experiment);
      result.tables["Voltage curve"] = voltage_curve(r, active_mass);
      s["Cell-model unknowns [-]"] = r.unknowns;
      s["Cell-model solver steps [-]"] = r.solver.iterations;
      if (const std::string early = early_step_ends(r); !early.empty()) {
        result.texts["Experiment step ends"] = early;
      }
      if (r.failure) {
        const std::string why = failure_text(*r.failure);
        result.texts["Voltage curve note"] = "the curve ends where " + why;
        for (const auto& name : experiment_results) result.missing[name] = why;
      } else {
        double capacity = 0.0;  // [A h] discharge steps of the first cycle
        double energy = 0.0;    // [W h]
        for (const auto& step : r.steps) {
          if (step.cycle == 0 && step.direction == echem::StepDirection::discharge) {
            capacity += step.capacity;
            energy += step.energy;
          }
        }
        s["Discharge capacity [mA.h.g-1]"] = capacity / active_mass;
        s["Discharge capacity [mA.h.cm-2]"] = capacity * 1e3 / area_cm2;
        s["Energy [W.h]"] = energy;
        if (capacity > 0.0) s["Mean discharge voltage [V]"] = energy / capacity;
      }
    }

    if (!protocol.rate_test.empty()) {
      Table summary;
      summary.columns = {"C-rate [h-1]", "Discharge capacity [mA.h.g-1]",
                         "Mean discharge voltage [V]"};
      for (const auto& [rate, c_rate, discharge] : protocol.rate_test) {
        const echem::CellResult r = echem::simulate(cell.parameters, discharge);
        double capacity = 0.0;
        double mean_voltage = 0.0;
        if (!r.failure && !r.steps.empty() && r.steps.front().ended_at_start) {
          // The first IR drop already crosses the cut-off, or a particle surface starts at its
          // window end: the rate delivers nothing (a result).
          const auto& step = r.steps.front();
          result.texts["Rate test at " + rate] =
              fmt::format("no capacity: {} (V = {:.4f} V under the new current)", step.termination,
                          step.start_voltage);
        } else if (r.failure) {
          // No consistent start, or a failure inside the discharge: not a capacity.
          result.missing[rate_result(rate)] = failure_text(*r.failure);
          continue;
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
          if (const std::string early = early_step_ends(r); !early.empty()) {
            result.texts["Rate test at " + rate] = early;
          }
        }
        s[rate_result(rate)] = capacity / active_mass;
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
