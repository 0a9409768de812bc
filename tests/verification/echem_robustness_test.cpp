// Robustness matrix of the P2D solver (echem::simulate): every shipped parameter set and a few
// homogenized NCM811 | Li6PS5Cl designs of the study path, under the requests users make every
// day, must run to a physical end of every step and never to CellResult::failure.
//
// What a pass proves, and why these cases:
// - A constant-current discharge from the charged state at 0.05C ... 10C ends at the voltage
//   cut-off or at the end of the stoichiometry window (both physical results). At 5C and 10C the
//   step start is the hard part: the kinetics must jump from rest to a large overpotential, and
//   IDACalcIC's Newton iteration from the rest state does not always reach it (three of the eight
//   quickstart designs failed at 5C). The runner then continues the applied current from the
//   previous value in stages (simulate.cpp, Runner::make_step_consistent); the particle
//   concentrations are held, so the consistent state is the same as a direct solve would give.
// - A CC-CV charge from the discharged state: the switch from current to voltage control.
// - A two-step discharge (1C, then 0.1C to the same cut-off): the second step starts from a state
//   at the end of the first, with the IR drop of the lower current above the cut-off.
// - A voltage sweep up and back (0.1 mV/s): voltage-controlled steps that end at a stoichiometry
//   window or run their full length.
// - The two-step discharge in the other order (0.1C, then 1C): the second step starts below the
//   cut-off (its IR drop is larger) or at a filled surface; either is a result (a zero-length step
//   ending at the window, or at once when the cut-off is crossed at the start), never a solver
//   failure.
// - A design whose particles offer 1 % of their geometric surface to the electrolyte (pores on the
//   particle surfaces): the interfacial current per area is 100 times larger, and C/10 discharges
//   must still start and run.
// - One OCP on both paths: the NCM811 library table (study path) tabulates the solid-state set's
//   formula (cell path); its nodes hold the formula's values to the 4 decimals written and the
//   monotone cubic stays within 5 mV between them.
// Each step's end is checked against the set of physical terminations; summaries of the capacity
// (positive, at most the capacity of the window) guard against a run that "ends" without moving.
#include "../unit/study/whole_path_fixture.hpp"
#include "cathodelab/echem/simulate.hpp"
#include "cathodelab/io/cell_parameters_reader.hpp"
#include "cathodelab/io/material_library.hpp"
#include "cathodelab/study/design_calculator.hpp"
#include "cathodelab/study/homogenize.hpp"
#include "cathodelab/study/stage.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cathodelab::echem {
namespace {

const std::filesystem::path source_dir(CATHODELAB_SOURCE_DIR);

struct NamedCell {
  std::string name;
  CellParameters parameters;
};

std::vector<NamedCell> shipped_sets() {
  std::vector<NamedCell> cells;
  for (const char* file : {"Chen2020.toml", "Marquis2019.toml", "NCM811_Li6PS5Cl_Li.toml",
                           "LFP_PEO-LiTFSI_Li.toml", "bpx/nmc_graphite_example.json"}) {
    cells.push_back({file, io::read_cell_parameters(source_dir / "data" / "parameters" / file)});
  }
  return cells;
}

/// A quickstart-like design (fixture: NCM811 with LiNbO3, Li6PS5Cl, 3 wt% VGCF, Li metal) with the
/// shipped NCM811 library record (its OCP table and diffusivity), homogenized by the study path.
CellParameters homogenized_design(double ncm_mass_fraction, double porosity,
                                  double active_area_fraction) {
  study::Design design = study::fixture::test_design();
  auto table = std::make_shared<study::MaterialTable>(*design.materials);
  auto record = std::make_shared<materials::Material>(
      io::load_material_file(source_dir / "data" / "materials" / "cathode_active" / "NCM811.toml"));
  table->at("NCM811").record = record;
  design.materials = table;
  auto& components = design.cell.cathode.components;
  components[0].fraction = ncm_mass_fraction;
  components[1].fraction = 0.97 - ncm_mass_fraction;
  design.cell.cathode.porosity = porosity;
  const study::CalculatorResult calculation =
      study::calculate_design(study::calculator_input(design));
  std::optional<study::EffectiveCathodeProperties> effective;
  study::HomogenizationInput bruggeman =
      study::homogenization_input(design, calculation, std::nullopt);
  if (active_area_fraction < 1.0) {
    study::EffectiveCathodeProperties e;
    e.ionic_conductivity = study::bruggeman_conductivity(bruggeman.phases, true);
    e.electronic_conductivity = study::bruggeman_conductivity(bruggeman.phases, false);
    e.active_area = active_area_fraction * 3.0 * bruggeman.active_volume_fraction /
                    bruggeman.active_particle_radius;
    e.utilizable_fraction = 1.0;
    e.source = "test: pores on the particle surfaces";
    effective = e;
  }
  return study::homogenize(study::homogenization_input(design, calculation, effective)).parameters;
}

std::vector<NamedCell> designs() {
  return {{"design NCM811 55 wt%", homogenized_design(0.55, 0.10, 1.0)},
          {"design NCM811 75 wt%", homogenized_design(0.75, 0.10, 1.0)},
          {"design NCM811 90 wt%", homogenized_design(0.90, 0.10, 1.0)},
          {"design porosity 0.2, 1 % active area", homogenized_design(0.75, 0.20, 0.01)}};
}

bool physical_end(const std::string& termination) {
  for (const char* ok : {"time", "lower voltage cut-off", "upper voltage cut-off",
                         "current cut-off", "particle surface emptied (stoichiometry window)",
                         "particle surface filled (stoichiometry window)"}) {
    if (termination == ok || termination == std::string(ok) + " (reached at the start)") {
      return true;
    }
  }
  return false;
}

/// Runs `sentences` and checks that no step failed and each ended physically.
CellResult expect_runs(const NamedCell& cell, const std::string& sentences) {
  SimulationOptions options;
  options.record_every_step = false;
  const CellResult r = simulate(cell.parameters, parse_experiment(sentences), options);
  EXPECT_FALSE(r.failure) << cell.name << ": \"" << sentences << "\" failed in step "
                          << r.failure->step << " at t = " << r.failure->time
                          << " s: " << r.failure->reason;
  for (const auto& s : r.steps) {
    EXPECT_TRUE(physical_end(s.termination))
        << cell.name << ": \"" << s.text << "\" ended by " << s.termination;
  }
  return r;
}

std::string volts(double v) {
  return fmt::format("{:.3f} V", v);
}

/// The cut-offs each cell is driven between: its own safety limits, the upper one with 50 mV of
/// room so that a hold or sweep at it does not start on the safety event.
struct Window {
  double low = 0.0, high = 0.0;
};
Window window_of(const CellParameters& p) {
  return {p.lower_voltage_limit, p.upper_voltage_limit - 0.05};
}

void run_matrix(const NamedCell& cell) {
  const Window w = window_of(cell.parameters);
  const double window_capacity = cell.parameters.nominal_capacity * 2.0;  // generous bound
  for (double rate : {0.05, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0}) {
    const CellResult r =
        expect_runs(cell, fmt::format("Discharge at {}C until {}", rate, volts(w.low)));
    ASSERT_FALSE(r.steps.empty()) << cell.name << " " << rate << "C";
    EXPECT_LT(r.steps[0].capacity, window_capacity) << cell.name << " " << rate << "C";
    if (rate <= 1.0) {
      EXPECT_GT(r.steps[0].capacity, 0.0) << cell.name << " " << rate << "C delivered nothing";
    }
  }
  expect_runs(cell, fmt::format("Discharge at 1C until {0}; Charge at 1C until {1}; Hold at {1} "
                                "until C/50",
                                volts(w.low), volts(w.high)));
  const CellResult two = expect_runs(
      cell, fmt::format("Discharge at 1C until {0}; Discharge at 0.1C until {0}", volts(w.low)));
  ASSERT_EQ(two.steps.size(), 2U) << cell.name;
  // A voltammetry cycle from the charged state: down to the lower cut-off and back up.
  const double v0 = open_circuit_voltage(cell.parameters);
  expect_runs(cell, fmt::format("Sweep from {0} to {1} at 0.1 mV/s; Sweep from {1} to {2} at 0.1 "
                                "mV/s",
                                volts(v0), volts(w.low), volts(w.high)));
}

TEST(EchemRobustness, EveryShippedSetRunsTheMatrix) {
  for (const auto& cell : shipped_sets()) {
    SCOPED_TRACE(cell.name);
    run_matrix(cell);
  }
}

TEST(EchemRobustness, HomogenizedDesignsRunTheMatrix) {
  for (const auto& cell : designs()) {
    SCOPED_TRACE(cell.name);
    run_matrix(cell);
  }
}

TEST(EchemRobustness, SolidStateHalfCellSweepsTo4p3VAndBack) {
  // The request as users write it: sweeps between 3.0 and 4.3 V right after a discharge to
  // 3.0 V, and the same sweeps started from the charged state at 4.27 V (the first sweep then
  // starts 1.27 V below the open-circuit voltage: its surfaces fill within moments and the step
  // ends having passed almost no charge).
  const NamedCell cell{
      "NCM811_Li6PS5Cl_Li.toml",
      io::read_cell_parameters(source_dir / "data" / "parameters" / "NCM811_Li6PS5Cl_Li.toml")};
  const std::string sweeps =
      "Sweep from 3.0 V to 4.3 V at 0.1 mV/s; Sweep from 4.3 V to 3.0 V at 0.1 mV/s";
  const CellResult after_discharge = expect_runs(cell, "Discharge at 0.1C until 3.0 V; " + sweeps);
  ASSERT_EQ(after_discharge.steps.size(), 3U);
  // Both sweeps move charge: most of the window each way.
  EXPECT_GT(after_discharge.steps[1].capacity, 0.5 * cell.parameters.nominal_capacity);
  EXPECT_GT(after_discharge.steps[2].capacity, 0.5 * cell.parameters.nominal_capacity);
  const CellResult charged = expect_runs(cell, sweeps);
  ASSERT_EQ(charged.steps.size(), 2U);
  EXPECT_LT(charged.steps[0].capacity, 0.01 * cell.parameters.nominal_capacity);
  EXPECT_GT(charged.steps[1].capacity, 0.5 * cell.parameters.nominal_capacity);
}

TEST(EchemRobustness, LibraryNcm811OcpIsTheSolidStateSetsOcp) {
  // The study path reads the NCM811 OCP from the library table, `cathodelab cell` from the
  // parameter set's formula: the table's nodes must be the formula's values (4 decimals written),
  // and the monotone cubic between them within 5 mV of it, so that both paths see one OCP. The
  // table reaches x = 1 like the set's window, with nodes 0.0025-0.01 apart on the steep end
  // (-1.5 V exp(100 (x - 1)) falls 1 V between x = 0.99 and 1), so that a discharge on either
  // path ends at the same 2.5 V cut-off.
  const auto set =
      io::read_cell_parameters(source_dir / "data" / "parameters" / "NCM811_Li6PS5Cl_Li.toml");
  const materials::Material ncm =
      io::load_material_file(source_dir / "data" / "materials" / "cathode_active" / "NCM811.toml");
  const auto& formula = set.positive.material.open_circuit_potential;
  EXPECT_DOUBLE_EQ(ncm.open_circuit_potential->model.x_max(),
                   set.positive.material.max_stoichiometry);
  // One c_max and one density: a stoichiometry then means the same charge per gram on both paths.
  EXPECT_DOUBLE_EQ(ncm.value("max_concentration"), set.positive.material.max_concentration);
  EXPECT_NEAR(ncm.value("density"), set.positive.material.density, 1e-9);
  std::vector<double> nodes;
  for (int i = 0; i <= 14; ++i) nodes.push_back(std::min(0.25 + 0.05 * i, 0.95));
  for (const double x : {0.96, 0.97, 0.975, 0.98, 0.985, 0.99, 0.9925, 0.995, 0.9975, 1.0}) {
    nodes.push_back(x);
  }
  for (const double x : nodes) {
    EXPECT_NEAR(ncm.value("open_circuit_potential", {.stoichiometry = x}), formula(x), 6e-5) << x;
  }
  for (int i = 0; i <= 3000; ++i) {
    const double x = std::min(0.25 + 0.00025 * i, 1.0);
    EXPECT_NEAR(ncm.value("open_circuit_potential", {.stoichiometry = x}), formula(x), 5e-3) << x;
  }
}

TEST(EchemRobustness, HigherRateAfterASlowDischargeIsAResultNotASolverFailure) {
  for (const auto& cell : shipped_sets()) {
    SCOPED_TRACE(cell.name);
    const Window w = window_of(cell.parameters);
    SimulationOptions options;
    options.record_every_step = false;
    const CellResult r =
        simulate(cell.parameters,
                 parse_experiment(fmt::format(
                     "Discharge at 0.1C until {0}; Discharge at 1C until {0}", volts(w.low))),
                 options);
    ASSERT_GE(r.steps.size(), 1U);
    EXPECT_TRUE(physical_end(r.steps[0].termination)) << r.steps[0].termination;
    // The 1C step may find its cut-off crossed at once (the IR drop): it then ends there with no
    // charge, which is a result; it never fails.
    ASSERT_FALSE(r.failure) << r.failure->reason;
    ASSERT_EQ(r.steps.size(), 2U);
    EXPECT_TRUE(physical_end(r.steps[1].termination)) << r.steps[1].termination;
    if (r.steps[1].ended_at_start) {
      EXPECT_EQ(r.steps[1].capacity, 0.0);
    }
  }
}

}  // namespace
}  // namespace cathodelab::echem
