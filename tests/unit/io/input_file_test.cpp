// io::parse_toml_input / parse_json_input: the one conversion of TOML and JSON into an InputTree,
// with positions, arrays of tables as "[i]" segments, and refusals of what no input may hold.
#include "cathodelab/io/input_file.hpp"
#include "cathodelab/core/input_reader.hpp"

#include "support/input_error_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cathodelab::io {
namespace {

using core::InputValue;
using core::KeyPath;

TEST(InputFile, TomlKeepsPositionsAndArraysOfTables) {
  const auto tree = parse_toml_input(
      "[positive]\nthickness = \"80 um\"\n[[positive.particles]]\nradius = \"5 um\"\n"
      "[[positive.particles]]\nradius = \"1 um\"\nlist = [1, 2.5]\n",
      "cell.toml");
  const auto& thickness = tree.at({"positive", "thickness"});
  EXPECT_EQ(thickness.text, "80 um");
  EXPECT_EQ(thickness.where.line, 2);
  EXPECT_EQ(thickness.where.file, "cell.toml");
  EXPECT_EQ(tree.at({"positive", "particles", "[1]", "radius"}).where.line, 6);
  const auto& list = tree.at({"positive", "particles", "[1]", "list"});
  EXPECT_EQ(list.kind, InputValue::Kind::number_list);
  EXPECT_EQ(list.numbers, (std::vector<double>{1.0, 2.5}));
  const core::InputReader positive = core::InputReader(tree).section({"positive"});
  EXPECT_EQ(positive.elements({"particles"}, "[]").size(), 2U);
}

TEST(InputFile, TomlRefusesMixedListsAndNamesTheKeyOfASyntaxError) {
  EXPECT_NE(test::input_error_text([] {
              (void)parse_toml_input("a = [1, \"x\"]\n", "f.toml");
            }).find("f.toml:1:5: key 'a': a list must hold only strings"),
            std::string::npos);
  const std::string syntax =
      test::input_error_text([] { (void)parse_toml_input("x = 1\nbad = \n", "f.toml"); });
  EXPECT_NE(syntax.find("f.toml:2:"), std::string::npos) << syntax;
  EXPECT_NE(syntax.find("key 'bad'"), std::string::npos) << syntax;
}

TEST(InputFile, JsonKeepsTheOrderAndPositionOfEachKey) {
  const std::string text =
      "{\n  \"Header\": {\"Title\": \"t\"},\n  \"Parameterisation\": {\n    \"Cell\": {\n"
      "      \"Area\": 0.1,\n      \"Count\": 3\n    }\n  }\n}\n";
  const auto tree = parse_json_input(text, "c.json");
  const auto& area = tree.at({"Parameterisation", "Cell", "Area"});
  EXPECT_EQ(area.kind, InputValue::Kind::real);
  EXPECT_DOUBLE_EQ(area.number, 0.1);
  EXPECT_EQ(area.where.line, 5);
  EXPECT_EQ(area.where.column, 7);
  EXPECT_EQ(tree.at({"Parameterisation", "Cell", "Count"}).kind, InputValue::Kind::integer);
  EXPECT_EQ(core::InputReader(tree).children(),
            (std::vector<std::string>{"Header", "Parameterisation"}));
}

TEST(InputFile, JsonRefusesWhatNoInputHolds) {
  EXPECT_NE(test::input_error_text([] {
              (void)parse_json_input("{\"a\": null}", "c.json");
            }).find("null is not a value"),
            std::string::npos);
  EXPECT_NE(test::input_error_text([] {
              (void)parse_json_input("{\"a\": 1e400}", "c.json");
            }).find("c.json:1:7: number 1e400 is out of the range of a double"),
            std::string::npos);
  EXPECT_NE(test::input_error_text([] {
              (void)parse_json_input("[1, 2]", "c.json");
            }).find("must be a JSON object"),
            std::string::npos);
  // Deep nesting is an input error, not a stack overflow.
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "{\"a\": ";
  deep += "1";
  for (int i = 0; i < 5000; ++i) deep += "}";
  EXPECT_NE(test::input_error_text([&] {
              (void)parse_json_input(deep, "c.json");
            }).find("nested more than"),
            std::string::npos);
}

}  // namespace
}  // namespace cathodelab::io
