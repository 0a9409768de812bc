// `cathodelab analyze IMAGE_OR_DIR --voxel-size "1 um" --phase 0=pore --phase 1=Li6PS5Cl ... --out
// DIR`: networks, percolation, active area and per-particle statistics of a labelled image, and the
// effective ionic and electronic conductivities along the requested axes. Writes DIR/analysis.json
// and DIR/particles_analysis.csv. Every phase spec is one of
//   L=pore | L=void                   conducts nothing
//   L=<library material>              conductivities from the materials library at --temperature
//   L=ionic:<S/m>                     an explicit ionic conductor
//   L=electronic:<S/m>                an explicit electronic conductor
//   L=mixed:<ionic S/m>,<electronic S/m>
#include "argument_checks.hpp"
#include "command.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/core/suggest.hpp"
#include "cathodelab/core/units.hpp"
#include "cathodelab/io/analysis_writer.hpp"
#include "cathodelab/io/image_io.hpp"
#include "cathodelab/io/material_library.hpp"
#include "cathodelab/io/provenance.hpp"
#include "cathodelab/materials/material_library.hpp"
#include "cathodelab/microstructure/generation_spec.hpp"
#include "cathodelab/microstructure/morphology.hpp"
#include "cathodelab/study/analysis_stage.hpp"
#include "cathodelab/transport/effective_conductivity.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cathodelab::apps {
namespace {

namespace fs = std::filesystem;
using microstructure::Label;
using microstructure::Network;
using microstructure::PhaseRole;

struct AnalyzeArgs {
  std::string input;
  std::string voxel_size;
  std::vector<std::string> phases;
  std::string active;
  std::string axes = "x,y,z";
  std::string temperature = "25 degC";
  double stoichiometry = 0.5;
  std::string min_conductivity = fmt::format("{:g} S/m", study::minimum_network_conductivity);
  std::string connectivity = "face";
  bool periodic = false;
  bool no_transport = false;
  double tolerance = 1e-6;
  std::string materials_dir;
  std::string out;
};

struct AnalysisInput {
  microstructure::Microstructure structure;
};

/// Reads the image (any format io::read_label_values supports), or a `cathodelab build` folder:
/// its labels.tif, and from its microstructure.json the voxel size, periodicity and phases (which
/// --voxel-size and --phase override). Image values are the labels the --phase options refer to.
AnalysisInput load_analysis_input(const std::string& path, const std::string& voxel_size_text) {
  fs::path image = path;
  std::optional<io::BuildFolderInfo> folder;
  if (fs::is_directory(image) && fs::exists(image / "labels.tif")) {
    folder = io::read_build_folder_info(image);
    image = image / "labels.tif";
  }
  double voxel_size = folder ? folder->voxel_size : 0.0;
  if (!voxel_size_text.empty()) {
    voxel_size =
        core::parse_quantity_as(voxel_size_text, core::dim::length, "--voxel-size", "1 um");
  } else if (!folder) {
    throw core::InputError("no voxel size given", "--voxel-size", "add e.g. --voxel-size \"1 um\"");
  }
  if (!(voxel_size > 0.0) || !std::isfinite(voxel_size)) {
    throw core::InputError("voxel size '" + voxel_size_text + "' is not positive", "--voxel-size",
                           "give e.g. \"1 um\"");
  }
  const core::Array3<std::int32_t> values = io::read_label_values(image);
  core::Grid3 grid = values.grid();
  grid.voxel_size = voxel_size;
  core::Array3<Label> labels(grid, 0);
  for (std::size_t v = 0; v < values.size(); ++v) {
    const std::int32_t value = values[v];
    if (value < 0 || value > 255) {
      throw core::InputError("image value " + std::to_string(value) + " is not a label 0..255",
                             "input", "relabel the image with values 0..255",
                             {image.string(), 0, 0});
    }
    labels[v] = static_cast<Label>(value);
  }
  std::vector<microstructure::Phase> phases(256);
  if (folder) {
    for (std::size_t l = 0; l < folder->phases.size(); ++l) phases[l] = folder->phases[l];
  }
  AnalysisInput input{microstructure::Microstructure(std::move(labels), std::move(phases))};
  if (folder) input.structure.set_periodic_in_plane(folder->periodic_in_plane);
  if (folder && folder->particle_ids.size() != 0) {
    // Touching particles of a generated structure stay the particles the generator drew.
    if (folder->particle_ids.grid().shape != input.structure.grid().shape) {
      throw core::InputError("microstructure.vti and labels.tif differ in shape", "input",
                             "rebuild the folder with `cathodelab build`");
    }
    core::Array3<microstructure::ParticleId> ids(input.structure.grid(), 0);
    std::copy(folder->particle_ids.values().begin(), folder->particle_ids.values().end(),
              ids.values().begin());
    input.structure.set_particle_ids(std::move(ids));
  }
  return input;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

PhaseRole role_of(materials::MaterialClass c) {
  using materials::MaterialClass;
  switch (c) {
    case MaterialClass::cathode_active:
    case MaterialClass::dual_conducting_cathode:
      return PhaseRole::active;
    case MaterialClass::solid_electrolyte:
    case MaterialClass::polymer_electrolyte:
      return PhaseRole::electrolyte;
    case MaterialClass::mixed_conductor:
      return PhaseRole::mixed;
    case MaterialClass::coating:
      return PhaseRole::coating;
    default:
      return PhaseRole::additive;
  }
}

Label parse_label(const std::string& text, const std::string& key) {
  int value = -1;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || value < 0 || value > 255) {
    throw core::InputError("'" + text + "' is not a label", key,
                           "labels are integers 0..255, e.g. --phase 1=Li6PS5Cl");
  }
  return static_cast<Label>(value);
}

double parse_conductivity(const std::string& text, const std::string& key) {
  const double value = core::parse_quantity_as(trim(text), core::dim::conductivity, key, "1 mS/cm");
  if (!std::isfinite(value) || value < 0.0) {
    throw core::InputError("conductivity '" + trim(text) + "' is not a finite value >= 0", key,
                           "give e.g. \"1 mS/cm\" or \"0 S/m\"");
  }
  return value;
}

/// Loads the library only when a phase names a material.
class LazyLibrary {
 public:
  explicit LazyLibrary(std::string dir) : dir_(std::move(dir)) {}
  const materials::MaterialLibrary& get() {
    if (!library_) {
      library_ =
          io::load_material_library(dir_.empty() ? io::default_materials_dir() : fs::path(dir_));
    }
    return *library_;
  }

