// The voxel multigrid preconditioner and voxel_pcg (see voxel_multigrid.hpp and
// docs/theory/transport.md): structured or split 2x2x2 coarsening, Galerkin graph levels, K-cycle.
#include "cathodelab/numerics/voxel_multigrid.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/memory.hpp"
#include "voxel_kernels.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace cathodelab::numerics {

using detail::Dims;
using detail::Index;
using detail::kNoComponent;
using detail::LabelFaces;
using detail::Six;
using detail::SplitMap;
using detail::StoredFaces;

namespace {
/// Coarse-operator scale of a fine coupling inside one material (strong): 1/2, as on the
/// structured path (piecewise-constant prolongation overestimates the energy of smooth errors by
/// about 2 per level); of a weak coupling (an interface between materials of very different
/// conductance): 1, plain Galerkin, which is exact there because the potential drop sits at the
/// interface and a piecewise-constant coarse function represents it.
constexpr double kStrongScale = 0.5;
constexpr double kWeakScale = 1.0;
/// Stop graph coarsening when a level keeps more than this fraction of the unknowns.
constexpr double kStallRatio = 0.9;
/// Symmetric Gauss-Seidel sweeps (each way) on a coarsest graph level too large for Cholesky.
constexpr int kCoarsestSweeps = 8;
/// K-cycle: skip the second flexible CG step when the first reduced the coarse residual this much.
constexpr double kKcycleTolerance = 0.25;
/// K-cycle only on levels whose doubled visits keep their work below this multiple of the finest
/// graph level's work (bounds the cost of a cycle where coarsening is slow; 2 loses nothing on
/// the images measured, docs/benchmarks.md).
constexpr double kKcycleWork = 2.0;
/// [byte] per fine cell held by the split hierarchy, upper estimate (see bytes_for_split).
/// 14 for the hierarchy, 1 for the K-cycle work vectors (5 floats per node of graph levels 1 and
/// below, measured 0.9 B per fine cell on a generated cathode), 4 for voxel_pcg's flexible z.
constexpr std::size_t kSplitBytesPerCell = 19;

Dims coarsened(const Dims& d) {
  return Dims{(d.nx + 1) / 2, (d.ny + 1) / 2, (d.nz + 1) / 2};
}

// =============================================================================================
// Structured path: one coarse cell per 2x2x2 block, faces stored per direction.

/// One coarse level: conductances rediscretized from the finer level, and its work vectors.
struct Level {
  Dims d;
  std::vector<float> gx, gy, gz;
  mutable std::vector<float> b, x;

  [[nodiscard]] StoredFaces faces() const {
    return StoredFaces{gx.data(), gy.data(), gz.data(), d};
  }
  [[nodiscard]] std::size_t bytes() const {
    return (gx.size() + gy.size() + gz.size() + b.size() + x.size()) * sizeof(float);
  }
};

/// Conductance coarsening: coarse face = 1/2 * (sum of the fine faces it covers), i.e. half the
/// Galerkin operator for piecewise-constant prolongation; exact for a uniform medium.
template <class F>
Level coarsen(const F& fine) {
  const Dims df = fine.d;
  Level level;
  level.d = coarsened(df);
  const Dims dc = level.d;
  const std::size_t n = dc.n();
  level.gx.assign(n + 1, 0.0F);
  level.gy.assign(n + dc.nx, 0.0F);
  level.gz.assign(n + dc.sxy(), 0.0F);
  level.b.assign(n, 0.0F);
  level.x.assign(n, 0.0F);
  const Index nzc = static_cast<Index>(dc.nz);
#pragma omp parallel for schedule(static) if (df.n() > detail::kParallelCells)
  for (Index skc = 0; skc < nzc; ++skc) {
    const std::size_t kc = static_cast<std::size_t>(skc);
    for (std::size_t jc = 0; jc < dc.ny; ++jc) {
      for (std::size_t ic = 0; ic < dc.nx; ++ic) {
        const std::size_t cc = ic + dc.nx * (jc + dc.ny * kc);
        double gx = 0.0, gy = 0.0, gz = 0.0, gtop = 0.0;
        for (std::size_t k = 2 * kc; k < std::min(2 * kc + 2, df.nz); ++k) {
          for (std::size_t j = 2 * jc; j < std::min(2 * jc + 2, df.ny); ++j) {
            for (std::size_t i = 2 * ic; i < std::min(2 * ic + 2, df.nx); ++i) {
              const std::size_t c = i + df.nx * (j + df.ny * k);
              const Six g = fine.at(c, i, j, k);
              if (i == 2 * ic && i > 0) gx += 0.5 * g.w;
              if (j == 2 * jc && j > 0) gy += 0.5 * g.s;
              if (k == 2 * kc) gz += 0.5 * g.b;  // at k = 0: the Dirichlet face
              if (k + 1 == df.nz) gtop += 0.5 * g.t;
            }
          }
        }
        level.gx[cc] = static_cast<float>(gx);
        level.gy[cc] = static_cast<float>(gy);
        level.gz[cc] = static_cast<float>(gz);
        if (kc + 1 == dc.nz) level.gz[cc + dc.sxy()] = static_cast<float>(gtop);
      }
    }
  }
  return level;
}

// =============================================================================================
// Split path: the unknowns of a 2x2x2 block are split into strongly connected components, one
// coarse unknown each; coarse levels are graphs (CSR) that keep a block structure for coarsening
// and for parallel smoothing.

/// One graph level. Node a belongs to exactly one block of the level's block grid; the nodes of
/// block B are first[B] .. first[B+1]-1. Edges join only nodes of the same or of face-adjacent
/// blocks (true on level 1, kept by coarsening), so blocks of one parity never touch each other.
struct GraphLevel {
  Dims blocks;
  std::vector<std::uint32_t> first;  // blocks.n() + 1
  std::vector<std::uint32_t> row;    // size() + 1
  std::vector<std::uint32_t> col;    // neighbour of each stored edge (both directions stored)
  std::vector<float> val;            // its conductance, > 0
  std::vector<float> dirichlet;  // conductance to the Dirichlet planes; diagonal = this + sum val
  std::vector<std::uint32_t> parent;  // node of the next coarser level (empty on the coarsest)
  mutable std::vector<float> b, x;
  mutable std::vector<float> kr, kz1, kv1, kz2, kv2;  // K-cycle work vectors (when used)

  [[nodiscard]] std::size_t size() const noexcept { return dirichlet.size(); }
  [[nodiscard]] std::size_t bytes() const noexcept {
    return (first.size() + row.size() + col.size() + parent.size()) * sizeof(std::uint32_t) +
           (val.size() + dirichlet.size() + b.size() + x.size() + kr.size() + kz1.size() +
            kv1.size() + kz2.size() + kv2.size()) *
               sizeof(float);
  }
};

/// Union-find over a few local indices; the smaller index is the root, so that component numbers
/// (assigned in order of first appearance) do not depend on the order of the unions.
struct SmallUnionFind {
  std::vector<std::uint32_t> p;
  void reset(std::size_t n) {
    p.resize(n);
    std::iota(p.begin(), p.end(), 0U);
  }
  std::uint32_t find(std::uint32_t a) {
    while (p[a] != a) {
      p[a] = p[p[a]];
      a = p[a];
    }
    return a;
  }
  void unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a < b) p[b] = a;
    if (b < a) p[a] = b;
  }
};

