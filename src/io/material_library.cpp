// Material data files (data/materials/<class>/<name>.toml) -> materials::Material, and Material ->
// JSON. Each file becomes a core::InputTree (io::read_input_file) and is read through
// core::InputReader, so its errors read like those of every other input; the rules of one property
// record (value, function or x/values table with unit; activation_energy; reference_temperature;
// cost) are the free functions below. Schema: docs/materials.md.
#include "cathodelab/io/material_library.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/input_reader.hpp"
#include "cathodelab/core/units.hpp"
#include "cathodelab/io/input_file.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#ifndef CATHODELAB_DEFAULT_DATA_DIR
#define CATHODELAB_DEFAULT_DATA_DIR "data"
#endif

namespace cathodelab::io {
namespace {

namespace fs = std::filesystem;
using core::InputReader;
using core::InputValue;
using core::KeyPath;
using materials::Material;
using materials::Property;
using materials::PropertyModel;

const std::vector<std::string> kTopKeys = {"name", "class", "formula", "description", "aliases"};
const std::vector<std::string> kPropertyKeys = {"value",
                                                "function",
                                                "x",
                                                "values",
                                                "unit",
                                                "variable",
                                                "interpolation",
                                                "log10",
                                                "activation_energy",
                                                "reference_temperature",
                                                "source",
                                                "estimate",
                                                "note"};
const std::vector<std::string> kCostKeys = {"value", "source", "estimate", "note"};

/// Every key a material file may hold, as patterns for InputReader::refuse_unknown.
std::vector<KeyPath> known_keys() {
  std::vector<KeyPath> known;
  for (const auto& key : kTopKeys) known.push_back({key});
  for (const auto& descriptor : materials::property_descriptors()) {
    for (const auto& field : kPropertyKeys) known.push_back({std::string(descriptor.key), field});
  }
  for (const auto& field : kCostKeys) known.push_back({"cost", field});
  return known;
}

std::string required_text(const InputReader& r, const KeyPath& key, const std::string& example) {
  (void)r.require(key, example);
  return *r.text(key, example);
}

/// A value with any unit (a price, an activation energy in eV or kJ/mol), parsed but not yet
/// checked against a dimension; parser errors are placed at `key`.
core::Quantity any_quantity(const InputReader& r, const KeyPath& key, const std::string& example) {
  const InputValue& value = r.require(key, example);
  if (value.kind != InputValue::Kind::text) {
    r.fail(key, "must be a value with its unit", "write e.g. " + key.back() + " = " + example);
  }
  try {
    return core::parse_quantity(value.text);
  } catch (const core::InputError& error) {
    throw r.error(key, error.problem(), error.fix());
  }
}

/// "\"1 g/cm^3\"" for a dimensional property, "1" for a dimensionless one.
std::string value_example(const materials::PropertyDescriptor& descriptor) {
  if (descriptor.dimension == core::dim::dimensionless) return "1";
  return fmt::format("\"1 {}\"", descriptor.display_unit);
}

/// The y values of a table: plain numbers scaled by `unit`, values with their own unit, or plain
/// numbers for a dimensionless property.
std::vector<double> table_values(const InputReader& p,
                                 const materials::PropertyDescriptor& descriptor) {
  const KeyPath key{"values"};
  const std::string example = "[" + value_example(descriptor) + ", ...]";
  const InputValue& written = p.require(key, example);
  if (const auto unit = p.text({"unit"}, "\"V\"")) {
    const double scale = p.located({"unit"}, [&] {
      return core::parse_quantity_as("1 " + *unit, descriptor.dimension, p.key_text({"unit"}),
                                     descriptor.display_unit);
    });
    std::vector<double> values = *p.number_list(key, "[4.2, 3.9, 3.6]");
    for (double& v : values) v *= scale;
    return values;
  }
  if (written.kind == InputValue::Kind::number_list &&
      descriptor.dimension == core::dim::dimensionless) {
    return *p.number_list(key, example);
  }
  if (written.kind != InputValue::Kind::text_list) {
    p.fail(key, "list entries must be values with their unit",
           fmt::format("write e.g. values = {}, or give the unit once: unit = \"{}\"", example,
                       descriptor.display_unit));
  }
  std::vector<double> values;
  values.reserve(written.list.size());
  for (const auto& entry : written.list) {
    values.push_back(p.located(key, [&] {
      return core::parse_quantity_as(entry, descriptor.dimension, p.key_text(key),
                                     fmt::format("1 {}", descriptor.display_unit));
    }));
  }
  return values;
}

PropertyModel table_model(const InputReader& p, const materials::PropertyDescriptor& descriptor) {
  materials::Table data;
  (void)p.require({"x"}, "[0.2, 0.5, 1.0]");
  data.x = *p.number_list({"x"}, "[0.2, 0.5, 1.0]");
  data.y = table_values(p, descriptor);
  if (p.choice({"variable"}, {"stoichiometry", "state_of_charge"}) == "state_of_charge") {
    data.variable = materials::TableVariable::state_of_charge;
  }
  if (p.choice({"interpolation"}, {"monotone_cubic", "linear"}) == "linear") {
    data.interpolation = materials::Interpolation::linear;
  }
  data.log10 = p.boolean({"log10"}, "true").value_or(false);
  return p.located({"x"}, [&] { return PropertyModel::table(std::move(data), p.key_text()); });
}

/// The value, function or table of a property: exactly one of them.
PropertyModel property_model(const InputReader& p,
                             const materials::PropertyDescriptor& descriptor) {
  const std::string example = value_example(descriptor);
  const bool value = p.has({"value"});
  const bool function = p.has({"function"});
  const bool table = p.has({"x"}) || p.has({"values"});
  const int forms = (value ? 1 : 0) + (function ? 1 : 0) + (table ? 1 : 0);
  if (forms != 1) {
    p.fail({}, forms == 0 ? "no value given" : "more than one of value, function, table",
           "give exactly one of value = " + example +
               ", function = \"name\", or a table (x = [...], values = [...])");
  }
  if (value) return PropertyModel::constant(*p.quantity({"value"}, descriptor.dimension, example));
  if (function) {
    const std::string name = *p.text({"function"}, "\"chen2020_nmc811_ocp\"");
    return p.located({"function"},
                     [&] { return PropertyModel::function(name, p.key_text({"function"})); });
  }
  return table_model(p, descriptor);
}

/// An activation energy per ion ("0.35 eV") or per mole ("30 kJ/mol"), in J/mol.
double activation_energy(const InputReader& p) {
  const KeyPath key{"activation_energy"};
  const core::Quantity q = any_quantity(p, key, "\"0.35 eV\"");
  double energy = 0.0;
  if (q.dimension == core::dim::molar_energy) {
    energy = q.value;
  } else if (q.dimension == core::dim::energy) {
    energy = q.value * materials::avogadro;
  } else {
    p.fail(key, "'" + p.find(key)->text + "' is not an activation energy",
           "write it like \"0.35 eV\" (per ion) or \"30 kJ/mol\"");
  }
  if (!(energy >= 0.0)) {
    p.fail(key, "activation energy must not be negative", "give the barrier as a positive number");
  }
  return energy;
}

/// A property's temperature dependence: activation_energy, optionally at reference_temperature.
PropertyModel with_temperature(const InputReader& p, PropertyModel model) {
  if (!p.has({"activation_energy"})) {
    if (p.has({"reference_temperature"})) {
      p.fail({"reference_temperature"}, "reference_temperature without activation_energy",
             "add activation_energy = \"0.35 eV\" or remove it");
    }
    return model;
  }
  const double reference =
      p.quantity({"reference_temperature"}, core::dim::temperature, "\"25 degC\"")
          .value_or(materials::room_temperature);
  return model.with_activation_energy(activation_energy(p), reference);
}

Property read_property(const InputReader& p, const materials::PropertyDescriptor& descriptor) {
  Property property;
  property.model = with_temperature(p, property_model(p, descriptor));
  property.source = required_text(p, {"source"}, "\"doi:10....\"");
  property.estimate = p.boolean({"estimate"}, "true").value_or(false);
  property.note = p.text({"note"}, "\"why it is an estimate\"").value_or("");
  return property;
}

materials::Cost read_cost(const InputReader& c) {
  const KeyPath key{"value"};
  const core::Quantity q = any_quantity(c, key, "\"20 $/kg\"");
  materials::Cost cost;
  cost.value = q.value;
  if (q.dimension == core::dim::cost_per_mass) {
    cost.basis = materials::CostBasis::per_mass;
  } else if (q.dimension == core::dim::cost_per_volume) {
    cost.basis = materials::CostBasis::per_volume;
  } else if (q.dimension == core::dim::cost_per_area) {
    cost.basis = materials::CostBasis::per_area;
  } else {
    c.fail(key, "'" + c.find(key)->text + "' is not a price per kg, per volume or per area",
           "write it like \"20 $/kg\", \"43.7 $/L\" or \"1.38 $/m^2\"");
  }
  cost.source = required_text(c, {"source"}, "\"doi:10....\"");
  cost.estimate = c.boolean({"estimate"}, "true").value_or(false);
  cost.note = c.text({"note"}, "\"why it is an estimate\"").value_or("");
  return cost;
}

/// Where an error of materials::validate belongs: at its key when the file has it, else at the
/// nearest section above it that the file has.
core::SourceLocation where_of(const InputReader& root, const std::string& key_path) {
  KeyPath key;
  try {
    key = core::parse_key_path(key_path);
  } catch (const core::InputError&) {
    return root.where();
  }
  while (!key.empty() && !root.has(key)) key.pop_back();
  return root.where(key);
}

Material read_material(const InputReader& root) {
  root.refuse_unknown(known_keys());
  Material result;
  result.name = required_text(root, {"name"}, "\"NCM811\"");
  const std::string class_name = required_text(root, {"class"}, "\"cathode_active\"");
  result.material_class = root.located(
      {"class"}, [&] { return materials::material_class_from_string(class_name, "class"); });
  result.formula = root.text({"formula"}, "\"LiNi0.8Mn0.1Co0.1O2\"").value_or("");
  result.description = root.text({"description"}, "\"...\"").value_or("");
  result.aliases = root.text_list({"aliases"}, "[\"NMC811\"]").value_or(std::vector<std::string>{});
  for (const auto& descriptor : materials::property_descriptors()) {
    if (const auto section = root.optional_section({std::string(descriptor.key)})) {
      result.*descriptor.member = read_property(*section, descriptor);
    }
  }
  if (const auto section = root.optional_section({"cost"})) result.cost = read_cost(*section);
  try {
    materials::validate(result);
  } catch (const core::InputError& error) {
    throw error.at(where_of(root, error.key_path()));
  }
  return result;
}

nlohmann::json provenance(const std::string& source, bool estimate, const std::string& note) {
  nlohmann::json json{{"source", source}, {"estimate", estimate}};
  if (!note.empty()) json["note"] = note;
  return json;
}

}  // namespace

fs::path default_materials_dir() {
  if (const char* dir = std::getenv("CATHODELAB_DATA_DIR"); dir != nullptr && *dir != '\0') {
    return fs::path(dir) / "materials";
  }
  return fs::path(CATHODELAB_DEFAULT_DATA_DIR) / "materials";
}

Material load_material_file(const fs::path& file) {
  const core::InputTree tree = read_input_file(file);
  const InputReader root(tree);
  Material material = read_material(root);
  // The folder names the class; a file in the wrong folder is almost always a copy-paste slip.
  const std::string folder = file.parent_path().filename().string();
  for (const auto c : materials::all_material_classes()) {
    if (folder == materials::to_string(c) && c != material.material_class) {
      root.fail({"class"},
                fmt::format("class '{}' does not match the folder '{}'",
                            materials::to_string(material.material_class), folder),
                "move the file or correct the class");
    }
  }
  return material;
}

materials::MaterialLibrary load_material_library(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw core::InputError("material data folder '" + dir.string() + "' does not exist", {},
                           "set CATHODELAB_DATA_DIR to the folder that holds materials/");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".toml")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    throw core::InputError("no material files (*.toml) in '" + dir.string() + "'", {},
                           "set CATHODELAB_DATA_DIR to the folder that holds materials/");
  }
  materials::MaterialLibrary library;
  for (const auto& file : files) {
    Material material = load_material_file(file);
    try {
      library.add(std::move(material));
    } catch (const core::InputError& error) {
      throw error.at({file.string(), 1, 1});
    }
  }
  return library;
}

