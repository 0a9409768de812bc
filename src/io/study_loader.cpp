// Reading a study file (TOML) into a validated StudySpec (materials resolved, [study] seed and
// replicates, sweeps), and writing one design back as a study file that re-runs it alone.
#include "cathodelab/io/study_loader.hpp"

#include "cathodelab/core/suggest.hpp"
#include "cathodelab/core/units.hpp"
#include "cathodelab/io/material_library.hpp"
#include "toml_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
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

InputValue to_value(const toml::node& node, const std::string& file, const std::string& key) {
  InputValue value;
  value.where = detail::location(file, node);
  if (const auto* s = node.as_string()) {
    value.kind = InputValue::Kind::text;
    value.text = s->get();
  } else if (const auto* i = node.as_integer()) {
    value.kind = InputValue::Kind::integer;
    value.number = static_cast<double>(i->get());
    value.text = std::to_string(i->get());
  } else if (const auto* f = node.as_floating_point()) {
    value.kind = InputValue::Kind::real;
    value.number = f->get();
    value.text = fmt::format("{}", f->get());
    if (value.text.find_first_of(".eEn") == std::string::npos) value.text += ".0";
  } else if (const auto* b = node.as_boolean()) {
    value.kind = InputValue::Kind::boolean;
    value.boolean = b->get();
    value.text = b->get() ? "true" : "false";
  } else if (const auto* a = node.as_array()) {
    bool all_strings = true;
    bool all_numbers = true;
    for (const auto& element : *a) {
      all_strings = all_strings && element.is_string();
      all_numbers = all_numbers && element.is_number();
    }
    if (all_strings) {
      value.kind = InputValue::Kind::text_list;
      for (const auto& element : *a) value.list.push_back(element.as_string()->get());
    } else if (all_numbers) {
      value.kind = InputValue::Kind::number_list;
      for (const auto& element : *a) {
        const double v = element.is_integer() ? static_cast<double>(element.as_integer()->get())
                                              : element.as_floating_point()->get();
        value.numbers.push_back(v);
        value.list.push_back(element.is_integer() ? std::to_string(element.as_integer()->get())
                                                  : fmt::format("{}", v));
      }
    } else {
      throw InputError("a list must hold only strings or only numbers", key,
                       "e.g. [\"Discharge at C/10 until 2.5 V\", \"Rest for 1 hour\"]",
                       value.where);
    }
  } else {
    throw InputError("unsupported value type", key, "write a string with units, e.g. \"80 um\"",
                     value.where);
  }
  return value;
}

void flatten(const toml::table& table, KeyPath& prefix, InputTree& out, const std::string& file) {
  for (const auto& [key, node] : table) {
    prefix.emplace_back(key.str());
    if (const auto* sub = node.as_table()) {
      flatten(*sub, prefix, out, file);
    } else if (node.is_array_of_tables()) {
      throw InputError("an array of tables is not allowed here", study::key_path_text(prefix),
                       "use [" + study::key_path_text(prefix) + "] once",
                       detail::location(file, node));
    } else {
      out[prefix] = to_value(node, file, study::key_path_text(prefix));
    }
    prefix.pop_back();
  }
}

study::SweepBlock read_sweep_block(const toml::table& table, const std::string& file) {
  study::SweepBlock block;
  block.where = detail::location(file, table);
  InputTree leaves;
  KeyPath prefix;
  for (const auto& [key, node] : table) {
    if (key.str() == "mode") {
      const auto* mode = node.as_string();
      const std::vector<std::string> modes{"grid", "zip"};
      if (mode == nullptr || (mode->get() != "grid" && mode->get() != "zip")) {
        throw InputError("unknown sweep mode '" + (mode ? mode->get() : std::string("?")) + "'",
                         "sweep.mode", core::suggestion_text(mode ? mode->get() : "", modes),
                         detail::location(file, node));
      }
      block.mode =
          mode->get() == "zip" ? study::SweepBlock::Mode::zip : study::SweepBlock::Mode::grid;
      continue;
    }
    // A quoted dotted key ("cathode.thickness" = [...]) or nested tables (cathode.thickness =
    // [...]).
    KeyPath path = study::parse_key_path(key.str(), detail::location(file, key.source()));
    if (const auto* sub = node.as_table()) {
      InputTree nested;
      KeyPath inner;
      flatten(*sub, inner, nested, file);
      for (auto& [tail, value] : nested) {
        KeyPath full = path;
        full.insert(full.end(), tail.begin(), tail.end());
        leaves[full] = value;
      }
    } else {
      leaves[path] = to_value(node, file, "sweep." + std::string(key.str()));
    }
  }
  std::vector<study::SweepBlock::Axis> axes;
  for (auto& [path, value] : leaves) {
    const std::string key = "sweep." + study::key_path_text(path);
    if (value.kind != InputValue::Kind::text_list && value.kind != InputValue::Kind::number_list) {
      throw InputError(
          "a swept key needs a list of values", key,
          "write e.g. \"" + study::key_path_text(path) + "\" = [\"60 wt%\", \"70 wt%\"]",
          value.where);
    }
    if (value.list.empty()) {
      throw InputError("empty list of values", key, "give at least one value", value.where);
    }
    study::SweepBlock::Axis axis;
    axis.key = path;
    axis.where = value.where;
    // Each value becomes a leaf of its own kind; positions of elements are not kept by the flat
    // list, so the whole list's position is used (it is on the same line in practice).
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
      axis.values.push_back(std::move(element));
    }
    axes.push_back(std::move(axis));
  }
  // File order, not alphabetical: the first key written is the outer loop of a grid.
  std::stable_sort(axes.begin(), axes.end(), [](const auto& a, const auto& b) {
    return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
  });
  block.axes = std::move(axes);
  if (block.axes.empty()) {
    throw InputError("a sweep without swept keys", "sweep",
                     "add e.g. \"separator.material\" = [\"Li6PS5Cl\", \"Li3InCl6\"]", block.where);
  }
  return block;
}

