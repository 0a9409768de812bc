// `cathodelab cell PARAMS --experiment "..." --out DIR`: runs the P2D cell model on a parameter
// file (TOML or BPX JSON) under PyBaMM-style experiment sentences and writes timeseries.csv,
// summary.json and, on request, profiles.csv, impedance.csv and gitt.csv. Rows reach
// timeseries.csv as they are computed; SIGINT or SIGTERM stop the run before the next solver step,
// save summary.json and exit 128 + signal with one line. A failed step keeps everything computed
// before it on disk and exits with code 2. The console says how each step ended.
#include "argument_checks.hpp"
#include "command.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/core/memory.hpp"
#include "cathodelab/echem/experiment.hpp"
#include "cathodelab/echem/simulate.hpp"
#include "cathodelab/io/cell_parameters_reader.hpp"
#include "cathodelab/io/cell_results_writer.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <cmath>
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

// Bounds on request sizes. A P2D cell is resolved well by tens of volumes per domain; the limits
// stop a typo (an extra zero or two) before the solver allocates for it.
constexpr long long max_volumes_per_domain = 100000;
constexpr long long max_frequencies = 100000;
constexpr long long max_gitt_pulses = 10000;
constexpr long long max_profile_times = 10000;
constexpr double max_unknowns = 1e8;
// [byte] per unknown of the P2D system: IDA's vectors and the KLU factors of its sparse Jacobian.
// Peak resident memory measured 0.7-0.9 kB per unknown at 1e5-2e5 unknowns (discharge, impedance
// and GITT); 2 kB leaves room for KLU fill-in and long time series.
constexpr double bytes_per_unknown = 2000.0;
// [byte] per frequency of a spectrum: the three output columns and the complex response.
constexpr double bytes_per_frequency = 48.0;

std::string gigabytes(double bytes) {
  return fmt::format("{:.3g} GB", bytes / 1e9);
}

/// Unknowns of the P2D system for this mesh (p2d_model.cpp: one or two electrolyte unknowns per
/// volume; in an electrode one potential plus, per particle class, a surface flux, a film state and
/// the radial concentrations).
double p2d_unknowns(const echem::CellParameters& p, const echem::Mesh& m) {
  const bool porous_negative = p.negative_model == echem::NegativeElectrodeModel::porous;
  const double negative = porous_negative ? m.negative : 0.0;
  const double per_volume = p.electrolyte.model == echem::ElectrolyteModel::binary ? 2.0 : 1.0;
  const auto electrode = [&](double volumes, std::size_t classes) {
    return volumes * (1.0 + static_cast<double>(classes) * (2.0 + m.particle));
  };
  return (negative + m.separator + m.positive) * per_volume +
         electrode(m.positive, p.positive.particles.size()) +
         (porous_negative ? electrode(negative, p.negative.particles.size()) : 0.0);
}

// Flags are checked even when the option they tune is off: a mistyped value is a mistake either
// way, and a user who adds --impedance later should not meet it then.
void check_impedance_flags(const CellArguments& a) {
  require_positive_finite(a.min_frequency, "--min-frequency", "1e-3");
  require_positive_finite(a.max_frequency, "--max-frequency", "1e6");
  if (a.min_frequency > a.max_frequency) {
    throw core::InputError(
        fmt::format("{} Hz is above --max-frequency {} Hz", a.min_frequency, a.max_frequency),
        "--min-frequency", "give --min-frequency below --max-frequency, e.g. 1e-3 and 1e6");
  }
  require_count_in(
      a.frequencies, "--frequencies", 1, max_frequencies, 60,
      fmt::format("the spectrum would need {}", gigabytes(a.frequencies * bytes_per_frequency)));
}

void check_gitt_flags(const CellArguments& a) {
  require_count_in(a.gitt_pulses, "--gitt-pulses", 0, max_gitt_pulses, 20,
                   "each pulse adds a pulse and a rest step to the simulation");
  if (!std::isfinite(a.gitt_c_rate) || a.gitt_c_rate == 0.0) {
    throw core::InputError(fmt::format("must be finite and not 0, got {}", a.gitt_c_rate),
                           "--gitt-c-rate", "give e.g. --gitt-c-rate 0.1 (negative = charge)");
  }
  require_positive_finite(a.gitt_pulse, "--gitt-pulse", "600");
  require_positive_finite(a.gitt_rest, "--gitt-rest", "3600");
}

