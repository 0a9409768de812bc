// Microstructure outputs (see microstructure_writer.hpp). nlohmann-json and libpng stay in here.
#include "cathodelab/io/microstructure_writer.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/io/csv.hpp"
#include "cathodelab/io/image_io.hpp"
#include "cathodelab/io/provenance.hpp"
#include "cathodelab/microstructure/generation_spec.hpp"

#include <fmt/format.h>
#include <png.h>
#include <nlohmann/json.hpp>

#include <bit>
#include <cstdio>
#include <fstream>
#include <map>

namespace cathodelab::io {
namespace {

namespace fs = std::filesystem;
namespace ms = microstructure;
using core::InputError;

std::ofstream open_output(const fs::path& path, std::ios::openmode mode = std::ios::out) {
  std::ofstream out(path, mode);
  if (!out) {
    throw InputError("cannot write '" + path.string() + "'", "out",
                     "check that the folder exists and is writable");
  }
  return out;
}

void write_png(const fs::path& path, std::size_t width, std::size_t height,
               const std::vector<std::uint8_t>& rgb) {
  FILE* file = std::fopen(path.string().c_str(), "wb");
  if (!file) {
    throw InputError("cannot write '" + path.string() + "'", "out",
                     "check that the folder exists and is writable");
  }
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (!png || !info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fclose(file);
    throw InputError("failed writing '" + path.string() + "'", "out", "check free disk space");
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8,
               PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (std::size_t row = 0; row < height; ++row) {
    png_write_row(png, rgb.data() + row * width * 3);
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  std::fclose(file);
}

std::string role_name(ms::PhaseRole role) {
  return ms::to_string(role);
}

std::string hex(const std::array<std::uint8_t, 3>& c) {
  return fmt::format("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
}

}  // namespace

std::array<std::uint8_t, 3> phase_colour(const std::vector<ms::Phase>& phases, std::size_t label) {
  // Fixed per role so the same kind of phase looks the same in every picture.
  static const std::map<ms::PhaseRole, std::array<std::uint8_t, 3>> base = {
      {ms::PhaseRole::pore, {20, 20, 20}},          {ms::PhaseRole::active, {70, 110, 200}},
      {ms::PhaseRole::electrolyte, {240, 190, 60}}, {ms::PhaseRole::additive, {200, 60, 60}},
      {ms::PhaseRole::coating, {90, 200, 120}},     {ms::PhaseRole::binder, {170, 170, 170}},
      {ms::PhaseRole::mixed, {180, 90, 200}}};
  const ms::PhaseRole role = phases.at(label).role;
  int repeat = 0;
  for (std::size_t n = 0; n < label; ++n) {
    repeat += phases[n].role == role ? 1 : 0;
  }
  std::array<std::uint8_t, 3> c = base.at(role);
  for (auto& v : c) {  // repeated roles get lighter shades
    v = static_cast<std::uint8_t>(std::min(255, v + 45 * repeat));
  }
  return c;
}

void write_vti(const fs::path& path, const ms::Microstructure& structure) {
  const auto& g = structure.grid();
  const bool ids = structure.has_particle_ids();
  const std::uint64_t label_bytes = g.size();
  const std::uint64_t id_bytes = ids ? g.size() * 4 : 0;
  std::ofstream out = open_output(path, std::ios::out | std::ios::binary);
  out << "<?xml version=\"1.0\"?>\n"
      << "<VTKFile type=\"ImageData\" version=\"1.0\" byte_order=\"LittleEndian\" "
         "header_type=\"UInt64\">\n"
      << fmt::format(
             "  <ImageData WholeExtent=\"0 {} 0 {} 0 {}\" Origin=\"0 0 0\" Spacing=\"{:.17g} "
             "{:.17g} {:.17g}\">\n",
             g.nx(), g.ny(), g.nz(), g.voxel_size, g.voxel_size, g.voxel_size)
      << fmt::format("    <Piece Extent=\"0 {} 0 {} 0 {}\">\n", g.nx(), g.ny(), g.nz())
      << "      <CellData Scalars=\"phase\">\n"
      << "        <DataArray type=\"UInt8\" Name=\"phase\" NumberOfComponents=\"1\" "
         "format=\"appended\" offset=\"0\"/>\n";
  if (ids) {
    out << fmt::format(
        "        <DataArray type=\"Int32\" Name=\"particle_id\" NumberOfComponents=\"1\" "
        "format=\"appended\" "
        "offset=\"{}\"/>\n",
        8 + label_bytes);
  }
  out << "      </CellData>\n    </Piece>\n  </ImageData>\n  <AppendedData encoding=\"raw\">\n   _";
  static_assert(std::endian::native == std::endian::little,
                "VTI writer assumes a little-endian host");
  out.write(reinterpret_cast<const char*>(&label_bytes), 8);
  out.write(reinterpret_cast<const char*>(structure.labels().data()),
            static_cast<std::streamsize>(label_bytes));
  if (ids) {
    out.write(reinterpret_cast<const char*>(&id_bytes), 8);
    out.write(reinterpret_cast<const char*>(structure.particle_ids().data()),
              static_cast<std::streamsize>(id_bytes));
  }
  out << "\n  </AppendedData>\n</VTKFile>\n";
  if (!out) {
    throw InputError("failed writing '" + path.string() + "'", "out", "check free disk space");
  }
}

std::vector<std::string> write_slice_pngs(const fs::path& dir,
                                          const ms::Microstructure& structure) {
  const auto& g = structure.grid();
  const auto& labels = structure.labels();
  std::vector<std::array<std::uint8_t, 3>> colours;
  for (std::size_t l = 0; l < structure.phases().size(); ++l) {
    colours.push_back(phase_colour(structure.phases(), l));
  }
  const auto render = [&](const std::string& name, std::size_t width, std::size_t height,
                          auto&& label_at) {
    const std::size_t scale =
        std::max<std::size_t>(1, (256 + std::min(width, height) - 1) / std::min(width, height));
    const std::size_t w = width * scale;
    const std::size_t h = height * scale;
    std::vector<std::uint8_t> rgb(w * h * 3);
    for (std::size_t y = 0; y < h; ++y) {
      for (std::size_t x = 0; x < w; ++x) {
        const auto& c = colours[label_at(x / scale, y / scale)];
        std::copy(c.begin(), c.end(), rgb.begin() + static_cast<std::ptrdiff_t>((y * w + x) * 3));
      }
    }
    write_png(dir / name, w, h, rgb);
    return name;
  };
  std::vector<std::string> files;
  const std::size_t mid_z = g.nz() / 2;
  const std::size_t mid_y = g.ny() / 2;
  files.push_back(render("slice_xy_mid.png", g.nx(), g.ny(), [&](std::size_t x, std::size_t y) {
    return labels(x, g.ny() - 1 - y, mid_z);  // y up
  }));
  files.push_back(render("slice_xz_mid.png", g.nx(), g.nz(), [&](std::size_t x, std::size_t row) {
    return labels(x, mid_y,
                  g.nz() - 1 - row);  // separator (z = L) at the top, collector at the bottom
  }));
  return files;
}

void write_microstructure_json(const fs::path& path, const ms::Microstructure& structure,
                               const ms::GenerationReport* report,
                               const StructureProvenance& provenance,
                               const std::vector<std::string>& pictures) {
  const auto& g = structure.grid();
  nlohmann::ordered_json j;
  j["Source"] = provenance.source;
  j["Input"] = provenance.input;
  j["Command"] = provenance.command;
  j["Voxel size [m]"] = g.voxel_size;
  j["Voxel size [um]"] = g.voxel_size * 1e6;
  j["Shape [voxels]"] = {g.nx(), g.ny(), g.nz()};
  j["Domain size x [um]"] = g.length(core::Axis::x) * 1e6;
  j["Domain size y [um]"] = g.length(core::Axis::y) * 1e6;
  j["Thickness [um]"] = g.length(core::Axis::z) * 1e6;
  j["Voxels [-]"] = g.size();
  j["Collector face"] = "z = 0 (electrons enter)";
  j["Separator face"] = "z = L (ions enter)";
  j["Periodic in plane"] = structure.periodic_in_plane();
  const std::vector<double> measured = structure.volume_fractions();
  std::vector<std::size_t> counts(structure.phases().size(), 0);
  for (const auto& p : structure.particles()) {
    ++counts[p.phase];
  }
  nlohmann::ordered_json phases = nlohmann::ordered_json::array();
  for (std::size_t l = 0; l < structure.phases().size(); ++l) {
    const ms::Phase& phase = structure.phases()[l];
    nlohmann::ordered_json p;
    p["Label"] = l;
    p["Name"] = phase.name;
    p["Material"] = phase.material;
    p["Role"] = role_name(phase.role);
    p["Colour"] = hex(phase_colour(structure.phases(), l));
    if (report && l < report->phases.size()) {
      const ms::PhaseReport& r = report->phases[l];
      p["Shape"] = r.is_coating ? "shell" : ms::to_string(r.shape);
      p["Target volume fraction"] =
          r.target_fraction ? nlohmann::ordered_json(*r.target_fraction) : nlohmann::ordered_json();
    } else {
      p["Target volume fraction"] = nullptr;
    }
    p["Measured volume fraction"] = measured[l];
    p["Particle count"] = counts[l];
    if (report && l < report->phases.size()) {
      const ms::PhaseReport& r = report->phases[l];
      if (r.shape == ms::PhaseShape::pore && r.particle_count > 0) {
        p["Pore seed count"] = r.particle_count;
      }
      if (r.shape == ms::PhaseShape::sphere || r.shape == ms::PhaseShape::pore) {
        p["Radius scale applied [-]"] = r.radius_scale;
      }
      if (r.shape == ms::PhaseShape::fibre) {
        p["Fibre radius requested [um]"] = r.fibre_radius_requested * 1e6;
        p["Fibre radius drawn [um]"] = r.fibre_radius_drawn * 1e6;
      }
      if (r.is_coating) {
        p["Coating thickness [nm]"] = r.coating_thickness * 1e9;
        p["Coating representation"] = r.coating_voxelized ? "voxel shell" : "interface property";
        p["Expected shell volume fraction without overlaps"] = r.coating_expected_fraction;
      }
    }
    if (phase.ionic_conductivity) p["Ionic conductivity [S.m-1]"] = *phase.ionic_conductivity;
    if (phase.electronic_conductivity)
      p["Electronic conductivity [S.m-1]"] = *phase.electronic_conductivity;
    phases.push_back(p);
  }
  j["Phases"] = phases;
  j["Particle count"] = structure.particles().size();
  if (report) {
    j["Seed"] = report->seed;
    j["Generation time [s]"] = report->seconds;
    j["Packing"] = {{"Sweeps", report->packing.sweeps},
                    {"Converged", report->packing.converged},
                    {"Max excess overlap [-]", report->packing.max_excess_overlap},
                    {"Mean excess overlap [-]", report->packing.mean_excess_overlap},
                    {"Overlapping pairs [-]", report->packing.overlapping_pairs}};
    j["Notes"] = report->notes;
  }
  j["Pictures"] = pictures;
  nlohmann::ordered_json prov;
  for (const auto& [key, value] : collect_provenance(report ? report->seed : 0)) {
    prov[key] = value;
  }
  j["Provenance"] = prov;
  open_output(path) << j.dump(2) << "\n";
}

void write_particles_csv(const fs::path& path, const ms::Microstructure& structure) {
  std::ofstream out = open_output(path);
  out << csv_line({"id", "phase", "shape", "centre x [m]", "centre y [m]", "centre z [m]",
                   "radius [m]", "axis x", "axis y", "axis z", "length [m]",
                   "coating thickness [m]", "coating", "coating voxelized"});
  const auto& phases = structure.phases();
  for (const ms::Particle& p : structure.particles()) {
    const std::string coating =
        p.coating_phase >= 0 ? phases.at(static_cast<std::size_t>(p.coating_phase)).material : "";
    out << csv_line({std::to_string(p.id), phases.at(p.phase).name,
                     p.shape == ms::ParticleShape::fibre ? "fibre" : "sphere",
                     csv_number(p.centre[0]), csv_number(p.centre[1]), csv_number(p.centre[2]),
                     csv_number(p.radius), csv_number(p.axis[0]), csv_number(p.axis[1]),
                     csv_number(p.axis[2]), csv_number(p.length), csv_number(p.coating_thickness),
                     coating,
                     p.coating_phase >= 0 ? (p.coating_voxelized ? "true" : "false") : ""});
  }
}

void write_microstructure_outputs(const fs::path& dir, const ms::Microstructure& structure,
                                  const ms::GenerationReport* report,
                                  const StructureProvenance& provenance) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw InputError("cannot create output folder '" + dir.string() + "': " + ec.message(), "out",
                     "choose a writable --out folder");
  }
  write_tiff_labels(dir / "labels.tif", structure.labels());
  write_vti(dir / "microstructure.vti", structure);
  write_particles_csv(dir / "particles.csv", structure);
  const std::vector<std::string> pictures = write_slice_pngs(dir, structure);
  write_microstructure_json(dir / "microstructure.json", structure, report, provenance, pictures);
}

}  // namespace cathodelab::io
