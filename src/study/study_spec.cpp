// Validation of one study input against the schema (docs/input_reference.md) and conversion
// to SI. Every error names the key path, the position and the fix.
#include "cathodelab/study/study_spec.hpp"

#include "cathodelab/core/suggest.hpp"
#include "cathodelab/core/units.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace cathodelab::study {
namespace {

using core::InputError;

// Leaf keys of the schema; "*" matches any one segment (component names); a trailing "**" accepts
// anything below (sections owned by later stages or validated by io).
const std::vector<KeyPath>& schema() {
  static const std::vector<KeyPath> keys = {
      {"study", "name"},
      {"study", "seed"},
      {"study", "replicates"},
      {"study", "replicate"},
      {"study", "description"},
      {"materials", "**"},
      {"cathode", "components", "*", "material"},
      {"cathode", "components", "*", "fraction"},
      {"cathode", "components", "*", "diameter"},
      {"cathode", "components", "*", "coating", "material"},
      {"cathode", "components", "*", "coating", "thickness"},
      {"cathode", "porosity"},
      {"cathode", "areal_loading"},
      {"cathode", "thickness"},
      {"cathode", "area"},
      {"separator", "material"},
      {"separator", "thickness"},
      {"separator", "porosity"},
      {"anode", "material"},
      {"anode", "thickness"},
      {"anode", "np_ratio"},
      {"current_collectors", "positive", "material"},
      {"current_collectors", "positive", "thickness"},
      {"current_collectors", "negative", "material"},
      {"current_collectors", "negative", "thickness"},
      {"cell", "stack_pressure"},
      {"cell", "temperature"},
      {"cell", "nominal_voltage"},
      {"protocol", "**"},
      {"microstructure", "**"},
      {"sweep", "**"},
  };
  return keys;
}

bool segment_matches(const std::string& pattern, const std::string& segment) {
  return pattern == "*" || pattern == "**" || pattern == segment;
}

// Whether `path` is a valid leaf. Otherwise throws the did-you-mean error for the first bad
// segment.
void check_key(const KeyPath& path, const InputValue& value) {
  for (std::size_t depth = 0; depth < path.size(); ++depth) {
    std::vector<std::string> options;
    bool prefix_ok = false;
    for (const auto& pattern : schema()) {
      bool matches = true;
      for (std::size_t i = 0; i < depth && matches; ++i) {
        if (i >= pattern.size()) {
          matches = false;
        } else if (pattern[i] == "**") {
          return;  // free-form below here
        } else {
          matches = segment_matches(pattern[i], path[i]);
        }
      }
      if (!matches || depth >= pattern.size()) continue;
      if (pattern[depth] == "**") return;
      if (segment_matches(pattern[depth], path[depth])) {
        prefix_ok = true;
        if (depth + 1 == path.size() && depth + 1 < pattern.size()) {
          throw InputError("'" + path[depth] + "' is a table, not a value", key_path_text(path),
                           "write it as a section, e.g. [" + key_path_text(path) + "]",
                           value.where);
        }
        if (depth + 1 == path.size()) return;
      }
      if (pattern[depth] != "*" &&
          std::find(options.begin(), options.end(), pattern[depth]) == options.end()) {
        options.push_back(pattern[depth]);
      }
    }
    if (!prefix_ok) {
      throw InputError("unknown key '" + path[depth] + "'", key_path_text(path),
                       core::suggestion_text(path[depth], options), value.where);
    }
  }
}

class Reader {
 public:
  Reader(const InputTree& tree, const MaterialTable& materials)
      : tree_(tree), materials_(materials) {}

  [[nodiscard]] const InputValue* find(const KeyPath& path) const {
    auto it = tree_.find(path);
    return it == tree_.end() ? nullptr : &it->second;
  }

  [[nodiscard]] const InputValue& require(const KeyPath& path, const std::string& example) const {
    const InputValue* value = find(path);
    if (value == nullptr) {
      throw InputError("missing required key", key_path_text(path),
                       "add it, e.g. " + path.back() + " = " + example, section_location(path));
    }
    return *value;
  }

