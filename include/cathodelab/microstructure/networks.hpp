// Transport networks of a composite electrode: which voxels carry ions or electrons, how they
// connect, and which parts can actually take part in transport (Bielefeld et al., J. Phys. Chem. C
// 123 (2019) 1626; physics notes section 1.3).
//
// The ionic network is the set of voxels whose label has an ionic conductivity > 0 (electrolyte,
// mixed conductors, Li-conducting coatings); the electronic network likewise with the electronic
// conductivity. Clusters are connected by faces by default (see labeling.hpp). Ions enter the
// cathode from the separator face z = L (k = nz-1), electrons from the collector face z = 0. Along
// the transport direction z every network voxel falls in exactly one class:
//   spanning       its cluster touches both z faces (carries through-plane current);
//   dead end       touches the entry face only (reachable, stores/reacts, carries no through
//   current); opposite only  touches the face opposite the entry only (unreachable from the entry);
//   isolated       touches no face of the box (enclosed);
//   boundary only  touches only side faces x/y of a bounded image: cut by the image edge, its
//                  connectivity outside the image is unknown (counted as unreachable).
// When the structure is periodic in-plane the x/y faces are no boundaries: clusters are joined
// across them and the "boundary only" class is empty. The per-axis spanning fraction for x or y
// wraps only the other in-plane axis (the axis of transport is bounded by the electrodes).
#pragma once

#include "cathodelab/core/array3.hpp"
#include "cathodelab/microstructure/labeling.hpp"
#include "cathodelab/microstructure/microstructure.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace cathodelab::microstructure {

enum class Network : std::uint8_t { ionic, electronic };

[[nodiscard]] std::string_view network_name(Network network) noexcept;  // "ionic", "electronic"

/// The box face through which a network's carriers enter: z = L for ions, z = 0 for electrons.
[[nodiscard]] BoxFace entry_face(Network network) noexcept;

/// Class of a voxel with respect to a network (stored as std::uint8_t per voxel).
enum class VoxelConnection : std::uint8_t {
  outside = 0,   ///< not part of the network
  spanning = 1,  ///< connected to both z faces
  dead_end = 2,  ///< connected to the entry face only
  opposite_only = 3,
  isolated = 4,
  boundary_only = 5,
};

/// True for voxels the carriers can reach from the entry face.
[[nodiscard]] constexpr bool entry_connected(VoxelConnection c) noexcept {
  return c == VoxelConnection::spanning || c == VoxelConnection::dead_end;
}

struct NetworkOptions {
  Connectivity connectivity = Connectivity::face;
  bool periodic_in_plane = false;  ///< wrap x and y (generated structures)
};

struct NetworkMorphology {
  Network network = Network::ionic;
  std::size_t voxels = 0;         ///< voxels in the network
  double volume_fraction = 0.0;   ///< of the whole box
  std::size_t cluster_count = 0;  ///< clusters under the z-transport labelling
  std::size_t largest_cluster_voxels = 0;
  // Fractions of the network's own volume (they sum to 1 when the network is not empty):
  double spanning_fraction = 0.0;         ///< along z
  double dead_end_fraction = 0.0;         ///< entry face only
  double opposite_only_fraction = 0.0;    ///< face opposite the entry only
  double isolated_fraction = 0.0;         ///< no box face
  double boundary_only_fraction = 0.0;    ///< x/y faces only (bounded images)
  double entry_connected_fraction = 0.0;  ///< spanning + dead end
  /// Fraction of the network's volume in clusters spanning the box along x, y, z (the
  /// "percolating fraction" of a conductivity solve along that axis).
  std::array<double, 3> axis_spanning_fraction{};
  /// VoxelConnection of every voxel (as std::uint8_t), for masks and slice images.
  core::Array3<std::uint8_t> connection;
};

/// 1 where sigma_by_label[label] > 0. Throws InputError for a label without a conductivity, and
/// for NaN, infinite or negative conductivities.
[[nodiscard]] core::Array3<std::uint8_t> network_mask(const core::Array3<Label>& labels,
                                                      std::span<const double> sigma_by_label,
                                                      Network network);

/// Classifies the network given by the per-label conductivities ([S/m], index = label).
[[nodiscard]] NetworkMorphology analyze_network(const core::Array3<Label>& labels,
                                                std::span<const double> sigma_by_label,
                                                Network network,
                                                const NetworkOptions& options = {});

}  // namespace cathodelab::microstructure
