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
              core::Axis axis, const std::array<std::size_t, 256>& counts) {
  const core::Grid3& grid = labels.grid();
  if (grid.size() == 0)
    throw core::InputError("the image has no voxels", "image", "give a non-empty image");
  if (!(grid.voxel_size > 0.0) || !std::isfinite(grid.voxel_size))
    throw core::InputError(
        fmt::format("voxel size must be a positive length, got {}", grid.voxel_size), "voxel_size",
        "give it as e.g. \"0.5 um\"");
  const std::size_t along = grid.shape[static_cast<std::size_t>(axis)];
  if (along < 2)
    throw core::InputError(
        fmt::format("the image is {} voxel thick along {}: no conduction path to solve", along,
                    kAxisNames[static_cast<int>(axis)]),
        "axes", "choose an axis along which the image has at least 2 voxels");
  for (std::size_t l = 0; l < sigma.size(); ++l) {
    if (!std::isfinite(sigma[l]) || sigma[l] < 0.0)
      throw core::InputError(fmt::format("conductivity of label {} is {} S/m", l, sigma[l]),
                             fmt::format("sigma_by_label[{}]", l),
                             "give a finite conductivity >= 0 (0 = does not conduct)");
  }
  bool any_conducting = false;
  for (std::size_t l = 0; l < counts.size(); ++l) {
    if (counts[l] == 0) continue;
    if (l >= sigma.size())
      throw core::InputError(
          fmt::format("{} voxels carry label {}, which has no conductivity (labels 0..{} given)",
                      counts[l], l, sigma.size() == 0 ? 0 : sigma.size() - 1),
          fmt::format("sigma_by_label[{}]", l), "give a conductivity for every label in the image");
    any_conducting = any_conducting || sigma[l] > 0.0;
  }
  if (!any_conducting)
    throw core::InputError(
        "no voxel of the image conducts (every present label has conductivity 0)", "sigma_by_label",
        "give a conductivity > 0 to at least one phase present");
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
  validate(labels, sigma_by_label, axis, counts);
  const std::size_t n = labels.size();
  core::require_memory(effective_conductivity_bytes(n), "the effective-conductivity solve");

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
  result.volume_fraction = static_cast<double>(conducting) / static_cast<double>(n);
  result.bulk_conductivity = sigma_sum / static_cast<double>(conducting);

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
    result.percolates = false;
    result.effective_conductivity = 0.0;
    result.tortuosity_factor = std::numeric_limits<double>::infinity();
    result.stats.converged = true;
    result.stats.method = "none";
    result.stats.message = "no conducting path joins the two faces: nothing to solve";
    return result;
  }
  result.percolates = true;

  // Operator in units of sigma_max * h: interior faces harmonic mean, boundary faces 2 sigma.
  numerics::VoxelLaplacian laplacian;
  laplacian.shape = shape;
  laplacian.labels = classes;
  const std::size_t k = class_sigma.size();
  laplacian.pair_conductance.assign(k * k, 0.0F);
  laplacian.boundary_conductance.assign(k, 0.0F);
  for (std::size_t a = 1; a < k; ++a) {
    const double sa = class_sigma[a] / sigma_max;
    laplacian.boundary_conductance[a] = static_cast<float>(2.0 * sa);
    for (std::size_t b = 1; b < k; ++b) {
      const double sb = class_sigma[b] / sigma_max;
      laplacian.pair_conductance[a * k + b] = static_cast<float>(2.0 * sa * sb / (sa + sb));
    }
  }

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
  // Solve; while the currents through the two faces disagree by more than flux_tolerance (the
  // residual is relative to the right-hand side, which can be large next to a small current),
  // tighten the tolerance tenfold and continue from the current solution.
  double rtol = options.relative_tolerance;
  numerics::DirichletFlows flows;
  for (int tightening = 0;; ++tightening) {
    const core::SolveStats stats = numerics::voxel_pcg(
        laplacian, multigrid, 1.0, 0.0, phi,
        numerics::CgOptions{.rtol = rtol, .max_iterations = options.max_iterations});
    const int previous_iterations = result.stats.iterations;
    const double previous_seconds = result.stats.seconds;
    result.stats = stats;
    result.stats.iterations += previous_iterations;
    result.stats.seconds += previous_seconds;
    flows = numerics::dirichlet_flows(laplacian, phi, 1.0, 0.0);
    const double mismatch =
        std::abs(flows.into_low - flows.out_high) / std::max(std::abs(flows.into_low), 1e-300);
    if (!stats.converged && tightening > 0 && stats.residual <= options.relative_tolerance) {
      // A tightening round stalled (the float search directions reach their precision) but the
      // requested tolerance holds: the solution is as good as asked; say why the check failed.
      result.stats.converged = true;
      result.stats.message = fmt::format(
          "converged to the requested tolerance; tightening for the flux check stalled at "
          "relative residual {:.2e} with currents differing by {:.2e} (relative)",
          stats.residual, mismatch);
      break;
    }
    if (!stats.converged || mismatch <= options.flux_tolerance || tightening == 4 || rtol < 1e-14)
      break;
    rtol *= 0.1;
  }
  result.solver_bytes =
      n * (1 + sizeof(double) + numerics::voxel_pcg_bytes_per_cell) + multigrid.bytes() +
      (multigrid.variable() ? n * numerics::voxel_pcg_flexible_extra_bytes_per_cell : 0);
  core::log_debug(fmt::format(
      "effective conductivity along {}: {} unknowns, {} multigrid levels ({}, contrast {:.1e}), "
      "{} CG iterations, relative residual {:.2e}, {:.3f} s, {:.1f} bytes per voxel",
      kAxisNames[static_cast<int>(axis)], result.unknowns, multigrid.levels(),
      multigrid.split_coarsening() ? "split" : "structured", multigrid.contrast(),
      result.stats.iterations, result.stats.residual, result.stats.seconds,
      static_cast<double>(result.solver_bytes) / static_cast<double>(n)));
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