std::string material_to_json(const Material& material, int indent) {
  nlohmann::json json;
  json["name"] = material.name;
  json["class"] = std::string(materials::to_string(material.material_class));
  json["formula"] = material.formula;
  json["description"] = material.description;
  json["aliases"] = material.aliases;
  nlohmann::json properties = nlohmann::json::object();
  for (const auto& descriptor : materials::property_descriptors()) {
    const auto& property = material.*descriptor.member;
    if (!property) continue;
    const PropertyModel& model = property->model;
    const std::string unit = core::dimension_name(descriptor.dimension);
    nlohmann::json p = provenance(property->source, property->estimate, property->note);
    p["unit"] = unit;
    switch (model.kind()) {
      case materials::ModelKind::constant:
        p["kind"] = "constant";
        break;
      case materials::ModelKind::arrhenius:
        p["kind"] = "arrhenius";
        break;
      case materials::ModelKind::table: {
        p["kind"] = "table";
        const auto& table = model.table_data();
        p["variable"] = table.variable == materials::TableVariable::state_of_charge
                            ? "state_of_charge"
                            : "stoichiometry";
        p["interpolation"] =
            table.interpolation == materials::Interpolation::linear ? "linear" : "monotone_cubic";
        p["log10"] = table.log10;
        p["x"] = table.x;
        p["values"] = table.y;
        break;
      }
      case materials::ModelKind::function:
        p["kind"] = "function";
        p["function"] = model.function_name();
        p["x_range"] = {model.x_min(), model.x_max()};
        break;
    }
    p["reference_value"] = model.reference_value();
    if (model.has_activation_energy()) {
      p["activation_energy [J.mol-1]"] = model.activation_energy();
      p["reference_temperature [K]"] = model.reference_temperature();
    }
    properties[std::string(descriptor.key)] = std::move(p);
  }
  json["properties"] = std::move(properties);
  if (material.cost) {
    const auto& cost = *material.cost;
    nlohmann::json c = provenance(cost.source, cost.estimate, cost.note);
    c["value"] = cost.value;
    c["basis"] = std::string(materials::to_string(cost.basis));
    c["unit"] = cost.basis == materials::CostBasis::per_mass     ? "$/kg"
                : cost.basis == materials::CostBasis::per_volume ? "$/m^3"
                                                                 : "$/m^2";
    json["cost"] = std::move(c);
  }
  return json.dump(indent);
}

}  // namespace cathodelab::io
