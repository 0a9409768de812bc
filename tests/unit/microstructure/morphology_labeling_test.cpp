// Cluster labelling and network classification on hand-built images: every count is exact.
#include "cathodelab/core/error.hpp"
#include "cathodelab/microstructure/labeling.hpp"
#include "cathodelab/microstructure/networks.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace cathodelab::microstructure {
namespace {

core::Array3<std::uint8_t> empty_mask(std::size_t nx, std::size_t ny, std::size_t nz) {
  return core::Array3<std::uint8_t>({{nx, ny, nz}, 1e-6}, 0);
}

TEST(MorphologyLabeling, CountsFaceConnectedBlobsExactly) {
  auto mask = empty_mask(6, 6, 1);
  // blob 0: L-shape of 3 voxels; blob 1: single voxel touching blob 0 only by an edge; blob 2: bar
  mask(0, 0, 0) = mask(1, 0, 0) = mask(1, 1, 0) = 1;
  mask(2, 2, 0) = 1;
  mask(4, 0, 0) = mask(4, 1, 0) = mask(4, 2, 0) = mask(4, 3, 0) = 1;
  const auto face = label_clusters(mask);
  ASSERT_EQ(face.clusters.size(), 3u);
  EXPECT_EQ(face.clusters[0].voxels, 3u);
  EXPECT_EQ(face.clusters[1].voxels,
            4u);  // the bar's first voxel (4,0) precedes (2,2) in raster order
  EXPECT_EQ(face.clusters[2].voxels, 1u);
  EXPECT_EQ(face.cluster(2, 2, 0), 2);
  EXPECT_EQ(face.cluster(3, 3, 0), no_cluster);

  const auto edge = label_clusters(mask, {.connectivity = Connectivity::edge});
  EXPECT_EQ(edge.clusters.size(), 2u);  // (2,2) joins the L through the edge with (1,1)
}

TEST(MorphologyLabeling, VertexConnectivityJoinsCornerNeighbours) {
  auto mask = empty_mask(3, 3, 3);
  mask(0, 0, 0) = mask(1, 1, 1) = mask(2, 2, 2) = 1;
  EXPECT_EQ(label_clusters(mask, {.connectivity = Connectivity::face}).clusters.size(), 3u);
  EXPECT_EQ(label_clusters(mask, {.connectivity = Connectivity::edge}).clusters.size(), 3u);
  EXPECT_EQ(label_clusters(mask, {.connectivity = Connectivity::vertex}).clusters.size(), 1u);
}

TEST(MorphologyLabeling, PeriodicAxisJoinsAcrossTheWrapAndHasNoFaces) {
  auto mask = empty_mask(5, 3, 3);
  mask(0, 1, 1) = mask(4, 1, 1) = 1;
  const auto bounded = label_clusters(mask);
  ASSERT_EQ(bounded.clusters.size(), 2u);
  EXPECT_TRUE(bounded.clusters[0].touches({core::Axis::x, false}));
  EXPECT_TRUE(bounded.clusters[1].touches({core::Axis::x, true}));
  const auto wrapped = label_clusters(mask, {.periodic = {true, false, false}});
  ASSERT_EQ(wrapped.clusters.size(), 1u);
  EXPECT_EQ(wrapped.clusters[0].voxels, 2u);
  EXPECT_EQ(wrapped.clusters[0].touched_faces, 0);
}

TEST(MorphologyLabeling, SpanningClusterTouchesBothFaces) {
  auto mask = empty_mask(3, 3, 4);
  for (std::size_t k = 0; k < 4; ++k) mask(1, 1, k) = 1;
  const auto labels = label_clusters(mask);
  ASSERT_EQ(labels.clusters.size(), 1u);
  EXPECT_TRUE(labels.clusters[0].spans(core::Axis::z));
  EXPECT_FALSE(labels.clusters[0].spans(core::Axis::x));
}

/// A 6x6x10 image of label 1 structures in label 0 (nothing):
///   A: column (1,1,k) for all k          -> spans z (10 voxels)
///   B: column (4,1,k), k = 5..9          -> touches z = L only (5)
///   C: column (1,4,k), k = 0..2          -> touches z = 0 only (3)
///   D: (3,4,4), (3,4,5)                  -> touches no face (2)
///   E: (0,3,5)                           -> touches the x = 0 side only (1)
core::Array3<Label> channels_image() {
  core::Array3<Label> labels({{6, 6, 10}, 1e-6}, 0);
  for (std::size_t k = 0; k < 10; ++k) labels(1, 1, k) = 1;
  for (std::size_t k = 5; k < 10; ++k) labels(4, 1, k) = 1;
  for (std::size_t k = 0; k < 3; ++k) labels(1, 4, k) = 1;
  labels(3, 4, 4) = labels(3, 4, 5) = 1;
  labels(0, 3, 5) = 1;
  return labels;
}

TEST(MorphologyNetworks, IonicClassesOfChannelsDeadEndsAndIsolatedBlobsAreExact) {
  const auto labels = channels_image();
  const std::vector<double> sigma{0.0, 0.1};
  const auto net = analyze_network(labels, sigma, Network::ionic);
  EXPECT_EQ(net.voxels, 21u);
  EXPECT_EQ(net.cluster_count, 5u);
  EXPECT_EQ(net.largest_cluster_voxels, 10u);
  EXPECT_DOUBLE_EQ(net.volume_fraction, 21.0 / 360.0);
  EXPECT_DOUBLE_EQ(net.spanning_fraction, 10.0 / 21.0);
  EXPECT_DOUBLE_EQ(net.dead_end_fraction, 5.0 / 21.0);       // ions enter at z = L: B
  EXPECT_DOUBLE_EQ(net.opposite_only_fraction, 3.0 / 21.0);  // C
  EXPECT_DOUBLE_EQ(net.isolated_fraction, 2.0 / 21.0);
  EXPECT_DOUBLE_EQ(net.boundary_only_fraction, 1.0 / 21.0);
  EXPECT_DOUBLE_EQ(net.entry_connected_fraction, 15.0 / 21.0);
  EXPECT_DOUBLE_EQ(net.axis_spanning_fraction[2], 10.0 / 21.0);
  EXPECT_DOUBLE_EQ(net.axis_spanning_fraction[0], 0.0);
  EXPECT_EQ(net.connection(4, 1, 7), static_cast<std::uint8_t>(VoxelConnection::dead_end));
  EXPECT_EQ(net.connection(3, 4, 4), static_cast<std::uint8_t>(VoxelConnection::isolated));
  EXPECT_EQ(net.connection(0, 0, 0), static_cast<std::uint8_t>(VoxelConnection::outside));
}

TEST(MorphologyNetworks, ElectronsEnterFromTheCollectorSoDeadEndsSwap) {
  const auto labels = channels_image();
  const std::vector<double> sigma{0.0, 10.0};
  const auto net = analyze_network(labels, sigma, Network::electronic);
  EXPECT_DOUBLE_EQ(net.dead_end_fraction, 3.0 / 21.0);       // C touches z = 0
  EXPECT_DOUBLE_EQ(net.opposite_only_fraction, 5.0 / 21.0);  // B
  EXPECT_DOUBLE_EQ(net.entry_connected_fraction, 13.0 / 21.0);
}

TEST(MorphologyNetworks, PeriodicInPlaneTurnsSideOnlyBlobsIsolated) {
  const auto labels = channels_image();
  const std::vector<double> sigma{0.0, 0.1};
  const auto net = analyze_network(labels, sigma, Network::ionic, {.periodic_in_plane = true});
  EXPECT_DOUBLE_EQ(net.boundary_only_fraction, 0.0);
  EXPECT_DOUBLE_EQ(net.isolated_fraction, 3.0 / 21.0);
}

TEST(MorphologyNetworks, AxisSpanningOfAnInPlaneSlab) {
  core::Array3<Label> labels({{4, 5, 6}, 1e-6}, 0);
  for (std::size_t j = 0; j < 5; ++j) {
    for (std::size_t i = 0; i < 4; ++i) labels(i, j, 2) = 2;  // an x-y slab at k = 2
  }
  const std::vector<double> sigma{0.0, 0.0, 1.0};
  const auto net = analyze_network(labels, sigma, Network::ionic);
  EXPECT_DOUBLE_EQ(net.axis_spanning_fraction[0], 1.0);
  EXPECT_DOUBLE_EQ(net.axis_spanning_fraction[1], 1.0);
  EXPECT_DOUBLE_EQ(net.axis_spanning_fraction[2], 0.0);
  EXPECT_DOUBLE_EQ(net.boundary_only_fraction, 1.0);
  const auto wrapped = analyze_network(labels, sigma, Network::ionic, {.periodic_in_plane = true});
  EXPECT_DOUBLE_EQ(wrapped.axis_spanning_fraction[0], 1.0);  // x bounded, y wrapped
  EXPECT_DOUBLE_EQ(wrapped.isolated_fraction, 1.0);
}

TEST(MorphologyNetworks, RefusesMissingLabelsAndBadConductivities) {
  const auto labels = channels_image();
  const std::vector<double> one{0.0};
  EXPECT_THROW((void)analyze_network(labels, one, Network::ionic), core::InputError);
  const std::vector<double> nan{0.0, std::numeric_limits<double>::quiet_NaN()};
  EXPECT_THROW((void)analyze_network(labels, nan, Network::ionic), core::InputError);
  const std::vector<double> negative{0.0, -1.0};
  try {
    (void)analyze_network(labels, negative, Network::electronic);
    FAIL() << "negative conductivity accepted";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("electronic conductivity of label 1"), std::string::npos)
        << e.what();
  }
}

TEST(MorphologyNetworks, EmptyNetworkIsAResultNotAnError) {
  const auto labels = channels_image();
  const std::vector<double> zero{0.0, 0.0};
  const auto net = analyze_network(labels, zero, Network::ionic);
  EXPECT_EQ(net.voxels, 0u);
  EXPECT_DOUBLE_EQ(net.spanning_fraction, 0.0);
  EXPECT_DOUBLE_EQ(net.entry_connected_fraction, 0.0);
}

}  // namespace
}  // namespace cathodelab::microstructure