/// The flags that do not depend on the parameter file.
void check_flags(const CellArguments& a) {
  if (!(a.rtol > 0.0 && a.rtol < 1.0)) {
    throw core::InputError(fmt::format("must lie in (0, 1), got {}", a.rtol), "--rtol",
                           "give e.g. --rtol 1e-6");
  }
  require_count_in(static_cast<long long>(a.profile_times.size()), "--profile-times", 0,
                   max_profile_times, 10, "each stores a full profile of the cell");
  for (const double t : a.profile_times) {
    require_non_negative_finite(t, "--profile-times", "600");
  }
  check_impedance_flags(a);
  check_gitt_flags(a);
  if (a.experiments.empty() && !a.impedance && a.gitt_pulses == 0) {
    throw core::InputError("nothing to do", "--experiment",
                           "give --experiment \"Discharge at 1C until 3.0 V\", --impedance or "
                           "--gitt-pulses N");
  }
}

/// The mesh flags, against the cell they resolve (a lithium-metal negative needs no volumes).
void check_mesh(const echem::CellParameters& p, const echem::Mesh& m) {
  const bool porous_negative = p.negative_model == echem::NegativeElectrodeModel::porous;
  const double unknowns = p2d_unknowns(p, m);
  const std::string need =
      fmt::format("the mesh would need about {}", gigabytes(unknowns * bytes_per_unknown));
  const echem::Mesh defaults;
  require_count_in(m.negative, "--volumes-negative", porous_negative ? 1 : 0,
                   max_volumes_per_domain, defaults.negative, need);
  require_count_in(m.separator, "--volumes-separator", 1, max_volumes_per_domain,
                   defaults.separator, need);
  require_count_in(m.positive, "--volumes-positive", 1, max_volumes_per_domain, defaults.positive,
                   need);
  require_count_in(m.particle, "--volumes-particle", 2, max_volumes_per_domain, defaults.particle,
                   need);
  const std::string fix = "use fewer volumes (--volumes-positive, --volumes-particle, ...)";
  if (unknowns > max_unknowns) {
    throw core::InputError(
        fmt::format("the mesh has {:.3g} unknowns, above the limit of {:.3g} ({})", unknowns,
                    max_unknowns, need),
        "--volumes-particle", fix);
  }
  try {
    core::require_memory(static_cast<std::size_t>(unknowns * bytes_per_unknown), "the P2D mesh");
  } catch (const core::InputError& e) {
    throw core::InputError(e.problem(), "--volumes-particle", fix);
  }
}

void run_cell(const CellArguments& a) {
  check_flags(a);
  const auto parameters = io::read_cell_parameters(a.parameters);
  check_mesh(parameters, a.mesh);
  std::optional<echem::Experiment> experiment;
  if (!a.experiments.empty()) {
    try {
      experiment = echem::parse_experiment(a.experiments);
    } catch (const core::InputError& e) {
      throw core::InputError(e.problem(), "--experiment", e.fix(), e.where());
    }
  }
  const std::filesystem::path out = prepare_output_folder(a.out, "--out");
  echem::SimulationOptions options;
  options.mesh = a.mesh;
  options.relative_tolerance = a.rtol;
  options.profile_times = a.profile_times;
  options.record_every_step = !a.sparse_rows;
  const io::CellRunInfo info{a.parameters, a.experiments};

  std::optional<echem::Failure> failure;
  if (experiment) {
    core::log_info(fmt::format("cell: {} steps in {} cycles on '{}'", experiment->steps.size(),
                               experiment->cycle_count(), parameters.name));
    // Rows reach timeseries.csv as they are computed; a signal stops the run cleanly.
    io::TimeseriesCsvWriter rows(out / "timeseries.csv", echem::positive_active_mass(parameters));
    echem::SimulationOptions streamed = options;
    streamed.on_row = [&rows](const echem::TimeseriesRow& row) { rows.write(row); };
    streamed.cancel = &stop_requested;
    const StopOnSignal stop_on_signal;
    const auto result = echem::simulate(parameters, *experiment, streamed);
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
