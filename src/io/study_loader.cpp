// Reading a study file (TOML) into a validated StudySpec (materials resolved, [study] seed and
// replicates, sweeps), and writing one design back as a study file that re-runs it alone.
#include "cathodelab/io/study_loader.hpp"

#include "cathodelab/core/input_reader.hpp"
#include "cathodelab/core/suggest.hpp"
#include "cathodelab/core/units.hpp"
#include "cathodelab/io/input_file.hpp"
#include "cathodelab/io/material_library.hpp"

#include <toml++/toml.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace cathodelab::io {
namespace {

namespace fs = std::filesystem;
using core::InputError;
using study::InputTree;
using study::InputValue;
using study::KeyPath;

study::MaterialRole role_of(materials::MaterialClass c) {
  using materials::MaterialClass;
  switch (c) {
    case MaterialClass::cathode_active:
    case MaterialClass::dual_conducting_cathode:
      return study::MaterialRole::active;
    case MaterialClass::solid_electrolyte:
    case MaterialClass::polymer_electrolyte:
      return study::MaterialRole::electrolyte;
    case MaterialClass::additive:
    case MaterialClass::mixed_conductor:
      return study::MaterialRole::conductive_additive;
    case MaterialClass::coating:
      return study::MaterialRole::coating;
    case MaterialClass::anode:
      return study::MaterialRole::anode;
    case MaterialClass::current_collector:
      return study::MaterialRole::collector;
  }
  return study::MaterialRole::other;
}

std::optional<double> property_value(
    const materials::Material& m, std::optional<materials::Property> materials::Material::*member) {
  if (!(m.*member)) return std::nullopt;
  try {
    return m.value(member);
  } catch (const InputError&) {
    return std::nullopt;
  }
}

// Mean of the open-circuit potential over the stoichiometries where it is defined (a table or a
// fitted formula), used when the record has no average voltage.
std::optional<double> mean_ocp(const materials::Material& m) {
  if (!m.open_circuit_potential) return std::nullopt;
  double sum = 0.0;
  int count = 0;
  for (int i = 0; i <= 200; ++i) {
    try {
      const double v = m.open_circuit_potential->model.value({.stoichiometry = i / 200.0});
      if (std::isfinite(v)) {
        sum += v;
        ++count;
      }
    } catch (const std::exception&) {
    }
  }
  return count > 10 ? std::optional<double>(sum / count) : std::nullopt;
}

study::MaterialData to_material_data(const materials::Material& m, const std::string& source) {
  study::MaterialData d;
  d.name = m.name;
  d.role = role_of(m.material_class);
  d.density = property_value(m, &materials::Material::density).value_or(0.0);
  d.specific_capacity = property_value(m, &materials::Material::practical_specific_capacity);
  if (!d.specific_capacity)
    d.specific_capacity = property_value(m, &materials::Material::specific_capacity);
  d.theoretical_capacity = property_value(m, &materials::Material::specific_capacity);
  if (!d.theoretical_capacity) d.theoretical_capacity = d.specific_capacity;
  d.average_voltage = property_value(m, &materials::Material::average_voltage);
  if (!d.average_voltage) d.average_voltage = mean_ocp(m);
  d.cost_per_mass = materials::cost_per_mass(m);
  d.source = source;
  d.record = std::make_shared<const materials::Material>(m);
  return d;
}

void add_library(study::MaterialTable& table, const materials::MaterialLibrary& library,
                 const std::string& source) {
  for (const materials::Material* m : library.list()) {
    auto data = to_material_data(*m, source);
    table[m->name] = data;
    for (const auto& alias : m->aliases) table[alias] = data;
  }
}

// One swept list -> its values, each a leaf of its own kind at the list's position.
std::vector<InputValue> swept_values(const core::InputReader& sweep, const KeyPath& written,
                                     const KeyPath& path, const InputValue& value) {
  const std::string shown = study::key_path_text(path);
  if (value.kind != InputValue::Kind::text_list && value.kind != InputValue::Kind::number_list) {
    sweep.fail(written, "a swept key needs a list of values",
               "write e.g. \"" + shown + "\" = [\"60 wt%\", \"70 wt%\"]");
  }
  if (value.list.empty()) sweep.fail(written, "empty list of values", "give at least one value");
  std::vector<InputValue> values;
  for (std::size_t i = 0; i < value.list.size(); ++i) {
    InputValue element;
    element.where = value.where;
    if (value.kind == InputValue::Kind::text_list) {
      element.kind = InputValue::Kind::text;
      element.text = value.list[i];
    } else {
      element.number = value.numbers[i];
      element.text = value.list[i];
      element.kind = std::floor(element.number) == element.number &&
                             value.list[i].find_first_of(".eE") == std::string::npos
                         ? InputValue::Kind::integer
                         : InputValue::Kind::real;
    }
    values.push_back(std::move(element));
  }
  return values;
}

// A [sweep] block (or one [[sweep]] element): mode and swept keys. A swept key is written quoted
// ("cathode.thickness" = [...]) or as nested tables (cathode.thickness = [...]).
study::SweepBlock read_sweep_block(const InputTree& tree, const core::InputReader& sweep) {
  study::SweepBlock block;
  block.where = sweep.where();
  if (const auto mode = sweep.choice({"mode"}, {"grid", "zip"})) {
    block.mode = *mode == "zip" ? study::SweepBlock::Mode::zip : study::SweepBlock::Mode::grid;
  }
  for (auto it = tree.lower_bound(sweep.prefix());
       it != tree.end() && study::starts_with(it->first, sweep.prefix()); ++it) {
    const KeyPath written(it->first.begin() + static_cast<std::ptrdiff_t>(sweep.prefix().size()),
                          it->first.end());
    if (written == KeyPath{"mode"}) continue;
    KeyPath path = study::parse_key_path(written.front(), it->second.where);
    path.insert(path.end(), written.begin() + 1, written.end());
    study::SweepBlock::Axis axis;
    axis.key = path;
    axis.where = it->second.where;
    axis.values = swept_values(sweep, written, path, it->second);
    block.axes.push_back(std::move(axis));
  }
  // File order, not alphabetical: the first key written is the outer loop of a grid.
  std::stable_sort(block.axes.begin(), block.axes.end(), [](const auto& a, const auto& b) {
    return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
  });
  if (block.axes.empty()) {
    throw InputError("a sweep without swept keys", sweep.key_text(),
                     "add e.g. \"separator.material\" = [\"Li6PS5Cl\", \"Li3InCl6\"]", block.where);
  }
  return block;
}

// [study]: name, seed, replicates, replicate, description.
void read_study_section(const core::InputReader& root, study::StudySpec& spec) {
  const auto section = root.optional_section({"study"});
  if (!section) return;
  constexpr std::int64_t max_replicates = 1000;
  section->refuse_unknown({{"name"}, {"seed"}, {"replicates"}, {"replicate"}, {"description"}});
  spec.name = section->text({"name"}, "\"cam-fraction\"").value_or("");
  (void)section->text({"description"}, "\"what the study asks\"");
  if (const auto seed =
          section->integer({"seed"}, "42", 0, std::numeric_limits<std::int64_t>::max())) {
    spec.seed = static_cast<std::uint64_t>(*seed);
  }
  spec.replicates = static_cast<std::size_t>(
      section->integer({"replicates"}, "3", 1, max_replicates).value_or(1));
  if (const auto replicate = section->integer({"replicate"}, "0", 0, max_replicates - 1)) {
    if (static_cast<std::size_t>(*replicate) >= spec.replicates) {
      section->fail(
          {"replicate"},
          fmt::format("replicate {} of a study with {} replicate(s)", *replicate, spec.replicates),
          "give an index from 0 to replicates - 1");
    }
    spec.only_replicate = static_cast<std::size_t>(*replicate);
  }
}

void apply_inline_material(study::MaterialTable& table, const core::InputReader& keys) {
  const std::string name = keys.prefix().back();
  study::MaterialData data;
  if (auto it = table.find(name); it != table.end()) {
    data = it->second;
  } else {
    data.name = name;
    data.source = "inline";
  }
  keys.refuse_unknown(
      {{"class"}, {"density"}, {"specific_capacity"}, {"average_voltage"}, {"cost"}});
  bool has_class = table.contains(name);
  if (const auto text = keys.text({"class"}, "\"solid_electrolyte\"")) {
    const auto c = keys.located({"class"}, [&] {
      return materials::material_class_from_string(*text, keys.key_text({"class"}));
    });
    data.role = role_of(c);
    has_class = true;
  }
  if (const auto v = keys.quantity({"density"}, core::dim::density, "\"4.8 g/cm^3\"")) {
    data.density = *v;
  }
  if (const auto v =
          keys.quantity({"specific_capacity"}, core::dim::specific_capacity, "\"200 mAh/g\"")) {
    data.specific_capacity = *v;
    if (!data.theoretical_capacity) data.theoretical_capacity = data.specific_capacity;
  }
  if (const auto v = keys.quantity({"average_voltage"}, core::dim::voltage, "\"3.8 V\"")) {
    data.average_voltage = *v;
  }
  if (const auto v = keys.quantity({"cost"}, core::dim::cost_per_mass, "\"20 $/kg\"")) {
    data.cost_per_mass = *v;
  }
  if (!has_class) {
    std::vector<std::string> names;
    for (const auto& [known, d] : table) names.push_back(known);
    keys.fail({}, "material '" + name + "' is not in the library",
              "to define a new material give class = \"solid_electrolyte\" and its density; " +
                  core::suggestion_text(name, names));
  }
  if (!(data.density > 0.0)) {
    keys.fail({"density"}, "material '" + name + "' has no density",
              "add density = \"2.0 g/cm^3\"");
  }
  data.source = data.source.empty() ? "inline" : data.source + " + inline overrides";
  table[name] = data;
}

// [materials]: the library, an optional extra library folder (relative to the study file),
// inline definitions and overrides.
std::shared_ptr<study::MaterialTable> read_materials(InputTree& tree, const fs::path& study_dir,
                                                     const LoadStudyOptions& options) {
  const fs::path library_dir = options.materials_dir.value_or(default_materials_dir());
  auto table = std::make_shared<study::MaterialTable>();
  if (options.library) {
    add_library(*table, *options.library, library_dir.string());
  } else {
    add_library(*table, load_material_library(library_dir), library_dir.string());
  }
  const core::InputReader root(tree);
  const auto section = root.optional_section({"materials"});
  if (!section) return table;
  if (const auto folder = section->text({"library"}, "\"my_materials\"")) {
    fs::path extra = *folder;
    if (extra.is_relative()) extra = fs::absolute(study_dir / extra).lexically_normal();
    if (!fs::is_directory(extra)) {
      section->fail({"library"}, "material folder '" + *folder + "' not found",
                    "give a folder of material files, relative to the study file");
    }
    add_library(*table, load_material_library(extra), extra.string());
  }
  for (const std::string& name : section->children()) {
    if (name == "library") continue;
    if (!section->has_section({name})) {
      section->fail({name}, "unknown key '" + name + "'",
                    "use library = \"folder\" or a [materials.NAME] section");
    }
    apply_inline_material(*table, section->section({name}));
  }
  // Design files must work from anywhere: the extra library is written back absolute.
  if (auto it = tree.find(KeyPath{"materials", "library"}); it != tree.end()) {
    fs::path extra = it->second.text;
    if (extra.is_relative()) it->second.text = fs::absolute(study_dir / extra).lexically_normal();
  }
  return table;
}

}  // namespace

