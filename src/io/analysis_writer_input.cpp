// The input side of `cathodelab analyze`: what a build folder's microstructure.json says about its
// labels (voxel size, periodicity, phase names, materials and roles), and the particle ids that
// its microstructure.vti carries (io/microstructure_writer.cpp writes both: the .vti holds the
// labels and then the Int32 particle ids as raw appended data, each block after a UInt64 byte
// count).
#include "cathodelab/core/error.hpp"
#include "cathodelab/core/memory.hpp"
#include "cathodelab/io/analysis_writer.hpp"
#include "cathodelab/microstructure/generation_spec.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>

namespace cathodelab::io {
namespace {

/// The particle ids of a .vti written by write_vti (empty when it has none). Every size is
/// checked against the header's extent before anything is allocated.
core::Array3<microstructure::ParticleId> read_vti_particle_ids(const std::filesystem::path& file) {
  core::Array3<microstructure::ParticleId> none;
  std::ifstream in(file, std::ios::binary);
  if (!in) return none;
  const std::string where = file.string();
  auto bad = [&](const std::string& problem) {
    return core::InputError(where + ": " + problem, "input",
                            "rebuild the folder with `cathodelab build`, or pass the image file "
                            "and --phase options");
  };
  std::string header;
  constexpr std::size_t max_header = 1 << 16;
  for (char c = 0; header.size() < max_header && in.get(c);) {
    header += c;
    if (header.ends_with("<AppendedData encoding=\"raw\">\n   _")) break;
  }
  if (!header.ends_with("_")) throw bad("no raw appended data");
  if (header.find("Name=\"particle_id\"") == std::string::npos) return none;
  std::size_t extent[3] = {0, 0, 0};
  const auto at = header.find("WholeExtent=\"0 ");
  if (at == std::string::npos || std::sscanf(header.c_str() + at, "WholeExtent=\"0 %zu 0 %zu 0 %zu",
                                             &extent[0], &extent[1], &extent[2]) != 3) {
    throw bad("no WholeExtent");
  }
  constexpr std::size_t max_voxels = std::size_t{1} << 40;
  if (extent[0] == 0 || extent[1] == 0 || extent[2] == 0 || extent[0] > max_voxels ||
      extent[1] > max_voxels / extent[0] || extent[2] > max_voxels / (extent[0] * extent[1])) {
    throw bad("extent out of range");
  }
  const std::size_t voxels = extent[0] * extent[1] * extent[2];
  std::uint64_t bytes = 0;
  in.read(reinterpret_cast<char*>(&bytes), sizeof bytes);
  if (!in || bytes != voxels) throw bad("label block does not match the extent");
  in.seekg(static_cast<std::streamoff>(bytes), std::ios::cur);
  in.read(reinterpret_cast<char*>(&bytes), sizeof bytes);
  if (!in || bytes != voxels * sizeof(microstructure::ParticleId)) {
    throw bad("particle id block does not match the extent");
  }
  core::require_memory(bytes, "the particle ids of " + where);
  core::Array3<microstructure::ParticleId> ids(core::Grid3{{extent[0], extent[1], extent[2]}, 0.0},
                                               0);
  in.read(reinterpret_cast<char*>(ids.data()), static_cast<std::streamsize>(bytes));
  if (!in) throw bad("truncated particle ids");
  return ids;
}

}  // namespace

std::optional<BuildFolderInfo> read_build_folder_info(const std::filesystem::path& dir) {
  const auto file = dir / "microstructure.json";
  if (!std::filesystem::is_regular_file(file)) return std::nullopt;
  const std::string where = file.string();
  nlohmann::json j;
  try {
    std::ifstream in(file);
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw core::InputError("cannot parse " + where + ": " + e.what(), "input",
                           "rebuild the folder with `cathodelab build`");
  }
  BuildFolderInfo info;
  try {
    info.voxel_size = j.at("Voxel size [m]").get<double>();
    info.periodic_in_plane = j.value("Periodic in plane", false);
    for (const auto& p : j.at("Phases")) {
      const auto label = p.at("Label").get<std::size_t>();
      if (label > 255) throw core::InputError("label above 255 in " + where, "Phases");
      if (info.phases.size() <= label) info.phases.resize(label + 1);
      auto& phase = info.phases[label];
      phase.name = p.at("Name").get<std::string>();
      phase.material = p.value("Material", std::string{});
      phase.role = microstructure::parse_phase_role(p.value("Role", std::string{"pore"}),
                                                    "Phases[" + std::to_string(label) + "].Role");
    }
  } catch (const nlohmann::json::exception& e) {
    throw core::InputError(where + " is not a build summary: " + e.what(), "input",
                           "pass the image file and --phase options instead");
  }
  info.particle_ids = read_vti_particle_ids(dir / "microstructure.vti");
  return info;
}

}  // namespace cathodelab::io
