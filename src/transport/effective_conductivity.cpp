// Effective conductivity of a voxel image: spanning-set search, finite-volume operator with
// harmonic face means, multigrid-preconditioned CG, and the a posteriori error bound of the
// reported conductivity that stops it (maximum principle bound |F - F*| <= ||b - A x||_1 / 2;
// docs/theory/transport.md, "Stopping and failure").
#include "cathodelab/transport/effective_conductivity.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/core/memory.hpp"
#include "cathodelab/numerics/voxel_laplacian.hpp"
#include "cathodelab/numerics/voxel_multigrid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace cathodelab::transport {

namespace {

using Index = std::ptrdiff_t;
constexpr const char* kAxisNames[] = {"x", "y", "z"};

void validate(const core::Array3<std::uint8_t>& labels, std::span<const double> sigma,
              const std::array<std::size_t, 256>& counts) {
  const core::Grid3& grid = labels.grid();
  if (grid.size() == 0)
    throw core::InputError("the image has no voxels", "image", "give a non-empty image");
  if (!(grid.voxel_size > 0.0) || !std::isfinite(grid.voxel_size))
    throw core::InputError(
        fmt::format("voxel size must be a positive length, got {}", grid.voxel_size), "voxel_size",
        "give it as e.g. \"0.5 um\"");
  for (std::size_t l = 0; l < sigma.size(); ++l) {
    if (!std::isfinite(sigma[l]) || sigma[l] < 0.0)
      throw core::InputError(fmt::format("conductivity of label {} is {} S/m", l, sigma[l]),
                             fmt::format("sigma_by_label[{}]", l),
                             "give a finite conductivity >= 0 (0 = does not conduct)");
  }
  for (std::size_t l = 0; l < counts.size(); ++l) {
    if (counts[l] != 0 && l >= sigma.size())
      throw core::InputError(
          fmt::format("{} voxels carry label {}, which has no conductivity (labels 0..{} given)",
                      counts[l], l, sigma.empty() ? 0 : sigma.size() - 1),
          fmt::format("sigma_by_label[{}]", l), "give a conductivity for every label in the image");
  }
}

/// A conduction path needs two voxel layers along the axis (checked once something conducts: an
/// image without conductor has its answer whatever its thickness).
void require_two_layers(const core::Grid3& grid, core::Axis axis) {
  const std::size_t along = grid.shape[static_cast<std::size_t>(axis)];
  if (along < 2)
    throw core::InputError(
        fmt::format("the image is {} voxel thick along {}: no conduction path to solve", along,
                    kAxisNames[static_cast<int>(axis)]),
        "axes", "choose an axis along which the image has at least 2 voxels");
}

/// The answer for a network that joins the two faces nowhere: a result, not an error.
void set_not_percolating(EffectiveConductivity& result, const char* why) {
  result.percolates = false;
  result.effective_conductivity = 0.0;
  result.tortuosity_factor = std::numeric_limits<double>::infinity();
  result.estimated_relative_error = 0.0;  // exact: no current can flow
  result.stats.converged = true;
  result.stats.method = "none";
  result.stats.message = why;
}

/// Copies the class of each voxel into a grid whose z axis is the driven axis (cyclic permutation).
std::vector<std::uint8_t> permuted_classes(const core::Array3<std::uint8_t>& labels,
                                           core::Axis axis,
                                           const std::array<std::uint8_t, 256>& class_of,
                                           std::array<std::size_t, 3>& shape) {
  const auto& s = labels.grid().shape;
  const std::size_t a = static_cast<std::size_t>(axis);
  // new (x, y, z) = original axes (a+1, a+2, a) mod 3
  const std::array<std::size_t, 3> from{(a + 1) % 3, (a + 2) % 3, a};
  shape = {s[from[0]], s[from[1]], s[from[2]]};
  std::array<std::size_t, 3> stride_orig{1, s[0], s[0] * s[1]};
  const std::size_t sx = stride_orig[from[0]], sy = stride_orig[from[1]], sz = stride_orig[from[2]];
  std::vector<std::uint8_t> out(labels.size());
  const std::uint8_t* in = labels.data();
  const Index nz = static_cast<Index>(shape[2]);
#pragma omp parallel for schedule(static)
  for (Index k = 0; k < nz; ++k) {
    const std::size_t uk = static_cast<std::size_t>(k);
    for (std::size_t j = 0; j < shape[1]; ++j) {
      std::uint8_t* row = out.data() + shape[0] * (j + shape[1] * uk);
      const std::uint8_t* base = in + j * sy + uk * sz;
      for (std::size_t i = 0; i < shape[0]; ++i) row[i] = class_of[base[i * sx]];
    }
  }
  return out;
}

/// Breadth-first flood fill over 6-neighbours: cells with mark == from become mark == to, starting
/// from the seeds of layer z = seed_layer.
void flood(const std::array<std::size_t, 3>& shape, std::vector<std::uint8_t>& mark,
           std::uint8_t from, std::uint8_t to, std::size_t seed_layer) {
  const std::size_t nx = shape[0], ny = shape[1], nz = shape[2], sxy = nx * ny;
  std::vector<std::size_t> frontier, next;
  for (std::size_t c = seed_layer * sxy; c < (seed_layer + 1) * sxy; ++c) {
    if (mark[c] == from) {
      mark[c] = to;
      frontier.push_back(c);
    }
  }
  while (!frontier.empty()) {
    next.clear();
    for (const std::size_t c : frontier) {
      // NOLINTNEXTLINE(clang-analyzer-core.DivideZero): a frontier voxel implies nx, ny > 0.
      const std::size_t i = c % nx, j = (c / nx) % ny, k = c / sxy;
      auto visit = [&](std::size_t nb) {
        if (mark[nb] == from) {
          mark[nb] = to;
          next.push_back(nb);
        }
      };
      if (i > 0) visit(c - 1);
      if (i + 1 < nx) visit(c + 1);
      if (j > 0) visit(c - nx);
      if (j + 1 < ny) visit(c + nx);
      if (k > 0) visit(c - sxy);
      if (k + 1 < nz) visit(c + sxy);
    }
    frontier.swap(next);
  }
}

/// Largest relative rounding of the conductance tables stored in single precision: scaling every
/// conductance by a factor within [1 - d, 1 + d] scales the flow by a factor within the same range
/// (Rayleigh monotonicity), so d bounds what the float storage changes in sigma_eff.
double representation_error(const numerics::VoxelLaplacian& laplacian,
                            const std::vector<double>& pair, const std::vector<double>& boundary) {
  double worst = 0.0;
  auto track = [&worst](double exact, float stored) {
    if (exact > 0.0) worst = std::max(worst, std::abs(static_cast<double>(stored) - exact) / exact);
  };
  for (std::size_t e = 0; e < pair.size(); ++e) track(pair[e], laplacian.pair_conductance[e]);
  for (std::size_t e = 0; e < boundary.size(); ++e)
    track(boundary[e], laplacian.boundary_conductance[e]);
  return worst;
}

/// Estimated relative error of the dimensionless flow `flow` = (F_in + F_out) / 2 of the solution x
/// (phi = 1 on the low face, 0 on the high face; docs/theory/transport.md, "Stopping and failure").
/// With r = b - A x and x* = A^-1 b: F_in - F_out = sum(r) and flow - F* = (x* - 1/2) . r
/// = (x - 1/2) . r + r . A^-1 r, the last term >= 0 and quadratic in r. The estimate is half the
/// face mismatch plus twice the computable first-order term, capped by the rigorous bound
/// |flow - F*| <= ||r||_1 / 2 (0 <= x* <= 1 by the maximum principle); relative to F*, taken as
/// flow - estimate.
/// Needs one double per cell while it runs: called between CG rounds, it takes the place of the
/// CG vectors (12-16 bytes per cell, freed by then), so the peak memory does not grow.
double flow_error_estimate(const numerics::VoxelLaplacian& laplacian, std::span<const double> x,
                           double flow) {
  std::vector<double> ax(x.size());
  numerics::VoxelLaplacianOperator(laplacian).apply(x, ax);
  const std::size_t sxy = laplacian.shape[0] * laplacian.shape[1];
  const Index n = static_cast<Index>(x.size());
  double residual_sum = 0.0, residual_abs = 0.0, first_order = 0.0;
#pragma omp parallel for schedule(static) reduction(+ : residual_sum, residual_abs, first_order)
  for (Index c = 0; c < n; ++c) {
    const std::size_t uc = static_cast<std::size_t>(c);
    const double b = uc < sxy ? laplacian.boundary_conductance[laplacian.labels[uc]] : 0.0;
    const double r = b - ax[uc];
    residual_sum += r;
    residual_abs += std::abs(r);
    first_order += (x[uc] - 0.5) * r;
  }
  const double bound = 0.5 * residual_abs;
  const double estimate =
      std::min(bound, 0.5 * std::abs(residual_sum) + 2.0 * std::abs(first_order));
  return flow > estimate ? estimate / (flow - estimate) : std::numeric_limits<double>::infinity();
}

/// Runs CG rounds from the current phi until the estimated relative error of sigma_eff (the
/// algebraic part from flow_error_estimate plus the float storage's `representation` error) is at
/// most options.relative_tolerance. The first round stops on the relative residual
/// ||b - A x|| / ||b|| <= relative_tolerance; each further round, warm started, lowers that
/// residual target by the factor the estimate still has to fall (aiming at half the target).
/// Fills result.stats (iterations and seconds summed over the rounds) and
/// result.estimated_relative_error.
void solve_to_tolerance(const numerics::VoxelLaplacian& laplacian,
                        const numerics::VoxelMultigrid& multigrid,
                        const ConductivityOptions& options, double representation,
                        std::vector<double>& phi, EffectiveConductivity& result) {
  constexpr int kMaxRounds = 8;
  constexpr double kSmallestResidual = 1e-15;  // x is double: nothing to gain below this
  const double target = options.relative_tolerance;
  // Leave room for the storage error when it is small next to the target.
  const double algebraic_target =
      representation <= 0.5 * target ? target - representation : 0.5 * target;
  double rtol = target;
  bool residual_met = false;
  for (int round = 0;; ++round) {
    const int left = options.max_iterations - result.stats.iterations;
    const core::SolveStats stats =
        numerics::voxel_pcg(laplacian, multigrid, 1.0, 0.0, phi,
                            numerics::CgOptions{.rtol = rtol, .max_iterations = std::max(left, 1)});
    const int iterations = result.stats.iterations + stats.iterations;
    const double seconds = result.stats.seconds + stats.seconds;
    result.stats = stats;
    result.stats.iterations = iterations;
    result.stats.seconds = seconds;
    residual_met = residual_met || stats.residual <= target;
    const numerics::DirichletFlows flows = numerics::dirichlet_flows(laplacian, phi, 1.0, 0.0);
    const double algebraic =
        flow_error_estimate(laplacian, phi, 0.5 * (flows.into_low + flows.out_high));
    result.estimated_relative_error = algebraic + representation + algebraic * representation;
    if (algebraic <= algebraic_target) {
      result.stats.converged = true;
      result.stats.message =
          representation <= 0.5 * target
              ? "converged: estimated relative error of sigma_eff within the tolerance"
              : fmt::format(
                    "converged; the conductances are stored in single precision, which limits "
                    "the accuracy of sigma_eff to {:.1e} (relative)",
                    representation);
      return;
    }
    const bool exhausted = !stats.converged || round + 1 == kMaxRounds ||
                           rtol <= kSmallestResidual || iterations >= options.max_iterations;
    if (exhausted) {
      // The estimate could not be brought to the tolerance. When the residual test held, the
      // answer is as good as that residual and the accuracy reached is reported; otherwise the
      // solve failed.
      result.stats.converged = residual_met;
      result.stats.message = fmt::format(
          "{}; estimated relative error of sigma_eff {:.2e} (requested {:.1e}) at relative "
          "residual {:.2e}",
          residual_met ? "residual tolerance met, error estimate stalled above the tolerance"
                       : stats.message,
          result.estimated_relative_error, target, stats.residual);
      return;
    }
    // The estimate falls about in proportion to the residual: aim at half the target.
    rtol =
        std::max(kSmallestResidual, std::min(stats.residual, rtol) *
                                        std::clamp(0.5 * algebraic_target / algebraic, 1e-4, 0.5));
  }
}

}  // namespace

