// Microstructure: a labelled voxel image of a composite cathode with physical voxel size, the phase
// table that says what each label is, and (for generated structures) the particle list and a
// per-voxel particle id map used for per-particle statistics.
//
// Geometry convention (core/array3.hpp): z runs from the current collector (z = 0, electrons enter)
// to the separator (z = L, ions enter); x and y are in-plane and, for generated structures,
// periodic. Memory: 1 byte (label) + 4 bytes (particle id, when present) per voxel.
#pragma once

#include "cathodelab/core/array3.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cathodelab::microstructure {

using Label = std::uint8_t;
using ParticleId = std::int32_t;
inline constexpr ParticleId no_particle = -1;

/// What a phase does in the composite; transport networks are decided by conductivities, the role
/// only helps reports and per-particle statistics (which phase is the active material).
enum class PhaseRole : std::uint8_t { pore, active, electrolyte, additive, coating, binder, mixed };

struct Phase {
  std::string name;      ///< label name shown to users, e.g. "NCM811"
  std::string material;  ///< materials-library name, or empty when conductivities are explicit
  PhaseRole role = PhaseRole::pore;
  /// Explicit conductivities (imported images whose labels map to numbers instead of a library
  /// material); empty = take them from the material.
  std::optional<double> ionic_conductivity;       ///< [S/m]
  std::optional<double> electronic_conductivity;  ///< [S/m]
};

enum class ParticleShape : std::uint8_t { sphere, fibre };

struct Particle {
  ParticleId id = no_particle;
  Label phase = 0;
  ParticleShape shape = ParticleShape::sphere;
  std::array<double, 3> centre{};  ///< [m]
  double radius = 0.0;             ///< [m] sphere radius, or fibre cross-section radius
  std::array<double, 3> axis{};    ///< unit vector along a fibre (zero for spheres)
  double length = 0.0;             ///< [m] fibre length (zero for spheres)
  double coating_thickness = 0.0;  ///< [m] shell thickness around this particle (0 = none)
  /// Label of the coating phase around this particle (-1 = none). When the coating is thinner
  /// than about a voxel it exists only here (an interface property), not as voxels.
  int coating_phase = -1;
  bool coating_voxelized = false;  ///< whether the shell is drawn as voxels of coating_phase
};

class Microstructure {
 public:
  Microstructure() = default;
  Microstructure(core::Array3<Label> labels, std::vector<Phase> phases);

  [[nodiscard]] const core::Grid3& grid() const noexcept { return labels_.grid(); }
  [[nodiscard]] const core::Array3<Label>& labels() const noexcept { return labels_; }
  [[nodiscard]] core::Array3<Label>& labels() noexcept { return labels_; }
  [[nodiscard]] const std::vector<Phase>& phases() const noexcept { return phases_; }

  /// Per-voxel particle id (no_particle where none); empty for imported images.
  [[nodiscard]] const core::Array3<ParticleId>& particle_ids() const noexcept {
    return particle_ids_;
  }
  [[nodiscard]] bool has_particle_ids() const noexcept { return particle_ids_.size() != 0; }
  void set_particle_ids(core::Array3<ParticleId> ids);

  [[nodiscard]] const std::vector<Particle>& particles() const noexcept { return particles_; }
  void set_particles(std::vector<Particle> particles) { particles_ = std::move(particles); }

  /// Whether x and y are periodic (generated structures) or bounded (imported images).
  [[nodiscard]] bool periodic_in_plane() const noexcept { return periodic_in_plane_; }
  void set_periodic_in_plane(bool periodic) noexcept { periodic_in_plane_ = periodic; }

  /// Measured volume fraction of every label (index = label).
  [[nodiscard]] std::vector<double> volume_fractions() const;

 private:
  core::Array3<Label> labels_;
  core::Array3<ParticleId> particle_ids_;
  std::vector<Phase> phases_;
  std::vector<Particle> particles_;
  bool periodic_in_plane_ = false;
};

}  // namespace cathodelab::microstructure
