// Morphology of a composite cathode: the ionic and electronic networks (networks.hpp), interface
// areas between phases (surface_area.hpp), and per-particle statistics of the active material
// (CAM) that say which part of it can work: Bielefeld, Weber, Janek, J. Phys. Chem. C 123 (2019)
// 1626 (utilization = CAM volume connected to both networks / CAM volume); the "active surface"
// of NCM in contact with the conducting electrolyte domain; physics notes section 1.3.
//
// Particles: the particle id map when the structure has one (generated structures); otherwise the
// connected clusters (same connectivity as the networks) of each active label. A particle's faces
// to anything that is not itself are split by what lies across:
//   ionic contact area       neighbour has sigma_ion > 0;
//   active area              neighbour belongs to the ionic network AND is connected to the
//                            separator face (ions can arrive there);
//   electronic contact area  neighbour has sigma_el > 0 (and its connected subset likewise);
//   pore area ("inactive")   neighbour conducts neither ions nor electrons;
//   particle contact area    neighbour is another particle of an active label.
// (A mixed-conducting neighbour counts in both the ionic and the electronic area.)
// Reachability: a particle is reachable by a network when one of its own voxels or one of its face
// neighbours lies in that network's entry-connected part. CAM that conducts electrons itself (NCM:
// sigma_el > 0) is part of the electronic network, so it is reachable through chains of touching
// CAM particles down to the collector; CAM with sigma_el = 0 needs a connected electronic
// neighbour (carbon, a mixed conductor). Utilizable = reachable by ions and by electrons.
#pragma once

#include "cathodelab/microstructure/labeling.hpp"
#include "cathodelab/microstructure/microstructure.hpp"
#include "cathodelab/microstructure/networks.hpp"
#include "cathodelab/microstructure/surface_area.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace cathodelab::microstructure {

struct ParticleMorphology {
  ParticleId id = no_particle;  ///< id in the particle map, or the cluster number when labelled
  Label phase = 0;
  std::size_t voxels = 0;
  double volume = 0.0;                   ///< [m^3]
  double equivalent_diameter = 0.0;      ///< [m] diameter of the sphere of equal volume
  std::array<double, 3> centroid{};      ///< [m] (unwrapped mean; approximate across a period)
  double surface_area = 0.0;             ///< [m^2] all faces to anything else
  double ionic_contact_area = 0.0;       ///< [m^2]
  double active_area = 0.0;              ///< [m^2] contact with the entry-connected ionic network
  double electronic_contact_area = 0.0;  ///< [m^2]
  double connected_electronic_contact_area = 0.0;  ///< [m^2]
  double pore_area = 0.0;                          ///< [m^2] "inactive area"
  double particle_contact_area = 0.0;              ///< [m^2] to other active-material particles
  bool reachable_by_ions = false;
  bool reachable_by_electrons = false;
  [[nodiscard]] bool utilizable() const noexcept {
    return reachable_by_ions && reachable_by_electrons;
  }
};

/// Counts of particles, and the particles' volume, per bin of a per-particle quantity.
struct Histogram {
  std::vector<double> edges;            ///< bin edges (bins + 1 values), unit of the quantity
  std::vector<std::size_t> counts;      ///< particles per bin
  std::vector<double> volume_fraction;  ///< fraction of all CAM volume per bin
};

struct MorphologySummary {
  std::size_t particle_count = 0;
  double active_volume_fraction = 0.0;     ///< CAM volume / box volume
  double cam_surface_area = 0.0;           ///< [m^2]
  double ionic_contact_area = 0.0;         ///< [m^2]
  double active_area = 0.0;                ///< [m^2]
  double electronic_contact_area = 0.0;    ///< [m^2]
  double pore_area = 0.0;                  ///< [m^2]
  double active_area_fraction = 0.0;       ///< active area / CAM surface
  double specific_active_area = 0.0;       ///< [m^-1] active area / box volume
  double specific_cam_surface_area = 0.0;  ///< [m^-1] CAM surface / box volume
  double ion_reachable_fraction = 0.0;     ///< CAM volume reachable by ions / CAM volume
  double electron_reachable_fraction = 0.0;
  double utilizable_fraction = 0.0;  ///< CAM volume reachable by both / CAM volume
};

struct MorphologyOptions {
  Connectivity connectivity = Connectivity::face;
  /// Wrap x and y; unset = take Microstructure::periodic_in_plane().
  std::optional<bool> periodic_in_plane;
  /// Labels of the active material; empty = every phase with PhaseRole::active.
  std::vector<Label> active_labels;
  /// Use the particle id map when present (false: always label CAM clusters).
  bool use_particle_ids = true;
  double area_smoothing = 1.5;  ///< [voxel] see AreaOptions::smoothing
  AreaEstimator area_estimator = AreaEstimator::normal_weighted;
  std::size_t histogram_bins = 10;
};

struct Morphology {
  NetworkMorphology ionic;
  NetworkMorphology electronic;
  std::vector<double> label_volume_fraction;  ///< index = label
  InterfaceAreaMatrix interface_area;         ///< [m^2] between labels
  std::vector<ParticleMorphology> particles;  ///< ordered by id
  MorphologySummary summary;
  Histogram active_area_fraction_histogram;  ///< per particle active area / surface, [0, 1]
  Histogram equivalent_diameter_histogram;   ///< [m]
  bool particles_from_id_map = false;        ///< false: particles are labelled CAM clusters
};

/// Full analysis. Conductivities are per label [S/m] (index = label, every label of the image
/// needs one); throws InputError for missing labels and NaN/negative values.
[[nodiscard]] Morphology analyze_morphology(const Microstructure& structure,
                                            std::span<const double> sigma_ion_by_label,
                                            std::span<const double> sigma_el_by_label,
                                            const MorphologyOptions& options = {});

/// [byte] peak memory of analyze_morphology for `voxels` voxels beyond the structure itself
/// (checked with core::require_memory before allocating).
[[nodiscard]] std::size_t morphology_memory_bytes(std::size_t voxels) noexcept;

/// Equal-width histogram of `values` over [lo, hi] (values outside are clamped into the end bins),
/// with per-bin volume fractions from `volumes`.
[[nodiscard]] Histogram make_histogram(std::span<const double> values,
                                       std::span<const double> volumes, double lo, double hi,
                                       std::size_t bins);

}  // namespace cathodelab::microstructure
