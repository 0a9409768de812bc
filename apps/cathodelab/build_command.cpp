// `cathodelab build STUDY_OR_RECIPE.toml --out DIR`: generates the microstructure of a recipe's
// [microstructure] section and writes DIR/microstructure.json, labels.tif, microstructure.vti,
// particles.csv and the slice PNGs. A study file (with a [cathode] table) is expanded into its
// designs and each design's structure is made from its cathode recipe exactly as the
// microstructure stage of `cathodelab run` makes it: into DIR for a single design, into
// DIR/<design id>/ for each design of a sweep.
#include "argument_checks.hpp"
#include "command.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/io/generation_spec_loader.hpp"
#include "cathodelab/io/microstructure_writer.hpp"
#include "cathodelab/io/study_loader.hpp"
#include "cathodelab/microstructure/generate.hpp"
#include "cathodelab/study/design.hpp"
#include "cathodelab/study/design_calculator.hpp"
#include "cathodelab/study/microstructure_stage.hpp"
#include "cathodelab/study/stage.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cathodelab::apps {
namespace {

struct BuildArgs {
  std::string input;
  std::string out;
  std::string seed_text;              ///< as written; parsed by parse_seed
  std::optional<std::uint64_t> seed;  ///< set from seed_text before building
};

std::string build_command_line(const BuildArgs& args) {
  return "cathodelab build " + args.input + " --out " + args.out +
         (args.seed ? " --seed " + std::to_string(*args.seed) : "");
}

void log_phases(const microstructure::GenerationReport& report) {
  for (const auto& phase : report.phases) {
    core::log_info(
        fmt::format("  {:<16} target {:>8} measured {:.4f}", phase.name,
                    phase.target_fraction ? fmt::format("{:.4f}", *phase.target_fraction) : "-",
                    phase.measured_fraction));
  }
}

void build_recipe(const BuildArgs& args) {
  microstructure::GenerationSpec spec = io::load_generation_spec(args.input);
  if (args.seed) {
    spec.seed = *args.seed;
  }
  (void)prepare_output_folder(args.out, "--out");
  const auto generated = naming_file(args.input, [&] { return microstructure::generate(spec); });
  io::write_microstructure_outputs(
      args.out, generated.microstructure, &generated.report,
      {.source = "generated", .input = args.input, .command = build_command_line(args)});
  const auto& g = generated.microstructure.grid();
  core::log_info(fmt::format("built {}x{}x{} voxels, {} particles in {:.2f} s -> {}", g.nx(),
                             g.ny(), g.nz(), generated.microstructure.particles().size(),
                             generated.report.seconds, args.out));
  log_phases(generated.report);
}

// One structure per design, from the same recipe the microstructure stage derives (design
// calculator -> generation_spec -> generate), so `build` and `run` draw identical structures for
// the same design and seed; calling the generator here also keeps its report for
// microstructure.json (target and measured volume fractions).
void build_study(const BuildArgs& args) {
  const study::StudySpec spec = io::load_study(args.input);
  const std::vector<study::Design> designs =
      naming_file(args.input, [&] { return study::expand(spec); });
  for (const auto& design : designs) {
    if (!design.cell.microstructure) {
      throw core::InputError("the study has no [microstructure] section", "microstructure",
                             "add a [microstructure] section (e.g. domain = \"20 um\" and "
                             "voxel_size = \"0.5 um\") to say how to draw the cathode");
    }
  }
  // Every design's recipe is derived (and so validated) before the first structure is drawn, so a
  // bad design late in a sweep fails at once rather than after the others were built.
  std::vector<microstructure::GenerationSpec> generations;
  for (const auto& design : designs) {
    generations.push_back(naming_file(
        args.input, [&] { return study::generation_spec(design, design.calculation); }));
    if (args.seed) generations.back().seed = *args.seed;
  }
  const std::filesystem::path out = prepare_output_folder(args.out, "--out");
  for (std::size_t d = 0; d < designs.size(); ++d) {
    const study::Design& design = designs[d];
    const auto generated =
        naming_file(args.input, [&] { return microstructure::generate(generations[d]); });
    const std::filesystem::path dir = designs.size() == 1 ? out : out / design.id;
    io::write_microstructure_outputs(
        dir, generated.microstructure, &generated.report,
        {.source = "generated", .input = args.input, .command = build_command_line(args)});
    const auto& g = generated.microstructure.grid();
    std::string swept;
    for (const auto& [key, value] : design.swept) {
      swept += (swept.empty() ? " (" : ", ") + key + " = " + value;
    }
    if (!swept.empty()) swept += ")";
    core::log_info(fmt::format("design {}{}: built {}x{}x{} voxels, {} particles in {:.2f} s -> {}",
                               design.id, swept, g.nx(), g.ny(), g.nz(),
                               generated.microstructure.particles().size(),
                               generated.report.seconds, dir.string()));
    log_phases(generated.report);
  }
}

void run_build(BuildArgs args) {
  if (!args.seed_text.empty()) args.seed = parse_seed(args.seed_text, "--seed");
  if (io::is_study_file(args.input)) {
    build_study(args);
  } else {
    build_recipe(args);
  }
}

void setup_build(CLI::App& parent) {
  auto args = std::make_shared<BuildArgs>();
  auto* command = parent.add_subcommand(
      "build",
      "Generate a 3D microstructure from a recipe's [microstructure] section, or one per design "
      "of a study, and write images");
  command
      ->add_option("input", args->input,
                   "Recipe TOML with a [microstructure] section, or a study TOML with [cathode] "
                   "and [microstructure]")
      ->required();
  command->add_option("--out,-o", args->out, "Output folder")->required();
  command->add_option("--seed", args->seed_text,
                      "Override the seed of the recipe (or of every design): 0 .. 2^64-1");
  command->callback([args] { run_build(*args); });
}

const CommandRegistrar registrar{"build", setup_build};

}  // namespace
}  // namespace cathodelab::apps