void apply_inline_material(study::MaterialTable& table, const std::string& name,
                           const InputTree& keys, const core::SourceLocation& where) {
  study::MaterialData data;
  if (auto it = table.find(name); it != table.end()) {
    data = it->second;
  } else {
    data.name = name;
    data.source = "inline";
  }
  const std::vector<std::string> valid{"class", "density", "specific_capacity", "average_voltage",
                                       "cost"};
  bool has_class = table.count(name) != 0;
  for (const auto& [path, value] : keys) {
    const std::string key =
        "materials." + study::key_path_text(KeyPath{name}) + "." + study::key_path_text(path);
    if (path.size() != 1 || std::find(valid.begin(), valid.end(), path[0]) == valid.end()) {
      throw InputError("unknown key '" + study::key_path_text(path) + "'", key,
                       core::suggestion_text(path.back(), valid), value.where);
    }
    auto quantity = [&](core::Dimension dimension, const std::string& example) {
      try {
        return core::parse_quantity_as(value.text, dimension, key, example);
      } catch (const InputError& e) {
        throw InputError(e.problem(), key, e.fix(), value.where);
      }
    };
    const std::string& k = path[0];
    if (k == "class") {
      const auto c = [&] {
        try {
          return materials::material_class_from_string(value.text, key);
        } catch (const InputError& e) {
          throw InputError(e.problem(), key, e.fix(), value.where);
        }
      }();
      data.role = role_of(c);
      has_class = true;
    } else if (k == "density") {
      data.density = quantity(core::dim::density, "4.8 g/cm^3");
    } else if (k == "specific_capacity") {
      data.specific_capacity = quantity(core::dim::specific_capacity, "200 mAh/g");
      if (!data.theoretical_capacity) data.theoretical_capacity = data.specific_capacity;
    } else if (k == "average_voltage") {
      data.average_voltage = quantity(core::dim::voltage, "3.8 V");
    } else if (k == "cost") {
      data.cost_per_mass = quantity(core::dim::cost_per_mass, "20 $/kg");
    }
  }
  if (!has_class) {
    std::vector<std::string> names;
    for (const auto& [known, d] : table) names.push_back(known);
    throw InputError(
        "material '" + name + "' is not in the library", "materials." + name,
        "to define a new material give class = \"solid_electrolyte\" and its density; " +
            core::suggestion_text(name, names),
        where);
  }
  if (!(data.density > 0.0)) {
    throw InputError("material '" + name + "' has no density", "materials." + name + ".density",
                     "add density = \"2.0 g/cm^3\"", where);
  }
  data.source = data.source.empty() ? "inline" : data.source + " + inline overrides";
  table[name] = data;
}

}  // namespace