 private:
  std::string dir_;
  std::optional<materials::MaterialLibrary> library_;
};

io::AnalysisPhase parse_phase(const std::string& spec, LazyLibrary& library,
                              const materials::Conditions& conditions, PhaseRole& role) {
  const std::string key = "--phase " + spec;
  const auto eq = spec.find('=');
  if (eq == std::string::npos) {
    throw core::InputError("malformed phase '" + spec + "'", "--phase",
                           "write LABEL=MATERIAL or LABEL=ionic:<S/m>, LABEL=electronic:<S/m>, "
                           "LABEL=mixed:<S/m>,<S/m>, LABEL=pore");
  }
  io::AnalysisPhase phase;
  phase.label = parse_label(trim(spec.substr(0, eq)), key);
  const std::string body = trim(spec.substr(eq + 1));
  if (body.empty()) {
    throw core::InputError("phase '" + spec + "' names nothing", key,
                           "give a material or conductivities after '='");
  }
  const auto colon = body.find(':');
  const std::string head = lower(trim(body.substr(0, colon)));
  if (colon == std::string::npos && (head == "pore" || head == "void")) {
    phase.name = head;
    role = PhaseRole::pore;
  } else if (colon != std::string::npos &&
             (head == "ionic" || head == "electronic" || head == "mixed")) {
    const std::string values = body.substr(colon + 1);
    phase.name = body;
    if (head == "ionic") {
      phase.ionic_conductivity = parse_conductivity(values, key);
      role = PhaseRole::electrolyte;
    } else if (head == "electronic") {
      phase.electronic_conductivity = parse_conductivity(values, key);
      role = PhaseRole::additive;
    } else {
      const auto comma = values.find(',');
      if (comma == std::string::npos) {
        throw core::InputError("mixed phase '" + spec + "' needs two conductivities", key,
                               "write LABEL=\"mixed:<ionic S/m>,<electronic S/m>\"");
      }
      phase.ionic_conductivity = parse_conductivity(values.substr(0, comma), key);
      phase.electronic_conductivity = parse_conductivity(values.substr(comma + 1), key);
      role = PhaseRole::mixed;
    }
  } else if (colon != std::string::npos) {
    const std::vector<std::string> kinds{"ionic", "electronic", "mixed"};
    core::throw_unknown("conductivity kind", head, kinds, key);
  } else {
    const materials::Material& material = library.get().find(body, key);
    phase.name = material.name;
    phase.material = material.name;
    role = role_of(material.material_class);
    if (material.ionic_conductivity) {
      phase.ionic_conductivity =
          material.value(&materials::Material::ionic_conductivity, conditions);
    }
    if (material.electronic_conductivity) {
      phase.electronic_conductivity =
          material.value(&materials::Material::electronic_conductivity, conditions);
    }
  }
  phase.role = microstructure::to_string(role);
  return phase;
}

/// The trimmed, non-empty items of a comma-separated list ("x, z" -> {"x", "z"}).
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::string item = trim(std::string_view(text).substr(start, comma - start));
    if (!item.empty()) items.push_back(std::move(item));
    start = comma + 1;
  }
  return items;
}

