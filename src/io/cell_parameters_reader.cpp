// TOML and BPX readers for echem::CellParameters (see cell_parameters_reader.hpp).
#include "cathodelab/io/cell_parameters_reader.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/suggest.hpp"
#include "cathodelab/core/units.hpp"
#include "cathodelab/echem/expression.hpp"
#include "toml_util.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

namespace cathodelab::io {
namespace {

using echem::Expression;
using echem::Function1;
using echem::Function2;
using echem::MonotoneTable;

// ---------------------------------------------------------------- TOML

class TomlReader {
 public:
  TomlReader(const toml::table& table, std::string file, std::string path)
      : table_(table), file_(std::move(file)), path_(std::move(path)) {}

  [[nodiscard]] std::string key(const std::string& k) const {
    return path_.empty() ? k : path_ + "." + k;
  }
  [[nodiscard]] core::SourceLocation where(const std::string& k) const {
    const auto* node = table_.get(k);
    return node != nullptr ? detail::location(file_, *node) : detail::location(file_, table_);
  }
  [[noreturn]] void fail(const std::string& k, const std::string& problem,
                         const std::string& fix) const {
    throw core::InputError(problem, key(k), fix, where(k));
  }

  /// Refuses keys not in `allowed` with a did-you-mean.
  void allow_only(std::vector<std::string> allowed) const {
    for (const auto& [k, node] : table_) {
      const std::string name(k.str());
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        try {
          core::throw_unknown("key", name, allowed, key(name));
        } catch (const core::InputError& e) {
          throw e.at(detail::location(file_, node));
        }
      }
    }
  }

  [[nodiscard]] bool has(const std::string& k) const { return table_.contains(k); }

  [[nodiscard]] TomlReader sub(const std::string& k) const {
    const auto* t = table_.get_as<toml::table>(k);
    if (t == nullptr) fail(k, "missing table", fmt::format("add a [{}] section", key(k)));
    return {*t, file_, key(k)};
  }

  [[nodiscard]] std::string text(const std::string& k, const std::string& fallback) const {
    const auto* node = table_.get(k);
    if (node == nullptr) return fallback;
    if (const auto* s = node->as_string()) return s->get();
    fail(k, "must be a string", "write it in double quotes");
  }

  [[nodiscard]] double quantity(const std::string& k, core::Dimension dim,
                                const std::string& example,
                                std::optional<double> fallback = std::nullopt) const {
    const auto* node = table_.get(k);
    if (node == nullptr) {
      if (fallback) return *fallback;
      fail(k, "missing value", "add e.g. " + k + " = \"" + example + "\"");
    }
    std::string text;
    if (const auto* s = node->as_string()) {
      text = s->get();
    } else if (node->is_number()) {
      text = fmt::format("{}", node->value<double>().value_or(0.0));
    } else {
      fail(k, "must be a quantity string", "write e.g. \"" + example + "\"");
    }
    try {
      return core::parse_quantity_as(text, dim, key(k), example);
    } catch (const core::InputError& e) {
      throw e.at(where(k));
    }
  }

  [[nodiscard]] double number(const std::string& k,
                              std::optional<double> fallback = std::nullopt) const {
    const auto* node = table_.get(k);
    if (node == nullptr) {
      if (fallback) return *fallback;
      fail(k, "missing value", "add e.g. " + k + " = 0.3");
    }
    if (node->is_number()) {
      const double value = node->value<double>().value_or(0.0);
      if (!std::isfinite(value))
        fail(k, fmt::format("must be finite, got {}", value), "write e.g. 0.3");
      return value;
    }
    if (const auto* s = node->as_string()) {
      try {
        return core::parse_quantity_as(s->get(), core::dim::dimensionless, key(k), "0.3");
      } catch (const core::InputError& e) {
        throw e.at(where(k));
      }
    }
    fail(k, "must be a number", "write e.g. 0.3");
  }

  /// A transport factor (effective / bulk electrolyte transport) written in the file: it must lie
  /// in (0, 1]; only an absent key selects the Bruggeman estimate.
  [[nodiscard]] double transport_factor(const std::string& k) const {
    const double value = number(k);
    if (!(value > 0.0 && value <= 1.0)) {
      fail(k, fmt::format("must lie in (0, 1], got {}", value),
           "give the effective/bulk transport ratio, e.g. 0.2, or leave the key out to use "
           "Bruggeman (bruggeman_exponent)");
    }
    return value;
  }