/// Exclusive prefix sum of counts[0..n) into first[0..n] (first[n] = total); checks 32-bit range.
std::vector<std::uint32_t> prefix_first(const std::vector<std::uint32_t>& counts) {
  std::vector<std::uint32_t> first(counts.size() + 1);
  std::uint64_t total = 0;
  for (std::size_t b = 0; b < counts.size(); ++b) {
    first[b] = static_cast<std::uint32_t>(total);
    total += counts[b];
  }
  if (total >= std::numeric_limits<std::uint32_t>::max())
    throw core::InternalError("voxel multigrid: too many coarse unknowns for 32-bit indices");
  first[counts.size()] = static_cast<std::uint32_t>(total);
  return first;
}

/// Rows built slab by slab (in parallel), then concatenated in slab order (deterministic).
struct SlabRows {
  std::vector<std::uint32_t> length, col;
  std::vector<float> val;
};

/// Sorts (neighbour, conductance) entries, merges duplicates and appends them as one row.
void append_row(std::vector<std::pair<std::uint32_t, double>>& entries, SlabRows& out) {
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::uint32_t length = 0;
  for (std::size_t e = 0; e < entries.size();) {
    double sum = 0.0;
    const std::uint32_t to = entries[e].first;
    for (; e < entries.size() && entries[e].first == to; ++e) sum += entries[e].second;
    if (sum <= 0.0) continue;
    out.col.push_back(to);
    out.val.push_back(static_cast<float>(sum));
    ++length;
  }
  out.length.push_back(length);
  entries.clear();
}

void concatenate(std::vector<SlabRows>& slabs, GraphLevel& level) {
  std::size_t rows = 0, edges = 0;
  for (const SlabRows& s : slabs) {
    rows += s.length.size();
    edges += s.col.size();
  }
  if (edges >= std::numeric_limits<std::uint32_t>::max())
    throw core::InternalError("voxel multigrid: too many coarse couplings for 32-bit indices");
  level.row.assign(rows + 1, 0U);
  level.col.resize(edges);
  level.val.resize(edges);
  std::size_t r = 0, e = 0;
  for (SlabRows& s : slabs) {
    std::copy(s.col.begin(), s.col.end(), level.col.begin() + static_cast<std::ptrdiff_t>(e));
    std::copy(s.val.begin(), s.val.end(), level.val.begin() + static_cast<std::ptrdiff_t>(e));
    for (const std::uint32_t length : s.length) {
      e += length;
      level.row[++r] = static_cast<std::uint32_t>(e);
    }
    s = SlabRows{};
  }
}

/// Level 1 of the split hierarchy. component[c] receives the component of fine cell c inside its
/// block (kNoComponent for excluded cells); children joined by a strong face (strong[K*la+lb])
/// share a component. Coarse couplings as in coarsen_graph.
GraphLevel split_fine(const LabelFaces& f, const std::vector<std::uint8_t>& strong,
                      std::vector<std::uint8_t>& component) {
  const Dims d = f.d;
  GraphLevel level;
  level.blocks = coarsened(d);
  const Dims db = level.blocks;
  const std::size_t sxy = d.sxy();
  const Index nzb = static_cast<Index>(db.nz);
  std::vector<std::uint32_t> counts(db.n());
  component.assign(d.n(), kNoComponent);
  const bool parallel = d.n() > detail::kParallelCells;
#pragma omp parallel for schedule(static) if (parallel)
  for (Index skb = 0; skb < nzb; ++skb) {
    const std::size_t kb = static_cast<std::size_t>(skb);
    std::array<std::uint8_t, 8> root{};
    for (std::size_t jb = 0; jb < db.ny; ++jb) {
      for (std::size_t ib = 0; ib < db.nx; ++ib) {
        // children q = di + 2 dj + 4 dk; cell[q] = SIZE_MAX when outside the grid or excluded.
        std::array<std::size_t, 8> cell{};
        for (std::size_t q = 0; q < 8; ++q) {
          const std::size_t i = 2 * ib + (q & 1U), j = 2 * jb + ((q >> 1U) & 1U),
                            k = 2 * kb + (q >> 2U);
          const bool inside = i < d.nx && j < d.ny && k < d.nz;
          const std::size_t c = i + d.nx * (j + d.ny * k);
          cell[q] = inside && f.labels[c] != 0 ? c : SIZE_MAX;
          root[q] = static_cast<std::uint8_t>(q);
        }
        auto find = [&](std::size_t q) {
          while (root[q] != q) q = root[q];
          return q;
        };
        for (std::size_t q = 0; q < 8; ++q) {
          if (cell[q] == SIZE_MAX) continue;
          for (const std::size_t step : {1U, 2U, 4U}) {
            if ((q & step) != 0 || cell[q + step] == SIZE_MAX) continue;
            const std::size_t la = f.labels[cell[q]], lb = f.labels[cell[q + step]];
            if (strong[la * f.k_labels + lb] == 0) continue;
            const std::size_t ra = find(q), rb = find(q + step);
            root[std::max(ra, rb)] = static_cast<std::uint8_t>(std::min(ra, rb));
          }
        }
        std::array<std::uint8_t, 8> number{};
        number.fill(kNoComponent);
        std::uint8_t count = 0;
        for (std::size_t q = 0; q < 8; ++q) {
          if (cell[q] == SIZE_MAX) continue;
          const std::size_t r = find(q);
          if (number[r] == kNoComponent) number[r] = count++;
          component[cell[q]] = number[r];
        }
        counts[ib + db.nx * (jb + db.ny * kb)] = count;
      }
    }
  }
  level.first = prefix_first(counts);
  counts = {};
  const std::size_t m = level.first.back();
  level.dirichlet.assign(m, 0.0F);
  std::vector<SlabRows> slabs(db.nz);
  const std::uint32_t* first = level.first.data();
  auto unknown = [&](std::size_t c, std::size_t i, std::size_t j, std::size_t k) {
    return first[i / 2 + db.nx * (j / 2 + db.ny * (k / 2))] + component[c];
  };
#pragma omp parallel for schedule(static) if (parallel)
  for (Index skb = 0; skb < nzb; ++skb) {
    const std::size_t kb = static_cast<std::size_t>(skb);
    SlabRows& out = slabs[kb];
    std::vector<std::pair<std::uint32_t, double>> entries;
    for (std::size_t jb = 0; jb < db.ny; ++jb) {
      for (std::size_t ib = 0; ib < db.nx; ++ib) {
        const std::size_t block = ib + db.nx * (jb + db.ny * kb);
        for (std::uint32_t self = first[block]; self < first[block + 1]; ++self) {
          const std::uint8_t q_self = static_cast<std::uint8_t>(self - first[block]);
          double to_planes = 0.0;
          for (std::size_t k = 2 * kb; k < std::min(2 * kb + 2, d.nz); ++k)
            for (std::size_t j = 2 * jb; j < std::min(2 * jb + 2, d.ny); ++j)
              for (std::size_t i = 2 * ib; i < std::min(2 * ib + 2, d.nx); ++i) {
                const std::size_t c = i + d.nx * (j + d.ny * k);
                if (component[c] != q_self) continue;
                const Six g = f.at(c, i, j, k);
                auto link = [&](float conductance, std::size_t nb, std::size_t ni, std::size_t nj,
                                std::size_t nk) {
                  if (conductance <= 0.0F || component[nb] == kNoComponent) return;
                  const std::uint32_t other = unknown(nb, ni, nj, nk);
                  const bool is_strong = strong[f.labels[c] * f.k_labels + f.labels[nb]] != 0;
                  if (other != self)
                    entries.emplace_back(other,
                                         (is_strong ? kStrongScale : kWeakScale) * conductance);
                };
                if (i > 0) link(g.w, c - 1, i - 1, j, k);
                if (i + 1 < d.nx) link(g.e, c + 1, i + 1, j, k);
                if (j > 0) link(g.s, c - d.nx, i, j - 1, k);
                if (j + 1 < d.ny) link(g.n, c + d.nx, i, j + 1, k);
                if (k > 0) {
                  link(g.b, c - sxy, i, j, k - 1);
                } else {
                  to_planes += g.b;
                }
                if (k + 1 < d.nz) {
                  link(g.t, c + sxy, i, j, k + 1);
                } else {
                  to_planes += g.t;
                }
              }
          level.dirichlet[self] = static_cast<float>(kStrongScale * to_planes);
          append_row(entries, out);
        }
      }
    }
  }
  concatenate(slabs, level);
  level.b.assign(m, 0.0F);
  level.x.assign(m, 0.0F);
  return level;
}

