// Writing a Microstructure for people and other tools: VTK XML ImageData (.vti, ParaView), a
// multi-page TIFF of labels, PNG slices (x-y at mid-z, x-z at mid-y) with a fixed colour per phase
// role, microstructure.json (target and measured volume fractions, particle counts, domain and
// voxel size with units in the names) and particles.csv.
#pragma once

#include "cathodelab/microstructure/generate.hpp"
#include "cathodelab/microstructure/microstructure.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cathodelab::io {

/// Cell data "phase" (UInt8) and, when present, "particle_id" (Int32), raw appended binary,
/// little-endian, UInt64 block headers; origin 0, spacing = voxel size in metres.
void write_vti(const std::filesystem::path& path, const microstructure::Microstructure& structure);

/// RGB colour of a phase in every picture: a fixed colour per role, shaded for repeated roles.
[[nodiscard]] std::array<std::uint8_t, 3> phase_colour(
    const std::vector<microstructure::Phase>& phases, std::size_t label);

/// Writes DIR/slice_xy_mid.png and DIR/slice_xz_mid.png (nearest-neighbour enlarged so the short
/// side is at least 256 px); returns the file names.
std::vector<std::string> write_slice_pngs(const std::filesystem::path& dir,
                                          const microstructure::Microstructure& structure);

/// Where the structure came from, for microstructure.json.
struct StructureProvenance {
  std::string source;   ///< "generated" or the imported file
  std::string input;    ///< recipe or image path
  std::string command;  ///< the command line that made it
};

void write_microstructure_json(const std::filesystem::path& path,
                               const microstructure::Microstructure& structure,
                               const microstructure::GenerationReport* report,
                               const StructureProvenance& provenance,
                               const std::vector<std::string>& pictures);

/// id, phase, shape, centre [m], radius [m], fibre axis and length [m], coating thickness [m] and
/// material.
void write_particles_csv(const std::filesystem::path& path,
                         const microstructure::Microstructure& structure);

/// All outputs into `dir` (created): microstructure.json, labels.tif, microstructure.vti,
/// particles.csv, slice_xy_mid.png, slice_xz_mid.png.
void write_microstructure_outputs(const std::filesystem::path& dir,
                                  const microstructure::Microstructure& structure,
                                  const microstructure::GenerationReport* report,
                                  const StructureProvenance& provenance);

}  // namespace cathodelab::io
