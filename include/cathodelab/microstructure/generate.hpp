// generate(): a recipe (GenerationSpec) -> a labelled voxel Microstructure with particle list and
// per-voxel particle ids, plus a report of target versus measured volume fractions.
//
// Pipeline (docs/theory/microstructure.md has the reasons):
//  1. fibres: cylinders drawn (exact voxel-centre test; fibres thinner than a voxel are widened to
//     a radius of sqrt(3)/2 voxel so they stay 6-connected) until their phase fraction is reached;
//  2. spheres of every particulate phase: diameters drawn from the PSD for the target volume,
//     random start, collective rearrangement with allowed overlap (packing.hpp);
//  3. voxel ownership: every voxel goes to the sphere with the smallest normalized distance
//     q = |x - c| / r (an overlap lens is split where q_i = q_j, which flattens contacts the way
//     plastic deformation does); this is a multiplicatively weighted Voronoi partition;
//  4. fraction correction: per phase, one radius scale s_p is chosen so that exactly the target
//     number of voxels satisfies q <= s_p (a k-th order statistic; exact to ties), i.e. all radii
//     of the phase are scaled by s_p; coated phases first, then their shells, then the rest;
//  5. pores (surface or random placement) by the same rule on the voxels still free;
//  6. the remainder (matrix, or pores of a particulate packing) fills the rest.
// Same spec and seed give the identical image on any thread count.
#pragma once

#include "cathodelab/microstructure/generation_spec.hpp"
#include "cathodelab/microstructure/microstructure.hpp"
#include "cathodelab/microstructure/packing.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace cathodelab::microstructure {

struct PhaseReport {
  std::string name;
  std::string material;
  PhaseRole role = PhaseRole::pore;
  PhaseShape shape = PhaseShape::sphere;
  bool is_coating = false;
  /// Target volume fraction; empty for a coating shell (its volume follows from the thickness).
  std::optional<double> target_fraction;
  double measured_fraction = 0.0;
  std::size_t particle_count = 0;  ///< spheres or fibres (pore spheres for surface/random pores)
  /// Radius scale applied to hit the target fraction (1 = radii exactly as drawn from the PSD).
  double radius_scale = 1.0;
  double fibre_radius_requested = 0.0;  ///< [m] fibre phases
  double fibre_radius_drawn = 0.0;      ///< [m] fibre phases (>= sqrt(3)/2 voxel)
  double coating_thickness = 0.0;       ///< [m] coating phases
  bool coating_voxelized = false;       ///< coating phases: shell voxels (true) or interface only
  /// Coating phases: sum over coated particles of 4/3 pi ((r+t)^3 - r^3) / box volume
  /// (the expectation without overlaps and without clipping at the walls).
  double coating_expected_fraction = 0.0;
};

struct GenerationReport {
  std::vector<PhaseReport> phases;  ///< index = label
  PackingResult packing;
  std::uint64_t seed = 0;
  double seconds = 0.0;  ///< [s] wall time of generate()
  std::vector<std::string>
      notes;  ///< decisions the user should know (widened fibres, interface coatings)
};

struct GeneratedMicrostructure {
  Microstructure microstructure;
  GenerationReport report;
};

/// [byte] memory generate() needs at its peak for this spec (checked with core::require_memory
/// before allocating).
[[nodiscard]] std::size_t generation_memory_bytes(const GenerationSpec& spec);

/// Generates the structure. Throws InputError for an invalid spec or one that does not fit in
/// memory (message gives the need in GB).
[[nodiscard]] GeneratedMicrostructure generate(const GenerationSpec& spec);

}  // namespace cathodelab::microstructure
