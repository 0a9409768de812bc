// The runner: runs designs through the stages in parallel (a pool of std::threads pulling the next
// design index), hands each finished design to a ResultSink at once, records a failed design with
// its reason and goes on, and on resume skips designs the sink already holds complete.
// Threads: up to `jobs` designs run at once and, before each of its stages, a design gets
// max(1, T / n) OpenMP threads for its own parallel loops, n = the designs running at that moment
// and T = the OpenMP thread count the process starts with (OMP_NUM_THREADS or the cores): designs
// x OpenMP threads stay near T, and the last designs of a sweep take over the freed cores.
#pragma once

#include "cathodelab/study/design.hpp"
#include "cathodelab/study/result.hpp"
#include "cathodelab/study/stage.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
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
  /// OpenMP threads inside each design; 0 = openmp_threads_per_design(designs running now,
  /// OpenMP max threads), set before each stage.
  unsigned openmp_threads_per_design = 0;
  /// Test only (CATHODELAB_TEST_DESIGN_DELAY_MS in the CLI): sleep this long in each design so a
  /// test can kill a run midway. Never use for anything else.
  std::chrono::milliseconds test_delay_per_design{0};
};

struct RunSummary {
  std::vector<DesignResult> results;  ///< one per design, in design order (resumed ones loaded)
  std::size_t computed = 0;
  std::size_t resumed = 0;
  std::size_t ok = 0;       ///< every result asked for was computed
  std::size_t partial = 0;  ///< some results missing (DesignResult::missing says why)
  std::size_t failed = 0;   ///< a stage failed: no results
};

/// "2 results not computed: NAME: why; NAME: why" (one line) for DesignResult::reason.
[[nodiscard]] std::string missing_results_text(const std::map<std::string, std::string>& missing);

/// The OpenMP threads each of `concurrent_designs` designs gets out of `available_threads`:
/// max(1, available_threads / concurrent_designs) (all of them for 0 or 1 design).
[[nodiscard]] unsigned openmp_threads_per_design(unsigned concurrent_designs,
                                                 unsigned available_threads);

/// Runs one design through the stages; never throws for a design's own failure (status failed).
[[nodiscard]] DesignResult run_design(const Design& design, const StageList& stages);

[[nodiscard]] RunSummary run(const std::vector<Design>& designs, const StageList& stages,
                             ResultSink& sink, const RunOptions& options = {});

}  // namespace cathodelab::study
