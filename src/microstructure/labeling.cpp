// Connected-component labelling (see labeling.hpp): Hoshen-Kopelman style union-find in one raster
// pass, then a relabelling pass.
#include "cathodelab/microstructure/labeling.hpp"

#include "cathodelab/core/error.hpp"

#include <cstdint>
#include <cstdlib>
#include <limits>

namespace cathodelab::microstructure {
namespace {

struct Offset {
  int dx, dy, dz;
};

/// The "forward" half of the neighbourhood (lexicographically positive in z, y, x): visiting it
/// from every voxel reaches each neighbouring pair exactly once.
std::vector<Offset> forward_offsets(Connectivity connectivity) {
  std::vector<Offset> offsets;
  for (int dz = -1; dz <= 1; ++dz) {
    for (int dy = -1; dy <= 1; ++dy) {
      for (int dx = -1; dx <= 1; ++dx) {
        const int order = std::abs(dx) + std::abs(dy) + std::abs(dz);
        if (order == 0) continue;
        if (connectivity == Connectivity::face && order > 1) continue;
        if (connectivity == Connectivity::edge && order > 2) continue;
        const bool forward = dz > 0 || (dz == 0 && (dy > 0 || (dy == 0 && dx > 0)));
        if (forward) offsets.push_back({dx, dy, dz});
      }
    }
  }
  return offsets;
}

/// Union-find whose root is always the smallest voxel index of the set, i.e. the cluster's first
/// voxel in raster order; that makes the final numbering a single ordered pass.
class MinRootUnionFind {
 public:
  explicit MinRootUnionFind(std::size_t n) : parent_(n) {}
  void make(std::uint32_t v) { parent_[v] = v; }
  std::uint32_t find(std::uint32_t v) {
    while (parent_[v] != v) {
      parent_[v] = parent_[parent_[v]];  // path halving
      v = parent_[v];
    }
    return v;
  }
  void unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (a < b) {
      parent_[b] = a;
    } else {
      parent_[a] = b;
    }
  }

 private:
  std::vector<std::uint32_t> parent_;
};

/// Neighbour coordinate along one axis, or -1 when it leaves a bounded axis.
inline std::ptrdiff_t step(std::size_t i, int d, std::size_t n, bool periodic) {
  const auto j = static_cast<std::ptrdiff_t>(i) + d;
  const auto nn = static_cast<std::ptrdiff_t>(n);
  if (j >= 0 && j < nn) return j;
  if (!periodic) return -1;
  return (j + nn) % nn;
}

}  // namespace

ClusterLabels label_clusters(const core::Array3<std::uint8_t>& mask,
                             const LabelingOptions& options) {
  const core::Grid3& grid = mask.grid();
  CATHODELAB_REQUIRE(grid.size() < std::numeric_limits<std::uint32_t>::max(),
                     "image too large for 32-bit voxel indices");
  const std::size_t nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
  const auto offsets = forward_offsets(options.connectivity);

  MinRootUnionFind sets(grid.size());
  for (std::size_t v = 0; v < grid.size(); ++v) {
    if (mask[v] != 0) sets.make(static_cast<std::uint32_t>(v));
  }
  for (std::size_t k = 0; k < nz; ++k) {
    for (std::size_t j = 0; j < ny; ++j) {
      for (std::size_t i = 0; i < nx; ++i) {
        const std::size_t v = grid.index(i, j, k);
        if (mask[v] == 0) continue;
        for (const Offset& o : offsets) {
          const auto ii = step(i, o.dx, nx, options.periodic[0]);
          const auto jj = step(j, o.dy, ny, options.periodic[1]);
          const auto kk = step(k, o.dz, nz, options.periodic[2]);
          if (ii < 0 || jj < 0 || kk < 0) continue;
          const std::size_t w =
              grid.index(static_cast<std::size_t>(ii), static_cast<std::size_t>(jj),
                         static_cast<std::size_t>(kk));
          if (mask[w] != 0) {
            sets.unite(static_cast<std::uint32_t>(v), static_cast<std::uint32_t>(w));
          }
        }
      }
    }
  }

  ClusterLabels result{core::Array3<std::int32_t>(grid, no_cluster), {}};
  for (std::size_t v = 0; v < grid.size(); ++v) {
    if (mask[v] == 0) continue;
    const std::uint32_t root = sets.find(static_cast<std::uint32_t>(v));
    std::int32_t c = 0;
    if (root == v) {
      c = static_cast<std::int32_t>(result.clusters.size());
      result.clusters.emplace_back();
    } else {
      c = result.cluster[root];
    }
    result.cluster[v] = c;
    ++result.clusters[static_cast<std::size_t>(c)].voxels;
  }

  // Face flags: scan the two boundary planes of each bounded axis.
  auto mark = [&](std::size_t i, std::size_t j, std::size_t k, BoxFace face) {
    const std::int32_t c = result.cluster(i, j, k);
    if (c != no_cluster) result.clusters[static_cast<std::size_t>(c)].touched_faces |= face.bit();
  };
  if (!options.periodic[2] && nz > 0) {
    for (std::size_t j = 0; j < ny; ++j) {
      for (std::size_t i = 0; i < nx; ++i) {
        mark(i, j, 0, {core::Axis::z, false});
        mark(i, j, nz - 1, {core::Axis::z, true});
      }
    }
  }
  if (!options.periodic[1] && ny > 0) {
    for (std::size_t k = 0; k < nz; ++k) {
      for (std::size_t i = 0; i < nx; ++i) {
        mark(i, 0, k, {core::Axis::y, false});
        mark(i, ny - 1, k, {core::Axis::y, true});
      }
    }
  }
  if (!options.periodic[0] && nx > 0) {
    for (std::size_t k = 0; k < nz; ++k) {
      for (std::size_t j = 0; j < ny; ++j) {
        mark(0, j, k, {core::Axis::x, false});
        mark(nx - 1, j, k, {core::Axis::x, true});
      }
    }
  }
  return result;
}

}  // namespace cathodelab::microstructure
