// Morphology of a composite cathode: networks, interface areas and per-particle reachability and
// areas (Bielefeld, Weber and Janek, J. Phys. Chem. C 123 (2019) 1626); see morphology.hpp.
#include "cathodelab/microstructure/morphology.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/core/memory.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <unordered_map>

namespace cathodelab::microstructure {
namespace {

/// Regions below this value are labels; particle p is region particle_region_base + p.
constexpr std::int32_t particle_region_base = 256;

struct ParticleRegions {
  core::Array3<std::int32_t> region;
  std::vector<ParticleId> ids;  ///< id of particle index p
  std::vector<Label> phase;     ///< label of particle index p
  bool from_id_map = false;
};

std::array<bool, 256> active_label_set(const Microstructure& structure,
                                       const MorphologyOptions& options) {
  std::array<bool, 256> active{};
  if (!options.active_labels.empty()) {
    for (const Label label : options.active_labels) active[label] = true;
  } else {
    for (std::size_t label = 0; label < structure.phases().size() && label < 256; ++label) {
      active[label] = structure.phases()[label].role == PhaseRole::active;
    }
  }
  return active;
}

/// Assigns every active-material voxel to a particle index; all other voxels keep their label.
ParticleRegions assign_particles(const Microstructure& structure,
                                 const std::array<bool, 256>& active,
                                 const MorphologyOptions& options, bool periodic) {
  const auto& labels = structure.labels();
  ParticleRegions out{core::Array3<std::int32_t>(labels.grid(), 0), {}, {}, false};
  for (std::size_t v = 0; v < labels.size(); ++v) out.region[v] = labels[v];

  core::Array3<std::uint8_t> unassigned(labels.grid(), 0);
  if (options.use_particle_ids && structure.has_particle_ids()) {
    out.from_id_map = true;
    const auto& ids = structure.particle_ids();
    std::vector<ParticleId> present;
    for (std::size_t v = 0; v < labels.size(); ++v) {
      if (active[labels[v]] && ids[v] != no_particle) present.push_back(ids[v]);
    }
    std::sort(present.begin(), present.end());
    present.erase(std::unique(present.begin(), present.end()), present.end());
    std::unordered_map<ParticleId, std::int32_t> index_of;
    for (std::size_t p = 0; p < present.size(); ++p) {
      index_of.emplace(present[p], static_cast<std::int32_t>(p));
    }
    out.ids = present;
    out.phase.assign(present.size(), 0);
    for (std::size_t v = 0; v < labels.size(); ++v) {
      if (!active[labels[v]]) continue;
      if (ids[v] == no_particle) {
        unassigned[v] = 1;
        continue;
      }
      const std::int32_t p = index_of.at(ids[v]);
      out.region[v] = particle_region_base + p;
      out.phase[static_cast<std::size_t>(p)] = labels[v];
    }
  } else {
    for (std::size_t v = 0; v < labels.size(); ++v) unassigned[v] = active[labels[v]] ? 1 : 0;
  }

  // Active voxels without an id: connected clusters of each active label become particles.
  ParticleId next_id = out.ids.empty() ? 0 : out.ids.back() + 1;
  for (std::size_t label = 0; label < 256; ++label) {
    if (!active[label]) continue;
    core::Array3<std::uint8_t> mask(labels.grid(), 0);
    bool any = false;
    for (std::size_t v = 0; v < labels.size(); ++v) {
      if (unassigned[v] != 0 && labels[v] == label) {
        mask[v] = 1;
        any = true;
      }
    }
    if (!any) continue;
    const ClusterLabels clusters = label_clusters(
        mask, {.connectivity = options.connectivity, .periodic = {periodic, periodic, false}});
    const auto first = static_cast<std::int32_t>(out.ids.size());
    for (std::size_t c = 0; c < clusters.clusters.size(); ++c) {
      out.ids.push_back(next_id++);
      out.phase.push_back(static_cast<Label>(label));
    }
    for (std::size_t v = 0; v < labels.size(); ++v) {
      if (clusters.cluster[v] != no_cluster) {
        out.region[v] = particle_region_base + first + clusters.cluster[v];
      }
    }
  }
  return out;
}

void check_conductivities(std::span<const double> sigma_ion, std::span<const double> sigma_el) {
  if (sigma_ion.size() != sigma_el.size()) {
    throw core::InputError("ionic and electronic conductivities are given for " +
                               std::to_string(sigma_ion.size()) + " and " +
                               std::to_string(sigma_el.size()) + " labels",
                           "phases", "give both conductivities for every label");
  }
  if (sigma_ion.size() > 256) {
    throw core::InputError("more than 256 labels", "phases", "use at most 256 phases");
  }
}

}  // namespace

std::size_t morphology_memory_bytes(std::size_t voxels) noexcept {
  // two connection maps (2 B) + particle regions (4 B) + labelling parent and cluster ids (8 B)
  // + masks (2 B) per voxel
  return 16 * voxels;
}

Histogram make_histogram(std::span<const double> values, std::span<const double> volumes, double lo,
                         double hi, std::size_t bins) {
  CATHODELAB_REQUIRE(bins > 0, "a histogram needs at least one bin");
  CATHODELAB_REQUIRE(values.size() == volumes.size(), "one volume per value");
  Histogram h;
  if (!(hi > lo)) hi = lo + 1.0;
  h.edges.resize(bins + 1);
  for (std::size_t b = 0; b <= bins; ++b) {
    h.edges[b] = lo + (hi - lo) * static_cast<double>(b) / static_cast<double>(bins);
  }
  h.counts.assign(bins, 0);
  h.volume_fraction.assign(bins, 0.0);
  double total = 0.0;
  for (const double v : volumes) total += v;
  for (std::size_t n = 0; n < values.size(); ++n) {
    const double t = (values[n] - lo) / (hi - lo) * static_cast<double>(bins);
    const auto b =
        static_cast<std::size_t>(std::clamp(std::floor(t), 0.0, static_cast<double>(bins - 1)));
    ++h.counts[b];
    if (total > 0) h.volume_fraction[b] += volumes[n] / total;
  }
  return h;
}

Morphology analyze_morphology(const Microstructure& structure,
                              std::span<const double> sigma_ion_by_label,
                              std::span<const double> sigma_el_by_label,
                              const MorphologyOptions& options) {
  check_conductivities(sigma_ion_by_label, sigma_el_by_label);
  const auto& labels = structure.labels();
  const auto& grid = labels.grid();
  const bool periodic = options.periodic_in_plane.value_or(structure.periodic_in_plane());
  const NetworkOptions network_options{.connectivity = options.connectivity,
                                       .periodic_in_plane = periodic};
  const std::size_t label_count = sigma_ion_by_label.size();
  core::require_memory(morphology_memory_bytes(grid.size()), "the morphology analysis");

  Morphology m;
  m.ionic = analyze_network(labels, sigma_ion_by_label, Network::ionic, network_options);
  m.electronic = analyze_network(labels, sigma_el_by_label, Network::electronic, network_options);

  std::vector<std::size_t> counts(label_count, 0);
  for (const Label label : labels.values()) ++counts[label];
  m.label_volume_fraction.assign(label_count, 0.0);
  for (std::size_t l = 0; l < label_count; ++l) {
    m.label_volume_fraction[l] =
        grid.size() > 0 ? static_cast<double>(counts[l]) / static_cast<double>(grid.size()) : 0.0;
  }
  const AreaOptions area_options{.estimator = options.area_estimator,
                                 .smoothing = options.area_smoothing,
                                 .periodic = {periodic, periodic, false}};

  const auto active = active_label_set(structure, options);
  bool any_active = false;
  for (std::size_t l = 0; l < label_count; ++l)
    any_active = any_active || (active[l] && counts[l] > 0);
  if (!any_active) {
    core::log_info("no active-material voxels: per-particle analysis skipped");
    m.interface_area = interface_areas(labels, label_count, area_options);
    return m;
  }

  ParticleRegions regions = assign_particles(structure, active, options, periodic);
  m.particles_from_id_map = regions.from_id_map;
  const std::size_t particle_count = regions.ids.size();
  m.particles.resize(particle_count);
  std::vector<std::array<double, 3>> centroid_sum(particle_count, {0.0, 0.0, 0.0});
  for (std::size_t p = 0; p < particle_count; ++p) {
    m.particles[p].id = regions.ids[p];
    m.particles[p].phase = regions.phase[p];
  }
  auto particle_of = [&](std::size_t v) -> std::ptrdiff_t {
    const std::int32_t r = regions.region[v];
    return r >= particle_region_base ? r - particle_region_base : -1;
  };
  auto ion_connected = [&](std::size_t v) {
    return entry_connected(static_cast<VoxelConnection>(m.ionic.connection[v]));
  };
  auto electron_connected = [&](std::size_t v) {
    return entry_connected(static_cast<VoxelConnection>(m.electronic.connection[v]));
  };

  for (std::size_t k = 0; k < grid.nz(); ++k) {
    for (std::size_t j = 0; j < grid.ny(); ++j) {
      for (std::size_t i = 0; i < grid.nx(); ++i) {
        const std::size_t v = grid.index(i, j, k);
        const std::ptrdiff_t p = particle_of(v);
        if (p < 0) continue;
        auto& particle = m.particles[static_cast<std::size_t>(p)];
        ++particle.voxels;
        auto& c = centroid_sum[static_cast<std::size_t>(p)];
        c[0] += static_cast<double>(i) + 0.5;
        c[1] += static_cast<double>(j) + 0.5;
        c[2] += static_cast<double>(k) + 0.5;
        particle.reachable_by_ions = particle.reachable_by_ions || ion_connected(v);
        particle.reachable_by_electrons = particle.reachable_by_electrons || electron_connected(v);
      }
    }
  }

  auto add_face = [&](std::size_t p, std::size_t across, double area) {
    auto& particle = m.particles[p];
    const Label neighbour = labels[across];
    particle.surface_area += area;
    const bool other_particle = particle_of(across) >= 0;
    if (other_particle) particle.particle_contact_area += area;
    const bool ionic = sigma_ion_by_label[neighbour] > 0.0;
    const bool electronic = sigma_el_by_label[neighbour] > 0.0;
    if (ionic) {
      particle.ionic_contact_area += area;
      if (ion_connected(across)) {
        particle.active_area += area;
        particle.reachable_by_ions = true;
      }
    }
    if (electronic) {
      particle.electronic_contact_area += area;
      if (electron_connected(across)) {
        particle.connected_electronic_contact_area += area;
        particle.reachable_by_electrons = true;
      }
    }
    if (!ionic && !electronic && !other_particle) particle.pore_area += area;
  };
  // One pass over the faces of the particle-region image gives both the per-particle areas and the
  // label interface areas (every label interface is also a region interface; faces between two
  // particles of one label are not label interfaces).
  m.interface_area = {label_count, std::vector<double>(label_count * label_count, 0.0)};
  visit_interface_faces(regions.region, area_options,
                        [&](std::size_t a, std::size_t b, double area) {
                          const std::size_t la = labels[a], lb = labels[b];
                          if (la != lb) {
                            m.interface_area.area[la * label_count + lb] += area;
                            m.interface_area.area[lb * label_count + la] += area;
                          }
                          const std::ptrdiff_t pa = particle_of(a);
                          const std::ptrdiff_t pb = particle_of(b);
                          if (pa >= 0) add_face(static_cast<std::size_t>(pa), b, area);
                          if (pb >= 0) add_face(static_cast<std::size_t>(pb), a, area);
                        });

  const double voxel_volume = grid.voxel_volume();
  auto& s = m.summary;
  s.particle_count = particle_count;
  double cam_volume = 0.0, ion_volume = 0.0, electron_volume = 0.0, usable_volume = 0.0;
  std::vector<double> volumes, active_fraction, diameters;
  for (std::size_t p = 0; p < particle_count; ++p) {
    auto& particle = m.particles[p];
    particle.volume = static_cast<double>(particle.voxels) * voxel_volume;
    particle.equivalent_diameter = std::cbrt(6.0 * particle.volume / std::numbers::pi);
    for (std::size_t d = 0; d < 3; ++d) {
      particle.centroid[d] =
          particle.voxels > 0
              ? centroid_sum[p][d] / static_cast<double>(particle.voxels) * grid.voxel_size
              : 0.0;
    }
    cam_volume += particle.volume;
    if (particle.reachable_by_ions) ion_volume += particle.volume;
    if (particle.reachable_by_electrons) electron_volume += particle.volume;
    if (particle.utilizable()) usable_volume += particle.volume;
    s.cam_surface_area += particle.surface_area;
    s.ionic_contact_area += particle.ionic_contact_area;
    s.active_area += particle.active_area;
    s.electronic_contact_area += particle.electronic_contact_area;
    s.pore_area += particle.pore_area;
    volumes.push_back(particle.volume);
    active_fraction.push_back(
        particle.surface_area > 0 ? particle.active_area / particle.surface_area : 0.0);
    diameters.push_back(particle.equivalent_diameter);
  }
  const double box_volume = static_cast<double>(grid.size()) * voxel_volume;
  s.active_volume_fraction = box_volume > 0 ? cam_volume / box_volume : 0.0;
  s.active_area_fraction = s.cam_surface_area > 0 ? s.active_area / s.cam_surface_area : 0.0;
  s.specific_active_area = box_volume > 0 ? s.active_area / box_volume : 0.0;
  s.specific_cam_surface_area = box_volume > 0 ? s.cam_surface_area / box_volume : 0.0;
  s.ion_reachable_fraction = cam_volume > 0 ? ion_volume / cam_volume : 0.0;
  s.electron_reachable_fraction = cam_volume > 0 ? electron_volume / cam_volume : 0.0;
  s.utilizable_fraction = cam_volume > 0 ? usable_volume / cam_volume : 0.0;

  const std::size_t bins = std::max<std::size_t>(options.histogram_bins, 1);
  m.active_area_fraction_histogram = make_histogram(active_fraction, volumes, 0.0, 1.0, bins);
  const double dmax =
      diameters.empty() ? 1.0 : *std::max_element(diameters.begin(), diameters.end());
  m.equivalent_diameter_histogram = make_histogram(diameters, volumes, 0.0, dmax, bins);
  return m;
}

}  // namespace cathodelab::microstructure
