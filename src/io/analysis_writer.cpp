// Writers of `cathodelab analyze`: analysis.json, particles_analysis.csv and the network slice
// PNGs.
#include "cathodelab/io/analysis_writer.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/io/csv.hpp"
#include "cathodelab/io/microstructure_writer.hpp"
#include "cathodelab/io/result_sink.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace cathodelab::io {
namespace {

using microstructure::Network;
using nlohmann::ordered_json;

/// A finite number, or null (never NaN or infinity in a result file).
ordered_json number(double value) {
  return std::isfinite(value) ? ordered_json(value) : ordered_json();
}

const char* axis_name(std::size_t axis) {
  return axis == 0 ? "x" : (axis == 1 ? "y" : "z");
}

ordered_json histogram_json(const microstructure::Histogram& h, const std::string& quantity) {
  ordered_json j;
  j["Quantity"] = quantity;
  j["Bin edges"] = h.edges;
  j["Particle count"] = h.counts;
  j["Volume fraction of active material"] = h.volume_fraction;
  return j;
}

ordered_json network_json(const microstructure::NetworkMorphology& net,
                          const std::vector<NetworkAxisTransport>& transport) {
  ordered_json j;
  j["Volume fraction"] = net.volume_fraction;
  j["Entry face"] =
      net.network == Network::ionic ? "z = L (separator)" : "z = 0 (current collector)";
  j["Cluster count"] = net.cluster_count;
  j["Largest cluster fraction"] = net.voxels > 0 ? static_cast<double>(net.largest_cluster_voxels) /
                                                       static_cast<double>(net.voxels)
                                                 : 0.0;
  j["Entry-connected fraction"] = net.entry_connected_fraction;
  j["Spanning fraction"] = net.spanning_fraction;
  j["Dead-end fraction"] = net.dead_end_fraction;
  j["Opposite-face-only fraction"] = net.opposite_only_fraction;
  j["Isolated fraction"] = net.isolated_fraction;
  j["Boundary-only fraction"] = net.boundary_only_fraction;
  for (std::size_t axis = 0; axis < 3; ++axis) {
    ordered_json a;
    a["Volume fraction"] = net.volume_fraction;
    a["Percolating fraction"] = net.axis_spanning_fraction[axis];
    for (const auto& t : transport) {
      if (t.network != net.network || static_cast<std::size_t>(t.result.axis) != axis) continue;
      const auto& r = t.result;
      a["Percolating fraction"] = r.percolating_fraction;
      a["Percolates"] = r.percolates;
      a["Effective conductivity [S.m-1]"] = number(r.effective_conductivity);
      a["Tortuosity factor"] = r.percolates ? number(r.tortuosity_factor) : ordered_json();
      a["Bulk conductivity [S.m-1]"] = number(r.bulk_conductivity);
      a["Current in [A]"] = number(r.current_in);
      a["Current out [A]"] = number(r.current_out);
      a["Unknowns"] = r.unknowns;
      a["Converged"] = r.stats.converged;
      a["Iterations"] = r.stats.iterations;
      a["Relative residual"] = number(r.stats.residual);
      a["Estimated relative error"] = number(r.estimated_relative_error);
      a["Solve time [s]"] = number(r.stats.seconds);
      a["Method"] = r.stats.method;
      a["Solver message"] = r.stats.message;
    }
    j[axis_name(axis)] = a;
  }
  return j;
}

}  // namespace