std::size_t effective_conductivity_bytes(std::size_t voxels, bool high_contrast) noexcept {
  // Two phases that do not overlap: the spanning-set search (classes + flood marks, 1 + 1 byte;
  // the BFS frontiers are small) and the solve (classes 1, x 8, CG work vectors, multigrid).
  const std::size_t flood = 2 * voxels;
  const std::size_t solve = voxels * (1 + sizeof(double) + numerics::voxel_pcg_bytes_per_cell) +
                            (high_contrast ? numerics::VoxelMultigrid::bytes_for_split(voxels)
                                           : numerics::VoxelMultigrid::bytes_for(voxels));
  return std::max(flood, solve);
}

EffectiveConductivity effective_conductivity(const core::Array3<std::uint8_t>& labels,
                                             std::span<const double> sigma_by_label,
                                             core::Axis axis, const ConductivityOptions& options) {
  std::array<std::size_t, 256> counts{};
  for (const std::uint8_t l : labels.values()) ++counts[l];
  validate(labels, sigma_by_label, counts);
  const std::size_t n = labels.size();

  EffectiveConductivity result;
  result.axis = axis;
  std::size_t conducting = 0;
  double sigma_sum = 0.0;
  for (std::size_t l = 0; l < sigma_by_label.size() && l < 256; ++l) {
    if (sigma_by_label[l] > 0.0) {
      conducting += counts[l];
      sigma_sum += static_cast<double>(counts[l]) * sigma_by_label[l];
    }
  }
  if (conducting == 0) {
    set_not_percolating(result, "no conducting voxel");
    return result;
  }
  require_two_layers(labels.grid(), axis);
  core::require_memory(effective_conductivity_bytes(n), "the effective-conductivity solve");
  result.volume_fraction = static_cast<double>(conducting) / static_cast<double>(n);
  result.bulk_conductivity = sigma_sum / static_cast<double>(conducting);

  // Classes: one per distinct positive conductivity present; class 0 = does not conduct.
  std::vector<double> class_sigma{0.0};
  std::array<std::uint8_t, 256> class_of{};
  double sigma_max = 0.0;
  for (std::size_t l = 0; l < sigma_by_label.size() && l < 256; ++l) {
    if (counts[l] == 0 || sigma_by_label[l] <= 0.0) continue;
    const auto found = std::find(class_sigma.begin(), class_sigma.end(), sigma_by_label[l]);
    class_of[l] = static_cast<std::uint8_t>(found - class_sigma.begin());
    if (found == class_sigma.end()) class_sigma.push_back(sigma_by_label[l]);
    sigma_max = std::max(sigma_max, sigma_by_label[l]);
  }

  std::array<std::size_t, 3> shape{};
  std::vector<std::uint8_t> classes = permuted_classes(labels, axis, class_of, shape);
  const std::size_t sxy = shape[0] * shape[1];
  {
    // Spanning set: conducting cells reached from the first layer (mark 2), and of those the ones
    // reached from the last layer (mark 3). Everything else carries no current.
    std::vector<std::uint8_t> mark(n);
    for (std::size_t c = 0; c < n; ++c) mark[c] = classes[c] != 0 ? 1 : 0;
    flood(shape, mark, 1, 2, 0);
    flood(shape, mark, 2, 3, shape[2] - 1);
    std::size_t spanning = 0;
    for (std::size_t c = 0; c < n; ++c) {
      if (mark[c] == 3) {
        ++spanning;
      } else {
        classes[c] = 0;
      }
    }
    result.unknowns = spanning;
    result.percolating_fraction = static_cast<double>(spanning) / static_cast<double>(conducting);
  }
  if (result.unknowns == 0) {
    set_not_percolating(result, "no conducting path joins the two faces: nothing to solve");
    return result;
  }
  result.percolates = true;

  // Operator in units of sigma_max * h: interior faces harmonic mean, boundary faces 2 sigma.
  numerics::VoxelLaplacian laplacian;
  laplacian.shape = shape;
  laplacian.labels = classes;
  const std::size_t k = class_sigma.size();
  std::vector<double> pair_exact(k * k, 0.0), boundary_exact(k, 0.0);
  for (std::size_t a = 1; a < k; ++a) {
    const double sa = class_sigma[a] / sigma_max;
    boundary_exact[a] = 2.0 * sa;
    for (std::size_t b = 1; b < k; ++b) {
      const double sb = class_sigma[b] / sigma_max;
      pair_exact[a * k + b] = 2.0 * sa * sb / (sa + sb);
    }
  }
  laplacian.pair_conductance.assign(pair_exact.begin(), pair_exact.end());
  laplacian.boundary_conductance.assign(boundary_exact.begin(), boundary_exact.end());
  const double representation = representation_error(laplacian, pair_exact, boundary_exact);

  // High contrast: the split coarsening needs more memory than the structured one; check it before
  // the hierarchy is built (the same criteria as VoxelMultigridOptions::split_above_contrast and
  // split_above_excluded_fraction).
  const numerics::VoxelMultigridOptions multigrid_options{
      .smoothing_sweeps = options.smoothing_sweeps, .coarsening = options.coarsening};
  double sigma_min = sigma_max;
  for (std::size_t a = 1; a < class_sigma.size(); ++a)
    sigma_min = std::min(sigma_min, class_sigma[a]);
  const bool split = options.coarsening == numerics::VoxelCoarsening::split ||
                     (options.coarsening == numerics::VoxelCoarsening::automatic &&
                      (sigma_max / sigma_min > multigrid_options.split_above_contrast ||
                       1.0 - static_cast<double>(result.unknowns) / static_cast<double>(n) >
                           multigrid_options.split_above_excluded_fraction));
  if (split)
    core::require_memory(effective_conductivity_bytes(n, true),
                         "the effective-conductivity solve (high-contrast multigrid)");
  const numerics::VoxelMultigrid multigrid(laplacian, multigrid_options);
  std::vector<double> phi(n, 0.0);
  const Index nz = static_cast<Index>(shape[2]);
#pragma omp parallel for schedule(static)
  for (Index kk = 0; kk < nz; ++kk) {
    const double value = 1.0 - (static_cast<double>(kk) + 0.5) / static_cast<double>(nz);
    for (std::size_t c = static_cast<std::size_t>(kk) * sxy;
         c < static_cast<std::size_t>(kk + 1) * sxy; ++c)
      phi[c] = classes[c] != 0 ? value : 0.0;
  }
  solve_to_tolerance(laplacian, multigrid, options, representation, phi, result);
  const numerics::DirichletFlows flows = numerics::dirichlet_flows(laplacian, phi, 1.0, 0.0);
  result.solver_bytes =
      n * (1 + sizeof(double) + numerics::voxel_pcg_bytes_per_cell) + multigrid.bytes() +
      (multigrid.variable() ? n * numerics::voxel_pcg_flexible_extra_bytes_per_cell : 0);
  core::log_debug(fmt::format(
      "effective conductivity along {}: {} unknowns, {} multigrid levels ({}, contrast {:.1e}), "
      "{} CG iterations, relative residual {:.2e}, estimated relative error {:.2e}, {:.3f} s, "
      "{:.1f} bytes per voxel",
      kAxisNames[static_cast<int>(axis)], result.unknowns, multigrid.levels(),
      multigrid.split_coarsening() ? "split" : "structured", multigrid.contrast(),
      result.stats.iterations, result.stats.residual, result.estimated_relative_error,
      result.stats.seconds, static_cast<double>(result.solver_bytes) / static_cast<double>(n)));
  if (!result.stats.converged && options.throw_on_failure)
    throw core::NumericalError(
        fmt::format("the effective-conductivity solve along {} did not converge",
                    kAxisNames[static_cast<int>(axis)]),
        result.stats);

  const double h = labels.grid().voxel_size;
  result.current_in = flows.into_low * sigma_max * h;
  result.current_out = flows.out_high * sigma_max * h;
  const double flow = 0.5 * (flows.into_low + flows.out_high);
  result.effective_conductivity =
      sigma_max * flow * static_cast<double>(shape[2]) / static_cast<double>(sxy);
  result.tortuosity_factor =
      result.effective_conductivity > 0.0
          ? result.volume_fraction * result.bulk_conductivity / result.effective_conductivity
          : std::numeric_limits<double>::infinity();
  return result;
}

}  // namespace cathodelab::transport