/// The up to 8 child blocks of coarse block (ib, jb, kb), as node ranges of the finer level.
struct ChildRanges {
  std::array<std::uint32_t, 8> lo{}, hi{};
  std::size_t count = 0;
};
ChildRanges child_ranges(const GraphLevel& fine, std::size_t ib, std::size_t jb, std::size_t kb) {
  const Dims d = fine.blocks;
  ChildRanges r;
  for (std::size_t k = 2 * kb; k < std::min(2 * kb + 2, d.nz); ++k)
    for (std::size_t j = 2 * jb; j < std::min(2 * jb + 2, d.ny); ++j)
      for (std::size_t i = 2 * ib; i < std::min(2 * ib + 2, d.nx); ++i) {
        const std::size_t block = i + d.nx * (j + d.ny * k);
        r.lo[r.count] = fine.first[block];
        r.hi[r.count] = fine.first[block + 1];
        ++r.count;
      }
  return r;
}

/// Next graph level: the nodes of each 2x2x2 block of blocks are split into components joined by
/// strong edges (conductance >= theta * the larger of the two nodes' strongest edges); each
/// component is one coarse node; coarse operator = P^T A P (piecewise-constant P) with every
/// strong coupling and the Dirichlet couplings scaled by kStrongScale, weak ones by kWeakScale.
/// Fills fine.parent.
GraphLevel coarsen_graph(GraphLevel& fine, double theta) {
  const std::size_t m = fine.size();
  const bool parallel = m > static_cast<std::size_t>(detail::kParallelCells);
  std::vector<float> strongest(m, 0.0F);
  const Index sm = static_cast<Index>(m);
#pragma omp parallel for schedule(static) if (parallel)
  for (Index a = 0; a < sm; ++a)
    for (std::uint32_t e = fine.row[a]; e < fine.row[a + 1]; ++e)
      strongest[a] = std::max(strongest[a], fine.val[e]);

  GraphLevel level;
  level.blocks = coarsened(fine.blocks);
  const Dims db = level.blocks;
  const Index nzb = static_cast<Index>(db.nz);
  std::vector<std::uint32_t> counts(db.n());
  fine.parent.assign(m, 0U);
#pragma omp parallel for schedule(static) if (parallel)
  for (Index skb = 0; skb < nzb; ++skb) {
    const std::size_t kb = static_cast<std::size_t>(skb);
    SmallUnionFind uf;
    std::vector<std::uint32_t> number;
    for (std::size_t jb = 0; jb < db.ny; ++jb) {
      for (std::size_t ib = 0; ib < db.nx; ++ib) {
        const ChildRanges r = child_ranges(fine, ib, jb, kb);
        std::array<std::uint32_t, 8> offset{};
        std::uint32_t local = 0;
        for (std::size_t q = 0; q < r.count; ++q) {
          offset[q] = local;
          local += r.hi[q] - r.lo[q];
        }
        auto local_of = [&](std::uint32_t node) -> std::uint32_t {
          for (std::size_t q = 0; q < r.count; ++q)
            if (node >= r.lo[q] && node < r.hi[q]) return offset[q] + node - r.lo[q];
          return UINT32_MAX;
        };
        uf.reset(local);
        for (std::size_t q = 0; q < r.count; ++q)
          for (std::uint32_t a = r.lo[q]; a < r.hi[q]; ++a)
            for (std::uint32_t e = fine.row[a]; e < fine.row[a + 1]; ++e) {
              const std::uint32_t b = fine.col[e];
              if (b < a) continue;  // each edge once
              if (fine.val[e] < theta * std::max(strongest[a], strongest[b])) continue;
              const std::uint32_t lb = local_of(b);
              if (lb != UINT32_MAX) uf.unite(offset[q] + a - r.lo[q], lb);
            }
        number.assign(local, UINT32_MAX);
        std::uint32_t count = 0;
        for (std::size_t q = 0; q < r.count; ++q)
          for (std::uint32_t a = r.lo[q]; a < r.hi[q]; ++a) {
            const std::uint32_t root = uf.find(offset[q] + a - r.lo[q]);
            if (number[root] == UINT32_MAX) number[root] = count++;
            fine.parent[a] = number[root];
          }
        counts[ib + db.nx * (jb + db.ny * kb)] = count;
      }
    }
  }
  level.first = prefix_first(counts);
  counts = {};
  const std::size_t mc = level.first.back();
  level.dirichlet.assign(mc, 0.0F);
  std::vector<SlabRows> slabs(db.nz);
#pragma omp parallel for schedule(static) if (parallel)
  for (Index skb = 0; skb < nzb; ++skb) {
    const std::size_t kb = static_cast<std::size_t>(skb);
    SlabRows& out = slabs[kb];
    std::vector<std::pair<std::uint32_t, double>> entries;
    std::vector<std::uint32_t> members;  // fine nodes of the block, ordered by coarse node
    std::vector<std::uint32_t> start;
    for (std::size_t jb = 0; jb < db.ny; ++jb) {
      for (std::size_t ib = 0; ib < db.nx; ++ib) {
        const std::size_t block = ib + db.nx * (jb + db.ny * kb);
        const ChildRanges r = child_ranges(fine, ib, jb, kb);
        const std::uint32_t base = level.first[block], count = level.first[block + 1] - base;
        start.assign(count + 1, 0U);
        for (std::size_t q = 0; q < r.count; ++q)
          for (std::uint32_t a = r.lo[q]; a < r.hi[q]; ++a) ++start[fine.parent[a] + 1];
        for (std::uint32_t c = 0; c < count; ++c) start[c + 1] += start[c];
        members.resize(start[count]);
        std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
        for (std::size_t q = 0; q < r.count; ++q)
          for (std::uint32_t a = r.lo[q]; a < r.hi[q]; ++a) {
            members[fill[fine.parent[a]]++] = a;
            fine.parent[a] += base;
          }
        for (std::uint32_t c = 0; c < count; ++c) {
          const std::uint32_t self = base + c;
          double to_planes = 0.0;
          for (std::uint32_t s = start[c]; s < start[c + 1]; ++s) {
            const std::uint32_t a = members[s];
            to_planes += fine.dirichlet[a];
            // Neighbours stay fine ids here: the parents of neighbouring blocks (other threads)
            // are final only after this loop; the pass below maps them.
            for (std::uint32_t e = fine.row[a]; e < fine.row[a + 1]; ++e) {
              const bool is_strong =
                  fine.val[e] >= theta * std::max(strongest[a], strongest[fine.col[e]]);
              entries.emplace_back(fine.col[e],
                                   (is_strong ? kStrongScale : kWeakScale) * fine.val[e]);
            }
          }
          level.dirichlet[self] = static_cast<float>(kStrongScale * to_planes);
          out.length.push_back(static_cast<std::uint32_t>(entries.size()));
          for (const auto& [b, w] : entries) {
            out.col.push_back(b);
            out.val.push_back(static_cast<float>(w));
          }
          entries.clear();
        }
      }
    }
  }
  // Second pass: every parent is final now; map neighbours to coarse nodes, drop the edges inside
  // a coarse node, merge duplicates.
  std::vector<SlabRows> merged(db.nz);
#pragma omp parallel for schedule(static) if (parallel)
  for (Index skb = 0; skb < nzb; ++skb) {
    const std::size_t kb = static_cast<std::size_t>(skb);
    SlabRows& in = slabs[kb];
    SlabRows& out = merged[kb];
    std::vector<std::pair<std::uint32_t, double>> entries;
    std::uint32_t self = level.first[db.nx * db.ny * kb];
    std::size_t e = 0;
    for (const std::uint32_t length : in.length) {
      for (std::size_t s = 0; s < length; ++s, ++e) {
        const std::uint32_t to = fine.parent[in.col[e]];
        if (to != self) entries.emplace_back(to, static_cast<double>(in.val[e]));
      }
      append_row(entries, out);
      ++self;
    }
    in = SlabRows{};
  }
  slabs = {};
  concatenate(merged, level);
  level.b.assign(mc, 0.0F);
  level.x.assign(mc, 0.0F);
  return level;
}

