// `cathodelab cell PARAMS --experiment "..." --out DIR`: runs the P2D cell model on a parameter
// file (TOML or BPX JSON) under PyBaMM-style experiment sentences and writes timeseries.csv,
// summary.json and, on request, profiles.csv, impedance.csv and gitt.csv. A failed step keeps
// everything computed before it on disk and exits with code 2.
#include "command.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/echem/experiment.hpp"
#include "cathodelab/echem/simulate.hpp"
#include "cathodelab/io/cell_parameters_reader.hpp"
#include "cathodelab/io/cell_results_writer.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

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
    const auto result = echem::simulate(parameters, experiment, options);
    io::write_cell_timeseries(out / "timeseries.csv", result);
    io::write_cell_summary(out / "summary.json", result, info);
    if (!result.profiles.empty()) io::write_cell_profiles(out / "profiles.csv", result);
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
