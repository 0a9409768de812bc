// The study report: one self-contained HTML page (works offline) with the provenance, a table of
// the designs and charts of the swept results, drawn by Vega-Lite (vega, vega-lite and vega-embed
// from npm, minified JavaScript embedded into this binary at build time; see web/package.json).
//
// Extension point: a chart section is a ReportSection (Vega-Lite specs as JSON text, and/or a
// trusted HTML fragment such as an <img> with a base64 PNG). `standard_section_builders()` lists
// the functions that turn a ReportInput into sections; later capabilities (voltage curves, Nyquist
// plots, microstructure slices) append a builder there, or a caller adds sections directly to
// ReportInput::sections.
#pragma once

#include "cathodelab/study/result.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace cathodelab::report {

struct ReportDesign {
  std::vector<std::pair<std::string, std::string>> swept;  ///< (key, value as written)
  study::DesignResult result;                              ///< scalars, texts, tables, status
  std::filesystem::path folder;  ///< the design's output folder (for artifacts), may be empty
};

struct ReportChart {
  std::string title;
  std::string vega_lite_spec;  ///< a complete Vega-Lite specification (JSON text) with inline data
};

struct ReportSection {
  std::string title;
  std::string description;  ///< plain text, escaped on output
  std::vector<ReportChart> charts;
  std::string html;  ///< trusted HTML fragment appended after the charts
};

struct ReportInput {
  std::string study_name;
  std::vector<std::pair<std::string, std::string>> provenance;  ///< shown in the header
  std::vector<std::string> swept_keys;                          ///< in sweep order
  std::vector<std::string> key_results;                         ///< scalar names shown first
  std::vector<ReportDesign> designs;                            ///< in design order
  std::vector<ReportSection> sections;                          ///< added after the built ones
  /// study.replicates: with more than one, each design point appears once per replicate and the
  /// per-design charts show the mean with a one-standard-deviation error bar.
  std::size_t replicates = 1;
};

using SectionBuilder = std::function<std::vector<ReportSection>(const ReportInput&)>;

/// The builders run for every report, in order (design charts now; later stages append theirs).
[[nodiscard]] std::vector<SectionBuilder> standard_section_builders();

/// Charts of the design calculator's results against the swept inputs: x = the first numeric
/// swept key, colour = the next swept key; one chart per key result present.
[[nodiscard]] std::vector<ReportSection> design_sections(const ReportInput& input);

/// The page as text.
[[nodiscard]] std::string study_report_html(const ReportInput& input);

/// Writes the page to `file` (creating its folder).
void write_study_report(const ReportInput& input, const std::filesystem::path& file);

/// "data:image/png;base64,..." for embedding images in a section's html.
[[nodiscard]] std::string data_uri(std::string_view media_type,
                                   std::span<const std::uint8_t> bytes);

/// Escapes &, <, >, " and ' for HTML text and attributes.
[[nodiscard]] std::string html_escape(std::string_view text);

}  // namespace cathodelab::report
