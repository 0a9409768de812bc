// The finite-volume voxel operator div(sigma grad phi) with harmonic face means (see
// voxel_laplacian.hpp and docs/theory/transport.md).
#include "cathodelab/numerics/voxel_laplacian.hpp"

#include "cathodelab/core/error.hpp"
#include "voxel_kernels.hpp"

#include <string>

namespace cathodelab::numerics {

using detail::Dims;
using detail::Index;
using detail::LabelFaces;

void VoxelLaplacian::check() const {
  const std::size_t k = label_count();
  CATHODELAB_REQUIRE(k >= 1, "VoxelLaplacian needs at least the excluded label 0");
  CATHODELAB_REQUIRE(pair_conductance.size() == k * k, "pair table must be K*K");
  CATHODELAB_REQUIRE(labels.size() == cells(), "one label per cell");
  CATHODELAB_REQUIRE(cells() > 0, "empty grid");
}

namespace detail {
LabelFaces label_faces(const VoxelLaplacian& l) {
  return LabelFaces{l.labels.data(), l.pair_conductance.data(), l.boundary_conductance.data(),
                    l.label_count(), Dims{l.shape[0], l.shape[1], l.shape[2]}};
}
}  // namespace detail

VoxelLaplacianOperator::VoxelLaplacianOperator(const VoxelLaplacian& laplacian)
    : laplacian_(laplacian) {
  laplacian_.check();
}

void VoxelLaplacianOperator::apply(std::span<const double> x, std::span<double> y) const {
  CATHODELAB_REQUIRE(x.size() == size() && y.size() == size(), "operator sizes");
  (void)detail::apply_operator(detail::label_faces(laplacian_), x.data(), y.data());
}

void rhs_for_dirichlet(const VoxelLaplacian& laplacian, double value_low, double value_high,
                       std::span<double> b) {
  laplacian.check();
  CATHODELAB_REQUIRE(b.size() == laplacian.cells(), "rhs size");
  const std::size_t sxy = laplacian.shape[0] * laplacian.shape[1];
  const std::size_t last = laplacian.cells() - sxy;
  for (double& v : b) v = 0.0;
  for (std::size_t c = 0; c < sxy; ++c) {
    const double g = laplacian.boundary_conductance[laplacian.labels[c]];
    b[c] += g * value_low;
    b[last + c] += laplacian.boundary_conductance[laplacian.labels[last + c]] * value_high;
  }
}

DirichletFlows dirichlet_flows(const VoxelLaplacian& laplacian, std::span<const double> x,
                               double value_low, double value_high) {
  laplacian.check();
  CATHODELAB_REQUIRE(x.size() == laplacian.cells(), "solution size");
  const std::size_t sxy = laplacian.shape[0] * laplacian.shape[1];
  const std::size_t last = laplacian.cells() - sxy;
  DirichletFlows flows;
  for (std::size_t c = 0; c < sxy; ++c) {
    flows.into_low += laplacian.boundary_conductance[laplacian.labels[c]] * (value_low - x[c]);
    flows.out_high +=
        laplacian.boundary_conductance[laplacian.labels[last + c]] * (x[last + c] - value_high);
  }
  return flows;
}

}  // namespace cathodelab::numerics
