// Verification of the P2D cell model (echem::simulate, echem::impedance).
//
// Derivations of the reference answers:
// 1. Rest: with I = 0 every flux vanishes, so phi_e is uniform (0 at a lithium-metal anode, whose
//    OCP is 0) and phi_s - phi_e = U(x0) in every volume: V = U_pos(x0) - U_neg(x0) exactly.
// 2. Conservation: the finite-volume fluxes telescope, so d/dt (Li in particles) = sum a j_F / F
//    and the applied charge Q = int I dt enters the particles exactly (no double layer), while the
//    electrolyte inventory is unchanged (Li+ produced at the anode = Li+ consumed in the cathode).
// 3. Capacity: at C/100 the particles stay nearly uniform, so the discharge that ends when the
//    surface reaches x_end delivers F eps f_util L A c_max (x_end - x0) to within O(rate).
// 4. Constant-flux sphere (Crank, The Mathematics of Diffusion, 2nd ed., eq. 6.44 adapted to a
//    flux N into the sphere): c(R,t) - c0 = (N R / D) [3 tau + 1/5 - 2 sum_n exp(-l_n^2
//    tau)/l_n^2], tau = D t / R^2, tan l_n = l_n. A single cathode volume with large conductivities
//    makes the particle flux uniform, N = I / (F a L).
// 5. Binary electrolyte, steady separator: all current is carried by Li+ (anions blocked), so
//    N_+ = -D dc/dx + t+ i/F = i/F  =>  dc/dx = -(1 - t+) i / (F D_eff), linear in x, which the
//    finite-volume scheme reproduces exactly.
// 6. Impedance: at high frequency the double layers short the interfaces, so Z -> R_sep + the
//    parallel-rail resistance of the porous electrode L/(kappa_eff + sigma_eff) (per area); at low
//    frequency the particles act as a capacitor C_int = F eps L A c_max / |dU/dx|, so
//    -Im Z -> 1/(w C_int).
// 7. Spatial convergence: volumes of equal width with cell-centred two-point fluxes are second
//    order; the observed order from three meshes (N, 2N, 4N) must be close to 2.
// 8. Double layers: at rest no current flows, so the double-layer potentials equal the OCPs and V
//    is the OCV whatever C_dl. Under a constant current the double layer carries current only
//    while its potential moves: C_dl d(dphi)/dt, with dphi following U(x_surf) at |dU/dt| ~ 1e-4
//    V/s, i.e. ~2e-5 A/m^2 of ~1 A/m^2 for C_dl = 0.2 F/m^2, plus the charge C_dl a L dV stored
//    at the start. Both are below 1e-4 of the discharge, so capacity and voltage curve must agree
//    with the cell without double layers to well within 1e-3 relative and a few mV.
#include "cathodelab/echem/simulate.hpp"
#include "cathodelab/io/cell_parameters_reader.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numbers>

