#include "cathodelab/numerics/voxel_multigrid.hpp"

#include "cathodelab/core/error.hpp"
#include "voxel_kernels.hpp"

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

namespace cathodelab::numerics {

using detail::Dims;
using detail::Index;
using detail::LabelFaces;
using detail::Six;
using detail::StoredFaces;

namespace {

Dims coarsened(const Dims& d) {
  return Dims{(d.nx + 1) / 2, (d.ny + 1) / 2, (d.nz + 1) / 2};
}

/// One coarse level: conductances rediscretized from the finer level, and its work vectors.
struct Level {
  Dims d;
  std::vector<float> gx, gy, gz;
  std::vector<std::uint8_t> active;
  mutable std::vector<float> b, x;

  [[nodiscard]] StoredFaces faces() const {
    return StoredFaces{gx.data(), gy.data(), gz.data(), active.data(), d};
  }
  [[nodiscard]] std::size_t bytes() const {
    return (gx.size() + gy.size() + gz.size() + b.size() + x.size()) * sizeof(float) +
           active.size();
  }
};

/// Series combination of the path from one coarse centre to the next through one fine column:
/// half of the first aggregate (its internal face g_a, counted twice as wide), the crossing face g,
/// half of the second (g_b). An internal face that is zero (the far child does not conduct) is
/// replaced by the crossing face, so a path the fine grid has is never cut on the coarse one.
inline double column_series(double g_a, double g, double g_b) {
  if (g <= 0.0) return 0.0;
  const double a = g_a > 0.0 ? g_a : g;
  const double b = g_b > 0.0 ? g_b : g;
  return 1.0 / (0.5 / a + 1.0 / g + 0.5 / b);
}
/// The same for a Dirichlet face: boundary face g then half of the aggregate (internal face g_a).
inline double boundary_series(double g, double g_a) {
  if (g <= 0.0) return 0.0;
  const double a = g_a > 0.0 ? g_a : 0.5 * g;
  return 1.0 / (1.0 / g + 0.5 / a);
}

/// Conductance coarsening. parallel_sum: coarse face = 1/2 * (sum of the fine faces it covers)
/// (half the Galerkin operator). series: sum over the covered fine columns of the series
/// conductance centre-to-centre, which sees resistive links inside the aggregates; both are exact
/// for a uniform medium.
template <class F>
Level coarsen(const F& fine, bool series) {
  const Dims df = fine.d;
  Level level;
  level.d = coarsened(df);
  const Dims dc = level.d;
  const std::size_t n = dc.n();
  level.gx.assign(n + 1, 0.0F);
  level.gy.assign(n + dc.nx, 0.0F);
  level.gz.assign(n + dc.sxy(), 0.0F);
  level.active.assign(n, 0);
  level.b.assign(n, 0.0F);
  level.x.assign(n, 0.0F);
  auto at = [&](std::size_t i, std::size_t j, std::size_t k) {
    return fine.at(i + df.nx * (j + df.ny * k), i, j, k);
  };
  const Index nzc = static_cast<Index>(dc.nz);
#pragma omp parallel for schedule(static) if (df.n() > detail::kParallelCells)
  for (Index skc = 0; skc < nzc; ++skc) {
    const std::size_t kc = static_cast<std::size_t>(skc);
    for (std::size_t jc = 0; jc < dc.ny; ++jc) {
      for (std::size_t ic = 0; ic < dc.nx; ++ic) {
        const std::size_t cc = ic + dc.nx * (jc + dc.ny * kc);
        double gx = 0.0, gy = 0.0, gz = 0.0, gtop = 0.0;
        bool any_active = false;
        for (std::size_t k = 2 * kc; k < std::min(2 * kc + 2, df.nz); ++k) {
          for (std::size_t j = 2 * jc; j < std::min(2 * jc + 2, df.ny); ++j) {
            for (std::size_t i = 2 * ic; i < std::min(2 * ic + 2, df.nx); ++i) {
              const std::size_t c = i + df.nx * (j + df.ny * k);
              any_active = any_active || fine.active(c);
              const Six g = fine.at(c, i, j, k);
              const bool second_x = i + 1 < df.nx, second_y = j + 1 < df.ny,
                         second_z = k + 1 < df.nz;
              if (i == 2 * ic && i > 0) {
                gx += series ? column_series(at(i - 1, j, k).w, g.w, second_x ? g.e : 0.0)
                             : 0.5 * g.w;
              }
              if (j == 2 * jc && j > 0) {
                gy += series ? column_series(at(i, j - 1, k).s, g.s, second_y ? g.n : 0.0)
                             : 0.5 * g.s;
              }
              if (k == 2 * kc) {
                if (k > 0) {
                  gz += series ? column_series(at(i, j, k - 1).b, g.b, second_z ? g.t : 0.0)
                               : 0.5 * g.b;
                } else {
                  gz += series ? boundary_series(g.b, second_z ? g.t : 0.0) : 0.5 * g.b;
                }
              }
              if (k + 1 == df.nz) {
                gtop += series ? boundary_series(g.t, k > 2 * kc ? g.b : 0.0) : 0.5 * g.t;
              }
            }
          }
        }
        level.active[cc] = any_active ? 1 : 0;
        level.gx[cc] = static_cast<float>(gx);
        level.gy[cc] = static_cast<float>(gy);
        level.gz[cc] = static_cast<float>(gz);
        if (kc + 1 == dc.nz) level.gz[cc + dc.sxy()] = static_cast<float>(gtop);
      }
    }
  }
  return level;
}

/// Dense Cholesky factor of the operator restricted to its active cells (the coarsest level).
struct DenseCoarse {
  std::vector<std::size_t> cells;  // active cell of each unknown
  std::vector<double> factor;      // lower triangle, row-major n*n
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
    work.assign(m, 0.0);
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

}  // namespace

struct VoxelMultigrid::Impl {
  const VoxelLaplacian& fine;
  VoxelMultigridOptions options;
  std::vector<Level> levels;  // coarse levels, finest first
  DenseCoarse coarse;         // factor of the last level (or of the fine level when no coarse one)