study::StudySpec load_study(const fs::path& file, const LoadStudyOptions& options) {
  const std::string file_name = file.string();
  const toml::table root = detail::parse_toml_file(file);
  study::StudySpec spec;
  spec.source_file = file_name;

  InputTree tree;
  KeyPath prefix;
  // [study]
  if (const auto* s = root.get("study")) {
    if (!s->is_table()) {
      throw InputError("'study' must be a section", "study", "write [study] name = \"...\"",
                       detail::location(file_name, *s));
    }
    for (const auto& [key, node] : *s->as_table()) {
      const std::vector<std::string> valid{"name", "seed", "replicates", "replicate",
                                           "description"};
      const std::string path = "study." + std::string(key.str());
      constexpr std::int64_t max_replicates = 1000;
      if (key.str() == "name" && node.is_string()) {
        spec.name = node.as_string()->get();
      } else if (key.str() == "seed" && node.is_integer() && node.as_integer()->get() >= 0) {
        spec.seed = static_cast<std::uint64_t>(node.as_integer()->get());
      } else if (key.str() == "replicates" && node.is_integer() && node.as_integer()->get() >= 1 &&
                 node.as_integer()->get() <= max_replicates) {
        spec.replicates = static_cast<std::size_t>(node.as_integer()->get());
      } else if (key.str() == "replicate" && node.is_integer() && node.as_integer()->get() >= 0 &&
                 node.as_integer()->get() < max_replicates) {
        spec.only_replicate = static_cast<std::size_t>(node.as_integer()->get());
      } else if (key.str() == "description" && node.is_string()) {
      } else if (std::find(valid.begin(), valid.end(), key.str()) != valid.end()) {
        const std::string fix =
            key.str() == "seed"         ? "give a non-negative integer, e.g. seed = 42"
            : key.str() == "replicates" ? "give an integer from 1 to 1000, e.g. replicates = 3"
            : key.str() == "replicate"
                ? "give the index of one replicate, 0 to replicates - 1, e.g. replicate = 0"
                : "give a string, e.g. name = \"cam-fraction\"";
        throw InputError(key.str() == "replicates"  ? "must be an integer from 1 to 1000"
                         : key.str() == "replicate" ? "must be an integer from 0 to 999"
                                                    : "wrong type",
                         path, fix, detail::location(file_name, node));
      } else {
        throw InputError("unknown key '" + std::string(key.str()) + "'", path,
                         core::suggestion_text(key.str(), valid),
                         detail::location(file_name, key.source()));
      }
    }
  }
  if (spec.name.empty()) spec.name = file.stem().string();
  if (spec.only_replicate && *spec.only_replicate >= spec.replicates) {
    throw InputError(fmt::format("replicate {} of a study with {} replicate(s)",
                                 *spec.only_replicate, spec.replicates),
                     "study.replicate", "give an index from 0 to replicates - 1",
                     detail::location(file_name, *root.at_path("study.replicate").node()));
  }
  // [sweep] or [[sweep]]
  if (const auto* s = root.get("sweep")) {
    if (const auto* table = s->as_table()) {
      spec.sweeps.push_back(read_sweep_block(*table, file_name));
    } else if (const auto* array = s->as_array(); array && array->is_array_of_tables()) {
      for (const auto& element : *array)
        spec.sweeps.push_back(read_sweep_block(*element.as_table(), file_name));
    } else {
      throw InputError("'sweep' must be a section", "sweep", "write [sweep] or [[sweep]] blocks",
                       detail::location(file_name, *s));
    }
  }
  // (Walk the parsed table itself: a copy of a toml++ table loses the source positions.)
  for (const auto& [key, node] : root) {
    if (key.str() == "study" || key.str() == "sweep") continue;
    prefix.assign(1, std::string(key.str()));
    if (const auto* sub = node.as_table()) {
      flatten(*sub, prefix, tree, file_name);
    } else {
      tree[prefix] = to_value(node, file_name, std::string(key.str()));
    }
  }
  prefix.clear();

  // Materials: the library, an optional extra library folder, inline definitions and overrides.
  const fs::path library_dir = options.materials_dir.value_or(default_materials_dir());
  auto table = std::make_shared<study::MaterialTable>();
  add_library(*table, load_material_library(library_dir), library_dir.string());
  if (auto it = tree.find(KeyPath{"materials", "library"}); it != tree.end()) {
    fs::path extra = it->second.text;
    if (extra.is_relative()) extra = fs::absolute(file.parent_path() / extra).lexically_normal();
    if (!fs::is_directory(extra)) {
      throw InputError("material folder '" + it->second.text + "' not found", "materials.library",
                       "give a folder of material files, relative to the study file",
                       it->second.where);
    }
    add_library(*table, load_material_library(extra), extra.string());
    it->second.text = extra.string();  // design files must work from anywhere
  }
  std::map<std::string, InputTree> inline_materials;
  for (const auto& [path, value] : tree) {
    if (path.size() >= 2 && path[0] == "materials" && !(path.size() == 2 && path[1] == "library")) {
      if (path.size() == 2) {
        throw InputError("unknown key '" + path[1] + "'", study::key_path_text(path),
                         "use library = \"folder\" or a [materials.NAME] section", value.where);
      }
      inline_materials[path[1]][KeyPath(path.begin() + 2, path.end())] = value;
    }
  }
  for (const auto& [name, keys] : inline_materials) {
    apply_inline_material(*table, name, keys, keys.begin()->second.where);
  }
  spec.materials = table;
  spec.inputs = std::move(tree);
  // Validate every design now, so `check` catches a bad swept value before anything runs.
  (void)study::expand(spec);
  return spec;
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
