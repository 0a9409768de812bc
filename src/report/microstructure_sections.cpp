// The report's per-design microstructure gallery: phase and network slice pictures of each design
// folder, embedded as data URIs so the page works offline.
#include "microstructure_sections.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

namespace cathodelab::report {
namespace {

namespace fs = std::filesystem;

constexpr const char* slice_xy = "slice_xy_mid.png";
constexpr const char* slice_xz = "slice_xz_mid.png";

std::optional<std::vector<std::uint8_t>> read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in),
                                  std::istreambuf_iterator<char>()};
  if (bytes.empty()) return std::nullopt;
  return bytes;
}

std::string design_label(const ReportDesign& d) {
  std::string label = d.result.id;
  for (const auto& [key, value] : d.swept)
    label += (label == d.result.id ? ": " : ", ") + key + " = " + value;
  return label;
}

std::string fraction_text(const std::optional<double>& value) {
  return value && std::isfinite(*value) ? fmt::format("{:.4f}", *value) : "-";
}

std::optional<double> scalar(const ReportDesign& d, const std::string& name) {
  const auto it = d.result.scalars.find(name);
  if (it == d.result.scalars.end()) return std::nullopt;
  return it->second;
}

// Legend and table of one design, from microstructure.json (phase names, colours) and the
// design's scalars (target and measured volume fraction per phase).
std::string phase_table(const ReportDesign& d) {
  nlohmann::json phases = nlohmann::json::array();
  std::ifstream in(d.folder / "microstructure.json");
  if (in) {
    try {
      const auto j = nlohmann::json::parse(in);
      if (j.contains("Phases") && j.at("Phases").is_array()) phases = j.at("Phases");
    } catch (const std::exception&) {
      phases = nlohmann::json::array();  // no legend rather than no report
    }
  }
  std::string html =
      "<table class=\"phases\"><thead><tr><th class=\"text\">phase</th><th "
      "class=\"text\">role</th><th>target volume fraction [-]</th><th>measured volume fraction "
      "[-]</th></tr></thead><tbody>";
  for (const auto& p : phases) {
    const std::string name = p.value("Name", std::string());
    const std::string colour = p.value("Colour", std::string("#ffffff"));
    std::optional<double> target = scalar(d, "Target volume fraction " + name + " [-]");
    std::optional<double> measured = scalar(d, "Measured volume fraction " + name + " [-]");
    if (!measured && p.contains("Measured volume fraction") &&
        p.at("Measured volume fraction").is_number()) {
      measured = p.at("Measured volume fraction").get<double>();
    }
    html += fmt::format(
        "<tr><td class=\"text\"><span class=\"swatch\" style=\"background:{}\"></span>{}</td><td "
        "class=\"text\">{}</td><td>{}</td><td>{}</td></tr>",
        html_escape(colour), html_escape(name), html_escape(p.value("Role", std::string())),
        fraction_text(target), fraction_text(measured));
  }
  html += "</tbody></table>";
  return html;
}

}  // namespace

std::vector<ReportSection> microstructure_sections(const ReportInput& input) {
  std::string body;
  std::size_t shown = 0;
  std::size_t with_pictures = 0;
  for (const auto& d : input.designs) {
    if (d.folder.empty()) continue;
    const fs::path xy = d.folder / slice_xy;
    const fs::path xz = d.folder / slice_xz;
    if (!fs::exists(xy) || !fs::exists(xz)) continue;
    ++with_pictures;
    if (shown >= max_microstructure_designs) continue;
    const auto xy_bytes = read_bytes(xy);
    const auto xz_bytes = read_bytes(xz);
    if (!xy_bytes || !xz_bytes) continue;
    ++shown;
    body += "<div class=\"microstructure\"><h3>" + html_escape(design_label(d)) + "</h3>";
    body += "<div class=\"slices\">";
    body += "<figure><img alt=\"x-y slice at mid thickness\" src=\"" +
            data_uri("image/png", *xy_bytes) +
            "\"><figcaption>x-y, mid thickness</figcaption></figure>";
    body += "<figure><img alt=\"x-z slice at mid y\" src=\"" + data_uri("image/png", *xz_bytes) +
            "\"><figcaption>x-z, collector at the bottom, separator at the top</figcaption>"
            "</figure>";
    body += phase_table(d);
    body += "</div></div>\n";
  }
  if (shown == 0) return {};
  ReportSection section;
  section.title = "Microstructure";
  section.description =
      "Slices through each design's generated microstructure (voxels enlarged, one fixed colour "
      "per phase role) beside the target and measured volume fraction of every phase. The full "
      "structure is in designs/<id>/microstructure.vti (ParaView) and microstructure.json.";
  if (with_pictures > shown) {
    section.description +=
        fmt::format(" The first {} of {} designs are shown.", shown, with_pictures);
  }
  section.html =
      "<style>.slices { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; }"
      ".slices figure { margin: 0; background: #fff; border: 1px solid #dde3ea; padding: 6px; }"
      ".slices img { display: block; max-width: 320px; image-rendering: pixelated; }"
      ".slices figcaption { font-size: 12px; color: #44505c; }"
      ".swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; "
      "border: 1px solid #888; vertical-align: middle; }"
      ".microstructure h3 { font-size: 15px; margin: 14px 0 6px 0; }</style>\n" +
      body;
  return {std::move(section)};
}

}  // namespace cathodelab::report
