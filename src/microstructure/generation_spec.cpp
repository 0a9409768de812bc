// Names, parsing and validation of GenerationSpec (see generation_spec.hpp).
#include "cathodelab/microstructure/generation_spec.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/memory.hpp"
#include "cathodelab/core/suggest.hpp"
#include "cathodelab/microstructure/generate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace cathodelab::microstructure {
namespace {

template <class Enum, std::size_t N>
Enum parse_enum(const std::string& text, const std::array<Enum, N>& values, const char* what,
                const std::string& key_path) {
  std::vector<std::string> names;
  for (const Enum value : values) {
    if (text == to_string(value)) {
      return value;
    }
    names.emplace_back(to_string(value));
  }
  core::throw_unknown(what, text, names, key_path);
}

// Phases are named tables in input files: microstructure.phases.<name>.
std::string phase_key(const std::string& name, std::size_t index) {
  return name.empty() ? fmt::format("microstructure.phases[{}]", index)
                      : "microstructure.phases." + name;
}

void check_size(const SizeDistribution& size, const std::string& key, double voxel_size) {
  if (!size.table_diameters.empty()) {
    if (size.table_diameters.size() != size.table_fractions.size()) {
      throw core::InputError("size table has different numbers of diameters and fractions",
                             key + ".size_table_fractions", "give one fraction per diameter");
    }
    double total = 0.0;
    for (std::size_t i = 0; i < size.table_diameters.size(); ++i) {
      if (!(size.table_diameters[i] > 0.0) || !(size.table_fractions[i] >= 0.0)) {
        throw core::InputError("size table needs positive diameters and non-negative fractions",
                               key, "e.g. table = [[\"2 um\", 0.3], [\"5 um\", 0.7]]");
      }
      total += size.table_fractions[i];
    }
    if (!(total > 0.0)) {
      throw core::InputError("size table fractions are all zero", key + ".size_table_fractions",
                             "give at least one positive fraction");
    }
    return;
  }
  if (!(size.d50 > 0.0) || !std::isfinite(size.d50)) {
    throw core::InputError("d50 must be a positive length", key + ".diameter",
                           "e.g. diameter = \"5 um\"");
  }
  for (const auto& [bound, leaf] : {std::pair{size.min_diameter, ".min_diameter"},
                                    std::pair{size.max_diameter, ".max_diameter"}}) {
    if (!(bound >= 0.0) || !std::isfinite(bound)) {
      throw core::InputError(fmt::format("size bound {} m is not a length >= 0", bound), key + leaf,
                             "e.g. min_diameter = \"1 um\", or leave it out");
    }
  }
  if (size.min_diameter > 0.0 && size.max_diameter > 0.0 &&
      size.min_diameter >= size.max_diameter) {
    throw core::InputError(fmt::format("min_diameter {:.3g} um is not below max_diameter {:.3g} um",
                                       size.min_diameter * 1e6, size.max_diameter * 1e6),
                           key + ".min_diameter", "give a min_diameter below the max_diameter");
  }
  if (!(size.geometric_spread >= 1.0) || size.geometric_spread > 5.0) {
    throw core::InputError(
        fmt::format("geometric spread {} is outside [1, 5]", size.geometric_spread),
        key + ".spread", "sigma_g = 1 is monodisperse; 1.2-1.6 is typical for powders");
  }
  if (voxel_size > 0.0 && size.d50 < 1.5 * voxel_size) {
    throw core::InputError(
        fmt::format("d50 = {:.3g} um is smaller than 1.5 voxels ({:.3g} um): particles would not "
                    "be resolved",
                    size.d50 * 1e6, 1.5 * voxel_size * 1e6),
        key + ".diameter",
        "use a smaller voxel_size (at least 4 voxels per diameter is advisable)");
  }
}

// A grid beyond this many voxels is refused whatever the memory: the voxel index arithmetic of the
// generator and of every later stage assumes far smaller grids.
constexpr double max_voxels = 1e12;

/// [byte] per voxel of generation, taken from the generator's own estimate for a 100^3 grid.
double generation_bytes_per_voxel() {
  GenerationSpec cube;
  cube.voxel_size = 1.0;
  cube.domain_x = cube.domain_y = cube.thickness = 100.0;
  return static_cast<double>(generation_memory_bytes(cube)) / 1e6;
}

// The same size checks the generator makes before it allocates (generate.cpp: setup_grid), so
// `check` refuses a recipe that `build` and `run` could not draw.
void check_grid_size(const GenerationSpec& spec) {
  const auto count = [&](double length) {
    return std::max(1.0, std::round(length / spec.voxel_size));
  };
  const double voxels = count(spec.domain_x) * count(spec.domain_y) * count(spec.thickness);
  if (voxels > max_voxels) {
    throw core::InputError(
        fmt::format("the grid would have {:.3g} voxels (limit {:.0e}) and need about {:.3g} GB",
                    voxels, max_voxels, voxels * generation_bytes_per_voxel() / 1e9),
        "microstructure.voxel_size", "use a coarser voxel_size or a smaller domain and thickness");
  }
  try {
    core::require_memory(generation_memory_bytes(spec), "generating the microstructure");
  } catch (const core::InputError& e) {
    throw core::InputError(e.problem(), "microstructure.domain", e.fix());
  }
}

}  // namespace

