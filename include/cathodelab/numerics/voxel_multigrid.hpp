// VoxelMultigrid: a geometric multigrid V-cycle for the VoxelLaplacian, used as the (symmetric
// positive definite) preconditioner of conjugate gradients; and voxel_pcg, the mixed-precision CG
// that drives it with the least memory.
//
// Cell-centred coarsening by 2x2x2 aggregation. Coarse face conductances are rediscretized from the
// fine ones by conductance coarsening: the coarse face between two aggregates is the parallel sum
// of the fine faces it covers, times 1/2 because the coarse cell centres are twice as far apart
// (series of two fine cells per column). This equals half the Galerkin operator P^T A P for
// piecewise-constant P, is exact for uniform media and follows the conducting paths with any
// contrast, since a face made only of non-conducting voxels stays zero. Excluded cells (no unknown)
// stay excluded; an aggregate is active when any child is. Smoother: red-black Gauss-Seidel
// (OpenMP), red-black before and black-red after the coarse correction so that the V-cycle is a
// symmetric operator; coarsest level: dense Cholesky. See docs/theory/transport.md.
#pragma once

#include "cathodelab/core/solve_stats.hpp"
#include "cathodelab/numerics/cg.hpp"
#include "cathodelab/numerics/linear_operator.hpp"
#include "cathodelab/numerics/voxel_laplacian.hpp"

#include <cstddef>
#include <memory>
#include <span>

namespace cathodelab::numerics {

struct VoxelMultigridOptions {
  int smoothing_sweeps = 2;           ///< red-black sweeps before and after each correction
  std::size_t coarsest_cells = 1000;  ///< stop coarsening at or below this many cells
  bool series_coarsening = false;  ///< series (path-aware) coarsening; slower on contrast, see docs
};

class VoxelMultigrid final : public LinearOperator {
 public:
  /// Builds the hierarchy; keeps a reference to `fine`, which must outlive this object.
  explicit VoxelMultigrid(const VoxelLaplacian& fine, const VoxelMultigridOptions& options = {});
  ~VoxelMultigrid() override;
  VoxelMultigrid(const VoxelMultigrid&) = delete;
  VoxelMultigrid& operator=(const VoxelMultigrid&) = delete;
  VoxelMultigrid(VoxelMultigrid&&) noexcept;
  VoxelMultigrid& operator=(VoxelMultigrid&&) noexcept;

  /// z = V-cycle(r), double in and out (the LinearOperator contract).
  void apply(std::span<const double> r, std::span<double> z) const override;
  /// z = V-cycle(r) with a single-precision result (what voxel_pcg uses).
  void apply(std::span<const double> r, std::span<float> z) const;
  [[nodiscard]] std::size_t size() const override;
  [[nodiscard]] int levels() const noexcept;
  /// [byte] memory held by the coarse levels.
  [[nodiscard]] std::size_t bytes() const noexcept;

  /// [byte] estimate of what a hierarchy for `cells` fine cells needs (before building it).
  [[nodiscard]] static std::size_t bytes_for(std::size_t cells) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Mixed-precision preconditioned CG for the VoxelLaplacian with Dirichlet values value_low (plane
/// z = 0) and value_high (plane z = nz): the right-hand side is formed on the fly, x and the
/// residual are double, the search direction and the preconditioned/operator vector float, dot
/// products are accumulated in double (16 bytes per cell besides the caller's x and the labels).
/// Convergence is judged on the recursive residual; on exit stats.residual is the TRUE relative
/// residual ||b - A x|| / ||b|| recomputed in double. x holds the initial guess on entry.
core::SolveStats voxel_pcg(const VoxelLaplacian& laplacian, const VoxelMultigrid& preconditioner,
                           double value_low, double value_high, std::span<double> x,
                           const CgOptions& options = {});

/// [byte] per cell needed by voxel_pcg's own vectors (the caller's x excluded).
inline constexpr std::size_t voxel_pcg_bytes_per_cell = 2 * sizeof(float) + sizeof(double);

}  // namespace cathodelab::numerics
