// VoxelLaplacian: the finite-volume graph Laplacian of a labelled voxel grid, matrix-free.
//
// Unknowns sit at voxel centres. Two face neighbours a, b are joined by a conductance that depends
// only on their labels, pair_conductance[K * label_a + label_b] (symmetric table, K labels); a
// voxel touching one of the two Dirichlet planes z = 0 and z = nz (the outer faces of the first and
// last layers) is joined to it by boundary_conductance[label]. All other outer faces carry no flux.
// Label 0 is "no unknown": all of its conductances must be zero and its value stays 0. Row c of
// A x reads  sum_nb g_nb (x_c - x_nb) + g_boundary x_c ; the Dirichlet values enter the right-hand
// side (rhs_for_dirichlet). No physics here: the caller decides what the conductances mean.
#pragma once

#include "cathodelab/numerics/linear_operator.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cathodelab::numerics {

struct VoxelLaplacian {
  std::array<std::size_t, 3> shape{0, 0, 0};  ///< cells along x (fastest), y, z (Dirichlet axis)
  std::span<const std::uint8_t> labels;       ///< per cell, < label_count(); 0 = excluded
  std::vector<float> pair_conductance;        ///< K*K, symmetric, row 0 and column 0 zero
  std::vector<float> boundary_conductance;    ///< K, to the Dirichlet planes z = 0 and z = nz

  [[nodiscard]] std::size_t cells() const noexcept { return shape[0] * shape[1] * shape[2]; }
  [[nodiscard]] std::size_t label_count() const noexcept { return boundary_conductance.size(); }
  /// Throws InternalError when tables and shape do not fit together.
  void check() const;
};

/// y = A x for a VoxelLaplacian (a LinearOperator over all cells; excluded cells map to 0).
class VoxelLaplacianOperator final : public LinearOperator {
 public:
  explicit VoxelLaplacianOperator(const VoxelLaplacian& laplacian);
  void apply(std::span<const double> x, std::span<double> y) const override;
  [[nodiscard]] std::size_t size() const override { return laplacian_.cells(); }

 private:
  const VoxelLaplacian& laplacian_;
};

/// b with the Dirichlet values: b_c = g_boundary (value_low on the z = 0 layer, value_high on the
/// z = nz - 1 layer); both when nz = 1.
void rhs_for_dirichlet(const VoxelLaplacian& laplacian, double value_low, double value_high,
                       std::span<double> b);

/// Net flow out of the domain through the plane z = 0 (low) and into it through z = nz (high) for
/// the solution x: sum over the layer of g_boundary (value - x_c) and g_boundary (x_c - value).
/// For an exact solution both agree (conservation).
struct DirichletFlows {
  double into_low = 0.0;  ///< sum over z = 0 layer of g (value_low - x)
  double out_high = 0.0;  ///< sum over z = nz-1 layer of g (x - value_high)
};
[[nodiscard]] DirichletFlows dirichlet_flows(const VoxelLaplacian& laplacian,
                                             std::span<const double> x, double value_low,
                                             double value_high);

}  // namespace cathodelab::numerics
