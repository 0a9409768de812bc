// Subcommand registry of the cathodelab CLI. Each subcommand lives in its own file and registers
// itself with a static CommandRegistrar, so adding a command touches no shared file.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace cathodelab::apps {

/// A command stopped by SIGINT or SIGTERM after saving what it had computed; main prints the
/// message and exits with `exit_code` (128 + the signal number, as shells report it).
class Interrupted : public std::runtime_error {
 public:
  Interrupted(const std::string& message, int exit_code)
      : std::runtime_error(message), exit_code_(exit_code) {}
  [[nodiscard]] int exit_code() const noexcept { return exit_code_; }

 private:
  int exit_code_;
};

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
