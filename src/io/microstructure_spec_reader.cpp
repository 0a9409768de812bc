// [microstructure] TOML section -> GenerationSpec (see microstructure_spec_reader.hpp).
#include "microstructure_spec_reader.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/suggest.hpp"
#include "cathodelab/core/units.hpp"
#include "cathodelab/io/generation_spec_loader.hpp"
#include "toml_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <vector>

namespace cathodelab::io {
namespace detail {
namespace {

namespace ms = microstructure;
using core::InputError;

class Section {
 public:
  Section(const toml::table& table, std::string file, std::string key)
      : table_(table), file_(std::move(file)), key_(std::move(key)) {}

  [[nodiscard]] std::string key(const std::string& leaf) const { return key_ + "." + leaf; }
  [[nodiscard]] core::SourceLocation where(const toml::node& node) const {
    return location(file_, node);
  }
  [[nodiscard]] core::SourceLocation where() const { return location(file_, table_); }

  void refuse_unknown(const std::vector<std::string>& known) const {
    for (const auto& [name, node] : table_) {
      const std::string k(name.str());
      if (std::find(known.begin(), known.end(), k) == known.end()) {
        throw InputError("unknown key '" + k + "'", key(k), core::suggestion_text(k, known),
                         where(node));
      }
    }
  }

  [[nodiscard]] const toml::node* find(const std::string& leaf) const { return table_.get(leaf); }

  [[nodiscard]] std::optional<std::string> text(const std::string& leaf,
                                                const char* example) const {
    const toml::node* node = find(leaf);
    if (!node) return std::nullopt;
    if (const auto v = node->value<std::string>()) return *v;
    throw InputError("expected a string", key(leaf), std::string("e.g. ") + leaf + " = " + example,
                     where(*node));
  }

  /// One of a set of names: `parse(text, key)` on the value of `leaf` (`fallback` when absent),
  /// its error placed at the key's position in the file.
  template <class Parse>
  [[nodiscard]] auto choice(const std::string& leaf, const char* example,
                            const std::string& fallback, Parse parse) const {
    const std::string value = text(leaf, example).value_or(fallback);
    try {
      return parse(value, key(leaf));
    } catch (const InputError& e) {
      const toml::node* node = find(leaf);
      throw e.at(node ? where(*node) : where());
    }
  }

  [[nodiscard]] std::optional<double> number(const std::string& leaf, const char* example) const {
    const toml::node* node = find(leaf);
    if (!node) return std::nullopt;
    if (const auto v = node->value<double>()) {
      if (!std::isfinite(*v)) {
        throw InputError(fmt::format("must be a finite number, got {}", *v), key(leaf),
                         std::string("e.g. ") + leaf + " = " + example, where(*node));
      }
      return *v;
    }
    if (const auto s = node->value<std::string>()) {
      // "60 %" or "0.6" written as a string
      try {
        return core::parse_quantity_as(*s, core::dim::dimensionless, key(leaf), example);
      } catch (const InputError& e) {
        throw e.at(where(*node));
      }
    }
    throw InputError("expected a number", key(leaf), std::string("e.g. ") + leaf + " = " + example,
                     where(*node));
  }

  [[nodiscard]] std::optional<double> length(const std::string& leaf, const char* example) const {
    const toml::node* node = find(leaf);
    if (!node) return std::nullopt;
    return length_of(*node, key(leaf), example);
  }

  [[nodiscard]] double length_of(const toml::node& node, const std::string& k,
                                 const char* example) const {
    if (const auto s = node.value<std::string>()) {
      try {
        return core::parse_quantity_as(*s, core::dim::length, k, example);
      } catch (const InputError& e) {
        throw e.at(where(node));
      }
    }
    throw InputError("expected a length with its unit", k, std::string("e.g. ") + example,
                     where(node));
  }

  [[nodiscard]] const toml::table& table() const { return table_; }