std::vector<core::Axis> parse_axes(const std::string& text) {
  const std::vector<std::string> valid{"x", "y", "z"};
  std::vector<core::Axis> axes;
  if (split_list(text).empty()) {
    throw core::InputError("no axis given", "--axes",
                           "give e.g. --axes x,y,z (or --no-transport to skip the solves)");
  }
  for (const std::string& item : split_list(text)) {
    const std::string t = lower(item);
    if (t == "x")
      axes.push_back(core::Axis::x);
    else if (t == "y")
      axes.push_back(core::Axis::y);
    else if (t == "z")
      axes.push_back(core::Axis::z);
    else
      core::throw_unknown("axis", t, valid, "--axes");
  }
  return axes;
}

microstructure::Connectivity parse_connectivity(const std::string& text) {
  const std::string t = lower(trim(text));
  if (t == "face" || t == "6") return microstructure::Connectivity::face;
  if (t == "edge" || t == "18") return microstructure::Connectivity::edge;
  if (t == "vertex" || t == "26") return microstructure::Connectivity::vertex;
  const std::vector<std::string> valid{"face", "edge", "vertex"};
  core::throw_unknown("connectivity", t, valid, "--connectivity");
}

std::vector<Label> parse_labels(const std::string& text, const std::string& key) {
  std::vector<Label> labels;
  for (const std::string& item : split_list(text)) labels.push_back(parse_label(item, key));
  return labels;
}

