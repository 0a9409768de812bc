// The experiment driver: steps, cut-offs, records and summaries (see simulate.hpp).
#include "cathodelab/echem/simulate.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/numerics/dae_linearization.hpp"
#include "cathodelab/numerics/ida_solver.hpp"
#include "p2d_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace cathodelab::echem {
namespace {

using detail::Control;
using detail::Limits;
using detail::P2dModel;

/// Current density [A/m^2] of a current-type quantity.
double to_current_density(double value, StepMode mode, const CellParameters& p, double nominal) {
  switch (mode) {
    case StepMode::current:
      return value / p.area;
    case StepMode::c_rate:
      return value * nominal / p.area;  // A h * (1/h) = A
    case StepMode::current_density:
      return value;
    default:
      return 0.0;
  }
}

Control control_of(const Step& s, const CellParameters& p, double nominal, double t) {
  Control c;
  c.start_time = t;
  switch (s.mode) {
    case StepMode::rest:
      c.kind = Control::Kind::current_density;
      c.value = 0.0;
      break;
    case StepMode::current:
    case StepMode::c_rate:
    case StepMode::current_density:
      c.kind = Control::Kind::current_density;
      c.value = s.direction * to_current_density(s.value, s.mode, p, nominal);
      break;
    case StepMode::power:
      c.kind = Control::Kind::power;
      c.value = s.direction * s.value / p.area;
      break;
    case StepMode::voltage:
      c.kind = Control::Kind::voltage;
      c.value = s.value;
      break;
    case StepMode::sweep:
      c.kind = Control::Kind::sweep;
      c.value = s.sweep_start;
      c.sweep_rate = s.sweep_rate;
      break;
  }
  return c;
}

constexpr std::size_t table_event = 5;  ///< P2dModel::events: a surface left a table

/// The step end of a fired P2dModel event (events 0-4; 5 is a failure).
StepEnd step_end_of_event(std::size_t index) {
  switch (index) {
    case 0:
      return StepEnd::lower_voltage;
    case 1:
      return StepEnd::upper_voltage;
    case 2:
      return StepEnd::current;
    case 3:
      return StepEnd::surface_emptied;
    case 4:
      return StepEnd::surface_filled;
    default:
      return StepEnd::failed;
  }
}

/// A current-driven step's direction is its verb's; a hold or sweep goes the way the charge went.
StepDirection direction_of(const Step& step, double charge_passed) {
  switch (step.mode) {
    case StepMode::rest:
      return StepDirection::rest;
    case StepMode::current:
    case StepMode::c_rate:
    case StepMode::current_density:
    case StepMode::power:
      return step.direction > 0.0 ? StepDirection::discharge : StepDirection::charge;
    case StepMode::voltage:
    case StepMode::sweep:
      break;
  }
  if (charge_passed > 0.0) return StepDirection::discharge;
  if (charge_passed < 0.0) return StepDirection::charge;
  return StepDirection::rest;
}

class Runner {
 public:
  Runner(const CellParameters& p, const SimulationOptions& o)
      : p_(p),
        options_(o),
        model_(p, o.mesh),
        solver_(model_, numerics::IdaOptions{
                            .relative_tolerance = o.relative_tolerance,
                            .absolute_tolerances = model_.absolute_tolerances(o.absolute_tolerance),
                            .max_steps = 200000}) {
    nominal_ = nominal_capacity(p_);
    y_ = model_.initial_state();
    yp_.assign(y_.size(), 0.0);
    profile_times_ = o.profile_times;
    std::sort(profile_times_.begin(), profile_times_.end());
    output_times_ = o.output_times;
    std::sort(output_times_.begin(), output_times_.end());
  }

  void start() {
    model_.set_control({});
    model_.set_limits({});
    solver_.set_events_enabled(false);
    solver_.reset(0.0, y_, yp_);
    solver_.make_consistent(1.0);
    copy_state();
  }

