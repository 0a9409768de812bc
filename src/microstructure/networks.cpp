// Ionic and electronic networks of a labelled image: conducting clusters, their connection to the
// entry faces (separator for ions, collector for electrons) and the spanning fraction.
#include "cathodelab/microstructure/networks.hpp"

#include "cathodelab/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace cathodelab::microstructure {

std::string_view network_name(Network network) noexcept {
  return network == Network::ionic ? "ionic" : "electronic";
}

BoxFace entry_face(Network network) noexcept {
  return network == Network::ionic ? BoxFace{core::Axis::z, true} : BoxFace{core::Axis::z, false};
}

core::Array3<std::uint8_t> network_mask(const core::Array3<Label>& labels,
                                        std::span<const double> sigma_by_label, Network network) {
  const std::string kind(network_name(network));
  for (std::size_t label = 0; label < sigma_by_label.size(); ++label) {
    const double sigma = sigma_by_label[label];
    if (!std::isfinite(sigma) || sigma < 0.0) {
      throw core::InputError("the " + kind + " conductivity of label " + std::to_string(label) +
                                 " is " + std::to_string(sigma),
                             "phase " + std::to_string(label),
                             "give a finite conductivity >= 0 S/m (0 = does not conduct)");
    }
  }
  std::array<std::uint8_t, 256> conducts{};
  std::array<bool, 256> known{};
  for (std::size_t label = 0; label < sigma_by_label.size() && label < 256; ++label) {
    conducts[label] = sigma_by_label[label] > 0.0 ? 1 : 0;
    known[label] = true;
  }
  core::Array3<std::uint8_t> mask(labels.grid(), 0);
  for (std::size_t v = 0; v < labels.size(); ++v) {
    const Label label = labels[v];
    if (!known[label]) {
      throw core::InputError(
          "label " + std::to_string(label) + " in the image has no " + kind + " conductivity",
          "phase " + std::to_string(label),
          "give a phase (material or conductivities) for every label");
    }
    mask[v] = conducts[label];
  }
  return mask;
}

namespace {

VoxelConnection classify(const Cluster& cluster, BoxFace entry) {
  const BoxFace opposite{entry.axis, !entry.high};
  const bool at_entry = cluster.touches(entry);
  const bool at_opposite = cluster.touches(opposite);
  if (at_entry && at_opposite) return VoxelConnection::spanning;
  if (at_entry) return VoxelConnection::dead_end;
  if (at_opposite) return VoxelConnection::opposite_only;
  if (cluster.touched_faces == 0) return VoxelConnection::isolated;
  return VoxelConnection::boundary_only;
}

double spanning_fraction(const ClusterLabels& labels, core::Axis axis, std::size_t voxels) {
  std::size_t spanning = 0;
  for (const Cluster& c : labels.clusters) {
    if (c.spans(axis)) spanning += c.voxels;
  }
  return voxels > 0 ? static_cast<double>(spanning) / static_cast<double>(voxels) : 0.0;
}

}  // namespace

NetworkMorphology analyze_network(const core::Array3<Label>& labels,
                                  std::span<const double> sigma_by_label, Network network,
                                  const NetworkOptions& options) {
  const auto mask = network_mask(labels, sigma_by_label, network);
  const bool wrap = options.periodic_in_plane;
  const ClusterLabels along_z =
      label_clusters(mask, {.connectivity = options.connectivity, .periodic = {wrap, wrap, false}});

  NetworkMorphology result;
  result.network = network;
  result.cluster_count = along_z.clusters.size();
  for (const Cluster& c : along_z.clusters) {
    result.voxels += c.voxels;
    result.largest_cluster_voxels = std::max(result.largest_cluster_voxels, c.voxels);
  }
  const double total = static_cast<double>(labels.size());
  result.volume_fraction = total > 0 ? static_cast<double>(result.voxels) / total : 0.0;

  std::vector<std::uint8_t> cluster_class(along_z.clusters.size());
  std::array<std::size_t, 6> class_voxels{};
  for (std::size_t c = 0; c < along_z.clusters.size(); ++c) {
    const auto cls = classify(along_z.clusters[c], entry_face(network));
    cluster_class[c] = static_cast<std::uint8_t>(cls);
    class_voxels[static_cast<std::size_t>(cls)] += along_z.clusters[c].voxels;
  }
  result.connection = core::Array3<std::uint8_t>(labels.grid(), 0);
  for (std::size_t v = 0; v < labels.size(); ++v) {
    const std::int32_t c = along_z.cluster[v];
    if (c != no_cluster) result.connection[v] = cluster_class[static_cast<std::size_t>(c)];
  }
  const double n = static_cast<double>(result.voxels);
  auto fraction = [&](VoxelConnection cls) {
    return n > 0 ? static_cast<double>(class_voxels[static_cast<std::size_t>(cls)]) / n : 0.0;
  };
  result.spanning_fraction = fraction(VoxelConnection::spanning);
  result.dead_end_fraction = fraction(VoxelConnection::dead_end);
  result.opposite_only_fraction = fraction(VoxelConnection::opposite_only);
  result.isolated_fraction = fraction(VoxelConnection::isolated);
  result.boundary_only_fraction = fraction(VoxelConnection::boundary_only);
  result.entry_connected_fraction = result.spanning_fraction + result.dead_end_fraction;

  result.axis_spanning_fraction[2] = result.spanning_fraction;
  if (wrap) {
    // Transport along x (y): the electrodes bound that axis; only the other in-plane axis wraps.
    const ClusterLabels along_x = label_clusters(
        mask, {.connectivity = options.connectivity, .periodic = {false, true, false}});
    const ClusterLabels along_y = label_clusters(
        mask, {.connectivity = options.connectivity, .periodic = {true, false, false}});
    result.axis_spanning_fraction[0] = spanning_fraction(along_x, core::Axis::x, result.voxels);
    result.axis_spanning_fraction[1] = spanning_fraction(along_y, core::Axis::y, result.voxels);
  } else {
    result.axis_spanning_fraction[0] = spanning_fraction(along_z, core::Axis::x, result.voxels);
    result.axis_spanning_fraction[1] = spanning_fraction(along_z, core::Axis::y, result.voxels);
  }
  return result;
}

}  // namespace cathodelab::microstructure
