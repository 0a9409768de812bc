// Logging: the library never prints; it hands messages to one sink that the application installs
// (the CLI chooses the verbosity and writes to stderr). Without a sink, warnings and errors go to
// stderr and the rest is dropped.
#pragma once

#include <functional>
#include <string_view>

namespace cathodelab::core {

enum class LogLevel { debug = 0, info = 1, warning = 2, error = 3 };

using LogSink = std::function<void(LogLevel, std::string_view)>;

/// Installs the sink and the lowest level passed to it. Thread-safe with respect to log().
void set_log_sink(LogSink sink, LogLevel threshold = LogLevel::info);
void log(LogLevel level, std::string_view message);
inline void log_debug(std::string_view m) {
  log(LogLevel::debug, m);
}
inline void log_info(std::string_view m) {
  log(LogLevel::info, m);
}
inline void log_warning(std::string_view m) {
  log(LogLevel::warning, m);
}

/// Progress of long work. On a terminal a bar on stderr (set up by the CLI); elsewhere periodic log
/// lines (every 10 %). Safe to call update() from several threads.
class Progress {
 public:
  Progress(std::string_view label, std::size_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void advance(std::size_t steps = 1);

 private:
  struct State;
  State* state_;
};

/// Whether progress is drawn as a bar (the CLI turns this on when stderr is a terminal).
void set_progress_bar(bool enabled);

}  // namespace cathodelab::core