  CellResult run(const Experiment& experiment) {
    CellResult r;
    r.nominal_capacity = nominal_;
    r.positive_active_mass = positive_active_mass(p_);
    r.unknowns = static_cast<int>(model_.size());
    try {
      start();
    } catch (const core::NumericalError& e) {
      r.failure = Failure{FailureKind::no_consistent_start, 0,
                          experiment.steps.empty() ? "" : experiment.steps[0].text, 0.0,
                          std::string("no consistent initial state: ") + e.what()};
      r.solver = e.stats();
      return r;
    }
    double v_prev = model_.voltage(y_);
    for (std::size_t s = 0; s < experiment.steps.size(); ++s) {
      const Step& step = experiment.steps[s];
      if (!run_step(static_cast<int>(s), step, r, v_prev)) break;
    }
    r.solver = solver_.stats();
    summarize_cycles(r);
    return r;
  }

  double rest_voltage() {
    start();
    return model_.voltage(y_);
  }
  P2dModel& model() { return model_; }
  [[nodiscard]] std::span<const double> y() const { return y_; }
  [[nodiscard]] std::span<const double> yp() const { return yp_; }

 private:
  const CellParameters& p_;
  SimulationOptions options_;
  P2dModel model_;
  numerics::IdaSolver solver_;
  double nominal_ = 0.0;
  std::vector<double> y_, yp_;
  std::vector<double> profile_times_;
  std::size_t next_profile_ = 0;
  std::vector<double> output_times_;
  std::size_t next_output_ = 0;
  double t_ = 0.0;

  /// After advance(), `t` must be the returned time: at an event IDA interpolates y to the root,
  /// while its current time (IdaSolver::time) is the end of the internal step past it.
  void copy_state(double t) {
    y_.assign(solver_.y().begin(), solver_.y().end());
    yp_.assign(solver_.yp().begin(), solver_.yp().end());
    t_ = t;
  }
  void copy_state() { copy_state(solver_.time()); }

  void record(CellResult& r, int step, int cycle) {
    auto& ts = r.timeseries;
    const auto y = solver_.y();
    ts.time.push_back(t_);
    ts.voltage.push_back(model_.voltage(y));
    ts.current.push_back(model_.current_density(y) * p_.area);
    ts.discharge_capacity.push_back(model_.charge(y) * p_.area / 3600.0);
    ts.step.push_back(step);
    ts.cycle.push_back(cycle);
    if (options_.record_inventory) {
      ts.lithium_particles.push_back(model_.lithium_in_particles(y) * p_.area);
      ts.lithium_electrolyte.push_back(model_.lithium_in_electrolyte(y) * p_.area);
    }
    if (options_.on_row) {
      options_.on_row({ts.time.back(), ts.voltage.back(), ts.current.back(),
                       ts.discharge_capacity.back(), step, cycle});
    }
  }

  [[nodiscard]] bool cancelled() const {
    return options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed);
  }

  [[nodiscard]] Limits limits_of(const Step& step, double v_now, double nominal) const {
    Limits l;
    l.lower_voltage = p_.lower_voltage_limit;
    l.upper_voltage = p_.upper_voltage_limit;
    if (step.voltage_limit) {
      bool lower = step.direction > 0.0;
      if (step.mode == StepMode::rest || step.mode == StepMode::voltage)
        lower = *step.voltage_limit < v_now;
      if (step.mode == StepMode::sweep) lower = step.sweep_rate < 0.0;
      if (lower) {
        l.lower_voltage = std::max(l.lower_voltage, *step.voltage_limit);
      } else {
        l.upper_voltage = std::min(l.upper_voltage, *step.voltage_limit);
      }
    }
    // A rest relaxes the particles (and its double-layer current may still move the surface a
    // little): no stoichiometry guard. A current step guards the side it drives towards.
    const bool current_type = step.mode == StepMode::current || step.mode == StepMode::c_rate ||
                              step.mode == StepMode::current_density ||
                              step.mode == StepMode::power;
    l.guard_filled = step.mode != StepMode::rest && (!current_type || step.direction > 0.0);
    l.guard_emptied = step.mode != StepMode::rest && (!current_type || step.direction < 0.0);
    // Tables are guarded on both sides and in both electrodes (a discharge empties the negative
    // while it fills the positive); a rest only relaxes the surfaces inwards.
    l.guard_table = step.mode != StepMode::rest;
    if (step.current_limit) {
      l.min_current =
          to_current_density(step.current_limit->value, step.current_limit->mode, p_, nominal);
    }
    return l;
  }