  Impl(const VoxelLaplacian& f, const VoxelMultigridOptions& o) : fine(f), options(o) {
    fine.check();
    const LabelFaces ff = detail::label_faces(fine);
    if (ff.d.n() <= options.coarsest_cells) {
      coarse.build(ff);
      return;
    }
    levels.push_back(coarsen(ff, options.series_coarsening));
    while (levels.back().d.n() > options.coarsest_cells) {
      const Dims d = levels.back().d;
      if (d.nx == 1 && d.ny == 1 && d.nz == 1) break;
      levels.push_back(coarsen(levels.back().faces(), options.series_coarsening));
    }
    coarse.build(levels.back().faces());
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

  template <class X>
  void apply(const double* r, X* z) const {
    const LabelFaces ff = detail::label_faces(fine);
    const std::size_t n = ff.d.n();
    if (levels.empty()) {
      coarse.solve(r, z, n);
      return;
    }
    const Index sn = static_cast<Index>(n);
#pragma omp parallel for schedule(static) if (sn > detail::kParallelCells)
    for (Index c = 0; c < sn; ++c) z[c] = X{0};
    cycle(ff, r, z, 0);
  }
};

VoxelMultigrid::VoxelMultigrid(const VoxelLaplacian& fine, const VoxelMultigridOptions& options)
    : impl_(std::make_unique<Impl>(fine, options)) {}
VoxelMultigrid::~VoxelMultigrid() = default;
VoxelMultigrid::VoxelMultigrid(VoxelMultigrid&&) noexcept = default;
VoxelMultigrid& VoxelMultigrid::operator=(VoxelMultigrid&&) noexcept = default;

void VoxelMultigrid::apply(std::span<const double> r, std::span<double> z) const {
  CATHODELAB_REQUIRE(r.size() == size() && z.size() == size(), "multigrid sizes");
  impl_->apply(r.data(), z.data());
}
void VoxelMultigrid::apply(std::span<const double> r, std::span<float> z) const {
  CATHODELAB_REQUIRE(r.size() == size() && z.size() == size(), "multigrid sizes");
  impl_->apply(r.data(), z.data());
}
std::size_t VoxelMultigrid::size() const {
  return impl_->fine.cells();
}
int VoxelMultigrid::levels() const noexcept {
  return static_cast<int>(impl_->levels.size()) + 1;
}
std::size_t VoxelMultigrid::bytes() const noexcept {
  std::size_t total = impl_->coarse.factor.size() * sizeof(double);
  for (const Level& level : impl_->levels) total += level.bytes();
  return total;
}
std::size_t VoxelMultigrid::bytes_for(std::size_t cells) noexcept {
  // 5 floats + 1 byte per coarse cell, coarse cells = cells/8 + cells/64 + ... < cells/7,
  // plus the dense coarsest factor (at most 1000^2 doubles).
  return cells / 7 * (5 * sizeof(float) + 1) + 1000U * 1000U * sizeof(double);
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
  std::vector<double> r(n);
  std::vector<float> p(n), w(n);

  // r = b - A x, with b nonzero only on the two Dirichlet layers.
  auto residual_into_r = [&]() {
    (void)detail::apply_operator(f, x.data(), r.data());
#pragma omp parallel for schedule(static) if (sn > detail::kParallelCells)
    for (Index c = 0; c < sn; ++c) r[c] = -r[c];
    double bb = 0.0;
    for (std::size_t c = 0; c < sxy; ++c) {
      const double g_low = laplacian.boundary_conductance[laplacian.labels[c]];
      const std::size_t top = n - sxy + c;
      const double g_high = laplacian.boundary_conductance[laplacian.labels[top]];
      if (f.d.nz == 1) {
        r[c] += g_low * value_low + g_high * value_high;
        bb += (g_low * value_low + g_high * value_high) * (g_low * value_low + g_high * value_high);
      } else {
        r[c] += g_low * value_low;
        r[top] += g_high * value_high;
        bb += g_low * value_low * g_low * value_low + g_high * value_high * g_high * value_high;
      }
    }
    double rr = 0.0;
#pragma omp parallel for schedule(static) reduction(+ : rr) if (sn > detail::kParallelCells)
    for (Index c = 0; c < sn; ++c) rr += r[c] * r[c];
    return std::pair<double, double>{std::sqrt(bb), std::sqrt(rr)};
  };

  // Mixed-precision iterative refinement: CG on the float search vectors reduces the recursive
  // residual; the true residual is then recomputed in double and CG restarts from it until the
  // true residual meets the tolerance (each restart gains several digits).
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
    preconditioner.apply(r, std::span<float>(w));
    double rz = 0.0;
#pragma omp parallel for schedule(static) reduction(+ : rz) if (sn > detail::kParallelCells)
    for (Index c = 0; c < sn; ++c) {
      rz += r[c] * static_cast<double>(w[c]);
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
        r[c] -= alpha * static_cast<double>(w[c]);
        rr += r[c] * r[c];
      }
      ++iteration;
      if (inner.record(iteration, std::sqrt(rr))) break;
      preconditioner.apply(r, std::span<float>(w));
      double rz_new = 0.0;
#pragma omp parallel for schedule(static) reduction(+ : rz_new) if (sn > detail::kParallelCells)
      for (Index c = 0; c < sn; ++c) rz_new += r[c] * static_cast<double>(w[c]);
      const double beta = rz_new / rz;
      rz = rz_new;
      const float beta_f = static_cast<float>(beta);
#pragma omp parallel for schedule(static) if (sn > detail::kParallelCells)
      for (Index c = 0; c < sn; ++c) p[c] = w[c] + beta_f * p[c];
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