study::StudySpec parse_study(const std::string& text, const std::string& name,
                             const LoadStudyOptions& options) {
  InputTree tree = parse_toml_input(text, name);
  const core::InputReader root(tree);
  study::StudySpec spec;
  spec.source_file = name;
  read_study_section(root, spec);
  if (spec.name.empty()) spec.name = fs::path(name).stem().string();
  // [sweep] or [[sweep]]
  if (root.has({"sweep"})) {
    if (root.find({"sweep"}) != nullptr) {
      root.fail({"sweep"}, "'sweep' must be a section", "write [sweep] or [[sweep]] blocks");
    }
    const core::InputReader sweep = root.section({"sweep"});
    const auto first = sweep.children().front();
    if (core::segment_index(first)) {
      for (const auto& block : root.elements({"sweep"}, "[[sweep]]")) {
        spec.sweeps.push_back(read_sweep_block(tree, block));
      }
    } else {
      spec.sweeps.push_back(read_sweep_block(tree, sweep));
    }
  }
  for (auto it = tree.begin(); it != tree.end();) {
    const std::string& top = it->first.front();
    it = top == "study" || top == "sweep" ? tree.erase(it) : std::next(it);
  }
  spec.materials = read_materials(tree, fs::path(name).parent_path(), options);
  spec.inputs = std::move(tree);
  // Validate every design now, so `check` catches a bad swept value before anything runs.
  (void)study::expand(spec);
  return spec;
}

