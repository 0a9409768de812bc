// Material records and the library: lookup by name and alias (case-insensitive), did-you-mean for
// unknown names, validation of provenance, ranges and OCP monotonicity, cost conversion.
#include "cathodelab/materials/material_library.hpp"
#include "cathodelab/core/error.hpp"

#include "support/input_error_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace m = cathodelab::materials;
namespace cl = cathodelab::core;

namespace {

m::Property sourced(m::PropertyModel model) {
  return {.model = std::move(model), .source = "doi:10.0000/test"};
}

m::Material ncm() {
  m::Material material{.name = "NCM811",
                       .material_class = m::MaterialClass::cathode_active,
                       .formula = "LiNi0.8Co0.1Mn0.1O2",
                       .aliases = {"NMC811"}};
  material.density = sourced(m::PropertyModel::constant(4750.0));
  material.specific_capacity = sourced(m::PropertyModel::constant(275.5 * 3600.0));
  material.open_circuit_potential =
      sourced(m::PropertyModel::table({.x = {0.25, 0.5, 0.9}, .y = {4.34, 3.97, 3.57}}));
  material.ionic_conductivity = sourced(m::PropertyModel::arrhenius(1e-4, 30e3));
  material.cost = m::Cost{.value = 40.0 * 4750.0,
                          .basis = m::CostBasis::per_volume,
                          .source = "estimate",
                          .estimate = true,
                          .note = "test"};
  return material;
}

}  // namespace

TEST(MaterialLibrary, FindsByNameAndAliasIgnoringCase) {
  m::MaterialLibrary library;
  library.add(ncm());
  EXPECT_EQ(library.find("NCM811").name, "NCM811");
  EXPECT_EQ(library.find("ncm811").name, "NCM811");
  EXPECT_EQ(library.find("NMC811").name, "NCM811");
  EXPECT_TRUE(library.contains("nmc811"));
  EXPECT_EQ(library.try_find("LFP"), nullptr);
}

TEST(MaterialLibrary, UnknownNameSuggestsNearest) {
  m::MaterialLibrary library;
  library.add(ncm());
  const std::string message =
      cathodelab::test::input_error_text([&] { (void)library.find("NCM812", "cathode.active"); });
  EXPECT_NE(message.find("key 'cathode.active': unknown material 'NCM812'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("did you mean 'NCM811'"), std::string::npos) << message;
}

TEST(MaterialLibrary, RefusesDuplicateNames) {
  m::MaterialLibrary library;
  library.add(ncm());
  auto clash = ncm();
  clash.name = "nmc811";
  clash.aliases.clear();
  EXPECT_THROW(library.add(clash), cl::InputError);
}

TEST(MaterialLibrary, ListsByClassInOrder) {
  m::MaterialLibrary library;
  library.add(ncm());
  m::Material lps{.name = "Li6PS5Cl", .material_class = m::MaterialClass::solid_electrolyte};
  lps.density = sourced(m::PropertyModel::constant(1640.0));
  library.add(lps);
  EXPECT_EQ(library.list().size(), 2U);
  ASSERT_EQ(library.list(m::MaterialClass::solid_electrolyte).size(), 1U);
  EXPECT_EQ(library.list(m::MaterialClass::solid_electrolyte)[0]->name, "Li6PS5Cl");
  EXPECT_EQ(library.names(), (std::vector<std::string>{"NCM811", "Li6PS5Cl"}));
}

TEST(Material, ValueAtConditionsAndMissingProperty) {
  const m::Material material = ncm();
  EXPECT_DOUBLE_EQ(material.value(&m::Material::density), 4750.0);
  EXPECT_DOUBLE_EQ(material.value("ionic_conductivity"), 1e-4);
  EXPECT_NEAR(material.value(&m::Material::open_circuit_potential, {.stoichiometry = 0.5}), 3.97,
              1e-12);
  const std::string missing =
      cathodelab::test::input_error_text([&] { (void)material.value(&m::Material::hardness); });
  EXPECT_NE(missing.find("material 'NCM811' has no hardness"), std::string::npos) << missing;
  const std::string out = cathodelab::test::input_error_text(
      [&] { (void)material.value(&m::Material::open_circuit_potential, {.stoichiometry = 0.1}); });
  EXPECT_NE(out.find("NCM811 open_circuit_potential"), std::string::npos) << out;
  const std::string typo =
      cathodelab::test::input_error_text([&] { (void)material.value("densty"); });
  EXPECT_NE(typo.find("did you mean 'density'"), std::string::npos) << typo;
}

TEST(Material, CostPerMassConvertsVolumePricesWithDensity) {
  EXPECT_DOUBLE_EQ(m::cost_per_mass(ncm()).value(), 40.0);
  auto per_area = ncm();
  per_area.cost->basis = m::CostBasis::per_area;
  EXPECT_FALSE(m::cost_per_mass(per_area).has_value());
}

TEST(Validate, RefusesNonMonotoneOcp) {
  auto material = ncm();
  material.open_circuit_potential =
      sourced(m::PropertyModel::table({.x = {0.2, 0.5, 0.7, 0.9}, .y = {4.3, 3.9, 3.95, 3.6}}));
  const std::string message = cathodelab::test::input_error_text([&] { m::validate(material); });
  EXPECT_NE(message.find("not strictly monotone"), std::string::npos) << message;
  EXPECT_NE(message.find("open_circuit_potential"), std::string::npos) << message;
}

TEST(Validate, RefusesMissingSourceUnexplainedEstimateAndOutOfRange) {
  auto no_source = ncm();
  no_source.density->source = " ";
  EXPECT_NE(cathodelab::test::input_error_text([&] {
              m::validate(no_source);
            }).find("density has no source"),
            std::string::npos);
  auto no_note = ncm();
  no_note.density->estimate = true;
  EXPECT_NE(cathodelab::test::input_error_text([&] {
              m::validate(no_note);
            }).find("estimate without a note"),
            std::string::npos);
  auto heavy = ncm();
  heavy.density = sourced(m::PropertyModel::constant(4.75e6));  // a g/cm^3 vs kg/m^3 mix-up
  const std::string message = cathodelab::test::input_error_text([&] { m::validate(heavy); });
  EXPECT_NE(message.find("outside the physical range"), std::string::npos) << message;
  EXPECT_NE(message.find("g/cm^3"), std::string::npos) << message;
}

TEST(MaterialClass, ParsesNamesAndSuggests) {
  EXPECT_EQ(m::material_class_from_string("coating"), m::MaterialClass::coating);
  const std::string message = cathodelab::test::input_error_text(
      [] { (void)m::material_class_from_string("cathod_active"); });
  EXPECT_NE(message.find("did you mean 'cathode_active'"), std::string::npos) << message;
  for (const auto c : m::all_material_classes()) {
    EXPECT_EQ(m::material_class_from_string(m::to_string(c)), c);
  }
}
