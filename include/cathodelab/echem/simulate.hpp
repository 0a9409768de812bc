// Runs a cell under an experiment: the P2D model (cell_parameters.hpp, docs/theory/p2d.md) solved
// step by step with numerics::IdaSolver; each step ends exactly at its cut-off (root finding).
// Also the rest-state impedance (small-signal response of the linearized DAE) and GITT analysis
// (Weppner and Huggins, J. Electrochem. Soc. 124 (1977) 1569).
//
// A failure (no consistent start, a table left, a solver failure) does not throw: the result keeps
// every row computed before it and says in `failure` which step failed, when and why. A step whose
// cut-off is already crossed when it starts is no failure: it ends at once, passing no charge.
// Parameter errors throw core::InputError before anything runs.
#pragma once

#include "cathodelab/core/solve_stats.hpp"
#include "cathodelab/echem/cell_parameters.hpp"
#include "cathodelab/echem/experiment.hpp"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cathodelab::echem {

/// Finite-volume mesh (docs/theory/p2d.md section 3).
struct Mesh {
  int negative = 20;   ///< volumes across a porous negative electrode
  int separator = 10;  ///< volumes across the separator
  int positive = 30;   ///< volumes across the positive electrode
  int particle = 20;   ///< radial volumes per particle
};

/// One recorded row (as appended to Timeseries), for SimulationOptions::on_row.
struct TimeseriesRow {
  double time = 0.0;                ///< [s]
  double voltage = 0.0;             ///< [V]
  double current = 0.0;             ///< [A], positive = discharge
  double discharge_capacity = 0.0;  ///< [A h]
  int step = 0;                     ///< 0-based
  int cycle = 0;                    ///< 0-based
};

struct SimulationOptions {
  Mesh mesh;
  double relative_tolerance = 1e-6;
  /// Scaled per unknown kind: [V] for potentials, times c_max or c_e0 for concentrations, times the
  /// 1C current density for currents (docs/theory/p2d.md).
  double absolute_tolerance = 1e-6;
  /// Times [s] at which spatial profiles are stored (each inside the simulated span).
  std::vector<double> profile_times;
  /// Times [s] at which a timeseries row is recorded in any case (the solver stops there), e.g.
  /// inside GITT pulses when record_every_step is false.
  std::vector<double> output_times;
  /// Keep one row per internal solver step (true) or only step ends (false, for long cycling).
  bool record_every_step = true;
  /// Also record the lithium inventory per row (Timeseries::lithium_*), for conservation checks.
  bool record_inventory = false;
  /// Called with every row as it is recorded, so that a caller can write rows as they come and
  /// keep them when the run is stopped.
  std::function<void(const TimeseriesRow&)> on_row;
  /// When set and raised (e.g. by a signal handler), the run stops before its next solver step
  /// with a FailureKind::interrupted failure; everything recorded so far is kept.
  const std::atomic<bool>* cancel = nullptr;
};

/// One row per recorded time.
struct Timeseries {
  std::vector<double> time;                ///< [s]
  std::vector<double> voltage;             ///< [V] terminal
  std::vector<double> current;             ///< [A], positive = discharge
  std::vector<double> discharge_capacity;  ///< [A h] integral of the current
  std::vector<int> step;                   ///< 0-based step index
  std::vector<int> cycle;                  ///< 0-based cycle index
  /// With SimulationOptions::record_inventory: lithium in the particles of both electrodes and in
  /// the electrolyte [mol].
  std::vector<double> lithium_particles;
  std::vector<double> lithium_electrolyte;
};

/// Which way charge went in a step: from the parsed Step for current-driven steps (its verb), from
/// the sign of the charge passed for voltage holds and sweeps (positive = discharge).
enum class StepDirection { rest, discharge, charge };

/// What ended a step.
enum class StepEnd {
  time,             ///< its duration ran out
  lower_voltage,    ///< the lower voltage cut-off (the step's or the cell's safety limit)
  upper_voltage,    ///< the upper voltage cut-off
  current,          ///< |I| fell below the step's current limit (voltage holds)
  surface_emptied,  ///< a particle surface reached the delithiated end of its window
  surface_filled,   ///< a particle surface reached the lithiated end of its window
  failed,           ///< the step failed (CellResult::failure says why)
};

/// "time", "lower voltage cut-off", ..., "particle surface filled (stoichiometry window)".
[[nodiscard]] std::string_view step_end_name(StepEnd end);

struct StepSummary {
  int index = 0;
  int cycle = 0;
  std::string text;
  StepDirection direction = StepDirection::rest;
  StepEnd end = StepEnd::time;
  /// The step's end was already reached when it started (its cut-off crossed by the new current's
  /// IR drop, or a particle surface at its window end): it passed no charge; start_voltage is the
  /// voltage under the new current, the rest is the state before the step.
  bool ended_at_start = false;
  std::string termination;     ///< step_end_name(end), or "failed: <reason>"
  double start_time = 0.0;     ///< [s]
  double duration = 0.0;       ///< [s]
  double capacity = 0.0;       ///< [A h] |charge passed|
  double energy = 0.0;         ///< [W h] |integral of V I|
  double mean_voltage = 0.0;   ///< [V] time average
  double start_voltage = 0.0;  ///< [V] just after the step began
  double end_voltage = 0.0;    ///< [V]
  double ir_drop = 0.0;        ///< [V] voltage jump at the step start (new minus previous)
};

