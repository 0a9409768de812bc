// `cathodelab materials list [--class C]` and `cathodelab materials show NAME [--json]`: browse the
// sourced material library (data/materials, or $CATHODELAB_DATA_DIR/materials).
#include "command.hpp"

#include "cathodelab/core/constants.hpp"
#include "cathodelab/io/material_library.hpp"
#include "cathodelab/materials/material_library.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace cathodelab::apps {
namespace {

struct MaterialsOptions {
  std::string data_dir;
  std::string class_name;
  std::string name;
  bool json = false;
};

materials::MaterialLibrary load(const MaterialsOptions& options) {
  return io::load_material_library(options.data_dir.empty()
                                       ? io::default_materials_dir()
                                       : std::filesystem::path(options.data_dir));
}

// A property at its reference state in display units, or "-" when absent.
std::string cell(const materials::Material& material, std::string_view key) {
  const auto& descriptor = materials::find_property_descriptor(key);
  const auto& property = material.*descriptor.member;
  if (!property) return "-";
  return fmt::format("{:.3g}{}", property->model.reference_value() / descriptor.display_scale,
                     property->estimate ? "*" : "");
}

std::string cost_cell(const materials::Material& material) {
  if (!material.cost) return "-";
  const auto& cost = *material.cost;
  switch (cost.basis) {
    case materials::CostBasis::per_mass:
      return fmt::format("{:.3g} $/kg", cost.value);
    case materials::CostBasis::per_volume:
      return fmt::format("{:.3g} $/L", cost.value * 1e-3);
    case materials::CostBasis::per_area:
      return fmt::format("{:.3g} $/m^2", cost.value);
  }
  return "-";
}

void list_materials(const MaterialsOptions& options) {
  const auto library = load(options);
  std::optional<materials::MaterialClass> only;
  if (!options.class_name.empty()) {
    only = materials::material_class_from_string(options.class_name, "--class");
  }
  std::cout << fmt::format("{:<16} {:<24} {:>9} {:>9} {:>10} {:>10} {:>10} {:>12}\n", "name",
                           "class", "rho", "q_theo", "q_prac", "sigma_ion", "sigma_e", "cost");
  std::cout << fmt::format("{:<16} {:<24} {:>9} {:>9} {:>10} {:>10} {:>10} {:>12}\n", "", "",
                           "[g/cm^3]", "[mAh/g]", "[mAh/g]", "[mS/cm]", "[S/cm]", "");
  for (const materials::Material* material : library.list(only)) {
    std::cout << fmt::format("{:<16} {:<24} {:>9} {:>9} {:>10} {:>10} {:>10} {:>12}\n",
                             material->name, materials::to_string(material->material_class),
                             cell(*material, "density"), cell(*material, "specific_capacity"),
                             cell(*material, "practical_specific_capacity"),
                             cell(*material, "ionic_conductivity"),
                             cell(*material, "electronic_conductivity"), cost_cell(*material));
  }
  std::cout << "* estimate (see `cathodelab materials show NAME` for the source and note)\n";
}

std::string describe_model(const materials::PropertyModel& model,
                           const materials::PropertyDescriptor& descriptor) {
  const auto shown = [&](double si) {
    if (descriptor.display_unit == "1") return fmt::format("{:.4g}", si);
    return fmt::format("{:.4g} {}", si / descriptor.display_scale, descriptor.display_unit);
  };
  std::string text;
  switch (model.kind()) {
    case materials::ModelKind::constant:
    case materials::ModelKind::arrhenius:
      text = shown(model.reference_value());
      break;
    case materials::ModelKind::table: {
      const auto& table = model.table_data();
      text = fmt::format(
          "table of {} points in {} [{:g}, {:g}]: {} .. {}", table.x.size(),
          table.variable == materials::TableVariable::state_of_charge ? "state of charge" : "x",
          table.x.front(), table.x.back(), shown(table.y.front()), shown(table.y.back()));
      if (table.log10) text += " (log10 interpolation)";
      break;
    }
    case materials::ModelKind::function:
      text = fmt::format("function {} on x in [{:g}, {:g}]", model.function_name(), model.x_min(),
                         model.x_max());
      break;
  }
  if (model.has_activation_energy()) {
    text += fmt::format(" at {:.2f} K, Ea = {:.3g} kJ/mol ({:.3g} eV)",
                        model.reference_temperature(), model.activation_energy() / 1e3,
                        model.activation_energy() / core::faraday_constant);
  }
  return text;
}

void show_material(const MaterialsOptions& options) {
  const auto library = load(options);
  const materials::Material& material = library.find(options.name);
  if (options.json) {
    std::cout << io::material_to_json(material) << "\n";
    return;
  }
  std::cout << material.name << " (" << materials::to_string(material.material_class) << ")\n";
  if (!material.formula.empty()) std::cout << "  formula: " << material.formula << "\n";
  if (!material.description.empty()) std::cout << "  " << material.description << "\n";
  if (!material.aliases.empty()) {
    std::cout << "  aliases: " << fmt::format("{}", fmt::join(material.aliases, ", ")) << "\n";
  }
  for (const auto& descriptor : materials::property_descriptors()) {
    const auto& property = material.*descriptor.member;
    if (!property) continue;
    std::cout << fmt::format("  {:<28} {}\n", descriptor.key,
                             describe_model(property->model, descriptor));
    std::cout << fmt::format("  {:<28} source: {}{}\n", "", property->source,
                             property->estimate ? " [estimate]" : "");
    if (!property->note.empty())
      std::cout << fmt::format("  {:<28} note: {}\n", "", property->note);
  }
  if (material.cost) {
    std::cout << fmt::format("  {:<28} {}\n", "cost", cost_cell(material));
    std::cout << fmt::format("  {:<28} source: {}{}\n", "", material.cost->source,
                             material.cost->estimate ? " [estimate]" : "");
    if (!material.cost->note.empty()) {
      std::cout << fmt::format("  {:<28} note: {}\n", "", material.cost->note);
    }
  }
}

void setup_materials(CLI::App& parent) {
  auto options = std::make_shared<MaterialsOptions>();
  auto* command = parent.add_subcommand("materials", "Browse the sourced material library");
  command->require_subcommand(1);
  command->add_option("--data-dir", options->data_dir,
                      "Folder of material files (default: $CATHODELAB_DATA_DIR/materials or the "
                      "data/materials of the source tree)");

  auto* list = command->add_subcommand("list", "Table of materials with key properties");
  list->add_option("--class", options->class_name,
                   "Only this class (cathode_active, dual_conducting_cathode, solid_electrolyte, "
                   "polymer_electrolyte, additive, mixed_conductor, coating, anode, "
                   "current_collector)");
  list->callback([options] { list_materials(*options); });

  auto* show = command->add_subcommand("show", "All properties of one material with sources");
  show->add_option("name", options->name, "Material name or alias (case-insensitive)")->required();
  show->add_flag("--json", options->json, "Print the record as JSON");
  show->callback([options] { show_material(*options); });
}

const CommandRegistrar registrar{"materials", setup_materials};

}  // namespace
}  // namespace cathodelab::apps
