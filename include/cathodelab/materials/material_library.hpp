// The set of known materials, looked up by name. Plain data: reading the data files is io's job
// (io::load_material_library); this class only stores, finds and lists records.
#pragma once

#include "cathodelab/materials/material.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cathodelab::materials {

class MaterialLibrary {
 public:
  /// Validates and adds a record. InputError if its name or an alias is already taken
  /// (case-insensitive).
  void add(Material material);

  /// Finds by name or alias, case-insensitive. InputError "unknown material 'X'; did you mean ..."
  /// with `key_path` when there is none.
  [[nodiscard]] const Material& find(std::string_view name, const std::string& key_path = {}) const;
  /// nullptr when not found.
  [[nodiscard]] const Material* try_find(std::string_view name) const;
  [[nodiscard]] bool contains(std::string_view name) const { return try_find(name) != nullptr; }

  /// All records (or those of one class), ordered by class then name.
  [[nodiscard]] std::vector<const Material*> list(
      std::optional<MaterialClass> only_class = std::nullopt) const;
  /// All names, in list() order.
  [[nodiscard]] std::vector<std::string> names() const;
  [[nodiscard]] std::size_t size() const { return materials_.size(); }
  [[nodiscard]] bool empty() const { return materials_.empty(); }

 private:
  std::vector<Material> materials_;
};

}  // namespace cathodelab::materials
