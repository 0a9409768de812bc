// The output folder of a study run:
//   DIR/study.json                resolved inputs, sweeps, materials used, provenance
//   DIR/designs.csv               one row per design: id, swept inputs, key results (units in the
//                                 column names), status, reason
//   DIR/designs/<id>/design.toml  the fully resolved design (re-runs it alone)
//   DIR/designs/<id>/results.json scalars, texts, tables, artifact names, status
//   DIR/designs/<id>/COMPLETE     marker: the folder is whole
// Each design folder is written into DIR/designs/.tmp-<id>-<n> and renamed into place, so a killed
// run leaves either a complete folder or none; `--resume` skips complete ones.
#pragma once

#include "cathodelab/io/provenance.hpp"
#include "cathodelab/study/runner.hpp"

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

namespace cathodelab::io {

class StudyFolderSink final : public study::ResultSink {
 public:
  /// Creates DIR/designs and removes temporary folders a killed run left behind.
  explicit StudyFolderSink(std::filesystem::path out_dir);
  [[nodiscard]] std::optional<study::DesignResult> load_complete(
      const study::Design& design) const override;
  void write(const study::Design& design, const study::DesignResult& result) override;

 private:
  std::filesystem::path out_dir_;
  std::atomic<unsigned long> counter_{0};
};

/// The folder of one design.
[[nodiscard]] std::filesystem::path design_dir(const std::filesystem::path& out_dir,
                                               const std::string& id);

/// results.json of one design as text, and back.
[[nodiscard]] std::string result_to_json(const study::Design& design,
                                         const study::DesignResult& result);
[[nodiscard]] study::DesignResult result_from_json(const std::string& text);

/// Writes DIR/study.json atomically (temporary file + rename).
void write_study_json(const std::filesystem::path& out_dir, const study::StudySpec& spec,
                      const std::vector<study::Design>& designs, const Provenance& provenance);

/// The scalar names shown first in tables and the report (the rest follow alphabetically).
[[nodiscard]] const std::vector<std::string>& key_result_names();

/// Writes DIR/designs.csv atomically, designs in expansion order.
void write_designs_csv(const std::filesystem::path& out_dir,
                       const std::vector<study::Design>& designs,
                       const std::vector<study::DesignResult>& results);

/// Writes `text` to `file` through a temporary file in the same folder and a rename.
void write_file_atomically(const std::filesystem::path& file, const std::string& text);

}  // namespace cathodelab::io
