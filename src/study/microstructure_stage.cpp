// The microstructure stage: a design's recipe and [microstructure] section -> GenerationSpec (seed
// = the design's common-random-number seed) -> microstructure::generate.
#include "cathodelab/study/microstructure_stage.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/input_reader.hpp"
#include "cathodelab/core/suggest.hpp"
#include "cathodelab/microstructure/generate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace cathodelab::study {
namespace {

using core::InputError;
namespace ms = microstructure;

bool mentions_fibre(const MaterialData& data) {
  if (!data.record) return false;
  std::string text = data.record->formula + " " + data.record->description + " " + data.name;
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text.find("fibre") != std::string::npos || text.find("fiber") != std::string::npos;
}

ms::PhaseRole phase_role(const MaterialData& data) {
  switch (data.role) {
    case MaterialRole::active:
      return ms::PhaseRole::active;
    case MaterialRole::electrolyte:
      return ms::PhaseRole::electrolyte;
    case MaterialRole::binder:
      return ms::PhaseRole::binder;
    case MaterialRole::coating:
      return ms::PhaseRole::coating;
    case MaterialRole::conductive_additive:
      if (data.record && data.record->ionic_conductivity && data.record->electronic_conductivity) {
        return ms::PhaseRole::mixed;
      }
      return ms::PhaseRole::additive;
    default:
      return ms::PhaseRole::additive;
  }
}

const std::vector<KeyPath>& known_keys() {
  static const std::vector<KeyPath> keys = {
      {"domain"},
      {"voxel_size"},
      {"thickness"},
      {"pore_placement"},
      {"pore_diameter"},
      {"coating_representation"},
      {"components", "*", "shape"},
      {"components", "*", "diameter"},
      {"components", "*", "spread"},
      {"components", "*", "overlap"},
      {"components", "*", "fibre_diameter"},
      {"components", "*", "length"},
  };
  return keys;
}

ms::GenerationSpec resolve_generation_spec(const Design& design,
                                           const CalculatorResult& calculation,
                                           const core::InputReader& r);

}  // namespace

ms::GenerationSpec generation_spec(const Design& design, const CalculatorResult& calculation) {
  const InputTree empty;
  const InputTree& section = design.cell.microstructure ? *design.cell.microstructure : empty;
  const core::InputReader r(section, {"microstructure"});
  // The recipe's own checks (memory, sizes) name keys but not positions: placed at the key.
  return r.placed([&] { return resolve_generation_spec(design, calculation, r); });
}

