// Validation of one study input against the schema (docs/input_reference.md) and conversion
// to SI. Every error names the key path, the position and the fix.
#include "cathodelab/study/study_spec.hpp"

#include "cathodelab/core/suggest.hpp"
#include "cathodelab/core/units.hpp"
#include "cathodelab/echem/experiment.hpp"

#include <fmt/format.h>

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

// Study rules over the one input reader: positive quantities, fractions in a range, and material
// names looked up in the study's material table.
class Reader {
 public:
  Reader(const InputTree& tree, const MaterialTable& materials)
      : in_(tree), materials_(materials) {}

  [[nodiscard]] const core::InputReader& in() const { return in_; }
  [[nodiscard]] const InputValue* find(const KeyPath& path) const { return in_.find(path); }
  [[nodiscard]] const InputValue& require(const KeyPath& path, const std::string& example) const {
    return in_.require(path, example);
  }

  /// A value with its unit that must be positive (or non-negative with `allow_zero`).
  [[nodiscard]] std::optional<double> positive_quantity(const KeyPath& path,
                                                        core::Dimension dimension,
                                                        const std::string& example,
                                                        bool allow_zero = false) const {
    const auto v = in_.quantity(path, dimension, "\"" + example + "\"");
    if (v && (*v < 0.0 || (!allow_zero && *v == 0.0))) {
      in_.fail(path,
               "must be " + std::string(allow_zero ? "non-negative" : "positive") + ", got '" +
                   find(path)->display() + "'",
               "write e.g. " + path.back() + " = \"" + example + "\"");
    }
    return v;
  }
  [[nodiscard]] double required_positive_quantity(const KeyPath& path, core::Dimension dimension,
                                                  const std::string& example,
                                                  bool allow_zero = false) const {
    (void)require(path, "\"" + example + "\"");
    return *positive_quantity(path, dimension, example, allow_zero);
  }

  /// A fraction in [0, upper): a plain number (0.3) or a percentage ("30 %").
  [[nodiscard]] std::optional<double> fraction(const KeyPath& path, double upper,
                                               const std::string& example) const {
    const auto v = in_.number(path, example);
    if (v && (*v < 0.0 || *v >= upper)) {
      in_.fail(path,
               "fraction " + find(path)->display() + " outside [0, " +
                   (upper == 1.0 ? std::string("1)") : fmt::format("{})", upper)),
               "write e.g. " + path.back() + " = " + example);
    }
    return v;
  }

  /// The material named at `path` (a string).
  [[nodiscard]] const MaterialData& material(const KeyPath& path,
                                             const std::string& example) const {
    (void)require(path, example);
    return named_material(path, *in_.text(path, example));
  }
  /// The material `name`, named by the key at `path` (which may be implicit).
  [[nodiscard]] const MaterialData& named_material(const KeyPath& path,
                                                   const std::string& name) const {
    auto it = materials_.find(name);
    if (it == materials_.end()) {
      std::vector<std::string> names;
      names.reserve(materials_.size());
      for (const auto& [known, data] : materials_) names.push_back(known);
      in_.fail(
          path, "unknown material '" + name + "'",
          core::suggestion_text(name, names) + "; or define it under [materials." + name + "]");
    }
    return it->second;
  }