  static constexpr std::size_t no_event = static_cast<std::size_t>(-1);

  /// The value that `target`'s control row holds in the current state y_ (its continuation start).
  [[nodiscard]] double control_value_now(const Control& target) const {
    const double current = model_.current_density(y_);
    switch (target.kind) {
      case Control::Kind::current_density:
        return current;
      case Control::Kind::power:
        return current * model_.voltage(y_);
      case Control::Kind::voltage:
      case Control::Kind::sweep:
        return model_.voltage(y_);
    }
    return target.value;
  }

  /// The stoichiometry-window event (3 emptied, 4 filled) the state y_ has passed, among those
  /// `limits` guard; no_event where none.
  [[nodiscard]] std::size_t window_passed(const Limits& limits) const {
    std::vector<double> g(model_.event_count(), 1.0);
    model_.events(t_, y_, yp_, g);
    if (limits.guard_emptied && g[3] < 0.0) return 3;
    if (limits.guard_filled && g[4] < 0.0) return 4;
    return no_event;
  }

  /// Makes y_ consistent with the step's control `target` (IDACalcIC holds the particle
  /// concentrations and solves the potentials and currents). A large jump of the control (a 5C
  /// start from rest) can leave the previous state outside Newton's reach; then the control is
  /// continued from the value the previous state holds, in stages whose size halves after a failed
  /// stage and doubles after a good one, each stage starting from the last consistent state. The
  /// differential unknowns never move, so the final state is the consistent state of `target`
  /// itself. Returns the window event passed on the way (the step then cannot start; the caller
  /// restores the state), else no_event; throws NumericalError where no stage size converges.
  std::size_t make_step_consistent(const Control& target, const Limits& limits, double t_next) {
    auto attempt = [&](double value) {
      Control c = target;
      c.value = value;
      model_.set_control(c);
      solver_.reset(t_, y_, yp_);
      solver_.make_consistent(t_next);
      copy_state();
    };
    try {
      attempt(target.value);
      return window_passed(limits);
    } catch (const core::NumericalError&) {
      // continued below from the state before the attempt
    }
    const double from = control_value_now(target);
    constexpr int max_stages = 64;
    constexpr double min_stage = 1.0 / 1024.0;
    double done = 0.0;
    double stage = 0.25;
    for (int k = 0; k < max_stages && done < 1.0; ++k) {
      const double next = std::min(1.0, done + stage);
      const std::vector<double> y_good = y_;
      const std::vector<double> yp_good = yp_;
      try {
        attempt(from + next * (target.value - from));
      } catch (const core::NumericalError&) {
        y_ = y_good;
        yp_ = yp_good;
        stage *= 0.5;
        if (stage < min_stage) throw;
        continue;
      }
      if (const std::size_t passed = window_passed(limits); passed != no_event) return passed;
      done = next;
      stage *= 2.0;
    }
    if (done < 1.0) attempt(target.value);  // the stage budget is spent: the last word is IDA's
    model_.set_control(target);
    return no_event;
  }

