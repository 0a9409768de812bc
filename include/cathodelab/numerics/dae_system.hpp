// The contract of a differential-algebraic system F(t, y, y') = 0 in residual form, as solved by
// the backward-differentiation (BDF) integrator behind numerics::IdaSolver (SUNDIALS IDA; Hindmarsh
// et al., ACM TOMS 31 (2005) 363).
//
// A system states its size, which components are differential (appear with y'), the sparsity
// pattern of the iteration matrix dF/dy + c_j dF/dy', and optionally an analytic iteration matrix
// and event functions g(t, y, y') whose zero crossings end an integration exactly (root finding).
// Without an analytic Jacobian the solver builds the matrix by coloured finite differences (Curtis,
// Powell and Reid 1974): columns that share no row are perturbed together, so a banded or
// block-local system needs only a few residual evaluations per Jacobian. The residual sees plain
// spans; no solver types leak into physics code.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace cathodelab::numerics {

/// Compressed sparse column pattern (no values) of an n x n matrix. Row indices within a column
/// are sorted and unique.
struct SparsityPattern {
  std::size_t n = 0;
  std::vector<std::size_t> column_start;  ///< size n + 1
  std::vector<std::size_t> row_index;     ///< size column_start[n]

  [[nodiscard]] std::size_t nonzeros() const noexcept { return row_index.size(); }
};

/// Builds a CSC pattern from (row, column) pairs; duplicates are merged and every diagonal entry is
/// added (the iteration matrix of a DAE always needs it).
[[nodiscard]] SparsityPattern make_sparsity_pattern(
    std::size_t n, std::span<const std::pair<std::size_t, std::size_t>> entries);

/// Greedy column colouring: columns of the same colour share no row. Returns the colour of each
/// column; the number of colours is max + 1.
[[nodiscard]] std::vector<int> colour_columns(const SparsityPattern& pattern);

class DaeSystem {
 public:
  DaeSystem() = default;
  DaeSystem(const DaeSystem&) = default;
  DaeSystem& operator=(const DaeSystem&) = default;
  DaeSystem(DaeSystem&&) = default;
  DaeSystem& operator=(DaeSystem&&) = default;
  virtual ~DaeSystem() = default;

  [[nodiscard]] virtual std::size_t size() const = 0;

  /// out = F(t, y, y'). Must be finite for finite inputs inside the physical domain.
  virtual void residual(double t, std::span<const double> y, std::span<const double> yp,
                        std::span<double> out) const = 0;

  /// true for components that appear differentiated (y'_i enters F), false for algebraic ones.
  [[nodiscard]] virtual std::vector<bool> differential_mask() const = 0;

  /// Pattern of dF/dy + c_j dF/dy' (a superset is fine).
  [[nodiscard]] virtual SparsityPattern sparsity() const = 0;

  /// When true, jacobian() fills the values of dF/dy + c_j dF/dy' in the order of sparsity().
  [[nodiscard]] virtual bool has_analytic_jacobian() const { return false; }
  virtual void jacobian(double /*t*/, double /*c_j*/, std::span<const double> /*y*/,
                        std::span<const double> /*yp*/, std::span<double> /*values*/) const {}

  /// Number of event functions; an integration stops where one of them crosses zero.
  [[nodiscard]] virtual std::size_t event_count() const { return 0; }
  /// Per event: -1 only falling crossings end an integration, +1 only rising, 0 both. Empty = all
  /// 0.
  [[nodiscard]] virtual std::vector<int> event_directions() const { return {}; }
  virtual void events(double /*t*/, std::span<const double> /*y*/, std::span<const double> /*yp*/,
                      std::span<double> /*g*/) const {}
};

}  // namespace cathodelab::numerics
