// A study: one base input, the sweeps over it, and the materials it may use (ARCHITECTURE.md
// section 1: study.toml -> io::load_study -> StudySpec -> study::expand -> Design[]).
//
// The schema (every key, its unit and its meaning) is documented in docs/input_reference.md.
// `resolve_cell` turns one input tree into a validated CellDesign in SI; `expand` applies the
// sweeps (grid: Cartesian product; zip: element-wise) and resolves every design, so an invalid
// swept value is reported by `cathodelab check` before anything runs.
#pragma once

#include "cathodelab/core/input_tree.hpp"
#include "cathodelab/study/material_data.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cathodelab::study {

// The input tree is core's (one for every input format); study code names its parts unqualified.
using core::InputTree;
using core::InputValue;
using core::key_path_text;
using core::KeyPath;
using core::parse_key_path;
using core::starts_with;
using core::subtree;

/// One block of a sweep. Several blocks combine as a grid of blocks.
struct SweepBlock {
  enum class Mode { grid, zip };
  Mode mode = Mode::grid;
  struct Axis {
    KeyPath key;
    std::vector<InputValue> values;
    core::SourceLocation where;
  };
  std::vector<Axis> axes;
  core::SourceLocation where;
};

struct StudySpec {
  std::string name;            ///< [study] name
  std::uint64_t seed = 0;      ///< [study] seed: the root of every random stream
  std::size_t replicates = 1;  ///< [study] replicates: seeds per design point (1..1000)
  /// [study] replicate: expand only this replicate (a design.toml re-runs its own replicate).
  std::optional<std::size_t> only_replicate;
  std::string source_file;         ///< the study file as given (for messages and provenance)
  InputTree inputs;                ///< the base input without [study] and [sweep]
  std::vector<SweepBlock> sweeps;  ///< empty = a single design
  std::shared_ptr<const MaterialTable> materials;  ///< library + inline overrides
};

/// How a component's fraction was given.
enum class FractionBasis { mass, volume, balance };

struct CoatingSpec {
  std::string material;
  double thickness = 0.0;  ///< shell thickness around each particle [m]
};

struct ComponentSpec {
  std::string key;       ///< table name under cathode.components
  std::string material;  ///< material name (defaults to the key)
  FractionBasis basis = FractionBasis::mass;
  double fraction = 0.0;           ///< of the uncoated solids on `basis` [-] (balance: resolved)
  std::optional<double> diameter;  ///< particle diameter d50 [m]
  std::optional<CoatingSpec> coating;
};

struct CathodeSpec {
  std::vector<ComponentSpec> components;
  double porosity = 0.0;                ///< pore volume / electrode volume [-]
  std::optional<double> areal_loading;  ///< active-material mass per area [kg.m-2]
  std::optional<double> thickness;      ///< [m]
  double area = 1e-4;                   ///< electrode area [m2]
};

struct LayerSpec {
  std::string material;
  double thickness = 0.0;  ///< [m]
  double porosity = 0.0;   ///< [-]
};

struct AnodeSpec {
  std::string material;             ///< lithium metal
  std::optional<double> thickness;  ///< [m]
  std::optional<double> np_ratio;   ///< anode / cathode theoretical capacity [-]
};

struct CellConditions {
  double stack_pressure = 0.0;            ///< [Pa]
  double temperature = 298.15;            ///< [K]
  std::optional<double> nominal_voltage;  ///< overrides the active material's mean voltage [V]
};

/// A validated design in SI. The microstructure and protocol sections are kept as raw input
/// sections (key paths relative to the section) for their own stages to parse and validate.
struct CellDesign {
  CathodeSpec cathode;
  LayerSpec separator;
  AnodeSpec anode;
  LayerSpec positive_collector;
  LayerSpec negative_collector;
  CellConditions conditions;
  std::vector<std::string> protocol;  ///< [protocol] experiment sentences, unparsed
  /// Hook for the microstructure stage: the [microstructure] section exactly as written (with
  /// positions), or nothing when the study has none. Parsed and validated by that stage.
  std::optional<InputTree> microstructure;
  /// The rest of [protocol] beyond `experiment`, for the cell stage.
  InputTree protocol_options;
};

/// Validates one input tree against the schema and converts it to SI. Throws InputError with the
/// key path, the position and the fix.
[[nodiscard]] CellDesign resolve_cell(const InputTree& inputs, const MaterialTable& materials);

/// Valid top-level sections and keys (for did-you-mean and the documentation test).
[[nodiscard]] const std::vector<std::string>& known_sections();

}  // namespace cathodelab::study
