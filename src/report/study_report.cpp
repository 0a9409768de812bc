// The self-contained HTML study report: header with ok/partial/failed counts and the reasons of
// every design that is not ok, provenance, chart sections, the design table, inlined Vega-Lite.
#include "cathodelab/report/study_report.hpp"

#include "microstructure_sections.hpp"
#include "vega_bundle.hpp"
#include "whole_path_sections.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <set>

#ifndef CATHODELAB_VEGA_VERSION
#define CATHODELAB_VEGA_VERSION "?"
#define CATHODELAB_VEGA_LITE_VERSION "?"
#define CATHODELAB_VEGA_EMBED_VERSION "?"
#endif

namespace cathodelab::report {
namespace {

using nlohmann::ordered_json;

// "<\/script" keeps a "</script" inside embedded JavaScript or JSON from closing the script
// element (a valid escape inside JSON and JavaScript strings; other "</" are left alone because
// they may be code, e.g. a regular expression /</g).
std::string script_safe(std::string text) {
  std::string::size_type pos = 0;
  while ((pos = text.find("</", pos)) != std::string::npos) {
    std::string next = text.substr(pos + 2, 6);
    std::transform(next.begin(), next.end(), next.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (next == "script") {
      text.replace(pos, 2, "<\\/");
      pos += 3;
    } else {
      pos += 2;
    }
  }
  return text;
}

struct NumberWithUnit {
  double value;
  std::string unit;
};

std::optional<NumberWithUnit> split_number(const std::string& text) {
  std::size_t used = 0;
  try {
    const double value = std::stod(text, &used);
    std::string unit = text.substr(used);
    unit.erase(0, unit.find_first_not_of(' '));
    return NumberWithUnit{value, unit};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// A swept key whose values are all "<number> <same unit>" is plotted on a quantitative axis.
std::optional<std::string> numeric_unit(const ReportInput& input, const std::string& key) {
  std::optional<std::string> unit;
  for (const auto& d : input.designs) {
    for (const auto& [k, v] : d.swept) {
      if (k != key) continue;
      const auto n = split_number(v);
      if (!n || (unit && *unit != n->unit)) return std::nullopt;
      unit = n->unit;
    }
  }
  return unit;
}

std::string swept_value(const ReportDesign& d, const std::string& key) {
  for (const auto& [k, v] : d.swept) {
    if (k == key) return v;
  }
  return {};
}

std::string format_number(double v) {
  return fmt::format("{:.4g}", v);
}

// The chart titles: the scalar name without its unit bracket.
std::string short_name(const std::string& name) {
  const auto bracket = name.rfind(" [");
  return bracket == std::string::npos ? name : name.substr(0, bracket);
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string data_uri(std::string_view media_type, std::span<const std::uint8_t> bytes) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out = "data:" + std::string(media_type) + ";base64,";
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (unsigned{bytes[i]} << 16U) | (unsigned{bytes[i + 1]} << 8U) | bytes[i + 2];
    out += alphabet[(v >> 18U) & 63U];
    out += alphabet[(v >> 12U) & 63U];
    out += alphabet[(v >> 6U) & 63U];
    out += alphabet[v & 63U];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = unsigned{bytes[i]} << 16U;
    out += alphabet[(v >> 18U) & 63U];
    out += alphabet[(v >> 12U) & 63U];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (unsigned{bytes[i]} << 16U) | (unsigned{bytes[i + 1]} << 8U);
    out += alphabet[(v >> 18U) & 63U];
    out += alphabet[(v >> 12U) & 63U];
    out += alphabet[(v >> 6U) & 63U];
    out += '=';
  }
  return out;
}

std::vector<ReportSection> design_sections(const ReportInput& input) {
  // Which results to chart: the key results that at least one design has.
  std::vector<std::string> charted;
  std::string constants;  // results equal in every design: one line of text instead of a flat chart
  for (const auto& name : input.key_results) {
    std::optional<double> low;
    std::optional<double> high;
    for (const auto& d : input.designs) {
      auto it = d.result.scalars.find(name);
      if (it == d.result.scalars.end()) continue;
      low = std::min(low.value_or(it->second), it->second);
      high = std::max(high.value_or(it->second), it->second);
    }
    if (!low) continue;
    const bool constant = input.designs.size() > 1 &&
                          *high - *low <= 1e-9 * std::max(std::abs(*high), std::abs(*low));
    if (constant) {
      constants += (constants.empty() ? "" : "; ") + short_name(name) + " = " +
                   format_number(*low) + name.substr(short_name(name).size());
    } else {
      charted.push_back(name);
    }
  }
  if (charted.empty() && constants.empty()) return {};

  // x: the first swept key with numeric values; colour: the first other swept key.
  std::optional<std::string> x_key;
  std::string x_unit;
  for (const auto& key : input.swept_keys) {
    if (auto unit = numeric_unit(input, key)) {
      x_key = key;
      x_unit = *unit;
      break;
    }
  }
  std::optional<std::string> colour_key;
  for (const auto& key : input.swept_keys) {
    if (!x_key || key != *x_key) {
      colour_key = key;
      break;
    }
  }

  ReportSection section;
  section.title = "Design calculator";
  section.description =
      "Theoretical cell-level figures of one single-sided stack unit (positive collector, cathode, "
      "separator, lithium anode, negative collector; no packaging), from the recipe alone. "
      "Failed designs are left out of the charts and listed in the table.";
  if (!constants.empty()) section.description += " The same in every design: " + constants + ".";
  for (const auto& name : charted) {
    ordered_json values = ordered_json::array();
    for (const auto& d : input.designs) {
      auto it = d.result.scalars.find(name);
      if (d.result.status == study::DesignStatus::failed || it == d.result.scalars.end()) continue;
      ordered_json row;
      row["design"] = d.result.id;
      row["value"] = it->second;
      if (x_key) row["x"] = split_number(swept_value(d, *x_key))->value;
      row["label"] = d.swept.empty() ? d.result.id : [&] {
        std::string label;
        for (const auto& [k, v] : d.swept) label += (label.empty() ? "" : ", ") + v;
        return label;
      }();
      if (colour_key) row["series"] = swept_value(d, *colour_key);
      values.push_back(row);
    }
    ordered_json spec;
    spec["$schema"] = "https://vega.github.io/schema/vega-lite/v6.json";
    spec["width"] = 340;
    spec["height"] = 220;
    spec["title"] = short_name(name);
    spec["data"] = {{"values", values}};
    ordered_json y = {{"field", "value"},
                      {"type", "quantitative"},
                      {"title", name},
                      {"scale", {{"zero", false}}}};
    ordered_json tooltip =
        ordered_json::array({{{"field", "design"}, {"title", "design"}},
                             {{"field", "label"}, {"title", "inputs"}},
                             {{"field", "value"}, {"title", name}, {"format", ".4g"}}});
    if (x_key) {
      spec["mark"] = {{"type", "line"}, {"point", true}, {"tooltip", true}};
      spec["encoding"]["x"] = {{"field", "x"},
                               {"type", "quantitative"},
                               {"title", *x_key + (x_unit.empty() ? "" : " [" + x_unit + "]")},
                               {"scale", {{"zero", false}}}};
    } else {
      spec["mark"] = {{"type", "bar"}, {"tooltip", true}};
      spec["encoding"]["x"] = {{"field", "label"},
                               {"type", "nominal"},
                               {"title", colour_key.value_or("design")},
                               {"sort", nullptr}};
      y["scale"] = {{"zero", true}};
    }
    spec["encoding"]["y"] = y;
    if (colour_key) {
      spec["encoding"]["color"] = {
          {"field", "series"}, {"type", "nominal"}, {"title", *colour_key}};
    }
    spec["encoding"]["tooltip"] = tooltip;
    section.charts.push_back({short_name(name), spec.dump()});
  }
  return {section};
}

std::vector<SectionBuilder> standard_section_builders() {
  // Later capabilities append their builders here (Nyquist plots, ...). The whole-path results
  // (networks, cell performance) come first: they answer the study's question; the design
  // calculator and the per-design slice gallery follow.
  return {whole_path_sections, design_sections, microstructure_sections};
}

std::string study_report_html(const ReportInput& input) {
  std::vector<ReportSection> sections;
  for (const auto& builder : standard_section_builders()) {
    auto built = builder(input);
    sections.insert(sections.end(), built.begin(), built.end());
  }
  sections.insert(sections.end(), input.sections.begin(), input.sections.end());

  std::size_t ok = 0;
  std::size_t partial = 0;
  std::size_t failed = 0;
  std::string not_ok;  // every design that is not ok, with its reason, in the header
  for (const auto& d : input.designs) {
    const auto status = d.result.status;
    (status == study::DesignStatus::ok        ? ok
     : status == study::DesignStatus::partial ? partial
                                              : failed) += 1;
    if (status != study::DesignStatus::ok) {
      not_ok += "<li><b>" + std::string(study::status_name(status)) + "</b> <code>" +
                html_escape(d.result.id) + "</code>: " + html_escape(d.result.reason) + "</li>\n";
    }
  }

  std::string html;
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + html_escape(input.study_name) + " - cathodelab report</title>\n";
  html += R"(<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d2733; background: #f6f7f9; }
header { background: #1f3b57; color: #fff; padding: 18px 28px; }
header h1 { margin: 0 0 4px 0; font-size: 24px; }
header p { margin: 0; opacity: 0.85; }
main { padding: 12px 28px 40px 28px; }
h2 { font-size: 19px; margin: 26px 0 6px 0; border-bottom: 2px solid #d6dde5; padding-bottom: 4px; }
p.description { max-width: 900px; color: #44505c; margin: 4px 0 12px 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 14px; }
.chart { background: #fff; border: 1px solid #dde3ea; border-radius: 6px; padding: 8px; min-height: 260px; }
table { border-collapse: collapse; background: #fff; font-size: 13px; }
th, td { border: 1px solid #dde3ea; padding: 4px 8px; text-align: right; white-space: nowrap; }
th { background: #eef2f6; position: sticky; top: 0; }
td.text, th.text { text-align: left; }
tr.failed td { background: #fdecec; }
tr.partial td { background: #fff6e0; }
td.missing { color: #8a5a00; font-style: italic; }
details.not-ok { background: #fff6e0; border: 1px solid #f0d9a0; padding: 6px 10px; }
.scroll { overflow: auto; max-height: 520px; border: 1px solid #dde3ea; }
details { margin-top: 10px; }
summary { cursor: pointer; }
.provenance td, .provenance th { text-align: left; }
.summary span { display: inline-block; margin-right: 18px; }
#report-errors { color: #a40000; white-space: pre-wrap; }
footer { color: #6b7682; font-size: 12px; padding: 0 28px 20px 28px; }
</style>
</head>
<body>
)";
  html += "<header><h1>" + html_escape(input.study_name) +
          "</h1><p>cathodelab study report</p></header>\n<main>\n";
  html += fmt::format(
      "<p class=\"summary\"><span><b>{}</b> designs</span><span><b>{}</b> ok</span><span><b>{}</b> "
      "partial</span><span><b>{}</b> failed</span></p>\n",
      input.designs.size(), ok, partial, failed);
  if (!not_ok.empty()) {
    html += "<details class=\"not-ok\" open><summary>Designs with missing results</summary><ul>\n" +
            not_ok + "</ul></details>\n";
  }
  html += "<pre id=\"report-errors\"></pre>\n";
  html += "<details><summary>Provenance</summary><table class=\"provenance\">\n";
  for (const auto& [name, value] : input.provenance) {
    html += "<tr><th>" + html_escape(name) + "</th><td>" + html_escape(value) + "</td></tr>\n";
  }
  html += "</table></details>\n";

  ordered_json specs = ordered_json::array();
  std::size_t chart_index = 0;
  for (const auto& section : sections) {
    html += "<section>\n<h2>" + html_escape(section.title) + "</h2>\n";
    if (!section.description.empty()) {
      html += "<p class=\"description\">" + html_escape(section.description) + "</p>\n";
    }
    if (!section.charts.empty()) {
      html += "<div class=\"charts\">\n";
      for (const auto& chart : section.charts) {
        html += fmt::format("<div class=\"chart\" id=\"chart-{}\" title=\"{}\"></div>\n",
                            chart_index, html_escape(chart.title));
        specs.push_back(ordered_json::parse(chart.vega_lite_spec));
        ++chart_index;
      }
      html += "</div>\n";
    }
    html += section.html;
    html += "</section>\n";
  }

  // The table of designs.
  std::vector<std::string> columns;
  for (const auto& name : input.key_results) {
    const bool present =
        std::any_of(input.designs.begin(), input.designs.end(), [&](const auto& d) {
          return d.result.scalars.count(name) != 0 || d.result.texts.count(name) != 0 ||
                 d.result.missing.count(name) != 0;
        });
    if (present) columns.push_back(name);
  }
  html +=
      "<section>\n<h2>Designs</h2>\n<p class=\"description\">Every design of the study; the "
      "full results are in designs.csv and designs/&lt;id&gt;/results.json.</p>\n";
  html += "<div class=\"scroll\"><table id=\"designs\">\n<thead><tr><th class=\"text\">id</th>";
  for (const auto& key : input.swept_keys)
    html += "<th class=\"text\">" + html_escape(key) + "</th>";
  for (const auto& name : columns) html += "<th>" + html_escape(name) + "</th>";
  html += "<th class=\"text\">status</th><th class=\"text\">reason</th></tr></thead>\n<tbody>\n";
  for (const auto& d : input.designs) {
    const auto status = d.result.status;
    html += status == study::DesignStatus::failed    ? "<tr class=\"failed\">"
            : status == study::DesignStatus::partial ? "<tr class=\"partial\">"
                                                     : "<tr>";
    html += "<td class=\"text\"><code>" + html_escape(d.result.id) + "</code></td>";
    for (const auto& key : input.swept_keys)
      html += "<td class=\"text\">" + html_escape(swept_value(d, key)) + "</td>";
    for (const auto& name : columns) {
      if (auto it = d.result.scalars.find(name); it != d.result.scalars.end()) {
        html += "<td>" + format_number(it->second) + "</td>";
      } else if (auto t = d.result.texts.find(name); t != d.result.texts.end()) {
        html += "<td class=\"text\">" + html_escape(t->second) + "</td>";
      } else if (auto m = d.result.missing.find(name); m != d.result.missing.end()) {
        html += "<td class=\"missing\" title=\"" + html_escape(m->second) + "\">not computed</td>";
      } else {
        html += "<td></td>";
      }
    }
    html += "<td class=\"text\">" + std::string(study::status_name(d.result.status)) + "</td>";
    html += "<td class=\"text\">" + html_escape(d.result.reason) + "</td></tr>\n";
  }
  html += "</tbody></table></div>\n</section>\n</main>\n";
  html +=
      "<footer>Charts drawn with Vega " CATHODELAB_VEGA_VERSION
      ", Vega-Lite " CATHODELAB_VEGA_LITE_VERSION " and vega-embed " CATHODELAB_VEGA_EMBED_VERSION
      " (BSD-3-Clause, embedded in this page; works offline).</footer>\n";

  // Errors from any script (or a chart that fails to render) are written into the page, so a
  // browser test can read them from the DOM.
  html += R"(<script>
window.cathodelabErrors = [];
function cathodelabReportError(message) {
  window.cathodelabErrors.push(String(message));
  var box = document.getElementById("report-errors");
  if (box) { box.textContent += "report error: " + message + "\n"; }
}
window.addEventListener("error", function (e) { cathodelabReportError(e.message || e); });
</script>
)";
  html += "<script>/* vega " CATHODELAB_VEGA_VERSION " (BSD-3-Clause) */\n" +
          script_safe(detail::vega_js()) + "\n</script>\n";
  html += "<script>/* vega-lite " CATHODELAB_VEGA_LITE_VERSION " (BSD-3-Clause) */\n" +
          script_safe(detail::vega_lite_js()) + "\n</script>\n";
  html += "<script>/* vega-embed " CATHODELAB_VEGA_EMBED_VERSION " (BSD-3-Clause) */\n" +
          script_safe(detail::vega_embed_js()) + "\n</script>\n";
  html += "<script type=\"application/json\" id=\"chart-specs\">" + script_safe(specs.dump()) +
          "</script>\n";
  html += R"(<script>
(function () {
  var specs = JSON.parse(document.getElementById("chart-specs").textContent);
  document.body.setAttribute("data-charts-expected", String(specs.length));
  var rendered = 0;
  var jobs = specs.map(function (spec, i) {
    return vegaEmbed("#chart-" + i, spec, { renderer: "svg", actions: false })
      .then(function () { rendered += 1; })
      .catch(function (err) { cathodelabReportError("chart " + i + ": " + err); });
  });
  Promise.all(jobs).then(function () {
    document.body.setAttribute("data-charts-rendered", String(rendered));
  });
})();
</script>
</body>
</html>
)";
  return html;
}

void write_study_report(const ReportInput& input, const std::filesystem::path& file) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  const std::string html = study_report_html(input);
  const auto temp = file.parent_path() / (".tmp-" + file.filename().string());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << html;
    if (!out) throw std::runtime_error("cannot write " + temp.string());
  }
  std::filesystem::rename(temp, file);
}

}  // namespace cathodelab::report
