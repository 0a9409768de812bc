// A time integrator for DaeSystem: variable-order, variable-step BDF (SUNDIALS IDA) with the KLU
// sparse direct solver (Davis and Palamadai Natarajan, ACM TOMS 37 (2010) 36), consistent initial
// conditions (IDACalcIC: algebraic components and derivatives of differential ones from the
// differential values) and root finding, so that an integration ends exactly where an event
// function crosses zero. SUNDIALS types never appear here.
//
// Two implementation choices matter for speed and robustness (docs/theory/p2d.md, section 3a):
// the serial vector kernels IDA calls are the solver's own, compiled with the project's flags (the
// distribution's SUNDIALS is built without optimization); and consistent initialization first uses
// the exact matrix of that problem (differential columns c_j dF/dy' only), then IDA's own.
//
// Failures (too many steps, repeated error-test or convergence failures, a non-finite residual)
// throw core::NumericalError carrying the statistics gathered so far; the last accepted state stays
// readable, so callers keep everything computed before a failure.
#pragma once

#include "cathodelab/core/solve_stats.hpp"
#include "cathodelab/numerics/dae_system.hpp"

#include <memory>
#include <span>
#include <vector>

namespace cathodelab::numerics {

struct IdaOptions {
  double relative_tolerance = 1e-6;
  double absolute_tolerance = 1e-9;         ///< used where absolute_tolerances is empty
  std::vector<double> absolute_tolerances;  ///< per component (same units as y), optional
  double max_step = 0.0;                    ///< [same unit as t] 0 = no limit
  long max_steps = 100000;                  ///< per advance() call
  int max_order = 5;
  /// Leave algebraic components out of the local error test (they follow the differential ones;
  /// their accuracy is set by the Newton tolerance).
  bool suppress_algebraic_error = true;
};

/// Why advance() returned.
enum class AdvanceStop { reached_time, event, one_step };

struct AdvanceResult {
  AdvanceStop stop = AdvanceStop::reached_time;
  double t = 0.0;
  /// For stop == event: per event function, +1 (rising), -1 (falling) or 0 (no crossing).
  std::vector<int> event_direction;
};

class IdaSolver {
 public:
  IdaSolver(const DaeSystem& system, IdaOptions options = {});
  ~IdaSolver();
  IdaSolver(const IdaSolver&) = delete;
  IdaSolver& operator=(const IdaSolver&) = delete;
  IdaSolver(IdaSolver&& other) noexcept;
  IdaSolver& operator=(IdaSolver&& other) noexcept;

  /// Starts (or restarts, after a discontinuity) at t0 with state y0 and derivative guess yp0.
  void reset(double t0, std::span<const double> y0, std::span<const double> yp0);

  /// Makes the state consistent: keeps differential components, solves for algebraic components
  /// and all derivatives. t_next is a time in the direction of integration (it sets scales).
  void make_consistent(double t_next);

  /// Integrates towards t_stop (never past it). With one_step, returns after each internal step.
  /// Returns early at an event crossing. Throws core::NumericalError on failure.
  AdvanceResult advance(double t_stop, bool one_step = false);

  /// Turns event detection on or off (e.g. for a step without cut-offs).
  void set_events_enabled(bool enabled);

  [[nodiscard]] double time() const noexcept;
  [[nodiscard]] std::span<const double> y() const noexcept;
  [[nodiscard]] std::span<const double> yp() const noexcept;

  /// Cumulative statistics since construction ("ida+klu"; iterations = internal steps).
  [[nodiscard]] core::SolveStats stats() const;
  [[nodiscard]] long residual_evaluations() const;
  [[nodiscard]] long jacobian_evaluations() const;

  struct Impl;  ///< implementation detail (SUNDIALS state), defined in the source file

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace cathodelab::numerics
