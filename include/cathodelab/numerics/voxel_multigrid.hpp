// VoxelMultigrid: a cell-centred multigrid V-cycle for the VoxelLaplacian, used as the (symmetric
// positive definite) preconditioner of conjugate gradients; and voxel_pcg, the mixed-precision CG
// that drives it with the least memory. See docs/theory/transport.md, "Solver".
//
// Coarsening by 2x2x2 blocks, in one of two ways (chosen automatically from the measured contrast
// of the face conductances present, VoxelMultigridOptions):
//  - structured (contrast <= split_above_contrast, few excluded cells): one coarse cell per block;
//  the coarse face
//    between two blocks is 1/2 * the sum of the fine faces it covers (half the Galerkin operator
//    P^T A P for piecewise-constant P; exact for uniform media). Cheapest: 20 bytes per coarse
//    cell.
//  - split (operator-dependent, for high contrast): the cells of a block are split into the
//    components connected by strong faces (conductance >= theta * the larger conductance of the two
//    cells' materials); each component is one coarse unknown, so two good conductors linked only
//    through a poor phase keep separate coarse values (aggregation AMG with geometric blocks).
//    Coarse levels are graphs (CSR) built by the same rule on 2x2x2 blocks of blocks, with
//    A_c = P^T A P where strong couplings are scaled by 1/2 (as on the structured path) and weak
//    ones (interfaces) by 1. Smoother on graph levels: Gauss-Seidel over blocks of one parity in
//    parallel (they share no edge), forward before and backward after the correction. Coarsening
//    stops when it stalls; that level is solved by Cholesky when small, else by symmetric
//    Gauss-Seidel sweeps. By default (VoxelCycle::k) every graph level below the first is solved
//    by a K-cycle (Notay and Vassilevski, Numer. Linear Algebra Appl. 15 (2008) 473): up to two
//    flexible CG steps preconditioned by the cycle below, which restores the coarse-grid
//    correction that the slowly coarsening high-contrast levels lose; the preconditioner then
//    varies, and voxel_pcg becomes flexible CG (Polak-Ribiere beta).
// Fine-level smoother: red-black Gauss-Seidel (OpenMP), red-black before and black-red after the
// coarse correction, so that the V-cycle is symmetric. Coarsest structured level: dense Cholesky.
#pragma once

