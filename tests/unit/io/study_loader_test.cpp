// Loading a study file: sweeps, positions in errors, and design.toml reproducing a design's id.
#include "cathodelab/io/study_loader.hpp"
#include "cathodelab/core/error.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cathodelab::io {
namespace {

namespace fs = std::filesystem;

const fs::path quickstart = fs::path(CATHODELAB_SOURCE_DIR) / "examples/quickstart/study.toml";

std::string quickstart_text() {
  std::ifstream in(quickstart);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

fs::path write_temp(const std::string& name, const std::string& text) {
  const fs::path file = fs::temp_directory_path() / ("cathodelab_study_loader_" + name);
  std::ofstream(file) << text;
  return file;
}

TEST(StudyLoader, QuickstartExpandsToEightDesigns) {
  const auto spec = load_study(quickstart);
  EXPECT_EQ(spec.seed, 42U);
  ASSERT_EQ(spec.sweeps.size(), 1U);
  // File order: the CAM fraction is the outer axis.
  EXPECT_EQ(study::key_path_text(spec.sweeps[0].axes[0].key), "cathode.components.NCM811.fraction");
  EXPECT_EQ(study::expand(spec).size(), 8U);
}

TEST(StudyLoader, DesignFileReproducesTheId) {
  const auto designs = study::expand(load_study(quickstart));
  for (const auto& design : {designs.front(), designs.back()}) {
    const auto file = write_temp("design_" + design.id + ".toml", design_toml(design));
    const auto again = study::expand(load_study(file));
    ASSERT_EQ(again.size(), 1U);
    EXPECT_EQ(again[0].id, design.id);
    fs::remove(file);
  }
}

TEST(StudyLoader, BareNumberIsRefusedAtItsPosition) {
  std::string text = quickstart_text();
  text.replace(text.find("thickness = \"30 um\""), 19, "thickness = 30");
  const auto file = write_temp("bare.toml", text);
  try {
    (void)load_study(file);
    FAIL() << "accepted a bare number";
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.key_path(), "separator.thickness");
    EXPECT_GT(e.where().line, 0);
    EXPECT_GT(e.where().column, 0);
    EXPECT_NE(e.fix().find("\"30 um\""), std::string::npos);
  }
  fs::remove(file);
}

TEST(StudyLoader, InlineMaterialOverride) {
  std::string text = quickstart_text();
  text += "\n[materials.VGCF]\ncost = \"40 $/kg\"\n";
  const auto file = write_temp("override.toml", text);
  const auto spec = load_study(file);
  ASSERT_TRUE(spec.materials->at("VGCF").cost_per_mass.has_value());
  EXPECT_NEAR(*spec.materials->at("VGCF").cost_per_mass, 40.0, 1e-12);
  fs::remove(file);
}

}  // namespace
}  // namespace cathodelab::io
