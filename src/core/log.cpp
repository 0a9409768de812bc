// The library's logging and progress reporting: messages go to the sink the CLI installs; a
// progress bar on a terminal, periodic lines otherwise.
#include "cathodelab/core/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace cathodelab::core {
namespace {

std::mutex& sink_mutex() {
  static std::mutex mutex;
  return mutex;
}
LogSink& sink() {
  static LogSink instance;
  return instance;
}
LogLevel& threshold() {
  static LogLevel level = LogLevel::warning;
  return level;
}
std::atomic<bool>& bar_enabled() {
  static std::atomic<bool> enabled{false};
  return enabled;
}

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warning:
      return "warning";
    case LogLevel::error:
      return "error";
  }
  return "?";
}

}  // namespace

void set_log_sink(LogSink new_sink, LogLevel new_threshold) {
  const std::lock_guard lock(sink_mutex());
  sink() = std::move(new_sink);
  threshold() = new_threshold;
}

void log(LogLevel level, std::string_view message) {
  const std::lock_guard lock(sink_mutex());
  if (level < threshold()) {
    return;
  }
  if (sink()) {
    sink()(level, message);
  } else {
    std::fprintf(stderr, "cathodelab %s: %.*s\n", level_name(level),
                 static_cast<int>(message.size()), message.data());
  }
}

void set_progress_bar(bool enabled) {
  bar_enabled() = enabled;
}

struct Progress::State {
  std::string label;
  std::size_t total = 0;
  std::atomic<std::size_t> done{0};
  std::atomic<int> last_decile{-1};
};

Progress::Progress(std::string_view label, std::size_t total) : state_(new State) {
  state_->label = std::string(label);
  state_->total = total == 0 ? 1 : total;
}

Progress::~Progress() {
  if (bar_enabled()) {
    std::fprintf(stderr, "\r\033[K");
  }
  delete state_;
}

void Progress::advance(std::size_t steps) {
  const std::size_t done = state_->done += steps;
  const double fraction = static_cast<double>(done) / static_cast<double>(state_->total);
  const int decile = static_cast<int>(fraction * 10.0);
  if (bar_enabled()) {
    constexpr int width = 30;
    const int filled = static_cast<int>(fraction * width);
    const std::lock_guard lock(sink_mutex());
    std::fprintf(stderr, "\r%s [%-*s] %3.0f%%", state_->label.c_str(), width,
                 std::string(static_cast<std::size_t>(filled), '#').c_str(), 100.0 * fraction);
    std::fflush(stderr);
    return;
  }
  int previous = state_->last_decile.load();
  if (decile > previous && state_->last_decile.compare_exchange_strong(previous, decile)) {
    log_info(state_->label + ": " + std::to_string(decile * 10) + " %");
  }
}

}  // namespace cathodelab::core
