// What a design produces: scalars whose names carry their units (PyBaMM style,
// "Theoretical areal capacity [mA.h.cm-2]"), text results ("unknown" costs with the reason), named
// tables (time series: columns with units), files (artifacts) and in-memory hand-overs between
// stages. Stages append; the ResultSink writes them.
//
// A design is "ok" only when every result it asked for was computed. A result that was asked for
// but could not be computed (a rate test whose solver found no consistent start, a cell model
// that cannot represent a network that does not span the cathode) is listed in `missing` with its
// reason and makes the design "partial"; a stage that throws makes it "failed".
#pragma once

#include <any>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cathodelab::study {

enum class DesignStatus { ok, partial, failed, skipped };

[[nodiscard]] std::string_view status_name(DesignStatus status);
/// The status of a stored name (results.json); an unknown name reads as failed.
[[nodiscard]] DesignStatus status_from_name(std::string_view name);

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
  std::string reason;  ///< why it failed, or which results are missing and why (one line)
  std::map<std::string, double> scalars;     ///< "Name [unit]" -> value (finite)
  std::map<std::string, std::string> texts;  ///< "Name [unit]" -> text ("unknown: ...")
  std::map<std::string, Table> tables;       ///< "Voltage curve" -> table
  std::vector<Artifact> artifacts;
  /// Results asked for but not computed: "Capacity at 2C [mA.h.g-1]" -> why (one line each).
  std::map<std::string, std::string> missing;
  std::vector<std::string> stages_run;  ///< in order
  /// Hand-overs between stages inside one run (a Microstructure, effective properties); never
  /// written. Keyed by the producing stage's name.
  std::map<std::string, std::any> payloads;
};

}  // namespace cathodelab::study
