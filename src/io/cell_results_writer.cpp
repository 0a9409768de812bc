// Writers of cell-simulation results (see cell_results_writer.hpp).
#include "cathodelab/io/cell_results_writer.hpp"

#include "cathodelab/core/build_info.hpp"
#include "cathodelab/core/error.hpp"
#include "cathodelab/io/csv.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

namespace cathodelab::io {
namespace {

std::ofstream open(const std::filesystem::path& file) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file);
  if (!out) throw core::InputError("cannot write " + file.string(), {}, "check the output folder");
  return out;
}

double finite(double v) {
  return std::isfinite(v) ? v : 0.0;
}

}  // namespace

namespace {

const std::vector<std::string>& timeseries_columns() {
  static const std::vector<std::string> columns{"Time [s]",
                                                "Voltage [V]",
                                                "Current [A]",
                                                "Discharge capacity [A.h]",
                                                "Discharge capacity [mA.h.g-1]",
                                                "Step",
                                                "Cycle"};
  return columns;
}

std::string timeseries_line(const echem::TimeseriesRow& row, double mass_g) {
  const double specific = mass_g > 0.0 ? row.discharge_capacity * 1000.0 / mass_g : 0.0;
  return csv_line({csv_number(row.time), csv_number(row.voltage), csv_number(row.current),
                   csv_number(row.discharge_capacity), csv_number(specific),
                   std::to_string(row.step), std::to_string(row.cycle)});
}

}  // namespace

void write_cell_timeseries(const std::filesystem::path& file, const echem::CellResult& r) {
  TimeseriesCsvWriter writer(file, r.positive_active_mass, false);
  const auto& ts = r.timeseries;
  for (std::size_t i = 0; i < ts.time.size(); ++i) {
    writer.write({ts.time[i], ts.voltage[i], ts.current[i], ts.discharge_capacity[i], ts.step[i],
                  ts.cycle[i]});
  }
}

TimeseriesCsvWriter::TimeseriesCsvWriter(const std::filesystem::path& file,
                                         double positive_active_mass, bool flush_each_row)
    : out_(open(file)), mass_g_(positive_active_mass * 1000.0), flush_each_row_(flush_each_row) {
  out_ << csv_line(timeseries_columns()) << std::flush;
}

void TimeseriesCsvWriter::write(const echem::TimeseriesRow& row) {
  out_ << timeseries_line(row, mass_g_);
  if (flush_each_row_) out_.flush();
  if (!out_) throw core::InputError("cannot write timeseries rows", {}, "check free disk space");
}

void write_cell_summary(const std::filesystem::path& file, const echem::CellResult& r,
                        const CellRunInfo& info) {
  using nlohmann::json;
  json j;
  j["parameters file"] = info.parameters_file;
  j["experiment"] = info.experiment;
  j["Nominal capacity [A.h]"] = r.nominal_capacity;
  j["Positive active material mass [g]"] = r.positive_active_mass * 1000.0;
  j["Unknowns"] = r.unknowns;
  const double mass_g = r.positive_active_mass * 1000.0;
  json steps = json::array();
  for (const auto& s : r.steps) {
    steps.push_back({{"Step", s.index},
                     {"Cycle", s.cycle},
                     {"Instruction", s.text},
                     {"Termination", s.termination},
                     {"Start time [s]", finite(s.start_time)},
                     {"Duration [s]", finite(s.duration)},
                     {"Capacity [A.h]", finite(s.capacity)},
                     {"Capacity [mA.h.g-1]", mass_g > 0 ? finite(s.capacity) * 1e3 / mass_g : 0.0},
                     {"Energy [W.h]", finite(s.energy)},
                     {"Mean voltage [V]", finite(s.mean_voltage)},
                     {"Start voltage [V]", finite(s.start_voltage)},
                     {"End voltage [V]", finite(s.end_voltage)},
                     {"IR drop [V]", finite(s.ir_drop)}});
  }
  j["steps"] = steps;
  json cycles = json::array();
  for (const auto& c : r.cycles) {
    cycles.push_back(
        {{"Cycle", c.index},
         {"Discharge capacity [A.h]", c.discharge_capacity},
         {"Discharge capacity [mA.h.g-1]", mass_g > 0 ? c.discharge_capacity * 1e3 / mass_g : 0.0},
         {"Charge capacity [A.h]", c.charge_capacity},
         {"Discharge energy [W.h]", c.discharge_energy},
         {"Charge energy [W.h]", c.charge_energy},
         {"Coulombic efficiency", c.coulombic_efficiency}});
  }
  j["cycles"] = cycles;
  if (r.failure) {
    j["failure"] = {{"Step", r.failure->step},
                    {"Instruction", r.failure->step_text},
                    {"Time [s]", finite(r.failure->time)},
                    {"Reason", r.failure->reason}};
  } else {
    j["failure"] = nullptr;
  }
  j["solver"] = {{"method", r.solver.method},
                 {"converged", r.solver.converged},
                 {"steps", r.solver.iterations},
                 {"seconds", r.solver.seconds},
                 {"message", r.solver.message}};
  const auto& b = core::build_info();
  j["provenance"] = {{"version", b.version}, {"git sha", b.git_sha}, {"build type", b.build_type}};
  auto out = open(file);
  out << j.dump(2) << "\n";
}

void write_cell_profiles(const std::filesystem::path& file, const echem::CellResult& r) {
  auto out = open(file);
  out << csv_line({"Time [s]", "x [m]", "Electrolyte potential [V]",
                   "Electrolyte concentration [mol.m-3]", "Solid potential [V]",
                   "Surface stoichiometry", "Average stoichiometry"});
  for (const auto& p : r.profiles) {
    for (std::size_t i = 0; i < p.x.size(); ++i) {
      out << csv_line(
          {csv_number(p.time), csv_number(p.x[i]), csv_number(p.electrolyte_potential[i]),
           csv_number(p.electrolyte_concentration[i]), csv_number(p.solid_potential[i]),
           csv_number(p.surface_stoichiometry[i]), csv_number(p.average_stoichiometry[i])});
    }
  }
}

void write_cell_impedance(const std::filesystem::path& file, const echem::ImpedanceSpectrum& s) {
  auto out = open(file);
  out << csv_line({"Frequency [Hz]", "Z_re [Ohm]", "Z_im [Ohm]"});
  for (std::size_t i = 0; i < s.frequency.size(); ++i) {
    out << csv_line(
        {csv_number(s.frequency[i]), csv_number(s.real[i]), csv_number(s.imaginary[i])});
  }
}

void write_cell_gitt(const std::filesystem::path& file,
                     const std::vector<echem::GittPulse>& pulses) {
  auto out = open(file);
  out << csv_line({"Pulse", "Stoichiometry", "Diffusivity [m2.s-1]", "Delta E_s [V]",
                   "Delta E_t [V]", "Theta [-]", "Delta E_t reading", "Warning"});
  for (const auto& p : pulses) {
    out << csv_line({std::to_string(p.pulse), csv_number(p.stoichiometry),
                     csv_number(p.diffusivity), csv_number(p.delta_steady_voltage),
                     csv_number(p.delta_transient_voltage), csv_number(p.theta),
                     p.transient_reading, p.warning});
  }
}

}  // namespace cathodelab::io
