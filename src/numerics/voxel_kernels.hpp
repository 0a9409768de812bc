// Private inner loops of the voxel Laplacian and its multigrid: one template per loop, instantiated
// for the label-table fine level and the stored-conductance coarse levels, so that no call inside a
// loop is virtual.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cathodelab::numerics {
struct VoxelLaplacian;
}

namespace cathodelab::numerics::detail {

struct Dims {
  std::size_t nx = 0, ny = 0, nz = 0;
  [[nodiscard]] std::size_t sxy() const noexcept { return nx * ny; }
  [[nodiscard]] std::size_t n() const noexcept { return nx * ny * nz; }
};

/// The six face conductances of one cell: west/east (x), south/north (y), bottom/top (z; at the
/// first/last layer these are the Dirichlet boundary conductances).
struct Six {
  float w = 0, e = 0, s = 0, n = 0, b = 0, t = 0;
  [[nodiscard]] double diagonal() const noexcept {
    return static_cast<double>(w) + e + s + n + b + t;
  }
};

/// Fine level: conductances from the labels of the two cells.
struct LabelFaces {
  const std::uint8_t* labels;
  const float* pair;
  const float* boundary;
  std::size_t k_labels;
  Dims d;

  struct RowView {
    const std::uint8_t *l, *ls, *ln, *lb, *lt;
    float fs, fn;
    bool bottom_boundary, top_boundary;
  };
  [[nodiscard]] RowView row(std::size_t j, std::size_t k) const noexcept {
    const std::uint8_t* l = labels + d.nx * (j + d.ny * k);
    const std::size_t sxy = d.sxy();
    return RowView{l,
                   j > 0 ? l - d.nx : l,
                   j + 1 < d.ny ? l + d.nx : l,
                   k > 0 ? l - sxy : l,
                   k + 1 < d.nz ? l + sxy : l,
                   j > 0 ? 1.0F : 0.0F,
                   j + 1 < d.ny ? 1.0F : 0.0F,
                   k == 0,
                   k + 1 == d.nz};
  }
  /// Conductances of cell i of a row, 0 < i < nx - 1 (no branch on the position).
  [[nodiscard]] Six interior(const RowView& v, std::size_t i) const noexcept {
    const std::size_t lc = v.l[i];
    const float* p = pair + lc * k_labels;
    return Six{p[v.l[i - 1]],
               p[v.l[i + 1]],
               v.fs * p[v.ls[i]],
               v.fn * p[v.ln[i]],
               v.bottom_boundary ? boundary[lc] : p[v.lb[i]],
               v.top_boundary ? boundary[lc] : p[v.lt[i]]};
  }

  [[nodiscard]] bool active(std::size_t c) const noexcept { return labels[c] != 0; }
  [[nodiscard]] Six at(std::size_t c, std::size_t i, std::size_t j, std::size_t k) const noexcept {
    Six g;
    const std::size_t lc = labels[c];
    if (lc == 0) return g;
    const float* row = pair + lc * k_labels;
    const std::size_t sxy = d.sxy();
    if (i > 0) g.w = row[labels[c - 1]];
    if (i + 1 < d.nx) g.e = row[labels[c + 1]];
    if (j > 0) g.s = row[labels[c - d.nx]];
    if (j + 1 < d.ny) g.n = row[labels[c + d.nx]];
    g.b = k > 0 ? row[labels[c - sxy]] : boundary[lc];
    g.t = k + 1 < d.nz ? row[labels[c + sxy]] : boundary[lc];
    return g;
  }
};

/// Coarse levels: stored conductance of each cell's lower face per direction; gx has n+1 entries,
/// gy n+nx, gz n+nx*ny (the last layer = the upper Dirichlet plane), so the upper face of a cell is
/// the lower face of the next and reads zero at the no-flux sides. No activity flag is stored: a
/// coarse cell without conductance may receive a prolonged value, but nothing sees it (its faces
/// are zero, its residual is zero) and its own smoother update resets it to 0.
struct StoredFaces {
  const float* gx;
  const float* gy;
  const float* gz;
  Dims d;