namespace cathodelab::echem {
namespace {

double nmc_ocp(double x) {
  return -0.809 * x + 4.4875 - 0.0428 * std::tanh(18.5138 * (x - 0.5542)) -
         17.7326 * std::tanh(15.789 * (x - 0.3117)) + 17.5842 * std::tanh(15.9308 * (x - 0.312));
}

CellParameters half_cell(ElectrolyteModel model = ElectrolyteModel::single_ion) {
  CellParameters p;
  p.area = 1e-4;
  p.separator.thickness = 50e-6;
  p.separator.porosity = 1.0;
  p.separator.ionic_transport_factor = 1.0;
  p.electrolyte.model = model;
  p.electrolyte.conductivity = 0.2;
  p.electrolyte.diffusivity = 1e-10;
  p.electrolyte.transference_number = 0.3;
  p.electrolyte.initial_concentration = 1000;
  p.lithium.exchange_current_density = 50;
  p.positive.thickness = 60e-6;
  p.positive.porosity = 0.4;
  p.positive.ionic_transport_factor = std::pow(0.4, 1.5);
  p.positive.particles = {ParticleClass{2.5e-6, 0.6}};
  p.positive.material.max_concentration = 51765;
  p.positive.material.open_circuit_potential = Function1(nmc_ocp, "NMC811 Chen2020");
  p.positive.material.diffusivity = 1e-14;
  p.positive.material.exchange_current_coefficient = 3e-6;
  p.positive.initial_stoichiometry = 0.3;
  p.positive.electronic_conductivity = 1.0;
  p.lower_voltage_limit = 2.0;
  p.upper_voltage_limit = 4.6;
  p.nominal_capacity = 3.4e-3;
  return p;
}

TEST(EchemP2d, RestKeepsTheOpenCircuitVoltage) {
  for (auto model : {ElectrolyteModel::single_ion, ElectrolyteModel::binary}) {
    const auto p = half_cell(model);
    const auto r = simulate(p, parse_experiment("Rest for 1 hour"));
    ASSERT_FALSE(r.failure) << r.failure->reason;
    for (double v : r.timeseries.voltage) EXPECT_NEAR(v, nmc_ocp(0.3), 1e-9);
  }
}

TEST(EchemP2d, ChargeAndLithiumAreConserved) {
  auto p = half_cell(ElectrolyteModel::binary);
  SimulationOptions o;
  o.record_inventory = true;
  const auto r = simulate(
      p, parse_experiment("Discharge at 1C for 1000 s; Rest for 600 s; Charge at 2C for 300 s"), o);
  ASSERT_FALSE(r.failure) << r.failure->reason;
  const auto& ts = r.timeseries;
  const double li0 = ts.lithium_particles.front();
  const double le0 = ts.lithium_electrolyte.front();
  for (std::size_t i = 0; i < ts.time.size(); ++i) {
    const double passed = ts.discharge_capacity[i] * 3600.0 / faraday_constant;  // [mol]
    EXPECT_NEAR(ts.lithium_particles[i] - li0, passed, 1e-9 * li0) << "row " << i;
    EXPECT_NEAR(ts.lithium_electrolyte[i], le0, 1e-9 * le0) << "row " << i;
  }
  // Q is the integral of I: 1C for 1000 s minus 2C for 300 s.
  EXPECT_NEAR(ts.discharge_capacity.back(), p.nominal_capacity * (1000.0 - 600.0) / 3600.0, 1e-9);
}

TEST(EchemP2d, SlowDischargeDeliversTheUtilizableCapacity) {
  auto p = half_cell();
  p.positive.utilizable_fraction = 0.8;
  const auto r = simulate(p, parse_experiment("Discharge at C/100 until 2.0 V"));
  ASSERT_FALSE(r.failure) << r.failure->reason;
  ASSERT_EQ(r.steps.size(), 1U);
  EXPECT_NE(r.steps[0].termination.find("filled"), std::string::npos);
  const double x_end = 1.0 - 1e-3;  // the model's surface guard
  const double theory =
      faraday_constant * 0.6 * 0.8 * 60e-6 * 1e-4 * 51765 * (x_end - 0.3) / 3600.0;
  EXPECT_NEAR(r.steps[0].capacity / theory, 1.0, 2e-3);
}

double constant_flux_surface(double c0, double flux_in, double radius, double d, double t) {
  const double tau = d * t / (radius * radius);
  double sum = 0.0;
  // Roots of tan(l) = l: l_n in (n pi, n pi + pi/2), found by Newton from just below the asymptote.
  for (int n = 1; n <= 200; ++n) {
    double l = (n + 0.5) * std::numbers::pi - 1e-3;
    for (int it = 0; it < 50; ++it) {
      const double f = std::tan(l) - l;
      const double df = 1.0 / (std::cos(l) * std::cos(l)) - 1.0;
      l -= f / df;
    }
    sum += std::exp(-l * l * tau) / (l * l);
  }
  return c0 + flux_in * radius / d * (3.0 * tau + 0.2 - 2.0 * sum);
}

double particle_error(int volumes) {
  auto p = half_cell();
  p.electrolyte.conductivity = 1e4;
  p.positive.electronic_conductivity = 1e6;
  p.positive.material.open_circuit_potential =
      Function1([](double x) { return 4.0 - 0.5 * x; }, "linear");
  p.positive.material.exchange_current_coefficient = 1e-2;
  const double t = 200.0;
  SimulationOptions o;
  o.mesh = {.separator = 1, .positive = 1, .particle = volumes};
  o.relative_tolerance = 1e-10;
  o.absolute_tolerance = 1e-12;
  o.profile_times = {t};
  const auto r = simulate(p, parse_experiment("Discharge at 1C for 300 s"), o);
  EXPECT_FALSE(r.failure);
  EXPECT_EQ(r.profiles.size(), 1U);
  const double c_max = 51765;
  const double radius = 2.5e-6;
  const double a = 3.0 * 0.6 / radius;
  const double flux = p.nominal_capacity / p.area / (faraday_constant * a * 60e-6);
  const double exact = constant_flux_surface(0.3 * c_max, flux, radius, 1e-14, t);
  // Surface stoichiometry of the cathode volume (the last profile entry).
  return r.profiles[0].surface_stoichiometry.back() * c_max - exact;
}

TEST(EchemP2d, ParticleDiffusionMatchesTheSeriesSolutionAtSecondOrder) {
  const double e10 = particle_error(10);
  const double e20 = particle_error(20);
  const double e40 = particle_error(40);
  EXPECT_LT(std::abs(e40), 1e-3 * 0.3 * 51765);
  const double order = std::log2(std::abs(e10) / std::abs(e20));
  const double order2 = std::log2(std::abs(e20) / std::abs(e40));
  EXPECT_GT(order, 1.8) << e10 << " " << e20 << " " << e40;
  EXPECT_GT(order2, 1.8) << e10 << " " << e20 << " " << e40;
}

TEST(EchemP2d, BinaryElectrolyteSeparatorGradientMatchesSteadyState) {
  auto p = half_cell(ElectrolyteModel::binary);
  p.electrolyte.diffusivity = 1e-9;
  p.separator.thickness = 20e-6;
  p.positive.thickness = 20e-6;
  SimulationOptions o;
  o.profile_times = {400.0};
  o.relative_tolerance = 1e-9;
  o.absolute_tolerance = 1e-11;
  const auto r = simulate(p, parse_experiment("Discharge at 1C for 450 s"), o);
  ASSERT_FALSE(r.failure) << r.failure->reason;
  ASSERT_EQ(r.profiles.size(), 1U);
  const auto& pr = r.profiles[0];
  const double i = p.nominal_capacity / p.area;
  const double expected = -(1.0 - 0.3) * i / (faraday_constant * 1e-9);
  for (int k = 1; k < 9; ++k) {  // interior separator volumes
    const double slope = (pr.electrolyte_concentration[k + 1] - pr.electrolyte_concentration[k]) /
                         (pr.x[k + 1] - pr.x[k]);
    EXPECT_NEAR(slope / expected, 1.0, 1e-5) << k;
  }
}

TEST(EchemP2d, ImpedanceLimitsMatchOhmicResistanceAndIntercalationCapacitance) {
  auto p = half_cell();
  p.positive.double_layer_capacitance = 0.1;
  p.lithium.double_layer_capacitance = 0.1;
  const auto z = impedance(p, {.mesh = {.separator = 10, .positive = 40, .particle = 20},
                               .min_frequency = 1e-6,
                               .max_frequency = 1e9,
                               .frequencies = 31});
  // Discrete form of the rail resistance: the half volume next to the separator carries the current
  // in the electrolyte only, the half volume at the collector in the solid only.
  const double kappa_eff = 0.2 * std::pow(0.4, 1.5);
  const double h = 60e-6 / 40;
  const double r_discrete =
      (50e-6 / 0.2 + 0.5 * h / kappa_eff + 39 * h / (kappa_eff + 1.0) + 0.5 * h / 1.0) / p.area;
  EXPECT_NEAR(z.real.front() / r_discrete, 1.0, 1e-3);
  const double r_continuum = (50e-6 / 0.2 + 60e-6 / (kappa_eff + 1.0)) / p.area;
  EXPECT_NEAR(z.real.front() / r_continuum, 1.0, 0.05);
  const double dx = 1e-6;
  const double du = (nmc_ocp(0.3 + dx) - nmc_ocp(0.3 - dx)) / (2 * dx);
  const double c_int = faraday_constant * 0.6 * 60e-6 * p.area * 51765 / std::abs(du);
  const double w = 2 * std::numbers::pi * z.frequency.back();
  EXPECT_NEAR(-z.imaginary.back() * w * c_int, 1.0, 0.02);
}

double voltage_after(int volumes_separator, int volumes_positive) {
  auto p = half_cell(ElectrolyteModel::binary);
  SimulationOptions o;
  o.mesh = {.separator = volumes_separator, .positive = volumes_positive, .particle = 10};
  o.relative_tolerance = 1e-8;
  o.absolute_tolerance = 1e-9;
  const auto r = simulate(p, parse_experiment("Discharge at 2C for 300 s"), o);
  EXPECT_FALSE(r.failure);
  return r.steps.back().end_voltage;
}

TEST(EchemP2d, ThroughThicknessDiscretizationIsSecondOrder) {
  const double v1 = voltage_after(8, 12);
  const double v2 = voltage_after(16, 24);
  const double v3 = voltage_after(32, 48);
  const double order = std::log2(std::abs(v1 - v2) / std::abs(v2 - v3));
  EXPECT_GT(order, 1.7) << v1 << " " << v2 << " " << v3;
  EXPECT_LT(order, 2.3) << v1 << " " << v2 << " " << v3;
}

// The shipped Chen2020 full cell (porous graphite negative, binary electrolyte) with PyBaMM's
// 0.2 F/m^2 double layers on both electrodes: the case whose consistent initialization failed.
CellParameters chen2020(double double_layer) {
  auto p = io::read_cell_parameters(std::filesystem::path(CATHODELAB_SOURCE_DIR) / "data" /
                                    "parameters" / "Chen2020.toml");
  p.negative.double_layer_capacitance = double_layer;
  p.positive.double_layer_capacitance = double_layer;
  return p;
}

TEST(EchemP2d, DoubleLayersOnBothPorousElectrodesInitializeAndBarelyChangeADischarge) {
  // The default mesh (20/10/30 volumes, 20 per particle): on coarser ones IDA's own consistent
  // initialization happened to converge.
  const SimulationOptions o;
  const auto e = parse_experiment("Rest for 10 minutes; Discharge at 1C until 2.5 V");
  const auto p = chen2020(0.2);
  const auto with = simulate(p, e, o);
  const auto without = simulate(chen2020(0.0), e, o);
  ASSERT_FALSE(with.failure) << with.failure->reason;
  ASSERT_FALSE(without.failure) << without.failure->reason;
  const double ocv = p.positive.material.open_circuit_potential(p.positive.initial_stoichiometry) -
                     p.negative.material.open_circuit_potential(p.negative.initial_stoichiometry);
  for (std::size_t i = 0; i < with.timeseries.time.size(); ++i) {
    if (with.timeseries.step[i] != 0) break;
    EXPECT_NEAR(with.timeseries.voltage[i], ocv, 1e-9) << "rest row " << i;
  }
  ASSERT_EQ(with.steps.size(), 2U);
  EXPECT_NEAR(with.steps[1].capacity / without.steps[1].capacity, 1.0, 1e-3);
  // Voltage at matched times during the discharge (linear interpolation of each curve).
  auto voltage_at = [](const CellResult& r, double t) {
    const auto& ts = r.timeseries;
    for (std::size_t i = 1; i < ts.time.size(); ++i) {
      if (ts.step[i] == 1 && ts.time[i] >= t && ts.time[i - 1] < t) {
        const double w = (t - ts.time[i - 1]) / (ts.time[i] - ts.time[i - 1]);
        return (1.0 - w) * ts.voltage[i - 1] + w * ts.voltage[i];
      }
    }
    return -1.0;
  };
  const double start = with.steps[1].start_time;
  for (double dt : {60.0, 600.0, 1200.0, 1800.0, 2400.0}) {
    if (start + dt > without.steps[1].start_time + without.steps[1].duration - 60.0) break;
    EXPECT_NEAR(voltage_at(with, start + dt), voltage_at(without, start + dt), 3e-3) << dt;
  }
}

TEST(EchemP2d, TimeErrorFollowsTheTolerance) {
  auto p = half_cell(ElectrolyteModel::binary);
  auto run = [&](double rtol) {
    SimulationOptions o;
    o.relative_tolerance = rtol;
    o.absolute_tolerance = rtol;
    return simulate(p, parse_experiment("Discharge at 1C for 1200 s"), o).steps.back().end_voltage;
  };
  const double reference = run(1e-11);
  const double e4 = std::abs(run(1e-4) - reference);
  const double e7 = std::abs(run(1e-7) - reference);
  EXPECT_LT(e7, 1e-5);
  EXPECT_LT(e7, e4);
}

}  // namespace
}  // namespace cathodelab::echem