  // The position of the first value in the same table (a missing key has no position of its own).
  [[nodiscard]] core::SourceLocation section_location(const KeyPath& path) const {
    KeyPath parent(path.begin(), path.end() - 1);
    for (const auto& [key, value] : tree_) {
      if (starts_with(key, parent)) return value.where;
    }
    return tree_.empty() ? core::SourceLocation{} : tree_.begin()->second.where;
  }

  [[nodiscard]] std::string text(const KeyPath& path, const InputValue& value,
                                 const std::string& example) const {
    if (value.kind != InputValue::Kind::text) {
      throw InputError("expected a string, got " + value.display(), key_path_text(path),
                       "write it in quotes, e.g. " + path.back() + " = " + example, value.where);
    }
    return value.text;
  }

  [[nodiscard]] double quantity(const KeyPath& path, const InputValue& value,
                                core::Dimension dimension, const std::string& example) const {
    if (value.kind == InputValue::Kind::boolean || value.kind == InputValue::Kind::text_list) {
      throw InputError("expected a value with a unit, got " + value.display(), key_path_text(path),
                       "write e.g. " + path.back() + " = \"" + example + "\"", value.where);
    }
    try {
      const double v = core::parse_quantity_as(value.text, dimension, key_path_text(path), example);
      if (value.kind != InputValue::Kind::text) {
        // A number written without quotes and dimensionless target: fine; dimensional refused
        // above.
        return v;
      }
      return v;
    } catch (const InputError& error) {
      if (value.kind != InputValue::Kind::text && dimension != core::dim::dimensionless) {
        throw InputError("number " + value.text + " without a unit", key_path_text(path),
                         "write the value with its unit as a string, e.g. " + path.back() +
                             " = \"" + example + "\"",
                         value.where);
      }
      throw InputError(error.problem(), key_path_text(path), error.fix(), value.where);
    }
  }

  [[nodiscard]] double positive_quantity(const KeyPath& path, const InputValue& value,
                                         core::Dimension dimension, const std::string& example,
                                         bool allow_zero = false) const {
    const double v = quantity(path, value, dimension, example);
    if (!std::isfinite(v) || v < 0.0 || (!allow_zero && v == 0.0)) {
      throw InputError("must be " + std::string(allow_zero ? "non-negative" : "positive") +
                           ", got '" + value.display() + "'",
                       key_path_text(path), "e.g. " + path.back() + " = \"" + example + "\"",
                       value.where);
    }
    return v;
  }

  // A fraction in [0, max): a plain number (0.3) or a percentage ("30 %").
  [[nodiscard]] double fraction(const KeyPath& path, const InputValue& value, double upper,
                                const std::string& example) const {
    double v = 0.0;
    if (value.kind == InputValue::Kind::integer || value.kind == InputValue::Kind::real) {
      v = value.number;
    } else {
      v = quantity(path, value, core::dim::dimensionless, example);
    }
    if (!std::isfinite(v) || v < 0.0 || v >= upper) {
      throw InputError("fraction " + value.display() + " outside [0, " +
                           (upper == 1.0 ? std::string("1)") : std::to_string(upper) + ")"),
                       key_path_text(path), "e.g. " + path.back() + " = " + example, value.where);
    }
    return v;
  }

  [[nodiscard]] const MaterialData& material(const KeyPath& path, const InputValue& value) const {
    const std::string name = text(path, value, "\"Li6PS5Cl\"");
    auto it = materials_.find(name);
    if (it == materials_.end()) {
      std::vector<std::string> names;
      names.reserve(materials_.size());
      for (const auto& [known, data] : materials_) names.push_back(known);
      try {
        core::throw_unknown("material", name, names, key_path_text(path));
      } catch (const InputError& error) {
        throw InputError(error.problem(), error.key_path(),
                         error.fix() + "; or define it under [materials." + name + "]",
                         value.where);
      }
    }
    return it->second;
  }

