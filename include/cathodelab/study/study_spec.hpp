// A study: one base input, the sweeps over it, and the materials it may use (ARCHITECTURE.md
// section 1: study.toml -> io::load_study -> StudySpec -> study::expand -> Design[]).
//
// The schema (every key, its unit and its meaning) is documented in docs/input_reference.md.
// `resolve_cell` turns one input tree into a validated CellDesign in SI; `expand` applies the
// sweeps (grid: Cartesian product; zip: element-wise) and resolves every design, so an invalid
// swept value is reported by `cathodelab check` before anything runs.
#pragma once

#include "cathodelab/core/input_reader.hpp"
#include "cathodelab/core/input_tree.hpp"
#include "cathodelab/echem/experiment.hpp"
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

/// Options of the cell model from [protocol] (documented in docs/input_reference.md).
struct CellModelOptions {
  double exchange_current_density = 1.0;           ///< [A/m^2] cathode, at half lithiation
  double lithium_exchange_current_density = 10.0;  ///< [A/m^2]
  double initial_state_of_charge = 1.0;            ///< [-]
  double lower_voltage_limit = 2.0;                ///< [V]
  double upper_voltage_limit = 4.6;                ///< [V]
};

/// One rate of the rate test: as written ("1C"), as a multiple of the 1C current, and its
/// discharge to the rate-test cut-off as a typed step.
struct RateSpec {
  std::string text;
  double c_rate = 0.0;  ///< [-]
  echem::Experiment discharge;
};

/// [protocol], resolved once when the design is made: the experiment parsed into typed steps, the
/// rate test and the cell-model options in SI. The cell stage reads nothing else.
struct ProtocolSpec {
  std::vector<std::string> sentences;  ///< the experiment as written
  echem::Experiment experiment;        ///< the sentences parsed
  std::vector<RateSpec> rate_test;     ///< discharges at these rates from the charged state
  double rate_test_cutoff = 2.5;       ///< [V]
  CellModelOptions cell_model;
  /// Whether the design asks for any cell simulation.
  [[nodiscard]] bool any() const { return !sentences.empty() || !rate_test.empty(); }
};

/// A validated design in SI.
struct CellDesign {
  CathodeSpec cathode;
  LayerSpec separator;
  AnodeSpec anode;
  LayerSpec positive_collector;
  LayerSpec negative_collector;
  CellConditions conditions;
  ProtocolSpec protocol;
  /// The [microstructure] section as written (full key paths "microstructure.*", with positions),
  /// or nothing when the study has none. Its typed spec needs the design calculator's numbers:
  /// study::generation_spec resolves it when the design is made (Design::generation).
  std::optional<InputTree> microstructure;
};

/// Validates one input tree against the schema and converts it to SI. Throws InputError with the
/// key path, the position and the fix.
[[nodiscard]] CellDesign resolve_cell(const InputTree& inputs, const MaterialTable& materials);

/// Resolves a [protocol] section (unknown keys refused; the experiment parsed).
[[nodiscard]] ProtocolSpec resolve_protocol(const core::InputReader& section);

/// Valid top-level sections and keys (for did-you-mean and the documentation test).
[[nodiscard]] const std::vector<std::string>& known_sections();

}  // namespace cathodelab::study
