// `cathodelab run FILE --out DIR [--resume] [--jobs N]`: expands the study, runs every design
// through the stages in parallel, writes each finished design at once (DIR/designs/<id>/), then
// DIR/designs.csv and the report DIR/report/index.html. See io/result_sink.hpp for the layout.
// The summary line counts designs that are ok (every requested result computed), partial (some
// results missing, each with its reason) and failed; exit code 0 unless every design failed (2).
//
// Test only: CATHODELAB_TEST_DESIGN_DELAY_MS=<ms> makes every design sleep that long, so the resume
// test can kill a run midway. It changes no result.
#include "argument_checks.hpp"
#include "command.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/io/provenance.hpp"
#include "cathodelab/io/result_sink.hpp"
#include "cathodelab/io/study_loader.hpp"
#include "cathodelab/report/study_report.hpp"
#include "cathodelab/study/design.hpp"
#include "cathodelab/study/runner.hpp"
#include "cathodelab/study/stage.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

namespace cathodelab::apps {
namespace {

struct RunArguments {
  std::string file;
  std::string out;
  std::string materials_dir;
  bool resume = false;
  unsigned jobs = 0;
};

report::ReportInput report_input(const study::StudySpec& spec,
                                 const std::vector<study::Design>& designs,
                                 const study::RunSummary& summary, const io::Provenance& provenance,
                                 const std::filesystem::path& out) {
  report::ReportInput input;
  input.study_name = spec.name;
  input.provenance = provenance;
  for (const auto& block : spec.sweeps) {
    for (const auto& axis : block.axes) input.swept_keys.push_back(study::key_path_text(axis.key));
  }
  input.key_results = io::key_result_names();
  input.replicates = spec.replicates;
  for (std::size_t i = 0; i < designs.size(); ++i) {
    input.designs.push_back(
        {designs[i].swept, summary.results[i], io::design_dir(out, designs[i].id)});
  }
  return input;
}

std::chrono::milliseconds test_delay() {
  const char* text = std::getenv("CATHODELAB_TEST_DESIGN_DELAY_MS");
  if (text == nullptr || *text == '\0') return std::chrono::milliseconds{0};
  return std::chrono::milliseconds{std::strtol(text, nullptr, 10)};
}

void run(const RunArguments& args) {
  io::LoadStudyOptions options;
  if (!args.materials_dir.empty()) options.materials_dir = args.materials_dir;
  const auto spec = io::load_study(args.file, options);
  const auto stages = study::standard_stages();
  const auto designs = naming_file(args.file, [&] {
    auto expanded = study::expand(spec);
    study::validate(expanded, stages);
    return expanded;
  });

  const std::filesystem::path out = prepare_output_folder(args.out, "--out");
  const auto provenance = io::collect_provenance(spec.seed);
  io::write_study_json(out, spec, designs, provenance);
  io::StudyFolderSink sink(out);
  core::log_info(
      fmt::format("study '{}': {} designs -> {}", spec.name, designs.size(), out.string()));
  const auto summary =
      study::run(designs, stages, sink,
                 {.jobs = args.jobs, .resume = args.resume, .test_delay_per_design = test_delay()});
  io::write_designs_csv(out, designs, summary.results);
  const auto report_file = out / "report" / "index.html";
  report::write_study_report(report_input(spec, designs, summary, provenance, out), report_file);
  std::cout << fmt::format("{} designs: {} ok, {} partial, {} failed ({} computed, {} resumed)\n",
                           designs.size(), summary.ok, summary.partial, summary.failed,
                           summary.computed, summary.resumed);
  for (std::size_t i = 0; i < designs.size(); ++i) {
    const auto& r = summary.results[i];
    if (r.status == study::DesignStatus::ok) continue;
    std::cout << fmt::format("  {} {}: {}\n", study::status_name(r.status), r.id, r.reason);
  }
  std::cout << "results: " << (out / "designs.csv").string() << "\nreport: " << report_file.string()
            << "\n";
  if (!designs.empty() && summary.failed == designs.size()) {
    // Nothing was computed: the run failed as a whole (the folder still holds every reason).
    throw core::InputError(
        fmt::format("every design of the study failed ({} of {})", summary.failed, designs.size()),
        "", "see the reasons above and in " + (out / "designs.csv").string(), {args.file, 0, 0});
  }
}

void setup_run(CLI::App& parent) {
  auto args = std::make_shared<RunArguments>();
  auto* command = parent.add_subcommand("run", "Run a study (or one resolved design.toml)");
  command->add_option("file", args->file, "Study file (TOML)")->required();
  command->add_option("-o,--out", args->out, "Output folder")->required();
  command->add_flag("--resume", args->resume, "Keep designs already complete in the output folder");
  command->add_option("-j,--jobs", args->jobs, "Designs run at once (default: all cores)");
  command->add_option("--materials", args->materials_dir,
                      "Material library folder (default: data/materials)");
  command->callback([args] { run(*args); });
}

const CommandRegistrar registrar{"run", setup_run};

}  // namespace
}  // namespace cathodelab::apps
