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
#include <string>
#include <vector>

namespace cathodelab::io {

struct CellRunInfo {
  std::string parameters_file;
  std::vector<std::string> experiment;
};

void write_cell_timeseries(const std::filesystem::path& file, const echem::CellResult& result);
void write_cell_summary(const std::filesystem::path& file, const echem::CellResult& result,
                        const CellRunInfo& info);
void write_cell_profiles(const std::filesystem::path& file, const echem::CellResult& result);
void write_cell_impedance(const std::filesystem::path& file,
                          const echem::ImpedanceSpectrum& spectrum);
void write_cell_gitt(const std::filesystem::path& file,
                     const std::vector<echem::GittPulse>& pulses);

}  // namespace cathodelab::io
