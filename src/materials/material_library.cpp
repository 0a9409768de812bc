// The in-memory materials library: lookup by name or alias, listing by class, with did-you-mean
// for unknown names (materials/material_library.hpp).
#include "cathodelab/materials/material_library.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/suggest.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>

namespace cathodelab::materials {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool answers_to(const Material& material, std::string_view name) {
  if (same_name(material.name, name)) return true;
  return std::any_of(material.aliases.begin(), material.aliases.end(),
                     [name](const std::string& alias) { return same_name(alias, name); });
}

}  // namespace

void MaterialLibrary::add(Material material) {
  validate(material);
  std::vector<std::string> names{material.name};
  names.insert(names.end(), material.aliases.begin(), material.aliases.end());
  for (const auto& name : names) {
    if (const Material* existing = try_find(name)) {
      throw core::InputError(
          fmt::format("material name '{}' is already taken by '{}'", name, existing->name), "name",
          "give each material a unique name and aliases");
    }
  }
  materials_.push_back(std::move(material));
}

const Material* MaterialLibrary::try_find(std::string_view name) const {
  // Exact name first, so an alias can never shadow a real name.
  for (const auto& material : materials_) {
    if (same_name(material.name, name)) return &material;
  }
  for (const auto& material : materials_) {
    if (answers_to(material, name)) return &material;
  }
  return nullptr;
}

const Material& MaterialLibrary::find(std::string_view name, const std::string& key_path) const {
  if (const Material* material = try_find(name)) return *material;
  std::vector<std::string> options = names();
  for (const auto& material : materials_) {
    options.insert(options.end(), material.aliases.begin(), material.aliases.end());
  }
  // The full list is long; name the nearest and point to `materials list` for the rest.
  const auto near = core::nearest(name, options);
  throw core::InputError("unknown material '" + std::string(name) + "'", key_path,
                         (near ? "did you mean '" + *near + "'? " : std::string()) +
                             "(`cathodelab materials list` shows all " +
                             std::to_string(materials_.size()) + " materials)");
}

std::vector<const Material*> MaterialLibrary::list(std::optional<MaterialClass> only_class) const {
  std::vector<const Material*> result;
  for (const auto& material : materials_) {
    if (!only_class || material.material_class == *only_class) result.push_back(&material);
  }
  std::sort(result.begin(), result.end(), [](const Material* a, const Material* b) {
    if (a->material_class != b->material_class) return a->material_class < b->material_class;
    return a->name < b->name;
  });
  return result;
}

std::vector<std::string> MaterialLibrary::names() const {
  std::vector<std::string> result;
  for (const Material* material : list()) result.push_back(material->name);
  return result;
}

}  // namespace cathodelab::materials
