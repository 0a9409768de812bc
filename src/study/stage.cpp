// The pipeline of stages and the design-calculator stage (figures per stack unit; equations in
// docs/theory/design_calculator.md).
#include "cathodelab/study/stage.hpp"

#include "cathodelab/study/analysis_stage.hpp"
#include "cathodelab/study/cell_stage.hpp"
#include "cathodelab/study/design_calculator.hpp"
#include "cathodelab/study/microstructure_stage.hpp"

#include <fmt/format.h>

namespace cathodelab::study {
namespace {

constexpr double coulomb_per_mah = 3.6;

CalculatorLayer layer(const LayerSpec& spec, const MaterialTable& materials) {
  CalculatorLayer out;
  out.name = spec.material;
  out.thickness = spec.thickness;
  out.porosity = spec.porosity;
  if (!spec.material.empty()) {
    const auto& m = materials.at(spec.material);
    out.density = m.density;
    out.cost_per_mass = m.cost_per_mass;
  }
  return out;
}

class DesignCalculatorStage final : public Stage {
 public:
  [[nodiscard]] std::string_view name() const override { return "design"; }

  void run(const Design& design, DesignResult& result) const override {
    const CalculatorResult& r = design.calculation;
    const CalculatorInput input = calculator_input(design);
    // The same recipe with the theoretical capacities (one Li per formula unit) for comparison.
    CalculatorInput theoretical = input;
    const auto& materials = *design.materials;
    for (std::size_t i = 0; i < theoretical.components.size(); ++i) {
      auto& c = theoretical.components[i];
      if (c.active) {
        const auto& m = materials.at(design.cell.cathode.components[i].material);
        c.specific_capacity = m.theoretical_capacity.value_or(c.specific_capacity);
      }
    }
    const CalculatorResult t = calculate_design(theoretical);
    auto& s = result.scalars;
    s["Cathode thickness [um]"] = r.cathode_thickness * 1e6;
    s["Active material loading [mg.cm-2]"] = r.areal_loading * 1e2;  // kg/m2 -> mg/cm2
    s["Active material mass fraction [-]"] = r.active_mass_fraction;
    s["Active material volume fraction [-]"] = r.active_volume_fraction;
    s["Porosity [-]"] = design.cell.cathode.porosity;
    s["Cathode density [g.cm-3]"] = r.electrode_density * 1e-3;
    s["Cathode areal mass [mg.cm-2]"] = r.cathode_areal_mass * 1e2;
    s["Areal capacity [mA.h.cm-2]"] = r.areal_capacity / coulomb_per_mah * 1e-4;
    s["Theoretical areal capacity [mA.h.cm-2]"] = t.areal_capacity / coulomb_per_mah * 1e-4;
    s["Capacity [mA.h]"] = r.capacity / coulomb_per_mah;
    s["Cathode specific capacity [mA.h.g-1]"] =
        r.composite_specific_capacity / coulomb_per_mah * 1e-3;
    s["Nominal voltage [V]"] = r.nominal_voltage;
    s["Anode thickness [um]"] = r.anode_thickness * 1e6;
    s["Stack thickness [um]"] = r.stack_thickness * 1e6;
    s["Stack areal mass [mg.cm-2]"] = r.stack_areal_mass * 1e2;
    s["Specific energy [W.h.kg-1]"] = r.specific_energy / 3600.0;
    s["Energy density [W.h.L-1]"] = r.energy_density / 3.6e6;
    const auto& components = design.cell.cathode.components;
    for (std::size_t i = 0; i < components.size(); ++i) {
      s["Solid volume fraction of " + components[i].key + " [-]"] = r.solid_volume_fractions[i];
    }
    if (r.cost_per_energy) {
      s["Material cost [$.kW-1.h-1]"] = *r.cost_per_energy * 3.6e6;
    } else {
      std::string missing;
      for (const auto& name : r.unknown_costs) missing += (missing.empty() ? "" : ", ") + name;
      result.texts["Material cost [$.kW-1.h-1]"] = "unknown (no cost for " + missing + ")";
    }
  }
};

}  // namespace

CalculatorInput calculator_input(const Design& design) {
  return calculator_input(design.cell, *design.materials);
}

CalculatorInput calculator_input(const CellDesign& cell, const MaterialTable& materials) {
  CalculatorInput in;
  std::vector<double> fractions;
  std::vector<double> densities;
  for (const auto& c : cell.cathode.components) {
    fractions.push_back(c.fraction);
    densities.push_back(materials.at(c.material).density);
  }
  const bool by_volume = !cell.cathode.components.empty() &&
                         cell.cathode.components.front().basis == FractionBasis::volume;
  const std::vector<double> mass_fractions =
      by_volume ? volume_to_mass_fractions(fractions, densities) : fractions;
  for (std::size_t i = 0; i < cell.cathode.components.size(); ++i) {
    const auto& spec = cell.cathode.components[i];
    const auto& m = materials.at(spec.material);
    CalculatorComponent c;
    c.name = spec.key;
    c.active = m.role == MaterialRole::active;
    c.mass_fraction = mass_fractions[i];
    c.density = m.density;
    if (c.active) {
      if (!m.specific_capacity) {
        throw core::InputError("active material '" + m.name + "' has no specific capacity",
                               "materials." + m.name + ".specific_capacity",
                               "add [materials." + m.name + "] specific_capacity = \"200 mAh/g\"");
      }
      c.specific_capacity = *m.specific_capacity;
      c.average_voltage = m.average_voltage;
    }
    c.cost_per_mass = m.cost_per_mass;
    if (spec.coating) {
      const auto& coating = materials.at(spec.coating->material);
      c.coating_name = coating.name;
      c.coating_volume_ratio = coating_volume_ratio(*spec.diameter, spec.coating->thickness);
      c.coating_density = coating.density;
      c.coating_cost_per_mass = coating.cost_per_mass;
    }
    in.components.push_back(c);
  }
  in.porosity = cell.cathode.porosity;
  in.areal_loading = cell.cathode.areal_loading;
  in.thickness = cell.cathode.thickness;
  in.area = cell.cathode.area;
  in.separator = layer(cell.separator, materials);
  in.positive_collector = layer(cell.positive_collector, materials);
  in.negative_collector = layer(cell.negative_collector, materials);
  LayerSpec anode{cell.anode.material, cell.anode.thickness.value_or(0.0), 0.0};
  in.anode = layer(anode, materials);
  in.anode_specific_capacity = materials.at(cell.anode.material).specific_capacity.value_or(0.0);
  in.np_ratio = cell.anode.np_ratio;
  in.nominal_voltage = cell.conditions.nominal_voltage;
  return in;
}

std::shared_ptr<const Stage> design_calculator_stage() {
  return std::make_shared<DesignCalculatorStage>();
}

StageList standard_stages() {
  // Later capabilities append here, in pipeline order (microstructure, morphology, transport,
  // homogenize, cell model).
  return {design_calculator_stage(), microstructure_stage(), analysis_stage(), cell_stage()};
}

void validate(const std::vector<Design>& designs, const StageList& stages) {
  for (const auto& design : designs) {
    for (const auto& stage : stages) {
      if (stage->applies(design)) stage->validate(design);
    }
  }
}

}  // namespace cathodelab::study