  bool run_step(int index, const Step& step, CellResult& r, double& v_prev) {
    StepSummary summary;
    summary.index = index;
    summary.cycle = step.cycle;
    summary.text = step.text;
    summary.start_time = t_;
    const double q0 = model_.charge(y_);
    const double e0 = model_.energy(y_);
    const double t_end = t_ + (step.duration ? *step.duration : 1e8);
    auto fail = [&](FailureKind kind, const std::string& reason) {
      r.failure = Failure{kind, index, step.text, t_, reason};
      summary.end = StepEnd::failed;
      summary.termination = "failed: " + reason;
      summary.duration = t_ - summary.start_time;
      r.steps.push_back(summary);
      return false;
    };
    try {
      model_.set_control(control_of(step, p_, nominal_, t_));
      const Limits limits = limits_of(step, v_prev, nominal_);
      model_.set_limits(limits);
      solver_.set_events_enabled(true);
      const Control target = model_.control();
      const std::vector<double> y_before = y_;
      const std::vector<double> yp_before = yp_;
      std::size_t window_end = no_event;
      try {
        window_end = make_step_consistent(target, limits, t_ + std::min(1.0, 0.01 * (t_end - t_)));
      } catch (const core::NumericalError& e) {
        copy_state();
        return fail(FailureKind::no_consistent_start, e.what());
      }
      // A step whose end is already reached when it starts ends there, passing no charge, and the
      // experiment goes on from the state before it (as a step whose cut-off is reached at once).
      auto end_at_start = [&](StepEnd end, double voltage_at_start) {
        model_.set_control(target);
        solver_.reset(t_, y_before, yp_before);
        y_ = y_before;
        yp_ = yp_before;
        summary.start_voltage = voltage_at_start;
        summary.ended_at_start = true;
        summary.end = end;
        summary.termination = std::string(step_end_name(end)) + " (reached at the start)";
        summary.end_voltage = model_.voltage(y_);
        summary.mean_voltage = summary.end_voltage;
        record(r, index, step.cycle);
        r.steps.push_back(summary);
        v_prev = summary.end_voltage;
        return true;
      };
      // The surface already sits at the end of the window this step drives towards.
      if (window_end != no_event) {
        return end_at_start(step_end_of_event(window_end), model_.voltage(y_before));
      }
      const double v_start = model_.voltage(y_);
      summary.start_voltage = v_start;
      summary.ir_drop = v_start - v_prev;
      if (!std::isfinite(v_start)) {
        return fail(FailureKind::non_finite, "non-finite voltage at the step start");
      }
      // The new current's IR drop already crosses the step's cut-off (a 1C discharge right after a
      // 0.1C one to the same cut-off): nothing is delivered, which is a result, not a failure.
      if (v_start < limits.lower_voltage - 1e-9)
        return end_at_start(StepEnd::lower_voltage, v_start);
      if (v_start > limits.upper_voltage + 1e-9)
        return end_at_start(StepEnd::upper_voltage, v_start);
      if (limits.guard_table && model_.table_margin(y_) < -1e-9) {
        return fail(FailureKind::table_exit,
                    "at the step start: " + model_.table_exit_description(y_));
      }
      record(r, index, step.cycle);
      StepEnd end = StepEnd::time;
      bool current_already_below =
          limits.min_current >= 0.0 && std::abs(model_.current_density(y_)) < limits.min_current;
      if (current_already_below) end = StepEnd::current;
      while (!current_already_below && t_ < t_end) {
        if (cancelled()) return fail(FailureKind::interrupted, "interrupted");
        while (next_profile_ < profile_times_.size() && profile_times_[next_profile_] < t_)
          ++next_profile_;
        const bool profile_next =
            next_profile_ < profile_times_.size() && profile_times_[next_profile_] <= t_end;
        while (next_output_ < output_times_.size() && output_times_[next_output_] <= t_ + 1e-12)
          ++next_output_;
        const bool output_next =
            next_output_ < output_times_.size() && output_times_[next_output_] < t_end;
        double stop = profile_next ? profile_times_[next_profile_] : t_end;
        if (output_next) stop = std::min(stop, output_times_[next_output_]);
        const auto result = solver_.advance(stop, options_.record_every_step);
        copy_state(result.t);
        const bool at_output = output_next && result.stop == numerics::AdvanceStop::reached_time &&
                               t_ >= output_times_[next_output_] - 1e-12;
        if (options_.record_every_step || t_ >= t_end || at_output ||
            result.stop == numerics::AdvanceStop::event) {
          record(r, index, step.cycle);
        }
        if (at_output) ++next_output_;
        if (profile_next && t_ >= profile_times_[next_profile_] - 1e-12 &&
            result.stop == numerics::AdvanceStop::reached_time) {
          r.profiles.push_back(model_.profile(t_, y_));
          ++next_profile_;
        }
        if (result.stop == numerics::AdvanceStop::event) {
          std::size_t fired = result.event_direction.size();
          for (std::size_t g = 0; g < result.event_direction.size(); ++g) {
            if (result.event_direction[g] != 0) {
              fired = g;
              break;
            }
          }
          // Leaving a table is a failure (the model would run on clamped values); where the
          // stoichiometry window ends at the same point, the window's normal end comes first.
          if (fired == table_event) {
            return fail(FailureKind::table_exit, model_.table_exit_description(y_));
          }
          if (fired < result.event_direction.size()) end = step_end_of_event(fired);
          break;
        }
      }
      if (!options_.record_every_step &&
          (r.timeseries.time.empty() || r.timeseries.time.back() < t_)) {
        record(r, index, step.cycle);
      }
      summary.end = end;
      summary.termination = std::string(step_end_name(end));
    } catch (const core::NumericalError& e) {
      copy_state();
      return fail(FailureKind::solver, e.what());
    }
    summary.duration = t_ - summary.start_time;
    summary.end_voltage = model_.voltage(y_);
    const double dq = (model_.charge(y_) - q0) * p_.area / 3600.0;
    const double de = (model_.energy(y_) - e0) * p_.area / 3600.0;
    summary.direction = direction_of(step, dq);
    summary.capacity = std::abs(dq);
    summary.energy = std::abs(de);
    summary.mean_voltage = summary.capacity > 0.0
                               ? summary.energy / summary.capacity
                               : 0.5 * (summary.start_voltage + summary.end_voltage);
    r.steps.push_back(summary);
    v_prev = summary.end_voltage;
    return true;
  }

