// Connected-component labelling of a voxel mask (Hoshen-Kopelman style union-find in one raster
// pass, then a relabelling pass).
//
// Two voxels of the mask belong to the same cluster when they are neighbours under the chosen
// connectivity: face (6 neighbours, the conservative choice for transport: current only crosses
// shared faces, which is also what the voxel conductivity solver sees), edge (18) or vertex (26,
// the optimistic bound). Axes flagged periodic wrap around, so a cluster leaving at x = nx-1
// re-enters at x = 0. For each cluster we record its voxel count and which of the six box faces
// it touches; percolation, dead ends and isolated regions are all read from those face flags.
#pragma once

#include "cathodelab/core/array3.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cathodelab::microstructure {

/// Neighbourhood used to connect voxels (the number is the neighbour count).
enum class Connectivity : std::uint8_t { face = 6, edge = 18, vertex = 26 };

/// One of the six faces of the box: the low (index 0) or high (index n-1) side of an axis.
struct BoxFace {
  core::Axis axis = core::Axis::z;
  bool high = false;
  /// Bit of this face in Cluster::touched_faces (bit 2*axis + high).
  [[nodiscard]] std::uint8_t bit() const noexcept {
    return static_cast<std::uint8_t>(1u << (2u * static_cast<unsigned>(axis) + (high ? 1u : 0u)));
  }
};

struct Cluster {
  std::size_t voxels = 0;
  std::uint8_t touched_faces =
      0;  ///< bit set of BoxFace::bit() of every box face the cluster touches

  [[nodiscard]] bool touches(BoxFace face) const noexcept {
    return (touched_faces & face.bit()) != 0;
  }
  /// Touches both faces normal to `axis` (spans the box along it).
  [[nodiscard]] bool spans(core::Axis axis) const noexcept {
    return touches({axis, false}) && touches({axis, true});
  }
};

struct LabelingOptions {
  Connectivity connectivity = Connectivity::face;
  std::array<bool, 3> periodic{false, false, false};  ///< wrap-around per axis x, y, z
};

inline constexpr std::int32_t no_cluster = -1;

struct ClusterLabels {
  /// Cluster index per voxel (no_cluster outside the mask). Clusters are numbered in raster order
  /// of their first voxel (x fastest), so the numbering is deterministic.
  core::Array3<std::int32_t> cluster;
  std::vector<Cluster> clusters;
};

/// Labels the connected clusters of the voxels where mask != 0. On a periodic axis the two faces
/// normal to it are not boundaries, so no cluster "touches" them.
[[nodiscard]] ClusterLabels label_clusters(const core::Array3<std::uint8_t>& mask,
                                           const LabelingOptions& options = {});

}  // namespace cathodelab::microstructure
