// Dense sphere packing by collective rearrangement (Jodrey-Tory / force-biased style) with an
// allowed overlap, in a box periodic in x and y and bounded by walls in z.
//
// Each sweep finds every pair closer than (1 - omega_ij)(r_i + r_j) (omega_ij = the larger allowed
// overlap of the two phases: the softer particle flattens) and moves both apart along the line of
// centres, sharing the excess in inverse proportion to particle volume (a large CAM particle moves
// less than a small electrolyte one). Displacements are summed per particle in a fixed order and
// applied together (Jacobi), so the result does not depend on the number of threads. Walls push
// centres back to z in [(1 - omega) r, L - (1 - omega) r]. Neighbours come from a hierarchical cell
// grid (one level per size class), which keeps the search O(N) for polydisperse mixtures with
// size ratios of 10 and more.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cathodelab::microstructure {

struct PackingSphere {
  std::array<double, 3> centre{};  ///< [m]
  double radius = 0.0;             ///< [m]
  double allowed_overlap = 0.0;    ///< omega in [0, 1)
  bool fixed = false;              ///< fixed spheres push others but do not move
};

struct PackingBox {
  double lx = 0.0;  ///< [m] periodic
  double ly = 0.0;  ///< [m] periodic
  double lz = 0.0;  ///< [m] walls at z = 0 and z = lz
};

struct PackingResult {
  int sweeps = 0;                     ///< relaxation sweeps performed
  double max_excess_overlap = 0.0;    ///< largest remaining (allowed distance - d)/(ri + rj)
  double mean_excess_overlap = 0.0;   ///< mean over overlapping pairs of the same
  std::size_t overlapping_pairs = 0;  ///< pairs still closer than allowed
  bool converged = false;             ///< every excess below the tolerance
};

/// Neighbour search for spheres of very different sizes: a hierarchy of uniform cell grids whose
/// cell size doubles per level; a sphere lives on the finest level whose cells are at least its
/// diameter. Periodic in x and y.
class SphereGrid {
 public:
  SphereGrid(PackingBox box, double min_radius, double max_radius);
  /// (Re)builds the grid from sphere centres and radii.
  void build(std::span<const PackingSphere> spheres);
  /// Calls visit(j) for every sphere j (j != i possible duplicates excluded) whose centre may lie
  /// within r_i + r_j + margin of sphere i. Order is deterministic.
  template <class Visit>
  void for_each_candidate(const PackingSphere& sphere, double margin, Visit&& visit) const {
    for_each_candidate(sphere, margin, 0, visit);
  }
  /// The same, restricted to levels >= min_level (spheres at least as large as the finest level
  /// holds): a small sphere finds its large neighbours cheaply, while a large sphere never scans
  /// the many small cells of fine levels (pairs are made symmetric afterwards).
  template <class Visit>
  void for_each_candidate(const PackingSphere& sphere, double margin, int min_level,
                          Visit&& visit) const;
  /// Level a sphere of this radius is stored on.
  [[nodiscard]] int level_of(double radius) const;

 private:
  struct Level {
    double cell = 0.0;  ///< [m]
    std::array<int, 3> cells{};
    std::vector<std::uint32_t> start;  ///< CSR offsets per cell (size cells+1)
    std::vector<std::uint32_t> items;  ///< sphere indices
    double max_radius = 0.0;           ///< [m] largest radius stored on this level
  };
  PackingBox box_;
  double base_cell_ = 0.0;
  std::vector<Level> levels_;
};

/// Relaxes overlaps in place. Deterministic for a given input.
PackingResult relax_packing(std::vector<PackingSphere>& spheres, const PackingBox& box,
                            int max_sweeps, double tolerance, double wall_overlap_factor = 1.0);

/// Minimum-image separation vector b - a in the periodic x/y box.
[[nodiscard]] std::array<double, 3> periodic_delta(const std::array<double, 3>& a,
                                                   const std::array<double, 3>& b,
                                                   const PackingBox& box) noexcept;

// ---- template implementation ----
template <class Visit>
void SphereGrid::for_each_candidate(const PackingSphere& sphere, double margin, int min_level,
                                    Visit&& visit) const {
  for (std::size_t l = static_cast<std::size_t>(std::max(0, min_level)); l < levels_.size(); ++l) {
    const Level& level = levels_[l];
    if (level.items.empty()) {
      continue;
    }
    const double reach = sphere.radius + level.max_radius + margin;
    const double c = level.cell;
    const int nx = level.cells[0];
    const int ny = level.cells[1];
    const int nz = level.cells[2];
    const auto lo_x = static_cast<int>(std::floor((sphere.centre[0] - reach) / c));
    const auto hi_x = static_cast<int>(std::floor((sphere.centre[0] + reach) / c));
    const auto lo_y = static_cast<int>(std::floor((sphere.centre[1] - reach) / c));
    const auto hi_y = static_cast<int>(std::floor((sphere.centre[1] + reach) / c));
    const int lo_z = std::max(0, static_cast<int>(std::floor((sphere.centre[2] - reach) / c)));
    const int hi_z = std::min(nz - 1, static_cast<int>(std::floor((sphere.centre[2] + reach) / c)));
    // In a small periodic box the window may wrap onto itself; clamp to one period.
    const int span_x = std::min(hi_x - lo_x, nx - 1);
    const int span_y = std::min(hi_y - lo_y, ny - 1);
    for (int kz = lo_z; kz <= hi_z; ++kz) {
      for (int dy = 0; dy <= span_y; ++dy) {
        const int ky = ((lo_y + dy) % ny + ny) % ny;
        for (int dx = 0; dx <= span_x; ++dx) {
          const int kx = ((lo_x + dx) % nx + nx) % nx;
          const std::size_t cell =
              static_cast<std::size_t>(kx) +
              static_cast<std::size_t>(nx) *
                  (static_cast<std::size_t>(ky) +
                   static_cast<std::size_t>(ny) * static_cast<std::size_t>(kz));
          for (std::uint32_t n = level.start[cell]; n < level.start[cell + 1]; ++n) {
            visit(level.items[n]);
          }
        }
      }
    }
  }
}

}  // namespace cathodelab::microstructure