 private:
  core::InputReader in_;
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
  component.material = reader.find(path({"material"}))
                           ? reader.material(path({"material"}), "\"NCM811\"").name
                           : reader.named_material(path({"material"}), key).name;
  const KeyPath fraction_path = path({"fraction"});
  const InputValue& fraction = reader.require(fraction_path, "\"70 wt%\"");
  fraction_where = fraction.where;
  const std::string example = "\"70 wt%\" or \"60 vol%\" or \"balance\"";
  if (fraction.kind != InputValue::Kind::text) {
    reader.in().fail(fraction_path, "fraction " + fraction.display() + " without a basis",
                     "write it as a string with wt% or vol%, e.g. fraction = " + example);
  }
  std::string text = fraction.text;
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
  if (text == "balance") {
    component.basis = FractionBasis::balance;
  } else {
    const bool mass = text.size() > 3 && text.ends_with("wt%");
    const bool volume = text.size() > 4 && text.ends_with("vol%");
    if (!mass && !volume) {
      reader.in().fail(fraction_path, "fraction '" + fraction.text + "' has no basis",
                       "write wt% or vol%, e.g. fraction = " + example);
    }
    component.basis = mass ? FractionBasis::mass : FractionBasis::volume;
    component.fraction = *reader.in().number(fraction_path, "\"70 wt%\"");
    if (component.fraction < 0.0 || component.fraction > 1.0) {
      reader.in().fail(fraction_path, "fraction '" + fraction.text + "' outside 0-100 %",
                       "give a share of the solids between 0 and 100 %");
    }
    fraction_given = true;
  }
  component.diameter = reader.positive_quantity(path({"diameter"}), core::dim::length, "5 um");
  if (const InputValue* coating_material = reader.find(path({"coating", "material"}))) {
    CoatingSpec coating;
    coating.material = reader.material(path({"coating", "material"}), "\"LiNbO3\"").name;
    coating.thickness = reader.required_positive_quantity(path({"coating", "thickness"}),
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
  layer.material = reader.material(path("material"), "\"" + example_material + "\"").name;
  layer.thickness =
      reader.required_positive_quantity(path("thickness"), core::dim::length, example_thickness);
  if (with_porosity) {
    layer.porosity = reader.fraction(path("porosity"), 1.0, "0.1").value_or(layer.porosity);
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
  const Reader reader(inputs, materials);
  reader.in().refuse_unknown(schema());
  CellDesign cell;

  // Cathode components, in key order (the map order), so the result does not depend on file order.
  std::set<std::string> keys;
  for (const auto& [path, value] : inputs) {
    if (starts_with(path, components_prefix) && path.size() > 2) keys.insert(path[2]);
  }
  if (keys.empty()) {
    throw InputError("no cathode components", "cathode.components",
                     "add e.g. [cathode.components.NCM811] fraction = \"70 wt%\"",
                     reader.in().where({"cathode"}));
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
  (void)reader.require(porosity_path, "0.2");
  cell.cathode.porosity = *reader.fraction(porosity_path, 1.0, "0.2");
  const InputValue* loading = reader.find({"cathode", "areal_loading"});
  const InputValue* thickness = reader.find({"cathode", "thickness"});
  if ((loading == nullptr) == (thickness == nullptr)) {
    throw InputError(loading ? "both areal_loading and thickness given"
                             : "neither areal_loading nor thickness given",
                     "cathode.areal_loading",
                     "give exactly one: areal_loading = \"12 mg/cm^2\" (active material) or "
                     "thickness = \"60 um\"",
                     loading ? loading->where : reader.in().where({"cathode"}));
  }
  if (loading) {
    cell.cathode.areal_loading =
        reader.positive_quantity({"cathode", "areal_loading"}, core::dim::areal_mass, "12 mg/cm^2");
  } else {
    cell.cathode.thickness =
        reader.positive_quantity({"cathode", "thickness"}, core::dim::length, "60 um");
  }
  if (const auto area = reader.positive_quantity({"cathode", "area"}, core::dim::area, "1 cm^2")) {
    cell.cathode.area = *area;
  }

  cell.separator = read_layer(reader, {"separator"}, "Li6PS5Cl", "30 um", true);

  const KeyPath anode_material{"anode", "material"};
  cell.anode.material = reader.material(anode_material, "\"Li\"").name;
  const InputValue* anode_thickness = reader.find({"anode", "thickness"});
  const InputValue* np_ratio = reader.find({"anode", "np_ratio"});
  if ((anode_thickness == nullptr) == (np_ratio == nullptr)) {
    throw InputError(
        anode_thickness ? "both thickness and np_ratio given"
                        : "neither thickness nor np_ratio given",
        "anode.thickness",
        "give exactly one: thickness = \"30 um\" or np_ratio = 2.0 (anode/cathode capacity)",
        anode_thickness ? anode_thickness->where : reader.in().where(anode_material));
  }
  if (anode_thickness) {
    cell.anode.thickness =
        reader.positive_quantity({"anode", "thickness"}, core::dim::length, "30 um", true);
  } else {
    cell.anode.np_ratio = reader.fraction({"anode", "np_ratio"}, 1000.0, "2.0");
  }

  if (reader.in().has({"current_collectors", "positive"})) {
    cell.positive_collector =
        read_layer(reader, {"current_collectors", "positive"}, "Al", "12 um", false);
  }
  if (reader.in().has({"current_collectors", "negative"})) {
    cell.negative_collector =
        read_layer(reader, {"current_collectors", "negative"}, "Cu", "10 um", false);
  }

  cell.conditions.stack_pressure =
      reader.positive_quantity({"cell", "stack_pressure"}, core::dim::pressure, "5 MPa", true)
          .value_or(cell.conditions.stack_pressure);
  cell.conditions.temperature =
      reader.positive_quantity({"cell", "temperature"}, core::dim::temperature, "25 degC")
          .value_or(cell.conditions.temperature);
  cell.conditions.nominal_voltage =
      reader.positive_quantity({"cell", "nominal_voltage"}, core::dim::voltage, "3.7 V");

  if (const auto section = reader.in().optional_section({"protocol"})) {
    cell.protocol = resolve_protocol(*section);
  }
  // The [microstructure] section as written, with its full key paths and positions: its typed
  // spec needs the design calculator's numbers and is resolved with them (generation_spec).
  InputTree microstructure;
  for (auto it = inputs.lower_bound({"microstructure"});
       it != inputs.end() && starts_with(it->first, {"microstructure"}); ++it) {
    microstructure.insert(*it);
  }
  if (!microstructure.empty()) cell.microstructure = std::move(microstructure);
  return cell;
}

ProtocolSpec resolve_protocol(const core::InputReader& section) {
  section.refuse_unknown({{"experiment"},
                          {"rate_test"},
                          {"rate_test_cutoff"},
                          {"exchange_current_density"},
                          {"lithium_exchange_current_density"},
                          {"initial_state_of_charge"},
                          {"lower_voltage_limit"},
                          {"upper_voltage_limit"}});
  ProtocolSpec p;
  p.sentences =
      section.text_list({"experiment"}, "[\"Discharge at C/10 until 2.5 V\", \"Rest for 1 hour\"]")
          .value_or(std::vector<std::string>{});
  p.experiment = section.located({"experiment"}, [&] {
    try {
      return echem::parse_experiment(p.sentences);
    } catch (const InputError& e) {
      throw e.key_path().empty() ? e.under(section.key_text({"experiment"})) : e;
    }
  });
  p.rate_test_cutoff = section.quantity({"rate_test_cutoff"}, core::dim::voltage, "\"2.5 V\"")
                           .value_or(p.rate_test_cutoff);
  const auto rates = section.text_list({"rate_test"}, "[\"C/10\", \"1C\", \"5C\"]");
  for (const std::string& rate : rates.value_or(std::vector<std::string>{})) {
    const double c_rate = section.located(
        {"rate_test"}, [&] { return core::parse_c_rate(rate, section.key_text({"rate_test"})); });
    if (!(c_rate > 0.0)) section.fail({"rate_test"}, "a rate must be positive", "e.g. \"1C\"");
    const std::string sentence =
        fmt::format("Discharge at {} until {} V", rate, p.rate_test_cutoff);
    p.rate_test.push_back({rate, c_rate, section.located({"rate_test"}, [&] {
                             return echem::parse_experiment(sentence);
                           })});
  }
  CellModelOptions& o = p.cell_model;
  o.exchange_current_density =
      section.quantity({"exchange_current_density"}, core::dim::current_density, "\"1 A/m^2\"")
          .value_or(o.exchange_current_density);
  o.lithium_exchange_current_density = section
                                           .quantity({"lithium_exchange_current_density"},
                                                     core::dim::current_density, "\"10 A/m^2\"")
                                           .value_or(o.lithium_exchange_current_density);
  o.initial_state_of_charge =
      section.number({"initial_state_of_charge"}, "1").value_or(o.initial_state_of_charge);
  o.lower_voltage_limit = section.quantity({"lower_voltage_limit"}, core::dim::voltage, "\"2.0 V\"")
                              .value_or(o.lower_voltage_limit);
  o.upper_voltage_limit = section.quantity({"upper_voltage_limit"}, core::dim::voltage, "\"4.6 V\"")
                              .value_or(o.upper_voltage_limit);
  return p;
}

}  // namespace cathodelab::study