/// Block red-black Gauss-Seidel on a graph level: blocks of one parity in parallel (they share no
/// edge), the nodes of a block in order (forward) or in reverse order (backward, the adjoint).
void graph_smooth(const GraphLevel& g, const float* b, float* x, bool forward, int sweeps) {
  const Dims db = g.blocks;
  const Index nzb = static_cast<Index>(db.nz), nyb = static_cast<Index>(db.ny);
  const bool parallel = g.size() > static_cast<std::size_t>(detail::kParallelCells);
  auto relax = [&](std::uint32_t a) {
    double sum = b[a], diag = g.dirichlet[a];
    for (std::uint32_t e = g.row[a]; e < g.row[a + 1]; ++e) {
      sum += static_cast<double>(g.val[e]) * x[g.col[e]];
      diag += g.val[e];
    }
    x[a] = static_cast<float>(sum / std::max(diag, 1e-300));
  };
  for (int s = 0; s < sweeps; ++s) {
    for (int pass = 0; pass < 2; ++pass) {
      const std::size_t colour = forward ? static_cast<std::size_t>(pass) : 1U - pass;
#pragma omp parallel for collapse(2) schedule(static) if (parallel)
      for (Index kb = 0; kb < nzb; ++kb) {
        for (Index jb = 0; jb < nyb; ++jb) {
          const std::size_t ukb = static_cast<std::size_t>(kb), ujb = static_cast<std::size_t>(jb);
          for (std::size_t ib = (ujb + ukb + colour) & 1U; ib < db.nx; ib += 2) {
            const std::size_t block = ib + db.nx * (ujb + db.ny * ukb);
            const std::uint32_t lo = g.first[block], hi = g.first[block + 1];
            if (forward) {
              for (std::uint32_t a = lo; a < hi; ++a) relax(a);
            } else {
              for (std::uint32_t a = hi; a-- > lo;) relax(a);
            }
          }
        }
      }
    }
  }
}

/// bc[parent(a)] = sum of (b - A x)[a] over the nodes a of each coarse node.
void graph_restrict(const GraphLevel& g, const float* b, const float* x, const GraphLevel& coarse,
                    float* bc) {
  const Dims db = coarse.blocks;
  const Index nzb = static_cast<Index>(db.nz), nyb = static_cast<Index>(db.ny);
  const bool parallel = g.size() > static_cast<std::size_t>(detail::kParallelCells);
#pragma omp parallel for collapse(2) schedule(static) if (parallel)
  for (Index kb = 0; kb < nzb; ++kb) {
    for (Index jb = 0; jb < nyb; ++jb) {
      const std::size_t ukb = static_cast<std::size_t>(kb), ujb = static_cast<std::size_t>(jb);
      for (std::size_t ib = 0; ib < db.nx; ++ib) {
        const std::size_t block = ib + db.nx * (ujb + db.ny * ukb);
        for (std::uint32_t c = coarse.first[block]; c < coarse.first[block + 1]; ++c) bc[c] = 0.0F;
        const ChildRanges r = child_ranges(g, ib, ujb, ukb);
        for (std::size_t q = 0; q < r.count; ++q)
          for (std::uint32_t a = r.lo[q]; a < r.hi[q]; ++a) {
            double residual =
                static_cast<double>(b[a]) - g.dirichlet[a] * static_cast<double>(x[a]);
            for (std::uint32_t e = g.row[a]; e < g.row[a + 1]; ++e)
              residual += static_cast<double>(g.val[e]) * (x[g.col[e]] - x[a]);
            bc[g.parent[a]] += static_cast<float>(residual);
          }
      }
    }
  }
}

void graph_prolong_add(const GraphLevel& g, const float* xc, float* x) {
  const Index m = static_cast<Index>(g.size());
#pragma omp parallel for schedule(static) if (m > detail::kParallelCells)
  for (Index a = 0; a < m; ++a) x[a] += xc[g.parent[static_cast<std::size_t>(a)]];
}

/// y = A x on a graph level.
void graph_apply(const GraphLevel& g, const float* x, float* y) {
  const Index m = static_cast<Index>(g.size());
#pragma omp parallel for schedule(static) if (m > detail::kParallelCells)
  for (Index sa = 0; sa < m; ++sa) {
    const std::size_t a = static_cast<std::size_t>(sa);
    double diag = g.dirichlet[a], sum = 0.0;
    for (std::uint32_t e = g.row[a]; e < g.row[a + 1]; ++e) {
      diag += g.val[e];
      sum += static_cast<double>(g.val[e]) * x[g.col[e]];
    }
    y[a] = static_cast<float>(diag * x[a] - sum);
  }
}

