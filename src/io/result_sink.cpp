// The study output folder: atomic per-design folders (design.toml, results.json with missing
// results and their reasons, artifacts, COMPLETE), study.json, designs.csv (per design, or per
// design point with mean and standard deviation over replicates plus replicates.csv).
#include "cathodelab/io/result_sink.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/io/csv.hpp"
#include "cathodelab/io/microstructure_writer.hpp"
#include "cathodelab/io/study_loader.hpp"
#include "cathodelab/study/microstructure_stage.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace cathodelab::io {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

constexpr const char* complete_marker = "COMPLETE";

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_bytes(const fs::path& file, const char* data, std::size_t size) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(data, static_cast<std::streamsize>(size));
  out.close();
  if (!out) throw core::Error("cannot write " + file.string());
}

// An artifact name must stay inside the design folder.
void check_artifact_name(const std::string& name) {
  if (name.empty() || name.find("..") != std::string::npos || name.front() == '/' ||
      name == complete_marker || name == "results.json" || name == "design.toml") {
    throw core::InternalError("bad artifact file name '" + name + "'");
  }
}

}  // namespace

fs::path design_dir(const fs::path& out_dir, const std::string& id) {
  return out_dir / "designs" / id;
}

void write_file_atomically(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  const fs::path temp =
      file.parent_path() / (".tmp-" + file.filename().string() + "-" + std::to_string(getpid()));
  write_bytes(temp, text.data(), text.size());
  fs::rename(temp, file);
}

StudyFolderSink::StudyFolderSink(fs::path out_dir) : out_dir_(std::move(out_dir)) {
  const fs::path designs = out_dir_ / "designs";
  fs::create_directories(designs);
  for (const auto& entry : fs::directory_iterator(designs)) {
    if (entry.path().filename().string().rfind(".tmp-", 0) == 0) fs::remove_all(entry.path());
  }
}

std::optional<study::DesignResult> StudyFolderSink::load_complete(
    const study::Design& design) const {
  const fs::path dir = design_dir(out_dir_, design.id);
  if (!fs::exists(dir / complete_marker) || !fs::exists(dir / "results.json")) return std::nullopt;
  try {
    study::DesignResult result = result_from_json(read_text(dir / "results.json"));
    if (result.id != design.id) return std::nullopt;
    result.index = design.index;
    return result;
  } catch (const std::exception&) {
    return std::nullopt;  // unreadable: compute it again
  }
}

void StudyFolderSink::write(const study::Design& design, const study::DesignResult& result) {
  const fs::path designs = out_dir_ / "designs";
  const fs::path temp =
      designs / fmt::format(".tmp-{}-{}-{}", design.id, getpid(), counter_.fetch_add(1));
  fs::remove_all(temp);
  fs::create_directories(temp);
  const std::string toml = design_toml(design);
  write_bytes(temp / "design.toml", toml.data(), toml.size());
  for (const auto& artifact : result.artifacts) {
    check_artifact_name(artifact.file_name);
    fs::create_directories((temp / artifact.file_name).parent_path());
    write_bytes(temp / artifact.file_name, reinterpret_cast<const char*>(artifact.bytes.data()),
                artifact.bytes.size());
  }
  // The generated structure (when the study ran the microstructure stage) goes into the temporary
  // folder too, so a design folder is complete with its pictures or not there at all.
  if (const auto structure = study::microstructure_payload(result)) {
    const std::vector<std::string> pictures = write_slice_pngs(temp, *structure);
    write_vti(temp / "microstructure.vti", *structure);
    write_microstructure_json(
        temp / "microstructure.json", *structure, study::generation_report_payload(result).get(),
        {.source = "generated",
         .input = "design.toml",
         .command = fmt::format("cathodelab run, design {} (seed {})", design.id, design.seed)},
        pictures);
  }
  const std::string json = result_to_json(design, result);
  write_bytes(temp / "results.json", json.data(), json.size());
  write_bytes(temp / complete_marker, "", 0);
  const fs::path final_dir = design_dir(out_dir_, design.id);
  fs::remove_all(final_dir);
  fs::rename(temp, final_dir);
}

