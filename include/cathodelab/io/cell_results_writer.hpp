// Writes the results of a cell simulation (echem::CellResult) into a folder, PyBaMM-style names:
//   timeseries.csv  "Time [s]", "Voltage [V]", "Current [A]", "Discharge capacity [A.h]",
//                   "Discharge capacity [mA.h.g-1]" (per positive active-material mass), "Step",
//                   "Cycle"
//   summary.json    per step and cycle: capacity, energy, mean voltage, IR drop, termination; the
//                   failure (step, time, reason) if any; solver statistics; provenance
//   profiles.csv    spatial profiles at the requested times
//   impedance.csv   "Frequency [Hz]", "Z_re [Ohm]", "Z_im [Ohm]"
//   gitt.csv        per pulse: stoichiometry and Weppner-Huggins diffusivity
// Rows are finite by construction (the model never records a failed state).
#pragma once

#include "cathodelab/echem/simulate.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace cathodelab::io {

struct CellRunInfo {
  std::string parameters_file;
  std::vector<std::string> experiment;
};

void write_cell_timeseries(const std::filesystem::path& file, const echem::CellResult& result);

/// timeseries.csv written row by row while the simulation runs (each row flushed as it comes,
/// through echem::SimulationOptions::on_row), so that a stopped or interrupted run keeps every
/// row it computed. The same columns and formatting as write_cell_timeseries.
class TimeseriesCsvWriter {
 public:
  /// Creates `file` with its header; `positive_active_mass` [kg] gives the specific capacity;
  /// `flush_each_row` makes every row reach the file at once (off for writing a finished result).
  TimeseriesCsvWriter(const std::filesystem::path& file, double positive_active_mass,
                      bool flush_each_row = true);
  void write(const echem::TimeseriesRow& row);

 private:
  std::ofstream out_;
  double mass_g_ = 0.0;
  bool flush_each_row_ = true;
};
void write_cell_summary(const std::filesystem::path& file, const echem::CellResult& result,
                        const CellRunInfo& info);
void write_cell_profiles(const std::filesystem::path& file, const echem::CellResult& result);
void write_cell_impedance(const std::filesystem::path& file,
                          const echem::ImpedanceSpectrum& spectrum);
void write_cell_gitt(const std::filesystem::path& file,
                     const std::vector<echem::GittPulse>& pulses);

}  // namespace cathodelab::io