double graph_dot(const float* a, const float* b, std::size_t n) {
  const Index m = static_cast<Index>(n);
  double sum = 0.0;
#pragma omp parallel for schedule(static) reduction(+ : sum) if (m > detail::kParallelCells)
  for (Index i = 0; i < m; ++i) sum += static_cast<double>(a[i]) * static_cast<double>(b[i]);
  return sum;
}

// =============================================================================================
/// Dense Cholesky factor of the coarsest operator restricted to its active cells (or, for a graph
/// without edges, its diagonal).
struct DenseCoarse {
  std::vector<std::size_t> cells;  // active cell of each unknown
  std::vector<double> factor;      // lower triangle, row-major m*m; or the diagonal
  bool diagonal_only = false;
  mutable std::vector<double> work;

  template <class F>
  void build(const F& f) {
    const Dims d = f.d;
    std::vector<std::ptrdiff_t> unknown(d.n(), -1);
    for (std::size_t k = 0; k < d.nz; ++k)
      for (std::size_t j = 0; j < d.ny; ++j)
        for (std::size_t i = 0; i < d.nx; ++i) {
          const std::size_t c = i + d.nx * (j + d.ny * k);
          if (f.at(c, i, j, k).diagonal() > 0.0) {
            unknown[c] = static_cast<std::ptrdiff_t>(cells.size());
            cells.push_back(c);
          }
        }
    const std::size_t m = cells.size();
    factor.assign(m * m, 0.0);
    const std::size_t sxy = d.sxy();
    for (std::size_t k = 0; k < d.nz; ++k)
      for (std::size_t j = 0; j < d.ny; ++j)
        for (std::size_t i = 0; i < d.nx; ++i) {
          const std::size_t c = i + d.nx * (j + d.ny * k);
          if (unknown[c] < 0) continue;
          const std::size_t a = static_cast<std::size_t>(unknown[c]);
          const Six g = f.at(c, i, j, k);
          factor[a * m + a] = g.diagonal();
          auto couple = [&](std::size_t nb, float gnb) {
            if (gnb > 0.0F && unknown[nb] >= 0)
              factor[a * m + static_cast<std::size_t>(unknown[nb])] = -static_cast<double>(gnb);
          };
          if (i > 0) couple(c - 1, g.w);
          if (i + 1 < d.nx) couple(c + 1, g.e);
          if (j > 0) couple(c - d.nx, g.s);
          if (j + 1 < d.ny) couple(c + d.nx, g.n);
          if (k > 0) couple(c - sxy, g.b);
          if (k + 1 < d.nz) couple(c + sxy, g.t);
        }
    factorize();
  }

  void build(const GraphLevel& g) {
    const std::size_t m = g.size();
    cells.resize(m);
    std::iota(cells.begin(), cells.end(), std::size_t{0});
    if (g.col.empty()) {
      diagonal_only = true;
      factor.assign(g.dirichlet.begin(), g.dirichlet.end());
      for (const double v : factor)
        if (!(v > 0.0))
          throw core::InternalError("voxel multigrid: coarsest operator is not positive definite");
      return;
    }
    if (m > 4000)
      throw core::InternalError(
          "voxel multigrid: coarsest graph level too large for a dense solve");
    factor.assign(m * m, 0.0);
    for (std::size_t a = 0; a < m; ++a) {
      double diag = g.dirichlet[a];
      for (std::uint32_t e = g.row[a]; e < g.row[a + 1]; ++e) {
        diag += g.val[e];
        factor[a * m + g.col[e]] = -static_cast<double>(g.val[e]);
      }
      factor[a * m + a] = diag;
    }
    factorize();
  }

  void factorize() {
    const std::size_t m = cells.size();
    work.assign(m, 0.0);
    for (std::size_t col = 0; col < m; ++col) {  // in-place Cholesky, lower triangle
      double diag = factor[col * m + col];
      for (std::size_t q = 0; q < col; ++q) diag -= factor[col * m + q] * factor[col * m + q];
      if (!(diag > 0.0))
        throw core::InternalError("voxel multigrid: coarsest operator is not positive definite");
      diag = std::sqrt(diag);
      factor[col * m + col] = diag;
      for (std::size_t row = col + 1; row < m; ++row) {
        double v = factor[row * m + col];
        for (std::size_t q = 0; q < col; ++q) v -= factor[row * m + q] * factor[col * m + q];
        factor[row * m + col] = v / diag;
      }
    }
  }

  template <class B, class X>
  void solve(const B* b, X* x, std::size_t n_cells) const {
    const std::size_t m = cells.size();
    if (diagonal_only) {
      for (std::size_t a = 0; a < m; ++a)
        x[a] = static_cast<X>(static_cast<double>(b[a]) / factor[a]);
      return;
    }
    for (std::size_t c = 0; c < n_cells; ++c) x[c] = X{0};
    for (std::size_t a = 0; a < m; ++a) {
      double v = static_cast<double>(b[cells[a]]);
      for (std::size_t q = 0; q < a; ++q) v -= factor[a * m + q] * work[q];
      work[a] = v / factor[a * m + a];
    }
    for (std::size_t a = m; a-- > 0;) {
      double v = work[a];
      for (std::size_t q = a + 1; q < m; ++q) v -= factor[q * m + a] * work[q];
      work[a] = v / factor[a * m + a];
    }
    for (std::size_t a = 0; a < m; ++a) x[cells[a]] = static_cast<X>(work[a]);
  }
};

/// Fraction of the cells that are excluded (label 0: outside the solved set).
double excluded_fraction(const VoxelLaplacian& laplacian) {
  const std::size_t n = laplacian.cells();
  const Index sn = static_cast<Index>(n);
  std::size_t zero = 0;
#pragma omp parallel for schedule(static) reduction(+ : zero) if (sn > detail::kParallelCells)
  for (Index c = 0; c < sn; ++c) zero += laplacian.labels[static_cast<std::size_t>(c)] == 0 ? 1 : 0;
  return n > 0 ? static_cast<double>(zero) / static_cast<double>(n) : 0.0;
}

/// Largest over smallest non-zero conductance between labels present in the image.
double measured_contrast(const VoxelLaplacian& laplacian) {
  const std::size_t k = laplacian.label_count();
  std::vector<std::uint8_t> present(k, 0);
  const std::size_t n = laplacian.cells();
  const Index sn = static_cast<Index>(n);
#pragma omp parallel if (sn > detail::kParallelCells)
  {
    std::vector<std::uint8_t> mine(k, 0);
#pragma omp for schedule(static) nowait
    for (Index c = 0; c < sn; ++c) mine[laplacian.labels[static_cast<std::size_t>(c)]] = 1;
#pragma omp critical
    for (std::size_t l = 0; l < k; ++l) present[l] = present[l] | mine[l];
  }
  double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
  for (std::size_t a = 1; a < k; ++a)
    for (std::size_t b = 1; b < k; ++b) {
      const double g = laplacian.pair_conductance[a * k + b];
      if (present[a] == 0 || present[b] == 0 || !(g > 0.0)) continue;
      lo = std::min(lo, g);
      hi = std::max(hi, g);
    }
  return hi > 0.0 ? hi / lo : 1.0;
}

}  // namespace

