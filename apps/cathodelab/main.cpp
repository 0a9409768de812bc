// cathodelab command-line interface: parses arguments, installs the log sink, dispatches to the
// registered subcommands and maps errors to exit codes (InputError and NumericalError -> 2,
// InternalError -> 70, anything else -> 1: an unexpected failure, never the answer to bad input).
#include "command.hpp"

#include "cathodelab/core/build_info.hpp"
#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/core/suggest.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace cathodelab::apps {

std::vector<CommandEntry>& command_registry() {
  static std::vector<CommandEntry> registry;
  return registry;
}

CommandRegistrar::CommandRegistrar(std::string name, CommandSetup setup) {
  command_registry().push_back({std::move(name), std::move(setup)});
}

}  // namespace cathodelab::apps

namespace {

constexpr int exit_input_error = 2;
constexpr int exit_internal_error = 70;

void install_log_sink(int verbosity, bool quiet) {
  using cathodelab::core::LogLevel;
  LogLevel threshold = LogLevel::info;
  if (quiet) threshold = LogLevel::warning;
  if (verbosity > 0) threshold = LogLevel::debug;
  cathodelab::core::set_log_sink(
      [](LogLevel level, std::string_view message) {
        const char* prefix = level == LogLevel::warning ? "warning: "
                             : level == LogLevel::error ? "error: "
                                                        : "";
        std::fprintf(stderr, "%s%.*s\n", prefix, static_cast<int>(message.size()), message.data());
      },
      threshold);
  cathodelab::core::set_progress_bar(isatty(STDERR_FILENO) != 0 && !quiet);
}

/// The first word that is not an option, when it names no subcommand: CLI11 would only say that
/// a subcommand is required, without naming the word or the choices.
std::optional<std::string> unknown_command_message(int argc, char** argv,
                                                   const std::vector<std::string>& names) {
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.empty() || word.front() == '-') continue;
    if (std::find(names.begin(), names.end(), word) != names.end()) return std::nullopt;
    return "unknown command '" + word + "'; " + cathodelab::core::suggestion_text(word, names);
  }
  return std::nullopt;
}

}  // namespace

// The commands run inside the handlers below; what could escape is an allocation failure while the
// parser is being set up, where terminating is the right answer.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
  const auto& info = cathodelab::core::build_info();
  CLI::App app{"cathodelab: all-solid-state battery composite cathodes, from recipe to cell"};
  app.set_version_flag("--version", "cathodelab " + info.version + " (" + info.git_sha + ", " +
                                        info.build_type + ")");
  app.require_subcommand(1);
  int verbosity = 0;
  bool quiet = false;
  app.add_flag("-v,--verbose", verbosity, "Log debug messages");
  app.add_flag("-q,--quiet", quiet, "Only warnings and errors");

  auto& registry = cathodelab::apps::command_registry();
  std::sort(registry.begin(), registry.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  std::vector<std::string> names;
  for (const auto& entry : registry) {
    entry.setup(app);
    names.push_back(entry.name);
  }
  if (const auto message = unknown_command_message(argc, argv, names)) {
    std::cerr << "error: " << *message << "\n";
    return exit_input_error;
  }
  app.parse_complete_callback([&] { install_log_sink(verbosity, quiet); });

  try {
    app.parse(argc, argv);
  } catch (const cathodelab::apps::Interrupted& e) {
    std::cerr << "interrupted: " << e.what() << "\n";
    return e.exit_code();
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : exit_input_error;
  } catch (const cathodelab::core::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return exit_input_error;
  } catch (const cathodelab::core::NumericalError& e) {
    std::cerr << "error: solver failed: " << e.what() << "\n";
    return exit_input_error;
  } catch (const cathodelab::core::InternalError& e) {
    std::cerr << "internal error (a bug in cathodelab, please report it): " << e.what() << "\n";
    return exit_internal_error;
  } catch (const std::exception& e) {
    // Every mistake in the input is an InputError above; reaching here means a check is missing.
    std::cerr << "unexpected error (not a recognised input mistake; please report it with the "
                 "command line): "
              << e.what() << "\n";
    return 1;
  }
  return 0;
}
