// A small hand-built design (NCM811 + Li6PS5Cl + an additive, Li metal anode) with material records
// built in code, so the whole-path stages can be tested without reading the library from disk.
#pragma once

#include "cathodelab/materials/material.hpp"
#include "cathodelab/study/design.hpp"
#include "cathodelab/study/microstructure_stage.hpp"

#include <memory>
#include <string>
#include <vector>

namespace cathodelab::study::fixture {

inline materials::Property property(materials::PropertyModel model) {
  return materials::Property{std::move(model), "test value", true, ""};
}

inline MaterialData data(const std::string& name, MaterialRole role, double density,
                         std::shared_ptr<materials::Material> record) {
  MaterialData d;
  d.name = name;
  d.role = role;
  d.density = density;
  d.source = "test";
  record->name = name;
  d.record = std::move(record);
  return d;
}

/// Linear test OCP U(x) = 4.3 - 0.8 (x - 0.25) / 0.7 on x in [0.25, 0.95] [V].
inline materials::PropertyModel linear_ocp() {
  materials::Table t;
  t.x = {0.25, 0.95};
  t.y = {4.3, 3.5};
  t.interpolation = materials::Interpolation::linear;
  return materials::PropertyModel::table(t);
}

inline std::shared_ptr<const MaterialTable> test_materials() {
  auto table = std::make_shared<MaterialTable>();
  {
    auto r = std::make_shared<materials::Material>();
    r->material_class = materials::MaterialClass::cathode_active;
    r->max_concentration = property(materials::PropertyModel::constant(60000.0));
    r->open_circuit_potential = property(linear_ocp());
    r->diffusivity = property(materials::PropertyModel::constant(1e-14));
    r->electronic_conductivity = property(materials::PropertyModel::constant(0.1));
    auto d = data("NCM811", MaterialRole::active, 4800.0, r);
    d.specific_capacity = 200.0 * 3.6 * 1e3;  // 200 mAh/g in C/kg
    d.theoretical_capacity = 275.0 * 3.6 * 1e3;
    d.average_voltage = 3.8;
    (*table)["NCM811"] = d;
  }
  {
    auto r = std::make_shared<materials::Material>();
    r->material_class = materials::MaterialClass::solid_electrolyte;
    r->ionic_conductivity = property(materials::PropertyModel::constant(0.2));
    (*table)["Li6PS5Cl"] = data("Li6PS5Cl", MaterialRole::electrolyte, 1870.0, r);
  }
  {
    auto r = std::make_shared<materials::Material>();
    r->material_class = materials::MaterialClass::additive;
    r->formula = "C (carbon fibre)";
    r->electronic_conductivity = property(materials::PropertyModel::constant(1e4));
    (*table)["VGCF"] = data("VGCF", MaterialRole::conductive_additive, 2000.0, r);
  }
  {
    auto r = std::make_shared<materials::Material>();
    r->material_class = materials::MaterialClass::mixed_conductor;
    r->ionic_conductivity = property(materials::PropertyModel::constant(0.073));
    r->electronic_conductivity = property(materials::PropertyModel::constant(1000.0));
    (*table)["LWOC"] = data("LWOC", MaterialRole::conductive_additive, 3500.0, r);
  }
  {
    auto r = std::make_shared<materials::Material>();
    r->material_class = materials::MaterialClass::coating;
    r->ionic_conductivity = property(materials::PropertyModel::constant(1e-3));
    (*table)["LiNbO3"] = data("LiNbO3", MaterialRole::coating, 4600.0, r);
  }
  {
    auto r = std::make_shared<materials::Material>();
    r->material_class = materials::MaterialClass::anode;
    auto d = data("Li", MaterialRole::anode, 534.0, r);
    d.specific_capacity = 3861.0 * 3.6 * 1e3;
    (*table)["Li"] = d;
  }
  for (const auto& [name, density] :
       {std::pair<std::string, double>{"Al", 2700.0}, {"Cu", 8960.0}}) {
    auto r = std::make_shared<materials::Material>();
    r->material_class = materials::MaterialClass::current_collector;
    (*table)[name] = data(name, MaterialRole::collector, density, r);
  }
  return table;
}

inline InputValue text_value(const std::string& text) {
  InputValue v;
  v.kind = InputValue::Kind::text;
  v.text = text;
  return v;
}

/// The typed [protocol] of an experiment and a rate test, resolved as a study file's would be.
inline ProtocolSpec protocol_of(const std::vector<std::string>& experiment,
                                const std::vector<std::string>& rates = {}) {
  InputTree tree;
  if (!experiment.empty()) {
    InputValue v;
    v.kind = InputValue::Kind::text_list;
    v.list = experiment;
    tree[{"protocol", "experiment"}] = v;
  }
  if (!rates.empty()) {
    InputValue v;
    v.kind = InputValue::Kind::text_list;
    v.list = rates;
    tree[{"protocol", "rate_test"}] = v;
  }
  return resolve_protocol(core::InputReader(tree, {"protocol"}));
}

/// NCM811 75 wt% (5 um, optional 10 nm LiNbO3), Li6PS5Cl balance, `additive` 3 wt%, porosity 0.1,
/// 10 mg/cm^2 NCM811 (about 38 um), 30 um Li6PS5Cl separator, Li metal.
inline Design test_design(const std::string& additive = "VGCF", bool coated = true,
                          bool with_microstructure = false) {
  Design d;
  d.id = "0123456789abcdef";
  d.study_name = "test";
  d.seed = 11;
  d.materials = test_materials();
  auto& c = d.cell;
  ComponentSpec ncm{"NCM811", "NCM811", FractionBasis::mass, 0.75, 5e-6, std::nullopt};
  if (coated) ncm.coating = CoatingSpec{"LiNbO3", 10e-9};
  c.cathode.components = {
      ncm,
      ComponentSpec{"Li6PS5Cl", "Li6PS5Cl", FractionBasis::mass, 0.22, std::nullopt, std::nullopt},
      ComponentSpec{
          "additive", additive, FractionBasis::mass, 0.03,
          additive == "VGCF" ? std::optional<double>(150e-9) : std::optional<double>(2e-6),
          std::nullopt}};
  c.cathode.porosity = 0.1;
  c.cathode.areal_loading = 0.1;  // 10 mg/cm^2
  c.cathode.area = 1e-4;
  c.separator = LayerSpec{"Li6PS5Cl", 30e-6, 0.05};
  c.anode = AnodeSpec{"Li", 20e-6, std::nullopt};
  c.positive_collector = LayerSpec{"Al", 12e-6, 0.0};
  c.negative_collector = LayerSpec{"Cu", 8e-6, 0.0};
  c.conditions.temperature = 298.15;
  c.protocol = protocol_of({"Discharge at C/10 until 2.5 V"});
  if (with_microstructure) {
    InputTree m;
    m[{"microstructure", "domain"}] = text_value("10 um");
    m[{"microstructure", "voxel_size"}] = text_value("1 um");
    m[{"microstructure", "thickness"}] = text_value("12 um");
    c.microstructure = m;
  }
  d.calculation = calculate_design(calculator_input(d.cell, *d.materials));
  if (with_microstructure) d.generation = generation_spec(d, d.calculation);
  return d;
}

/// Recomputes the design calculator after a test changed the recipe (expand() does it once).
inline void recalculate(Design& d) {
  d.calculation = calculate_design(calculator_input(d.cell, *d.materials));
}

}  // namespace cathodelab::study::fixture
