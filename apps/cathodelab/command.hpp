// Subcommand registry of the cathodelab CLI. Each subcommand lives in its own file and registers
// itself with a static CommandRegistrar, so adding a command touches no shared file.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace cathodelab::apps {

/// Adds the subcommand's options and callback to the parent app.
using CommandSetup = std::function<void(CLI::App& parent)>;

struct CommandEntry {
  std::string name;
  CommandSetup setup;
};

std::vector<CommandEntry>& command_registry();

struct CommandRegistrar {
  CommandRegistrar(std::string name, CommandSetup setup);
};

}  // namespace cathodelab::apps
