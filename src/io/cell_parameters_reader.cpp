// Readers of echem::CellParameters (see cell_parameters_reader.hpp): our TOML format and BPX JSON.
// Both documents become one core::InputTree (io/input_file.hpp) and are read through
// core::InputReader, so a missing value, a wrong type or a misspelt key is worded the same way in
// both; the rules that belong to cell parameters alone (a function given as a constant, an
// expression or a table; a transport factor in (0, 1]; the BPX function forms and its
// exchange-current convention) are the small functions below.
#include "cathodelab/io/cell_parameters_reader.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/input_reader.hpp"
#include "cathodelab/core/units.hpp"
#include "cathodelab/echem/expression.hpp"
#include "cathodelab/io/input_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace cathodelab::io {
namespace {

using core::InputReader;
using core::InputValue;
using core::KeyPath;
using echem::Expression;
using echem::Function1;
using echem::Function2;
using echem::MonotoneTable;

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

// ---------------------------------------------------------------- rules of both formats

/// An effective / bulk electrolyte transport ratio written in the file must lie in (0, 1]; only an
/// absent key selects an estimate (Bruggeman in TOML).
double checked_transport_factor(const InputReader& r, const KeyPath& key, double value,
                                const std::string& fix) {
  if (!(value > 0.0 && value <= 1.0)) {
    r.fail(key, fmt::format("must lie in (0, 1], got {}", value), fix);
  }
  return value;
}

/// The table { x = [...], y = [...] } of the section `f`; its errors stand at x.
MonotoneTable table_of(const InputReader& f) {
  const std::string example = "[0.1, 0.5, 0.9]";
  (void)f.require({"x"}, example);
  (void)f.require({"y"}, example);
  auto xs = *f.number_list({"x"}, example);
  auto ys = *f.number_list({"y"}, example);
  return f.located({"x"},
                   [&] { return MonotoneTable(std::move(xs), std::move(ys), f.key_text({"x"})); });
}

// ---------------------------------------------------------------- TOML

/// Patterns accepting exactly `names` in a section, whatever is written below them: each section
/// checks its own keys, and each value's type is checked where it is read.
std::vector<KeyPath> only_keys(std::initializer_list<const char*> names) {
  std::vector<KeyPath> patterns;
  for (const char* name : names) {
    patterns.push_back({name});
    patterns.push_back({name, "**"});
  }
  return patterns;
}

/// A dimensional value with its SI fallback when the key is absent.
double quantity_or(const InputReader& r, const std::string& key, core::Dimension dimension,
                   const std::string& example, double fallback) {
  return r.quantity({key}, dimension, quoted(example)).value_or(fallback);
}

/// A dimensional value that must be present.
double required_quantity(const InputReader& r, const std::string& key, core::Dimension dimension,
                         const std::string& example) {
  (void)r.require({key}, quoted(example));
  return *r.quantity({key}, dimension, quoted(example));
}

double number_or(const InputReader& r, const std::string& key, double fallback) {
  return r.number({key}, "0.3").value_or(fallback);
}

double required_number(const InputReader& r, const std::string& key) {
  (void)r.require({key}, "0.3");
  return *r.number({key}, "0.3");
}

/// A length that must be positive (an electrode or separator thickness).
double positive_thickness(const InputReader& r, const std::string& example) {
  const double thickness = required_quantity(r, "thickness", core::dim::length, example);
  if (!(thickness > 0.0)) {
    r.fail({"thickness"}, fmt::format("thickness must be positive, got {} m", thickness),
           "give e.g. " + quoted(example));
  }
  return thickness;
}

/// A transport factor given in the TOML file; its absence means Bruggeman.
double toml_transport_factor(const InputReader& r, const std::string& key) {
  return checked_transport_factor(r, {key}, required_number(r, key),
                                  "give the effective/bulk transport ratio, e.g. 0.2, or leave the "
                                  "key out to use Bruggeman (bruggeman_exponent)");
}

/// A function of one variable (x) or two (x, T): a constant (a value with its unit, or a number
/// when dimensionless), or a table { expression = "...", unit = "V" } or
/// { x = [...], y = [...], unit = "V" }.
struct FunctionSpec {
  std::optional<double> constant;
  std::optional<Expression> expression;
  std::optional<MonotoneTable> table;
  double factor = 1.0;  ///< the unit of an expression or table, in SI
};

FunctionSpec function_spec(const InputReader& r, const std::string& key, core::Dimension dimension,
                           const std::string& example, std::vector<std::string> variables,
                           std::optional<double> fallback = std::nullopt) {
  FunctionSpec spec;
  if (!r.has_section({key})) {
    if (fallback && !r.has({key})) {
      spec.constant = *fallback;
    } else {
      spec.constant = dimension == core::dim::dimensionless
                          ? required_number(r, key)
                          : required_quantity(r, key, dimension, example);
    }
    return spec;
  }
  const InputReader f = r.section({key});
  f.refuse_unknown({{"expression"}, {"x"}, {"y"}, {"unit"}});
  const std::string unit = f.text({"unit"}, "\"V\"").value_or("");
  if (dimension != core::dim::dimensionless || !unit.empty()) {
    spec.factor = f.located({"unit"}, [&] {
      return core::parse_quantity_as("1 " + unit, dimension, f.key_text({"unit"}), example);
    });
  }
  if (const auto text = f.text({"expression"}, "\"4.2 - 0.5*x\"")) {
    spec.expression = f.located({"expression"}, [&] {
      return Expression::parse(*text, std::move(variables), f.key_text({"expression"}));
    });
  } else if (f.has({"x"}) && f.has({"y"})) {
    spec.table = table_of(f);
  } else {
    f.fail({"expression"}, "a function needs 'expression' or tables 'x' and 'y'",
           "write e.g. { expression = \"4.2 - 0.5*x\", unit = \"V\" }");
  }
  return spec;
}

Function1 to_function1(FunctionSpec spec, const std::string& description) {
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

Function2 to_function2(FunctionSpec spec, const std::string& description) {
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

echem::ActiveMaterial read_material(const InputReader& r, double c_e0) {
  r.refuse_unknown(only_keys(
      {"name", "source", "max_concentration", "ocp", "diffusivity", "diffusivity_activation_energy",
       "exchange_current_coefficient", "exchange_current_density", "kinetics_activation_energy",
       "alpha_anodic", "alpha_cathodic", "density", "min_stoichiometry", "max_stoichiometry"}));
  echem::ActiveMaterial m;
  m.name = r.text({"name"}, "\"NCM811\"").value_or("active material");
  m.max_concentration =
      required_quantity(r, "max_concentration", core::dim::concentration, "51765 mol/m^3");
  auto ocp = function_spec(r, "ocp", core::dim::voltage, "3.9 V", {"x", "sto"});
  if (ocp.table) {
    if (ocp.table->monotonicity() >= 0) {
      r.fail({"ocp"}, "the OCP table must decrease with stoichiometry (non-monotone or increasing)",
             "check the table order: y must fall as x (the lithium fraction) rises");
    }
    m.min_stoichiometry = std::max(0.0, ocp.table->front());
    m.max_stoichiometry = std::min(1.0, ocp.table->back());
  }
  m.open_circuit_potential = to_function1(std::move(ocp), "OCP");
  m.diffusivity = to_function2(
      function_spec(r, "diffusivity", core::dim::diffusivity, "1e-14 m^2/s", {"x", "sto", "T"}),
      "solid diffusivity");
  const core::Dimension molar_energy = core::dim::molar_energy;
  m.diffusivity_activation_energy =
      quantity_or(r, "diffusivity_activation_energy", molar_energy, "30 kJ/mol", 0.0);
  m.kinetics_activation_energy =
      quantity_or(r, "kinetics_activation_energy", molar_energy, "30 kJ/mol", 0.0);
  m.alpha_anodic = number_or(r, "alpha_anodic", 0.5);
  m.alpha_cathodic = number_or(r, "alpha_cathodic", 0.5);
  m.density = quantity_or(r, "density", core::dim::density, "4800 kg/m^3", 4800.0);
  m.min_stoichiometry = number_or(r, "min_stoichiometry", m.min_stoichiometry);
  m.max_stoichiometry = number_or(r, "max_stoichiometry", m.max_stoichiometry);
  if (r.has({"exchange_current_coefficient"})) {
    // PyBaMM's m_ref [A/m^2 (m^3/mol)^(2 alpha_a + alpha_c)]: the key name carries the unit.
    m.exchange_current_coefficient = required_number(r, "exchange_current_coefficient");
  } else {
    // i0 at c_e0 and half filling: m = i0 / (c_e0^aa (c_max/2)^(ac + aa)).
    const double i0 =
        required_quantity(r, "exchange_current_density", core::dim::current_density, "1 A/m^2");
    const double half = 0.5 * m.max_concentration;
    m.exchange_current_coefficient =
        i0 / (std::pow(c_e0, m.alpha_anodic) * std::pow(half, m.alpha_cathodic + m.alpha_anodic));
  }
  return m;
}

std::vector<echem::ParticleClass> read_particles(const InputReader& r) {
  std::vector<echem::ParticleClass> particles;
  if (!r.has({"particles"})) {
    particles.push_back({required_quantity(r, "radius", core::dim::length, "5 um"),
                         required_number(r, "active_volume_fraction")});
    return particles;
  }
  for (const InputReader& pr :
       r.elements({"particles"}, "[{ radius = \"5 um\", volume_fraction = 0.6 }]")) {
    pr.refuse_unknown({{"radius"}, {"volume_fraction"}});
    particles.push_back({required_quantity(pr, "radius", core::dim::length, "5 um"),
                         required_number(pr, "volume_fraction")});
  }
  return particles;
}

echem::PorousElectrode read_electrode(const InputReader& r, double c_e0) {
  r.refuse_unknown(
      only_keys({"model", "thickness", "porosity", "particles", "radius", "active_volume_fraction",
                 "utilizable_fraction", "ionic_transport_factor", "bruggeman_exponent",
                 "electronic_conductivity", "bulk_electronic_conductivity",
                 "solid_bruggeman_exponent", "active_area", "film_resistance",
                 "double_layer_capacitance", "initial_stoichiometry", "material"}));
  echem::PorousElectrode e;
  e.thickness = positive_thickness(r, "60 um");
  e.porosity = required_number(r, "porosity");
  e.particles = read_particles(r);
  e.utilizable_fraction = number_or(r, "utilizable_fraction", 1.0);
  if (r.has({"ionic_transport_factor"})) {
    e.ionic_transport_factor = toml_transport_factor(r, "ionic_transport_factor");
  } else {
    e.ionic_transport_factor = std::pow(e.porosity, number_or(r, "bruggeman_exponent", 1.5));
  }
  if (r.has({"electronic_conductivity"})) {
    e.electronic_conductivity =
        required_quantity(r, "electronic_conductivity", core::dim::conductivity, "10 S/m");
  } else {
    const double bulk =
        required_quantity(r, "bulk_electronic_conductivity", core::dim::conductivity, "100 S/m");
    e.electronic_conductivity =
        bulk * std::pow(1.0 - e.porosity, number_or(r, "solid_bruggeman_exponent", 1.5));
  }
  e.active_area = quantity_or(r, "active_area", core::dim::specific_area, "1e5 1/m", -1.0);
  e.film_resistance =
      quantity_or(r, "film_resistance", core::dim::area_resistance, "10 Ohm*cm^2", 0.0);
  e.double_layer_capacitance =
      quantity_or(r, "double_layer_capacitance", core::dim::capacitance_per_area, "0.2 F/m^2", 0.0);
  e.initial_stoichiometry = required_number(r, "initial_stoichiometry");
  e.material = read_material(r.section({"material"}), c_e0);
  return e;
}

void read_electrolyte(const InputReader& el, echem::Electrolyte& e) {
  el.refuse_unknown(only_keys({"model", "name", "source", "initial_concentration", "conductivity",
                               "diffusivity", "transference_number", "thermodynamic_factor",
                               "conductivity_activation_energy", "diffusivity_activation_energy"}));
  const std::string model = el.choice({"model"}, {"single_ion", "binary"}).value_or("single_ion");
  e.model =
      model == "binary" ? echem::ElectrolyteModel::binary : echem::ElectrolyteModel::single_ion;
  e.initial_concentration =
      required_quantity(el, "initial_concentration", core::dim::concentration, "1000 mol/m^3");
  const std::vector<std::string> ce_vars{"c_e", "c", "T"};
  e.conductivity =
      to_function2(function_spec(el, "conductivity", core::dim::conductivity, "0.3 S/m", ce_vars),
                   "conductivity");
  e.diffusivity = to_function2(
      function_spec(el, "diffusivity", core::dim::diffusivity, "3e-10 m^2/s", ce_vars, 1e-10),
      "diffusivity");
  e.transference_number = to_function2(
      function_spec(el, "transference_number", core::dim::dimensionless, "0.4", ce_vars, 1.0),
      "t+");
  e.thermodynamic_factor = to_function2(
      function_spec(el, "thermodynamic_factor", core::dim::dimensionless, "1", ce_vars, 1.0),
      "TDF");
  e.conductivity_activation_energy =
      quantity_or(el, "conductivity_activation_energy", core::dim::molar_energy, "30 kJ/mol", 0.0);
  e.diffusivity_activation_energy =
      quantity_or(el, "diffusivity_activation_energy", core::dim::molar_energy, "30 kJ/mol", 0.0);
}

echem::LithiumMetalAnode read_lithium_metal(const InputReader& neg) {
  neg.refuse_unknown(
      only_keys({"model", "exchange_current_density", "kinetics_activation_energy", "alpha_anodic",
                 "alpha_cathodic", "film_resistance", "double_layer_capacitance", "source"}));
  echem::LithiumMetalAnode li;
  li.exchange_current_density =
      required_quantity(neg, "exchange_current_density", core::dim::current_density, "10 A/m^2");
  li.kinetics_activation_energy =
      quantity_or(neg, "kinetics_activation_energy", core::dim::molar_energy, "30 kJ/mol", 0.0);
  li.alpha_anodic = number_or(neg, "alpha_anodic", 0.5);
  li.alpha_cathodic = number_or(neg, "alpha_cathodic", 0.5);
  li.film_resistance =
      quantity_or(neg, "film_resistance", core::dim::area_resistance, "10 Ohm*cm^2", 0.0);
  li.double_layer_capacitance = quantity_or(neg, "double_layer_capacitance",
                                            core::dim::capacitance_per_area, "0.2 F/m^2", 0.0);
  return li;
}

void read_separator(const InputReader& sep, echem::Separator& s) {
  sep.refuse_unknown(only_keys(
      {"thickness", "porosity", "ionic_transport_factor", "bruggeman_exponent", "source"}));
  s.thickness = positive_thickness(sep, "25 um");
  s.porosity = number_or(sep, "porosity", 1.0);
  s.ionic_transport_factor = sep.has({"ionic_transport_factor"})
                                 ? toml_transport_factor(sep, "ionic_transport_factor")
                                 : std::pow(s.porosity, number_or(sep, "bruggeman_exponent", 1.5));
}

echem::CellParameters read_toml(const core::InputTree& tree, const std::string& file) {
  const InputReader r(tree);
  r.refuse_unknown(only_keys({"name", "source", "references", "description", "temperature",
                              "reference_temperature", "area", "contact_resistance",
                              "nominal_capacity", "lower_voltage_limit", "upper_voltage_limit",
                              "electrolyte", "negative", "separator", "positive"}));
  echem::CellParameters p;
  p.name = r.text({"name"}, "\"my cell\"").value_or("cell");
  p.temperature = quantity_or(r, "temperature", core::dim::temperature, "25 degC", 298.15);
  p.reference_temperature =
      quantity_or(r, "reference_temperature", core::dim::temperature, "25 degC", 298.15);
  p.area = required_quantity(r, "area", core::dim::area, "1 cm^2");
  p.contact_resistance =
      quantity_or(r, "contact_resistance", core::dim::area_resistance, "0 Ohm*m^2", 0.0);
  p.nominal_capacity =
      quantity_or(r, "nominal_capacity", core::dim::charge, "5 mA*h", -3600.0) / 3600.0;
  p.lower_voltage_limit = required_quantity(r, "lower_voltage_limit", core::dim::voltage, "2.5 V");
  p.upper_voltage_limit = required_quantity(r, "upper_voltage_limit", core::dim::voltage, "4.3 V");
  read_electrolyte(r.section({"electrolyte"}), p.electrolyte);
  const double c_e0 = p.electrolyte.initial_concentration;

  const InputReader neg = r.section({"negative"});
  const std::string neg_model =
      neg.choice({"model"}, {"lithium_metal", "porous"}).value_or("lithium_metal");
  if (neg_model == "porous") {
    p.negative_model = echem::NegativeElectrodeModel::porous;
    p.negative = read_electrode(neg, c_e0);
  } else {
    p.negative_model = echem::NegativeElectrodeModel::lithium_metal;
    p.lithium = read_lithium_metal(neg);
  }
  read_separator(r.section({"separator"}), p.separator);
  p.positive = read_electrode(r.section({"positive"}), c_e0);
  try {
    echem::validate(p);
  } catch (const core::InputError& err) {
    throw err.at({file, 0, 0});
  }
  return p;
}

// ---------------------------------------------------------------- BPX JSON

/// The fix for a BPX value: JSON, in the schema's own names.
std::string bpx_fix(const std::string& key) {
  return "write " + quoted(key) + ": <number> (a JSON number; see the BPX schema)";
}

/// The object `key` of a BPX section.
InputReader bpx_object(const InputReader& r, const std::string& key) {
  if (!r.has_section({key})) {
    if (r.find({key}) != nullptr) {
      r.fail({key}, "'" + key + "' is a value, not a section",
             "write " + quoted(key) + ": { ... } (see the BPX schema)");
    }
    r.fail({key}, "missing section", "add a " + quoted(key) + " object (see the BPX schema)");
  }
  return r.section({key});
}

/// A BPX number when present: a JSON number (a string is refused: the schema has none).
std::optional<double> bpx_optional_number(const InputReader& r, const std::string& key) {
  const InputValue* value = r.find({key});
  if (value == nullptr) {
    if (r.has_section({key}))
      r.fail({key}, "'" + key + "' is a section, not a value", bpx_fix(key));
    return std::nullopt;
  }
  if (value->kind != InputValue::Kind::integer && value->kind != InputValue::Kind::real) {
    r.fail({key}, "must be a number", bpx_fix(key));
  }
  return r.number({key}, "<number>");  // the one finiteness check
}

double bpx_number(const InputReader& r, const std::string& key) {
  const auto value = bpx_optional_number(r, key);
  if (!value)
    r.fail({key}, "missing value", "add " + quoted(key) + ": <number> (see the BPX schema)");
  return *value;
}

double bpx_number_or(const InputReader& r, const std::string& key, double fallback) {
  return bpx_optional_number(r, key).value_or(fallback);
}

/// "Header"."Title", the name of the cell.
std::optional<std::string> bpx_title(const InputReader& root) {
  const KeyPath key{"Header", "Title"};
  const InputValue* value = root.find(key);
  if (value != nullptr && value->kind != InputValue::Kind::text) {
    root.fail(key, "must be a string", "write \"Title\": \"My cell\" (a JSON string)");
  }
  return root.text(key, "\"My cell\"");
}

/// "Transport efficiency": effective / bulk electrolyte transport, in (0, 1].
double bpx_transport_factor(const InputReader& r) {
  const std::string key = "Transport efficiency";
  return checked_transport_factor(r, {key}, bpx_number(r, key),
                                  "give the effective/bulk transport ratio, e.g. 0.2");
}

/// The table {"x": [...], "y": [...]} written for `key`, when that is what stands there.
std::optional<MonotoneTable> bpx_table(const InputReader& r, const std::string& key) {
  if (!r.has_section({key})) return std::nullopt;
  const InputReader f = r.section({key});
  if (!f.has({"x"}) || !f.has({"y"})) return std::nullopt;
  return table_of(f);
}

/// A BPX function of x (and T): a number, an expression string, or {"x": [...], "y": [...]}.
Function2 bpx_function2(const InputReader& r, const std::string& key,
                        std::vector<std::string> variables) {
  const std::string forms = "a number, an expression string or a table {x, y}";
  if (const auto table = bpx_table(r, key)) {
    return Function2([t = *table](double x, double) { return t(x); }, "table");
  }
  const InputValue* value = r.find({key});
  if (value == nullptr && !r.has_section({key})) {
    r.fail({key}, "missing value", "add " + quoted(key) + ": " + forms + " (see the BPX schema)");
  }
  if (value != nullptr && value->kind == InputValue::Kind::text) {
    const auto e = r.located({key}, [&] {
      return Expression::parse(value->text, std::move(variables), r.key_text({key}));
    });
    return Function2(
        [e](double x, double t) {
          const double a[2] = {x, t};
          return e(std::span<const double>(a, e.variables().size()));
        },
        e.text());
  }
  if (value != nullptr &&
      (value->kind == InputValue::Kind::integer || value->kind == InputValue::Kind::real)) {
    return bpx_number(r, key);
  }
  r.fail({key}, "must be " + forms, "see the BPX schema");
}

/// The open-circuit potential; a table narrows the stoichiometry window [lo, hi] to its range.
Function1 bpx_ocp(const InputReader& r, double& lo, double& hi) {
  const std::string key = "OCP [V]";
  if (const auto table = bpx_table(r, key)) {
    if (table->monotonicity() >= 0) {
      r.fail({key}, "the OCP table must decrease with stoichiometry", "check the table order");
    }
    lo = std::max(lo, table->front());
    hi = std::min(hi, table->back());
    return Function1(*table, "table");
  }
  const Function2 f2 = bpx_function2(r, key, {"x"});
  return Function1([f2](double x) { return f2(x, 298.15); }, f2.description());
}

/// A BPX electrode. The stoichiometries start at full charge (negative at its maximum, positive at
/// its minimum).
echem::PorousElectrode bpx_electrode(const InputReader& r, bool positive, double c_e0) {
  echem::PorousElectrode pe;
  pe.thickness = bpx_number(r, "Thickness [m]");
  pe.porosity = bpx_number(r, "Porosity");
  const double radius = bpx_number(r, "Particle radius [m]");
  const double area = bpx_number(r, "Surface area per unit volume [m-1]");
  // Active volume fraction from a = 3 eps / R (as PyBaMM converts BPX), capped by the solid
  // fraction; the area itself is kept as given.
  pe.particles = {{radius, std::min(area * radius / 3.0, 1.0 - pe.porosity)}};
  pe.active_area = area;
  pe.ionic_transport_factor = bpx_transport_factor(r);
  pe.electronic_conductivity = bpx_number(r, "Conductivity [S.m-1]");
  auto& m = pe.material;
  m.max_concentration = bpx_number(r, "Maximum concentration [mol.m-3]");
  double lo = 0.0;
  double hi = 1.0;
  m.open_circuit_potential = bpx_ocp(r, lo, hi);
  m.diffusivity = bpx_function2(r, "Diffusivity [m2.s-1]", {"x", "T"});
  m.diffusivity_activation_energy =
      bpx_number_or(r, "Diffusivity activation energy [J.mol-1]", 0.0);
  // BPX: i0 = F k_norm sqrt((c_e/c_e0)(c_s/c_max)(1 - c_s/c_max)), so in our form
  // m = F k_norm / (c_max sqrt(c_e0)).
  m.exchange_current_coefficient = echem::faraday_constant *
                                   bpx_number(r, "Reaction rate constant [mol.m-2.s-1]") /
                                   (m.max_concentration * std::sqrt(c_e0));
  m.kinetics_activation_energy =
      bpx_number_or(r, "Reaction rate constant activation energy [J.mol-1]", 0.0);
  m.alpha_anodic = m.alpha_cathodic = 0.5;
  const double s_min = bpx_number(r, "Minimum stoichiometry");
  const double s_max = bpx_number(r, "Maximum stoichiometry");
  m.min_stoichiometry = std::max(0.0, std::min(lo, s_min));
  m.max_stoichiometry = std::min(1.0, std::max(hi, s_max));
  if (lo > 0.0 || hi < 1.0) {
    m.min_stoichiometry = lo;
    m.max_stoichiometry = hi;
  }
  pe.initial_stoichiometry = positive ? s_min : s_max;
  return pe;
}

void bpx_electrolyte(const InputReader& el, std::optional<double> initial_concentration,
                     echem::Electrolyte& e) {
  e.model = echem::ElectrolyteModel::binary;
  const double written = bpx_number_or(el, "Initial concentration [mol.m-3]", 1000.0);
  e.initial_concentration = initial_concentration.value_or(written);
  e.conductivity = bpx_function2(el, "Conductivity [S.m-1]", {"x", "T"});
  e.diffusivity = bpx_function2(el, "Diffusivity [m2.s-1]", {"x", "T"});
  e.transference_number = bpx_function2(el, "Cation transference number", {"x", "T"});
  if (el.has({"Thermodynamic factor"})) {
    e.thermodynamic_factor = bpx_function2(el, "Thermodynamic factor", {"x", "T"});
  }
  e.conductivity_activation_energy =
      bpx_number_or(el, "Conductivity activation energy [J.mol-1]", 0.0);
  e.diffusivity_activation_energy =
      bpx_number_or(el, "Diffusivity activation energy [J.mol-1]", 0.0);
}

echem::CellParameters read_bpx(const core::InputTree& tree, const std::string& name) {
  const InputReader root(tree);
  if (!root.has({"Parameterisation"})) {
    root.fail({"Parameterisation"}, "not a BPX file: no \"Parameterisation\" object",
              "give a BPX JSON file (Header + Parameterisation)");
  }
  const InputReader par = bpx_object(root, "Parameterisation");
  const InputReader cell = bpx_object(par, "Cell");
  echem::CellParameters p;
  p.name = bpx_title(root).value_or("BPX cell");
  // BPX 1.0 keeps initial conditions under "State"; 0.x had them in Cell and Electrolyte.
  const auto initial = root.optional_section({"State", "Initial conditions"});
  const auto initial_value = [&](const std::string& key) -> std::optional<double> {
    return initial ? bpx_optional_number(*initial, key) : std::nullopt;
  };
  const double cell_temperature = bpx_number_or(cell, "Initial temperature [K]", 298.15);
  p.temperature = initial_value("Initial temperature [K]").value_or(cell_temperature);
  p.reference_temperature = bpx_number_or(cell, "Reference temperature [K]", 298.15);
  p.area =
      bpx_number(cell, "Electrode area [m2]") *
      bpx_number_or(cell, "Number of electrode pairs connected in parallel to make a cell", 1.0);
  p.nominal_capacity = bpx_number_or(cell, "Nominal cell capacity [A.h]", -1.0);
  p.lower_voltage_limit = bpx_number(cell, "Lower voltage cut-off [V]");
  p.upper_voltage_limit = bpx_number(cell, "Upper voltage cut-off [V]");
  bpx_electrolyte(bpx_object(par, "Electrolyte"),
                  initial_value("Initial electrolyte concentration [mol.m-3]"), p.electrolyte);
  const double c_e0 = p.electrolyte.initial_concentration;
  p.negative_model = echem::NegativeElectrodeModel::porous;
  p.negative = bpx_electrode(bpx_object(par, "Negative electrode"), false, c_e0);
  p.positive = bpx_electrode(bpx_object(par, "Positive electrode"), true, c_e0);
  const InputReader sep = bpx_object(par, "Separator");
  p.separator.thickness = bpx_number(sep, "Thickness [m]");
  p.separator.porosity = bpx_number(sep, "Porosity");
  p.separator.ionic_transport_factor = bpx_transport_factor(sep);
  try {
    echem::validate(p);
  } catch (const core::InputError& err) {
    throw err.where().file.empty() ? err.at({name, 0, 0}) : err;
  }
  return p;
}

/// A key path as the BPX schema names it ("Parameterisation.Positive electrode.Thickness [m]"):
/// the names unquoted, since BPX readers look keys up by those names.
std::string bpx_key_text(const std::string& key) {
  if (key.empty()) return key;
  try {
    std::string out;
    for (const std::string& segment : core::parse_key_path(key)) {
      out += (out.empty() ? "" : ".") + segment;
    }
    return out;
  } catch (const core::InputError&) {
    return key;  // not a path written by key_path_text (e.g. a name holding a quote)
  }
}

}  // namespace

echem::CellParameters parse_cell_parameters_toml(const std::string& text, const std::string& name) {
  return read_toml(parse_toml_input(text, name), name);
}

echem::CellParameters parse_cell_parameters_bpx(const std::string& text, const std::string& name) {
  try {
    return read_bpx(parse_json_input(text, name), name);
  } catch (const core::InputError& e) {
    throw core::InputError(e.problem(), bpx_key_text(e.key_path()), e.fix(), e.where());
  }
}

echem::CellParameters read_cell_parameters_toml(const std::filesystem::path& file) {
  return parse_cell_parameters_toml(read_input_text(file), file.string());
}

echem::CellParameters read_cell_parameters_bpx(const std::filesystem::path& file) {
  return parse_cell_parameters_bpx(read_input_text(file), file.string());
}

echem::CellParameters read_cell_parameters(const std::filesystem::path& file) {
  const auto ext = file.extension().string();
  if (ext == ".json") return read_cell_parameters_bpx(file);
  if (ext == ".toml") return read_cell_parameters_toml(file);
  throw core::InputError(fmt::format("unknown parameter file type '{}'", ext), {},
                         "give a .toml (cathodelab) or .json (BPX) file", {file.string(), 0, 0});
}

}  // namespace cathodelab::io