namespace {

ms::GenerationSpec resolve_generation_spec(const Design& design,
                                           const CalculatorResult& calculation,
                                           const core::InputReader& r) {
  const CellDesign& cell = design.cell;
  r.refuse_unknown(known_keys());
  const MaterialTable& table = *design.materials;
  const auto& components = cell.cathode.components;
  if (const auto written = r.optional_section({"components"})) {
    for (const std::string& name : written->children()) {
      const bool known = std::any_of(components.begin(), components.end(),
                                     [&](const auto& c) { return c.key == name; });
      if (!known) {
        std::vector<std::string> keys;
        for (const auto& c : components) keys.push_back(c.key);
        written->fail({name}, "no cathode component '" + name + "'",
                      core::suggestion_text(name, keys));
      }
    }
  }

  // Per-component shape and size, before the voxel size is known.
  struct Draft {
    const ComponentSpec* component;
    const MaterialData* data;
    ms::PhaseShape shape;
    std::optional<double> diameter;  // [m] spheres
  };
  std::vector<Draft> drafts;
  bool has_matrix = false;
  double smallest_active = 0.0;
  double smallest_other = 0.0;
  for (const auto& c : components) {
    const KeyPath base{"components", c.key};
    auto key = [&](const char* leaf) {
      KeyPath k = base;
      k.emplace_back(leaf);
      return k;
    };
    const MaterialData& data = table.at(c.material);
    Draft d{&c, &data, ms::PhaseShape::sphere, c.diameter};
    if (auto diameter = r.quantity(key("diameter"), core::dim::length, "\"2 um\"")) {
      d.diameter = diameter;
    }
    if (auto shape = r.text(key("shape"), "\"sphere\"")) {
      d.shape = r.located(key("shape"),
                          [&] { return ms::parse_phase_shape(*shape, r.key_text(key("shape"))); });
      if (d.shape == ms::PhaseShape::pore) {
        r.fail(key("shape"), "a cathode component cannot be drawn as pores",
               "use sphere, fibre or matrix; pores come from cathode.porosity");
      }
    } else if (data.role == MaterialRole::conductive_additive && mentions_fibre(data)) {
      d.shape = ms::PhaseShape::fibre;
    } else if (data.role == MaterialRole::electrolyte && !d.diameter && !has_matrix) {
      d.shape = ms::PhaseShape::matrix;
    }
    if (d.shape == ms::PhaseShape::matrix) {
      if (has_matrix) {
        r.fail(key("shape"), "two components drawn as matrix",
               "only one component may fill the space the particles leave");
      }
      has_matrix = true;
    }
    if (d.shape == ms::PhaseShape::sphere) {
      if (!d.diameter) {
        throw InputError("component '" + c.key + "' is drawn as spheres but has no diameter",
                         "cathode.components." + c.key + ".diameter",
                         "add diameter = \"2 um\" (or microstructure.components." + c.key +
                             ".shape = \"matrix\")");
      }
      double& smallest = data.role == MaterialRole::active ? smallest_active : smallest_other;
      smallest = smallest == 0.0 ? *d.diameter : std::min(smallest, *d.diameter);
    }
    drafts.push_back(d);
  }
  if (smallest_active == 0.0) {
    throw InputError("no active-material spheres to build a structure around", "cathode.components",
                     "give the active material a diameter");
  }

  ms::GenerationSpec spec;
  spec.seed = design.seed;
  double default_voxel = smallest_active / 8.0;
  if (smallest_other > 0.0) default_voxel = std::min(default_voxel, smallest_other / 3.0);
  spec.voxel_size =
      r.quantity({"voxel_size"}, core::dim::length, "\"0.5 um\"").value_or(default_voxel);
  const double default_domain = std::max(4.0 * smallest_active, 20e-6);
  spec.domain_x = spec.domain_y = default_domain;
  if (auto domain = r.text_list({"domain"}, "[\"20 um\", \"20 um\"]")) {
    if (domain->empty() || domain->size() > 2) {
      r.fail({"domain"}, "domain takes one or two in-plane lengths",
             "e.g. domain = \"20 um\" or [\"20 um\", \"30 um\"]");
    }
    auto length = [&](const std::string& text) {
      return r.located({"domain"}, [&] {
        return core::parse_quantity_as(text, core::dim::length, r.key_text({"domain"}), "20 um");
      });
    };
    spec.domain_x = length(domain->front());
    spec.domain_y = length(domain->back());
  }
  spec.thickness = r.quantity({"thickness"}, core::dim::length, "\"30 um\"")
                       .value_or(calculation.cathode_thickness);

  const auto representation = r.located({"coating_representation"}, [&] {
    return ms::parse_coating_representation(
        r.text({"coating_representation"}, "\"auto\"").value_or("auto"),
        r.key_text({"coating_representation"}));
  });
  const double solids = 1.0 - cell.cathode.porosity;
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    const Draft& d = drafts[i];
    const ComponentSpec& c = *d.component;
    const KeyPath base{"components", c.key};
    auto key = [&](const char* leaf) {
      KeyPath k = base;
      k.emplace_back(leaf);
      return k;
    };
    ms::PhaseSpec phase;
    phase.name = c.key;
    phase.material = c.material;
    phase.role = phase_role(*d.data);
    phase.shape = d.shape;
    phase.volume_fraction = solids * calculation.solid_volume_fractions.at(i);
    const double default_overlap = d.data->role == MaterialRole::active ? 0.1 : 0.2;
    phase.allowed_overlap = r.number(key("overlap"), "0.1").value_or(default_overlap);
    if (d.shape == ms::PhaseShape::sphere) {
      phase.size.d50 = *d.diameter;
      phase.size.geometric_spread = r.number(key("spread"), "1.3").value_or(1.0);
      if (c.coating) {
        ms::CoatingSpec coating;
        coating.name = c.coating->material + " coating";
        coating.material = c.coating->material;
        coating.thickness = c.coating->thickness;
        coating.representation = representation;
        phase.coating = coating;
      }
    } else if (d.shape == ms::PhaseShape::fibre) {
      phase.fibre.diameter = r.quantity(key("fibre_diameter"), core::dim::length, "\"150 nm\"")
                                 .value_or(d.diameter.value_or(150e-9));
      phase.fibre.length.d50 =
          r.quantity(key("length"), core::dim::length, "\"10 um\"").value_or(10e-6);
      phase.fibre.length.geometric_spread = r.number(key("spread"), "1.3").value_or(1.0);
    }
    spec.phases.push_back(phase);
  }

