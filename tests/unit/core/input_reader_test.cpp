// core::InputReader: unit conversion, the one wording of input errors with key path and
// position, sections, arrays of tables in order, and unknown-key checks with did-you-mean.
#include "cathodelab/core/input_reader.hpp"

#include "support/input_error_text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace cathodelab::core {
namespace {

InputValue text_at(std::string text, int line, int column = 1) {
  InputValue v;
  v.text = std::move(text);
  v.where = {"in.toml", line, column};
  return v;
}

InputValue number_at(double x, int line, InputValue::Kind kind = InputValue::Kind::real) {
  InputValue v;
  v.kind = kind;
  v.number = x;
  v.text = kind == InputValue::Kind::integer ? std::to_string(static_cast<long long>(x))
                                             : std::to_string(x);
  v.where = {"in.toml", line, 1};
  return v;
}

InputTree cathode_tree() {
  InputTree tree;
  tree[{"cathode", "thickness"}] = text_at("80 um", 3);
  tree[{"cathode", "porosity"}] = number_at(0.2, 4);
  tree[{"cathode", "bare"}] = number_at(80, 5);
  tree[{"cathode", "name"}] = text_at("NCM811", 6);
  tree[{"cathode", "count"}] = number_at(7, 7, InputValue::Kind::integer);
  tree[{"cathode", "share"}] = text_at("60 %", 8);
  tree[{"cathode", "bad"}] = number_at(std::nan(""), 9);
  return tree;
}

TEST(InputReader, ConvertsAQuantityToSi) {
  const InputTree tree = cathode_tree();
  const InputReader cathode = InputReader(tree).section({"cathode"});
  EXPECT_DOUBLE_EQ(*cathode.quantity({"thickness"}, dim::length, "\"80 um\""), 80e-6);
  EXPECT_DOUBLE_EQ(*cathode.number({"share"}, "0.6"), 0.6);
  EXPECT_DOUBLE_EQ(*cathode.number({"porosity"}, "0.2"), 0.2);
  EXPECT_EQ(*cathode.integer({"count"}, "7", 1, 10), 7);
  EXPECT_FALSE(cathode.quantity({"absent"}, dim::length, "\"1 um\"").has_value());
}

TEST(InputReader, WordsEachMistakeOneWayWithKeyAndPosition) {
  const InputTree tree = cathode_tree();
  const InputReader cathode(tree, {"cathode"});
  EXPECT_EQ(
      test::input_error_text([&] { (void)cathode.quantity({"bare"}, dim::length, "\"80 um\""); }),
      "in.toml:5:1: key 'cathode.bare': must be a value with its unit; write e.g. bare = "
      "\"80 um\"");
  EXPECT_EQ(test::input_error_text([&] { (void)cathode.require({"area"}, "\"1 cm^2\""); }),
            "in.toml:3:1: key 'cathode.area': missing value; add e.g. area = \"1 cm^2\"");
  EXPECT_NE(test::input_error_text([&] {
              (void)cathode.number({"bad"}, "0.2");
            }).find("key 'cathode.bad': must be finite, got nan"),
            std::string::npos);
  EXPECT_NE(test::input_error_text([&] {
              (void)cathode.integer({"count"}, "3", 1, 5);
            }).find("must be an integer from 1 to 5, got 7"),
            std::string::npos);
  EXPECT_NE(test::input_error_text([&] {
              (void)cathode.text({"porosity"}, "\"x\"");
            }).find("must be a string"),
            std::string::npos);
  // A units error from the parser lands at the key's position.
  InputTree wrong;
  wrong[{"thickness"}] = text_at("80 V", 12, 5);
  EXPECT_NE(test::input_error_text([&] {
              (void)InputReader(wrong).quantity({"thickness"}, dim::length, "1 um");
            }).find("in.toml:12:5: key 'thickness'"),
            std::string::npos);
}

TEST(InputReader, TellsASectionFromAValue) {
  const InputTree tree = cathode_tree();
  const InputReader root(tree);
  EXPECT_NE(test::input_error_text([&] {
              (void)root.require({"cathode"}, "1");
            }).find("'cathode' is a section, not a value"),
            std::string::npos);
  EXPECT_NE(test::input_error_text([&] {
              (void)root.section({"cathode", "thickness"});
            }).find("'thickness' is a value, not a section"),
            std::string::npos);
  EXPECT_NE(test::input_error_text([&] { (void)root.section({"anode"}); }).find("missing section"),
            std::string::npos);
  EXPECT_TRUE(root.has_section({"cathode"}));
  EXPECT_FALSE(root.has_section({"cathode", "thickness"}));
}

TEST(InputReader, ListsChildrenInFileOrderAndElementsByIndex) {
  InputTree tree;
  tree[{"components", "zeta", "fraction"}] = text_at("1", 2);
  tree[{"components", "alpha", "fraction"}] = text_at("1", 5);
  for (std::size_t i = 0; i < 12; ++i) {
    tree[{"particles", index_segment(i), "radius"}] =
        text_at(std::to_string(i + 1) + " um", 10 + static_cast<int>(i));
  }
  const InputReader root(tree);
  EXPECT_EQ(root.section({"components"}).children(), (std::vector<std::string>{"zeta", "alpha"}));
  const auto particles = root.elements({"particles"}, "[{ radius = \"1 um\" }]");
  ASSERT_EQ(particles.size(), 12U);
  EXPECT_DOUBLE_EQ(*particles[10].quantity({"radius"}, dim::length, "1 um"), 11e-6);
  EXPECT_TRUE(particles[10].is_element());
  EXPECT_EQ(particles[10].key_text({"radius"}), "particles[10].radius");
  EXPECT_NE(test::input_error_text([&] {
              (void)root.elements({"components"}, "[{}]");
            }).find("must be a list of tables"),
            std::string::npos);
}

TEST(InputReader, RefusesUnknownKeysWithTheNearestName) {
  InputTree tree;
  tree[{"cathode", "thicknes"}] = text_at("80 um", 4, 1);
  const InputReader root(tree);
  EXPECT_EQ(test::input_error_text([&] {
              root.refuse_unknown({{"cathode", "thickness"}, {"cathode", "area"}});
            }),
            "in.toml:4:1: key 'cathode.thicknes': unknown key 'thicknes'; did you mean "
            "'thickness'? (valid: thickness, area)");
  // Wildcards: one segment, and anything below.
  tree.clear();
  tree[{"components", "NCM811", "fraction"}] = text_at("70 wt%", 1);
  tree[{"protocol", "anything", "deep"}] = text_at("x", 2);
  EXPECT_NO_THROW(
      InputReader(tree).refuse_unknown({{"components", "*", "fraction"}, {"protocol", "**"}}));
  // A value where a section belongs, and a section where a value belongs.
  tree.clear();
  tree[{"components"}] = text_at("NCM811", 1);
  EXPECT_NE(test::input_error_text([&] {
              InputReader(tree).refuse_unknown({{"components", "*", "fraction"}});
            }).find("'components' is a section, not a value"),
            std::string::npos);
  tree.clear();
  tree[{"thickness", "value"}] = text_at("80 um", 1);
  EXPECT_NE(test::input_error_text([&] {
              InputReader(tree).refuse_unknown({{"thickness"}});
            }).find("'thickness' is a value, not a section"),
            std::string::npos);
}

TEST(InputTreeKeys, WritesArrayElementsAndQuotesOddSegments) {
  EXPECT_EQ(key_path_text({"positive", "particles", index_segment(2), "radius"}),
            "positive.particles[2].radius");
  EXPECT_EQ(key_path_text({"components", "1.4Li2O-0.75ZrCl4"}), "components.\"1.4Li2O-0.75ZrCl4\"");
  EXPECT_EQ(segment_index("[12]"), 12U);
  EXPECT_FALSE(segment_index("[1a]").has_value());
  EXPECT_FALSE(segment_index("12").has_value());
  EXPECT_EQ(parse_key_path("a.\"b.c\".d"), (KeyPath{"a", "b.c", "d"}));
}

}  // namespace
}  // namespace cathodelab::core
