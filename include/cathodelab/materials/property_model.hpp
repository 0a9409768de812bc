// Property models of materials: how a property value depends on temperature and lithiation.
//
// A PropertyModel is a base (constant, 1D table in stoichiometry or state of charge, or a named
// formula from a paper) times an optional Arrhenius factor
//   f(T) = exp(-Ea/R (1/T - 1/T_ref)),
// so sigma(T) = sigma_ref f(T) and D(x, T) = D(x) f(T). Tables interpolate linearly or with the
// monotone cubic Hermite scheme of Fritsch & Carlson (SIAM J. Numer. Anal. 17 (1980) 238,
// doi:10.1137/0717021), which keeps monotone data monotone (no overshoot between OCP nodes), and
// optionally in log10 of the value (electronic conductivity of layered oxides changes by orders of
// magnitude with lithiation, Amin & Chiang, JES 163 (2016) A1512, doi:10.1149/2.0131608jes).
// Outside the tabulated range a table refuses to evaluate (InputError naming the material, the
// property and the range): no silent extrapolation.
#pragma once

#include "cathodelab/core/constants.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cathodelab::materials {

using core::avogadro;
using core::gas_constant;
using core::room_temperature;

/// The state at which a property is evaluated.
struct Conditions {
  double temperature = room_temperature;  ///< [K]
  double stoichiometry = 1.0;             ///< Li fraction x = c/c_max [-] (1 = fully lithiated)
  double state_of_charge = 0.0;           ///< [-] used only by tables declared in state of charge
};

/// The independent variable of a table.
enum class TableVariable { stoichiometry, state_of_charge };

enum class Interpolation { linear, monotone_cubic };

/// A 1D table y(x). `x` strictly increasing; `y` in SI units of the property.
struct Table {
  std::vector<double> x;  ///< [-] stoichiometry or state of charge
  std::vector<double> y;  ///< [SI unit of the property]
  TableVariable variable = TableVariable::stoichiometry;
  Interpolation interpolation = Interpolation::monotone_cubic;
  bool log10 = false;  ///< interpolate log10(y) (all y must be > 0)
};

enum class ModelKind { constant, arrhenius, table, function };

/// A named formula from a paper (see named_functions()).
struct NamedFunction {
  std::string name;
  std::string description;  ///< formula, unit and source
  double x_min = 0.0;       ///< [-] lowest stoichiometry the formula is fitted for
  double x_max = 1.0;       ///< [-] highest stoichiometry the formula is fitted for
  double (*evaluate)(double stoichiometry) = nullptr;  ///< SI value at the reference temperature
};

/// The registry of named formulas ("chen2020_nmc811_ocp", "oregan2022_nmc811_diffusivity").
[[nodiscard]] std::span<const NamedFunction> named_functions();

/// Looks up a named formula; InputError with did-you-mean when unknown.
[[nodiscard]] const NamedFunction& find_named_function(std::string_view name,
                                                       const std::string& key_path = {});

class PropertyModel {
 public:
  PropertyModel() = default;  ///< constant 0

  [[nodiscard]] static PropertyModel constant(double value);
  /// value(T) = value_ref exp(-Ea/R (1/T - 1/T_ref)).
  [[nodiscard]] static PropertyModel arrhenius(double value_at_reference,
                                               double activation_energy,  ///< [J/mol]
                                               double reference_temperature = room_temperature);
  /// Validates the table (>= 2 nodes, x strictly increasing and finite, y finite, y > 0 for log10);
  /// InputError with `key_path` otherwise.
  [[nodiscard]] static PropertyModel table(Table table, const std::string& key_path = {});
  [[nodiscard]] static PropertyModel function(std::string_view name,
                                              const std::string& key_path = {});

  /// Adds an Arrhenius temperature dependence to a table or function model.
  [[nodiscard]] PropertyModel with_activation_energy(
      double activation_energy,  ///< [J/mol]
      double reference_temperature = room_temperature) const;

  /// The value at the given conditions. Outside a table's or formula's range: InputError naming
  /// `what` (e.g. "NCM811 open_circuit_potential") and the valid range.
  [[nodiscard]] double value(const Conditions& conditions, std::string_view what = {}) const;

  /// Constant or Arrhenius value at T_ref; for tables and functions the value at the fully
  /// lithiated end of the range (x_max), used for summaries.
  [[nodiscard]] double reference_value() const;

  [[nodiscard]] ModelKind kind() const;
  [[nodiscard]] bool has_activation_energy() const { return activation_energy_ != 0.0; }
  [[nodiscard]] double activation_energy() const { return activation_energy_; }  ///< [J/mol]
  [[nodiscard]] double reference_temperature() const { return reference_temperature_; }  ///< [K]
  [[nodiscard]] const Table& table_data() const { return table_; }  ///< empty unless a table
  [[nodiscard]] const std::string& function_name() const { return function_name_; }
  /// Range of the independent variable (tables, functions); [0, 1] for constants.
  [[nodiscard]] double x_min() const;
  [[nodiscard]] double x_max() const;

  /// True when the model is strictly monotone in x over its range (constant: false). Tables are
  /// checked on their nodes (monotone cubic interpolation keeps that); functions on a fine grid.
  [[nodiscard]] bool strictly_monotone() const;

 private:
  enum class Base { constant, table, function };
  Base base_ = Base::constant;
  double constant_ = 0.0;
  Table table_;
  std::vector<double> nodes_;   // interpolated node values: y, or log10 y when table_.log10
  std::vector<double> slopes_;  // Hermite node slopes of nodes_
  std::string function_name_;
  const NamedFunction* function_ = nullptr;
  double activation_energy_ = 0.0;                   // [J/mol]
  double reference_temperature_ = room_temperature;  // [K]

  [[nodiscard]] double base_value(double x, std::string_view what) const;
};

}  // namespace cathodelab::materials