void run_analyze(const AnalyzeArgs& args) {
  const double temperature =
      core::parse_quantity_as(args.temperature, core::dim::temperature, "--temperature", "25 degC");
  if (!(temperature > 0.0)) {
    throw core::InputError(fmt::format("{} K is not above absolute zero", temperature),
                           "--temperature", "give e.g. --temperature \"25 degC\"");
  }
  const double min_sigma = parse_conductivity(args.min_conductivity, "--min-conductivity");
  const auto axes = parse_axes(args.axes);
  const auto connectivity = parse_connectivity(args.connectivity);
  if (!(args.stoichiometry >= 0.0 && args.stoichiometry <= 1.0)) {
    throw core::InputError(fmt::format("must lie in [0, 1], got {}", args.stoichiometry),
                           "--stoichiometry", "give the Li fraction x, e.g. --stoichiometry 0.5");
  }
  if (!(args.tolerance > 0.0 && args.tolerance < 1.0)) {
    throw core::InputError(fmt::format("must lie in (0, 1), got {}", args.tolerance), "--tolerance",
                           "give e.g. --tolerance 1e-6");
  }
  const materials::Conditions conditions{.temperature = temperature,
                                         .stoichiometry = args.stoichiometry};

  // Phase table from the command line (label -> phase).
  LazyLibrary library(args.materials_dir);
  std::map<Label, io::AnalysisPhase> given;
  std::map<Label, PhaseRole> roles;
  for (const std::string& spec : args.phases) {
    PhaseRole role = PhaseRole::pore;
    io::AnalysisPhase phase = parse_phase(spec, library, conditions, role);
    if (given.contains(phase.label)) {
      throw core::InputError("label " + std::to_string(phase.label) + " is given twice", "--phase",
                             "give each label once");
    }
    roles[phase.label] = role;
    given[phase.label] = phase;
  }

  AnalysisInput input = load_analysis_input(args.input, args.voxel_size);
  microstructure::Microstructure& structure = input.structure;
  if (args.periodic) structure.set_periodic_in_plane(true);

  // Labels present in the image must all have a phase.
  std::array<bool, 256> present{};
  for (const Label l : structure.labels().values()) present[l] = true;
  const auto& build_phases = structure.phases();
  for (std::size_t l = 0; l < 256; ++l) {
    if (!present[l] || given.contains(static_cast<Label>(l))) continue;
    // A build folder describes its own phases; take them when not overridden.
    if (l < build_phases.size() && !build_phases[l].material.empty()) {
      PhaseRole role = build_phases[l].role;
      auto phase = parse_phase(std::to_string(l) + "=" + build_phases[l].material, library,
                               conditions, role);
      role = build_phases[l].role;
      phase.role = microstructure::to_string(role);
      phase.name = build_phases[l].name;
      roles[static_cast<Label>(l)] = role;
      given[static_cast<Label>(l)] = phase;
      continue;
    }
    std::string have;
    for (const auto& [label, p] : given) have += (have.empty() ? "" : ", ") + std::to_string(label);
    throw core::InputError("label " + std::to_string(l) + " occurs in the image but has no phase",
                           "--phase",
                           "add --phase " + std::to_string(l) +
                               "=MATERIAL (or pore, ionic:<S/m>, ...); phases given for labels: " +
                               (have.empty() ? "none" : have));
  }

  // Conductivity per label; values below the floor do not make a network (the same rule as the
  // study's analysis stage: study::network_conductivity).
  const std::size_t label_count = given.empty() ? 1 : std::size_t{given.rbegin()->first} + 1;
  std::vector<double> sigma_ion(label_count, 0.0), sigma_el(label_count, 0.0);
  std::vector<microstructure::Phase> phase_table(label_count);
  std::vector<io::AnalysisPhase> phase_records;
  for (auto& [label, phase] : given) {
    for (double* sigma : {&phase.ionic_conductivity, &phase.electronic_conductivity}) {
      const double used = study::network_conductivity(*sigma, min_sigma);
      if (used != *sigma) {
        core::log_info(fmt::format(
            "label {} ({}): {} conductivity {:.3g} S/m is below {} and "
            "treated as 0",
            label, phase.name, sigma == &phase.ionic_conductivity ? "ionic" : "electronic", *sigma,
            args.min_conductivity));
        *sigma = used;
      }
    }
    sigma_ion[label] = phase.ionic_conductivity;
    sigma_el[label] = phase.electronic_conductivity;
    phase_table[label] = {phase.name, phase.material, roles[label]};
    phase_records.push_back(phase);
  }
  microstructure::Microstructure analysed(structure.labels(), phase_table);
  if (structure.has_particle_ids()) analysed.set_particle_ids(structure.particle_ids());
  analysed.set_periodic_in_plane(structure.periodic_in_plane());

  (void)prepare_output_folder(args.out, "--out");
  // The study's analysis stage and this command run the one analysis (study::analyze).
  study::AnalysisOptions options;
  options.morphology = {.connectivity = connectivity};
  if (!args.active.empty())
    options.morphology.active_labels = parse_labels(args.active, "--active");
  options.axes = args.no_transport ? std::vector<core::Axis>{} : axes;
  options.solve = {.relative_tolerance = args.tolerance, .throw_on_failure = false};
  options.conductivity_floor = min_sigma;
  core::log_info("analysing networks, interfaces and particles");
  const study::AnalysisResult analysis = study::analyze(analysed, {sigma_ion, sigma_el}, options);
  const microstructure::Morphology& morphology = *analysis.details;

  io::AnalysisRecord record;
  record.source = args.input;
  record.grid = structure.grid();
  record.periodic_in_plane = structure.periodic_in_plane();
  record.temperature = temperature;
  record.connectivity = args.connectivity;
  record.phases = phase_records;
  record.morphology = &morphology;

  // A solve that fails does not stop the others: everything computed is written first, and the
  // failure is reported (exit 2) after analysis.json is on disk.
  std::optional<std::string> failed_solve;
  core::SolveStats failed_stats;
  for (const Network network : {Network::ionic, Network::electronic}) {
    const auto& solves =
        network == Network::ionic ? analysis.ionic_by_axis : analysis.electronic_by_axis;
    for (std::size_t a = 0; a < solves.size(); ++a) {
      record.transport.push_back({network, solves[a]});
      if (!solves[a].stats.converged && !failed_solve) {
        failed_solve = fmt::format("the {} effective-conductivity solve along {} did not converge",
                                   microstructure::network_name(network),
                                   "xyz"[static_cast<int>(options.axes[a])]);
        failed_stats = solves[a].stats;
      }
    }
  }
  if (args.no_transport) {
    record.warnings.emplace_back("effective conductivities not computed (--no-transport)");
  }
  record.slice_images = io::write_network_slices(args.out, morphology);
  record.provenance = io::collect_provenance(0);
  const auto path = io::write_analysis(args.out, record);
  core::log_info("wrote " + path.string());
  if (failed_solve)
    throw core::NumericalError(*failed_solve + "; every other result is in " + path.string(),
                               failed_stats);
}

