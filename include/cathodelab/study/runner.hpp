// The runner: runs designs through the stages in parallel (a pool of std::threads pulling the next
// design index), hands each finished design to a ResultSink at once, records a failed design with
// its reason and goes on, and on resume skips designs the sink already holds complete.
#pragma once

#include "cathodelab/study/design.hpp"
#include "cathodelab/study/result.hpp"
#include "cathodelab/study/stage.hpp"

#include <chrono>
#include <optional>
#include <vector>

namespace cathodelab::study {

/// Where finished designs go (implemented in io: a folder per design, written atomically).
/// Called from several threads at once; implementations must be thread-safe.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  /// The stored result of a design if it is complete (for resume), else nothing.
  [[nodiscard]] virtual std::optional<DesignResult> load_complete(const Design& design) const = 0;
  /// Stores one finished (or failed) design durably before returning.
  virtual void write(const Design& design, const DesignResult& result) = 0;
};

struct RunOptions {
  unsigned jobs = 0;    ///< threads; 0 = hardware concurrency
  bool resume = false;  ///< skip designs the sink holds complete
  /// Test only (CATHODELAB_TEST_DESIGN_DELAY_MS in the CLI): sleep this long in each design so a
  /// test can kill a run midway. Never use for anything else.
  std::chrono::milliseconds test_delay_per_design{0};
};

struct RunSummary {
  std::vector<DesignResult> results;  ///< one per design, in design order (resumed ones loaded)
  std::size_t computed = 0;
  std::size_t resumed = 0;
  std::size_t failed = 0;
};

/// Runs one design through the stages; never throws for a design's own failure (status failed).
[[nodiscard]] DesignResult run_design(const Design& design, const StageList& stages);

[[nodiscard]] RunSummary run(const std::vector<Design>& designs, const StageList& stages,
                             ResultSink& sink, const RunOptions& options = {});

}  // namespace cathodelab::study