#include "cathodelab/core/solve_stats.hpp"
#include "cathodelab/numerics/cg.hpp"
#include "cathodelab/numerics/linear_operator.hpp"
#include "cathodelab/numerics/voxel_laplacian.hpp"

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace cathodelab::numerics {

/// How the first coarse level is formed from 2x2x2 blocks.
enum class VoxelCoarsening {
  automatic,   ///< split when the measured contrast exceeds split_above_contrast or the excluded
               ///< fraction split_above_excluded_fraction
  structured,  ///< one coarse cell per block (cheapest; weak for high contrast)
  split,       ///< one coarse unknown per strongly connected component of each block
};

/// How the graph levels of the split hierarchy are cycled.
enum class VoxelCycle {
  v,  ///< one cycle per coarse correction: a fixed symmetric positive definite preconditioner
  k,  ///< K-cycle: graph levels below the first are solved by two flexible CG steps (a variable
      ///< preconditioner: the outer Krylov method must be flexible; voxel_pcg and cg are)
};

struct VoxelMultigridOptions {
  int smoothing_sweeps = 2;           ///< red-black sweeps before and after each correction
  std::size_t coarsest_cells = 1000;  ///< stop coarsening at or below this many unknowns
  VoxelCoarsening coarsening = VoxelCoarsening::automatic;
  /// automatic: split when (largest / smallest non-zero face conductance present) exceeds this.
  double split_above_contrast = 10.0;
  /// automatic: split also when more than this fraction of the cells is excluded (label 0): a
  /// tortuous solved set (an electrolyte network) puts pieces that are not connected inside a
  /// 2x2x2 block into one structured coarse cell (generated cathode, ionic network: 70 -> 14
  /// iterations; docs/benchmarks.md).
  double split_above_excluded_fraction = 0.25;
  /// theta: a face (edge) is strong when its conductance >= theta * the larger of the two cells'
  /// own conductances (fine level) or strongest edges (graph levels).
  double strength_threshold = 0.1;
  /// Cycle on the graph levels (split path only; the structured path is always a V-cycle).
  VoxelCycle cycle = VoxelCycle::k;
};

class VoxelMultigrid final : public LinearOperator {
 public:
  /// Builds the hierarchy; keeps a reference to `fine`, which must outlive this object.
  explicit VoxelMultigrid(const VoxelLaplacian& fine, const VoxelMultigridOptions& options = {});
  ~VoxelMultigrid() override;
  VoxelMultigrid(const VoxelMultigrid&) = delete;
  VoxelMultigrid& operator=(const VoxelMultigrid&) = delete;
  VoxelMultigrid(VoxelMultigrid&& other) noexcept;
  VoxelMultigrid& operator=(VoxelMultigrid&& other) noexcept;

  /// z = V-cycle(r), double in and out (the LinearOperator contract).
  void apply(std::span<const double> r, std::span<double> z) const override;
  /// z = V-cycle(r) in single precision (what voxel_pcg uses).
  void apply(std::span<const float> r, std::span<float> z) const;
  [[nodiscard]] std::size_t size() const override;
  [[nodiscard]] int levels() const noexcept;
  /// Unknowns per level, finest first.
  [[nodiscard]] std::vector<std::size_t> level_sizes() const;
  /// Whether the preconditioner varies from one application to the next (K-cycle in use): the
  /// outer Krylov method must then be flexible CG (voxel_pcg switches to it by itself).
  [[nodiscard]] bool variable() const noexcept;
  /// Whether the split (operator-dependent) coarsening is in use.
  [[nodiscard]] bool split_coarsening() const noexcept;
  /// Largest over smallest non-zero face conductance among the labels present.
  [[nodiscard]] double contrast() const noexcept;
  /// [byte] memory held by the coarse levels (and, split path, the per-cell component map).
  [[nodiscard]] std::size_t bytes() const noexcept;

  /// [byte] estimate of what a structured hierarchy for `cells` fine cells needs (before building
  /// it); the split path needs more, see bytes_for_split.
  [[nodiscard]] static std::size_t bytes_for(std::size_t cells) noexcept;
  /// [byte] upper estimate for the split path (1 byte per cell for the component map, 1/2 for the
  /// block offsets, the graph levels at their measured size on random three-phase media near
  /// the percolation threshold of the good phase, the worst case tested, their K-cycle work
  /// vectors, and voxel_pcg's flexible extra vector; docs/theory/transport.md).
  [[nodiscard]] static std::size_t bytes_for_split(std::size_t cells) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Mixed-precision preconditioned CG for the VoxelLaplacian with Dirichlet values value_low (plane
/// z = 0) and value_high (plane z = nz): the right-hand side is formed on the fly, x is double; the
/// residual, the search direction and the preconditioned/operator vector are float (12 bytes per
/// cell besides the caller's x and the labels; 16 when the preconditioner is variable, which
/// makes it flexible CG with the Polak-Ribiere beta); dot products are accumulated in double, and
/// the true residual is recomputed in double at each restart of the iterative refinement.
/// Convergence is judged on the recursive residual; on exit stats.residual is the TRUE relative
/// residual ||b - A x|| / ||b|| recomputed in double. x holds the initial guess on entry.
core::SolveStats voxel_pcg(const VoxelLaplacian& laplacian, const VoxelMultigrid& preconditioner,
                           double value_low, double value_high, std::span<double> x,
                           const CgOptions& options = {});

/// [byte] per cell needed by voxel_pcg's own vectors r, p, w (the caller's x excluded).
inline constexpr std::size_t voxel_pcg_bytes_per_cell = 3 * sizeof(float);
/// [byte] per cell that voxel_pcg needs in addition for a variable preconditioner (flexible CG
/// keeps z apart from A p); VoxelMultigrid::bytes_for_split includes it.
inline constexpr std::size_t voxel_pcg_flexible_extra_bytes_per_cell = sizeof(float);

}  // namespace cathodelab::numerics