  static void summarize_cycles(CellResult& r) {
    for (const auto& s : r.steps) {
      if (static_cast<int>(r.cycles.size()) <= s.cycle) {
        r.cycles.resize(static_cast<std::size_t>(s.cycle) + 1);
        r.cycles.back().index = s.cycle;
      }
    }
    for (const auto& s : r.steps) {
      auto& c = r.cycles[static_cast<std::size_t>(s.cycle)];
      if (s.direction == StepDirection::discharge) {
        c.discharge_capacity += s.capacity;
        c.discharge_energy += s.energy;
      } else if (s.direction == StepDirection::charge) {
        c.charge_capacity += s.capacity;
        c.charge_energy += s.energy;
      }
    }
    for (auto& c : r.cycles) {
      c.coulombic_efficiency =
          c.charge_capacity > 0.0 ? c.discharge_capacity / c.charge_capacity : 0.0;
    }
  }
};

}  // namespace

std::string_view step_end_name(StepEnd end) {
  switch (end) {
    case StepEnd::time:
      return "time";
    case StepEnd::lower_voltage:
      return "lower voltage cut-off";
    case StepEnd::upper_voltage:
      return "upper voltage cut-off";
    case StepEnd::current:
      return "current cut-off";
    case StepEnd::surface_emptied:
      return "particle surface emptied (stoichiometry window)";
    case StepEnd::surface_filled:
      return "particle surface filled (stoichiometry window)";
    case StepEnd::failed:
      return "failed";
  }
  return "failed";
}

CellResult simulate(const CellParameters& parameters, const Experiment& experiment,
                    const SimulationOptions& options) {
  validate(parameters);
  Runner runner(parameters, options);
  return runner.run(experiment);
}

double open_circuit_voltage(const CellParameters& parameters) {
  validate(parameters);
  Runner runner(parameters, {});
  return runner.rest_voltage();
}

