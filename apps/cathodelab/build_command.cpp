// `cathodelab build RECIPE.toml --out DIR`: generates the microstructure of a recipe's
// [microstructure] section and writes DIR/microstructure.json, labels.tif, microstructure.vti,
// particles.csv and the slice PNGs. A study file (with a [cathode] table) is built by
// `cathodelab run`, which uses the same generator for every design.
#include "command.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/io/generation_spec_loader.hpp"
#include "cathodelab/io/microstructure_writer.hpp"
#include "cathodelab/microstructure/generate.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace cathodelab::apps {
namespace {

struct BuildArgs {
  std::string input;
  std::string out;
  std::optional<std::uint64_t> seed;
};

void run_build(const BuildArgs& args) {
  if (io::is_study_file(args.input)) {
    throw core::InputError("'" + args.input + "' is a study (it has a [cathode] table)", "recipe",
                           "run it with `cathodelab run " + args.input +
                               "` (its microstructure stage builds every design), or give build a "
                               "recipe with a [microstructure] section only");
  }
  microstructure::GenerationSpec spec = io::load_generation_spec(args.input);
  if (args.seed) {
    spec.seed = *args.seed;
  }
  const auto generated = microstructure::generate(spec);
  io::write_microstructure_outputs(
      args.out, generated.microstructure, &generated.report,
      {.source = "generated",
       .input = args.input,
       .command = "cathodelab build " + args.input + " --out " + args.out});
  const auto& g = generated.microstructure.grid();
  core::log_info(fmt::format("built {}x{}x{} voxels, {} particles in {:.2f} s -> {}", g.nx(),
                             g.ny(), g.nz(), generated.microstructure.particles().size(),
                             generated.report.seconds, args.out));
  for (const auto& phase : generated.report.phases) {
    core::log_info(
        fmt::format("  {:<16} target {:>8} measured {:.4f}", phase.name,
                    phase.target_fraction ? fmt::format("{:.4f}", *phase.target_fraction) : "-",
                    phase.measured_fraction));
  }
}

void setup_build(CLI::App& parent) {
  auto args = std::make_shared<BuildArgs>();
  auto* command = parent.add_subcommand(
      "build",
      "Generate a 3D microstructure from a recipe's [microstructure] section and write images");
  command->add_option("recipe", args->input, "Recipe TOML with a [microstructure] section")
      ->required();
  command->add_option("--out,-o", args->out, "Output folder")->required();
  command->add_option("--seed", args->seed, "Override the recipe's seed");
  command->callback([args] { run_build(*args); });
}

const CommandRegistrar registrar{"build", setup_build};

}  // namespace
}  // namespace cathodelab::apps