std::string result_to_json(const study::Design& design, const study::DesignResult& result) {
  ordered_json j;
  j["id"] = result.id;
  j["index"] = result.index;
  j["status"] = std::string(study::status_name(result.status));
  j["reason"] = result.reason;
  ordered_json swept = ordered_json::object();
  for (const auto& [key, value] : design.swept) swept[key] = value;
  j["swept"] = swept;
  j["stages"] = result.stages_run;
  ordered_json scalars = ordered_json::object();
  for (const auto& [name, value] : result.scalars) scalars[name] = value;
  j["scalars"] = scalars;
  ordered_json texts = ordered_json::object();
  for (const auto& [name, value] : result.texts) texts[name] = value;
  j["texts"] = texts;
  ordered_json missing = ordered_json::object();
  for (const auto& [name, why] : result.missing) missing[name] = why;
  j["missing"] = missing;
  ordered_json tables = ordered_json::object();
  for (const auto& [name, table] : result.tables) {
    tables[name] = {{"columns", table.columns}, {"rows", table.rows}};
  }
  j["tables"] = tables;
  ordered_json artifacts = ordered_json::array();
  for (const auto& artifact : result.artifacts) {
    artifacts.push_back({{"file", artifact.file_name}, {"media_type", artifact.media_type}});
  }
  j["artifacts"] = artifacts;
  return j.dump(2) + "\n";
}

study::DesignResult result_from_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  study::DesignResult r;
  r.id = j.at("id").get<std::string>();
  r.index = j.at("index").get<std::size_t>();
  r.status = study::status_from_name(j.at("status").get<std::string>());
  r.reason = j.at("reason").get<std::string>();
  if (const auto it = j.find("missing"); it != j.end()) {
    for (const auto& [name, why] : it->items()) r.missing[name] = why.get<std::string>();
  }
  for (const auto& [name, value] : j.at("scalars").items()) r.scalars[name] = value.get<double>();
  for (const auto& [name, value] : j.at("texts").items()) r.texts[name] = value.get<std::string>();
  for (const auto& [name, value] : j.at("tables").items()) {
    study::Table table;
    table.columns = value.at("columns").get<std::vector<std::string>>();
    table.rows = value.at("rows").get<std::vector<std::vector<double>>>();
    r.tables[name] = std::move(table);
  }
  for (const auto& artifact : j.at("artifacts")) {
    r.artifacts.push_back(
        {artifact.at("file").get<std::string>(), artifact.at("media_type").get<std::string>(), {}});
  }
  r.stages_run = j.at("stages").get<std::vector<std::string>>();
  return r;
}

void write_study_json(const fs::path& out_dir, const study::StudySpec& spec,
                      const std::vector<study::Design>& designs, const Provenance& provenance) {
  ordered_json j;
  j["study"] = {
      {"name", spec.name}, {"seed", spec.seed}, {"file", fs::absolute(spec.source_file).string()}};
  ordered_json prov = ordered_json::object();
  for (const auto& [name, value] : provenance) prov[name] = value;
  j["provenance"] = prov;
  ordered_json inputs = ordered_json::object();
  for (const auto& [path, value] : spec.inputs)
    inputs[study::key_path_text(path)] = value.display();
  j["inputs"] = inputs;
  ordered_json sweeps = ordered_json::array();
  for (const auto& block : spec.sweeps) {
    ordered_json axes = ordered_json::array();
    for (const auto& axis : block.axes) {
      std::vector<std::string> values;
      for (const auto& v : axis.values) values.push_back(v.display());
      axes.push_back({{"key", study::key_path_text(axis.key)}, {"values", values}});
    }
    sweeps.push_back(
        {{"mode", block.mode == study::SweepBlock::Mode::zip ? "zip" : "grid"}, {"axes", axes}});
  }
  j["sweeps"] = sweeps;
  std::set<std::string> used;
  for (const auto& d : designs) {
    for (const auto& c : d.cell.cathode.components) {
      used.insert(c.material);
      if (c.coating) used.insert(c.coating->material);
    }
    for (const auto* name :
         {&d.cell.separator.material, &d.cell.anode.material, &d.cell.positive_collector.material,
          &d.cell.negative_collector.material}) {
      if (!name->empty()) used.insert(*name);
    }
  }
  ordered_json materials = ordered_json::object();
  for (const auto& name : used) {
    const auto& m = spec.materials->at(name);
    ordered_json entry;
    entry["role"] = std::string(study::role_name(m.role));
    entry["Density [kg.m-3]"] = m.density;
    if (m.specific_capacity) entry["Specific capacity [mA.h.g-1]"] = *m.specific_capacity / 3.6;
    if (m.average_voltage) entry["Average voltage [V]"] = *m.average_voltage;
    entry["Cost [$.kg-1]"] =
        m.cost_per_mass ? ordered_json(*m.cost_per_mass) : ordered_json("unknown");
    entry["source"] = m.source;
    materials[name] = entry;
  }
  j["materials"] = materials;
  ordered_json list = ordered_json::array();
  for (const auto& d : designs) {
    ordered_json swept = ordered_json::object();
    for (const auto& [key, value] : d.swept) swept[key] = value;
    list.push_back({{"id", d.id}, {"index", d.index}, {"seed", d.seed}, {"swept", swept}});
  }
  j["designs"] = list;
  write_file_atomically(out_dir / "study.json", j.dump(2) + "\n");
}

