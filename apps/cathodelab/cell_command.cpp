// `cathodelab cell PARAMS --experiment "..." --out DIR`: runs the P2D cell model on a parameter
// file (TOML or BPX JSON) under PyBaMM-style experiment sentences and writes timeseries.csv,
// summary.json and, on request, profiles.csv, impedance.csv and gitt.csv. Rows reach
// timeseries.csv as they are computed; SIGINT or SIGTERM stop the run before the next solver step,
// save summary.json and exit 128 + signal with one line. A failed step keeps everything computed
// before it on disk and exits with code 2. The console says how each step ended.
#include "command.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/echem/experiment.hpp"
#include "cathodelab/echem/simulate.hpp"
#include "cathodelab/io/cell_parameters_reader.hpp"
#include "cathodelab/io/cell_results_writer.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <memory>

namespace cathodelab::apps {
namespace {

struct CellArguments {
  std::string parameters;
  std::vector<std::string> experiments;
  std::string out = "cell_out";
  std::vector<double> profile_times;
  bool impedance = false;
  double min_frequency = 1e-3;
  double max_frequency = 1e6;
  int frequencies = 60;
  int gitt_pulses = 0;
  double gitt_c_rate = 0.1;
  double gitt_pulse = 600.0;
  double gitt_rest = 3600.0;
  echem::Mesh mesh;
  double rtol = 1e-6;
  bool sparse_rows = false;
};

/// Raised by SIGINT/SIGTERM while a simulation runs; the simulation stops before its next solver
/// step and the command saves what it computed.
std::atomic<bool> stop_requested{false};
volatile std::sig_atomic_t stop_signal = 0;

extern "C" void request_stop(int signal) {
  stop_signal = signal;
  stop_requested.store(true);
}

/// SIGINT and SIGTERM stop the simulation cleanly while this object lives.
class StopOnSignal {
 public:
  StopOnSignal() {
    struct sigaction action {};
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;
  ~StopOnSignal() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

/// One line per step on the console: how it ended (a cut-off, a particle surface reaching its
/// window, a failure) and at which voltage, so a step that stops early says so.
void log_step_ends(const echem::CellResult& result) {
  constexpr std::size_t shown = 20;  // long cycling: the first steps, then the count
  for (std::size_t i = 0; i < result.steps.size() && i < shown; ++i) {
    const auto& s = result.steps[i];
    core::log_info(fmt::format("step {} \"{}\": {} at {:.4f} V after {:.6g} s ({:.4g} mA.h)",
                               s.index + 1, s.text, s.termination, s.end_voltage, s.duration,
                               s.capacity * 1e3));
  }
  if (result.steps.size() > shown) {
    core::log_info(fmt::format("... {} more steps (summary.json lists every step)",
                               result.steps.size() - shown));
  }
}

void run_cell(const CellArguments& a) {
  const auto parameters = io::read_cell_parameters(a.parameters);
  const std::filesystem::path out(a.out);
  std::filesystem::create_directories(out);
  echem::SimulationOptions options;
  options.mesh = a.mesh;
  options.relative_tolerance = a.rtol;
  options.profile_times = a.profile_times;
  options.record_every_step = !a.sparse_rows;
  const io::CellRunInfo info{a.parameters, a.experiments};

  std::optional<echem::Failure> failure;
  if (!a.experiments.empty()) {
    const auto experiment = echem::parse_experiment(a.experiments);
    core::log_info(fmt::format("cell: {} steps in {} cycles on '{}'", experiment.steps.size(),
                               experiment.cycle_count(), parameters.name));
    // Rows reach timeseries.csv as they are computed; a signal stops the run cleanly.
    io::TimeseriesCsvWriter rows(out / "timeseries.csv", echem::positive_active_mass(parameters));
    echem::SimulationOptions streamed = options;
    streamed.on_row = [&rows](const echem::TimeseriesRow& row) { rows.write(row); };
    streamed.cancel = &stop_requested;
    const StopOnSignal stop_on_signal;
    const auto result = echem::simulate(parameters, experiment, streamed);
    io::write_cell_summary(out / "summary.json", result, info);
    if (!result.profiles.empty()) io::write_cell_profiles(out / "profiles.csv", result);
    log_step_ends(result);
    if (result.failure && result.failure->kind == echem::FailureKind::interrupted) {
      throw Interrupted(
          fmt::format("signal {} at t = {:.6g} s in step {}: the {} rows computed "
                      "so far and summary.json are in {}",
                      static_cast<int>(stop_signal), result.failure->time, result.failure->step + 1,
                      result.timeseries.time.size(), out.string()),
          128 + static_cast<int>(stop_signal));
    }
    failure = result.failure;
  }
  if (a.impedance) {
    const auto spectrum = echem::impedance(parameters, {.mesh = a.mesh,
                                                        .min_frequency = a.min_frequency,
                                                        .max_frequency = a.max_frequency,
                                                        .frequencies = a.frequencies});
    io::write_cell_impedance(out / "impedance.csv", spectrum);
  }
  if (a.gitt_pulses > 0) {
    const auto g = echem::gitt(parameters, {.c_rate = a.gitt_c_rate,
                                            .pulse_duration = a.gitt_pulse,
                                            .rest_duration = a.gitt_rest,
                                            .pulses = a.gitt_pulses,
                                            .simulation = options});
    io::write_cell_gitt(out / "gitt.csv", g.pulses);
    io::write_cell_timeseries(out / "gitt_timeseries.csv", g.cell);
    if (!failure && g.cell.failure) failure = g.cell.failure;
  }
  if (a.experiments.empty() && !a.impedance && a.gitt_pulses == 0) {
    throw core::InputError("nothing to do", "experiment",
                           "give --experiment \"Discharge at 1C until 3.0 V\", --impedance or "
                           "--gitt-pulses N");
  }
  if (failure) {
    throw core::InputError(
        fmt::format("step {} (\"{}\") failed at t = {:.6g} s: {}", failure->step + 1,
                    failure->step_text, failure->time, failure->reason),
        "experiment", "results up to the failure are in " + out.string());
  }
}

void setup_cell(CLI::App& parent) {
  auto args = std::make_shared<CellArguments>();
  auto* c = parent.add_subcommand("cell",
                                  "Run the P2D cell model on a parameter file under an experiment");
  c->add_option("parameters", args->parameters, "Parameter file (.toml or BPX .json)")
      ->required()
      ->check(CLI::ExistingFile);
  c->add_option("--experiment,-e", args->experiments,
                "Experiment: sentences separated by ';', optionally \"(...) x N\" (repeatable)");
  c->add_option("--out,-o", args->out, "Output folder")->capture_default_str();
  c->add_option("--profile-times", args->profile_times, "Times [s] for spatial profiles");
  c->add_flag("--impedance", args->impedance, "Rest-state impedance spectrum -> impedance.csv");
  c->add_option("--min-frequency", args->min_frequency, "[Hz]")->capture_default_str();
  c->add_option("--max-frequency", args->max_frequency, "[Hz]")->capture_default_str();
  c->add_option("--frequencies", args->frequencies, "Number of frequencies")->capture_default_str();
  c->add_option("--gitt-pulses", args->gitt_pulses, "GITT: number of pulses (0 = off)");
  c->add_option("--gitt-c-rate", args->gitt_c_rate, "GITT pulse C-rate (negative = charge)")
      ->capture_default_str();
  c->add_option("--gitt-pulse", args->gitt_pulse, "GITT pulse duration [s]")->capture_default_str();
  c->add_option("--gitt-rest", args->gitt_rest, "GITT rest duration [s]")->capture_default_str();
  c->add_option("--volumes-negative", args->mesh.negative)->capture_default_str();
  c->add_option("--volumes-separator", args->mesh.separator)->capture_default_str();
  c->add_option("--volumes-positive", args->mesh.positive)->capture_default_str();
  c->add_option("--volumes-particle", args->mesh.particle)->capture_default_str();
  c->add_option("--rtol", args->rtol, "Relative tolerance of the time integrator")
      ->capture_default_str();
  c->add_flag("--step-ends-only", args->sparse_rows,
              "Record only the end of each step (long cycling)");
  c->callback([args] { run_cell(*args); });
}

const CommandRegistrar registrar{"cell", setup_cell};

}  // namespace
}  // namespace cathodelab::apps
