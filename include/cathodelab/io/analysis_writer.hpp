// Writing the result of `cathodelab analyze`: DIR/analysis.json (networks per axis, interface
// areas, active-material summaries and histograms, provenance) and DIR/particles_analysis.csv
// (one row per active-material particle).
//
// Names carry units PyBaMM style ("Effective conductivity [S.m-1]"). A network that does not
// percolate along an axis has "Effective conductivity [S.m-1]" 0, "Percolates" false and
// "Tortuosity factor" null (infinite: JSON has no infinity, and no NaN is ever written).
#pragma once

#include "cathodelab/core/array3.hpp"
#include "cathodelab/io/provenance.hpp"
#include "cathodelab/microstructure/morphology.hpp"
#include "cathodelab/transport/effective_conductivity.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cathodelab::io {

/// One label of the analysed image and the conductivities used for it.
struct AnalysisPhase {
  microstructure::Label label = 0;
  std::string name;
  std::string material;                  ///< library name, empty for explicit conductivities
  std::string role;                      ///< "pore", "active", "electrolyte", ...
  double ionic_conductivity = 0.0;       ///< [S/m]
  double electronic_conductivity = 0.0;  ///< [S/m]
};

/// Effective conductivity of one network along one axis (absent when not computed).
struct NetworkAxisTransport {
  microstructure::Network network = microstructure::Network::ionic;
  transport::EffectiveConductivity result;
};

struct AnalysisRecord {
  std::string source;  ///< the image or folder analysed
  core::Grid3 grid;
  bool periodic_in_plane = false;
  double temperature = 298.15;  ///< [K]
  std::string connectivity;     ///< "face (6)", ...
  std::vector<AnalysisPhase> phases;
  const microstructure::Morphology* morphology = nullptr;  ///< required
  std::vector<NetworkAxisTransport> transport;             ///< may be empty
  std::vector<std::string> warnings;                       ///< recorded in the file too
  std::vector<std::string> slice_images;  ///< relative paths written by write_network_slices
  Provenance provenance;
};

/// analysis.json text.
[[nodiscard]] std::string analysis_to_json(const AnalysisRecord& record, int indent = 2);
/// particles_analysis.csv text (header + one row per particle).
[[nodiscard]] std::string particles_to_csv(const microstructure::Morphology& morphology);

/// What a `cathodelab build` folder says about its labels (from DIR/microstructure.json).
struct BuildFolderInfo {
  double voxel_size = 0.0;  ///< [m]
  bool periodic_in_plane = false;
  std::vector<microstructure::Phase> phases;  ///< index = label (name, material, role)
  /// The particle id of every voxel (from DIR/microstructure.vti), so that touching particles of
  /// a generated structure stay separate particles; empty when the folder has none.
  core::Array3<microstructure::ParticleId> particle_ids;
};

/// Reads DIR/microstructure.json of a build folder (and the particle ids of its
/// microstructure.vti); nullopt when the folder has no microstructure.json. InputError naming the
/// file for a file that is not such a summary, or a .vti whose sizes do not match its header.
[[nodiscard]] std::optional<BuildFolderInfo> read_build_folder_info(
    const std::filesystem::path& dir);

/// Mid-plane slices (x-y at mid z, x-z at mid y) of each network's connection classes:
/// DIR/slices/<network>/slice_{xy,xz}_mid.png, coloured spanning green, dead end yellow, opposite
/// face only purple, isolated red, boundary only grey, not in the network dark. Returns the paths
/// relative to DIR.
std::vector<std::string> write_network_slices(const std::filesystem::path& out_dir,
                                              const microstructure::Morphology& morphology);

/// Writes DIR/analysis.json and DIR/particles_analysis.csv (creating DIR); returns the json path.
std::filesystem::path write_analysis(const std::filesystem::path& out_dir,
                                     const AnalysisRecord& record);

}  // namespace cathodelab::io