study::StudySpec load_study(const fs::path& file, const LoadStudyOptions& options) {
  return parse_study(read_input_text(file), file.string(), options);
}

std::string design_toml(const study::Design& design) {
  toml::table root;
  toml::table study_table;
  study_table.insert("name", design.study_name);
  // The study seed is what the id hashes; the seed of this design's streams derives from it.
  study_table.insert("seed", static_cast<std::int64_t>(design.study_seed));
  if (design.replicates > 1) {
    // Re-running this file computes this replicate alone, with the same seed and id.
    study_table.insert("replicates", static_cast<std::int64_t>(design.replicates));
    study_table.insert("replicate", static_cast<std::int64_t>(design.replicate));
  }
  root.insert("study", std::move(study_table));
  for (const auto& [path, value] : design.inputs) {
    toml::table* table = &root;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
      auto [it, inserted] = table->insert(path[i], toml::table{});
      (void)inserted;
      table = it->second.as_table();
    }
    const std::string& leaf = path.back();
    switch (value.kind) {
      case InputValue::Kind::text:
        table->insert(leaf, value.text);
        break;
      case InputValue::Kind::integer:
        table->insert(leaf, static_cast<std::int64_t>(value.number));
        break;
      case InputValue::Kind::real:
        table->insert(leaf, value.number);
        break;
      case InputValue::Kind::boolean:
        table->insert(leaf, value.boolean);
        break;
      case InputValue::Kind::text_list: {
        toml::array array;
        for (const auto& s : value.list) array.push_back(s);
        table->insert(leaf, std::move(array));
        break;
      }
      case InputValue::Kind::number_list: {
        toml::array array;
        for (double v : value.numbers) array.push_back(v);
        table->insert(leaf, std::move(array));
        break;
      }
    }
  }
  std::ostringstream out;
  out << "# Design " << design.id << " of study '" << design.study_name << "', fully resolved.\n"
      << "# Re-run it alone with: cathodelab run design.toml --out DIR\n";
  for (const auto& [key, value] : design.swept) out << "# swept: " << key << " = " << value << "\n";
  out << "\n";
  out << toml::toml_formatter(
      root, toml::toml_formatter::default_flags & ~toml::format_flags::indentation);
  out << "\n";
  return out.str();
}

}  // namespace cathodelab::io