ImpedanceSpectrum impedance(const CellParameters& parameters, const ImpedanceOptions& options) {
  validate(parameters);
  CATHODELAB_REQUIRE(options.frequencies >= 1 && options.min_frequency > 0.0 &&
                         options.max_frequency >= options.min_frequency,
                     "impedance needs a positive frequency range");
  SimulationOptions sim;
  sim.mesh = options.mesh;
  Runner runner(parameters, sim);
  runner.rest_voltage();
  P2dModel& model = runner.model();
  const auto y = runner.y();
  const auto yp = runner.yp();
  const auto lin = numerics::linearize(model, 0.0, y, yp);
  // Input: the applied current density enters only through the control row I - I_set = 0, so
  // dF/dI_set = -e_I and the response to dI_set = 1 solves (i w M + J) x = e_I.
  std::vector<double> b(model.size(), 0.0);
  b[static_cast<std::size_t>(model.current_index())] = 1.0;
  // Output: V is linear in y (collector potential minus ohmic terms); its gradient by differences.
  std::vector<double> c(model.size(), 0.0);
  {
    std::vector<double> yy(y.begin(), y.end());
    const double v0 = model.voltage(yy);
    for (std::size_t i = 0; i < yy.size(); ++i) {
      const double h = 1e-6;
      yy[i] += h;
      c[i] = (model.voltage(yy) - v0) / h;
      yy[i] -= h;
    }
  }
  ImpedanceSpectrum spectrum;
  std::vector<double> omegas;
  const int n = options.frequencies;
  for (int k = 0; k < n; ++k) {
    const double fraction = n == 1 ? 0.0 : static_cast<double>(k) / (n - 1);
    const double f =
        options.max_frequency * std::pow(options.min_frequency / options.max_frequency, fraction);
    spectrum.frequency.push_back(f);
    omegas.push_back(2.0 * std::numbers::pi * f);
  }
  const auto response = numerics::frequency_response(lin, b, c, omegas);
  for (const auto& dv : response) {
    const std::complex<double> z = -dv / parameters.area;  // V = U - Z I
    spectrum.real.push_back(z.real());
    spectrum.imaginary.push_back(z.imag());
  }
  return spectrum;
}

namespace {

/// dE_t as Weppner and Huggins read it: the least-squares slope of E against sqrt(t - t0) over
/// the rows with t - t0 in [0.1 tau, tau], times sqrt(tau). nullopt with fewer than 4 such rows.
std::optional<double> sqrt_time_transient(const Timeseries& ts, int step, double t0, double tau) {
  double n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
  for (std::size_t i = 0; i < ts.time.size(); ++i) {
    if (ts.step[i] != step) continue;
    const double dt = ts.time[i] - t0;
    if (dt < 0.1 * tau * (1.0 - 1e-9) || dt > tau * (1.0 + 1e-9)) continue;
    const double x = std::sqrt(dt);
    n += 1.0;
    sx += x;
    sy += ts.voltage[i];
    sxx += x * x;
    sxy += x * ts.voltage[i];
  }
  const double det = n * sxx - sx * sx;
  if (n < 4.0 || !(det > 0.0)) return std::nullopt;
  return (n * sxy - sx * sy) / det * std::sqrt(tau);
}

/// Rows inside every pulse, evenly spaced in sqrt(t - t_start) over [0.1 tau, tau] (the pulses
/// start at k (tau + rest) as long as every step runs its full time, which the analysis needs).
std::vector<double> pulse_output_times(const GittOptions& o) {
  std::vector<double> times = o.simulation.output_times;
  const int m = std::max(o.rows_per_pulse, 0);
  for (int k = 0; k < o.pulses && m > 1; ++k) {
    const double t0 = k * (o.pulse_duration + o.rest_duration);
    const double a = std::sqrt(0.1 * o.pulse_duration);
    const double b = std::sqrt(o.pulse_duration);
    for (int i = 0; i < m; ++i) {
      // The last point sits just before the pulse end (the step end is recorded anyway).
      const double x = a + (b - a) * i / (m - 1);
      times.push_back(t0 + std::min(x * x, o.pulse_duration * (1.0 - 1e-6)));
    }
  }
  return times;
}

}  // namespace