std::string analysis_to_json(const AnalysisRecord& record, int indent) {
  CATHODELAB_REQUIRE(record.morphology != nullptr, "analysis record without morphology");
  const auto& m = *record.morphology;
  const auto& g = record.grid;
  const double box_volume = static_cast<double>(g.size()) * g.voxel_volume();
  ordered_json j;

  ordered_json input;
  input["Image"] = record.source;
  input["Shape [voxel]"] = {g.nx(), g.ny(), g.nz()};
  input["Voxel size [m]"] = g.voxel_size;
  input["Size [m]"] = {g.length(core::Axis::x), g.length(core::Axis::y), g.length(core::Axis::z)};
  input["Periodic in plane"] = record.periodic_in_plane;
  input["Temperature [K]"] = record.temperature;
  input["Connectivity"] = record.connectivity;
  j["Input"] = input;

  ordered_json phases = ordered_json::array();
  for (const auto& p : record.phases) {
    ordered_json o;
    o["Label"] = p.label;
    o["Name"] = p.name;
    o["Material"] = p.material;
    o["Role"] = p.role;
    o["Ionic conductivity [S.m-1]"] = p.ionic_conductivity;
    o["Electronic conductivity [S.m-1]"] = p.electronic_conductivity;
    o["Volume fraction"] =
        p.label < m.label_volume_fraction.size() ? m.label_volume_fraction[p.label] : 0.0;
    phases.push_back(o);
  }
  j["Phases"] = phases;

  ordered_json networks;
  networks["ionic"] = network_json(m.ionic, record.transport);
  networks["electronic"] = network_json(m.electronic, record.transport);
  j["Networks"] = networks;

  ordered_json areas = ordered_json::array();
  const auto& ia = m.interface_area;
  for (std::size_t a = 0; a < ia.label_count; ++a) {
    for (std::size_t b = a + 1; b < ia.label_count; ++b) {
      const double area = ia.area[a * ia.label_count + b];
      if (area <= 0.0) continue;
      ordered_json o;
      o["Labels"] = {a, b};
      o["Area [m2]"] = area;
      o["Specific area [m-1]"] = box_volume > 0 ? area / box_volume : 0.0;
      areas.push_back(o);
    }
  }
  j["Interface areas"] = areas;

  const auto& s = m.summary;
  ordered_json am;
  am["Particle count"] = s.particle_count;
  am["Particles from"] = m.particles_from_id_map ? "particle id map" : "connected clusters";
  am["Volume fraction"] = s.active_volume_fraction;
  am["Surface area [m2]"] = s.cam_surface_area;
  am["Specific surface area [m-1]"] = s.specific_cam_surface_area;
  am["Ionic contact area [m2]"] = s.ionic_contact_area;
  am["Active area [m2]"] = s.active_area;
  am["Specific active area [m-1]"] = s.specific_active_area;
  am["Active area fraction"] = s.active_area_fraction;
  am["Electronic contact area [m2]"] = s.electronic_contact_area;
  am["Pore (inactive) area [m2]"] = s.pore_area;
  am["Ion-reachable fraction"] = s.ion_reachable_fraction;
  am["Electron-reachable fraction"] = s.electron_reachable_fraction;
  am["Utilizable fraction"] = s.utilizable_fraction;
  am["Particles file"] = "particles_analysis.csv";
  if (s.particle_count > 0) {
    am["Histograms"] = {histogram_json(m.active_area_fraction_histogram, "Active area fraction"),
                        histogram_json(m.equivalent_diameter_histogram, "Equivalent diameter [m]")};
  }
  j["Active material"] = am;

  if (!record.slice_images.empty()) {
    ordered_json slices;
    slices["Files"] = record.slice_images;
    slices["Colours"] = {
        {"spanning", "green"}, {"dead end", "yellow"},    {"opposite face only", "purple"},
        {"isolated", "red"},   {"boundary only", "grey"}, {"not in the network", "dark grey"}};
    slices["Orientation"] = "x-z slices: separator (z = L) at the top, collector at the bottom";
    j["Slice images"] = slices;
  }
  j["Warnings"] = record.warnings;
  ordered_json provenance = ordered_json::object();
  for (const auto& [key, value] : record.provenance) provenance[key] = value;
  j["Provenance"] = provenance;
  return j.dump(indent);
}

std::string particles_to_csv(const microstructure::Morphology& morphology) {
  std::string out = csv_line(
      {"Particle id", "Label", "Voxels", "Volume [m3]", "Equivalent diameter [m]", "Centroid x [m]",
       "Centroid y [m]", "Centroid z [m]", "Surface area [m2]", "Ionic contact area [m2]",
       "Active area [m2]", "Electronic contact area [m2]", "Connected electronic contact area [m2]",
       "Pore area [m2]", "Particle contact area [m2]", "Reachable by ions",
       "Reachable by electrons", "Utilizable"});
  for (const auto& p : morphology.particles) {
    out +=
        csv_line({std::to_string(p.id), std::to_string(p.phase), std::to_string(p.voxels),
                  csv_number(p.volume), csv_number(p.equivalent_diameter),
                  csv_number(p.centroid[0]), csv_number(p.centroid[1]), csv_number(p.centroid[2]),
                  csv_number(p.surface_area), csv_number(p.ionic_contact_area),
                  csv_number(p.active_area), csv_number(p.electronic_contact_area),
                  csv_number(p.connected_electronic_contact_area), csv_number(p.pore_area),
                  csv_number(p.particle_contact_area), p.reachable_by_ions ? "1" : "0",
                  p.reachable_by_electrons ? "1" : "0", p.utilizable() ? "1" : "0"});
  }
  return out;
}

std::vector<std::string> write_network_slices(const std::filesystem::path& out_dir,
                                              const microstructure::Morphology& morphology) {
  using microstructure::PhaseRole;
  // The microstructure slice writer colours by role; one role per connection class gives the
  // legend above (index = VoxelConnection).
  const std::vector<microstructure::Phase> classes{
      {"outside", "", PhaseRole::pore},         {"spanning", "", PhaseRole::coating},
      {"dead end", "", PhaseRole::electrolyte}, {"opposite only", "", PhaseRole::mixed},
      {"isolated", "", PhaseRole::additive},    {"boundary only", "", PhaseRole::binder}};
  std::vector<std::string> files;
  for (const auto* net : {&morphology.ionic, &morphology.electronic}) {
    if (net->connection.size() == 0) continue;
    const std::string name(microstructure::network_name(net->network));
    const auto dir = out_dir / "slices" / name;
    std::filesystem::create_directories(dir);
    const microstructure::Microstructure image(net->connection, classes);
    for (const auto& file : write_slice_pngs(dir, image))
      files.push_back("slices/" + name + "/" + file);
  }
  return files;
}

std::filesystem::path write_analysis(const std::filesystem::path& out_dir,
                                     const AnalysisRecord& record) {
  CATHODELAB_REQUIRE(record.morphology != nullptr, "analysis record without morphology");
  auto json_path = out_dir / "analysis.json";
  write_file_atomically(out_dir / "particles_analysis.csv", particles_to_csv(*record.morphology));
  write_file_atomically(json_path, analysis_to_json(record) + "\n");
  return json_path;
}

}  // namespace cathodelab::io