  [[nodiscard]] int integer(const std::string& k, int fallback) const {
    const auto* node = table_.get(k);
    if (node == nullptr) return fallback;
    if (const auto* v = node->as_integer()) return static_cast<int>(v->get());
    fail(k, "must be an integer", "write e.g. 20");
  }

  [[nodiscard]] std::vector<double> numbers(const toml::array& array, const std::string& k) const {
    std::vector<double> out;
    for (const auto& item : array) {
      if (!item.is_number()) fail(k, "table entries must be numbers", "write e.g. [0.1, 0.2]");
      const double value = item.value<double>().value_or(0.0);
      if (!std::isfinite(value)) {
        throw core::InputError(fmt::format("table entries must be finite, got {}", value), key(k),
                               "write e.g. [0.1, 0.2]", detail::location(file_, item));
      }
      out.push_back(value);
    }
    return out;
  }

  /// A function of one variable (x) or two (x, T): a quantity string (constant), or a table
  /// { expression = "...", unit = "V" } or { x = [...], y = [...], unit = "V" }.
  struct FunctionSpec {
    std::optional<double> constant;
    std::optional<Expression> expression;
    std::optional<MonotoneTable> table;
    double factor = 1.0;
  };
  [[nodiscard]] FunctionSpec function(const std::string& k, core::Dimension dim,
                                      const std::string& example,
                                      std::vector<std::string> variables,
                                      std::optional<double> fallback = std::nullopt) const {
    FunctionSpec spec;
    const auto* node = table_.get(k);
    if (node == nullptr || !node->is_table()) {
      if (node == nullptr && fallback) {
        spec.constant = *fallback;
        return spec;
      }
      spec.constant = dim == core::dim::dimensionless ? number(k) : quantity(k, dim, example);
      return spec;
    }
    const TomlReader f(*node->as_table(), file_, key(k));
    f.allow_only({"expression", "x", "y", "unit"});
    const std::string unit = f.text("unit", "");
    if (dim != core::dim::dimensionless || !unit.empty()) {
      try {
        spec.factor = core::parse_quantity_as("1 " + unit, dim, f.key("unit"), example);
      } catch (const core::InputError& e) {
        throw e.at(f.where("unit"));
      }
    }
    if (f.has("expression")) {
      try {
        spec.expression =
            Expression::parse(f.text("expression", ""), variables, f.key("expression"));
      } catch (const core::InputError& e) {
        throw e.at(f.where("expression"));
      }
    } else if (f.has("x") && f.has("y")) {
      const auto* xs = f.table_.get_as<toml::array>("x");
      const auto* ys = f.table_.get_as<toml::array>("y");
      if (xs == nullptr || ys == nullptr)
        f.fail("x", "x and y must be arrays", "write x = [0.1, 0.2]");
      try {
        spec.table.emplace(f.numbers(*xs, "x"), f.numbers(*ys, "y"), f.key("x"));
      } catch (const core::InputError& e) {
        throw e.at(f.where("x"));
      }
    } else {
      f.fail("expression", "a function needs 'expression' or tables 'x' and 'y'",
             "write e.g. { expression = \"4.2 - 0.5*x\", unit = \"V\" }");
    }
    return spec;
  }

