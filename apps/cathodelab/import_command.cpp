// `cathodelab import IMAGE --voxel-size "0.5 um" --phase 0=pore --phase 1=NCM811 ... --out DIR`:
// reads a segmented image (multi-page TIFF, folder of TIFF slices, .npy, or raw with
// --raw-shape/--raw-dtype), maps labels to phases, optionally crops and downsamples, and writes the
// same outputs as `build`. Phase specs:
//   L=pore | L=void                   empty space
//   L=<library material>              role from the material's class
//   L=ionic:<S/m> | L=electronic:<S/m> | L=mixed:<S/m>,<S/m>   explicit conductivities
// An optional display name goes after '@': --phase "2=ionic:0.1 mS/cm@CBD".
#include "argument_checks.hpp"
#include "command.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/log.hpp"
#include "cathodelab/core/suggest.hpp"
#include "cathodelab/core/units.hpp"
#include "cathodelab/io/image_io.hpp"
#include "cathodelab/io/material_library.hpp"
#include "cathodelab/io/microstructure_writer.hpp"
#include "cathodelab/materials/material_library.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace cathodelab::apps {
namespace {

namespace ms = microstructure;
using core::InputError;

struct ImportArgs {
  std::string input;
  std::string voxel_size;
  std::vector<std::string> phases;
  std::string crop;
  int downsample = 1;
  std::string raw_shape;
  std::string raw_dtype = "uint8";
  std::string materials_dir;
  std::string out;
};

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

ms::PhaseRole role_of(materials::MaterialClass c) {
  using materials::MaterialClass;
  switch (c) {
    case MaterialClass::cathode_active:
    case MaterialClass::dual_conducting_cathode:
      return ms::PhaseRole::active;
    case MaterialClass::solid_electrolyte:
    case MaterialClass::polymer_electrolyte:
      return ms::PhaseRole::electrolyte;
    case MaterialClass::mixed_conductor:
      return ms::PhaseRole::mixed;
    case MaterialClass::coating:
      return ms::PhaseRole::coating;
    default:
      return ms::PhaseRole::additive;
  }
}

double conductivity(const std::string& text, const std::string& key) {
  const double value = core::parse_quantity_as(trim(text), core::dim::conductivity, key, "1 mS/cm");
  if (!std::isfinite(value) || value < 0.0) {
    throw InputError("conductivity '" + trim(text) + "' must be finite and >= 0", key,
                     "e.g. \"1 mS/cm\"");
  }
  return value;
}

io::PhaseMapping parse_phase(const std::string& spec, const std::string& materials_dir,
                             std::optional<materials::MaterialLibrary>& library) {
  const std::string key = "--phase " + spec;
  const auto eq = spec.find('=');
  if (eq == std::string::npos) {
    throw InputError(
        "malformed phase '" + spec + "'", "--phase",
        "write LABEL=MATERIAL, LABEL=pore, or LABEL=ionic:<S/m> (electronic:, mixed:<S/m>,<S/m>)");
  }
  io::PhaseMapping m;
  const std::string label_text = trim(spec.substr(0, eq));
  const auto* end = label_text.data() + label_text.size();
  const auto [ptr, ec] = std::from_chars(label_text.data(), end, m.value);
  if (ec != std::errc{} || ptr != end || m.value < 0) {
    throw InputError("'" + label_text + "' is not a label value", key,
                     "labels are integers >= 0, e.g. --phase 1=NCM811");
  }
  std::string body = trim(spec.substr(eq + 1));
  std::string display;
  if (const auto at = body.find('@'); at != std::string::npos) {
    display = trim(body.substr(at + 1));
    body = trim(body.substr(0, at));
  }
  if (body.empty()) {
    throw InputError("phase '" + spec + "' names nothing", key,
                     "give a material, pore, or conductivities after '='");
  }
  const auto colon = body.find(':');
  const std::string head = trim(body.substr(0, colon));
  if (colon == std::string::npos && (head == "pore" || head == "void")) {
    m.phase = {.name = head, .material = "", .role = ms::PhaseRole::pore};
  } else if (colon != std::string::npos) {
    const std::string values = body.substr(colon + 1);
    m.phase.name = display.empty() ? body : display;
    if (head == "ionic") {
      m.phase.ionic_conductivity = conductivity(values, key);
      m.phase.role = ms::PhaseRole::electrolyte;
    } else if (head == "electronic") {
      m.phase.electronic_conductivity = conductivity(values, key);
      m.phase.role = ms::PhaseRole::additive;
    } else if (head == "mixed") {
      const auto comma = values.find(',');
      if (comma == std::string::npos) {
        throw InputError("mixed phase '" + spec + "' needs two conductivities", key,
                         "write LABEL=\"mixed:<ionic S/m>,<electronic S/m>\"");
      }
      m.phase.ionic_conductivity = conductivity(values.substr(0, comma), key);
      m.phase.electronic_conductivity = conductivity(values.substr(comma + 1), key);
      m.phase.role = ms::PhaseRole::mixed;
    } else {
      core::throw_unknown("conductivity kind", head,
                          std::vector<std::string>{"ionic", "electronic", "mixed"}, key);
    }
  } else {
    if (!library) {
      library =
          io::load_material_library(materials_dir.empty() ? io::default_materials_dir()
                                                          : std::filesystem::path(materials_dir));
    }
    const materials::Material& material = library->find(body, key);
    m.phase = {.name = display.empty() ? body : display,
               .material = body,
               .role = role_of(material.material_class)};
  }
  if (!display.empty()) {
    m.phase.name = display;
  }
  return m;
}

std::array<std::size_t, 3> parse_three(const std::string& text, const std::string& key,
                                       const char* example) {
  // Token by token with from_chars: stream extraction into an unsigned type would turn "-1" into
  // 2^64 - 1 instead of refusing it.
  std::istringstream in(text);
  std::array<std::size_t, 3> v{};
  std::string token;
  std::size_t count = 0;
  while (in >> token) {
    std::size_t value = 0;
    const char* last = token.data() + token.size();
    const auto [end, error] = std::from_chars(token.data(), last, value);
    if (count == 3 || error != std::errc{} || end != last || value == 0) {
      throw InputError("'" + text + "' is not three positive integers", key,
                       std::string("e.g. ") + example);
    }
    v[count++] = value;
  }
  if (count != 3) {
    throw InputError("'" + text + "' is not three positive integers", key,
                     std::string("e.g. ") + example);
  }
  return v;
}

/// One bound of a crop range: empty (the image edge, 0) or a voxel index written in digits.
std::size_t crop_bound(const std::string& bound, const std::string& text) {
  if (bound.empty()) return 0;
  std::size_t value = 0;
  const char* end = bound.data() + bound.size();
  const auto [ptr, ec] = std::from_chars(bound.data(), end, value);
  if (bound.find_first_not_of("0123456789") != std::string::npos || ec != std::errc{} ||
      ptr != end) {
    throw InputError("crop bound '" + bound + "' in '" + text + "' is not a voxel index", "--crop",
                     "bounds are whole numbers >= 0, e.g. \"0:200,0:200,10:110\"");
  }
  return value;
}

io::Crop parse_crop(const std::string& text) {
  // "x0:x1,y0:y1,z0:z1" in voxels (an empty bound = image edge)
  io::Crop crop;
  std::istringstream in(text);
  std::string part;
  int axis = 0;
  while (std::getline(in, part, ',')) {
    const auto colon = part.find(':');
    if (axis > 2 || colon == std::string::npos) {
      throw InputError("malformed crop '" + text + "'", "--crop",
                       "write --crop \"x0:x1,y0:y1,z0:z1\" in voxels, e.g. \"0:200,0:200,10:110\"");
    }
    crop.lo[axis] = crop_bound(trim(part.substr(0, colon)), text);
    crop.hi[axis] = crop_bound(trim(part.substr(colon + 1)), text);
    ++axis;
  }
  if (axis != 3) {
    throw InputError("crop '" + text + "' needs three ranges", "--crop",
                     "write --crop \"x0:x1,y0:y1,z0:z1\"");
  }
  return crop;
}

double parse_voxel_size(const std::string& text) {
  // One size, or three ("0.5 um, 0.5 um, 1 um" / "0.5 um x 0.5 um x 1 um") which must agree.
  std::vector<double> sizes;
  std::string normalized = text;
  for (std::size_t at = normalized.find(" x "); at != std::string::npos;
       at = normalized.find(" x ")) {
    normalized.replace(at, 3, ";");
  }
  for (char& c : normalized) {
    if (c == ',') c = ';';
  }
  std::istringstream in(normalized);
  std::string part;
  while (std::getline(in, part, ';')) {
    if (!trim(part).empty())
      sizes.push_back(
          core::parse_quantity_as(trim(part), core::dim::length, "--voxel-size", "0.5 um"));
  }
  if (sizes.empty()) {
    throw InputError("missing voxel size", "--voxel-size", "give --voxel-size \"0.5 um\"");
  }
  for (const double s : sizes) {
    if (std::abs(s - sizes.front()) > 1e-9 * sizes.front()) {
      throw InputError("anisotropic voxels (" + text + ") are not supported", "--voxel-size",
                       "resample the image to cubic voxels first (e.g. with the image's own "
                       "tools), then give one size");
    }
  }
  if (!(sizes.front() > 0.0) || !std::isfinite(sizes.front())) {
    throw InputError("voxel size must be positive", "--voxel-size", "e.g. --voxel-size \"0.5 um\"");
  }
  return sizes.front();
}

void run_import(const ImportArgs& args) {
  const double voxel = parse_voxel_size(args.voxel_size);
  if (args.phases.empty()) {
    throw InputError("no phases given", "--phase",
                     "map every label, e.g. --phase 0=pore --phase 1=NCM811");
  }
  if (args.downsample < 1) {
    throw InputError("downsample factor must be >= 1", "--downsample", "e.g. --downsample 2");
  }
  std::optional<materials::MaterialLibrary> library;
  std::vector<io::PhaseMapping> mapping;
  for (const std::string& spec : args.phases) {
    mapping.push_back(parse_phase(spec, args.materials_dir, library));
  }
  io::ImageReadOptions options;
  if (!args.raw_shape.empty()) {
    options.raw = io::RawLayout{
        .shape = parse_three(args.raw_shape, "--raw-shape", "--raw-shape \"200 200 100\""),
        .dtype = args.raw_dtype};
  }
  if (!args.crop.empty()) {
    options.crop = parse_crop(args.crop);
  }
  options.downsample = args.downsample;
  (void)prepare_output_folder(args.out, "--out");
  const auto values = io::read_label_values(args.input, options);
  const auto structure = io::to_microstructure(
      values, mapping, voxel * static_cast<double>(args.downsample), args.input);
  io::write_microstructure_outputs(
      args.out, structure, nullptr,
      {.source = "imported", .input = args.input, .command = "cathodelab import " + args.input});
  const auto& g = structure.grid();
  core::log_info(fmt::format("imported {}x{}x{} voxels of {:.4g} um -> {}", g.nx(), g.ny(), g.nz(),
                             g.voxel_size * 1e6, args.out));
}

void setup_import(CLI::App& parent) {
  auto args = std::make_shared<ImportArgs>();
  auto* command = parent.add_subcommand(
      "import", "Import a segmented image (TIFF, TIFF folder, .npy, raw) and write images");
  command->add_option("image", args->input, "Image file or folder of TIFF slices")->required();
  command
      ->add_option("--voxel-size", args->voxel_size, "Cubic voxel size with unit, e.g. \"0.5 um\"")
      ->required();
  command
      ->add_option("--phase", args->phases,
                   "LABEL=MATERIAL | LABEL=pore | LABEL=ionic:<S/m> ... (repeat)")
      ->required();
  command->add_option("--crop", args->crop, "Sub-box in voxels \"x0:x1,y0:y1,z0:z1\"");
  command->add_option("--downsample", args->downsample, "Majority-vote downsampling factor");
  command->add_option("--raw-shape", args->raw_shape, "Raw files: \"NX NY NZ\" (x fastest)");
  command->add_option("--raw-dtype", args->raw_dtype,
                      "Raw files: uint8 | uint16 | int32 (little-endian)");
  command->add_option("--materials", args->materials_dir, "Material library folder");
  command->add_option("--out,-o", args->out, "Output folder")->required();
  command->callback([args] { run_import(*args); });
}

const CommandRegistrar registrar{"import", setup_import};

}  // namespace
}  // namespace cathodelab::apps