const char* to_string(PhaseShape shape) noexcept {
  switch (shape) {
    case PhaseShape::sphere:
      return "sphere";
    case PhaseShape::fibre:
      return "fibre";
    case PhaseShape::matrix:
      return "matrix";
    case PhaseShape::pore:
      return "pore";
  }
  return "?";
}

const char* to_string(PorePlacement placement) noexcept {
  switch (placement) {
    case PorePlacement::remainder:
      return "remainder";
    case PorePlacement::surface:
      return "surface";
    case PorePlacement::random:
      return "random";
    case PorePlacement::none:
      return "none";
  }
  return "?";
}

const char* to_string(PhaseRole role) noexcept {
  switch (role) {
    case PhaseRole::pore:
      return "pore";
    case PhaseRole::active:
      return "active";
    case PhaseRole::electrolyte:
      return "electrolyte";
    case PhaseRole::additive:
      return "additive";
    case PhaseRole::coating:
      return "coating";
    case PhaseRole::binder:
      return "binder";
    case PhaseRole::mixed:
      return "mixed";
  }
  return "?";
}

const char* to_string(CoatingRepresentation representation) noexcept {
  switch (representation) {
    case CoatingRepresentation::automatic:
      return "auto";
    case CoatingRepresentation::voxels:
      return "voxels";
    case CoatingRepresentation::interface:
      return "interface";
  }
  return "?";
}

PhaseShape parse_phase_shape(const std::string& text, const std::string& key_path) {
  if (text == "fiber") {
    return PhaseShape::fibre;
  }
  return parse_enum(
      text, std::array{PhaseShape::sphere, PhaseShape::fibre, PhaseShape::matrix, PhaseShape::pore},
      "shape", key_path);
}

PorePlacement parse_pore_placement(const std::string& text, const std::string& key_path) {
  return parse_enum(text,
                    std::array{PorePlacement::remainder, PorePlacement::surface,
                               PorePlacement::random, PorePlacement::none},
                    "pore placement", key_path);
}

PhaseRole parse_phase_role(const std::string& text, const std::string& key_path) {
  return parse_enum(
      text,
      std::array{PhaseRole::pore, PhaseRole::active, PhaseRole::electrolyte, PhaseRole::additive,
                 PhaseRole::coating, PhaseRole::binder, PhaseRole::mixed},
      "phase role", key_path);
}

CoatingRepresentation parse_coating_representation(const std::string& text,
                                                   const std::string& key_path) {
  return parse_enum(text,
                    std::array{CoatingRepresentation::automatic, CoatingRepresentation::voxels,
                               CoatingRepresentation::interface},
                    "coating representation", key_path);
}