 private:
  const InputTree& tree_;
  const MaterialTable& materials_;
};

const KeyPath components_prefix{"cathode", "components"};

ComponentSpec read_component(const Reader& reader, const std::string& key, bool& fraction_given,
                             core::SourceLocation& fraction_where) {
  ComponentSpec component;
  component.key = key;
  const KeyPath base{"cathode", "components", key};
  auto path = [&](std::initializer_list<std::string> tail) {
    KeyPath p = base;
    p.insert(p.end(), tail);
    return p;
  };
  if (const InputValue* material = reader.find(path({"material"}))) {
    component.material = reader.material(path({"material"}), *material).name;
  } else {
    InputValue implicit;
    implicit.text = key;
    implicit.where = reader.section_location(path({"fraction"}));
    component.material = reader.material(path({"material"}), implicit).name;
  }
  const KeyPath fraction_path = path({"fraction"});
  const InputValue& fraction = reader.require(fraction_path, "\"70 wt%\"");
  fraction_where = fraction.where;
  const std::string example = "\"70 wt%\" or \"60 vol%\" or \"balance\"";
  if (fraction.kind != InputValue::Kind::text) {
    throw InputError(
        "fraction " + fraction.display() + " without a basis", key_path_text(fraction_path),
        "write it as a string with wt% or vol%, e.g. fraction = " + example, fraction.where);
  }
  std::string text = fraction.text;
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
  if (text == "balance") {
    component.basis = FractionBasis::balance;
  } else {
    const bool mass = text.size() > 3 && text.ends_with("wt%");
    const bool volume = text.size() > 4 && text.ends_with("vol%");
    if (!mass && !volume) {
      throw InputError("fraction '" + fraction.text + "' has no basis",
                       key_path_text(fraction_path),
                       "write wt% or vol%, e.g. fraction = " + example, fraction.where);
    }
    component.basis = mass ? FractionBasis::mass : FractionBasis::volume;
    component.fraction =
        reader.quantity(fraction_path, fraction, core::dim::dimensionless, "70 wt%");
    if (component.fraction < 0.0 || component.fraction > 1.0) {
      throw InputError("fraction '" + fraction.text + "' outside 0-100 %",
                       key_path_text(fraction_path),
                       "give a share of the solids between 0 and 100 %", fraction.where);
    }
    fraction_given = true;
  }
  if (const InputValue* diameter = reader.find(path({"diameter"}))) {
    component.diameter =
        reader.positive_quantity(path({"diameter"}), *diameter, core::dim::length, "5 um");
  }
  if (const InputValue* coating_material = reader.find(path({"coating", "material"}))) {
    CoatingSpec coating;
    coating.material = reader.material(path({"coating", "material"}), *coating_material).name;
    const InputValue& thickness = reader.require(path({"coating", "thickness"}), "\"5 nm\"");
    coating.thickness = reader.positive_quantity(path({"coating", "thickness"}), thickness,
                                                 core::dim::length, "5 nm");
    if (!component.diameter) {
      throw InputError("a coating needs the particle diameter", key_path_text(path({"diameter"})),
                       "add diameter = \"5 um\" to [cathode.components." + key + "]",
                       coating_material->where);
    }
    component.coating = coating;
  } else if (const InputValue* thickness = reader.find(path({"coating", "thickness"}))) {
    throw InputError("coating thickness without a coating material",
                     key_path_text(path({"coating", "material"})),
                     "add material = \"LiNbO3\" under [cathode.components." + key + ".coating]",
                     thickness->where);
  }
  return component;
}

void resolve_fractions(std::vector<ComponentSpec>& components, const core::SourceLocation& where) {
  std::optional<FractionBasis> basis;
  double sum = 0.0;
  int balances = 0;
  for (const auto& c : components) {
    if (c.basis == FractionBasis::balance) {
      ++balances;
      continue;
    }
    if (basis && *basis != c.basis) {
      throw InputError("components mix wt% and vol%", "cathode.components." + c.key + ".fraction",
                       "give every fraction on the same basis (all wt% or all vol%)", where);
    }
    basis = c.basis;
    sum += c.fraction;
  }
  const std::string name = basis == FractionBasis::volume ? "volume" : "mass";
  constexpr double tolerance = 1e-9;
  if (balances > 1) {
    throw InputError("more than one component is 'balance'", "cathode.components",
                     "give at most one component fraction = \"balance\"", where);
  }
  if (sum > 1.0 + tolerance) {
    throw InputError(
        name + " fractions sum to " + std::to_string(sum) + " (> 1)", "cathode.components",
        "make the component fractions add up to 100 % of the solids (porosity is given "
        "separately as cathode.porosity)",
        where);
  }
  if (balances == 1) {
    for (auto& c : components) {
      if (c.basis == FractionBasis::balance) {
        c.basis = basis.value_or(FractionBasis::mass);
        c.fraction = 1.0 - sum;
      }
    }
  } else if (std::abs(sum - 1.0) > 1e-6) {
    throw InputError(
        name + " fractions sum to " + std::to_string(sum) + ", not 1", "cathode.components",
        "make them add up to 100 % or set one component to fraction = \"balance\"", where);
  }
}

LayerSpec read_layer(const Reader& reader, const KeyPath& base, const std::string& example_material,
                     const std::string& example_thickness, bool with_porosity) {
  LayerSpec layer;
  auto path = [&](const std::string& leaf) {
    KeyPath p = base;
    p.push_back(leaf);
    return p;
  };
  layer.material = reader
                       .material(path("material"),
                                 reader.require(path("material"), "\"" + example_material + "\""))
                       .name;
  layer.thickness = reader.positive_quantity(
      path("thickness"), reader.require(path("thickness"), "\"" + example_thickness + "\""),
      core::dim::length, example_thickness);
  if (with_porosity) {
    if (const InputValue* porosity = reader.find(path("porosity"))) {
      layer.porosity = reader.fraction(path("porosity"), *porosity, 1.0, "0.1");
    }
  }
  return layer;
}

}  // namespace