 private:
  const toml::table& table_;
  std::string file_;
  std::string key_;
};

template <class T>
T required(const std::optional<T>& value, const Section& s, const std::string& leaf,
           const char* example) {
  if (!value) {
    throw InputError("missing key '" + leaf + "'", s.key(leaf),
                     std::string("add ") + leaf + " = " + example, s.where());
  }
  return *value;
}

const std::vector<std::string> kSectionKeys = {
    "seed", "domain", "thickness", "voxel_size", "coating_representation", "phases", "packing"};
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

ms::SizeDistribution read_size(const Section& s, const char* d50_key, const char* spread_key) {
  ms::SizeDistribution size;
  size.d50 = s.length(d50_key, "\"5 um\"").value_or(0.0);
  size.geometric_spread = s.number(spread_key, "1.3").value_or(1.0);
  size.basis = s.choice("size_basis", "\"number\"", "number",
                        [](const std::string& basis, const std::string& key) {
                          if (basis == "volume") return ms::SizeBasis::volume;
                          if (basis != "number") {
                            core::throw_unknown("size basis", basis,
                                                std::vector<std::string>{"number", "volume"}, key);
                          }
                          return ms::SizeBasis::number;
                        });
  size.min_diameter = s.length("min_diameter", "\"1 um\"").value_or(0.0);
  size.max_diameter = s.length("max_diameter", "\"20 um\"").value_or(0.0);
  const toml::node* diameters = s.find("size_table_diameters");
  const toml::node* fractions = s.find("size_table_fractions");
  if ((diameters != nullptr) != (fractions != nullptr)) {
    throw InputError(
        "a size table needs both size_table_diameters and size_table_fractions",
        s.key("size_table_diameters"),
        "e.g. size_table_diameters = [\"2 um\", \"5 um\"] and size_table_fractions = [0.3, 0.7]",
        s.where());
  }
  if (diameters) {
    const toml::array* d = diameters->as_array();
    const toml::array* f = fractions->as_array();
    if (!d || !f) {
      throw InputError("size table entries must be arrays", s.key("size_table_diameters"),
                       "e.g. size_table_diameters = [\"2 um\", \"5 um\"]", s.where(*diameters));
    }
    for (const toml::node& node : *d) {
      size.table_diameters.push_back(s.length_of(node, s.key("size_table_diameters"), "\"2 um\""));
    }
    for (const toml::node& node : *f) {
      const auto v = node.value<double>();
      if (!v || !std::isfinite(*v)) {
        throw InputError("size table fractions must be finite numbers",
                         s.key("size_table_fractions"), "e.g. [0.3, 0.7]", s.where(node));
      }
      size.table_fractions.push_back(*v);
    }
  }
  return size;
}

struct PhaseEntry {
  ms::PhaseSpec spec;
  std::optional<std::int64_t> label;
  int line = 0;
};

PhaseEntry read_phase(const std::string& name, const toml::table& table, const std::string& file,
                      const std::string& key, ms::CoatingRepresentation section_representation) {
  const Section s(table, file, key);
  s.refuse_unknown(kPhaseKeys);
  PhaseEntry entry;
  entry.line = static_cast<int>(table.source().begin.line);
  ms::PhaseSpec& p = entry.spec;
  p.name = name;
  p.material = s.text("material", "\"NCM811\"").value_or(name == "pore" ? "" : name);
  p.shape = s.choice("shape", "\"sphere\"", "sphere", ms::parse_phase_shape);
  p.role = default_role(p.shape);
  if (s.find("role")) p.role = s.choice("role", "\"active\"", "", ms::parse_phase_role);
  const bool remainder_capable =
      p.shape == ms::PhaseShape::matrix || p.shape == ms::PhaseShape::pore;
  if (p.shape == ms::PhaseShape::pore) {
    p.placement = s.choice("placement", "\"surface\"", "remainder", ms::parse_pore_placement);
  }
  const auto fraction = s.number("volume_fraction", "0.6");
  const bool is_remainder =
      p.shape == ms::PhaseShape::matrix ||
      (p.shape == ms::PhaseShape::pore && p.placement == ms::PorePlacement::remainder);
  if (!fraction && !is_remainder &&
      !(p.shape == ms::PhaseShape::pore && p.placement == ms::PorePlacement::none)) {
    throw InputError("missing key 'volume_fraction'", s.key("volume_fraction"),
                     remainder_capable ? "add volume_fraction = 0.1, or make it the remainder"
                                       : "add volume_fraction = 0.6",
                     s.where());
  }
  p.volume_fraction = fraction.value_or(0.0);
  if (const auto label = table.get("label")) {
    const auto v = label->value<std::int64_t>();
    if (!v || *v < 0 || *v > 254) {
      throw InputError("label must be an integer 0..254", s.key("label"), "e.g. label = 1",
                       s.where(*label));
    }
    entry.label = *v;
  }
  p.allowed_overlap = s.number("overlap", "0.1").value_or(0.0);
  if (p.shape == ms::PhaseShape::sphere || (p.shape == ms::PhaseShape::pore && !is_remainder)) {
    p.size = read_size(s, "diameter", "spread");
    if (p.size.table_diameters.empty() && p.size.d50 <= 0.0) {
      throw InputError("missing key 'diameter'", s.key("diameter"),
                       "add diameter = \"5 um\" (the d50)", s.where());
    }
  }
  if (p.shape == ms::PhaseShape::fibre) {
    p.fibre.diameter =
        required(s.length("fibre_diameter", "\"150 nm\""), s, "fibre_diameter", "\"150 nm\"");
    p.fibre.length.d50 = required(s.length("length", "\"10 um\""), s, "length", "\"10 um\"");
    p.fibre.length.geometric_spread = s.number("length_spread", "1.3").value_or(1.0);
    p.fibre.tilt_spread =
        s.number("tilt_spread_deg", "10").value_or(10.0) * std::numbers::pi / 180.0;
  }
  if (s.find("coating_material") || s.find("coating_thickness")) {
    ms::CoatingSpec coating;
    coating.material =
        required(s.text("coating_material", "\"LiNbO3\""), s, "coating_material", "\"LiNbO3\"");
    coating.thickness =
        required(s.length("coating_thickness", "\"10 nm\""), s, "coating_thickness", "\"10 nm\"");
    coating.name =
        s.text("coating_name", "\"LiNbO3 coating\"").value_or(coating.material + " coating");
    coating.representation = section_representation;
    if (s.find("coating_representation")) {
      coating.representation =
          s.choice("coating_representation", "\"auto\"", "", ms::parse_coating_representation);
    }
    p.coating = coating;
  }
  return entry;
}

}  // namespace

ms::GenerationSpec read_generation_spec(const toml::table& section, const std::string& file,
                                        const std::string& key_prefix) {
  const Section s(section, file, key_prefix);
  s.refuse_unknown(kSectionKeys);
  ms::GenerationSpec spec;
  if (const toml::node* seed = section.get("seed")) {
    const auto v = seed->value<std::int64_t>();
    if (!v || *v < 0) {
      throw InputError("seed must be a non-negative integer", s.key("seed"), "e.g. seed = 42",
                       s.where(*seed));
    }
    spec.seed = static_cast<std::uint64_t>(*v);
  }
  const toml::node* domain = section.get("domain");
  if (!domain) {
    throw InputError("missing key 'domain'", s.key("domain"),
                     "add domain = \"40 um\" (or [\"40 um\", \"30 um\"])", s.where());
  }
  if (const toml::array* pair = domain->as_array()) {
    if (pair->empty() || pair->size() > 2) {
      throw InputError("domain takes one or two in-plane lengths", s.key("domain"),
                       "e.g. domain = [\"40 um\", \"30 um\"]", s.where(*domain));
    }
    spec.domain_x = s.length_of(*pair->get(0), s.key("domain"), "\"40 um\"");
    spec.domain_y = s.length_of(*pair->get(pair->size() - 1), s.key("domain"), "\"40 um\"");
  } else {
    spec.domain_x = spec.domain_y = s.length_of(*domain, s.key("domain"), "\"40 um\"");
  }
  spec.thickness = required(s.length("thickness", "\"30 um\""), s, "thickness", "\"30 um\"");
  spec.voxel_size = required(s.length("voxel_size", "\"0.25 um\""), s, "voxel_size", "\"0.25 um\"");
  const auto representation =
      s.choice("coating_representation", "\"auto\"", "auto", ms::parse_coating_representation);
  if (const toml::node* packing = section.get("packing")) {
    const toml::table* t = packing->as_table();
    if (!t) {
      throw InputError("packing must be a table", s.key("packing"),
                       "write [microstructure.packing]", s.where(*packing));
    }
    const Section ps(*t, file, s.key("packing"));
    ps.refuse_unknown({"max_sweeps", "tolerance"});
    if (const toml::node* sweeps = t->get("max_sweeps")) {
      const auto v = sweeps->value_exact<std::int64_t>();
      if (!v || *v < 0 || *v > std::numeric_limits<int>::max()) {
        throw InputError(
            fmt::format("max_sweeps must be a whole number 0..{}", std::numeric_limits<int>::max()),
            ps.key("max_sweeps"), "e.g. max_sweeps = 400", ps.where(*sweeps));
      }
      spec.packing.max_sweeps = static_cast<int>(*v);
    }
    spec.packing.overlap_tolerance =
        ps.number("tolerance", "0.002").value_or(spec.packing.overlap_tolerance);
  }
  const toml::node* phases_node = section.get("phases");
  const toml::table* phases = phases_node ? phases_node->as_table() : nullptr;
  if (!phases || phases->empty()) {
    throw InputError(
        "no phases", s.key("phases"),
        "add one table per phase, e.g. [microstructure.phases.NCM811] with shape, volume_fraction, "
        "diameter",
        phases_node ? s.where(*phases_node) : s.where());
  }
  std::vector<PhaseEntry> entries;
  for (const auto& [name, node] : *phases) {
    const std::string phase_name(name.str());
    const toml::table* t = node.as_table();
    if (!t) {
      throw InputError("phase '" + phase_name + "' must be a table", s.key("phases." + phase_name),
                       "write [" + s.key("phases." + phase_name) + "] followed by its keys",
                       s.where(node));
    }
    entries.push_back(
        read_phase(phase_name, *t, file, s.key("phases." + phase_name), representation));
  }
  // Labels: explicit `label` keys first in their order, the rest in the order written in the file.
  std::stable_sort(entries.begin(), entries.end(), [](const PhaseEntry& a, const PhaseEntry& b) {
    const auto ka = a.label ? *a.label : 1000 + a.line;
    const auto kb = b.label ? *b.label : 1000 + b.line;
    return ka < kb;
  });
  for (std::size_t n = 0; n < entries.size(); ++n) {
    if (entries[n].label && *entries[n].label != static_cast<std::int64_t>(n)) {
      throw InputError(
          fmt::format("phase '{}' asks for label {} but labels must run 0..{} without gaps",
                      entries[n].spec.name, *entries[n].label, entries.size() - 1),
          s.key("phases." + entries[n].spec.name + ".label"),
          "number the labels consecutively from 0, or leave them out (file order is used)",
          {file, entries[n].line, 0});
    }
    spec.phases.push_back(entries[n].spec);
  }
  try {
    ms::validate(spec);
  } catch (const InputError& e) {
    throw e.at({file, 0, 0});
  }
  return spec;
}

}  // namespace detail

microstructure::GenerationSpec load_generation_spec(const std::filesystem::path& path) {
  const toml::table root = detail::parse_toml_file(path);
  const toml::node* section = root.get("microstructure");
  if (!section || !section->as_table()) {
    throw core::InputError(
        "'" + path.string() + "' has no [microstructure] section", "microstructure",
        "add a [microstructure] table with domain, thickness, voxel_size and phases",
        {path.string(), 0, 0});
  }
  return detail::read_generation_spec(*section->as_table(), path.string(), "microstructure");
}

bool is_study_file(const std::filesystem::path& path) {
  const toml::table root = detail::parse_toml_file(path);
  return root.get("cathode") != nullptr;
}

}  // namespace cathodelab::io