const std::vector<std::string>& key_result_names() {
  static const std::vector<std::string> names = {
      "Specific energy [W.h.kg-1]",          "Energy density [W.h.L-1]",
      "Areal capacity [mA.h.cm-2]",          "Theoretical areal capacity [mA.h.cm-2]",
      "Material cost [$.kW-1.h-1]",          "Cathode thickness [um]",
      "Active material loading [mg.cm-2]",   "Active material mass fraction [-]",
      "Active material volume fraction [-]", "Nominal voltage [V]",
  };
  return names;
}

namespace {

/// The result columns of a set of designs: the key results first (those present), then every
/// other scalar, text and missing result alphabetically. A result asked for but not computed keeps
/// its column (an empty cell; the reason column says why), so that no requested result vanishes.
std::vector<std::string> result_columns(const std::vector<study::DesignResult>& results) {
  std::set<std::string> others;
  for (const auto& r : results) {
    for (const auto& [name, value] : r.scalars) others.insert(name);
    for (const auto& [name, value] : r.texts) others.insert(name);
    for (const auto& [name, why] : r.missing) others.insert(name);
  }
  std::vector<std::string> present;
  for (const auto& name : key_result_names()) {
    if (others.erase(name) != 0) present.push_back(name);
  }
  present.insert(present.end(), others.begin(), others.end());
  return present;
}

std::vector<std::string> swept_key_names(const std::vector<study::Design>& designs) {
  std::vector<std::string> keys;
  for (const auto& d : designs) {
    for (const auto& [key, value] : d.swept) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    }
  }
  return keys;
}

std::string swept_value(const study::Design& d, const std::string& key) {
  const auto it =
      std::find_if(d.swept.begin(), d.swept.end(), [&](const auto& p) { return p.first == key; });
  return it == d.swept.end() ? std::string{} : it->second;
}

std::string result_cell(const study::DesignResult& r, const std::string& name) {
  if (auto it = r.scalars.find(name); it != r.scalars.end()) return csv_number(it->second);
  if (auto t = r.texts.find(name); t != r.texts.end()) return t->second;
  return {};
}

/// One row per design (every replicate its own row).
std::string design_rows_csv(const std::vector<study::Design>& designs,
                            const std::vector<study::DesignResult>& results) {
  const std::vector<std::string> swept_keys = swept_key_names(designs);
  const std::vector<std::string> columns = result_columns(results);
  const bool replicated = !designs.empty() && designs.front().replicates > 1;
  std::vector<std::string> header{"id"};
  if (replicated) header.insert(header.end(), {"point", "replicate"});
  header.insert(header.end(), swept_keys.begin(), swept_keys.end());
  header.insert(header.end(), columns.begin(), columns.end());
  header.insert(header.end(), {"status", "reason"});
  std::string text = csv_line(header);
  for (std::size_t i = 0; i < designs.size(); ++i) {
    const auto& d = designs[i];
    const auto& r = results.at(i);
    std::vector<std::string> row{d.id};
    if (replicated) row.insert(row.end(), {std::to_string(d.point), std::to_string(d.replicate)});
    for (const auto& key : swept_keys) row.push_back(swept_value(d, key));
    for (const auto& name : columns) row.push_back(result_cell(r, name));
    row.emplace_back(study::status_name(r.status));
    row.push_back(r.reason);
    text += csv_line(row);
  }
  return text;
}

