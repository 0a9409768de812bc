// Preconditioned conjugate gradients (Hestenes & Stiefel 1952; preconditioned form as in Saad,
// "Iterative Methods for Sparse Linear Systems", 2nd ed., Algorithm 9.1) for symmetric positive
// definite operators, with a symmetric positive definite preconditioner.
//
// Stops on relative residual ||b - A x|| / ||b|| <= rtol. Every way of not converging is a status
// in SolveStats (max iterations, stagnation, breakdown of p.Ap or r.z, a non-finite value); x is
// never left holding a NaN: the update that would produce one is not made.
#pragma once

#include "cathodelab/core/solve_stats.hpp"
#include "cathodelab/numerics/linear_operator.hpp"

#include <span>

namespace cathodelab::numerics {

struct CgOptions {
  double rtol = 1e-6;           ///< relative residual ||r|| / ||b|| to reach
  int max_iterations = 1000;    ///< give up after this many iterations
  int stagnation_window = 100;  ///< give up when the best residual has not improved for this many
};

/// Why an iterative solve stopped; the text goes into SolveStats::message.
enum class CgStop { converged, max_iterations, stagnated, breakdown, non_finite };
[[nodiscard]] const char* describe(CgStop stop) noexcept;

/// Bookkeeping shared by CG variants: residual history, stagnation and the stop reason.
class CgMonitor {
 public:
  CgMonitor(const CgOptions& options, double b_norm);
  /// Records the residual norm of the current iterate; returns true when the loop must stop.
  bool record(int iteration, double residual_norm);
  void fail(CgStop reason) { stop_ = reason; }
  [[nodiscard]] CgStop stop() const noexcept { return stop_; }
  [[nodiscard]] double relative(double residual_norm) const noexcept;

 private:
  CgOptions options_;
  double b_norm_;
  double best_ = 0.0;
  int best_iteration_ = 0;
  CgStop stop_ = CgStop::max_iterations;
};

/// Solves A x = b from the initial guess in x with preconditioner M (M ~ A^-1, SPD).
/// Returns converged/iterations/relative residual/seconds; method "pcg".
core::SolveStats cg(const LinearOperator& A, const LinearOperator& M, std::span<const double> b,
                    std::span<double> x, const CgOptions& options = {});

}  // namespace cathodelab::numerics
