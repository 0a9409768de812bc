// Effective conductivity and tortuosity factor of a labelled voxel image along one axis.
//
// Steady conduction div(sigma grad phi) = 0 with phi = 1 V on the outer face of the first voxel
// layer normal to the axis, phi = 0 on the outer face of the last layer (both half a voxel from the
// voxel centres) and no flux through the four other faces. Finite volumes on the voxel grid: the
// conductance of the face between two voxels uses the harmonic mean of their conductivities (zero
// when either is zero), h * 2 s_a s_b / (s_a + s_b); a boundary voxel joins its driven face through
// 2 h s. With this discretization a uniform block gives exactly its bulk conductivity and a series
// stack of layers exactly L / sum(h_i / s_i). Conducting voxels not connected to both driven faces
// (isolated clusters, clusters touching one face only) carry no current and are removed before the
// solve; dead-end branches of the spanning clusters are kept (they carry no current either, the
// solver handles them). Tortuosity factor tau = phi * sigma_bulk / sigma_eff (phi = volume fraction
// of voxels with sigma > 0, sigma_bulk = their volume-weighted mean conductivity), as in TauFactor
// (Cooper et al., SoftwareX 2016) for a single phase. Solver: matrix-free CG preconditioned by a
// geometric multigrid V-cycle (numerics/voxel_multigrid.hpp), run until an a posteriori bound on
// the relative error of sigma_eff meets the tolerance. See docs/theory/transport.md.
#pragma once

#include "cathodelab/core/array3.hpp"
#include "cathodelab/core/solve_stats.hpp"
#include "cathodelab/numerics/voxel_multigrid.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace cathodelab::transport {

struct ConductivityOptions {
  /// [-] relative error of sigma_eff to reach: CG runs until the a posteriori bound
  /// (EffectiveConductivity::estimated_relative_error) is at most this; its first round stops on
  /// the relative residual ||b - A phi|| / ||b|| <= this, later rounds lower the residual target.
  double relative_tolerance = 1e-6;
  int max_iterations = 500;  ///< CG iteration limit, all rounds together
  int smoothing_sweeps = 2;  ///< red-black Gauss-Seidel sweeps before/after each coarse correction
  bool throw_on_failure = true;  ///< a solve that does not converge throws core::NumericalError
  /// Multigrid coarsening: automatic = split (operator-dependent) when the conductivity contrast in
  /// the network exceeds 10, structured otherwise (numerics/voxel_multigrid.hpp).
  numerics::VoxelCoarsening coarsening = numerics::VoxelCoarsening::automatic;
};

struct EffectiveConductivity {
  core::Axis axis = core::Axis::z;
  bool percolates = false;              ///< some conducting path joins the two driven faces
  double effective_conductivity = 0.0;  ///< [S/m] 0 when not percolating
  double tortuosity_factor =
      0.0;                       ///< [-] phi sigma_bulk / sigma_eff; +infinity when not percolating
  double volume_fraction = 0.0;  ///< [-] phi: fraction of voxels with sigma > 0
  double bulk_conductivity = 0.0;  ///< [S/m] volume-weighted mean sigma of those voxels
  double percolating_fraction =
      0.0;  ///< [-] conducting voxels in the spanning set / all conducting
  double current_in =
      0.0;  ///< [A] current entering through the first face with 1 V across the sample
  double current_out =
      0.0;  ///< [A] current leaving through the last face (equals current_in at convergence)
  /// [-] bound on |sigma_eff - exact| / exact for this discretization: from the residual
  /// r = b - A phi, |F - F*| <= ||r||_1 / 2 (maximum principle; F = mean of the two face flows,
  /// whose difference is sum(r)), plus the relative rounding of the conductances stored in single
  /// precision. At most relative_tolerance when converged, unless the solve stalled first (then
  /// stats.message says so and this is the accuracy achieved). 0 when not percolating (exact).
  double estimated_relative_error = 0.0;
  std::size_t unknowns = 0;  ///< voxels in the spanning set (the unknowns of the solve)
  std::size_t solver_bytes =
      0;                   ///< [byte] held by the solve: labels copy, x, CG vectors, multigrid
  core::SolveStats stats;  ///< of the CG solve (iterations 0 when nothing had to be solved)
};

/// sigma_by_label[l] = conductivity [S/m] of voxels labelled l (finite, >= 0; 0 = does not
/// conduct). A network that does not join the two faces (no conducting voxel at all, or no
/// conducting path between the faces) is an answer: percolates = false, sigma_eff = 0,
/// tau = +infinity, stats.converged = true with stats.message saying why, no solve. Throws
/// core::InputError for: a label without conductivity, NaN/negative/infinite conductivity, fewer
/// than 2 voxels along the axis (when something conducts), a voxel size not > 0, not enough
/// memory. Throws core::NumericalError (with the statistics) when the solve does not converge and
/// options.throw_on_failure. Deterministic for a given number of threads.
[[nodiscard]] EffectiveConductivity effective_conductivity(const core::Array3<std::uint8_t>& labels,
                                                           std::span<const double> sigma_by_label,
                                                           core::Axis axis,
                                                           const ConductivityOptions& options = {});

/// [byte] memory one effective_conductivity solve needs for `voxels` voxels (peak, estimate);
/// high_contrast: with the split multigrid (conductivity contrast above 10 in the network).
[[nodiscard]] std::size_t effective_conductivity_bytes(std::size_t voxels,
                                                       bool high_contrast = false) noexcept;

}  // namespace cathodelab::transport
