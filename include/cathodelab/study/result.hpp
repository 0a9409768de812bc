// What a design produces: scalars whose names carry their units (PyBaMM style,
// "Theoretical areal capacity [mA.h.cm-2]"), text results ("unknown" costs with the reason), named
// tables (time series: columns with units), files (artifacts) and in-memory hand-overs between
// stages. Stages append; the ResultSink writes them.
#pragma once

#include <any>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cathodelab::study {

enum class DesignStatus { ok, failed, skipped };

[[nodiscard]] std::string_view status_name(DesignStatus status);

struct Table {
  std::vector<std::string> columns;  ///< names with units: "Time [s]"
  std::vector<std::vector<double>> rows;
};

struct Artifact {
  std::string file_name;   ///< relative to the design folder, e.g. "slice_z.png"
  std::string media_type;  ///< "image/png", "text/plain", ...
  std::vector<std::uint8_t> bytes;
};

struct DesignResult {
  std::string id;
  std::size_t index = 0;
  DesignStatus status = DesignStatus::ok;
  std::string reason;                        ///< why it failed (one line)
  std::map<std::string, double> scalars;     ///< "Name [unit]" -> value (finite)
  std::map<std::string, std::string> texts;  ///< "Name [unit]" -> text ("unknown: ...")
  std::map<std::string, Table> tables;       ///< "Voltage curve" -> table
  std::vector<Artifact> artifacts;
  std::vector<std::string> stages_run;  ///< in order
  /// Hand-overs between stages inside one run (a Microstructure, effective properties); never
  /// written. Keyed by the producing stage's name.
  std::map<std::string, std::any> payloads;
};

}  // namespace cathodelab::study
