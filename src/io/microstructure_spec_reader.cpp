// [microstructure] recipe section -> GenerationSpec (see microstructure_spec_reader.hpp), and the
// standalone recipe file (generation_spec_loader.hpp). Values are read through core::InputReader,
// so their errors read like those of every other input; the rules of a recipe (one or two domain
// lengths, phase defaults by shape, labels 0..n-1 without gaps) are the functions below.
#include "microstructure_spec_reader.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/suggest.hpp"
#include "cathodelab/core/units.hpp"
#include "cathodelab/io/generation_spec_loader.hpp"
#include "cathodelab/io/input_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <vector>

namespace cathodelab::io {
namespace detail {
namespace {

namespace ms = microstructure;
using core::InputReader;
using core::InputValue;
using core::KeyPath;

/// The keys of one phase table.
const std::vector<std::string> kPhaseKeys = {"label",
                                             "material",
                                             "role",
                                             "shape",
                                             "volume_fraction",
                                             "diameter",
                                             "spread",
                                             "size_basis",
                                             "min_diameter",
                                             "max_diameter",
                                             "size_table_diameters",
                                             "size_table_fractions",
                                             "overlap",
                                             "placement",
                                             "fibre_diameter",
                                             "length",
                                             "length_spread",
                                             "tilt_spread_deg",
                                             "coating_material",
                                             "coating_thickness",
                                             "coating_name",
                                             "coating_representation"};

/// Every key a [microstructure] section may hold, as patterns for InputReader::refuse_unknown.
std::vector<KeyPath> known_keys() {
  std::vector<KeyPath> known = {{"seed"},
                                {"domain"},
                                {"thickness"},
                                {"voxel_size"},
                                {"coating_representation"},
                                {"packing", "max_sweeps"},
                                {"packing", "tolerance"}};
  for (const auto& key : kPhaseKeys) known.push_back({"phases", "*", key});
  return known;
}

std::optional<double> length(const InputReader& s, const KeyPath& key, const std::string& example) {
  return s.quantity(key, core::dim::length, example);
}

double required_length(const InputReader& s, const KeyPath& key, const std::string& example) {
  (void)s.require(key, example);
  return *length(s, key, example);
}

std::string required_text(const InputReader& s, const KeyPath& key, const std::string& example) {
  (void)s.require(key, example);
  return *s.text(key, example);
}

/// One length of a list of lengths (domain, size table), parsed with its error placed at `key`.
double listed_length(const InputReader& s, const KeyPath& key, const std::string& text,
                     const std::string& example) {
  return s.located(key, [&] {
    return core::parse_quantity_as(text, core::dim::length, s.key_text(key), example);
  });
}

/// One of a set of names: `parse(text, key)` (a parser of the microstructure module) on the value
/// at `key`, or on `fallback` when the key is absent.
template <class Parse>
auto named(const InputReader& s, const KeyPath& key, const std::string& example,
           const std::string& fallback, Parse parse) {
  const std::string value = s.text(key, example).value_or(fallback);
  return s.located(key, [&] { return parse(value, s.key_text(key)); });
}

ms::PhaseRole default_role(ms::PhaseShape shape) {
  switch (shape) {
    case ms::PhaseShape::pore:
      return ms::PhaseRole::pore;
    case ms::PhaseShape::fibre:
      return ms::PhaseRole::additive;
    case ms::PhaseShape::matrix:
      return ms::PhaseRole::electrolyte;
    case ms::PhaseShape::sphere:
      return ms::PhaseRole::active;
  }
  return ms::PhaseRole::active;
}

ms::SizeBasis parse_size_basis(const std::string& basis, const std::string& key) {
  if (basis == "volume") return ms::SizeBasis::volume;
  if (basis != "number") {
    core::throw_unknown("size basis", basis, std::vector<std::string>{"number", "volume"}, key);
  }
  return ms::SizeBasis::number;
}

/// A discrete size distribution: both lists or neither.
void read_size_table(const InputReader& s, ms::SizeDistribution& size) {
  const KeyPath diameters_key{"size_table_diameters"};
  const KeyPath fractions_key{"size_table_fractions"};
  const std::string diameters_example = "[\"2 um\", \"5 um\"]";
  const std::string fractions_example = "[0.3, 0.7]";
  if (!s.has(diameters_key) && !s.has(fractions_key)) return;
  (void)s.require(diameters_key, diameters_example);
  (void)s.require(fractions_key, fractions_example);
  const std::vector<std::string> diameters = *s.text_list(diameters_key, diameters_example);
  for (const auto& text : diameters) {
    size.table_diameters.push_back(listed_length(s, diameters_key, text, "2 um"));
  }
  size.table_fractions = *s.number_list(fractions_key, fractions_example);
}

ms::SizeDistribution read_size(const InputReader& s, const KeyPath& d50_key,
                               const KeyPath& spread_key) {
  ms::SizeDistribution size;
  size.d50 = length(s, d50_key, "\"5 um\"").value_or(0.0);
  size.geometric_spread = s.number(spread_key, "1.3").value_or(1.0);
  size.basis = named(s, {"size_basis"}, "\"number\"", "number", parse_size_basis);
  size.min_diameter = length(s, {"min_diameter"}, "\"1 um\"").value_or(0.0);
  size.max_diameter = length(s, {"max_diameter"}, "\"20 um\"").value_or(0.0);
  read_size_table(s, size);
  return size;
}

struct PhaseEntry {
  ms::PhaseSpec spec;
  std::optional<std::int64_t> label;
  std::size_t written = 0;  ///< position among the phases as written
};

std::optional<ms::CoatingSpec> read_coating(const InputReader& s,
                                            ms::CoatingRepresentation section_representation) {
  if (!s.has({"coating_material"}) && !s.has({"coating_thickness"})) return std::nullopt;
  ms::CoatingSpec coating;
  coating.material = required_text(s, {"coating_material"}, "\"LiNbO3\"");
  coating.thickness = required_length(s, {"coating_thickness"}, "\"10 nm\"");
  coating.name =
      s.text({"coating_name"}, "\"LiNbO3 coating\"").value_or(coating.material + " coating");
  coating.representation = section_representation;
  if (s.has({"coating_representation"})) {
    coating.representation =
        named(s, {"coating_representation"}, "\"auto\"", "", ms::parse_coating_representation);
  }
  return coating;
}

PhaseEntry read_phase(const std::string& name, const InputReader& s,
                      ms::CoatingRepresentation section_representation) {
  PhaseEntry entry;
  ms::PhaseSpec& p = entry.spec;
  p.name = name;
  p.material = s.text({"material"}, "\"NCM811\"").value_or(name == "pore" ? "" : name);
  p.shape = named(s, {"shape"}, "\"sphere\"", "sphere", ms::parse_phase_shape);
  p.role = default_role(p.shape);
  if (s.has({"role"})) p.role = named(s, {"role"}, "\"active\"", "", ms::parse_phase_role);
  const bool remainder_capable =
      p.shape == ms::PhaseShape::matrix || p.shape == ms::PhaseShape::pore;
  if (p.shape == ms::PhaseShape::pore) {
    p.placement = named(s, {"placement"}, "\"surface\"", "remainder", ms::parse_pore_placement);
  }
  const auto fraction = s.number({"volume_fraction"}, "0.6");
  const bool is_remainder =
      p.shape == ms::PhaseShape::matrix ||
      (p.shape == ms::PhaseShape::pore && p.placement == ms::PorePlacement::remainder);
  if (!fraction && !is_remainder &&
      !(p.shape == ms::PhaseShape::pore && p.placement == ms::PorePlacement::none)) {
    s.fail({"volume_fraction"}, "missing value",
           remainder_capable ? "add e.g. volume_fraction = 0.1, or make it the remainder"
                             : "add e.g. volume_fraction = 0.6");
  }
  p.volume_fraction = fraction.value_or(0.0);
  entry.label = s.integer({"label"}, "1", 0, 254);
  p.allowed_overlap = s.number({"overlap"}, "0.1").value_or(0.0);
  if (p.shape == ms::PhaseShape::sphere || (p.shape == ms::PhaseShape::pore && !is_remainder)) {
    p.size = read_size(s, {"diameter"}, {"spread"});
    if (p.size.table_diameters.empty() && p.size.d50 <= 0.0) {
      s.fail({"diameter"}, "missing value", "add e.g. diameter = \"5 um\" (the d50)");
    }
  }
  if (p.shape == ms::PhaseShape::fibre) {
    p.fibre.diameter = required_length(s, {"fibre_diameter"}, "\"150 nm\"");
    p.fibre.length.d50 = required_length(s, {"length"}, "\"10 um\"");
    p.fibre.length.geometric_spread = s.number({"length_spread"}, "1.3").value_or(1.0);
    p.fibre.tilt_spread =
        s.number({"tilt_spread_deg"}, "10").value_or(10.0) * std::numbers::pi / 180.0;
  }
  p.coating = read_coating(s, section_representation);
  return entry;
}

/// The in-plane size: one length for a square domain or [x, y].
void read_domain(const InputReader& s, ms::GenerationSpec& spec) {
  const KeyPath key{"domain"};
  const InputValue& domain = s.require(key, "\"40 um\" (or [\"40 um\", \"30 um\"])");
  if (domain.kind == InputValue::Kind::text) {
    spec.domain_x = spec.domain_y = required_length(s, key, "\"40 um\"");
    return;
  }
  if (domain.kind != InputValue::Kind::text_list) {
    s.fail(key, "must be a value with its unit", "write e.g. domain = \"40 um\"");
  }
  if (domain.list.empty() || domain.list.size() > 2) {
    s.fail(key, "domain takes one or two in-plane lengths",
           "write e.g. domain = [\"40 um\", \"30 um\"]");
  }
  spec.domain_x = listed_length(s, key, domain.list.front(), "40 um");
  spec.domain_y = listed_length(s, key, domain.list.back(), "40 um");
}

void read_packing(const InputReader& s, ms::PackingOptions& packing) {
  const auto section = s.optional_section({"packing"});
  if (!section) return;
  if (const auto sweeps =
          section->integer({"max_sweeps"}, "400", 0, std::numeric_limits<int>::max())) {
    packing.max_sweeps = static_cast<int>(*sweeps);
  }
  packing.overlap_tolerance =
      section->number({"tolerance"}, "0.002").value_or(packing.overlap_tolerance);
}

/// The phases in label order: explicit `label` keys first in their order, the rest in the order
/// written; the labels must then run 0..n-1.
std::vector<ms::PhaseSpec> read_phases(const InputReader& s,
                                       ms::CoatingRepresentation representation) {
  const KeyPath key{"phases"};
  const std::string fix = "add one table per phase, e.g. [" + s.key_text({"phases", "NCM811"}) +
                          "] with shape, volume_fraction, diameter";
  if (!s.has(key)) s.fail(key, "no phases", fix);
  const InputReader phases = s.section(key);
  std::vector<PhaseEntry> entries;
  for (const std::string& name : phases.children()) {
    if (core::segment_index(name)) s.fail(key, "must be one table per phase, not a list", fix);
    entries.push_back(read_phase(name, phases.section({name}), representation));
    entries.back().written = entries.size();
  }
  std::stable_sort(entries.begin(), entries.end(), [](const PhaseEntry& a, const PhaseEntry& b) {
    const auto ka = a.label ? static_cast<std::size_t>(*a.label) : 1000 + a.written;
    const auto kb = b.label ? static_cast<std::size_t>(*b.label) : 1000 + b.written;
    return ka < kb;
  });
  std::vector<ms::PhaseSpec> specs;
  for (std::size_t n = 0; n < entries.size(); ++n) {
    if (entries[n].label && *entries[n].label != static_cast<std::int64_t>(n)) {
      phases.fail({entries[n].spec.name, "label"},
                  fmt::format("phase '{}' asks for label {} but labels must run 0..{} without gaps",
                              entries[n].spec.name, *entries[n].label, entries.size() - 1),
                  "number the labels consecutively from 0, or leave them out (file order is used)");
    }
    specs.push_back(std::move(entries[n].spec));
  }
  return specs;
}

}  // namespace

ms::GenerationSpec read_generation_spec(const InputReader& section) {
  section.refuse_unknown(known_keys());
  ms::GenerationSpec spec;
  if (const auto seed =
          section.integer({"seed"}, "42", 0, std::numeric_limits<std::int64_t>::max())) {
    spec.seed = static_cast<std::uint64_t>(*seed);
  }
  read_domain(section, spec);
  spec.thickness = required_length(section, {"thickness"}, "\"30 um\"");
  spec.voxel_size = required_length(section, {"voxel_size"}, "\"0.25 um\"");
  const auto representation = named(section, {"coating_representation"}, "\"auto\"", "auto",
                                    ms::parse_coating_representation);
  read_packing(section, spec.packing);
  spec.phases = read_phases(section, representation);
  try {
    ms::validate(spec);
  } catch (const core::InputError& e) {
    // The checks of the whole recipe (fractions, grid size) belong to no single line.
    throw e.at({section.where().file, 0, 0});
  }
  return spec;
}

}  // namespace detail

microstructure::GenerationSpec load_generation_spec(const std::filesystem::path& path) {
  const core::InputTree tree = read_input_file(path);
  const core::InputReader root(tree);
  if (!root.has({"microstructure"})) {
    throw root
        .error({"microstructure"}, "missing section",
               "add a [microstructure] section with domain, thickness, voxel_size and phases")
        .at({path.string(), 0, 0});
  }
  return detail::read_generation_spec(root.section({"microstructure"}));
}

bool is_study_file(const std::filesystem::path& path) {
  const core::InputTree tree = read_input_file(path);
  return core::InputReader(tree).has({"cathode"});
}

}  // namespace cathodelab::io
