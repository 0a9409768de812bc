// Value checks of the cell-parameter and microstructure-recipe readers: values a user wrote that
// are not finite or out of range are InputErrors at their key and position, never silently replaced
// by a default; JSON errors carry the line and column of the offending text.
#include "cathodelab/core/error.hpp"
#include "cathodelab/io/cell_parameters_reader.hpp"
#include "cathodelab/io/generation_spec_loader.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cathodelab::io {
namespace {

namespace fs = std::filesystem;

const fs::path bad_inputs = fs::path(CATHODELAB_SOURCE_DIR) / "tests/data/bad_inputs";

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// `text` with the first `from` replaced by `to` (the edit must apply: a test that edits nothing
/// proves nothing).
std::string edited(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

const std::string cell_text = read(bad_inputs / "cell_ok.toml");
const std::string bpx_text =
    read(fs::path(CATHODELAB_SOURCE_DIR) / "data/parameters/bpx/nmc_graphite_example.json");

/// The InputError `parse` throws (fails the test when it throws none).
template <class Parse>
core::InputError error_of(Parse parse) {
  try {
    (void)parse();
  } catch (const core::InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError";
  return core::InputError("none");
}

core::InputError cell_error(const std::string& text) {
  return error_of([&] { return parse_cell_parameters_toml(text, "cell.toml"); });
}

// 1-based line and column of the first `needle` in `text`.
std::pair<int, int> position_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

TEST(CellParameterValues, GivenTransportFactorOutsideUnitIntervalIsRefused) {
  const std::string anchor = "electronic_conductivity = \"1 S/m\"\n";
  for (const std::string value : {"nan", "-1", "0", "1.5", "inf"}) {
    const auto e =
        cell_error(edited(cell_text, anchor, anchor + "ionic_transport_factor = " + value + "\n"));
    EXPECT_EQ(e.key_path(), "positive.ionic_transport_factor") << value;
    EXPECT_EQ(e.where().file, "cell.toml");
    EXPECT_GT(e.where().line, 0) << value;
  }
  const auto separator = cell_error(
      edited(cell_text, "ionic_transport_factor = 1.0", "ionic_transport_factor = -0.5"));
  EXPECT_EQ(separator.key_path(), "separator.ionic_transport_factor");
}

TEST(CellParameterValues, AbsentTransportFactorStillMeansBruggeman) {
  const auto p = parse_cell_parameters_toml(cell_text, "cell.toml");
  EXPECT_DOUBLE_EQ(p.positive.ionic_transport_factor, std::pow(0.4, 1.5));
  const auto given = parse_cell_parameters_toml(
      edited(cell_text, "electronic_conductivity = \"1 S/m\"\n",
             "electronic_conductivity = \"1 S/m\"\nionic_transport_factor = 0.2\n"),
      "cell.toml");
  EXPECT_DOUBLE_EQ(given.positive.ionic_transport_factor, 0.2);
}

TEST(CellParameterValues, NonFiniteNumbersAndTableEntriesAreRefusedAtTheirPosition) {
  const std::string text = edited(cell_text, "porosity = 0.4", "porosity = nan");
  const auto e = cell_error(text);
  EXPECT_EQ(e.key_path(), "positive.porosity");
  const auto [line, column] = position_of(text, "nan");
  EXPECT_EQ(e.where().line, line);
  EXPECT_EQ(e.where().column, column);
  const auto table = cell_error(edited(cell_text, "y = [4.3, 3.9, 3.5]", "y = [4.3, inf, 3.5]"));
  EXPECT_EQ(table.key_path(), "positive.material.ocp.y");
}

TEST(BpxValues, NumberBeyondDoubleIsAnInputErrorAtItsPosition) {
  const std::string text =
      edited(bpx_text, "\"Thickness [m]\": 5.23e-05", "\"Thickness [m]\": 1e400");
  const auto e = error_of([&] { return parse_cell_parameters_bpx(text, "cell.json"); });
  const auto [line, column] = position_of(text, "1e400");
  EXPECT_EQ(e.where().file, "cell.json");
  EXPECT_EQ(e.where().line, line);
  EXPECT_EQ(e.where().column, column);
  EXPECT_NE(e.problem().find("1e400"), std::string::npos);
  EXPECT_EQ(std::string(e.what()).find("json.exception"), std::string::npos) << e.what();
}

TEST(BpxValues, SyntaxErrorNamesLineAndColumnWithoutLibraryTag) {
  const std::string text =
      edited(bpx_text, "\"Volume [m3]\": 0.000128", "\"Volume [m3]\": 0.000128,");
  const auto e = error_of([&] { return parse_cell_parameters_bpx(text, "cell.json"); });
  // The parser stops at the '}' after the stray comma.
  const auto comma = text.find("0.000128,");
  const auto brace = text.find('}', comma);
  const auto [line, column] = position_of(text, text.substr(brace));
  EXPECT_EQ(e.where().line, line);
  EXPECT_EQ(e.where().column, column);
  EXPECT_EQ(std::string(e.what()).find("json.exception"), std::string::npos) << e.what();
}

TEST(BpxValues, TransportEfficiencyOutsideUnitIntervalAndWrongTypesNameTheKey) {
  const auto zero = error_of([&] {
    return parse_cell_parameters_bpx(
        edited(bpx_text, "\"Transport efficiency\": 0.19", "\"Transport efficiency\": 0"),
        "cell.json");
  });
  EXPECT_EQ(zero.key_path(), "Parameterisation.Negative electrode.Transport efficiency");
  const auto title = error_of([&] {
    return parse_cell_parameters_bpx(
        edited(bpx_text, "\"Title\": \"BPX example", "\"Title\": 7, \"x\": \"BPX example"),
        "cell.json");
  });
  EXPECT_EQ(title.key_path(), "Header.Title");
}

core::InputError bpx_error(const std::string& text) {
  return error_of([&] { return parse_cell_parameters_bpx(text, "cell.json"); });
}

TEST(BpxValues, ErrorsCarryTheLineAndColumnOfTheirKey) {
  // A wrong value stands at its key; a missing one at the object it belongs in.
  const std::string text = edited(bpx_text, "\"Porosity\": 0.385", "\"Porosity\": \"0.385\"");
  const auto e = bpx_error(text);
  EXPECT_EQ(e.key_path(), "Parameterisation.Positive electrode.Porosity");
  const auto [line, column] = position_of(text, "\"Porosity\": \"0.385\"");
  EXPECT_EQ(e.where().file, "cell.json");
  EXPECT_EQ(e.where().line, line);
  EXPECT_EQ(e.where().column, column);

  const std::string without = edited(bpx_text, "\"Porosity\": 0.385,", "");
  const auto missing = bpx_error(without);
  EXPECT_EQ(missing.key_path(), "Parameterisation.Positive electrode.Porosity");
  EXPECT_EQ(missing.problem(), "missing value");
  const auto section = without.find("\"Positive electrode\"");
  const auto [first_line, first_column] =
      position_of(without, without.substr(without.find('"', without.find('{', section))));
  EXPECT_EQ(missing.where().line, first_line);
  EXPECT_EQ(missing.where().column, first_column);
}

TEST(BpxValues, KeyPathsKeepTheSchemaNamesEvenWithDotsInThem) {
  const auto e = bpx_error(edited(bpx_text, "\"Reaction rate constant [mol.m-2.s-1]\": ",
                                  "\"Reaction rate constant [mol.m-2.s-1]\": \"fast\", \"_\": "));
  EXPECT_EQ(e.key_path(),
            "Parameterisation.Negative electrode.Reaction rate constant [mol.m-2.s-1]");
  EXPECT_EQ(e.problem(), "must be a number");
}

TEST(CellParameterFormats, TheSameMistakeIsWordedAlikeInTomlAndBpx) {
  struct Mistake {
    std::string what, toml_from, toml_to, bpx_from, bpx_to;
  };
  const std::vector<Mistake> mistakes{
      {"missing", "porosity = 0.4\n", "", "\"Porosity\": 0.385,", ""},
      {"not a number", "porosity = 0.4", "porosity = true", "\"Porosity\": 0.385",
       "\"Porosity\": true"},
      {"transport factor 0", "electronic_conductivity = \"1 S/m\"\n",
       "electronic_conductivity = \"1 S/m\"\nionic_transport_factor = 0\n",
       "\"Transport efficiency\": 0.2389", "\"Transport efficiency\": 0"},
      {"mixed list", "y = [4.3, 3.9, 3.5]", "y = [4.3, \"a\", 3.5]", "\"Porosity\": 0.385",
       "\"Porosity\": [0.385, \"a\"]"}};
  for (const auto& m : mistakes) {
    const auto toml = cell_error(edited(cell_text, m.toml_from, m.toml_to));
    const auto bpx = bpx_error(edited(bpx_text, m.bpx_from, m.bpx_to));
    EXPECT_EQ(toml.problem(), bpx.problem())
        << m.what << ": " << toml.what() << " | " << bpx.what();
    EXPECT_GT(toml.where().line, 0) << m.what;
    EXPECT_GT(bpx.where().line, 0) << m.what;
  }
}

fs::path recipe_with(const std::string& name, const std::string& from, const std::string& to) {
  const fs::path file = fs::temp_directory_path() / ("cathodelab_value_checks_" + name + ".toml");
  std::ofstream(file) << edited(read(bad_inputs / "recipe_ok.toml"), from, to);
  return file;
}

TEST(RecipeValues, NonFiniteTiltSpreadIsRefusedAtItsPosition) {
  const auto file = recipe_with("tilt_nan", "tilt_spread_deg = 10", "tilt_spread_deg = nan");
  const auto e = error_of([&] { return load_generation_spec(file); });
  EXPECT_EQ(e.key_path(), "microstructure.phases.VGCF.tilt_spread_deg");
  EXPECT_GT(e.where().line, 0);
  const auto negative =
      recipe_with("tilt_negative", "tilt_spread_deg = 10", "tilt_spread_deg = -1");
  EXPECT_EQ(error_of([&] { return load_generation_spec(negative); }).key_path(),
            "microstructure.phases.VGCF.tilt_spread_deg");
}

TEST(RecipeValues, GridBeyondTheVoxelLimitIsRefusedBeforeGenerating) {
  const auto file = recipe_with("huge", "domain = \"8 um\"", "domain = \"10 m\"");
  const auto e = error_of([&] { return load_generation_spec(file); });
  EXPECT_EQ(e.key_path(), "microstructure.voxel_size");
  EXPECT_NE(e.problem().find("GB"), std::string::npos) << e.what();
}

TEST(RecipeValues, EnumerationErrorsCarryTheirPosition) {
  const auto file = recipe_with("shape", "shape = \"sphere\"", "shape = \"cube\"");
  const auto e = error_of([&] { return load_generation_spec(file); });
  EXPECT_EQ(e.key_path(), "microstructure.phases.NCM811.shape");
  EXPECT_EQ(e.where().file, file.string());
  EXPECT_GT(e.where().line, 0);
}

}  // namespace
}  // namespace cathodelab::io
