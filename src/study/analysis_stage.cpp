// The analysis stage and study::analyze, the one analysis of `run` and `analyze`: morphology and
// effective conductivities of a design's microstructure (analysis_stage.hpp).
#include "cathodelab/study/analysis_stage.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/study/microstructure_stage.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <memory>

namespace cathodelab::study {
namespace {

namespace ms = microstructure;

void add_solve(DesignResult& result, const std::string& network,
               const transport::EffectiveConductivity& e) {
  auto& s = result.scalars;
  const std::string title =
      std::string(1, static_cast<char>(std::toupper(network[0]))) + network.substr(1);
  s["Effective " + network + " conductivity [S.m-1]"] = e.effective_conductivity;
  s[title + " percolating fraction [-]"] = e.percolating_fraction;
  if (e.percolates && std::isfinite(e.tortuosity_factor)) {
    s[title + " tortuosity factor [-]"] = e.tortuosity_factor;
  } else {
    result.texts[title + " tortuosity factor [-]"] = "infinite (does not percolate)";
  }
  s[title + " solver converged [-]"] = e.stats.converged ? 1.0 : 0.0;
  if (!e.stats.converged) {
    result.texts[title + " solver note"] = fmt::format(
        "not converged after {} iterations (relative residual {:.2g}): the effective "
        "conductivity is approximate",
        e.stats.iterations, e.stats.residual);
  }
  s[title + " solver iterations [-]"] = e.stats.iterations;
  s[title + " conductivity relative error estimate [-]"] = e.estimated_relative_error;
}

/// The conductivities as the networks see them (network_conductivity() per label).
std::vector<double> network_conductivities(std::vector<double> sigma, double floor) {
  for (double& value : sigma) value = network_conductivity(value, floor);
  return sigma;
}

}  // namespace

double network_conductivity(double sigma, double floor) {
  return sigma >= floor ? sigma : 0.0;
}

LabelConductivities label_conductivities(const ms::Microstructure& structure,
                                         const Design& design) {
  const double temperature = design.cell.conditions.temperature;
  const MaterialTable& table = *design.materials;
  LabelConductivities out;
  for (const auto& phase : structure.phases()) {
    double ionic = 0.0;
    double electronic = 0.0;
    if (phase.role != ms::PhaseRole::pore && !phase.material.empty()) {
      const auto it = table.find(phase.material);
      if (it == table.end()) {
        throw core::InputError(
            "phase '" + phase.name + "' uses unknown material '" + phase.material + "'",
            "microstructure", "use a material of the library");
      }
      if (it->second.record) {
        const auto& record = *it->second.record;
        ionic = property_or_zero(record, &materials::Material::ionic_conductivity, temperature);
        electronic =
            property_or_zero(record, &materials::Material::electronic_conductivity, temperature);
      }
    }
    out.ionic.push_back(network_conductivity(phase.ionic_conductivity.value_or(ionic)));
    out.electronic.push_back(
        network_conductivity(phase.electronic_conductivity.value_or(electronic)));
  }
  return out;
}

EffectiveCathodeProperties AnalysisResult::effective_properties() const {
  EffectiveCathodeProperties e;
  e.ionic_conductivity = ionic.effective_conductivity;
  e.electronic_conductivity = electronic.effective_conductivity;
  e.active_area = utilizable_active_area;
  e.utilizable_fraction = morphology.utilizable_fraction;
  e.source = "microstructure";
  return e;
}

AnalysisResult analyze(const ms::Microstructure& structure,
                       const LabelConductivities& conductivities, const AnalysisOptions& options) {
  AnalysisResult out;
  out.conductivities.ionic =
      network_conductivities(conductivities.ionic, options.conductivity_floor);
  out.conductivities.electronic =
      network_conductivities(conductivities.electronic, options.conductivity_floor);
  const LabelConductivities& sigma = out.conductivities;
  auto morphology = std::make_shared<ms::Morphology>(
      ms::analyze_morphology(structure, sigma.ionic, sigma.electronic, options.morphology));
  out.morphology = morphology->summary;
  out.ionic_spanning_fraction = morphology->ionic.spanning_fraction;
  out.electronic_spanning_fraction = morphology->electronic.spanning_fraction;
  const auto& grid = structure.grid();
  const double box_volume = static_cast<double>(grid.size()) * grid.voxel_volume();
  double area = 0.0;
  for (const auto& particle : morphology->particles) {
    if (particle.utilizable()) area += particle.active_area;
  }
  out.utilizable_active_area = box_volume > 0.0 ? area / box_volume : 0.0;
  out.details = std::move(morphology);
  // A network without conductor or without a spanning path is the solver's non-percolating
  // answer; a solve that stops short is reported (converged = false) rather than thrown.
  transport::ConductivityOptions solve = options.solve;
  solve.throw_on_failure = false;
  for (const core::Axis axis : options.axes) {
    for (const bool ionic : {true, false}) {
      core::log_debug(fmt::format("{} conductivity along {}", ionic ? "ionic" : "electronic",
                                  "xyz"[static_cast<int>(axis)]));
      auto result = transport::effective_conductivity(
          structure.labels(), ionic ? sigma.ionic : sigma.electronic, axis, solve);
      if (axis == core::Axis::z) (ionic ? out.ionic : out.electronic) = result;
      (ionic ? out.ionic_by_axis : out.electronic_by_axis).push_back(std::move(result));
    }
  }
  return out;
}

namespace {

class AnalysisStage final : public Stage {
 public:
  [[nodiscard]] std::string_view name() const override { return analysis_stage_name; }

  [[nodiscard]] bool applies(const Design& design) const override {
    return design.cell.microstructure.has_value();
  }

  void run(const Design& design, DesignResult& result) const override {
    const auto structure = microstructure_payload(result);
    if (!structure) return;  // nothing generated (the microstructure stage did not run)
    auto analysis = std::make_shared<AnalysisResult>(
        analyze(*structure, label_conductivities(*structure, design)));
    add_solve(result, "ionic", analysis->ionic);
    add_solve(result, "electronic", analysis->electronic);
    const auto& m = analysis->morphology;
    auto& s = result.scalars;
    s["Utilizable active material fraction [-]"] = m.utilizable_fraction;
    s["Ion-reachable active material fraction [-]"] = m.ion_reachable_fraction;
    s["Electron-reachable active material fraction [-]"] = m.electron_reachable_fraction;
    s["Active area per volume [m-1]"] = analysis->utilizable_active_area;
    s["Active area fraction [-]"] = m.active_area_fraction;
    s["Active material surface per volume [m-1]"] = m.specific_cam_surface_area;
    s["Active particles [-]"] = static_cast<double>(m.particle_count);
    s["Ionic network spanning fraction [-]"] = analysis->ionic_spanning_fraction;
    s["Electronic network spanning fraction [-]"] = analysis->electronic_spanning_fraction;
    result.payloads[std::string(analysis_stage_name)] =
        std::shared_ptr<const AnalysisResult>(std::move(analysis));
  }
};

}  // namespace

std::shared_ptr<const Stage> analysis_stage() {
  return std::make_shared<AnalysisStage>();
}

std::shared_ptr<const AnalysisResult> analysis_payload(const DesignResult& result) {
  const auto it = result.payloads.find(std::string(analysis_stage_name));
  if (it == result.payloads.end()) return nullptr;
  const auto* p = std::any_cast<std::shared_ptr<const AnalysisResult>>(&it->second);
  return p == nullptr ? nullptr : *p;
}

}  // namespace cathodelab::study
