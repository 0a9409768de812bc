// GenerationSpec: the recipe for a generated composite-cathode microstructure, in plain SI numbers
// (no files, no units text; io/microstructure_spec_reader turns a TOML [microstructure] section
// into this struct).
//
// A structure is a box: in-plane size (x, y, periodic) times the electrode thickness (z, from the
// current collector at z = 0 to the separator at z = L), cut into cubic voxels. Each phase says how
// it occupies space:
//   - sphere : particles with a size distribution (log-normal by d50 and geometric spread, or a
//              table), packed densely by collective rearrangement with an allowed overlap that
//              stands in for the plastic flattening of soft particles (cold-pressed powders);
//   - fibre  : long thin cylinders (VGCF-like), mostly in-plane, voxelized by the exact
//              centre-in-cylinder test;
//   - matrix : a continuous phase that fills whatever the particles, fibres and pores leave
//              (polymer electrolyte, carbon-binder domain); at most one;
//   - pore   : voids, placed at active-particle surfaces (point contacts of cold pressing or
//              calendering), at random inside the matrix, as the plain remainder of a particulate
//              packing, or not at all (hot calendering, in situ polymerization: full coverage).
// A sphere phase may carry a coating: a shell of given thickness and material around each of its
// particles, voxelized when at least about one voxel thick and otherwise kept as an interface
// property of each particle (see docs/theory/microstructure.md).
// The algorithms follow the notes in ssb_physics_notes.md section 1.1 (collective rearrangement of
// Jodrey and Tory; Bielefeld et al. 2019 for overlapping-sphere composites).
#pragma once

#include "cathodelab/microstructure/microstructure.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cathodelab::microstructure {

/// Whether the fractions of a size distribution count particles or particle volume.
enum class SizeBasis : std::uint8_t { number, volume };

/// Particle (or fibre length) size distribution. Log-normal by default; a table when
/// `table_diameters` is non-empty.
struct SizeDistribution {
  double d50 = 0.0;               ///< [m] median diameter of the log-normal (on `basis`)
  double geometric_spread = 1.0;  ///< geometric standard deviation sigma_g >= 1 (1 = monodisperse)
  SizeBasis basis =
      SizeBasis::number;      ///< d50 is the number median or the volume median (laser diffraction)
  double min_diameter = 0.0;  ///< [m] truncation below (0 = d50_number / sigma_g^3)
  double max_diameter = 0.0;  ///< [m] truncation above (0 = d50_number * sigma_g^3)
  std::vector<double> table_diameters;  ///< [m] discrete sizes; non-empty selects the table
  std::vector<double> table_fractions;  ///< weights of the sizes on `basis` (normalized internally)
};

enum class PhaseShape : std::uint8_t { sphere, fibre, matrix, pore };

/// Where the voids go (only for the phase with shape pore).
enum class PorePlacement : std::uint8_t {
  remainder,  ///< whatever no particle fills (particulate packing without a matrix)
  surface,    ///< pore spheres centred on active-particle surfaces (cold pressing, calendering)
  random,     ///< pore spheres at uniformly random positions in the matrix
  none,       ///< no pores; the volume fraction must be 0 (hot calendering, in situ polymerization)
};

/// How a coating shell is represented in the image.
enum class CoatingRepresentation : std::uint8_t {
  automatic,  ///< voxels when thickness >= `CoatingSpec::min_voxels` voxels, else interface
              ///< property
  voxels,     ///< always a shell of voxels (at least one voxel thick where it is drawn)
  interface,  ///< never voxels: thickness and material recorded per particle only
};

struct CoatingSpec {
  std::string name;        ///< phase name of the shell, e.g. "LiNbO3 coating"
  std::string material;    ///< materials-library name of the shell material
  double thickness = 0.0;  ///< [m] shell thickness
  CoatingRepresentation representation = CoatingRepresentation::automatic;
  double min_voxels = 1.0;  ///< automatic: voxelize when thickness >= min_voxels * voxel size
};

struct FibreSpec {
  double diameter = 0.0;       ///< [m] fibre diameter
  SizeDistribution length;     ///< fibre length distribution (d50 = median length) [m]
  double tilt_spread = 0.175;  ///< [rad] standard deviation of the out-of-plane tilt (0 = in-plane)
};

struct PhaseSpec {
  std::string name;      ///< label name, e.g. "NCM811"
  std::string material;  ///< materials-library name (empty = same as name)
  PhaseRole role = PhaseRole::active;
  PhaseShape shape = PhaseShape::sphere;
  /// Target volume fraction. For the one remainder phase (the matrix, or pores placed as
  /// `remainder`) it is ignored and set to 1 - sum of the others - measured coating fraction.
  double volume_fraction = 0.0;
  SizeDistribution size;         ///< sphere diameters; pore sizes for surface/random pores
  double allowed_overlap = 0.0;  ///< overlap fraction omega: centres may approach (1-omega)(ri+rj)
  FibreSpec fibre;               ///< shape fibre only
  PorePlacement placement = PorePlacement::remainder;  ///< shape pore only
  std::optional<CoatingSpec> coating;                  ///< shape sphere only
};

/// Knobs of the dense packing (collective rearrangement). Defaults reach random close packing for
/// monodisperse spheres within the allowed overlap; more sweeps give fewer residual overlaps.
struct PackingOptions {
  int max_sweeps = 400;              ///< relaxation sweeps at most
  double overlap_tolerance = 0.002;  ///< stop when every excess overlap < tol * (ri + rj)
  double wall_overlap_factor = 1.0;  ///< particles may cross z walls by allowed_overlap * r * this
};

struct GenerationSpec {
  double domain_x = 0.0;    ///< [m] in-plane size along x (periodic)
  double domain_y = 0.0;    ///< [m] in-plane size along y (periodic)
  double thickness = 0.0;   ///< [m] electrode thickness along z (collector z=0 to separator z=L)
  double voxel_size = 0.0;  ///< [m] cubic voxel edge
  std::uint64_t seed = 1;
  std::vector<PhaseSpec> phases;  ///< label = index in this list; coating phases are appended after
  PackingOptions packing;
};

/// Names used in error messages and input files ("sphere", "surface", ...).
[[nodiscard]] const char* to_string(PhaseShape shape) noexcept;
[[nodiscard]] const char* to_string(PorePlacement placement) noexcept;
[[nodiscard]] const char* to_string(PhaseRole role) noexcept;
[[nodiscard]] const char* to_string(CoatingRepresentation representation) noexcept;
/// Parse the names above; throw InputError with a did-you-mean at `key_path` when unknown.
[[nodiscard]] PhaseShape parse_phase_shape(const std::string& text, const std::string& key_path);
[[nodiscard]] PorePlacement parse_pore_placement(const std::string& text,
                                                 const std::string& key_path);
[[nodiscard]] PhaseRole parse_phase_role(const std::string& text, const std::string& key_path);
[[nodiscard]] CoatingRepresentation parse_coating_representation(const std::string& text,
                                                                 const std::string& key_path);

/// Checks a spec for consistency (fractions in [0,1] summing to at most 1, one remainder phase,
/// sizes positive and at least a voxel, ...); throws InputError with the key path
/// ("microstructure.phases[2].size.d50") and a fix.
void validate(const GenerationSpec& spec);

}  // namespace cathodelab::microstructure
