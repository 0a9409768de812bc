// Material data files (TOML) -> materials::Material, and Material -> JSON.
#include "cathodelab/io/material_library.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/suggest.hpp"
#include "cathodelab/core/units.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>
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

class FileReader {
 public:
  explicit FileReader(fs::path file) : file_(std::move(file)) {}

  core::SourceLocation where(const toml::source_region& region) const {
    return {file_.string(), static_cast<int>(region.begin.line),
            static_cast<int>(region.begin.column)};
  }

  [[noreturn]] void fail(const toml::source_region& region, std::string problem,
                         std::string key_path, std::string fix) const {
    throw core::InputError(std::move(problem), std::move(key_path), std::move(fix), where(region));
  }

  // Runs `parse` and places any InputError it raises at `region`.
  template <typename F>
  auto located(const toml::source_region& region, F&& parse) const {
    try {
      return parse();
    } catch (const core::InputError& error) {
      if (!error.where().file.empty()) throw;
      throw error.at(where(region));
    }
  }

  void check_keys(const toml::table& table, const std::vector<std::string>& allowed,
                  const std::string& parent, const std::string& what) const {
    for (auto&& [key, node] : table) {
      const std::string name(key.str());
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        const std::string path = parent.empty() ? name : parent + "." + name;
        fail(key.source(), "unknown " + what + " '" + name + "'", path,
             core::suggestion_text(name, allowed, 30));
      }
    }
  }

  std::string string_at(const toml::table& table, std::string_view key, const std::string& path,
                        bool required) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) {
        fail(table.source(), "missing key '" + std::string(key) + "'", path,
             "add " + std::string(key) + " = \"...\"");
      }
      return {};
    }
    if (!node->is_string()) {
      fail(node->source(), "must be a string", path, "write it in double quotes");
    }
    return std::string(*node->value<std::string>());
  }

  bool bool_at(const toml::table& table, std::string_view key, const std::string& path) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return false;
    if (!node->is_boolean())
      fail(node->source(), "must be true or false", path, "write true or false");
    return *node->value<bool>();
  }

  // A value with units: a string, or (dimensionless quantities only) a plain number.
  double quantity(const toml::node& node, core::Dimension dimension, const std::string& path,
                  std::string_view example) const {
    std::string text;
    if (node.is_string()) {
      text = *node.value<std::string>();
    } else if (node.is_number()) {
      text = fmt::format("{}", *node.value<double>());
    } else {
      fail(node.source(), "must be a string with a unit", path,
           "write it like \"" + std::string(example) + "\"");
    }
    return located(node.source(),
                   [&] { return core::parse_quantity_as(text, dimension, path, example); });
  }

  double activation_energy(const toml::node& node, const std::string& path) const {
    if (!node.is_string()) {
      fail(node.source(), "must be a string with a unit", path,
           "write it like \"0.35 eV\" or \"30 kJ/mol\"");
    }
    const auto text = *node.value<std::string>();
    const core::Quantity q = located(node.source(), [&] { return core::parse_quantity(text); });
    if (q.dimension == core::dim::molar_energy) return q.value;
    if (q.dimension == core::dim::energy) return q.value * materials::avogadro;  // per ion
    fail(node.source(), "'" + text + "' is not an activation energy", path,
         "write it like \"0.35 eV\" (per ion) or \"30 kJ/mol\"");
  }

  std::vector<double> numbers(const toml::node& node, const std::string& path) const {
    const toml::array* array = node.as_array();
    if (array == nullptr)
      fail(node.source(), "must be an array of numbers", path, "write x = [0.2, 0.5, 1.0]");
    std::vector<double> result;
    for (const auto& item : *array) {
      if (!item.is_number()) fail(item.source(), "must be a number", path, "write plain numbers");
      result.push_back(*item.value<double>());
    }
    return result;
  }

  Property property(const toml::table& table,
                    const materials::PropertyDescriptor& descriptor) const {
    const std::string key(descriptor.key);
    check_keys(table, kPropertyKeys, key, "property field");
    const std::string example =
        fmt::format("1 {}", descriptor.display_unit == "1" ? "" : descriptor.display_unit);
    const toml::node* value = table.get("value");
    const toml::node* function = table.get("function");
    const toml::node* x = table.get("x");
    const toml::node* values = table.get("values");
    const int forms =
        (value != nullptr) + (function != nullptr) + (x != nullptr || values != nullptr);
    if (forms != 1) {
      fail(table.source(),
           forms == 0 ? "no value given" : "more than one of value, function, table", key,
           "give exactly one of value = \"" + example +
               "\", function = \"name\", or a table (x = [...], values = [...])");
    }
    Property property;
    if (value != nullptr) {
      property.model =
          PropertyModel::constant(quantity(*value, descriptor.dimension, key + ".value", example));
    } else if (function != nullptr) {
      if (!function->is_string())
        fail(function->source(), "must be a string", key + ".function", "write the name in quotes");
      property.model = located(function->source(), [&] {
        return PropertyModel::function(*function->value<std::string>(), key + ".function");
      });
    } else {
      property.model = table_model(table, descriptor, x, values, example);
    }
    if (const toml::node* ea = table.get("activation_energy")) {
      double reference = materials::room_temperature;
      if (const toml::node* t = table.get("reference_temperature")) {
        reference = quantity(*t, core::dim::temperature, key + ".reference_temperature", "25 degC");
      }
      const double energy = activation_energy(*ea, key + ".activation_energy");
      if (!(energy >= 0.0)) {
        fail(ea->source(), "activation energy must not be negative", key + ".activation_energy",
             "give the barrier as a positive number");
      }
      property.model = property.model.with_activation_energy(energy, reference);
    } else if (const toml::node* t = table.get("reference_temperature")) {
      fail(t->source(), "reference_temperature without activation_energy",
           key + ".reference_temperature", "add activation_energy = \"0.35 eV\" or remove it");
    }
    property.source = string_at(table, "source", key + ".source", true);
    property.estimate = bool_at(table, "estimate", key + ".estimate");
    property.note = string_at(table, "note", key + ".note", false);
    return property;
  }

  PropertyModel table_model(const toml::table& table,
                            const materials::PropertyDescriptor& descriptor, const toml::node* x,
                            const toml::node* values, const std::string& example) const {
    const std::string key(descriptor.key);
    if (x == nullptr || values == nullptr) {
      fail(table.source(), "a table needs both x and values", key,
           "write x = [0.2, 0.5, 1.0] and values = [\"" + example + "\", ...]");
    }
    materials::Table data;
    data.x = numbers(*x, key + ".x");
    const toml::array* array = values->as_array();
    if (array == nullptr)
      fail(values->source(), "must be an array", key + ".values", "write values = [...]");
    double scale = 1.0;
    const toml::node* unit = table.get("unit");
    if (unit != nullptr) {
      if (!unit->is_string())
        fail(unit->source(), "must be a string", key + ".unit", "write unit = \"V\"");
      scale = located(unit->source(), [&] {
        return core::parse_quantity_as("1 " + *unit->value<std::string>(), descriptor.dimension,
                                       key + ".unit", descriptor.display_unit);
      });
    }
    for (const auto& item : *array) {
      if (unit != nullptr) {
        if (!item.is_number())
          fail(item.source(), "must be a number (the unit is given by 'unit')", key + ".values",
               "write plain numbers");
        data.y.push_back(*item.value<double>() * scale);
      } else {
        data.y.push_back(quantity(item, descriptor.dimension, key + ".values", example));
      }
    }
    const std::string variable = string_at(table, "variable", key + ".variable", false);
    if (variable == "state_of_charge") {
      data.variable = materials::TableVariable::state_of_charge;
    } else if (!variable.empty() && variable != "stoichiometry") {
      fail(table.get("variable")->source(), "unknown table variable '" + variable + "'",
           key + ".variable",
           core::suggestion_text(variable,
                                 std::vector<std::string>{"stoichiometry", "state_of_charge"}));
    }
    const std::string interpolation =
        string_at(table, "interpolation", key + ".interpolation", false);
    if (interpolation == "linear") {
      data.interpolation = materials::Interpolation::linear;
    } else if (!interpolation.empty() && interpolation != "monotone_cubic") {
      fail(table.get("interpolation")->source(), "unknown interpolation '" + interpolation + "'",
           key + ".interpolation",
           core::suggestion_text(interpolation,
                                 std::vector<std::string>{"monotone_cubic", "linear"}));
    }
    data.log10 = bool_at(table, "log10", key + ".log10");
    return located(x->source(), [&] { return PropertyModel::table(std::move(data), key); });
  }

  materials::Cost cost(const toml::table& table) const {
    check_keys(table, kCostKeys, "cost", "cost field");
    const toml::node* value = table.get("value");
    if (value == nullptr || !value->is_string()) {
      fail(value ? value->source() : table.source(), "cost needs value = \"<price> $/kg\"",
           "cost.value", "write value = \"20 $/kg\", \"40 $/L\" or \"10 $/m^2\" as published");
    }
    const std::string text = *value->value<std::string>();
    const core::Quantity q = located(value->source(), [&] {
      try {
        return core::parse_quantity(text);
      } catch (const core::InputError& error) {
        throw core::InputError(error.problem(), "cost.value", error.fix());
      }
    });
    materials::Cost result;
    result.value = q.value;
    if (q.dimension == core::dim::cost_per_mass) {
      result.basis = materials::CostBasis::per_mass;
    } else if (q.dimension == core::dim::cost_per_volume) {
      result.basis = materials::CostBasis::per_volume;
    } else if (q.dimension == core::dim::cost_per_area) {
      result.basis = materials::CostBasis::per_area;
    } else {
      fail(value->source(), "'" + text + "' is not a price per kg, per volume or per area",
           "cost.value", "write it like \"20 $/kg\", \"43.7 $/L\" or \"1.38 $/m^2\"");
    }
    result.source = string_at(table, "source", "cost.source", true);
    result.estimate = bool_at(table, "estimate", "cost.estimate");
    result.note = string_at(table, "note", "cost.note", false);
    return result;
  }

  Material material(const toml::table& root) const {
    std::vector<std::string> allowed = kTopKeys;
    for (const auto& descriptor : materials::property_descriptors())
      allowed.emplace_back(descriptor.key);
    allowed.emplace_back("cost");
    check_keys(root, allowed, "", "key");

    Material result;
    result.name = string_at(root, "name", "name", true);
    const std::string class_name = string_at(root, "class", "class", true);
    result.material_class = located(root.get("class")->source(), [&] {
      return materials::material_class_from_string(class_name, "class");
    });
    result.formula = string_at(root, "formula", "formula", false);
    result.description = string_at(root, "description", "description", false);
    if (const toml::node* aliases = root.get("aliases")) {
      const toml::array* array = aliases->as_array();
      if (array == nullptr)
        fail(aliases->source(), "must be an array of strings", "aliases",
             "write aliases = [\"NMC811\"]");
      for (const auto& item : *array) {
        if (!item.is_string())
          fail(item.source(), "must be a string", "aliases", "write aliases = [\"NMC811\"]");
        result.aliases.emplace_back(*item.value<std::string>());
      }
    }
    for (const auto& descriptor : materials::property_descriptors()) {
      const toml::node* node = root.get(descriptor.key);
      if (node == nullptr) continue;
      const toml::table* table = node->as_table();
      if (table == nullptr) {
        fail(node->source(), "must be a table", std::string(descriptor.key),
             fmt::format("write {} = {{ value = \"1 {}\", source = \"doi:...\" }}", descriptor.key,
                         descriptor.display_unit));
      }
      result.*descriptor.member = property(*table, descriptor);
    }
    if (const toml::node* node = root.get("cost")) {
      if (!node->is_table())
        fail(node->source(), "must be a table", "cost",
             "write cost = { value = \"20 $/kg\", source = \"...\" }");
      result.cost = cost(*node->as_table());
    }
    // Validation errors name a property key: place them at that key.
    try {
      materials::validate(result);
    } catch (const core::InputError& error) {
      const std::string top = error.key_path().substr(0, error.key_path().find('.'));
      const toml::node* node = top.empty() ? nullptr : root.get(top);
      throw error.at(where(node != nullptr ? node->source() : root.source()));
    }
    return result;
  }

 private:
  fs::path file_;
};

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
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    const auto& begin = error.source().begin;
    throw core::InputError(
        "TOML syntax error: " + std::string(error.description()), {},
        "fix the syntax (strings in double quotes, tables as [name])",
        {file.string(), static_cast<int>(begin.line), static_cast<int>(begin.column)});
  }
  const FileReader reader(file);
  Material material = reader.material(root);
  // The folder names the class; a file in the wrong folder is almost always a copy-paste slip.
  const std::string folder = file.parent_path().filename().string();
  for (const auto c : materials::all_material_classes()) {
    if (folder == materials::to_string(c) && c != material.material_class) {
      throw core::InputError(fmt::format("class '{}' does not match the folder '{}'",
                                         materials::to_string(material.material_class), folder),
                             "class", "move the file or correct the class",
                             reader.where(root.get("class")->source()));
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