void setup_analyze(CLI::App& parent) {
  auto args = std::make_shared<AnalyzeArgs>();
  auto* cmd = parent.add_subcommand(
      "analyze",
      "Networks, percolation, active area and effective conductivities of a labelled image");
  cmd->add_option("input", args->input, "Labelled image, or a folder written by `cathodelab build`")
      ->required();
  cmd->add_option("--voxel-size", args->voxel_size, "Edge of a voxel, e.g. \"1 um\"");
  cmd->add_option("--phase", args->phases,
                  "LABEL=MATERIAL | LABEL=pore | LABEL=ionic:<S/m> | LABEL=electronic:<S/m> | "
                  "LABEL=mixed:<S/m>,<S/m> (repeat per label)");
  cmd->add_option(
      "--active", args->active,
      "Comma-separated labels of the active material (default: library cathode materials)");
  cmd->add_option("--axes", args->axes, "Axes for effective conductivities")->capture_default_str();
  cmd->add_option("--temperature", args->temperature, "Temperature for library conductivities")
      ->capture_default_str();
  cmd->add_option("--stoichiometry", args->stoichiometry,
                  "Li fraction x of the active material for composition-dependent conductivities "
                  "(1 = fully lithiated; 0.5 as in `cathodelab run`)")
      ->capture_default_str();
  cmd->add_option("--min-conductivity", args->min_conductivity,
                  "Conductivities below this do not make a network (e.g. an electrolyte's "
                  "electronic leakage); `cathodelab run` uses the default")
      ->capture_default_str();
  cmd->add_option("--connectivity", args->connectivity, "face (6), edge (18) or vertex (26)")
      ->capture_default_str();
  cmd->add_flag("--periodic", args->periodic, "Treat x and y as periodic (generated structures)");
  cmd->add_flag("--no-transport", args->no_transport, "Skip the effective-conductivity solves");
  cmd->add_option("--tolerance", args->tolerance,
                  "Relative error of the effective conductivities (bounds the estimate)")
      ->capture_default_str();
  cmd->add_option("--materials", args->materials_dir, "Materials library folder");
  cmd->add_option("--out", args->out, "Output folder")->required();
  cmd->callback([args] { run_analyze(*args); });
}

const CommandRegistrar registrar{"analyze", setup_analyze};

}  // namespace
}  // namespace cathodelab::apps
