// `cathodelab version`: prints the build provenance as JSON-like lines.
#include "command.hpp"

#include "cathodelab/core/build_info.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace cathodelab::apps {
namespace {

void setup_version(CLI::App& parent) {
  auto* command =
      parent.add_subcommand("version", "Print version, git sha, build type and compiler");
  command->callback([] {
    const auto& info = core::build_info();
    std::cout << "cathodelab " << info.version << "\ngit sha: " << info.git_sha
              << "\nbuild type: " << info.build_type << "\ncompiler: " << info.compiler << "\n";
  });
}

const CommandRegistrar registrar{"version", setup_version};

}  // namespace
}  // namespace cathodelab::apps
