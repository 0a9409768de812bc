// Property models of the materials library: constants, Arrhenius laws sigma(T) = sigma_ref
// exp(-E_a/R (1/T - 1/T_ref)), tables in stoichiometry or state of charge (linear or the monotone
// cubic of core/monotone_cubic.hpp, optionally in log10) and named formulas from papers
// (materials/property_model.hpp).
#include "cathodelab/materials/property_model.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/monotone_cubic.hpp"
#include "cathodelab/core/suggest.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <utility>

namespace cathodelab::materials {
namespace {

// Chen et al., JES 167 (2020) 080534, doi:10.1149/1945-7111/ab9050: NMC811 OCP fit [V] vs
// stoichiometry (as implemented in PyBaMM's Chen2020 parameter set).
double chen2020_nmc811_ocp(double sto) {
  return -0.809 * sto + 4.4875 - 0.0428 * std::tanh(18.5138 * (sto - 0.5542)) -
         17.7326 * std::tanh(15.789 * (sto - 0.3117)) +
         17.5842 * std::tanh(15.9308 * (sto - 0.312));
}

// O'Regan et al., Electrochim. Acta 425 (2022) 140700, doi:10.1016/j.electacta.2022.140700:
// NMC811 Li diffusivity [m^2/s] vs stoichiometry at 298.15 K (activation E_D/R = 1449 K is
// applied by the data file through the Arrhenius factor).
double oregan2022_nmc811_diffusivity(double sto) {
  const auto bump = [sto](double a, double centre, double width) {
    return a * std::exp(-(sto - centre) * (sto - centre) / width);
  };
  return 2.7 * std::pow(10.0, -13.96 - bump(0.9231, 0.3216, 0.002534) -
                                  bump(0.4066, 0.4532, 0.003926) - bump(0.993, 0.8098, 0.09924));
}

const NamedFunction kNamedFunctions[] = {
    {"chen2020_nmc811_ocp",
     "NMC811 open-circuit potential [V] vs Li/Li+, U(x) = -0.809x + 4.4875 - 0.0428 tanh(18.5138(x "
     "- "
     "0.5542)) - 17.7326 tanh(15.789(x - 0.3117)) + 17.5842 tanh(15.9308(x - 0.312)); Chen et al., "
     "JES 167 (2020) 080534, doi:10.1149/1945-7111/ab9050; fitted on x = 0.2661..0.9084",
     0.25, 0.95, &chen2020_nmc811_ocp},
    {"oregan2022_nmc811_diffusivity",
     "NMC811 Li diffusivity [m^2/s] at 298.15 K, D(x) = 2.7 10^(-13.96 - 0.9231 exp(-(x - "
     "0.3216)^2/0.002534) - 0.4066 exp(-(x - 0.4532)^2/0.003926) - 0.993 exp(-(x - "
     "0.8098)^2/0.09924)); O'Regan et al., Electrochim. Acta 425 (2022) 140700, "
     "doi:10.1016/j.electacta.2022.140700",
     0.0, 1.0, &oregan2022_nmc811_diffusivity},
};

std::string name_or(std::string_view what) {
  return what.empty() ? std::string("property") : std::string(what);
}

}  // namespace

std::span<const NamedFunction> named_functions() {
  return kNamedFunctions;
}

const NamedFunction& find_named_function(std::string_view name, const std::string& key_path) {
  for (const auto& function : kNamedFunctions) {
    if (function.name == name) return function;
  }
  std::vector<std::string> names;
  for (const auto& function : kNamedFunctions) names.push_back(function.name);
  core::throw_unknown("named function", name, names, key_path);
}

PropertyModel PropertyModel::constant(double value) {
  PropertyModel model;
  model.base_ = Base::constant;
  model.constant_ = value;
  return model;
}

PropertyModel PropertyModel::arrhenius(double value_at_reference, double activation_energy,
                                       double reference_temperature) {
  return constant(value_at_reference)
      .with_activation_energy(activation_energy, reference_temperature);
}

PropertyModel PropertyModel::table(Table table, const std::string& key_path) {
  const auto refuse = [&](const std::string& problem, const std::string& fix) {
    throw core::InputError(problem, key_path, fix);
  };
  if (table.x.size() != table.y.size()) {
    refuse(fmt::format("table has {} x values but {} values", table.x.size(), table.y.size()),
           "give one value per x");
  }
  if (table.x.size() < 2)
    refuse("table needs at least 2 points", "give two or more (x, value) pairs");
  for (std::size_t k = 0; k < table.x.size(); ++k) {
    if (!std::isfinite(table.x[k]) || !std::isfinite(table.y[k])) {
      refuse(fmt::format("table point {} is not finite", k + 1), "give finite numbers");
    }
    if (k > 0 && !(table.x[k] > table.x[k - 1])) {
      refuse(fmt::format("table x must be strictly increasing; x[{}] = {} follows {}", k + 1,
                         table.x[k], table.x[k - 1]),
             "sort the table by x and remove duplicates");
    }
    if (table.log10 && !(table.y[k] > 0.0)) {
      refuse(fmt::format("log10 interpolation needs positive values; value {} is {}", k + 1,
                         table.y[k]),
             "use linear interpolation or positive values");
    }
  }
  if (table.x.front() < 0.0 || table.x.back() > 1.0) {
    refuse(fmt::format("table x spans [{}, {}], outside [0, 1]", table.x.front(), table.x.back()),
           "give stoichiometry or state of charge as a fraction between 0 and 1");
  }
  PropertyModel model;
  model.base_ = Base::table;
  model.table_ = std::move(table);
  model.nodes_ = model.table_.y;
  if (model.table_.log10) {
    for (double& v : model.nodes_) v = std::log10(v);
  }
  if (model.table_.interpolation == Interpolation::monotone_cubic) {
    model.slopes_ = core::monotone_cubic_slopes(model.table_.x, model.nodes_);
  }
  return model;
}

PropertyModel PropertyModel::function(std::string_view name, const std::string& key_path) {
  PropertyModel model;
  model.base_ = Base::function;
  model.function_ = &find_named_function(name, key_path);
  model.function_name_ = model.function_->name;
  return model;
}

PropertyModel PropertyModel::with_activation_energy(double activation_energy,
                                                    double reference_temperature) const {
  CATHODELAB_REQUIRE(std::isfinite(activation_energy) && activation_energy >= 0.0,
                     "activation energy must be finite and non-negative");
  CATHODELAB_REQUIRE(reference_temperature > 0.0, "reference temperature must be positive");
  PropertyModel model = *this;
  model.activation_energy_ = activation_energy;
  model.reference_temperature_ = reference_temperature;
  return model;
}

ModelKind PropertyModel::kind() const {
  switch (base_) {
    case Base::table:
      return ModelKind::table;
    case Base::function:
      return ModelKind::function;
    case Base::constant:
      break;
  }
  return has_activation_energy() ? ModelKind::arrhenius : ModelKind::constant;
}

double PropertyModel::x_min() const {
  if (base_ == Base::table) return table_.x.front();
  if (base_ == Base::function) return function_->x_min;
  return 0.0;
}

double PropertyModel::x_max() const {
  if (base_ == Base::table) return table_.x.back();
  if (base_ == Base::function) return function_->x_max;
  return 1.0;
}

double PropertyModel::base_value(double x, std::string_view what) const {
  if (base_ == Base::constant) return constant_;
  const double lo = x_min();
  const double hi = x_max();
  constexpr double tolerance = 1e-12;
  if (!(x >= lo - tolerance && x <= hi + tolerance)) {
    const char* variable = base_ == Base::table && table_.variable == TableVariable::state_of_charge
                               ? "state of charge"
                               : "stoichiometry";
    throw core::InputError(
        fmt::format("{} is defined for {} in [{}, {}], evaluated at {}", name_or(what), variable,
                    lo, hi, x),
        {},
        "keep the cell within this window (adjust the voltage or stoichiometry limits) or "
        "extend the data");
  }
  x = std::clamp(x, lo, hi);
  if (base_ == Base::function) return function_->evaluate(x);
  const auto& t = table_;
  double interpolated = 0.0;
  if (t.interpolation == Interpolation::monotone_cubic) {
    interpolated = core::hermite_value(t.x, nodes_, slopes_, x);
  } else {
    const auto upper = std::upper_bound(t.x.begin(), t.x.end(), x);
    std::size_t k = upper == t.x.begin() ? 0 : static_cast<std::size_t>(upper - t.x.begin()) - 1;
    k = std::min(k, t.x.size() - 2);
    const double s = (x - t.x[k]) / (t.x[k + 1] - t.x[k]);
    interpolated = (1.0 - s) * nodes_[k] + s * nodes_[k + 1];
  }
  return t.log10 ? std::pow(10.0, interpolated) : interpolated;
}

double PropertyModel::value(const Conditions& conditions, std::string_view what) const {
  const double x = base_ == Base::table && table_.variable == TableVariable::state_of_charge
                       ? conditions.state_of_charge
                       : conditions.stoichiometry;
  double result = base_value(x, what);
  if (has_activation_energy()) {
    if (!(conditions.temperature > 0.0) || !std::isfinite(conditions.temperature)) {
      throw core::InputError(
          fmt::format("{} evaluated at temperature {} K", name_or(what), conditions.temperature),
          {}, "give a positive absolute temperature");
    }
    result *= std::exp(-activation_energy_ / gas_constant *
                       (1.0 / conditions.temperature - 1.0 / reference_temperature_));
  }
  return result;
}

double PropertyModel::reference_value() const {
  if (base_ == Base::constant) return constant_;
  Conditions at_reference{
      .temperature = reference_temperature_, .stoichiometry = x_max(), .state_of_charge = x_max()};
  return value(at_reference);
}

bool PropertyModel::strictly_monotone() const {
  if (base_ == Base::constant) return false;
  std::vector<double> samples;
  if (base_ == Base::table) {
    samples = table_.y;
  } else {
    constexpr int n = 400;
    for (int i = 0; i <= n; ++i) {
      samples.push_back(function_->evaluate(x_min() + (x_max() - x_min()) * i / n));
    }
  }
  bool increasing = true;
  bool decreasing = true;
  for (std::size_t k = 1; k < samples.size(); ++k) {
    increasing = increasing && samples[k] > samples[k - 1];
    decreasing = decreasing && samples[k] < samples[k - 1];
  }
  return increasing || decreasing;
}

}  // namespace cathodelab::materials