struct VoxelMultigrid::Impl {
  const VoxelLaplacian& fine;
  VoxelMultigridOptions options;
  double contrast = 1.0;
  bool split = false;
  std::vector<Level> levels;            // structured path: coarse levels, finest first
  std::vector<std::uint8_t> component;  // split path: component of each fine cell in its block
  std::vector<GraphLevel> graphs;       // split path: graph levels, finest first
  DenseCoarse coarse;  // factor of the last level (or of the fine level when no coarse one)
  bool iterative_coarsest = false;  // split path: last graph level too large for a dense factor
  static constexpr std::size_t dense_limit = 1000;

  Impl(const VoxelLaplacian& f, const VoxelMultigridOptions& o) : fine(f), options(o) {
    fine.check();
    const LabelFaces ff = detail::label_faces(fine);
    contrast = measured_contrast(fine);
    split = options.coarsening == VoxelCoarsening::split ||
            (options.coarsening == VoxelCoarsening::automatic &&
             (contrast > options.split_above_contrast ||
              excluded_fraction(fine) > options.split_above_excluded_fraction));
    if (ff.d.n() <= options.coarsest_cells) {
      split = false;
      coarse.build(ff);
      return;
    }
    if (split) {
      build_split(ff);
      return;
    }
    levels.push_back(coarsen(ff));
    while (levels.back().d.n() > options.coarsest_cells) {
      const Dims d = levels.back().d;
      if (d.nx == 1 && d.ny == 1 && d.nz == 1) break;
      levels.push_back(coarsen(levels.back().faces()));
    }
    coarse.build(levels.back().faces());
  }

  void build_split(const LabelFaces& ff) {
    const std::size_t k = ff.k_labels;
    std::vector<std::uint8_t> strong(k * k, 0);
    const double theta = options.strength_threshold;
    for (std::size_t a = 1; a < k; ++a)
      for (std::size_t b = 1; b < k; ++b) {
        const double g = ff.pair[a * k + b];
        const double own = std::max(ff.pair[a * k + a], ff.pair[b * k + b]);
        strong[a * k + b] = g > 0.0 && g >= theta * own ? 1 : 0;
      }
    graphs.push_back(split_fine(ff, strong, component));
    while (graphs.back().size() > options.coarsest_cells && !graphs.back().col.empty() &&
           graphs.size() < 64) {
      const Dims blocks = graphs.back().blocks;
      if (blocks.nx == 1 && blocks.ny == 1 && blocks.nz == 1) break;
      GraphLevel next = coarsen_graph(graphs.back(), theta);
      // Coarsening stalls when what is left are separate good regions joined only by poor
      // material: stop there and solve that level iteratively (merging them would put the
      // low-energy modes the split exists for back into one unknown).
      if (static_cast<double>(next.size()) >
          kStallRatio * static_cast<double>(graphs.back().size()))
        break;
      graphs.push_back(std::move(next));
    }
    graphs.back().parent = {};
    if (options.cycle == VoxelCycle::k) {
      // K-cycle on the graph levels below the first that have a coarser level or an iterative
      // coarsest solve (an exact dense solve needs no acceleration).
      double visits = 1.0;  // how often a cycle on the finest graph level visits level c
      for (std::size_t c = 1; c < graphs.size(); ++c) {
        const bool last = c + 1 == graphs.size();
        if (last && graphs.back().size() <= std::max(dense_limit, options.coarsest_cells)) continue;
        if (last && graphs.back().col.empty()) continue;
        GraphLevel& g = graphs[c];
        // Cost guard: the K-cycle doubles the visits of this level and all below; where coarsening
        // is slow (stalling high-contrast levels) that would grow like a W-cycle without bound.
        if (2.0 * visits * static_cast<double>(g.size()) >
            kKcycleWork * static_cast<double>(graphs.front().size()))
          continue;
        visits *= 2.0;
        for (auto* v : {&g.kr, &g.kz1, &g.kv1, &g.kz2, &g.kv2}) v->assign(g.size(), 0.0F);
      }
    }
    if (graphs.back().size() <= std::max(dense_limit, options.coarsest_cells) ||
        graphs.back().col.empty()) {
      coarse.build(graphs.back());
      iterative_coarsest = false;
    } else {
      iterative_coarsest = true;
    }
  }

  template <class F, class B, class X>
  void smooth_pair(const F& f, const B* b, X* x, int first) const {
    for (int s = 0; s < options.smoothing_sweeps; ++s) {
      detail::smooth_colour(f, b, x, first);
      detail::smooth_colour(f, b, x, 1 - first);
    }
  }

  // V-cycle on a level whose faces are f and whose next coarser level is levels[next]; x is zero.
  template <class F, class B, class X>
  void cycle(const F& f, const B* b, X* x, std::size_t next) const {
    smooth_pair(f, b, x, 0);
    const Level& coarse_level = levels[next];
    detail::restrict_residual(f, b, x, coarse_level.d, coarse_level.b.data());
    float* xc = coarse_level.x.data();
    if (next + 1 == levels.size()) {
      coarse.solve(coarse_level.b.data(), xc, coarse_level.d.n());
    } else {
      std::fill(coarse_level.x.begin(), coarse_level.x.end(), 0.0F);
      cycle(coarse_level.faces(), coarse_level.b.data(), xc, next + 1);
    }
    detail::prolong_add(f, coarse_level.d, xc, x);
    smooth_pair(f, b, x, 1);
  }

  // Whether graph level c (>= 1) is solved by the K-cycle (two flexible CG steps preconditioned
  // by its own cycle) rather than by one cycle.
  [[nodiscard]] bool kcycle_at(std::size_t c) const {
    return options.cycle == VoxelCycle::k && c >= 1 && !graphs[c].kr.empty();
  }

