// Sweep expansion into designs (grid, zip, replicates, the design-count limit), content-hash ids,
// common-random-number seeds and the once-per-design calculator (design.hpp).
#include "cathodelab/study/design.hpp"

#include "cathodelab/core/rng.hpp"
#include "cathodelab/study/microstructure_stage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace cathodelab::study {
namespace {

std::set<std::string> used_materials(const CellDesign& cell) {
  std::set<std::string> names;
  for (const auto& c : cell.cathode.components) {
    names.insert(c.material);
    if (c.coating) names.insert(c.coating->material);
  }
  for (const auto* name : {&cell.separator.material, &cell.anode.material,
                           &cell.positive_collector.material, &cell.negative_collector.material}) {
    if (!name->empty()) names.insert(*name);
  }
  return names;
}

std::string optional_text(const std::optional<double>& value) {
  return value ? fmt::format("{:.17g}", *value) : "unknown";
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : text) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

std::string content_hash(std::string_view text) {
  return fmt::format("{:016x}", fnv1a(text));
}

std::string canonical_text(const InputTree& inputs, std::uint64_t seed, const MaterialTable& used,
                           std::size_t replicate, std::size_t replicates) {
  std::string text = fmt::format("seed = {}\n", seed);
  // One replicate (the default) keeps the ids a study had before replicates existed.
  if (replicates > 1) text += fmt::format("replicate = {} of {}\n", replicate, replicates);
  for (const auto& [path, value] : inputs) {
    // The library location is where numbers come from, not a number; the numbers follow below.
    if (!path.empty() && path.front() == "materials") continue;
    text += key_path_text(path) + " = " + value.display() + "\n";
  }
  for (const auto& [name, m] : used) {
    text += fmt::format("material {}: role={} density={:.17g} capacity={} voltage={} cost={}\n",
                        name, role_name(m.role), m.density, optional_text(m.specific_capacity),
                        optional_text(m.average_voltage), optional_text(m.cost_per_mass));
  }
  return text;
}

std::uint64_t structure_seed(std::uint64_t study_seed, std::size_t replicate) {
  return core::mix64(core::mix64(study_seed) ^ static_cast<std::uint64_t>(replicate));
}

Design make_design(const StudySpec& spec, InputTree inputs, std::size_t index,
                   std::vector<std::pair<std::string, std::string>> swept, std::size_t replicate) {
  CATHODELAB_REQUIRE(spec.materials != nullptr, "StudySpec without a material table");
  CATHODELAB_REQUIRE(replicate < std::max<std::size_t>(spec.replicates, 1),
                     "replicate index beyond study.replicates");
  Design design;
  design.cell = resolve_cell(inputs, *spec.materials);
  design.calculation = calculate_design(calculator_input(design.cell, *spec.materials));
  MaterialTable used;
  for (const auto& name : used_materials(design.cell)) used.emplace(name, spec.materials->at(name));
  design.replicates = std::max<std::size_t>(spec.replicates, 1);
  design.replicate = replicate;
  design.id = content_hash(canonical_text(inputs, spec.seed, used, replicate, design.replicates));
  design.study_seed = spec.seed;
  design.seed = structure_seed(spec.seed, replicate);
  design.index = index;
  design.study_name = spec.name;
  design.swept = std::move(swept);
  design.inputs = std::move(inputs);
  design.materials = spec.materials;
  // Needs the materials and the seed: the recipe's typed spec, resolved once here.
  if (design.cell.microstructure) design.generation = generation_spec(design, design.calculation);
  return design;
}

namespace {

/// The number of designs the sweeps and replicates make, refused above max_designs before any
/// list of points is built (a 4 KB study can ask for 10^8 designs).
void check_design_count(const StudySpec& spec) {
  std::size_t count = std::max<std::size_t>(spec.replicates, 1);
  const core::SourceLocation* where = nullptr;
  for (const auto& block : spec.sweeps) {
    std::size_t points = block.axes.empty() ? 0 : 1;
    for (const auto& axis : block.axes) {
      const std::size_t n = axis.values.size();
      if (block.mode == SweepBlock::Mode::zip) {
        points = n;
      } else if (n != 0 && points > max_designs / n) {
        points = max_designs + 1;
      } else {
        points *= n;
      }
      where = &axis.where;
    }
    count = (points != 0 && count > max_designs / points) ? max_designs + 1 : count * points;
  }
  if (count > max_designs) {
    throw core::InputError(
        fmt::format("the sweep asks for more than {} designs (sweep points times replicates)",
                    max_designs),
        "sweep",
        "sweep fewer values, split the study into several, or use mode = \"zip\" for keys that "
        "move together",
        where != nullptr ? *where : core::SourceLocation{spec.source_file, 0, 0});
  }
}

}  // namespace

std::vector<Design> expand(const StudySpec& spec) {
  check_design_count(spec);
  // Each block yields a list of points; a point is the list of (axis, value) it sets.
  using Assignment = std::vector<std::pair<const SweepBlock::Axis*, const InputValue*>>;
  std::vector<Assignment> points{Assignment{}};
  for (const auto& block : spec.sweeps) {
    std::vector<Assignment> block_points{Assignment{}};
    if (block.mode == SweepBlock::Mode::zip) {
      const std::size_t n = block.axes.empty() ? 0 : block.axes.front().values.size();
      for (const auto& axis : block.axes) {
        if (axis.values.size() != n) {
          throw core::InputError(
              "zip sweep axes differ in length (" + std::to_string(n) + " and " +
                  std::to_string(axis.values.size()) + " values)",
              "sweep." + key_path_text(axis.key),
              "give every key of a zip sweep the same number of values, or use mode = \"grid\"",
              axis.where);
        }
      }
      block_points.clear();
      for (std::size_t i = 0; i < n; ++i) {
        Assignment point;
        for (const auto& axis : block.axes) point.emplace_back(&axis, &axis.values[i]);
        block_points.push_back(std::move(point));
      }
    } else {
      for (const auto& axis : block.axes) {
        std::vector<Assignment> next;
        for (const auto& partial : block_points) {
          for (const auto& value : axis.values) {
            Assignment point = partial;
            point.emplace_back(&axis, &value);
            next.push_back(std::move(point));
          }
        }
        block_points = std::move(next);
      }
    }
    std::vector<Assignment> combined;
    for (const auto& outer : points) {
      for (const auto& inner : block_points) {
        Assignment point = outer;
        point.insert(point.end(), inner.begin(), inner.end());
        combined.push_back(std::move(point));
      }
    }
    points = std::move(combined);
  }

  const std::size_t replicates = std::max<std::size_t>(spec.replicates, 1);
  std::vector<Design> designs;
  designs.reserve(points.size() * replicates);
  std::set<std::string> ids;
  for (std::size_t p = 0; p < points.size(); ++p) {
    const auto& point = points[p];
    InputTree inputs = spec.inputs;
    std::vector<std::pair<std::string, std::string>> swept;
    for (const auto& [axis, value] : point) {
      inputs[axis->key] = *value;
      swept.emplace_back(key_path_text(axis->key), value->display());
    }
    for (std::size_t r = 0; r < replicates; ++r) {
      if (spec.only_replicate && r != *spec.only_replicate) continue;
      Design design = make_design(spec, inputs, designs.size(), swept, r);
      design.point = p;
      if (!ids.insert(design.id).second) {
        const auto& where = point.empty() ? core::SourceLocation{} : point.back().second->where;
        throw core::InputError("the sweep produces the same design twice", "sweep",
                               "remove the repeated value", where);
      }
      designs.push_back(std::move(design));
    }
  }
  return designs;
}

}  // namespace cathodelab::study
