// Design calculator; derivation in docs/theory/design_calculator.md.
#include "cathodelab/study/design_calculator.hpp"

#include "cathodelab/core/error.hpp"

#include <cmath>
#include <numeric>

namespace cathodelab::study {
namespace {

using core::InputError;

double sum(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0);
}

double layer_areal_mass(const CalculatorLayer& layer) {
  return layer.thickness * (1.0 - layer.porosity) * layer.density;
}

}  // namespace

std::vector<double> mass_to_volume_fractions(const std::vector<double>& mass_fractions,
                                             const std::vector<double>& densities) {
  CATHODELAB_REQUIRE(mass_fractions.size() == densities.size(), "one density per fraction");
  std::vector<double> volumes(mass_fractions.size());
  for (std::size_t i = 0; i < volumes.size(); ++i) {
    CATHODELAB_REQUIRE(densities[i] > 0.0, "densities must be positive");
    volumes[i] = mass_fractions[i] / densities[i];
  }
  const double total = sum(volumes);
  CATHODELAB_REQUIRE(total > 0.0, "fractions must not all be zero");
  for (double& v : volumes) v /= total;
  return volumes;
}

std::vector<double> volume_to_mass_fractions(const std::vector<double>& volume_fractions,
                                             const std::vector<double>& densities) {
  CATHODELAB_REQUIRE(volume_fractions.size() == densities.size(), "one density per fraction");
  std::vector<double> masses(volume_fractions.size());
  for (std::size_t i = 0; i < masses.size(); ++i) masses[i] = volume_fractions[i] * densities[i];
  const double total = sum(masses);
  CATHODELAB_REQUIRE(total > 0.0, "fractions must not all be zero");
  for (double& m : masses) m /= total;
  return masses;
}

double coating_volume_ratio(double diameter, double thickness) {
  CATHODELAB_REQUIRE(diameter > 0.0 && thickness >= 0.0, "diameter > 0 and thickness >= 0");
  const double ratio = 1.0 + 2.0 * thickness / diameter;  // (r + t) / r
  return ratio * ratio * ratio - 1.0;
}