const std::vector<std::string>& known_sections() {
  static const std::vector<std::string> sections = {
      "study", "materials", "cathode",        "separator", "anode", "current_collectors",
      "cell",  "protocol",  "microstructure", "sweep"};
  return sections;
}

CellDesign resolve_cell(const InputTree& inputs, const MaterialTable& materials) {
  for (const auto& [path, value] : inputs) check_key(path, value);
  const Reader reader(inputs, materials);
  CellDesign cell;

  // Cathode components, in key order (the map order), so the result does not depend on file order.
  std::set<std::string> keys;
  for (const auto& [path, value] : inputs) {
    if (starts_with(path, components_prefix) && path.size() > 2) keys.insert(path[2]);
  }
  if (keys.empty()) {
    throw InputError("no cathode components", "cathode.components",
                     "add e.g. [cathode.components.NCM811] fraction = \"70 wt%\"",
                     reader.section_location({"cathode", "porosity"}));
  }
  core::SourceLocation last_fraction;
  for (const auto& key : keys) {
    bool given = false;
    core::SourceLocation where;
    cell.cathode.components.push_back(read_component(reader, key, given, where));
    if (where.line >= last_fraction.line) last_fraction = where;
  }
  resolve_fractions(cell.cathode.components, last_fraction);
  const bool any_active = std::any_of(
      cell.cathode.components.begin(), cell.cathode.components.end(), [&](const ComponentSpec& c) {
        return materials.at(c.material).role == MaterialRole::active;
      });
  if (!any_active) {
    throw InputError("no active material among the cathode components", "cathode.components",
                     "add a cathode active material such as NCM811", last_fraction);
  }

  const KeyPath porosity_path{"cathode", "porosity"};
  cell.cathode.porosity =
      reader.fraction(porosity_path, reader.require(porosity_path, "0.2"), 1.0, "0.2");
  const InputValue* loading = reader.find({"cathode", "areal_loading"});
  const InputValue* thickness = reader.find({"cathode", "thickness"});
  if ((loading == nullptr) == (thickness == nullptr)) {
    throw InputError(loading ? "both areal_loading and thickness given"
                             : "neither areal_loading nor thickness given",
                     "cathode.areal_loading",
                     "give exactly one: areal_loading = \"12 mg/cm^2\" (active material) or "
                     "thickness = \"60 um\"",
                     loading ? loading->where : reader.section_location(porosity_path));
  }
  if (loading) {
    cell.cathode.areal_loading = reader.positive_quantity({"cathode", "areal_loading"}, *loading,
                                                          core::dim::areal_mass, "12 mg/cm^2");
  } else {
    cell.cathode.thickness =
        reader.positive_quantity({"cathode", "thickness"}, *thickness, core::dim::length, "60 um");
  }
  if (const InputValue* area = reader.find({"cathode", "area"})) {
    cell.cathode.area =
        reader.positive_quantity({"cathode", "area"}, *area, core::dim::area, "1 cm^2");
  }

  cell.separator = read_layer(reader, {"separator"}, "Li6PS5Cl", "30 um", true);

  const KeyPath anode_material{"anode", "material"};
  cell.anode.material =
      reader.material(anode_material, reader.require(anode_material, "\"Li\"")).name;
  const InputValue* anode_thickness = reader.find({"anode", "thickness"});
  const InputValue* np_ratio = reader.find({"anode", "np_ratio"});
  if ((anode_thickness == nullptr) == (np_ratio == nullptr)) {
    throw InputError(
        anode_thickness ? "both thickness and np_ratio given"
                        : "neither thickness nor np_ratio given",
        "anode.thickness",
        "give exactly one: thickness = \"30 um\" or np_ratio = 2.0 (anode/cathode capacity)",
        anode_thickness ? anode_thickness->where : reader.section_location(anode_material));
  }
  if (anode_thickness) {
    cell.anode.thickness = reader.positive_quantity({"anode", "thickness"}, *anode_thickness,
                                                    core::dim::length, "30 um", true);
  } else {
    cell.anode.np_ratio = reader.fraction({"anode", "np_ratio"}, *np_ratio, 1000.0, "2.0");
  }

  if (reader.find({"current_collectors", "positive", "material"}) ||
      reader.find({"current_collectors", "positive", "thickness"})) {
    cell.positive_collector =
        read_layer(reader, {"current_collectors", "positive"}, "Al", "12 um", false);
  }
  if (reader.find({"current_collectors", "negative", "material"}) ||
      reader.find({"current_collectors", "negative", "thickness"})) {
    cell.negative_collector =
        read_layer(reader, {"current_collectors", "negative"}, "Cu", "10 um", false);
  }

  if (const InputValue* pressure = reader.find({"cell", "stack_pressure"})) {
    cell.conditions.stack_pressure = reader.positive_quantity({"cell", "stack_pressure"}, *pressure,
                                                              core::dim::pressure, "5 MPa", true);
  }
  if (const InputValue* temperature = reader.find({"cell", "temperature"})) {
    cell.conditions.temperature = reader.positive_quantity({"cell", "temperature"}, *temperature,
                                                           core::dim::temperature, "25 degC");
  }
  if (const InputValue* voltage = reader.find({"cell", "nominal_voltage"})) {
    cell.conditions.nominal_voltage = reader.positive_quantity(
        {"cell", "nominal_voltage"}, *voltage, core::dim::voltage, "3.7 V");
  }

  if (const InputValue* experiment = reader.find({"protocol", "experiment"})) {
    if (experiment->kind == InputValue::Kind::text) {
      cell.protocol = {experiment->text};
    } else if (experiment->kind == InputValue::Kind::text_list) {
      cell.protocol = experiment->list;
    } else {
      throw InputError("expected a list of sentences", "protocol.experiment",
                       "e.g. experiment = [\"Discharge at C/10 until 2.5 V\", \"Rest for 1 hour\"]",
                       experiment->where);
    }
  }
  cell.protocol_options = subtree(inputs, {"protocol"});
  cell.protocol_options.erase(KeyPath{"experiment"});
  InputTree microstructure = subtree(inputs, {"microstructure"});
  if (!microstructure.empty()) cell.microstructure = std::move(microstructure);
  return cell;
}

}  // namespace cathodelab::study