void validate(const GenerationSpec& spec) {
  const auto positive = [](double v) { return v > 0.0 && std::isfinite(v); };
  if (!positive(spec.voxel_size)) {
    throw core::InputError("voxel size must be positive", "microstructure.voxel_size",
                           "e.g. voxel_size = \"0.25 um\"");
  }
  if (!positive(spec.domain_x) || !positive(spec.domain_y)) {
    throw core::InputError("in-plane domain size must be positive", "microstructure.domain",
                           "e.g. domain = \"40 um\" or domain = [\"40 um\", \"30 um\"]");
  }
  if (!positive(spec.thickness)) {
    throw core::InputError("thickness must be positive", "microstructure.thickness",
                           "e.g. thickness = \"60 um\"");
  }
  for (const auto& [length, key] :
       {std::pair{spec.domain_x, "domain"}, std::pair{spec.domain_y, "domain"},
        std::pair{spec.thickness, "thickness"}}) {
    if (length < 2.0 * spec.voxel_size) {
      throw core::InputError(fmt::format("{} is less than two voxels", key),
                             std::string("microstructure.") + key,
                             "make the domain larger or the voxel smaller");
    }
  }
  if (spec.phases.empty()) {
    throw core::InputError("no phases", "microstructure.phases",
                           "add [[microstructure.phases]] tables");
  }
  if (spec.phases.size() > 200) {
    throw core::InputError("too many phases (labels are 8-bit)", "microstructure.phases",
                           "use at most 200 phases");
  }
  int remainder_phases = 0;
  int matrix_phases = 0;
  int pore_phases = 0;
  double fixed_total = 0.0;
  for (std::size_t i = 0; i < spec.phases.size(); ++i) {
    const PhaseSpec& phase = spec.phases[i];
    const std::string key = phase_key(phase.name, i);
    if (phase.name.empty()) {
      throw core::InputError("phase has no name", key + ".name", "e.g. name = \"NCM811\"");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (spec.phases[j].name == phase.name) {
        throw core::InputError(fmt::format("phase name '{}' is used twice", phase.name),
                               key + ".name", "give every phase its own name");
      }
    }
    const bool remainder =
        phase.shape == PhaseShape::matrix ||
        (phase.shape == PhaseShape::pore && phase.placement == PorePlacement::remainder);
    matrix_phases += phase.shape == PhaseShape::matrix ? 1 : 0;
    pore_phases += phase.shape == PhaseShape::pore ? 1 : 0;
    if (remainder) {
      ++remainder_phases;
      continue;
    }
    if (!(phase.volume_fraction >= 0.0 && phase.volume_fraction <= 1.0)) {
      throw core::InputError(
          fmt::format("volume fraction {} is outside [0, 1]", phase.volume_fraction),
          key + ".volume_fraction", "e.g. volume_fraction = 0.6");
    }
    fixed_total += phase.volume_fraction;
    if (phase.shape == PhaseShape::pore && phase.placement == PorePlacement::none &&
        phase.volume_fraction > 0.0) {
      throw core::InputError(
          "pores placed 'none' must have volume fraction 0", key + ".volume_fraction",
          "set volume_fraction = 0 or choose placement = \"surface\" or \"random\"");
    }
    if (phase.shape == PhaseShape::sphere ||
        (phase.shape == PhaseShape::pore && phase.volume_fraction > 0.0)) {
      check_size(phase.size, key, spec.voxel_size);
    }
    if (!(phase.allowed_overlap >= 0.0 && phase.allowed_overlap < 0.9)) {
      throw core::InputError(
          fmt::format("allowed overlap {} is outside [0, 0.9)", phase.allowed_overlap),
          key + ".overlap",
          "0 = hard particles; 0.05-0.3 mimics plastic flattening of soft electrolytes");
    }
    if (phase.shape == PhaseShape::fibre) {
      if (!positive(phase.fibre.diameter)) {
        throw core::InputError("fibre diameter must be positive", key + ".fibre_diameter",
                               "e.g. diameter = \"150 nm\"");
      }
      check_size(phase.fibre.length, key + ".length", 0.0);
      if (!(phase.fibre.tilt_spread >= 0.0) || !std::isfinite(phase.fibre.tilt_spread)) {
        throw core::InputError(fmt::format("tilt spread {:.3g} deg is not a finite angle >= 0",
                                           phase.fibre.tilt_spread * 180.0 / std::numbers::pi),
                               key + ".tilt_spread_deg",
                               "e.g. tilt_spread_deg = 10 (0 = fibres in the plane)");
      }
    }
    if (phase.coating) {
      if (phase.shape != PhaseShape::sphere) {
        throw core::InputError("only sphere phases can be coated", key + ".coating",
                               "remove the coating table");
      }
      if (!positive(phase.coating->thickness)) {
        throw core::InputError("coating thickness must be positive", key + ".coating_thickness",
                               "e.g. thickness = \"10 nm\"");
      }
    }
  }
  if (matrix_phases > 1) {
    throw core::InputError(
        "more than one matrix phase", "microstructure.phases",
        "merge them into one matrix (e.g. a carbon-binder domain) or make one of them particles");
  }
  if (pore_phases > 1) {
    throw core::InputError("more than one pore phase", "microstructure.phases",
                           "keep one phase with shape = \"pore\"");
  }
  if (remainder_phases != 1) {
    throw core::InputError(remainder_phases == 0 ? "no phase fills the remainder"
                                                 : "two phases both fill the remainder",
                           "microstructure.phases",
                           "exactly one phase takes what is left: a matrix phase (shape = "
                           "\"matrix\"), or, without a matrix, "
                           "the pore phase with placement = \"remainder\"");
  }
  if (fixed_total > 1.0 + 1e-9) {
    throw core::InputError(fmt::format("volume fractions add up to {:.4f} > 1", fixed_total),
                           "microstructure.phases",
                           "lower the fractions; the remainder phase takes 1 - their sum");
  }
  if (spec.packing.max_sweeps < 0) {
    throw core::InputError(fmt::format("must not be negative, got {}", spec.packing.max_sweeps),
                           "microstructure.packing.max_sweeps", "e.g. max_sweeps = 400");
  }
  if (!(spec.packing.overlap_tolerance > 0.0) || !std::isfinite(spec.packing.overlap_tolerance)) {
    throw core::InputError(
        fmt::format("tolerance {} is not a positive finite number", spec.packing.overlap_tolerance),
        "microstructure.packing.tolerance", "e.g. tolerance = 0.002");
  }
  check_grid_size(spec);
}

}  // namespace cathodelab::microstructure