GittResult gitt(const CellParameters& parameters, const GittOptions& options) {
  CATHODELAB_REQUIRE(
      options.pulses >= 1 && options.pulse_duration > 0.0 && options.rest_duration > 0.0,
      "GITT needs at least one pulse and positive durations");
  const std::string verb = options.c_rate >= 0.0 ? "Discharge" : "Charge";
  const std::string pulse =
      fmt::format("{} at {}C for {} s", verb, std::abs(options.c_rate), options.pulse_duration);
  const std::string rest = fmt::format("Rest for {} s", options.rest_duration);
  const Experiment experiment =
      parse_experiment(fmt::format("({}; {}) x {}", pulse, rest, options.pulses));
  SimulationOptions simulation = options.simulation;
  simulation.output_times = pulse_output_times(options);
  GittResult g;
  g.cell = simulate(parameters, experiment, simulation);
  double radius = 0.0;
  for (const auto& k : parameters.positive.particles) radius = std::max(radius, k.radius);
  const double tau = options.pulse_duration;
  const auto& steps = g.cell.steps;
  double previous_rest_voltage =
      steps.empty() ? 0.0 : steps.front().start_voltage - steps.front().ir_drop;
  int too_long = 0;
  double largest_theta = 0.0;
  for (std::size_t s = 0; s + 1 < steps.size(); s += 2) {
    const auto& pulse_step = steps[s];
    const auto& rest_step = steps[s + 1];
    if (pulse_step.termination != "time" || rest_step.termination != "time") break;
    GittPulse p;
    p.pulse = static_cast<int>(s / 2);
    p.delta_steady_voltage = rest_step.end_voltage - previous_rest_voltage;
    const auto slope_reading =
        sqrt_time_transient(g.cell.timeseries, static_cast<int>(s), pulse_step.start_time, tau);
    if (slope_reading) {
      p.delta_transient_voltage = *slope_reading;
      p.transient_reading = "sqrt(t) slope";
    } else {
      p.delta_transient_voltage = pulse_step.end_voltage - pulse_step.start_voltage;
      p.transient_reading = "end points (fewer than 4 rows in 0.1 tau..tau)";
    }
    const double ratio =
        p.delta_transient_voltage != 0.0 ? p.delta_steady_voltage / p.delta_transient_voltage : 0.0;
    p.diffusivity = 4.0 / (std::numbers::pi * tau) * std::pow(radius / 3.0, 2) * ratio * ratio;
    p.theta = radius > 0.0 ? p.diffusivity * tau / (radius * radius) : 0.0;
    if (p.theta > gitt_theta_limit) {
      ++too_long;
      largest_theta = std::max(largest_theta, p.theta);
      p.warning = fmt::format(
          "pulse too long for Weppner-Huggins: theta = D tau / R^2 = {:.3g} > {} (sphere bias "
          "about sqrt(pi theta) = {:.0f} %); use pulses shorter than {:.3g} s",
          p.theta, gitt_theta_limit, 100.0 * std::min(1.0, std::sqrt(std::numbers::pi * p.theta)),
          gitt_theta_limit * radius * radius / p.diffusivity);
    }
    if (!slope_reading) {
      p.warning += std::string(p.warning.empty() ? "" : "; ") +
                   "dE_t read from the pulse's end points (too few rows for the sqrt(t) slope): "
                   "it keeps the kinetic and discretization jumps at the pulse start";
    }
    // Average positive stoichiometry after the pulse from the charge passed.
    const double moles_per_ah = 3600.0 / faraday_constant;
    double capacity_moles = 0.0;
    for (const auto& k : parameters.positive.particles) {
      capacity_moles += parameters.area * parameters.positive.thickness * k.volume_fraction *
                        parameters.positive.utilizable_fraction *
                        parameters.positive.material.max_concentration;
    }
    double passed = 0.0;
    for (std::size_t q = 0; q <= s; q += 2)
      passed += steps[q].capacity * (options.c_rate >= 0 ? 1.0 : -1.0);
    p.stoichiometry =
        parameters.positive.initial_stoichiometry + passed * moles_per_ah / capacity_moles;
    g.pulses.push_back(p);
    previous_rest_voltage = rest_step.end_voltage;
  }
  if (too_long > 0) {
    core::log_warning(fmt::format(
        "GITT: {} of {} pulses too long for Weppner-Huggins (theta = D tau / R^2 up to {:.3g} > "
        "{}); their D is biased low, see the Theta column",
        too_long, g.pulses.size(), largest_theta, gitt_theta_limit));
  }
  return g;
}

}  // namespace cathodelab::echem
