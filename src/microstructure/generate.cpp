// Recipe -> voxel microstructure (see generate.hpp for the pipeline and
// docs/theory/microstructure.md for the reasons behind each step).
#include "cathodelab/microstructure/generate.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/core/memory.hpp"
#include "cathodelab/core/rng.hpp"
#include "cathodelab/microstructure/particle_size.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <span>

namespace cathodelab::microstructure {
namespace {

constexpr Label kFree = 255;     // voxel not yet given to any phase
constexpr double kReach = 1.35;  // ownership is computed out to q = 1.35 (room to dilate a phase)
constexpr float kInf = std::numeric_limits<float>::infinity();
const double kThinFibreRadius = std::sqrt(3.0) / 2.0;  // [voxels] keeps a digital fibre 6-connected

struct Ball {
  std::array<double, 3> centre{};  ///< [m]
  double radius = 0.0;             ///< [m]
};

std::size_t wrap(std::ptrdiff_t i, std::size_t n) {
  const auto m = static_cast<std::ptrdiff_t>(n);
  return static_cast<std::size_t>(((i % m) + m) % m);
}

// Calls visit(ball_index, voxel_index, squared distance [m^2]) for every voxel centre within
// `reach_of(ball)` of a ball centre; x and y periodic, z clipped. Parallel over z slices; each call
// for a given voxel happens on one thread, in ball order, so min-updates are race-free and
// deterministic.
template <class ReachOf, class Visit>
void scatter_balls(const core::Grid3& grid, std::span<const Ball> balls, ReachOf reach_of,
                   Visit visit) {
  const double h = grid.voxel_size;
  const std::size_t nx = grid.nx();
  const std::size_t ny = grid.ny();
  const std::size_t nz = grid.nz();
  std::vector<std::vector<std::uint32_t>> slices(nz);
  for (std::size_t b = 0; b < balls.size(); ++b) {
    const double reach = reach_of(balls[b]);
    const double cz = balls[b].centre[2];
    const auto k_lo = static_cast<std::ptrdiff_t>(std::ceil((cz - reach) / h - 0.5));
    const auto k_hi = static_cast<std::ptrdiff_t>(std::floor((cz + reach) / h - 0.5));
    for (std::ptrdiff_t k = std::max<std::ptrdiff_t>(k_lo, 0);
         k <= std::min<std::ptrdiff_t>(k_hi, static_cast<std::ptrdiff_t>(nz) - 1); ++k) {
      slices[static_cast<std::size_t>(k)].push_back(static_cast<std::uint32_t>(b));
    }
  }
#pragma omp parallel for schedule(dynamic, 1)
  for (std::size_t k = 0; k < nz; ++k) {
    const double zc = (static_cast<double>(k) + 0.5) * h;
    for (const std::uint32_t b : slices[k]) {
      const Ball& ball = balls[b];
      const double reach = reach_of(ball);
      const double dz = zc - ball.centre[2];
      const double rem_z = reach * reach - dz * dz;
      if (rem_z < 0.0) {
        continue;
      }
      const double ry = std::sqrt(rem_z);
      const auto j_lo = static_cast<std::ptrdiff_t>(std::ceil((ball.centre[1] - ry) / h - 0.5));
      const auto j_hi = static_cast<std::ptrdiff_t>(std::floor((ball.centre[1] + ry) / h - 0.5));
      for (std::ptrdiff_t j = j_lo; j <= j_hi; ++j) {
        const double dy = (static_cast<double>(j) + 0.5) * h - ball.centre[1];
        const double rem_y = rem_z - dy * dy;
        if (rem_y < 0.0) {
          continue;
        }
        const double rx = std::sqrt(rem_y);
        const auto i_lo = static_cast<std::ptrdiff_t>(std::ceil((ball.centre[0] - rx) / h - 0.5));
        const auto i_hi = static_cast<std::ptrdiff_t>(std::floor((ball.centre[0] + rx) / h - 0.5));
        const std::size_t row = nx * (wrap(j, ny) + ny * k);
        const double dyz2 = dy * dy + dz * dz;
        for (std::ptrdiff_t i = i_lo; i <= i_hi; ++i) {
          const double dx = (static_cast<double>(i) + 0.5) * h - ball.centre[0];
          visit(b, row + wrap(i, nx), dx * dx + dyz2);
        }
      }
    }
  }
}

// Draws one fibre into free voxels; returns the number of voxels it took.
std::size_t draw_fibre(const core::Grid3& grid, const Particle& fibre, Label label, ParticleId id,
                       std::vector<Label>& labels, std::vector<ParticleId>& owner) {
  const double h = grid.voxel_size;
  const auto& c = fibre.centre;
  const auto& ax = fibre.axis;
  const double half = 0.5 * fibre.length;
  const double r = fibre.radius;
  std::array<double, 3> a{};
  std::array<std::ptrdiff_t, 3> lo{};
  std::array<std::ptrdiff_t, 3> hi{};
  for (int d = 0; d < 3; ++d) {
    a[d] = c[d] - half * ax[d];
    const double e0 = c[d] - half * ax[d];
    const double e1 = c[d] + half * ax[d];
    lo[d] = static_cast<std::ptrdiff_t>(std::floor((std::min(e0, e1) - r) / h)) - 1;
    hi[d] = static_cast<std::ptrdiff_t>(std::ceil((std::max(e0, e1) + r) / h)) + 1;
  }
  lo[2] = std::max<std::ptrdiff_t>(lo[2], 0);
  hi[2] = std::min<std::ptrdiff_t>(hi[2], static_cast<std::ptrdiff_t>(grid.nz()) - 1);
  std::size_t taken = 0;
  for (std::ptrdiff_t k = lo[2]; k <= hi[2]; ++k) {
    for (std::ptrdiff_t j = lo[1]; j <= hi[1]; ++j) {
      for (std::ptrdiff_t i = lo[0]; i <= hi[0]; ++i) {
        const double vx = (static_cast<double>(i) + 0.5) * h - a[0];
        const double vy = (static_cast<double>(j) + 0.5) * h - a[1];
        const double vz = (static_cast<double>(k) + 0.5) * h - a[2];
        const double t = vx * ax[0] + vy * ax[1] + vz * ax[2];
        if (t < 0.0 || t > fibre.length) {
          continue;
        }
        if (vx * vx + vy * vy + vz * vz - t * t > r * r) {
          continue;
        }
        const std::size_t index =
            grid.index(wrap(i, grid.nx()), wrap(j, grid.ny()), static_cast<std::size_t>(k));
        if (labels[index] == kFree) {
          labels[index] = label;
          owner[index] = id;
          ++taken;
        }
      }
    }
  }
  return taken;
}

std::array<double, 3> random_direction(core::Rng& rng) {
  for (;;) {
    const std::array<double, 3> v{rng.normal(), rng.normal(), rng.normal()};
    const double n = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (n > 1e-9) {
      return {v[0] / n, v[1] / n, v[2] / n};
    }
  }
}

// The k-th smallest value (0-based) among `values`; reorders them.
float kth_smallest(std::vector<float>& values, std::size_t k) {
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

class Generator {
 public:
  explicit Generator(const GenerationSpec& spec) : spec_(spec) {}
  GeneratedMicrostructure run();

 private:
  void setup_grid();
  void setup_phase_table();
  void place_fibres();
  void pack_spheres();
  bool assign_spheres();  // false when some phase lacked candidate voxels (radii were inflated)
  void assign_sphere_phase(std::size_t phase, const std::vector<Label>& particle_phase);
  void draw_coating(std::size_t phase);
  void place_pores();
  void finish(GeneratedMicrostructure& out);

  [[nodiscard]] std::size_t target_voxels(double fraction) const {
    return static_cast<std::size_t>(std::llround(fraction * static_cast<double>(grid_.size())));
  }

  const GenerationSpec& spec_;
  core::Grid3 grid_;
  double box_volume_ = 0.0;
  std::vector<Label> labels_;
  std::vector<ParticleId> owner_;
  std::vector<float> q2_;
  std::vector<Particle> particles_;
  std::size_t first_sphere_ = 0;  // particles_[first_sphere_..] are spheres
  std::vector<PhaseReport> phases_;
  std::vector<int> coating_label_;  // per spec phase: label of its coating or -1
  std::vector<bool> shortfall_;     // per spec phase: too few candidates at the last attempt
  std::size_t remainder_phase_ = 0;
  GenerationReport report_;
};

void Generator::setup_grid() {
  const double h = spec_.voxel_size;
  const auto count = [h](double length) {
    return static_cast<std::size_t>(std::max<long long>(1, std::llround(length / h)));
  };
  grid_.shape = {count(spec_.domain_x), count(spec_.domain_y), count(spec_.thickness)};
  grid_.voxel_size = h;
  box_volume_ =
      grid_.length(core::Axis::x) * grid_.length(core::Axis::y) * grid_.length(core::Axis::z);
  core::require_memory(generation_memory_bytes(spec_), "generating the microstructure");
  labels_.assign(grid_.size(), kFree);
  owner_.assign(grid_.size(), no_particle);
  q2_.assign(grid_.size(), kInf);
}

void Generator::setup_phase_table() {
  coating_label_.assign(spec_.phases.size(), -1);
  shortfall_.assign(spec_.phases.size(), false);
  for (std::size_t p = 0; p < spec_.phases.size(); ++p) {
    const PhaseSpec& ps = spec_.phases[p];
    PhaseReport r;
    r.name = ps.name;
    r.material = ps.material.empty() ? ps.name : ps.material;
    r.role = ps.role;
    r.shape = ps.shape;
    r.target_fraction = ps.volume_fraction;
    if (ps.shape == PhaseShape::matrix ||
        (ps.shape == PhaseShape::pore && ps.placement == PorePlacement::remainder)) {
      remainder_phase_ = p;
    }
    phases_.push_back(r);
  }
  for (std::size_t p = 0; p < spec_.phases.size(); ++p) {
    const PhaseSpec& ps = spec_.phases[p];
    if (!ps.coating) {
      continue;
    }
    const CoatingSpec& coating = *ps.coating;
    PhaseReport r;
    r.name = coating.name.empty()
                 ? (coating.material.empty() ? ps.name + " coating" : coating.material + " coating")
                 : coating.name;
    r.material = coating.material;
    r.role = PhaseRole::coating;
    r.shape = PhaseShape::sphere;
    r.is_coating = true;
    r.coating_thickness = coating.thickness;
    switch (coating.representation) {
      case CoatingRepresentation::voxels:
        r.coating_voxelized = true;
        break;
      case CoatingRepresentation::interface:
        r.coating_voxelized = false;
        break;
      case CoatingRepresentation::automatic:
        r.coating_voxelized = coating.thickness >= coating.min_voxels * spec_.voxel_size;
        break;
    }
    report_.notes.push_back(
        r.coating_voxelized
            ? fmt::format(
                  "coating '{}' ({:.3g} nm) is drawn as a voxel shell around every {} particle",
                  r.name, coating.thickness * 1e9, ps.name)
            : fmt::format("coating '{}' ({:.3g} nm) is thinner than the voxel ({:.3g} nm): "
                          "recorded as an interface "
                          "property of every {} particle (thickness and material in the particle "
                          "list), not as voxels",
                          r.name, coating.thickness * 1e9, spec_.voxel_size * 1e9, ps.name));
    coating_label_[p] = static_cast<int>(phases_.size());
    phases_.push_back(r);
  }
}

void Generator::place_fibres() {
  const double h = spec_.voxel_size;
  for (std::size_t p = 0; p < spec_.phases.size(); ++p) {
    const PhaseSpec& ps = spec_.phases[p];
    if (ps.shape != PhaseShape::fibre || ps.volume_fraction <= 0.0) {
      continue;
    }
    core::Rng rng(spec_.seed, 1000 + p);
    const double r_requested = 0.5 * ps.fibre.diameter;
    const double r_drawn = std::max(r_requested, kThinFibreRadius * h);
    phases_[p].fibre_radius_requested = r_requested;
    phases_[p].fibre_radius_drawn = r_drawn;
    if (r_drawn > r_requested) {
      report_.notes.push_back(
          fmt::format("fibres of '{}' ({:.3g} nm diameter) are thinner than a voxel: drawn with "
                      "radius {:.3g} nm (sqrt(3)/2 "
                      "voxel) so each stays a connected line; their number is reduced so the "
                      "volume fraction is right",
                      ps.name, ps.fibre.diameter * 1e9, r_drawn * 1e9));
    }
    const std::size_t target = target_voxels(ps.volume_fraction);
    std::size_t taken = 0;
    std::size_t misses = 0;
    while (taken < target) {
      Particle fibre;
      fibre.id = static_cast<ParticleId>(particles_.size());
      fibre.phase = static_cast<Label>(p);
      fibre.shape = ParticleShape::fibre;
      fibre.radius = r_drawn;
      fibre.length = draw_diameter(ps.fibre.length, rng);
      fibre.centre = {rng.uniform(0.0, spec_.domain_x), rng.uniform(0.0, spec_.domain_y),
                      rng.uniform(0.0, spec_.thickness)};
      const double azimuth = rng.uniform(0.0, 2.0 * std::numbers::pi);
      const double tilt = ps.fibre.tilt_spread * rng.normal();
      fibre.axis = {std::cos(tilt) * std::cos(azimuth), std::cos(tilt) * std::sin(azimuth),
                    std::sin(tilt)};
      const std::size_t got =
          draw_fibre(grid_, fibre, static_cast<Label>(p), fibre.id, labels_, owner_);
      if (got == 0) {
        if (++misses > 100000) {
          break;  // no room left; the report shows the shortfall
        }
        continue;
      }
      taken += got;
      particles_.push_back(fibre);
    }
  }
}

void Generator::pack_spheres() {
  first_sphere_ = particles_.size();
  std::vector<PackingSphere> spheres;
  for (std::size_t p = 0; p < spec_.phases.size(); ++p) {
    const PhaseSpec& ps = spec_.phases[p];
    if (ps.shape != PhaseShape::sphere || ps.volume_fraction <= 0.0) {
      continue;
    }
    core::Rng rng(spec_.seed, p);
    // Overlaps lose volume; starting a little above the target keeps the later radius
    // correction close to 1 (it is exact whatever this factor is).
    const double inflation = 1.0 + ps.allowed_overlap;
    const std::vector<double> diameters =
        draw_diameters_for_volume(ps.size, ps.volume_fraction * box_volume_ * inflation, rng);
    for (const double d : diameters) {
      PackingSphere s;
      s.radius = 0.5 * d;
      s.allowed_overlap = ps.allowed_overlap;
      s.centre = {rng.uniform(0.0, spec_.domain_x), rng.uniform(0.0, spec_.domain_y),
                  rng.uniform(0.0, spec_.thickness)};
      spheres.push_back(s);
      Particle particle;
      particle.id = static_cast<ParticleId>(particles_.size());
      particle.phase = static_cast<Label>(p);
      particle.shape = ParticleShape::sphere;
      particle.radius = s.radius;
      particles_.push_back(particle);
    }
  }
  const PackingBox box{grid_.length(core::Axis::x), grid_.length(core::Axis::y),
                       grid_.length(core::Axis::z)};
  report_.packing =
      relax_packing(spheres, box, spec_.packing.max_sweeps, spec_.packing.overlap_tolerance,
                    spec_.packing.wall_overlap_factor);
  for (std::size_t s = 0; s < spheres.size(); ++s) {
    particles_[first_sphere_ + s].centre = spheres[s].centre;
  }
}

void Generator::assign_sphere_phase(std::size_t phase, const std::vector<Label>& particle_phase) {
  const std::size_t target = target_voxels(spec_.phases[phase].volume_fraction);
  std::vector<float> candidates;
  for (std::size_t n = 0; n < labels_.size(); ++n) {
    if (labels_[n] == kFree && owner_[n] >= 0 &&
        particle_phase[static_cast<std::size_t>(owner_[n])] == phase) {
      candidates.push_back(q2_[n]);
    }
  }
  if (target == 0) {
    phases_[phase].radius_scale = 1.0;
    return;
  }
  const auto free = static_cast<std::size_t>(std::count(labels_.begin(), labels_.end(), kFree));
  if (free < target) {
    throw core::InputError(
        fmt::format("phase '{}' needs {:.4f} of the volume but only {:.4f} is left after fibres, "
                    "earlier phases and "
                    "coating shells",
                    phases_[phase].name, spec_.phases[phase].volume_fraction,
                    static_cast<double>(free) / static_cast<double>(labels_.size())),
        "microstructure.phases." + phases_[phase].name + ".volume_fraction",
        "lower the fractions, or make the coating thinner (a voxel shell around every particle "
        "takes about "
        "3 t / r of the particle volume)");
  }
  if (candidates.size() < target) {
    shortfall_[phase] = true;
    phases_[phase].radius_scale =
        std::cbrt(static_cast<double>(target) /
                  std::max<double>(1.0, static_cast<double>(candidates.size())));
    return;
  }
  const float threshold = kth_smallest(candidates, target - 1);
  phases_[phase].radius_scale = std::sqrt(static_cast<double>(threshold));
  const auto label = static_cast<Label>(phase);
#pragma omp parallel for schedule(static)
  for (std::size_t n = 0; n < labels_.size(); ++n) {
    if (labels_[n] == kFree && owner_[n] >= 0 &&
        particle_phase[static_cast<std::size_t>(owner_[n])] == phase && q2_[n] <= threshold) {
      labels_[n] = label;
    }
  }
}

void Generator::draw_coating(std::size_t phase) {
  PhaseReport& coating = phases_[static_cast<std::size_t>(coating_label_[phase])];
  const double t = coating.coating_thickness;
  const double scale = phases_[phase].radius_scale;
  std::vector<Ball> balls;
  double expected = 0.0;
  for (std::size_t i = first_sphere_; i < particles_.size(); ++i) {
    if (particles_[i].phase == phase) {
      const double r = particles_[i].radius * scale;
      balls.push_back({particles_[i].centre, r});
      expected += 4.0 / 3.0 * std::numbers::pi * (std::pow(r + t, 3) - r * r * r);
    }
  }
  coating.coating_expected_fraction = expected / box_volume_;
  if (!coating.coating_voxelized) {
    return;
  }
  const auto label = static_cast<Label>(coating_label_[phase]);
  scatter_balls(
      grid_, balls, [t](const Ball& b) { return b.radius + t; },
      [&](std::uint32_t b, std::size_t n, double d2) {
        const double outer = balls[b].radius + t;
        if (labels_[n] == kFree && d2 <= outer * outer) {
          labels_[n] = label;
        }
      });
}

bool Generator::assign_spheres() {
  // Ownership: smallest normalized distance q = d / r wins (ties to the lower id).
  std::vector<Ball> balls;
  std::vector<Label> particle_phase(particles_.size(), kFree);
  for (std::size_t i = 0; i < particles_.size(); ++i) {
    particle_phase[i] = particles_[i].phase;
  }
  for (std::size_t i = first_sphere_; i < particles_.size(); ++i) {
    balls.push_back({particles_[i].centre, particles_[i].radius});
  }
  const auto base = static_cast<ParticleId>(first_sphere_);
  scatter_balls(
      grid_, balls, [](const Ball& b) { return kReach * b.radius; },
      [&](std::uint32_t b, std::size_t n, double d2) {
        if (labels_[n] != kFree) {
          return;  // fibres drawn first keep their voxels
        }
        const double r = balls[b].radius;
        const auto q2 = static_cast<float>(d2 / (r * r));
        const ParticleId id = base + static_cast<ParticleId>(b);
        if (q2 < q2_[n] || (q2 == q2_[n] && id < owner_[n])) {
          q2_[n] = q2;
          owner_[n] = id;
        }
      });
  std::fill(shortfall_.begin(), shortfall_.end(), false);
  // Coated phases first, then their shells (which must not eat the cores), then the rest.
  for (std::size_t p = 0; p < spec_.phases.size(); ++p) {
    if (spec_.phases[p].shape == PhaseShape::sphere && coating_label_[p] >= 0) {
      assign_sphere_phase(p, particle_phase);
      draw_coating(p);
    }
  }
  for (std::size_t p = 0; p < spec_.phases.size(); ++p) {
    if (spec_.phases[p].shape == PhaseShape::sphere && coating_label_[p] < 0) {
      assign_sphere_phase(p, particle_phase);
    }
  }
  return std::none_of(shortfall_.begin(), shortfall_.end(), [](bool b) { return b; });
}

void Generator::place_pores() {
  std::size_t pore = spec_.phases.size();
  for (std::size_t p = 0; p < spec_.phases.size(); ++p) {
    if (spec_.phases[p].shape == PhaseShape::pore &&
        (spec_.phases[p].placement == PorePlacement::surface ||
         spec_.phases[p].placement == PorePlacement::random)) {
      pore = p;
    }
  }
  if (pore == spec_.phases.size() || spec_.phases[pore].volume_fraction <= 0.0) {
    return;
  }
  const PhaseSpec& ps = spec_.phases[pore];
  const std::size_t target = target_voxels(ps.volume_fraction);
  const std::size_t free =
      static_cast<std::size_t>(std::count(labels_.begin(), labels_.end(), kFree));
  if (free < target) {
    throw core::InputError(
        fmt::format("the pores need {:.4f} of the volume but only {:.4f} is left after particles "
                    "and coatings",
                    ps.volume_fraction,
                    static_cast<double>(free) / static_cast<double>(labels_.size())),
        "microstructure.phases",
        "lower the particle or pore fractions (voxel coatings also take volume)");
  }
  // Surface pores sit on active particles, chosen in proportion to their surface area.
  std::vector<std::size_t> hosts;
  std::vector<double> cumulative;
  if (ps.placement == PorePlacement::surface) {
    for (std::size_t i = first_sphere_; i < particles_.size(); ++i) {
      if (spec_.phases[particles_[i].phase].role == PhaseRole::active) {
        hosts.push_back(i);
        const double r = particles_[i].radius;
        cumulative.push_back((cumulative.empty() ? 0.0 : cumulative.back()) + r * r);
      }
    }
    if (hosts.empty()) {
      report_.notes.emplace_back(
          "no active particles to put surface pores on: pores placed at random instead");
    }
  }
  for (int attempt = 0; attempt < 6; ++attempt) {
    core::Rng rng(spec_.seed, 2000 + static_cast<std::uint64_t>(attempt));
    // Part of each surface pore lies inside its host; start with twice the volume and grow.
    const double inflation = (hosts.empty() ? 1.3 : 2.5) * std::pow(2.0, attempt);
    const std::vector<double> diameters =
        draw_diameters_for_volume(ps.size, ps.volume_fraction * box_volume_ * inflation, rng);
    std::vector<Ball> balls;
    for (const double d : diameters) {
      Ball ball{{}, 0.5 * d};
      if (hosts.empty()) {
        ball.centre = {rng.uniform(0.0, spec_.domain_x), rng.uniform(0.0, spec_.domain_y),
                       rng.uniform(0.0, spec_.thickness)};
      } else {
        const double u = rng.uniform() * cumulative.back();
        const auto at = static_cast<std::size_t>(
            std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
        const Particle& host = particles_[hosts[std::min(at, hosts.size() - 1)]];
        const std::array<double, 3> dir = random_direction(rng);
        for (int c = 0; c < 3; ++c) {
          ball.centre[c] = host.centre[c] + host.radius * dir[c];
        }
      }
      balls.push_back(ball);
    }
    std::vector<float> pore_q2(labels_.size(), kInf);
    scatter_balls(
        grid_, balls, [](const Ball& b) { return kReach * b.radius; },
        [&](std::uint32_t b, std::size_t n, double d2) {
          if (labels_[n] == kFree) {
            const double r = balls[b].radius;
            pore_q2[n] = std::min(pore_q2[n], static_cast<float>(d2 / (r * r)));
          }
        });
    std::vector<float> candidates;
    for (const float v : pore_q2) {
      if (v < kInf) {
        candidates.push_back(v);
      }
    }
    if (candidates.size() < target) {
      continue;
    }
    const float threshold = kth_smallest(candidates, target - 1);
    const auto label = static_cast<Label>(pore);
    for (std::size_t n = 0; n < labels_.size(); ++n) {
      if (labels_[n] == kFree && pore_q2[n] <= threshold) {
        labels_[n] = label;
      }
    }
    phases_[pore].particle_count = balls.size();
    phases_[pore].radius_scale = std::sqrt(static_cast<double>(threshold));
    return;
  }
  report_.notes.push_back(
      fmt::format("could not place all pores of '{}' near their hosts", ps.name));
}

void Generator::finish(GeneratedMicrostructure& out) {
  const auto remainder = static_cast<Label>(remainder_phase_);
  for (Label& label : labels_) {
    if (label == kFree) {
      label = remainder;
    }
  }
  // Particle ids only where the voxel belongs to the particle's own phase.
#pragma omp parallel for schedule(static)
  for (std::size_t n = 0; n < labels_.size(); ++n) {
    const ParticleId id = owner_[n];
    if (id >= 0 && particles_[static_cast<std::size_t>(id)].phase != labels_[n]) {
      owner_[n] = no_particle;
    }
  }
  // Final radii (after the per-phase scale) and coating records.
  for (std::size_t i = first_sphere_; i < particles_.size(); ++i) {
    Particle& particle = particles_[i];
    particle.radius *= phases_[particle.phase].radius_scale;
    const int coating = coating_label_[particle.phase];
    if (coating >= 0) {
      particle.coating_phase = coating;
      particle.coating_thickness = phases_[static_cast<std::size_t>(coating)].coating_thickness;
      particle.coating_voxelized = phases_[static_cast<std::size_t>(coating)].coating_voxelized;
    }
  }
  for (const Particle& particle : particles_) {
    ++phases_[particle.phase].particle_count;
  }
  std::vector<Phase> table;
  for (const PhaseReport& r : phases_) {
    table.push_back(Phase{.name = r.name, .material = r.material, .role = r.role});
  }
  core::Array3<Label> labels(grid_);
  std::copy(labels_.begin(), labels_.end(), labels.data());
  labels_.clear();
  labels_.shrink_to_fit();
  q2_.clear();
  q2_.shrink_to_fit();
  core::Array3<ParticleId> ids(grid_);
  std::copy(owner_.begin(), owner_.end(), ids.data());
  owner_.clear();
  owner_.shrink_to_fit();
  out.microstructure = Microstructure(std::move(labels), std::move(table));
  out.microstructure.set_particle_ids(std::move(ids));
  out.microstructure.set_particles(particles_);
  out.microstructure.set_periodic_in_plane(true);

  const std::vector<double> measured = out.microstructure.volume_fractions();
  double others = 0.0;
  for (std::size_t p = 0; p < phases_.size(); ++p) {
    phases_[p].measured_fraction = measured[p];
    if (p != remainder_phase_ && !phases_[p].is_coating) {
      others += *phases_[p].target_fraction;
    }
  }
  double coatings = 0.0;
  for (PhaseReport& r : phases_) {
    if (r.is_coating) {
      r.target_fraction.reset();
      coatings += r.measured_fraction;
    }
  }
  phases_[remainder_phase_].target_fraction = std::max(0.0, 1.0 - others - coatings);
  for (std::size_t p = 0; p < spec_.phases.size(); ++p) {
    if (shortfall_[p]) {
      report_.notes.push_back(
          fmt::format("phase '{}' could not reach its target fraction", phases_[p].name));
    }
  }
}

GeneratedMicrostructure Generator::run() {
  const auto start = std::chrono::steady_clock::now();
  validate(spec_);
  setup_grid();
  setup_phase_table();
  place_fibres();
  pack_spheres();
  // Ownership + fraction correction; when a phase lacks candidate voxels within reach, its radii
  // grow by the missing volume ratio and the ownership is recomputed (rare: heavy overlaps).
  const std::vector<Label> fibre_labels = labels_;
  const std::vector<ParticleId> fibre_owner = owner_;
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (assign_spheres()) {
      break;
    }
    if (attempt == 4) {
      break;
    }
    for (std::size_t i = first_sphere_; i < particles_.size(); ++i) {
      if (shortfall_[particles_[i].phase]) {
        particles_[i].radius *= std::min(1.25, 1.05 * phases_[particles_[i].phase].radius_scale);
      }
    }
    labels_ = fibre_labels;
    owner_ = fibre_owner;
    std::fill(q2_.begin(), q2_.end(), kInf);
  }
  place_pores();
  GeneratedMicrostructure out;
  finish(out);
  report_.phases = phases_;
  report_.seed = spec_.seed;
  report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const std::string& note : report_.notes) {
    core::log_info(note);
  }
  out.report = report_;
  return out;
}

}  // namespace

std::size_t generation_memory_bytes(const GenerationSpec& spec) {
  const double h = spec.voxel_size;
  const auto count = [h](double length) { return std::max(1.0, std::round(length / h)); };
  const double voxels = count(spec.domain_x) * count(spec.domain_y) * count(spec.thickness);
  // labels + owner + q2 working arrays, their fibre-stage copies (1+4 B), one float per voxel for
  // order statistics, and the output copies (1 + 4 B).
  constexpr double bytes_per_voxel = 1 + 4 + 4 + 5 + 4 + 5;
  return static_cast<std::size_t>(voxels * bytes_per_voxel);
}

GeneratedMicrostructure generate(const GenerationSpec& spec) {
  Generator generator(spec);
  return generator.run();
}

}  // namespace cathodelab::microstructure