/// One row per design point: each numeric result as the mean over the replicates that computed it
/// and its sample standard deviation ("NAME std"), with the count; the status is "ok" only when
/// every replicate is.
std::string point_rows_csv(const std::vector<study::Design>& designs,
                           const std::vector<study::DesignResult>& results) {
  const std::vector<std::string> swept_keys = swept_key_names(designs);
  std::vector<std::string> columns;
  std::set<std::string> numeric;
  for (const auto& r : results) {
    for (const auto& [name, value] : r.scalars) numeric.insert(name);
  }
  for (const auto& name : result_columns(results)) {
    if (numeric.contains(name) || std::none_of(results.begin(), results.end(),
                                               [&](auto& r) { return r.texts.count(name) != 0; })) {
      columns.push_back(name);
    }
  }
  std::vector<std::string> header{"point", "ids", "replicates [-]"};
  header.insert(header.end(), swept_keys.begin(), swept_keys.end());
  for (const auto& name : columns) header.insert(header.end(), {name, name + " std"});
  header.insert(header.end(), {"status", "reason"});
  std::string text = csv_line(header);
  std::map<std::size_t, std::vector<std::size_t>> by_point;
  for (std::size_t i = 0; i < designs.size(); ++i) by_point[designs[i].point].push_back(i);
  for (const auto& [point, members] : by_point) {
    std::vector<std::string> row{std::to_string(point)};
    std::string ids;
    std::size_t computed = 0;
    bool all_ok = true;
    std::string reason;
    for (const std::size_t i : members) {
      ids += (ids.empty() ? "" : " ") + designs[i].id;
      const auto& r = results.at(i);
      if (r.status != study::DesignStatus::failed) ++computed;
      if (r.status != study::DesignStatus::ok) {
        all_ok = false;
        reason += (reason.empty() ? "" : " | ") +
                  fmt::format("replicate {}: {}", designs[i].replicate, r.reason);
      }
    }
    // A point is ok when every replicate is, failed when none computed, partial otherwise.
    const study::DesignStatus status = all_ok          ? study::DesignStatus::ok
                                       : computed == 0 ? study::DesignStatus::failed
                                                       : study::DesignStatus::partial;
    row.push_back(ids);
    row.push_back(std::to_string(computed));
    for (const auto& key : swept_keys) row.push_back(swept_value(designs[members.front()], key));
    for (const auto& name : columns) {
      std::vector<double> values;
      for (const std::size_t i : members) {
        if (auto it = results.at(i).scalars.find(name); it != results.at(i).scalars.end()) {
          values.push_back(it->second);
        }
      }
      if (values.empty()) {
        row.insert(row.end(), {std::string{}, std::string{}});
        continue;
      }
      double mean = 0.0;
      for (const double v : values) mean += v;
      mean /= static_cast<double>(values.size());
      double squares = 0.0;
      for (const double v : values) squares += (v - mean) * (v - mean);
      row.push_back(csv_number(mean));
      row.push_back(values.size() > 1
                        ? csv_number(std::sqrt(squares / static_cast<double>(values.size() - 1)))
                        : std::string{});
    }
    row.emplace_back(study::status_name(status));
    row.push_back(reason);
    text += csv_line(row);
  }
  return text;
}

}  // namespace

void write_designs_csv(const fs::path& out_dir, const std::vector<study::Design>& designs,
                       const std::vector<study::DesignResult>& results) {
  const bool replicated = !designs.empty() && designs.front().replicates > 1;
  if (!replicated) {
    write_file_atomically(out_dir / "designs.csv", design_rows_csv(designs, results));
    return;
  }
  // With replicates, designs.csv summarizes each design point (mean and spread) and
  // replicates.csv keeps every replicate's own row.
  write_file_atomically(out_dir / "designs.csv", point_rows_csv(designs, results));
  write_file_atomically(out_dir / "replicates.csv", design_rows_csv(designs, results));
}

}  // namespace cathodelab::io
