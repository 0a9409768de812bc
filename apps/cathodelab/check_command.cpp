// `cathodelab check FILE`: validates a study file (every design of its sweep, every stage's inputs)
// without running. Prints "ok: N designs" or one error line; exit 2 on bad input (main.cpp).
#include "argument_checks.hpp"
#include "command.hpp"

#include "cathodelab/io/study_loader.hpp"
#include "cathodelab/study/design.hpp"
#include "cathodelab/study/stage.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace cathodelab::apps {
namespace {

struct CheckArguments {
  std::string file;
  std::string materials_dir;
};

void setup_check(CLI::App& parent) {
  auto args = std::make_shared<CheckArguments>();
  auto* command = parent.add_subcommand("check", "Validate a study file without running it");
  command->add_option("file", args->file, "Study file (TOML)")->required();
  command->add_option("--materials", args->materials_dir,
                      "Material library folder (default: data/materials)");
  command->callback([args] {
    io::LoadStudyOptions options;
    if (!args->materials_dir.empty()) options.materials_dir = args->materials_dir;
    const auto spec = io::load_study(args->file, options);
    const auto designs = naming_file(args->file, [&] {
      auto expanded = study::expand(spec);
      study::validate(expanded, study::standard_stages());
      return expanded;
    });
    std::cout << "ok: " << designs.size() << (designs.size() == 1 ? " design" : " designs") << "\n";
  });
}

const CommandRegistrar registrar{"check", setup_check};

}  // namespace
}  // namespace cathodelab::apps