  struct RowView {
    std::size_t row;
  };
  [[nodiscard]] RowView row(std::size_t j, std::size_t k) const noexcept {
    return RowView{d.nx * (j + d.ny * k)};
  }
  [[nodiscard]] Six interior(const RowView& v, std::size_t i) const noexcept {
    return at(v.row + i, 0, 0, 0);
  }

  [[nodiscard]] static bool active(std::size_t /*c*/) noexcept { return true; }
  [[nodiscard]] Six at(std::size_t c, std::size_t /*i*/, std::size_t /*j*/,
                       std::size_t /*k*/) const noexcept {
    return Six{gx[c], gx[c + 1], gy[c], gy[c + d.nx], gz[c], gz[c + d.sxy()]};
  }
};

/// sum over neighbours of g_nb x_nb (neighbours beyond the grid contribute nothing).
template <class X>
inline double neighbour_sum(const Six& g, const X* x, std::size_t c, std::size_t i, std::size_t j,
                            std::size_t k, const Dims& d) noexcept {
  const std::size_t sxy = d.sxy();
  double s = 0.0;
  if (i > 0) s += static_cast<double>(g.w) * x[c - 1];
  if (i + 1 < d.nx) s += static_cast<double>(g.e) * x[c + 1];
  if (j > 0) s += static_cast<double>(g.s) * x[c - d.nx];
  if (j + 1 < d.ny) s += static_cast<double>(g.n) * x[c + d.nx];
  if (k > 0) s += static_cast<double>(g.b) * x[c - sxy];
  if (k + 1 < d.nz) s += static_cast<double>(g.t) * x[c + sxy];
  return s;
}

using Index = std::ptrdiff_t;

/// Loops over fewer cells run on one thread: a parallel region costs more than they do.
inline constexpr Index kParallelCells = 32768;

/// The fine-level accessor of a VoxelLaplacian.
[[nodiscard]] LabelFaces label_faces(const VoxelLaplacian& laplacian);

/// Visits cells i0, i0 + step, ... of row (j, k): visit(i, c, diagonal, sum_nb g_nb x_nb). Rows
/// beyond the grid are replaced by the row itself with a zero conductance (accessors give 0 there),
/// so the inner loop has no branch on j and k.
template <class F, class X, class V>
inline void for_row(const F& f, const X* x, std::size_t j, std::size_t k, std::size_t i0,
                    std::size_t step, V&& visit) {
  const Dims& d = f.d;
  const std::size_t sxy = d.sxy();
  const std::size_t row = d.nx * (j + d.ny * k);
  const X* xr = x + row;
  const X* xs = j > 0 ? xr - d.nx : xr;
  const X* xn = j + 1 < d.ny ? xr + d.nx : xr;
  const X* xb = k > 0 ? xr - sxy : xr;
  const X* xt = k + 1 < d.nz ? xr + sxy : xr;
  const double fb = k > 0 ? 1.0 : 0.0;  // the Dirichlet plane is not a neighbour
  const double ft = k + 1 < d.nz ? 1.0 : 0.0;
  const auto view = f.row(j, k);
  for (std::size_t i = i0; i < d.nx; i += step) {
    const bool edge = i == 0 || i + 1 == d.nx;
    const Six g = edge ? f.at(row + i, i, j, k) : f.interior(view, i);
    double nb = static_cast<double>(g.s) * xs[i] + static_cast<double>(g.n) * xn[i] +
                fb * g.b * static_cast<double>(xb[i]) + ft * g.t * static_cast<double>(xt[i]);
    if (edge) {
      if (i > 0) nb += static_cast<double>(g.w) * xr[i - 1];
      if (i + 1 < d.nx) nb += static_cast<double>(g.e) * xr[i + 1];
    } else {
      nb += static_cast<double>(g.w) * xr[i - 1] + static_cast<double>(g.e) * xr[i + 1];
    }
    visit(i, row + i, g.diagonal(), nb);
  }
}

/// One Gauss-Seidel half sweep over the cells of one colour ((i+j+k) % 2 == colour).
template <class F, class B, class X>
void smooth_colour(const F& f, const B* b, X* x, int colour) {
  const Dims d = f.d;
  const Index nz = static_cast<Index>(d.nz), ny = static_cast<Index>(d.ny);
#pragma omp parallel for collapse(2) \
    schedule(static) if (static_cast <Index>(d.n()) > kParallelCells)
  for (Index k = 0; k < nz; ++k) {
    for (Index j = 0; j < ny; ++j) {
      const std::size_t uk = static_cast<std::size_t>(k), uj = static_cast<std::size_t>(j);
      for_row(f, x, uj, uk, (uj + uk + static_cast<std::size_t>(colour)) & 1U, 2,
              [&](std::size_t, std::size_t c, double diag, double nb) {
                // Excluded cells have b = 0 and no conductance: 0 / tiny = 0 without a branch.
                x[c] = static_cast<X>((static_cast<double>(b[c]) + nb) / std::max(diag, 1e-300));
              });
    }
  }
}

/// y = A x; returns x . y (accumulated in double).
template <class F, class X, class Y>
double apply_operator(const F& f, const X* x, Y* y) {
  const Dims d = f.d;
  const Index nz = static_cast<Index>(d.nz), ny = static_cast<Index>(d.ny);
  double xy = 0.0;
#pragma omp parallel for collapse(2) schedule(static) reduction(+ : xy) if (static_cast<Index>(d.n()) > kParallelCells)
  for (Index k = 0; k < nz; ++k) {
    for (Index j = 0; j < ny; ++j) {
      double row_xy = 0.0;
      for_row(f, x, static_cast<std::size_t>(j), static_cast<std::size_t>(k), 0, 1,
              [&](std::size_t, std::size_t c, double diag, double nb) {
                const double value = diag * static_cast<double>(x[c]) - nb;
                y[c] = static_cast<Y>(value);
                row_xy += static_cast<double>(x[c]) * value;
              });
      xy += row_xy;
    }
  }
  return xy;
}

/// bc[C] = sum over the children c of C of (b - A x)[c]  (restriction = transpose of injection).
template <class F, class B, class X>
void restrict_residual(const F& f, const B* b, const X* x, const Dims& dc, float* bc) {
  const Dims d = f.d;
  const Index nzc = static_cast<Index>(dc.nz), nyc = static_cast<Index>(dc.ny);
#pragma omp parallel if (static_cast <Index>(d.n()) > kParallelCells)
  {
    std::vector<double> sums(dc.nx);
#pragma omp for collapse(2) schedule(static)
    for (Index kc = 0; kc < nzc; ++kc) {
      for (Index jc = 0; jc < nyc; ++jc) {
        const std::size_t ukc = static_cast<std::size_t>(kc), ujc = static_cast<std::size_t>(jc);
        std::fill(sums.begin(), sums.end(), 0.0);
        for (std::size_t k = 2 * ukc; k < std::min(2 * ukc + 2, d.nz); ++k) {
          for (std::size_t j = 2 * ujc; j < std::min(2 * ujc + 2, d.ny); ++j) {
            for_row(f, x, j, k, 0, 1, [&](std::size_t i, std::size_t c, double diag, double nb) {
              sums[i / 2] += static_cast<double>(b[c]) + nb - diag * static_cast<double>(x[c]);
            });
          }
        }
        float* out = bc + dc.nx * (ujc + dc.ny * ukc);
        for (std::size_t ic = 0; ic < dc.nx; ++ic) out[ic] = static_cast<float>(sums[ic]);
      }
    }
  }
}

/// Split coarsening of the fine level: the coarse unknown of fine cell c is
/// first[block(c)] + component[c] (component = kNoComponent for excluded cells).
inline constexpr std::uint8_t kNoComponent = 255;
struct SplitMap {
  const std::uint8_t* component;
  const std::uint32_t* first;
  Dims blocks;
};

/// bc[unknown(c)] = sum over the fine cells c of each coarse unknown of (b - A x)[c].
template <class F, class B, class X>
void restrict_residual_split(const F& f, const B* b, const X* x, const SplitMap& map, float* bc) {
  const Dims d = f.d;
  const Dims dc = map.blocks;
  const Index nzc = static_cast<Index>(dc.nz), nyc = static_cast<Index>(dc.ny);
#pragma omp parallel if (static_cast <Index>(d.n()) > kParallelCells)
  {
    std::vector<double> sums;
#pragma omp for collapse(2) schedule(static)
    for (Index kc = 0; kc < nzc; ++kc) {
      for (Index jc = 0; jc < nyc; ++jc) {
        const std::size_t ukc = static_cast<std::size_t>(kc), ujc = static_cast<std::size_t>(jc);
        const std::size_t block_row = dc.nx * (ujc + dc.ny * ukc);
        const std::uint32_t lo = map.first[block_row], hi = map.first[block_row + dc.nx];
        sums.assign(hi - lo, 0.0);
        for (std::size_t k = 2 * ukc; k < std::min(2 * ukc + 2, d.nz); ++k) {
          for (std::size_t j = 2 * ujc; j < std::min(2 * ujc + 2, d.ny); ++j) {
            for_row(f, x, j, k, 0, 1, [&](std::size_t i, std::size_t c, double diag, double nb) {
              const std::uint8_t q = map.component[c];
              if (q == kNoComponent) return;
              sums[map.first[block_row + i / 2] + q - lo] +=
                  static_cast<double>(b[c]) + nb - diag * static_cast<double>(x[c]);
            });
          }
        }
        for (std::uint32_t a = lo; a < hi; ++a) bc[a] = static_cast<float>(sums[a - lo]);
      }
    }
  }
}

/// x[c] += xc[unknown(c)] on active fine cells (split coarsening).
template <class X>
void prolong_add_split(const Dims& d, const SplitMap& map, const float* xc, X* x) {
  const Dims dc = map.blocks;
  const Index nz = static_cast<Index>(d.nz), ny = static_cast<Index>(d.ny);
#pragma omp parallel for collapse(2) \
    schedule(static) if (static_cast <Index>(d.n()) > kParallelCells)
  for (Index k = 0; k < nz; ++k) {
    for (Index j = 0; j < ny; ++j) {
      const std::size_t uk = static_cast<std::size_t>(k), uj = static_cast<std::size_t>(j);
      const std::size_t row = d.nx * (uj + d.ny * uk);
      const std::uint32_t* first = map.first + dc.nx * (uj / 2 + dc.ny * (uk / 2));
      const std::uint8_t* q = map.component + row;
      for (std::size_t i = 0; i < d.nx; ++i) {
        if (q[i] != kNoComponent) x[row + i] += static_cast<X>(xc[first[i / 2] + q[i]]);
      }
    }
  }
}

/// x[c] += xc[parent(c)] on active fine cells.
template <class F, class X>
void prolong_add(const F& f, const Dims& dc, const float* xc, X* x) {
  const Dims d = f.d;
  const Index nz = static_cast<Index>(d.nz), ny = static_cast<Index>(d.ny);
#pragma omp parallel for collapse(2) \
    schedule(static) if (static_cast <Index>(d.n()) > kParallelCells)
  for (Index k = 0; k < nz; ++k) {
    for (Index j = 0; j < ny; ++j) {
      const std::size_t uk = static_cast<std::size_t>(k), uj = static_cast<std::size_t>(j);
      const std::size_t row = d.nx * (uj + d.ny * uk);
      const std::size_t row_c = dc.nx * (uj / 2 + dc.ny * (uk / 2));
      for (std::size_t i = 0; i < d.nx; ++i) {
        if (f.active(row + i)) x[row + i] += static_cast<X>(xc[row_c + i / 2]);
      }
    }
  }
}

}  // namespace cathodelab::numerics::detail
