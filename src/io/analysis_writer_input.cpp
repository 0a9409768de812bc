// The input side of `cathodelab analyze`: what a build folder's microstructure.json says about its
// labels (voxel size, periodicity, phase names, materials and roles).
#include "cathodelab/core/error.hpp"
#include "cathodelab/io/analysis_writer.hpp"
#include "cathodelab/microstructure/generation_spec.hpp"

#include <nlohmann/json.hpp>

#include <fstream>

namespace cathodelab::io {

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
  return info;
}

}  // namespace cathodelab::io