  const toml::table& table_;
  std::string file_;
  std::string path_;
};

Function1 to_function1(TomlReader::FunctionSpec spec, const std::string& description) {
  if (spec.constant) return Function1(*spec.constant);
  const double factor = spec.factor;
  if (spec.table) {
    const double lo = spec.table->front();
    const double hi = spec.table->back();
    Function1 f([t = *spec.table, factor](double x) { return factor * t(x); },
                description + " (table)");
    f.set_domain(lo, hi);
    return f;
  }
  const auto& e = *spec.expression;
  const std::size_t n = e.variables().size();
  return Function1(
      [e = *spec.expression, factor, n](double x) {
        const double v[3] = {x, x, 298.15};
        return factor * e(std::span<const double>(v, n));
      },
      e.text());
}

Function2 to_function2(TomlReader::FunctionSpec spec, const std::string& description) {
  if (spec.constant) return Function2(*spec.constant);
  const double factor = spec.factor;
  if (spec.table) {
    const double lo = spec.table->front();
    const double hi = spec.table->back();
    Function2 f([t = *spec.table, factor](double x, double) { return factor * t(x); },
                description + " (table)");
    f.set_domain(lo, hi);  // the simulation stops when a particle surface leaves the table
    return f;
  }
  return Function2(
      [e = *spec.expression, factor](double x, double temperature) {
        const double v[3] = {x, x, temperature};
        return factor * e(std::span<const double>(v, 3));
      },
      spec.expression->text());
}

echem::ActiveMaterial read_material(const TomlReader& r, double c_e0) {
  r.allow_only({"name", "source", "max_concentration", "ocp", "diffusivity",
                "diffusivity_activation_energy", "exchange_current_coefficient",
                "exchange_current_density", "kinetics_activation_energy", "alpha_anodic",
                "alpha_cathodic", "density", "min_stoichiometry", "max_stoichiometry"});
  echem::ActiveMaterial m;
  m.name = r.text("name", "active material");
  m.max_concentration = r.quantity("max_concentration", core::dim::concentration, "51765 mol/m^3");
  auto ocp = r.function("ocp", core::dim::voltage, "3.9 V", {"x", "sto"});
  if (ocp.table) {
    if (ocp.table->monotonicity() >= 0) {
      r.fail("ocp", "the OCP table must decrease with stoichiometry (non-monotone or increasing)",
             "check the table order: y must fall as x (the lithium fraction) rises");
    }
    m.min_stoichiometry = std::max(0.0, ocp.table->front());
    m.max_stoichiometry = std::min(1.0, ocp.table->back());
  }
  m.open_circuit_potential = to_function1(std::move(ocp), "OCP");
  m.diffusivity = to_function2(
      r.function("diffusivity", core::dim::diffusivity, "1e-14 m^2/s", {"x", "sto", "T"}),
      "solid diffusivity");
  const core::Dimension molar_energy = core::dim::molar_energy;
  m.diffusivity_activation_energy =
      r.quantity("diffusivity_activation_energy", molar_energy, "30 kJ/mol", 0.0);
  m.kinetics_activation_energy =
      r.quantity("kinetics_activation_energy", molar_energy, "30 kJ/mol", 0.0);
  m.alpha_anodic = r.number("alpha_anodic", 0.5);
  m.alpha_cathodic = r.number("alpha_cathodic", 0.5);
  m.density = r.quantity("density", core::dim::density, "4800 kg/m^3", 4800.0);
  if (r.has("min_stoichiometry")) m.min_stoichiometry = r.number("min_stoichiometry");
  if (r.has("max_stoichiometry")) m.max_stoichiometry = r.number("max_stoichiometry");
  if (r.has("exchange_current_coefficient")) {
    // PyBaMM's m_ref [A/m^2 (m^3/mol)^(2 alpha_a + alpha_c)]: the key name carries the unit.
    m.exchange_current_coefficient = r.number("exchange_current_coefficient");
  } else {
    // i0 at c_e0 and half filling: m = i0 / (c_e0^aa (c_max/2)^(ac + aa)).
    const double i0 = r.quantity("exchange_current_density", core::dim::current_density, "1 A/m^2");
    const double half = 0.5 * m.max_concentration;
    m.exchange_current_coefficient =
        i0 / (std::pow(c_e0, m.alpha_anodic) * std::pow(half, m.alpha_cathodic + m.alpha_anodic));
  }
  return m;
}

echem::PorousElectrode read_electrode(const TomlReader& r, double c_e0) {
  r.allow_only({"model", "thickness", "porosity", "particles", "radius", "active_volume_fraction",
                "utilizable_fraction", "ionic_transport_factor", "bruggeman_exponent",
                "electronic_conductivity", "bulk_electronic_conductivity",
                "solid_bruggeman_exponent", "active_area", "film_resistance",
                "double_layer_capacitance", "initial_stoichiometry", "material"});
  echem::PorousElectrode e;
  e.thickness = r.quantity("thickness", core::dim::length, "60 um");
  if (!(e.thickness > 0.0))
    r.fail("thickness", fmt::format("thickness must be positive, got {} m", e.thickness),
           "give e.g. \"60 um\"");
  e.porosity = r.number("porosity");
  e.particles.clear();
  if (const auto* list = r.table_.get_as<toml::array>("particles")) {
    for (std::size_t k = 0; k < list->size(); ++k) {
      const auto* t = list->get(k)->as_table();
      if (t == nullptr)
        r.fail("particles", "each particle class is a table",
               "write { radius = \"5 um\", volume_fraction = 0.6 }");
      const TomlReader pr(*t, r.file_, r.key(fmt::format("particles[{}]", k)));
      pr.allow_only({"radius", "volume_fraction"});
      e.particles.push_back(
          {pr.quantity("radius", core::dim::length, "5 um"), pr.number("volume_fraction")});
    }
  } else {
    e.particles.push_back(
        {r.quantity("radius", core::dim::length, "5 um"), r.number("active_volume_fraction")});
  }
  e.utilizable_fraction = r.number("utilizable_fraction", 1.0);
  if (r.has("ionic_transport_factor")) {
    e.ionic_transport_factor = r.transport_factor("ionic_transport_factor");
  } else {
    e.ionic_transport_factor = std::pow(e.porosity, r.number("bruggeman_exponent", 1.5));
  }
  if (r.has("electronic_conductivity")) {
    e.electronic_conductivity =
        r.quantity("electronic_conductivity", core::dim::conductivity, "10 S/m");
  } else {
    const double bulk =
        r.quantity("bulk_electronic_conductivity", core::dim::conductivity, "100 S/m");
    e.electronic_conductivity =
        bulk * std::pow(1.0 - e.porosity, r.number("solid_bruggeman_exponent", 1.5));
  }
  e.active_area = r.quantity("active_area", core::dim::specific_area, "1e5 1/m", -1.0);
  e.film_resistance = r.quantity("film_resistance", core::dim::area_resistance, "10 Ohm*cm^2", 0.0);
  e.double_layer_capacitance =
      r.quantity("double_layer_capacitance", core::dim::capacitance_per_area, "0.2 F/m^2", 0.0);
  e.initial_stoichiometry = r.number("initial_stoichiometry");
  e.material = read_material(r.sub("material"), c_e0);
  return e;
}

echem::CellParameters read_toml(const toml::table& root, const std::string& file) {
  const TomlReader r(root, file, "");
  r.allow_only({"name", "source", "references", "description", "temperature",
                "reference_temperature", "area", "contact_resistance", "nominal_capacity",
                "lower_voltage_limit", "upper_voltage_limit", "electrolyte", "negative",
                "separator", "positive"});
  echem::CellParameters p;
  p.name = r.text("name", "cell");
  p.temperature = r.quantity("temperature", core::dim::temperature, "25 degC", 298.15);
  p.reference_temperature =
      r.quantity("reference_temperature", core::dim::temperature, "25 degC", 298.15);
  p.area = r.quantity("area", core::dim::area, "1 cm^2");
  p.contact_resistance =
      r.quantity("contact_resistance", core::dim::area_resistance, "0 Ohm*m^2", 0.0);
  p.nominal_capacity =
      r.quantity("nominal_capacity", core::dim::charge, "5 mA*h", -3600.0) / 3600.0;
  p.lower_voltage_limit = r.quantity("lower_voltage_limit", core::dim::voltage, "2.5 V");
  p.upper_voltage_limit = r.quantity("upper_voltage_limit", core::dim::voltage, "4.3 V");

  const TomlReader el = r.sub("electrolyte");
  el.allow_only({"model", "name", "source", "initial_concentration", "conductivity", "diffusivity",
                 "transference_number", "thermodynamic_factor", "conductivity_activation_energy",
                 "diffusivity_activation_energy"});
  const std::string model = el.text("model", "single_ion");
  const std::vector<std::string> models{"single_ion", "binary"};
  if (std::find(models.begin(), models.end(), model) == models.end()) {
    try {
      core::throw_unknown("electrolyte model", model, models, el.key("model"));
    } catch (const core::InputError& e) {
      throw e.at(el.where("model"));
    }
  }
  auto& e = p.electrolyte;
  e.model =
      model == "binary" ? echem::ElectrolyteModel::binary : echem::ElectrolyteModel::single_ion;
  e.initial_concentration =
      el.quantity("initial_concentration", core::dim::concentration, "1000 mol/m^3");
  const std::vector<std::string> ce_vars{"c_e", "c", "T"};
  e.conductivity = to_function2(
      el.function("conductivity", core::dim::conductivity, "0.3 S/m", ce_vars), "conductivity");
  e.diffusivity = to_function2(
      el.function("diffusivity", core::dim::diffusivity, "3e-10 m^2/s", ce_vars, 1e-10),
      "diffusivity");
  e.transference_number = to_function2(
      el.function("transference_number", core::dim::dimensionless, "0.4", ce_vars, 1.0), "t+");
  e.thermodynamic_factor = to_function2(
      el.function("thermodynamic_factor", core::dim::dimensionless, "1", ce_vars, 1.0), "TDF");
  e.conductivity_activation_energy =
      el.quantity("conductivity_activation_energy", core::dim::molar_energy, "30 kJ/mol", 0.0);
  e.diffusivity_activation_energy =
      el.quantity("diffusivity_activation_energy", core::dim::molar_energy, "30 kJ/mol", 0.0);

  const TomlReader neg = r.sub("negative");
  const std::string neg_model = neg.text("model", "lithium_metal");
  const std::vector<std::string> neg_models{"lithium_metal", "porous"};
  if (std::find(neg_models.begin(), neg_models.end(), neg_model) == neg_models.end()) {
    try {
      core::throw_unknown("negative electrode model", neg_model, neg_models, neg.key("model"));
    } catch (const core::InputError& err) {
      throw err.at(neg.where("model"));
    }
  }
  if (neg_model == "porous") {
    p.negative_model = echem::NegativeElectrodeModel::porous;
    p.negative = read_electrode(neg, e.initial_concentration);
  } else {
    p.negative_model = echem::NegativeElectrodeModel::lithium_metal;
    neg.allow_only({"model", "exchange_current_density", "kinetics_activation_energy",
                    "alpha_anodic", "alpha_cathodic", "film_resistance", "double_layer_capacitance",
                    "source"});
    auto& li = p.lithium;
    li.exchange_current_density =
        neg.quantity("exchange_current_density", core::dim::current_density, "10 A/m^2");
    li.kinetics_activation_energy =
        neg.quantity("kinetics_activation_energy", core::dim::molar_energy, "30 kJ/mol", 0.0);
    li.alpha_anodic = neg.number("alpha_anodic", 0.5);
    li.alpha_cathodic = neg.number("alpha_cathodic", 0.5);
    li.film_resistance =
        neg.quantity("film_resistance", core::dim::area_resistance, "10 Ohm*cm^2", 0.0);
    li.double_layer_capacitance =
        neg.quantity("double_layer_capacitance", core::dim::capacitance_per_area, "0.2 F/m^2", 0.0);
  }
  const TomlReader sep = r.sub("separator");
  sep.allow_only(
      {"thickness", "porosity", "ionic_transport_factor", "bruggeman_exponent", "source"});
  p.separator.thickness = sep.quantity("thickness", core::dim::length, "25 um");
  if (!(p.separator.thickness > 0.0))
    sep.fail("thickness",
             fmt::format("thickness must be positive, got {} m", p.separator.thickness),
             "give e.g. \"25 um\"");
  p.separator.porosity = sep.number("porosity", 1.0);
  p.separator.ionic_transport_factor =
      sep.has("ionic_transport_factor")
          ? sep.transport_factor("ionic_transport_factor")
          : std::pow(p.separator.porosity, sep.number("bruggeman_exponent", 1.5));
  p.positive = read_electrode(r.sub("positive"), e.initial_concentration);
  try {
    echem::validate(p);
  } catch (const core::InputError& err) {
    throw err.at({file, 0, 0});
  }
  return p;
}

// ---------------------------------------------------------------- BPX JSON

using nlohmann::json;

class BpxReader {
 public:
  BpxReader(const json& j, std::string path) : j_(j), path_(std::move(path)) {}
  [[noreturn]] void fail(const std::string& k, const std::string& problem,
                         const std::string& fix) const {
    throw core::InputError(problem, path_ + "." + k, fix);
  }
  [[nodiscard]] bool has(const std::string& k) const { return j_.contains(k); }
  [[nodiscard]] BpxReader sub(const std::string& k) const {
    if (!j_.contains(k) || !j_[k].is_object()) fail(k, "missing object", "see the BPX schema");
    return {j_[k], path_ + "." + k};
  }
  [[nodiscard]] double number(const std::string& k,
                              std::optional<double> fallback = std::nullopt) const {
    if (!j_.contains(k)) {
      if (fallback) return *fallback;
      fail(k, "missing value", "see the BPX schema");
    }
    if (!j_[k].is_number()) fail(k, "must be a number", "write a JSON number");
    return j_[k].get<double>();
  }
  /// "Transport efficiency": effective / bulk electrolyte transport, in (0, 1].
  [[nodiscard]] double transport_factor(const std::string& k) const {
    const double value = number(k);
    if (!(value > 0.0 && value <= 1.0)) {
      fail(k, fmt::format("must lie in (0, 1], got {}", value),
           "give the effective/bulk transport ratio, e.g. 0.2");
    }
    return value;
  }
  /// The x or y column of a table: an array of numbers.
  [[nodiscard]] std::vector<double> column(const json& table, const std::string& k,
                                           const char* axis) const {
    const json& v = table[axis];
    const bool numbers = v.is_array() && std::all_of(v.begin(), v.end(), [](const json& item) {
                           return item.is_number();
                         });
    if (!numbers) {
      fail(k + "." + axis, "must be an array of numbers", "write e.g. [0.1, 0.5, 0.9]");
    }
    return v.get<std::vector<double>>();
  }
  [[nodiscard]] MonotoneTable table(const std::string& k) const {
    const json& v = j_[k];
    return MonotoneTable(column(v, k, "x"), column(v, k, "y"), path_ + "." + k);
  }
  /// A BPX function: a number, an expression string in x (and T), or {"x": [...], "y": [...]}.
  [[nodiscard]] Function2 function2(const std::string& k, std::vector<std::string> vars) const {
    if (!j_.contains(k)) fail(k, "missing value", "see the BPX schema");
    const json& v = j_[k];
    if (v.is_number()) return Function2(v.get<double>());
    if (v.is_string()) {
      const auto e = Expression::parse(v.get<std::string>(), vars, path_ + "." + k);
      return Function2(
          [e](double x, double t) {
            const double a[2] = {x, t};
            return e(std::span<const double>(a, e.variables().size()));
          },
          e.text());
    }
    if (v.is_object() && v.contains("x") && v.contains("y")) {
      const MonotoneTable t = table(k);
      return Function2([t](double x, double) { return t(x); }, "table");
    }
    fail(k, "must be a number, an expression string or a table {x, y}", "see the BPX schema");
  }
  [[nodiscard]] Function1 function1(const std::string& k, double& lo, double& hi) const {
    if (!j_.contains(k)) fail(k, "missing value", "see the BPX schema");
    const json& v = j_[k];
    if (v.is_object() && v.contains("x") && v.contains("y")) {
      const MonotoneTable t = table(k);
      if (t.monotonicity() >= 0)
        fail(k, "the OCP table must decrease with stoichiometry", "check the table order");
      lo = std::max(lo, t.front());
      hi = std::min(hi, t.back());
      Function1 f(t, "table");
      return f;
    }
    const Function2 f2 = function2(k, {"x"});
    return Function1([f2](double x) { return f2(x, 298.15); }, f2.description());
  }
  const json& j_;
  std::string path_;
};

echem::CellParameters read_bpx(const json& root) {
  if (!root.contains("Parameterisation")) {
    throw core::InputError("not a BPX file: no \"Parameterisation\" object", "Parameterisation",
                           "give a BPX JSON file (Header + Parameterisation)");
  }
  const BpxReader par(root["Parameterisation"], "Parameterisation");
  const BpxReader cell = par.sub("Cell");
  echem::CellParameters p;
  p.name = "BPX cell";
  if (root.contains("Header") && root["Header"].contains("Title")) {
    const json& title = root["Header"]["Title"];
    if (!title.is_string()) {
      throw core::InputError("must be a string", "Header.Title", "write the title in quotes");
    }
    p.name = title.get<std::string>();
  }
  // BPX 1.0 keeps initial conditions under "State"; 0.x had them in Cell and Electrolyte.
  const json* initial = nullptr;
  if (root.contains("State") && root["State"].contains("Initial conditions")) {
    initial = &root["State"]["Initial conditions"];
  }
  auto initial_value = [&](const char* key, double fallback) {
    return initial != nullptr && initial->contains(key) && (*initial)[key].is_number()
               ? (*initial)[key].get<double>()
               : fallback;
  };
  p.temperature =
      initial_value("Initial temperature [K]", cell.number("Initial temperature [K]", 298.15));
  p.reference_temperature = cell.number("Reference temperature [K]", 298.15);
  p.area = cell.number("Electrode area [m2]") *
           cell.number("Number of electrode pairs connected in parallel to make a cell", 1.0);
  p.nominal_capacity = cell.number("Nominal cell capacity [A.h]", -1.0);
  p.lower_voltage_limit = cell.number("Lower voltage cut-off [V]");
  p.upper_voltage_limit = cell.number("Upper voltage cut-off [V]");
  const BpxReader el = par.sub("Electrolyte");
  auto& e = p.electrolyte;
  e.model = echem::ElectrolyteModel::binary;
  e.initial_concentration = initial_value("Initial electrolyte concentration [mol.m-3]",
                                          el.has("Initial concentration [mol.m-3]")
                                              ? el.number("Initial concentration [mol.m-3]")
                                              : 1000.0);
  e.conductivity = el.function2("Conductivity [S.m-1]", {"x", "T"});
  e.diffusivity = el.function2("Diffusivity [m2.s-1]", {"x", "T"});
  e.transference_number = el.function2("Cation transference number", {"x", "T"});
  if (el.has("Thermodynamic factor"))
    e.thermodynamic_factor = el.function2("Thermodynamic factor", {"x", "T"});
  e.conductivity_activation_energy = el.number("Conductivity activation energy [J.mol-1]", 0.0);
  e.diffusivity_activation_energy = el.number("Diffusivity activation energy [J.mol-1]", 0.0);

  // Initial stoichiometries: BPX gives the window; start at full charge (negative max, positive
  // min).
  auto electrode = [&](const BpxReader& r, bool positive) {
    echem::PorousElectrode pe;
    pe.thickness = r.number("Thickness [m]");
    pe.porosity = r.number("Porosity");
    const double radius = r.number("Particle radius [m]");
    const double area = r.number("Surface area per unit volume [m-1]");
    // Active volume fraction from a = 3 eps / R (as PyBaMM converts BPX), capped by the solid
    // fraction; the area itself is kept as given.
    pe.particles = {{radius, std::min(area * radius / 3.0, 1.0 - pe.porosity)}};
    pe.active_area = area;
    pe.ionic_transport_factor = r.transport_factor("Transport efficiency");
    pe.electronic_conductivity = r.number("Conductivity [S.m-1]");
    auto& m = pe.material;
    m.max_concentration = r.number("Maximum concentration [mol.m-3]");
    double lo = 0.0, hi = 1.0;
    m.open_circuit_potential = r.function1("OCP [V]", lo, hi);
    m.diffusivity = r.function2("Diffusivity [m2.s-1]", {"x", "T"});
    m.diffusivity_activation_energy = r.number("Diffusivity activation energy [J.mol-1]", 0.0);
    // BPX: i0 = F k_norm sqrt((c_e/c_e0)(c_s/c_max)(1 - c_s/c_max)), so in our form
    // m = F k_norm / (c_max sqrt(c_e0)).
    m.exchange_current_coefficient = echem::faraday_constant *
                                     r.number("Reaction rate constant [mol.m-2.s-1]") /
                                     (m.max_concentration * std::sqrt(e.initial_concentration));
    m.kinetics_activation_energy =
        r.number("Reaction rate constant activation energy [J.mol-1]", 0.0);
    m.alpha_anodic = m.alpha_cathodic = 0.5;
    const double s_min = r.number("Minimum stoichiometry");
    const double s_max = r.number("Maximum stoichiometry");
    m.min_stoichiometry = std::max(0.0, std::min(lo, s_min));
    m.max_stoichiometry = std::min(1.0, std::max(hi, s_max));
    if (lo > 0.0 || hi < 1.0) {
      m.min_stoichiometry = lo;
      m.max_stoichiometry = hi;
    }
    pe.initial_stoichiometry = positive ? s_min : s_max;
    return pe;
  };
  p.negative_model = echem::NegativeElectrodeModel::porous;
  p.negative = electrode(par.sub("Negative electrode"), false);
  p.positive = electrode(par.sub("Positive electrode"), true);
  const BpxReader sep = par.sub("Separator");
  p.separator.thickness = sep.number("Thickness [m]");
  p.separator.porosity = sep.number("Porosity");
  p.separator.ionic_transport_factor = sep.transport_factor("Transport efficiency");
  echem::validate(p);
  return p;
}

/// nlohmann's message without its "[json.exception.<kind>.<id>] " tag and its "parse error at line
/// L, column C: " preamble (the position goes into the error's location instead).
std::string json_message(const json::exception& error) {
  std::string text = error.what();
  if (const auto tag = text.find("] ");
      text.rfind("[json.exception.", 0) == 0 && tag != std::string::npos) {
    text.erase(0, tag + 2);
  }
  if (text.rfind("parse error", 0) == 0) {
    if (const auto colon = text.find(": "); colon != std::string::npos) text.erase(0, colon + 2);
  }
  return text;
}

/// 1-based line and column of the `byte`-th byte of `text` (nlohmann counts bytes read from 1).
core::SourceLocation location_of_byte(const std::string& text, std::size_t byte,
                                      const std::string& name) {
  const std::size_t end = std::min(byte == 0 ? 0 : byte - 1, text.size());
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {name, line, column};
}

/// The token in single quotes in a message ("number overflow parsing '1e400'" -> "1e400").
std::string quoted_token(const std::string& message) {
  const auto open = message.find('\'');
  const auto close = open == std::string::npos ? open : message.find('\'', open + 1);
  if (close == std::string::npos) return {};
  return message.substr(open + 1, close - open - 1);
}

/// Where `token` first stands in `text` as a JSON value (after ':', '[' or ','; not inside a
/// longer number). The file alone when it is not found.
core::SourceLocation location_of_token(const std::string& text, const std::string& token,
                                       const std::string& name) {
  const auto number_char = [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.' || c == 'e' || c == 'E' ||
           c == '+' || c == '-';
  };
  const auto after_separator = [&](std::size_t at) {
    const auto before = at == 0 ? std::string::npos : text.find_last_not_of(" \t\r\n", at - 1);
    return before != std::string::npos &&
           (text[before] == ':' || text[before] == '[' || text[before] == ',');
  };
  for (auto at = token.empty() ? std::string::npos : text.find(token); at != std::string::npos;
       at = text.find(token, at + 1)) {
    const bool ends = at + token.size() == text.size() || !number_char(text[at + token.size()]);
    if (after_separator(at) && ends) return location_of_byte(text, at + 1, name);
  }
  return {name, 0, 0};
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    throw core::InputError("cannot read file " + file.string(), {}, "check the path");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

echem::CellParameters parse_cell_parameters_toml(const std::string& text, const std::string& name) {
  try {
    const toml::table root = toml::parse(text, name);
    return read_toml(root, name);
  } catch (const toml::parse_error& error) {
    throw core::InputError("TOML syntax error: " + std::string(error.description()), {},
                           "fix the syntax at this position",
                           detail::location(name, error.source()));
  }
}

echem::CellParameters parse_cell_parameters_bpx(const std::string& text, const std::string& name) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& error) {
    throw core::InputError("JSON syntax error: " + json_message(error), {}, "fix the JSON syntax",
                           location_of_byte(text, error.byte, name));
  } catch (const json::out_of_range& error) {
    // A number too large for a double (e.g. 1e400); nlohmann names the token but not its place.
    const std::string token = quoted_token(error.what());
    throw core::InputError(fmt::format("number {} is out of the range of a double (about "
                                       "+-1.8e308)",
                                       token),
                           {}, "write the value in the unit the key names, e.g. 1e-5",
                           location_of_token(text, token, name));
  } catch (const json::exception& error) {
    throw core::InputError("unreadable JSON: " + json_message(error), {}, "fix the JSON syntax",
                           {name, 0, 0});
  }
  try {
    return read_bpx(root);
  } catch (const json::exception& error) {
    throw core::InputError("unexpected BPX content: " + json_message(error), {},
                           "check the value types against the BPX schema", {name, 0, 0});
  } catch (const core::InputError& error) {
    throw error.at({name, 0, 0});
  }
}

echem::CellParameters read_cell_parameters_toml(const std::filesystem::path& file) {
  const toml::table root = detail::parse_toml_file(file);
  return read_toml(root, file.string());
}

echem::CellParameters read_cell_parameters_bpx(const std::filesystem::path& file) {
  return parse_cell_parameters_bpx(read_text(file), file.string());
}

echem::CellParameters read_cell_parameters(const std::filesystem::path& file) {
  const auto ext = file.extension().string();
  if (ext == ".json") return read_cell_parameters_bpx(file);
  if (ext == ".toml") return read_cell_parameters_toml(file);
  throw core::InputError(fmt::format("unknown parameter file type '{}'", ext), {},
                         "give a .toml (cathodelab) or .json (BPX) file", {file.string(), 0, 0});
}

}  // namespace cathodelab::io