CalculatorResult calculate_design(const CalculatorInput& in) {
  CalculatorResult out;
  const std::size_t n = in.components.size();
  if (n == 0) throw InputError("no cathode components", "cathode.components", "add components");
  if (!(in.porosity >= 0.0 && in.porosity < 1.0)) {
    throw InputError("porosity outside [0, 1)", "cathode.porosity", "e.g. porosity = 0.2");
  }

  // Per unit mass of uncoated solids: core volumes, shell volumes and masses.
  std::vector<double> core_volume(n);
  std::vector<double> shell_volume(n);
  double solid_volume = 0.0;
  double solid_mass = 0.0;
  double active_mass = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& c = in.components[i];
    core_volume[i] = c.mass_fraction / c.density;
    shell_volume[i] = c.coating_volume_ratio * core_volume[i];
    solid_volume += core_volume[i] + shell_volume[i];
    solid_mass += c.mass_fraction + shell_volume[i] * c.coating_density;
    if (c.active) active_mass += c.mass_fraction;
  }
  if (active_mass <= 0.0) {
    throw InputError("no active material in the cathode", "cathode.components",
                     "add a cathode active material such as NCM811 with a non-zero fraction");
  }
  out.solid_volume_fractions.resize(n);
  out.coating_volume_fractions.resize(n);
  double active_density_term = 0.0;    // sum_a phi_a rho_a  [kg.m-3 of solids]
  double capacity_density_term = 0.0;  // sum_a phi_a rho_a q_a  [C.m-3 of solids]
  double voltage_weighted = 0.0;
  bool voltage_known = true;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& c = in.components[i];
    out.solid_volume_fractions[i] = core_volume[i] / solid_volume;
    out.coating_volume_fractions[i] = shell_volume[i] / solid_volume;
    if (c.active) {
      const double rho_phi = out.solid_volume_fractions[i] * c.density;
      active_density_term += rho_phi;
      capacity_density_term += rho_phi * c.specific_capacity;
      if (c.average_voltage) {
        voltage_weighted += rho_phi * c.specific_capacity * *c.average_voltage;
      } else {
        voltage_known = false;
      }
    }
  }
  out.solid_density = solid_mass / solid_volume;
  out.electrode_density = (1.0 - in.porosity) * out.solid_density;
  out.active_mass_fraction = active_mass / solid_mass;
  double active_phi = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (in.components[i].active) active_phi += out.solid_volume_fractions[i];
  }
  out.active_volume_fraction = (1.0 - in.porosity) * active_phi;

  if (in.areal_loading.has_value() == in.thickness.has_value()) {
    throw InputError("give exactly one of areal_loading and thickness", "cathode.areal_loading",
                     "e.g. areal_loading = \"12 mg/cm^2\"");
  }
  if (in.areal_loading) {
    out.areal_loading = *in.areal_loading;
    out.cathode_thickness = out.areal_loading / ((1.0 - in.porosity) * active_density_term);
  } else {
    out.cathode_thickness = *in.thickness;
    out.areal_loading = out.cathode_thickness * (1.0 - in.porosity) * active_density_term;
  }
  const double solid_thickness = out.cathode_thickness * (1.0 - in.porosity);  // [m of dense solid]
  out.cathode_areal_mass = solid_thickness * out.solid_density;
  out.areal_capacity = solid_thickness * capacity_density_term;
  out.capacity = out.areal_capacity * in.area;
  out.composite_specific_capacity = out.areal_capacity / out.cathode_areal_mass;

  if (in.nominal_voltage) {
    out.nominal_voltage = *in.nominal_voltage;
  } else if (voltage_known && capacity_density_term > 0.0) {
    out.nominal_voltage = voltage_weighted / capacity_density_term;
  } else {
    throw InputError(
        "no mean voltage known for the active material", "cell.nominal_voltage",
        "set cell.nominal_voltage = \"3.8 V\" or give the material an average voltage");
  }

  if (in.np_ratio) {
    if (!(in.anode_specific_capacity > 0.0)) {
      throw InputError("anode material has no specific capacity", "anode.np_ratio",
                       "give anode.thickness instead, e.g. thickness = \"30 um\"");
    }
    out.anode_thickness =
        *in.np_ratio * out.areal_capacity / (in.anode.density * in.anode_specific_capacity);
  } else {
    out.anode_thickness = in.anode.thickness;
  }
  CalculatorLayer anode = in.anode;
  anode.thickness = out.anode_thickness;

  out.stack_areal_mass = out.cathode_areal_mass + layer_areal_mass(in.separator) +
                         layer_areal_mass(anode) + layer_areal_mass(in.positive_collector) +
                         layer_areal_mass(in.negative_collector);
  out.stack_thickness = out.cathode_thickness + in.separator.thickness + anode.thickness +
                        in.positive_collector.thickness + in.negative_collector.thickness;
  out.areal_energy = out.areal_capacity * out.nominal_voltage;
  out.specific_energy = out.areal_energy / out.stack_areal_mass;
  out.energy_density = out.areal_energy / out.stack_thickness;

  // Cost: every mass present in the stack must have a known price, otherwise the total is unknown.
  double cost = 0.0;
  auto add_cost = [&](const std::string& name, double areal_mass,
                      const std::optional<double>& price) {
    if (areal_mass <= 0.0) return;
    if (price) {
      cost += areal_mass * *price;
    } else {
      out.unknown_costs.push_back(name);
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    const auto& c = in.components[i];
    add_cost(c.name, solid_thickness * out.solid_volume_fractions[i] * c.density, c.cost_per_mass);
    add_cost(c.coating_name, solid_thickness * out.coating_volume_fractions[i] * c.coating_density,
             c.coating_cost_per_mass);
  }
  for (const CalculatorLayer* layer : {&in.separator, static_cast<const CalculatorLayer*>(&anode),
                                       &in.positive_collector, &in.negative_collector}) {
    add_cost(layer->name, layer_areal_mass(*layer), layer->cost_per_mass);
  }
  if (out.unknown_costs.empty()) out.cost_per_energy = cost / out.areal_energy;
  return out;
}

}  // namespace cathodelab::study
