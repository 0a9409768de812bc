// One rule for which phases conduct: study::network_conductivity (sigma >= 1e-6 S/m conducts,
// below is an insulator), used by the analysis stage of `cathodelab run` and by
// `cathodelab analyze`. The image: an 8 x 8 x 8 slab whose half x < 4 conducts ions at 1 S/m
// through the whole thickness, whose other half leaks ions at 5e-7 S/m (below the floor), and a
// 4 x 2 column in the leaky half that conducts electrons at exactly 1e-6 S/m (on the floor).
// With the floor the ionic network is the conducting half alone: volume fraction 0.5 and, for
// parallel slabs, sigma_eff = 0.5 x 1 S/m exactly (arithmetic mean). Without it the leaky half
// would join (volume fraction 0.75). The electronic column conducts: volume fraction 8/64,
// sigma_eff = 0.125e-6 S/m. The CLI on the same labels must report the same numbers.
#include "cathodelab/core/array3.hpp"
#include "cathodelab/study/analysis_stage.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace cathodelab::study {
namespace {

namespace fs = std::filesystem;
namespace ms = microstructure;

TEST(NetworkFloor, BelowTheFloorIsAnInsulatorAtItConducts) {
  EXPECT_EQ(minimum_network_conductivity, 1e-6);
  EXPECT_EQ(network_conductivity(5e-7), 0.0);
  EXPECT_EQ(network_conductivity(1e-6), 1e-6);
  EXPECT_EQ(network_conductivity(0.2), 0.2);
  EXPECT_EQ(network_conductivity(0.0), 0.0);
  EXPECT_EQ(network_conductivity(1e-3, 1e-2), 0.0);  // a caller's own floor
  EXPECT_EQ(network_conductivity(1e-2, 1e-2), 1e-2);
}

core::Array3<ms::Label> slab_labels() {
  core::Array3<ms::Label> labels(core::Grid3{{8, 8, 8}, 1e-6}, 0);
  for (std::size_t k = 0; k < 8; ++k) {
    for (std::size_t j = 0; j < 8; ++j) {
      for (std::size_t i = 4; i < 8; ++i) labels(i, j, k) = j < 2 ? 2 : 1;
    }
  }
  return labels;
}

/// Writes labels as a Fortran-ordered uint8 .npy (element [i, j, k] = voxel x=i, y=j, z=k).
void write_npy(const fs::path& path, const core::Array3<ms::Label>& labels) {
  const auto& g = labels.grid();
  std::string header = "{'descr': '|u1', 'fortran_order': True, 'shape': (" +
                       std::to_string(g.nx()) + ", " + std::to_string(g.ny()) + ", " +
                       std::to_string(g.nz()) + "), }";
  header += std::string((64 - (10 + header.size() + 1) % 64) % 64, ' ') + "\n";
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const auto length = static_cast<std::uint16_t>(header.size());
  out.put(static_cast<char>(length & 0xff));
  out.put(static_cast<char>(length >> 8));
  out << header;
  for (std::size_t k = 0; k < g.nz(); ++k) {
    for (std::size_t j = 0; j < g.ny(); ++j) {
      for (std::size_t i = 0; i < g.nx(); ++i) out.put(static_cast<char>(labels(i, j, k)));
    }
  }
}

/// The number after `"key": ` in the z-axis block of `network` in analysis.json.
double z_value(const std::string& json, const std::string& network, const std::string& key) {
  const auto networks = json.find("\"Networks\"");
  const auto net = json.find("\"" + network + "\"", networks);
  const auto z = json.find("\"z\"", net);
  const std::regex number("\"" + key + "\": ([-+0-9.eE]+)");
  std::smatch m;
  const std::string rest = json.substr(z);
  if (networks == std::string::npos || net == std::string::npos || z == std::string::npos ||
      !std::regex_search(rest, m, number)) {
    ADD_FAILURE() << "no '" << key << "' for " << network << " z in analysis.json";
    return -1.0;
  }
  return std::stod(m[1].str());
}

TEST(NetworkFloor, AnalyzeAndTheStudyGiveTheSameNetworks) {
  const auto labels = slab_labels();
  const std::vector<ms::Phase> phases = {{"conductor", "", ms::PhaseRole::electrolyte},
                                         {"leaky", "", ms::PhaseRole::electrolyte},
                                         {"wire", "", ms::PhaseRole::additive}};
  const ms::Microstructure structure(labels, phases);
  const LabelConductivities given{.ionic = {1.0, 5e-7, 0.0}, .electronic = {0.0, 0.0, 1e-6}};
  const AnalysisResult study = analyze(structure, given);
  EXPECT_EQ(study.conductivities.ionic, (std::vector<double>{1.0, 0.0, 0.0}));
  EXPECT_EQ(study.conductivities.electronic, (std::vector<double>{0.0, 0.0, 1e-6}));
  // The networks the study's morphology saw (from the conductivities it used).
  const ms::Morphology networks = ms::analyze_morphology(structure, study.conductivities.ionic,
                                                         study.conductivities.electronic);
  EXPECT_DOUBLE_EQ(networks.ionic.volume_fraction, 0.5);
  EXPECT_DOUBLE_EQ(networks.electronic.volume_fraction, 0.125);
  EXPECT_DOUBLE_EQ(study.ionic.percolating_fraction, 1.0);  // all of each network spans
  EXPECT_DOUBLE_EQ(study.electronic.percolating_fraction, 1.0);
  EXPECT_NEAR(study.ionic.effective_conductivity, 0.5, 1e-6);
  EXPECT_NEAR(study.electronic.effective_conductivity, 0.125e-6, 1e-12);

  const fs::path dir = fs::temp_directory_path() / "cathodelab_network_floor_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  write_npy(dir / "slab.npy", labels);
  const std::string command =
      std::string("\"") + CATHODELAB_BINARY + "\" -q analyze \"" + (dir / "slab.npy").string() +
      "\" --voxel-size \"1 um\" --phase \"0=ionic:1 S/m\" "
      "--phase \"1=ionic:5e-7 S/m\" --phase \"2=electronic:1e-6 S/m\" "
      "--axes z --out \"" +
      (dir / "out").string() + "\" > \"" + (dir / "log.txt").string() + "\" 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream in(dir / "out" / "analysis.json");
  std::stringstream text;
  text << in.rdbuf();
  const std::string json = text.str();
  EXPECT_DOUBLE_EQ(z_value(json, "ionic", "Volume fraction"), networks.ionic.volume_fraction);
  EXPECT_DOUBLE_EQ(z_value(json, "electronic", "Volume fraction"),
                   networks.electronic.volume_fraction);
  for (const auto& [network, result] :
       {std::pair{"ionic", &study.ionic}, std::pair{"electronic", &study.electronic}}) {
    EXPECT_DOUBLE_EQ(z_value(json, network, "Percolating fraction"), result->percolating_fraction)
        << network;
    EXPECT_NEAR(z_value(json, network, "Effective conductivity \\[S.m-1\\]"),
                result->effective_conductivity, 1e-6 * result->effective_conductivity)
        << network;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cathodelab::study