  // K-cycle (Notay and Vassilevski 2008) on graph level c: approximately solves A_c x = b_c by at
  // most two steps of flexible CG whose preconditioner is the cycle from level c down; the second
  // step is skipped when the first reduced the residual by kKcycleTolerance. Reads g.b, writes g.x.
  void kcycle_graph(std::size_t c) const {
    const GraphLevel& g = graphs[c];
    const std::size_t m = g.size();
    const Index sm = static_cast<Index>(m);
    const bool parallel = m > static_cast<std::size_t>(detail::kParallelCells);
    std::copy(g.b.begin(), g.b.end(), g.kr.begin());
    const double r0 = std::sqrt(graph_dot(g.kr.data(), g.kr.data(), m));
    cycle_graph(c);  // z1 = B r (B reads g.b = r)
    std::copy(g.x.begin(), g.x.end(), g.kz1.begin());
    graph_apply(g, g.kz1.data(), g.kv1.data());
    const double rho1 = graph_dot(g.kz1.data(), g.kv1.data(), m);
    const double alpha1 = graph_dot(g.kz1.data(), g.kr.data(), m);
    if (!(rho1 > 0.0) || !(r0 > 0.0)) return;  // g.x = z1 already (or zero)
    const double a1 = alpha1 / rho1;
    double rr = 0.0;
#pragma omp parallel for schedule(static) reduction(+ : rr) if (parallel)
    for (Index a = 0; a < sm; ++a) {
      const double v = static_cast<double>(g.kr[a]) - a1 * static_cast<double>(g.kv1[a]);
      g.b[a] = static_cast<float>(v);  // r2, the input of the second cycle
      rr += v * v;
    }
    if (std::sqrt(rr) <= kKcycleTolerance * r0) {
#pragma omp parallel for schedule(static) if (parallel)
      for (Index a = 0; a < sm; ++a) g.x[a] = static_cast<float>(a1 * g.kz1[a]);
      std::copy(g.kr.begin(), g.kr.end(), g.b.begin());
      return;
    }
    cycle_graph(c);  // z2 = B r2
    std::copy(g.x.begin(), g.x.end(), g.kz2.begin());
    graph_apply(g, g.kz2.data(), g.kv2.data());
    const double gamma = graph_dot(g.kz2.data(), g.kv1.data(), m);
    const double beta = graph_dot(g.kz2.data(), g.kv2.data(), m);
    const double alpha2 = graph_dot(g.kz2.data(), g.b.data(), m);
    const double rho2 = beta - gamma * gamma / rho1;
    double c1 = a1, c2 = 0.0;
    if (rho2 > 0.0) {
      c2 = alpha2 / rho2;
      c1 = a1 - gamma * c2 / rho1;
    }
#pragma omp parallel for schedule(static) if (parallel)
    for (Index a = 0; a < sm; ++a) g.x[a] = static_cast<float>(c1 * g.kz1[a] + c2 * g.kz2[a]);
    std::copy(g.kr.begin(), g.kr.end(), g.b.begin());
  }

  // V-cycle on graph level l (its b is set; its x is overwritten).
  void cycle_graph(std::size_t l) const {
    const GraphLevel& g = graphs[l];
    if (l + 1 == graphs.size()) {
      if (iterative_coarsest) {
        // Symmetric Gauss-Seidel sweeps from zero: a symmetric positive definite approximate
        // inverse.
        std::fill(g.x.begin(), g.x.end(), 0.0F);
        graph_smooth(g, g.b.data(), g.x.data(), true, kCoarsestSweeps);
        graph_smooth(g, g.b.data(), g.x.data(), false, kCoarsestSweeps);
      } else {
        coarse.solve(g.b.data(), g.x.data(), g.size());
      }
      return;
    }
    std::fill(g.x.begin(), g.x.end(), 0.0F);
    graph_smooth(g, g.b.data(), g.x.data(), true, options.smoothing_sweeps);
    const GraphLevel& next = graphs[l + 1];
    graph_restrict(g, g.b.data(), g.x.data(), next, next.b.data());
    if (kcycle_at(l + 1)) {
      kcycle_graph(l + 1);
    } else {
      cycle_graph(l + 1);
    }
    graph_prolong_add(g, next.x.data(), g.x.data());
    graph_smooth(g, g.b.data(), g.x.data(), false, options.smoothing_sweeps);
  }

  template <class B, class X>
  void cycle_split(const LabelFaces& f, const B* b, X* x) const {
    smooth_pair(f, b, x, 0);
    const GraphLevel& g = graphs.front();
    const SplitMap map{component.data(), g.first.data(), g.blocks};
    detail::restrict_residual_split(f, b, x, map, g.b.data());
    cycle_graph(0);
    detail::prolong_add_split(f.d, map, g.x.data(), x);
    smooth_pair(f, b, x, 1);
  }

  template <class B, class X>
  void apply(const B* r, X* z) const {
    const LabelFaces ff = detail::label_faces(fine);
    const std::size_t n = ff.d.n();
    if (levels.empty() && graphs.empty()) {
      coarse.solve(r, z, n);
      return;
    }
    const Index sn = static_cast<Index>(n);
#pragma omp parallel for schedule(static) if (sn > detail::kParallelCells)
    for (Index c = 0; c < sn; ++c) z[c] = X{0};
    if (split) {
      cycle_split(ff, r, z);
    } else {
      cycle(ff, r, z, 0);
    }
  }
};

VoxelMultigrid::VoxelMultigrid(const VoxelLaplacian& fine, const VoxelMultigridOptions& options)
    : impl_(std::make_unique<Impl>(fine, options)) {}
VoxelMultigrid::~VoxelMultigrid() = default;
VoxelMultigrid::VoxelMultigrid(VoxelMultigrid&& other) noexcept = default;
VoxelMultigrid& VoxelMultigrid::operator=(VoxelMultigrid&& other) noexcept = default;

void VoxelMultigrid::apply(std::span<const double> r, std::span<double> z) const {
  CATHODELAB_REQUIRE(r.size() == size() && z.size() == size(), "multigrid sizes");
  impl_->apply(r.data(), z.data());
}
void VoxelMultigrid::apply(std::span<const float> r, std::span<float> z) const {
  CATHODELAB_REQUIRE(r.size() == size() && z.size() == size(), "multigrid sizes");
  impl_->apply(r.data(), z.data());
}
std::size_t VoxelMultigrid::size() const {
  return impl_->fine.cells();
}
int VoxelMultigrid::levels() const noexcept {
  return static_cast<int>(impl_->levels.size() + impl_->graphs.size()) + 1;
}
bool VoxelMultigrid::variable() const noexcept {
  return impl_->split && impl_->options.cycle == VoxelCycle::k &&
         std::any_of(impl_->graphs.begin(), impl_->graphs.end(),
                     [](const GraphLevel& g) { return !g.kr.empty(); });
}
bool VoxelMultigrid::split_coarsening() const noexcept {
  return impl_->split;
}
double VoxelMultigrid::contrast() const noexcept {
  return impl_->contrast;
}
std::vector<std::size_t> VoxelMultigrid::level_sizes() const {
  std::vector<std::size_t> sizes{impl_->fine.cells()};
  for (const Level& level : impl_->levels) sizes.push_back(level.d.n());
  for (const GraphLevel& g : impl_->graphs) sizes.push_back(g.size());
  return sizes;
}
std::size_t VoxelMultigrid::bytes() const noexcept {
  std::size_t total = impl_->coarse.factor.size() * sizeof(double) + impl_->component.size();
  for (const Level& level : impl_->levels) total += level.bytes();
  for (const GraphLevel& g : impl_->graphs) total += g.bytes();
  return total;
}
std::size_t VoxelMultigrid::bytes_for(std::size_t cells) noexcept {
  // 5 floats per coarse cell, coarse cells = cells/8 + cells/64 + ... < cells/7,
  // plus the dense coarsest factor (at most 1000^2 doubles).
  return cells / 7 * (5 * sizeof(float)) + std::size_t{1000} * 1000 * sizeof(double);
}
std::size_t VoxelMultigrid::bytes_for_split(std::size_t cells) noexcept {
  return cells * kSplitBytesPerCell + std::size_t{1000} * 1000 * sizeof(double);
}

