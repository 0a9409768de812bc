// The parallel runner: designs on a thread pool sharing OpenMP threads, each finished design to the
// sink at once, statuses ok/partial/failed with the missing results' reasons, resume.
#include "cathodelab/study/runner.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include <omp.h>

namespace cathodelab::study {
namespace {

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

}  // namespace

std::string missing_results_text(const std::map<std::string, std::string>& missing) {
  std::string text =
      fmt::format("{} result{} not computed: ", missing.size(), missing.size() == 1 ? "" : "s");
  bool first = true;
  for (const auto& [name, why] : missing) {
    text += (first ? "" : "; ") + name + ": " + why;
    first = false;
  }
  return one_line(text);
}

unsigned openmp_threads_per_design(unsigned concurrent_designs, unsigned available_threads) {
  return std::max(1U, available_threads / std::max(1U, concurrent_designs));
}

namespace {

/// run_design with a hook called before each stage (the runner sets the OpenMP threads there).
DesignResult run_design_with(const Design& design, const StageList& stages,
                             const std::function<void()>& before_stage) {
  DesignResult result;
  result.id = design.id;
  result.index = design.index;
  std::string current = "setup";
  try {
    for (const auto& stage : stages) {
      if (!stage->applies(design)) continue;
      current = std::string(stage->name());
      if (before_stage) before_stage();
      stage->run(design, result);
      result.stages_run.push_back(current);
    }
    for (const auto& [name, value] : result.scalars) {
      if (!std::isfinite(value)) {
        throw core::InternalError("stage produced a non-finite value for '" + name + "'");
      }
    }
  } catch (const core::InputError& e) {
    result.status = DesignStatus::failed;
    result.reason = one_line(current + ": " + e.what());
  } catch (const core::NumericalError& e) {
    result.status = DesignStatus::failed;
    result.reason = one_line(current + ": solver failed: " + e.what());
  } catch (const std::exception& e) {
    result.status = DesignStatus::failed;
    result.reason = one_line(current + ": " + e.what());
  }
  if (result.status == DesignStatus::failed) {
    // A failed design keeps nothing half-made that could be mistaken for a result.
    result.scalars.clear();
    result.tables.clear();
    result.artifacts.clear();
    result.payloads.clear();
    result.missing.clear();
  } else if (!result.missing.empty()) {
    result.status = DesignStatus::partial;
    result.reason = missing_results_text(result.missing);
  }
  return result;
}

}  // namespace

DesignResult run_design(const Design& design, const StageList& stages) {
  return run_design_with(design, stages, {});
}

RunSummary run(const std::vector<Design>& designs, const StageList& stages, ResultSink& sink,
               const RunOptions& options) {
  RunSummary summary;
  summary.results.resize(designs.size());
  std::vector<char> done(designs.size(), 0);
  if (options.resume) {
    for (std::size_t i = 0; i < designs.size(); ++i) {
      if (auto stored = sink.load_complete(designs[i])) {
        summary.results[i] = std::move(*stored);
        done[i] = 1;
        ++summary.resumed;
      }
    }
    if (summary.resumed > 0) {
      core::log_info(fmt::format("resume: {} of {} designs already complete", summary.resumed,
                                 designs.size()));
    }
  }
  const std::size_t to_run = designs.size() - summary.resumed;
  unsigned jobs =
      options.jobs == 0 ? std::max(1U, std::thread::hardware_concurrency()) : options.jobs;
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(to_run, 1)));

  // Designs run on `jobs` threads and OpenMP runs inside each: before every stage a design gets
  // its share of the OpenMP threads, T / (designs running now), so the machine is not
  // oversubscribed while designs run side by side, and the last designs of a sweep get the cores
  // the finished ones left (docs/architecture.md, "Threads").
  const auto available = static_cast<unsigned>(std::max(1, omp_get_max_threads()));
  std::atomic<unsigned> running{0};
  auto set_openmp_threads = [&] {
    const unsigned threads = options.openmp_threads_per_design != 0
                                 ? options.openmp_threads_per_design
                                 : openmp_threads_per_design(running.load(), available);
    omp_set_num_threads(static_cast<int>(threads));  // this thread's parallel regions only
  };
  if (to_run > 0) {
    core::log_info(
        fmt::format("up to {} design(s) at a time, {} OpenMP thread(s) shared", jobs, available));
  }

  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::exception_ptr sink_error;
  core::Progress progress("designs", to_run);
  auto worker = [&] {
    while (true) {
      const std::size_t i = next.fetch_add(1);
      if (i >= designs.size()) return;
      if (done[i] != 0) continue;
      {
        std::lock_guard lock(mutex);
        if (sink_error) return;
      }
      if (options.test_delay_per_design.count() > 0) {
        std::this_thread::sleep_for(options.test_delay_per_design);
      }
      running.fetch_add(1);
      DesignResult result = run_design_with(designs[i], stages, set_openmp_threads);
      running.fetch_sub(1);
      try {
        sink.write(designs[i], result);  // the sink may write payloads (microstructure pictures)
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!sink_error) sink_error = std::current_exception();
        return;
      }
      result.payloads.clear();  // the summary keeps every design: no structures held in memory
      if (result.status == DesignStatus::failed) {
        core::log_warning(fmt::format("design {} failed: {}", result.id, result.reason));
      } else if (result.status == DesignStatus::partial) {
        core::log_warning(fmt::format("design {} partial: {}", result.id, result.reason));
      }
      summary.results[i] = std::move(result);
      progress.advance();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(jobs);
  for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(worker);
  for (auto& thread : threads) thread.join();
  if (sink_error) std::rethrow_exception(sink_error);

  for (const auto& result : summary.results) {
    if (result.status == DesignStatus::failed) ++summary.failed;
    if (result.status == DesignStatus::partial) ++summary.partial;
    if (result.status == DesignStatus::ok) ++summary.ok;
  }
  summary.computed = to_run;
  return summary;
}

}  // namespace cathodelab::study