  // Pores: at active-particle surfaces around a matrix (cold pressing), else what the packing
  // leaves.
  const double porosity = cell.cathode.porosity;
  const auto placement = r.located({"pore_placement"}, [&] {
    return ms::parse_pore_placement(
        r.text({"pore_placement"}, "\"surface\"").value_or(has_matrix ? "surface" : "remainder"),
        r.key_text({"pore_placement"}));
  });
  if (!has_matrix || porosity > 0.0) {
    ms::PhaseSpec pore;
    pore.name = "pore";
    pore.role = ms::PhaseRole::pore;
    pore.shape = ms::PhaseShape::pore;
    pore.placement = placement;
    pore.volume_fraction = porosity;
    pore.size.d50 = r.quantity({"pore_diameter"}, core::dim::length, "\"1 um\"")
                        .value_or(std::max(2.0 * spec.voxel_size, smallest_active / 5.0));
    spec.phases.push_back(pore);
  }
  ms::validate(spec);
  return spec;
}

}  // namespace

namespace {

class MicrostructureStage final : public Stage {
 public:
  [[nodiscard]] std::string_view name() const override { return microstructure_stage_name; }

  [[nodiscard]] bool applies(const Design& design) const override {
    return design.cell.microstructure.has_value();
  }

  void run(const Design& design, DesignResult& result) const override {
    // Resolved when the design was made (make_design), so `check` has already validated it.
    const ms::GenerationSpec& spec = *design.generation;
    auto generated = ms::generate(spec);
    auto& s = result.scalars;
    const auto& grid = generated.microstructure.grid();
    s["Microstructure voxels [-]"] = static_cast<double>(grid.size());
    s["Voxel size [um]"] = spec.voxel_size * 1e6;
    s["Microstructure thickness [um]"] = spec.thickness * 1e6;
    for (const auto& phase : generated.report.phases) {
      if (phase.target_fraction) {
        s["Target volume fraction " + phase.name + " [-]"] = *phase.target_fraction;
      }
      s["Measured volume fraction " + phase.name + " [-]"] = phase.measured_fraction;
      if (phase.shape != ms::PhaseShape::matrix && !phase.is_coating) {
        s["Particle count " + phase.name + " [-]"] = static_cast<double>(phase.particle_count);
      }
    }
    std::string notes;
    for (const auto& note : generated.report.notes) notes += (notes.empty() ? "" : "; ") + note;
    if (!notes.empty()) result.texts["Microstructure notes"] = notes;
    // The report travels with the structure so microstructure.json records the targets, exactly
    // as `cathodelab build` does.
    result.payloads[std::string(generation_report_payload_name)] =
        std::shared_ptr<const ms::GenerationReport>(
            std::make_shared<ms::GenerationReport>(std::move(generated.report)));
    result.payloads[std::string(microstructure_stage_name)] =
        std::shared_ptr<const ms::Microstructure>(
            std::make_shared<ms::Microstructure>(std::move(generated.microstructure)));
  }
};

}  // namespace

std::shared_ptr<const Stage> microstructure_stage() {
  return std::make_shared<MicrostructureStage>();
}

std::shared_ptr<const ms::Microstructure> microstructure_payload(const DesignResult& result) {
  const auto it = result.payloads.find(std::string(microstructure_stage_name));
  if (it == result.payloads.end()) return nullptr;
  const auto* p = std::any_cast<std::shared_ptr<const ms::Microstructure>>(&it->second);
  return p == nullptr ? nullptr : *p;
}

std::shared_ptr<const ms::GenerationReport> generation_report_payload(const DesignResult& result) {
  const auto it = result.payloads.find(std::string(generation_report_payload_name));
  if (it == result.payloads.end()) return nullptr;
  const auto* p = std::any_cast<std::shared_ptr<const ms::GenerationReport>>(&it->second);
  return p == nullptr ? nullptr : *p;
}

}  // namespace cathodelab::study