// ---------------------------------------------------------------------------------------------
core::SolveStats voxel_pcg(const VoxelLaplacian& laplacian, const VoxelMultigrid& preconditioner,
                           double value_low, double value_high, std::span<double> x,
                           const CgOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  laplacian.check();
  const LabelFaces f = detail::label_faces(laplacian);
  const std::size_t n = f.d.n();
  CATHODELAB_REQUIRE(x.size() == n && preconditioner.size() == n, "voxel_pcg sizes");
  const Index sn = static_cast<Index>(n);
  const std::size_t sxy = f.d.sxy();
  const bool flexible = preconditioner.variable();
  std::vector<float> r(n), p(n), w(n), z(flexible ? n : 0);  // z: flexible CG only

  // r = b - A x evaluated in double per cell and rounded once (the true residual); b is non-zero
  // only on the two Dirichlet layers. Returns (||b||, ||b - A x||), both accumulated in double.
  auto residual_into_r = [&]() {
    const Index nz = static_cast<Index>(f.d.nz), ny = static_cast<Index>(f.d.ny);
    double rr = 0.0;
#pragma omp parallel for collapse(2) schedule(static) reduction(+ : rr) if (sn > detail::kParallelCells)
    for (Index k = 0; k < nz; ++k) {
      for (Index j = 0; j < ny; ++j) {
        const double plane = (k == 0 ? value_low : 0.0) + (k + 1 == nz ? value_high : 0.0);
        double row_rr = 0.0;
        detail::for_row(f, x.data(), static_cast<std::size_t>(j), static_cast<std::size_t>(k), 0, 1,
                        [&](std::size_t, std::size_t c, double diag, double nb) {
                          const double b =
                              laplacian.boundary_conductance[laplacian.labels[c]] * plane;
                          const double value = b + nb - diag * x[c];
                          r[c] = static_cast<float>(value);
                          row_rr += value * value;
                        });
        rr += row_rr;
      }
    }
    double bb = 0.0;
    for (std::size_t c = 0; c < sxy; ++c) {
      const double g_low = laplacian.boundary_conductance[laplacian.labels[c]];
      const double g_high = laplacian.boundary_conductance[laplacian.labels[n - sxy + c]];
      if (f.d.nz == 1) {
        const double b = g_low * value_low + g_high * value_high;
        bb += b * b;
      } else {
        bb += g_low * value_low * g_low * value_low + g_high * value_high * g_high * value_high;
      }
    }
    return std::pair<double, double>{std::sqrt(bb), std::sqrt(rr)};
  };

  // Mixed-precision iterative refinement: CG on float vectors (dot products in double) reduces the
  // recursive residual; the true residual is then recomputed in double and CG restarts from it
  // until the true residual meets the tolerance (each restart gains several digits).
  auto [b_norm, r_norm] = residual_into_r();
  CgMonitor monitor(options, b_norm);
  int iteration = 0;
  if (b_norm == 0.0) {
#pragma omp parallel for schedule(static) if (sn > detail::kParallelCells)
    for (Index c = 0; c < sn; ++c) x[c] = 0.0;
    r_norm = 0.0;
    monitor.record(0, 0.0);
  }
  double previous_true = r_norm;
  for (int restart = 0; restart < 8 && b_norm > 0.0; ++restart) {
    if (monitor.relative(r_norm) <= options.rtol) {
      monitor.fail(CgStop::converged);
      break;
    }
    if (restart > 0 && !(r_norm < 0.5 * previous_true)) {
      monitor.fail(CgStop::stagnated);
      break;
    }
    previous_true = r_norm;
    CgMonitor inner(options, b_norm);
    if (inner.record(restart == 0 ? 0 : iteration, r_norm)) {
      monitor.fail(inner.stop());
      break;
    }
    preconditioner.apply(std::span<const float>(r), std::span<float>(w));
    double rz = 0.0;
#pragma omp parallel for schedule(static) reduction(+ : rz) if (sn > detail::kParallelCells)
    for (Index c = 0; c < sn; ++c) {
      rz += static_cast<double>(r[c]) * static_cast<double>(w[c]);
      p[c] = w[c];
    }
    while (true) {
      if (!(rz > 0.0) || !std::isfinite(rz)) {
        inner.fail(std::isfinite(rz) ? CgStop::breakdown : CgStop::non_finite);
        break;
      }
      const double pq = detail::apply_operator(f, p.data(), w.data());
      if (!(pq > 0.0) || !std::isfinite(pq)) {
        inner.fail(std::isfinite(pq) ? CgStop::breakdown : CgStop::non_finite);
        break;
      }
      const double alpha = rz / pq;
      double rr = 0.0;
#pragma omp parallel for schedule(static) reduction(+ : rr) if (sn > detail::kParallelCells)
      for (Index c = 0; c < sn; ++c) {
        x[c] += alpha * static_cast<double>(p[c]);
        const double rc = static_cast<double>(r[c]) - alpha * static_cast<double>(w[c]);
        r[c] = static_cast<float>(rc);
        rr += rc * rc;
      }
      ++iteration;
      if (inner.record(iteration, std::sqrt(rr))) break;
      float* zp = flexible ? z.data() : w.data();
      preconditioner.apply(std::span<const float>(r), std::span<float>(zp, n));
      // Flexible CG (Polak-Ribiere): beta = z_new . (r_new - r_old) / rz_old with
      // r_new - r_old = -alpha A p (w); equal to Fletcher-Reeves for a fixed SPD preconditioner,
      // and it keeps CG convergent when the K-cycle makes the preconditioner vary.
      double rz_new = 0.0, zw = 0.0;
#pragma omp parallel for schedule(static) reduction(+ : rz_new, zw) if (sn > detail::kParallelCells)
      for (Index c = 0; c < sn; ++c) {
        rz_new += static_cast<double>(r[c]) * static_cast<double>(zp[c]);
        zw += static_cast<double>(zp[c]) * static_cast<double>(w[c]);
      }
      const double beta = flexible ? -alpha * zw / rz : rz_new / rz;
      rz = rz_new;
      const float beta_f = static_cast<float>(beta);
#pragma omp parallel for schedule(static) if (sn > detail::kParallelCells)
      for (Index c = 0; c < sn; ++c) p[c] = zp[c] + beta_f * p[c];
    }
    r_norm = residual_into_r().second;  // the true residual, in double
    if (inner.stop() != CgStop::converged) {
      monitor.fail(monitor.relative(r_norm) <= options.rtol ? CgStop::converged : inner.stop());
      break;
    }
    if (restart == 7)
      monitor.fail(monitor.relative(r_norm) <= options.rtol ? CgStop::converged
                                                            : CgStop::stagnated);
  }
  core::SolveStats stats;
  stats.converged = monitor.stop() == CgStop::converged;
  stats.iterations = iteration;
  stats.residual = monitor.relative(r_norm);
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stats.method = "pcg+voxel-multigrid";
  stats.message = describe(monitor.stop());
  return stats;
}

}  // namespace cathodelab::numerics
