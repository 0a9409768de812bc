// The report's whole-path sections: effective conductivities, utilization and cell results against
// the swept key (means with standard-deviation error bars for replicated studies), voltage curves
// and rate capability as Vega-Lite charts.
#include "whole_path_sections.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace cathodelab::report {
namespace {

using nlohmann::ordered_json;

constexpr std::size_t max_points_per_curve = 250;  // keeps the page small for long protocols

std::string label_of(const ReportDesign& d) {
  if (d.swept.empty()) return d.result.id;
  std::string label;
  for (const auto& [key, value] : d.swept) label += (label.empty() ? "" : ", ") + value;
  return label;
}

std::string short_name(const std::string& name) {
  const auto bracket = name.rfind(" [");
  return bracket == std::string::npos ? name : name.substr(0, bracket);
}

std::ptrdiff_t column(const study::Table& table, const std::string& name) {
  const auto it = std::find(table.columns.begin(), table.columns.end(), name);
  return it == table.columns.end() ? -1 : it - table.columns.begin();
}

ordered_json base_spec(const std::string& title) {
  ordered_json spec;
  spec["$schema"] = "https://vega.github.io/schema/vega-lite/v6.json";
  spec["width"] = 340;
  spec["height"] = 220;
  spec["title"] = title;
  return spec;
}

/// Lines of (x, y) from one table per design, coloured by design.
std::optional<ReportChart> curves_chart(const ReportInput& input, const std::string& table_name,
                                        const std::string& x, const std::string& y,
                                        const std::string& title, bool log_x = false) {
  ordered_json values = ordered_json::array();
  for (const auto& d : input.designs) {
    if (d.result.status == study::DesignStatus::failed) continue;
    const auto it = d.result.tables.find(table_name);
    if (it == d.result.tables.end()) continue;
    const auto cx = column(it->second, x);
    const auto cy = column(it->second, y);
    if (cx < 0 || cy < 0) continue;
    const auto& rows = it->second.rows;
    const std::size_t stride = std::max<std::size_t>(1, rows.size() / max_points_per_curve);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (i % stride != 0 && i + 1 != rows.size()) continue;
      values.push_back({{"design", label_of(d)},
                        {"order", i},
                        {"x", rows[i][static_cast<std::size_t>(cx)]},
                        {"y", rows[i][static_cast<std::size_t>(cy)]}});
    }
  }
  if (values.empty()) return std::nullopt;
  ordered_json spec = base_spec(title);
  spec["data"] = {{"values", values}};
  spec["mark"] = {{"type", "line"}, {"point", log_x}, {"tooltip", true}};
  ordered_json x_encoding = {
      {"field", "x"}, {"type", "quantitative"}, {"title", x}, {"scale", {{"zero", false}}}};
  if (log_x) x_encoding["scale"] = {{"type", "log"}};
  spec["encoding"] = {
      {"x", x_encoding},
      {"y", {{"field", "y"}, {"type", "quantitative"}, {"title", y}, {"scale", {{"zero", false}}}}},
      {"color", {{"field", "design"}, {"type", "nominal"}, {"title", "design"}}},
      {"order", {{"field", "order"}, {"type", "quantitative"}}}};
  return ReportChart{title, spec.dump()};
}

/// The x axis of the per-design charts: with exactly one swept key whose values are all
/// "<number> <same unit>" (the NCM811 share of the quickstart), designs sit at their value on a
/// quantitative axis, so a trend reads as a line; otherwise one bar per design.
struct DesignAxis {
  std::string title;                       ///< "key [unit]"; empty = one bar per design
  std::map<std::string, double> value_of;  ///< design id -> x
};

