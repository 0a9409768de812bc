// Speed of the P2D cell model against the targets of issue 4: a 1C discharge of the solid-state
// half cell (30 volumes in the cathode, 10 in the separator, 20 per particle) in at most 10 ms,
// 1000 CC-CV cycles in at most 30 s, and a 60-frequency impedance spectrum in at most 50 ms.
// discharge_1c args: double layers (0/1; 1 = the shipped set), rtol (0: 1e-6, 1: 1e-4), rows (0:
// one per solver step, 1: step ends only). Figures: docs/benchmarks.md.
#include "cathodelab/echem/simulate.hpp"

#include <benchmark/benchmark.h>

#include <cmath>

namespace {

using namespace cathodelab::echem;

// The NCM811 | Li6PS5Cl | Li set of data/parameters/NCM811_Li6PS5Cl_Li.toml, built in code.
CellParameters solid_state_half_cell(bool double_layers) {
  CellParameters p;
  p.area = 1e-4;
  p.nominal_capacity = 3.42e-3;
  p.lower_voltage_limit = 2.5;
  p.upper_voltage_limit = 4.4;
  p.electrolyte.model = ElectrolyteModel::single_ion;
  p.electrolyte.initial_concentration = 18240;
  p.electrolyte.conductivity = 0.2;
  p.lithium.exchange_current_density = 50;
  p.lithium.double_layer_capacitance = double_layers ? 0.1 : 0.0;
  p.separator.thickness = 100e-6;
  p.separator.porosity = 1.0;
  p.separator.ionic_transport_factor = 1.0;
  auto& c = p.positive;
  c.thickness = 60e-6;
  c.porosity = 0.4;
  c.particles = {ParticleClass{2.5e-6, 0.6}};
  c.ionic_transport_factor = std::pow(0.4, 1.5);
  c.electronic_conductivity = 1.0;
  c.film_resistance = 5e-6;
  c.double_layer_capacitance = double_layers ? 0.1 : 0.0;
  c.initial_stoichiometry = 0.27;
  auto& m = c.material;
  m.max_concentration = 51765;
  m.open_circuit_potential = Function1(
      [](double x) {
        return -0.809 * x + 4.4875 - 0.0428 * std::tanh(18.5138 * (x - 0.5542)) -
               17.7326 * std::tanh(15.789 * (x - 0.3117)) +
               17.5842 * std::tanh(15.9308 * (x - 0.312));
      },
      "NMC811 Chen2020");
  m.diffusivity = Function2(
      [](double x, double t) {
        return 2.7 *
               std::pow(10.0, -13.96 - 0.9231 * std::exp(-(x - 0.3216) * (x - 0.3216) / 0.002534) -
                                  0.4066 * std::exp(-(x - 0.4532) * (x - 0.4532) / 0.003926) -
                                  0.993 * std::exp(-(x - 0.8098) * (x - 0.8098) / 0.09924)) *
               std::exp(1449.0 * (1.0 / 298.15 - 1.0 / t));
      },
      "ORegan2022");
  const double half = 0.5 * m.max_concentration;
  m.exchange_current_coefficient = 1.0 / (std::sqrt(18240.0) * half);
  m.min_stoichiometry = 0.2;
  m.density = 4750;
  return p;
}

SimulationOptions bench_options(double rtol) {
  SimulationOptions o;
  o.mesh = {.separator = 10, .positive = 30, .particle = 20};
  o.relative_tolerance = rtol;
  return o;
}

void discharge_1c(benchmark::State& state) {
  const auto p = solid_state_half_cell(state.range(0) != 0);
  const double rtol = state.range(1) == 0 ? 1e-6 : 1e-4;
  const auto e = parse_experiment("Discharge at 1C until 3.0 V");
  auto options = bench_options(rtol);
  options.record_every_step = state.range(2) == 0;
  int steps = 0;
  for (auto _ : state) {
    const auto r = simulate(p, e, options);
    steps = r.solver.iterations;
    benchmark::DoNotOptimize(r.steps.back().capacity);
    state.SetLabel(r.solver.message);
  }
  state.counters["solver_steps"] = steps;
}
BENCHMARK(discharge_1c)
    ->Args({0, 0, 0})
    ->Args({0, 1, 0})
    ->Args({0, 0, 1})
    ->Args({1, 0, 0})
    ->Args({1, 1, 0})
    ->Unit(benchmark::kMillisecond);

// CC-CV cycling (1C discharge to 3.0 V, 1C charge to 4.2 V, hold until C/20) at rtol 1e-4, rows
// only at step ends. Args: cycles (10, or 1000 = the target of issue 4), double layers (0/1).
void cccv_cycles(benchmark::State& state) {
  const auto p = solid_state_half_cell(state.range(1) != 0);
  const auto e = parse_experiment(
      "(Discharge at 1C until 3.0 V; Charge at 1C until 4.2 V; Hold at 4.2 V until C/20) x " +
      std::to_string(state.range(0)));
  auto o = bench_options(1e-4);
  o.record_every_step = false;
  for (auto _ : state) {
    const auto r = simulate(p, e, o);
    benchmark::DoNotOptimize(r.cycles.size());
    state.counters["solver_steps"] = static_cast<double>(r.solver.iterations);
    state.counters["cycles_completed"] = static_cast<double>(r.cycles.size());
    state.counters["failed"] = r.failure ? 1.0 : 0.0;
  }
}
BENCHMARK(cccv_cycles)->Args({10, 0})->Args({10, 1})->Unit(benchmark::kMillisecond);
BENCHMARK(cccv_cycles)->Args({1000, 0})->Iterations(1)->Unit(benchmark::kMillisecond);

void impedance_60(benchmark::State& state) {
  const auto p = solid_state_half_cell(true);
  for (auto _ : state) {
    const auto z = impedance(
        p, {.mesh = {.separator = 10, .positive = 30, .particle = 20}, .frequencies = 60});
    benchmark::DoNotOptimize(z.real.back());
  }
}
BENCHMARK(impedance_60)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
