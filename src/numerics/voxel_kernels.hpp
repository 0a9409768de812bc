// Private inner loops of the voxel Laplacian and its multigrid: one template per loop, instantiated
// for the label-table fine level and the stored-conductance coarse levels, so that no call inside a
// loop is virtual.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

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
/// the lower face of the next and reads zero at the no-flux sides.
struct StoredFaces {
  const float* gx;
  const float* gy;
  const float* gz;
  const std::uint8_t* act;
  Dims d;

  [[nodiscard]] bool active(std::size_t c) const noexcept { return act[c] != 0; }
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
      const std::size_t row = d.nx * (uj + d.ny * uk);
      for (std::size_t i = (uj + uk + static_cast<std::size_t>(colour)) & 1U; i < d.nx; i += 2) {
        const std::size_t c = row + i;
        const Six g = f.at(c, i, uj, uk);
        const double diag = g.diagonal();
        x[c] = diag > 0.0
                   ? static_cast<X>(
                         (static_cast<double>(b[c]) + neighbour_sum(g, x, c, i, uj, uk, d)) / diag)
                   : X{0};
      }
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
      const std::size_t uk = static_cast<std::size_t>(k), uj = static_cast<std::size_t>(j);
      const std::size_t row = d.nx * (uj + d.ny * uk);
      for (std::size_t i = 0; i < d.nx; ++i) {
        const std::size_t c = row + i;
        const Six g = f.at(c, i, uj, uk);
        const double value =
            g.diagonal() * static_cast<double>(x[c]) - neighbour_sum(g, x, c, i, uj, uk, d);
        y[c] = static_cast<Y>(value);
        xy += static_cast<double>(x[c]) * value;
      }
    }
  }
  return xy;
}

/// bc[C] = sum over the children c of C of (b - A x)[c]  (restriction = transpose of injection).
template <class F, class B, class X>
void restrict_residual(const F& f, const B* b, const X* x, const Dims& dc, float* bc) {
  const Dims d = f.d;
  const Index nzc = static_cast<Index>(dc.nz), nyc = static_cast<Index>(dc.ny);
#pragma omp parallel for collapse(2) \
    schedule(static) if (static_cast <Index>(d.n()) > kParallelCells)
  for (Index kc = 0; kc < nzc; ++kc) {
    for (Index jc = 0; jc < nyc; ++jc) {
      const std::size_t ukc = static_cast<std::size_t>(kc), ujc = static_cast<std::size_t>(jc);
      for (std::size_t ic = 0; ic < dc.nx; ++ic) {
        double sum = 0.0;
        for (std::size_t k = 2 * ukc; k < std::min(2 * ukc + 2, d.nz); ++k) {
          for (std::size_t j = 2 * ujc; j < std::min(2 * ujc + 2, d.ny); ++j) {
            for (std::size_t i = 2 * ic; i < std::min(2 * ic + 2, d.nx); ++i) {
              const std::size_t c = i + d.nx * (j + d.ny * k);
              const Six g = f.at(c, i, j, k);
              sum += static_cast<double>(b[c]) + neighbour_sum(g, x, c, i, j, k, d) -
                     g.diagonal() * static_cast<double>(x[c]);
            }
          }
        }
        bc[ic + dc.nx * (ujc + dc.ny * ukc)] = static_cast<float>(sum);
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
