// A material record and a microstructure recipe are read through the one core::InputReader, so the
// same mistake reads the same in both: an unknown key, a length or density written without its
// unit, a non-finite number and a value written where a section belongs each give the identical
// problem text, at the file:line:column of the offending value, under the key path of that value.
#include "cathodelab/core/error.hpp"
#include "cathodelab/io/generation_spec_loader.hpp"
#include "cathodelab/io/material_library.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

namespace cathodelab::io {
namespace {

namespace fs = std::filesystem;

const std::string material_text = R"(name = "X"
class = "cathode_active"
[density]
value = "4.75 g/cm^3"
source = "doi:10.0000/x"
)";

const std::string recipe_text = R"([microstructure]
domain = "8 um"
thickness = "6 um"
voxel_size = "0.5 um"
[microstructure.phases.pore]
shape = "pore"
[microstructure.phases.NCM811]
volume_fraction = 0.55
diameter = "3 um"
)";

/// `text` with the first `from` replaced by `to`; the edit must apply.
std::string edited(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

/// 1-based line and column of the first `needle` in `text`.
std::pair<int, int> position_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

class SameMistake : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() /
        ("cathodelab_wording_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "cathode_active");
  }
  void TearDown() override { fs::remove_all(dir_); }

  core::InputError material_error(const std::string& text) {
    const fs::path file = dir_ / "cathode_active" / "X.toml";
    std::ofstream(file) << text;
    return error_of([&] { return load_material_file(file); });
  }

  core::InputError recipe_error(const std::string& text) {
    const fs::path file = dir_ / "recipe.toml";
    std::ofstream(file) << text;
    return error_of([&] { return load_generation_spec(file); });
  }

  /// The error names `file`, the key, and the position of `value` in `text`.
  static void expect_at(const core::InputError& e, const std::string& text,
                        const std::string& value, const std::string& key) {
    const auto [line, column] = position_of(text, value);
    EXPECT_EQ(e.where().line, line) << e.what();
    EXPECT_EQ(e.where().column, column) << e.what();
    EXPECT_EQ(e.key_path(), key) << e.what();
    EXPECT_NE(std::string(e.what()).find(e.where().file + ":" + std::to_string(line) + ":" +
                                         std::to_string(column) + ": key '" + key + "'"),
              std::string::npos)
        << e.what();
    EXPECT_FALSE(e.fix().empty()) << e.what();
  }

  fs::path dir_;

 private:
  template <class Load>
  static core::InputError error_of(Load load) {
    try {
      (void)load();
    } catch (const core::InputError& e) {
      return e;
    }
    ADD_FAILURE() << "no InputError";
    return core::InputError("none");
  }
};

TEST_F(SameMistake, BothUnmodifiedFilesLoad) {
  const fs::path material = dir_ / "cathode_active" / "X.toml";
  std::ofstream(material) << material_text;
  EXPECT_EQ(load_material_file(material).name, "X");
  const fs::path recipe = dir_ / "recipe.toml";
  std::ofstream(recipe) << recipe_text;
  EXPECT_EQ(load_generation_spec(recipe).phases.size(), 2U);
}

TEST_F(SameMistake, UnknownKey) {
  const std::string material = edited(material_text, "class =", "colour = \"red\"\nclass =");
  const std::string recipe = edited(recipe_text, "domain =", "colour = \"red\"\ndomain =");
  const auto m = material_error(material);
  const auto r = recipe_error(recipe);
  EXPECT_EQ(m.problem(), "unknown key 'colour'");
  EXPECT_EQ(r.problem(), m.problem());
  expect_at(m, material, "\"red\"", "colour");
  expect_at(r, recipe, "\"red\"", "microstructure.colour");
}

TEST_F(SameMistake, NumberWithoutItsUnitInAString) {
  const std::string material = edited(material_text, "\"4.75 g/cm^3\"", "\"4.75\"");
  const std::string recipe = edited(recipe_text, "thickness = \"6 um\"", "thickness = \"4.75\"");
  const auto m = material_error(material);
  const auto r = recipe_error(recipe);
  EXPECT_EQ(r.problem(), m.problem());
  EXPECT_NE(m.problem().find("without a unit"), std::string::npos) << m.what();
  expect_at(m, material, "\"4.75\"", "density.value");
  expect_at(r, recipe, "\"4.75\"", "microstructure.thickness");
}

TEST_F(SameMistake, PlainNumberWhereAUnitIsNeeded) {
  const std::string material = edited(material_text, "\"4.75 g/cm^3\"", "4.75");
  const std::string recipe = edited(recipe_text, "thickness = \"6 um\"", "thickness = 4.75");
  const auto m = material_error(material);
  const auto r = recipe_error(recipe);
  EXPECT_EQ(m.problem(), "must be a value with its unit");
  EXPECT_EQ(r.problem(), m.problem());
  expect_at(m, material, "4.75", "density.value");
  expect_at(r, recipe, "4.75", "microstructure.thickness");
}

TEST_F(SameMistake, NonFiniteNumber) {
  // Dimensionless values in both: a material's Poisson ratio and a phase's volume fraction.
  const std::string material =
      material_text + "[poisson_ratio]\nvalue = nan\nsource = \"doi:10.0000/x\"\n";
  const std::string recipe = edited(recipe_text, "volume_fraction = 0.55", "volume_fraction = nan");
  const auto m = material_error(material);
  const auto r = recipe_error(recipe);
  EXPECT_EQ(m.problem(), "must be finite, got nan");
  EXPECT_EQ(r.problem(), m.problem());
  expect_at(m, material, "nan", "poisson_ratio.value");
  expect_at(r, recipe, "nan", "microstructure.phases.NCM811.volume_fraction");
}

TEST_F(SameMistake, ValueWrittenWhereASectionBelongs) {
  // A material property and the recipe's packing options are sections of their own.
  const std::string material =
      edited(material_text, "[density]\nvalue = \"4.75 g/cm^3\"",
             "density = \"4.75 g/cm^3\"\n[molar_mass]\nvalue = \"97 g/mol\"");
  const std::string recipe = edited(recipe_text, "domain =", "packing = \"400\"\ndomain =");
  const auto m = material_error(material);
  const auto r = recipe_error(recipe);
  EXPECT_EQ(m.problem(), "'density' is a section, not a value");
  EXPECT_EQ(r.problem(), "'packing' is a section, not a value");
  expect_at(m, material, "\"4.75 g/cm^3\"", "density");
  expect_at(r, recipe, "\"400\"", "microstructure.packing");
}

}  // namespace
}  // namespace cathodelab::io
