// Interface areas between phases (and between particles) of a voxel image, with an estimator whose
// bias is small and measured.
//
// Counting voxel faces overestimates the area of a smooth surface: a face of normal e_d stands for
// the surface element dA with unit normal n only through its projection, so the face count
// estimates  integral (|n_x| + |n_y| + |n_z|) dA,  which is 3/2 of a sphere's area on average.
// The normal-weighted estimator used here keeps the face count but weights every face between
// region r (voxel a) and region s (its neighbour b across the face) by |n . e_d|, the area of the
// face projected onto the local tangent plane; n is estimated from the first moment of the signed
// indicator (+1 in s, -1 in r, 0 in any third region) over a ball of radius `window_radius`
// voxels centred on the face. With the exact normal the weighted sum is exact for a plane, since
// sum_d |n_d| * |n_d| = 1; a normal error of angle theta lowers a face's weight by
// 1 - cos(theta), so the estimator is biased low by the mean of theta^2/2. Measured biases
// (tests/verification/morphology_area_test.cpp, docs/theory/morphology.md): sphere of radius 10
// voxels about -1 %, 20 voxels about -0.5 %; flat contact discs are counted face by face.
// Splitting by neighbouring region comes for free: each face belongs to one pair (r, s).
// Compare Lindblad, Image Vis. Comput. 23 (2005) 111 (weighted 2x2x2 configurations), which
// reaches a similar bias on binary images but does not split area by neighbouring phase.
#pragma once

#include "cathodelab/core/array3.hpp"
#include "cathodelab/microstructure/microstructure.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace cathodelab::microstructure {

enum class AreaEstimator : std::uint8_t {
  face_count,       ///< plain voxel-face count (biased high by ~3/2 for random orientations)
  normal_weighted,  ///< faces weighted by |n . e_d| with a local normal estimate (default)
};

struct AreaOptions {
  AreaEstimator estimator = AreaEstimator::normal_weighted;
  double smoothing = 1.5;  ///< [voxel] Gaussian width of the normal estimate (cut at 3x)
  std::array<bool, 3> periodic{false, false, false};  ///< wrap-around per axis x, y, z
};

/// Symmetric matrix of interface areas between labels.
struct InterfaceAreaMatrix {
  std::size_t label_count = 0;
  std::vector<double> area;  ///< [m^2] row-major label_count^2, area[a*n+b] = area[b*n+a]
  [[nodiscard]] double between(Label a, Label b) const {
    return area[static_cast<std::size_t>(a) * label_count + b];
  }
  /// [m^2] all interfaces of label a with any other label
  [[nodiscard]] double of(Label a) const;
};

/// Area between every pair of different labels. Faces on a bounded box face are not counted (the
/// image edge is a cut, not a surface); on a periodic axis the wrap-around faces are.
[[nodiscard]] InterfaceAreaMatrix interface_areas(const core::Array3<Label>& labels,
                                                  std::size_t label_count,
                                                  const AreaOptions& options = {});

/// [m^2] surface of the voxels where mask != 0 (faces to the rest, box faces excluded).
[[nodiscard]] double surface_area(const core::Array3<std::uint8_t>& mask,
                                  const AreaOptions& options = {});

/// Area of every face between different regions of an int32 region image, reported face by face
/// in raster order of (voxel a, axis): visit(a, b, area [m^2]) where b is a's + neighbour along
/// the axis. Deterministic (independent of the thread count); computed in parallel.
void visit_interface_faces(
    const core::Array3<std::int32_t>& region, const AreaOptions& options,
    const std::function<void(std::size_t a, std::size_t b, double area)>& visit);

}  // namespace cathodelab::microstructure