struct CycleSummary {
  int index = 0;
  double discharge_capacity = 0.0;    ///< [A h]
  double charge_capacity = 0.0;       ///< [A h]
  double discharge_energy = 0.0;      ///< [W h]
  double charge_energy = 0.0;         ///< [W h]
  double coulombic_efficiency = 0.0;  ///< [-] discharge / charge (0 when nothing was charged)
};

/// Spatial state at one time. x is measured from the negative current collector (or the
/// Li|separator interface for a lithium-metal anode).
struct Profile {
  double time = 0.0;                              ///< [s]
  std::vector<double> x;                          ///< [m] volume centres
  std::vector<double> electrolyte_potential;      ///< [V]
  std::vector<double> electrolyte_concentration;  ///< [mol/m^3]
  std::vector<double> solid_potential;            ///< [V] (NaN-free: 0 in the separator)
  /// Surface and volume-average stoichiometry of the first particle class (0 in the separator) [-].
  std::vector<double> surface_stoichiometry;
  std::vector<double> average_stoichiometry;
};

/// Why a simulation stopped short.
enum class FailureKind {
  no_consistent_start,  ///< the solver found no consistent state at the start of a step
  table_exit,           ///< a particle surface left the x range of an OCP or diffusivity table
  solver,               ///< the time integration failed inside the step
  non_finite,           ///< the voltage became non-finite
  interrupted,          ///< SimulationOptions::cancel was raised (a signal)
};

struct Failure {
  FailureKind kind = FailureKind::solver;
  int step = 0;  ///< 0-based
  std::string step_text;
  double time = 0.0;  ///< [s]
  std::string reason;
};

struct CellResult {
  Timeseries timeseries;
  std::vector<StepSummary> steps;
  std::vector<CycleSummary> cycles;
  std::vector<Profile> profiles;
  std::optional<Failure> failure;
  double nominal_capacity = 0.0;      ///< [A h] defines 1C
  double positive_active_mass = 0.0;  ///< [kg] for specific capacities
  core::SolveStats solver;            ///< cumulative over all steps
  int unknowns = 0;                   ///< size of the DAE
};

/// Runs the experiment from the parameters' initial state.
[[nodiscard]] CellResult simulate(const CellParameters& parameters, const Experiment& experiment,
                                  const SimulationOptions& options = {});

/// Open-circuit voltage at the initial state [V].
[[nodiscard]] double open_circuit_voltage(const CellParameters& parameters);

struct ImpedanceOptions {
  Mesh mesh;
  double min_frequency = 1e-3;  ///< [Hz]
  double max_frequency = 1e6;   ///< [Hz]
  int frequencies = 60;         ///< log-spaced, highest first
};

struct ImpedanceSpectrum {
  std::vector<double> frequency;  ///< [Hz]
  std::vector<double> real;       ///< [Ohm] of the whole cell (area included)
  std::vector<double> imaginary;  ///< [Ohm] (negative for capacitive behaviour)
};

/// Small-signal impedance around the rest state at the parameters' initial stoichiometry:
/// Z(w) = dV/dI from (j w M + J) dy = -dF/dI dI with the Jacobian at equilibrium.
[[nodiscard]] ImpedanceSpectrum impedance(const CellParameters& parameters,
                                          const ImpedanceOptions& options = {});

/// Weppner-Huggins analysis of one pulse (GITT).
struct GittPulse {
  int pulse = 0;
  double stoichiometry = 0.0;         ///< [-] average positive stoichiometry after the pulse
  double diffusivity = 0.0;           ///< [m^2/s] 4/(pi tau) (r/3)^2 (dEs/dEt)^2
  double delta_steady_voltage = 0.0;  ///< [V] dEs: relaxed voltage change over the pulse+rest
  /// [V] dEt: the transient change read as Weppner and Huggins plot it, slope of E against
  /// sqrt(t - t_start) (least squares over 0.1 tau..tau) times sqrt(tau). Blind to every jump at
  /// the pulse start (ohmic, kinetic, double layers switching on, the discrete surface jump).
  double delta_transient_voltage = 0.0;
  /// "sqrt(t) slope" or, with fewer than 4 rows in 0.1 tau..tau, "end points (...)": E(tau) minus
  /// E(0+), which keeps any instantaneous kinetic or discretization jump (p2d_verification.md).
  std::string transient_reading;
  /// [-] D_WH tau / R^2: Weppner-Huggins assumes semi-infinite diffusion, theta << 1 (its sphere
  /// bias is about sqrt(pi theta), so D_WH/D = 0.36 at theta = 0.24).
  double theta = 0.0;
  std::string warning;  ///< non-empty when theta > gitt_theta_limit (or the fallback was used)
};

/// Above this theta = D tau / R^2 a pulse is flagged as too long for Weppner-Huggins (sphere bias
/// about sqrt(pi 0.01) = 18 %).
inline constexpr double gitt_theta_limit = 0.01;

struct GittOptions {
  double c_rate = 0.1;          ///< [1/h] pulse current as a C-rate, positive = discharge
  double pulse_duration = 600;  ///< [s]
  double rest_duration = 3600;  ///< [s]
  int pulses = 20;
  /// Rows requested inside each pulse (sqrt(t)-spaced over 0.1 tau..tau) on top of the solver's
  /// own (SimulationOptions::output_times), so that the sqrt(t) reading always has points.
  int rows_per_pulse = 20;
  SimulationOptions simulation;
};

struct GittResult {
  CellResult cell;
  std::vector<GittPulse> pulses;
};

/// Runs pulse+rest pairs until the count or a voltage limit, and extracts D per pulse from the
/// largest particle class radius.
[[nodiscard]] GittResult gitt(const CellParameters& parameters, const GittOptions& options = {});

}  // namespace cathodelab::echem