std::optional<std::pair<double, std::string>> number_and_unit(const std::string& text) {
  std::size_t used = 0;
  try {
    const double value = std::stod(text, &used);
    std::string unit = text.substr(used);
    unit.erase(0, unit.find_first_not_of(' '));
    return std::pair{value, unit};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

DesignAxis design_axis(const ReportInput& input) {
  DesignAxis axis;
  if (input.swept_keys.size() != 1) return axis;
  const std::string& key = input.swept_keys.front();
  std::optional<std::string> unit;
  for (const auto& d : input.designs) {
    const auto it = std::find_if(d.swept.begin(), d.swept.end(),
                                 [&](const auto& kv) { return kv.first == key; });
    const auto n = it == d.swept.end() ? std::nullopt : number_and_unit(it->second);
    if (!n || (unit && *unit != n->second)) return {};
    unit = n->second;
    axis.value_of[d.result.id] = n->first;
  }
  if (!unit) return {};
  axis.title = key + (unit->empty() ? "" : " [" + *unit + "]");
  return axis;
}

/// One mark per design for a scalar: points on a line against the swept value, else bars.
/// Encoding of a line chart: "value" against the swept key "x", neither axis forced to zero.
ordered_json value_against_x_encoding(const std::string& x_title, const std::string& y_title) {
  const ordered_json unzeroed = {{"zero", false}};
  return {
      {"x", {{"field", "x"}, {"type", "quantitative"}, {"title", x_title}, {"scale", unzeroed}}},
      {"y",
       {{"field", "value"}, {"type", "quantitative"}, {"title", y_title}, {"scale", unzeroed}}}};
}

std::optional<ReportChart> bar_chart(const ReportInput& input, const std::string& name) {
  const DesignAxis axis = design_axis(input);
  ordered_json values = ordered_json::array();
  for (const auto& d : input.designs) {
    if (d.result.status == study::DesignStatus::failed) continue;
    const auto it = d.result.scalars.find(name);
    if (it == d.result.scalars.end()) continue;
    ordered_json row = {{"design", label_of(d)}, {"value", it->second}};
    if (!axis.title.empty()) row["x"] = axis.value_of.at(d.result.id);
    values.push_back(row);
  }
  if (values.empty()) return std::nullopt;
  ordered_json spec = base_spec(short_name(name));
  spec["data"] = {{"values", values}};
  const ordered_json tooltip = ordered_json::array(
      {{{"field", "design"}}, {{"field", "value"}, {"title", name}, {"format", ".4g"}}});
  if (input.replicates > 1) {
    // Replicates: the mean over the seeds with an error bar of one standard deviation, so that a
    // difference between designs can be told from packing noise.
    ordered_json x = axis.title.empty() ? ordered_json{{"field", "design"},
                                                       {"type", "nominal"},
                                                       {"title", "design"},
                                                       {"sort", nullptr}}
                                        : ordered_json{{"field", "x"},
                                                       {"type", "quantitative"},
                                                       {"title", axis.title},
                                                       {"scale", {{"zero", false}}}};
    // Both layers carry the same axis title (Vega-Lite would join two different ones).
    const std::string y_title =
        name + " (mean, sd of " + std::to_string(input.replicates) + " seeds)";
    ordered_json mean = {{"x", x},
                         {"y",
                          {{"field", "value"},
                           {"aggregate", "mean"},
                           {"type", "quantitative"},
                           {"title", y_title},
                           {"scale", {{"zero", false}}}}}};
    ordered_json spread = {
        {"x", x}, {"y", {{"field", "value"}, {"type", "quantitative"}, {"title", y_title}}}};
    spec["layer"] = ordered_json::array(
        {{{"mark", axis.title.empty()
                       ? ordered_json{{"type", "point"}, {"tooltip", true}}
                       : ordered_json{{"type", "line"}, {"point", true}, {"tooltip", true}}},
          {"encoding", mean}},
         {{"mark", {{"type", "errorbar"}, {"extent", "stdev"}, {"ticks", true}}},
          {"encoding", spread}}});
  } else if (axis.title.empty()) {
    spec["mark"] = {{"type", "bar"}, {"tooltip", true}};
    spec["encoding"] = {
        {"x", {{"field", "design"}, {"type", "nominal"}, {"title", "design"}, {"sort", nullptr}}},
        {"y", {{"field", "value"}, {"type", "quantitative"}, {"title", name}}},
        {"tooltip", tooltip}};
  } else {
    spec["mark"] = {{"type", "line"}, {"point", true}, {"tooltip", true}};
    spec["encoding"] = value_against_x_encoding(axis.title, name);
    spec["encoding"]["tooltip"] = tooltip;
  }
  return ReportChart{short_name(name), spec.dump()};
}

/// The capacity at every rate of the rate test per design, one series per rate (from each
/// design's "Rate capability" table, ordered by rate): where the designs' rate capability differs
/// (a peak at 1C that C/10 does not show).
std::optional<ReportChart> capacity_by_rate_chart(const ReportInput& input) {
  const DesignAxis axis = design_axis(input);
  ordered_json values = ordered_json::array();
  std::map<double, std::string> rates;  // C-rate -> label, ascending
  for (const auto& d : input.designs) {
    if (d.result.status == study::DesignStatus::failed) continue;
    const auto table = d.result.tables.find("Rate capability");
    if (table == d.result.tables.end()) continue;
    const auto c_rate = column(table->second, "C-rate [h-1]");
    const auto capacity = column(table->second, "Discharge capacity [mA.h.g-1]");
    if (c_rate < 0 || capacity < 0) continue;
    for (const auto& row : table->second.rows) {
      const double rate = row[static_cast<std::size_t>(c_rate)];
      const std::string label =
          rate < 1.0 ? "C/" + fmt::format("{:g}", 1.0 / rate) : fmt::format("{:g}C", rate);
      rates[rate] = label;
      ordered_json point = {{"design", label_of(d)},
                            {"rate", label},
                            {"value", row[static_cast<std::size_t>(capacity)]}};
      if (!axis.title.empty()) point["x"] = axis.value_of.at(d.result.id);
      values.push_back(point);
    }
  }
  if (values.empty()) return std::nullopt;
  ordered_json order = ordered_json::array();
  for (const auto& [rate, label] : rates) order.push_back(label);
  const std::string title = "Capacity at each rate";
  ordered_json spec = base_spec(title);
  spec["data"] = {{"values", values}};
  const std::string y_title = "Discharge capacity [mA.h.g-1]";
  const ordered_json tooltip =
      ordered_json::array({{{"field", "design"}},
                           {{"field", "rate"}},
                           {{"field", "value"}, {"title", y_title}, {"format", ".4g"}}});
  const ordered_json colour = {
      {"field", "rate"}, {"type", "nominal"}, {"title", "rate"}, {"sort", order}};
  if (axis.title.empty()) {
    spec["mark"] = {{"type", "bar"}, {"tooltip", true}};
    spec["encoding"] = {
        {"x", {{"field", "design"}, {"type", "nominal"}, {"title", "design"}, {"sort", nullptr}}},
        {"xOffset", {{"field", "rate"}, {"sort", order}}},
        {"y", {{"field", "value"}, {"type", "quantitative"}, {"title", y_title}}},
        {"color", colour},
        {"tooltip", tooltip}};
  } else {
    spec["mark"] = {{"type", "line"}, {"point", true}, {"tooltip", true}};
    spec["encoding"] = value_against_x_encoding(axis.title, y_title);
    spec["encoding"]["color"] = colour;
    spec["encoding"]["tooltip"] = tooltip;
  }
  return ReportChart{title, spec.dump()};
}

void add(ReportSection& section, std::optional<ReportChart> chart) {
  if (chart) section.charts.push_back(std::move(*chart));
}

std::string property_sources(const ReportInput& input) {
  std::map<std::string, int> counts;
  for (const auto& d : input.designs) {
    const auto it = d.result.texts.find("Effective property source");
    if (it != d.result.texts.end()) ++counts[it->second];
  }
  std::string text;
  for (const auto& [source, count] : counts) {
    text += (text.empty() ? "" : ", ") + source + " (" + std::to_string(count) +
            (count == 1 ? " design)" : " designs)");
  }
  return text;
}

}  // namespace

std::vector<ReportSection> whole_path_sections(const ReportInput& input) {
  std::vector<ReportSection> sections;

  ReportSection transport;
  transport.title = "Microstructure and transport";
  transport.description =
      "Each design's generated microstructure: ionic and electronic effective conductivities "
      "through the cathode thickness (voxel finite-volume solves), the active material reachable "
      "by both networks, and the active interface area per electrode volume.";
  for (const char* name :
       {"Effective ionic conductivity [S.m-1]", "Effective electronic conductivity [S.m-1]",
        "Ionic tortuosity factor [-]", "Utilizable active material fraction [-]",
        "Active area per volume [m-1]", "Active area fraction [-]"}) {
    add(transport, bar_chart(input, name));
  }
  if (!transport.charts.empty()) sections.push_back(std::move(transport));

  ReportSection cell;
  cell.title = "Cell performance";
  cell.description =
      "P2D half cell (lithium metal anode) with parameters homogenized from each design "
      "(docs/theory/homogenization.md). Capacities are per active-material mass.";
  const std::string sources = property_sources(input);
  if (!sources.empty()) cell.description += " Effective properties from: " + sources + ".";
  add(cell, curves_chart(input, "Voltage curve", "Time [s]", "Voltage [V]", "Voltage curve"));
  add(cell, curves_chart(input, "Voltage curve", "Discharge capacity [mA.h.g-1]", "Voltage [V]",
                         "Voltage against capacity"));
  add(cell, curves_chart(input, "Rate capability", "C-rate [h-1]", "Discharge capacity [mA.h.g-1]",
                         "Rate capability", true));
  add(cell, capacity_by_rate_chart(input));
  add(cell, bar_chart(input, "Discharge capacity [mA.h.g-1]"));
  add(cell, bar_chart(input, "Mean discharge voltage [V]"));
  if (!cell.charts.empty()) sections.push_back(std::move(cell));
  return sections;
}

}  // namespace cathodelab::report
