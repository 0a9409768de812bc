// Verification of the GITT analysis (echem::gitt): the Weppner-Huggins diffusion coefficient
// extracted per pulse, against the particle diffusivity the model was given.
//
// Derivation of the reference answer. Weppner and Huggins (J. Electrochem. Soc. 124 (1977) 1569)
// assume semi-infinite planar diffusion during a short constant-current pulse of length tau: the
// surface concentration rises as 2 N sqrt(t / (pi D)) (N the flux per area), the relaxed
// concentration by N tau S / V, and with a locally linear OCP the voltage changes are in the same
// ratio, so D = 4/(pi tau) (V/S)^2 (dE_s/dE_t)^2, V/S = R/3 for a sphere.
// A sphere is not a half-space. Its exact constant-flux surface response (Crank, The Mathematics of
// Diffusion, 2nd ed., eq. 6.44, flux N into a sphere initially uniform) is
//     c(R, t) - c0 = (N R / D) s(theta),  s = 3 theta + 1/5 - 2 sum_n exp(-l_n^2 theta) / l_n^2,
// theta = D tau / R^2, tan l_n = l_n, and the relaxed rise is 3 N tau / R. With a linear OCP the
// Weppner-Huggins value is therefore exactly
//     D_WH / D = 4 theta / (pi s(theta)^2) = 1 - sqrt(pi theta) + O(theta)   (bias(theta) below),
// a bias from the sphere's curvature that vanishes only for tau << R^2/D.
// The discrete model adds one term: its surface concentration is extrapolated from the outer
// volume with the known flux, c_surf = c_outer + N dr / (2 D), so at the pulse start (t = 0+) the
// surface already jumps by N dr / (2 D) while the exact surface has not moved. An end-point dE_t
// (E(tau) - E(0+)) is short by that jump and D_WH too large by (s / (s - dr / (2 R)))^2 (first
// order in dr: 1.15 at theta = 1e-3 with 200 radial volumes; 3.1 with the default 20 for
// R = 5 um, D = 1e-15 m^2/s, tau = 60 s); with double layers it also holds the whole kinetic
// overpotential. echem::gitt therefore reads dE_t as Weppner and Huggins plot it: the
// least-squares slope of E against sqrt(t - t_start) over 0.1 tau..tau, times sqrt(tau), which is
// blind to every jump at the pulse start. Its exact expectation is the same reading applied to the
// exact sphere response s(D t / R^2) at the same times (`expected_ratio` below; 1 - sqrt(pi theta)
// to leading order like the end-point form).
//
// The tests (particle flux made uniform: thin electrode, high conductivities; kinetic overpotential
// nearly constant: i0 ~ 16 x the pulse's reaction current density):
// 1. Constant D, linear OCP: echem::gitt's D_WH / D equals the sqrt(t) reading of the exact
//    sphere response to 1.5 % at two pulse lengths (theta 1e-3, 4e-3; what is left is the radial
//    discretization of the thin surface layer, 200 volumes per radius), and lies within
//    sqrt(pi theta) + 3 % of D. The end-point reading of the same rows is off by the discrete
//    jump (printed, asserted > 10 % at theta = 1e-3) so the test fails on the old reading.
// 2. D = 1e-14 exp(5 (x - 0.65)) m^2/s (4.5-fold over x = 0.6..0.9) on the NMC811 OCP where it is
//    linear (x >= 0.7): echem::gitt divided by its expectation at D(x_mid) is within 8 %.
//    What is left is that a pulse samples D over its surface excursion (about 0.015 in x at
//    x = 0.7, where D changes by exp(5 x 0.015) = 8 %), not at the mean stoichiometry.
// 3. Where the OCP curves across the surface excursion (x = 0.33: the secant slopes seen by dE_s
//    and dE_t differ by > 100 %), Weppner-Huggins is wrong by far more than its bias: asserted,
//    so the limit is on record (docs/theory/p2d_verification.md).
// 4. With double layers (both interfaces), echem::gitt still equals its exact sphere expectation
//    to 1.5 %: the sqrt(t) reading is blind to how the interfaces switch on (the end-point
//    reading gives D_WH/D = 0.41 where 0.93 is exact; asserted < 0.6).
// 5. Validity: theta = D_WH tau / R^2 is reported per pulse; the default 600 s pulse on R = 5 um,
//    D = 1e-14 m^2/s (theta = 0.24 in D, 0.36 x 0.24 in D_WH) carries the "pulse too long"
//    warning, short pulses none; with too few rows the end-point fallback is used and said.
// Pulse bookkeeping: the reported stoichiometry after each pulse is x0 + charge / capacity.
#include "cathodelab/echem/simulate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

namespace cathodelab::echem {
namespace {

/// Roots of tan(l) = l, l_n in (n pi, n pi + pi/2), by Newton from just below the asymptote.
const std::vector<double>& sphere_roots() {
  static const std::vector<double> roots = [] {
    std::vector<double> l(4000);
    for (std::size_t n = 0; n < l.size(); ++n) {
      double x = (static_cast<double>(n) + 1.5) * std::numbers::pi - 1e-3;
      for (int it = 0; it < 60; ++it) {
        const double f = std::tan(x) - x;
        const double df = 1.0 / (std::cos(x) * std::cos(x)) - 1.0;
        x -= f / df;
      }
      l[n] = x;
    }
    return l;
  }();
  return roots;
}

/// s(theta) of the constant-flux sphere (header comment); the 4000 terms are converged for
/// theta > 1e-7.
double sphere_surface_rise(double theta) {
  double sum = 0.0;
  for (double l : sphere_roots()) sum += std::exp(-l * l * theta) / (l * l);
  return 3.0 * theta + 0.2 - 2.0 * sum;
}

/// Exact Weppner-Huggins bias D_WH / D for a sphere with a linear OCP.
double weppner_huggins_bias(double theta) {
  const double s = sphere_surface_rise(theta);
  return 4.0 * theta / (std::numbers::pi * s * s);
}

constexpr double radius = 10e-6;  ///< [m]
constexpr double c_max = 50000;   ///< [mol/m^3]

/// Slope of a least-squares line E = a + b sqrt(t - t0) through the points with t - t0 in
/// [0.1 tau, tau], times sqrt(tau): the transient change of the pulse read as Weppner and Huggins
/// plot it, free of any jump at the pulse start (ohmic, kinetic, or the discrete surface jump).
double sqrt_time_change(const std::vector<double>& t, const std::vector<double>& e, double t0,
                        double tau) {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double dt = t[i] - t0;
    if (dt < 0.1 * tau - 1e-9 || dt > tau + 1e-9) continue;
    const double x = std::sqrt(dt);
    n += 1;
    sx += x;
    sy += e[i];
    sxx += x * x;
    sxy += x * e[i];
  }
  const double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return b * std::sqrt(tau);
}

/// One pulse of a GITT run: its rows and the Weppner-Huggins D from the sqrt(t) slope, and the
/// same reading applied to the exact sphere response at the same times (the expected D / D_true).
struct SqrtTimeReading {
  double diffusivity = 0.0;  ///< [m^2/s]
  double expected_ratio = 0.0;
  double end_point_diffusivity = 0.0;  ///< [m^2/s] with dE_t = E(tau) - E(0+) (the old reading)
};

SqrtTimeReading read_pulse(const GittResult& g, const GittPulse& pulse, double tau, double d) {
  const auto& ts = g.cell.timeseries;
  const int step = 2 * pulse.pulse;
  std::vector<double> t, e, s;
  double t0 = -1.0;
  for (std::size_t i = 0; i < ts.time.size(); ++i) {
    if (ts.step[i] != step) continue;
    if (t0 < 0.0) t0 = ts.time[i];
    t.push_back(ts.time[i]);
    e.push_back(ts.voltage[i]);
    const double theta = d * (ts.time[i] - t0) / (radius * radius);
    s.push_back(ts.time[i] - t0 >= 0.1 * tau - 1e-9 ? sphere_surface_rise(theta) : 0.0);
  }
  const double de_t = sqrt_time_change(t, e, t0, tau);
  const double ratio = pulse.delta_steady_voltage / de_t;
  SqrtTimeReading r;
  r.diffusivity = 4.0 / (std::numbers::pi * tau) * std::pow(radius / 3.0, 2) * ratio * ratio;
  const double end_ratio = pulse.delta_steady_voltage / (e.back() - e.front());
  r.end_point_diffusivity =
      4.0 / (std::numbers::pi * tau) * std::pow(radius / 3.0, 2) * end_ratio * end_ratio;
  const double ds = sqrt_time_change(t, s, t0, tau);
  const double theta_tau = d * tau / (radius * radius);
  r.expected_ratio = 4.0 * theta_tau / (std::numbers::pi * ds * ds);
  return r;
}

double nmc_ocp(double x) {
  return -0.809 * x + 4.4875 - 0.0428 * std::tanh(18.5138 * (x - 0.5542)) -
         17.7326 * std::tanh(15.789 * (x - 0.3117)) + 17.5842 * std::tanh(15.9308 * (x - 0.312));
}

/// Li | single-ion conductor | thin cathode with one particle size, built so that the particle
/// flux is uniform (high conductivities, thin electrode) and the kinetic and ohmic overpotentials
/// are constant during a pulse (the IR part is excluded from dE_t by the analysis).
CellParameters gitt_half_cell() {
  CellParameters p;
  p.area = 1e-4;
  p.separator.thickness = 20e-6;
  p.separator.ionic_transport_factor = 1.0;
  p.electrolyte.model = ElectrolyteModel::single_ion;
  p.electrolyte.conductivity = 10.0;
  p.lithium.exchange_current_density = 100;
  p.positive.thickness = 20e-6;
  p.positive.porosity = 0.4;
  p.positive.particles = {ParticleClass{radius, 0.5}};
  p.positive.electronic_conductivity = 100.0;
  p.positive.material.max_concentration = c_max;
  p.positive.material.exchange_current_coefficient = 1e-4;  // i0 ~ 80 A/m^2 vs j ~ 5 A/m^2 at 1C
  p.positive.initial_stoichiometry = 0.3;
  p.lower_voltage_limit = 2.5;
  p.upper_voltage_limit = 4.6;
  p.nominal_capacity = -1.0;  // the whole 0..1 window: 1C moves x by 1 per hour
  return p;
}

/// gitt_half_cell with a constant diffusivity [m^2/s] and a linear OCP (1 V per unit of x): the
/// case with an exact Weppner-Huggins expectation.
CellParameters linear_ocp_half_cell(double diffusivity) {
  auto p = gitt_half_cell();
  p.positive.material.diffusivity = diffusivity;
  p.positive.material.open_circuit_potential =
      Function1([](double x) { return 4.3 - 1.0 * x; }, "linear");
  return p;
}

constexpr int particle_volumes = 200;  // 0.05 um: resolves sqrt(D tau) = 0.32 um at tau = 10 s

SimulationOptions fine_particle_mesh() {
  SimulationOptions o;
  o.mesh.positive = 4;
  o.mesh.particle = particle_volumes;
  return o;  // every solver step recorded: the sqrt(t) reading uses the pulse rows
}

/// Factor by which the start-of-pulse surface jump of the discretization (N dr / (2 D), the
/// flux term of the surface extrapolation, present at t = 0+ where the exact surface has not yet
/// moved) shortens dE_t and so inflates D_WH: (s / (s - dr / (2 R)))^2.
double surface_jump_factor(double theta) {
  const double s = sphere_surface_rise(theta);
  const double jump = 0.5 / particle_volumes;
  return std::pow(s / (s - jump), 2);
}

TEST(EchemGitt, ConstantDiffusivityIsRecoveredWithTheSphereBias) {
  const double d = 1e-14;
  auto p = linear_ocp_half_cell(d);
  for (const double tau : {10.0, 40.0}) {
    GittOptions g;
    g.c_rate = 1.0;
    g.pulse_duration = tau;
    g.rest_duration = 7200.0;  // 15 decay times R^2/(20.2 D) of the slowest sphere mode
    g.pulses = 3;
    g.simulation = fine_particle_mesh();
    const auto r = gitt(p, g);
    ASSERT_FALSE(r.cell.failure) << r.cell.failure->reason;
    ASSERT_EQ(r.pulses.size(), 3U);
    const double theta = d * tau / (radius * radius);
    const double bias = weppner_huggins_bias(theta);
    const double jump = surface_jump_factor(theta);
    for (const auto& pulse : r.pulses) {
      const double ratio = pulse.diffusivity / d;
      const auto reading = read_pulse(r, pulse, tau, d);
      std::printf(
          "[ GITT    ] linear OCP, tau %.0f s, theta %.1e, pulse %d: echem::gitt D_WH/D "
          "%.4f (exact sqrt(t) expectation %.4f; end-point bias %.4f); end-point reading %.4f "
          "(bias x surface jump %.4f)\n",
          tau, theta, pulse.pulse, ratio, reading.expected_ratio, bias,
          reading.end_point_diffusivity / d, bias * jump);
      EXPECT_EQ(pulse.transient_reading, "sqrt(t) slope");
      EXPECT_TRUE(pulse.warning.empty()) << pulse.warning;
      EXPECT_NEAR(pulse.theta, pulse.diffusivity * tau / (radius * radius), 1e-15);
      // echem::gitt reads dE_t from the same rows as this test's sqrt(t) reading.
      EXPECT_NEAR(pulse.diffusivity / reading.diffusivity, 1.0, 1e-9);
      // echem::gitt equals the exact sphere expectation to 1.5 % (radial discretization and the
      // small kinetic change) and D within the sphere bias sqrt(pi theta) + 3 %.
      EXPECT_NEAR(ratio / reading.expected_ratio, 1.0, 0.015) << "pulse " << pulse.pulse;
      EXPECT_NEAR(ratio, 1.0, std::sqrt(std::numbers::pi * theta) + 0.03);
      // The end-point reading of the same rows carries the discrete start-of-pulse jump.
      EXPECT_NEAR(reading.end_point_diffusivity / d / (bias * jump), 1.0, 0.01);
      if (tau < 20.0) {
        EXPECT_GT(reading.end_point_diffusivity / d / reading.expected_ratio, 1.1);
      }
      EXPECT_LT(pulse.delta_steady_voltage, 0.0);  // discharge lowers the voltage
      EXPECT_LT(pulse.delta_transient_voltage, 0.0);
      EXPECT_NEAR(pulse.delta_steady_voltage, -g.c_rate * tau / 3600.0, 1e-5);  // linear OCP
    }
  }
}

struct PulseCheck {
  double x_mid = 0.0;
  double library = 0.0;       ///< echem::gitt D / (D(x_mid) its exact sqrt(t) sphere expectation)
  double sqrt_time = 0.0;     ///< end-point reading / (D(x_mid) bias jump)
  double slope_change = 0.0;  ///< [-] relative change of the OCP secant slope (dE_t vs dE_s)
};

/// Small GITT pulses from x0 on the NMC811 OCP with D = D(x); each pulse compared with D at its
/// mean stoichiometry.
std::vector<PulseCheck> stoichiometry_dependent_run(double x0, int pulses) {
  auto p = gitt_half_cell();
  auto d_of_x = [](double x) { return 1e-14 * std::exp(5.0 * (x - 0.65)); };
  p.positive.material.diffusivity =
      Function2([d_of_x](double x, double) { return d_of_x(x); }, "1e-14 exp(5 (x - 0.65))");
  p.positive.material.open_circuit_potential = Function1(nmc_ocp, "NMC811 Chen2020");
  p.positive.initial_stoichiometry = x0;
  GittOptions g;
  g.c_rate = 0.5;  // x moves by 0.0014 per pulse; the surface by about 0.017
  g.pulse_duration = 10.0;
  g.rest_duration = 3600.0;
  g.pulses = pulses;
  g.simulation = fine_particle_mesh();
  const auto r = gitt(p, g);
  EXPECT_FALSE(r.cell.failure) << r.cell.failure->reason;
  EXPECT_EQ(r.pulses.size(), static_cast<std::size_t>(pulses));
  std::vector<PulseCheck> out;
  const double dx_avg = g.c_rate * g.pulse_duration / 3600.0;
  for (const auto& pulse : r.pulses) {
    PulseCheck c;
    const double x_end = pulse.stoichiometry;
    EXPECT_NEAR(x_end, x0 + (pulse.pulse + 1) * dx_avg, 1e-9);
    const double x_start = x_end - dx_avg;
    c.x_mid = 0.5 * (x_start + x_end);
    const double d = d_of_x(c.x_mid);
    const double theta = d * g.pulse_duration / (radius * radius);
    // Surface excursion of the pulse (sphere response) and the change of the OCP's secant slope
    // between the relaxed step (dE_s) and the surface excursion (dE_t); it enters D squared.
    const double dx_surface = dx_avg * sphere_surface_rise(theta) / (3.0 * theta);
    const double secant_relaxed = (nmc_ocp(x_end) - nmc_ocp(x_start)) / dx_avg;
    const double secant_surface = (nmc_ocp(x_start + dx_surface) - nmc_ocp(x_start)) / dx_surface;
    c.slope_change = std::abs(secant_surface / secant_relaxed - 1.0);
    const auto reading = read_pulse(r, pulse, g.pulse_duration, d);
    c.library = pulse.diffusivity / (d * reading.expected_ratio);
    c.sqrt_time = reading.end_point_diffusivity /
                  (d * weppner_huggins_bias(theta) * surface_jump_factor(theta));
    std::printf(
        "[ GITT    ] NMC811 OCP, D(x): x %.4f D(x) %.3e theta %.1e: echem::gitt %.3e "
        "(/expected %.3f), end-point reading %.3e (/expected %.3f); OCP slope change "
        "%.3f\n",
        c.x_mid, d, theta, pulse.diffusivity, c.library, reading.end_point_diffusivity, c.sqrt_time,
        c.slope_change);
    out.push_back(c);
  }
  return out;
}

TEST(EchemGitt, StoichiometryDependentDiffusivityIsRecoveredWhereTheOcpIsLinear) {
  // This OCP is linear (slope -0.809 V) above x = 0.7; D(x) changes 4.5-fold over 0.6..0.9.
  for (const double x0 : {0.70, 0.80, 0.90}) {
    for (const auto& c : stoichiometry_dependent_run(x0, 2)) {
      ASSERT_LT(c.slope_change, 0.02);
      EXPECT_NEAR(c.library, 1.0, 0.08) << "x = " << c.x_mid;
      EXPECT_NEAR(c.sqrt_time, 1.0, 0.08) << "x = " << c.x_mid;
    }
  }
}

TEST(EchemGitt, WeppnerHugginsFailsWhereTheOcpCurvesAcrossThePulse) {
  // Near x = 0.33 the OCP slope changes sign of curvature within the surface excursion: dE_t and
  // dE_s are read on different slopes and D comes out wrong by far more than the sphere bias.
  for (const auto& c : stoichiometry_dependent_run(0.33, 2)) {
    ASSERT_GT(c.slope_change, 0.2);
    EXPECT_GT(std::abs(c.library - 1.0), 0.2) << "x = " << c.x_mid;
  }
}

TEST(EchemGitt, SqrtTimeReadingIgnoresTheKineticOverpotentialBehindADoubleLayer) {
  // With double layers the interfaces switch on through their capacitance: at t = 0+ the faradaic
  // current (and so the kinetic overpotential and the surface jump) is still zero and builds up
  // within R_ct C_dl (about 1 ms here). The end-point dE_t of echem::gitt then contains the whole
  // kinetic overpotential (printed: D_WH falls to about 0.45 D); the sqrt(t) reading does not.
  const double d = 1e-14;
  auto p = linear_ocp_half_cell(d);
  p.positive.material.exchange_current_coefficient = 1e-5;  // ~16 mV overpotential at 1C
  // i0 ~ sqrt(x (1 - x)) is stationary at x = 0.5: start just below it so that the 16 mV kinetic
  // overpotential stays constant across the surface excursion (about 0.03), as Weppner-Huggins
  // assumes (from x = 0.3 it would move by 0.5 mV and raise D by 3 %).
  p.positive.initial_stoichiometry = 0.485;
  p.positive.double_layer_capacitance = 0.2;
  p.lithium.double_layer_capacitance = 0.2;
  GittOptions g;
  g.c_rate = 1.0;
  g.pulse_duration = 10.0;
  g.rest_duration = 7200.0;
  g.pulses = 2;
  g.simulation = fine_particle_mesh();
  const auto r = gitt(p, g);
  ASSERT_FALSE(r.cell.failure) << r.cell.failure->reason;
  ASSERT_EQ(r.pulses.size(), 2U);
  for (const auto& pulse : r.pulses) {
    const auto reading = read_pulse(r, pulse, g.pulse_duration, d);
    std::printf(
        "[ GITT    ] linear OCP with double layers, pulse %d: echem::gitt D_WH/D %.4f "
        "(expected %.4f); end-point reading %.4f\n",
        pulse.pulse, pulse.diffusivity / d, reading.expected_ratio,
        reading.end_point_diffusivity / d);
    EXPECT_EQ(pulse.transient_reading, "sqrt(t) slope");
    EXPECT_NEAR(pulse.diffusivity / d / reading.expected_ratio, 1.0, 0.015);
    EXPECT_LT(reading.end_point_diffusivity / d, 0.6);  // holds the kinetic overpotential
  }
}

TEST(EchemGitt, LongPulsesAreFlaggedAndSparseRowsFallBackToEndPoints) {
  // The default GITT pulse (600 s at C/10) on R = 5 um, D = 1e-14 m^2/s: theta = 0.24 in D; the
  // Weppner-Huggins value itself is biased to about 0.36 D, so the reported theta (from D_WH) is
  // about 0.09, still far above 0.01. Default mesh; one pulse.
  auto p = linear_ocp_half_cell(1e-14);
  const double r5 = 5e-6;
  p.positive.particles = {ParticleClass{r5, 0.5}};
  GittOptions g;
  g.pulses = 1;
  g.simulation.mesh.positive = 4;
  const auto r = gitt(p, g);
  ASSERT_FALSE(r.cell.failure) << r.cell.failure->reason;
  ASSERT_EQ(r.pulses.size(), 1U);
  const auto& pulse = r.pulses[0];
  std::printf("[ GITT    ] default 600 s pulse, R = 5 um, D = 1e-14: D_WH/D %.3f theta %.3f: %s\n",
              pulse.diffusivity / 1e-14, pulse.theta, pulse.warning.c_str());
  EXPECT_NEAR(pulse.theta, pulse.diffusivity * 600.0 / (r5 * r5), 1e-12);
  EXPECT_GT(pulse.theta, gitt_theta_limit);
  EXPECT_NE(pulse.warning.find("pulse too long for Weppner-Huggins"), std::string::npos);
  // Far outside the regime: D_WH is a fraction of D (end-point form: 0.36; the sqrt(t) slope over
  // 0.1 tau..tau, where the sphere response is already bending towards linear in t: lower).
  EXPECT_GT(pulse.diffusivity / 1e-14, 0.2);
  EXPECT_LT(pulse.diffusivity / 1e-14, 0.4);

  // Only step ends recorded and no rows requested inside the pulse: the end-point fallback.
  g.rows_per_pulse = 0;
  g.simulation.record_every_step = false;
  g.pulse_duration = 10.0;
  const auto sparse = gitt(p, g);
  ASSERT_EQ(sparse.pulses.size(), 1U);
  EXPECT_EQ(sparse.pulses[0].transient_reading.rfind("end points", 0), 0U);
  EXPECT_NE(sparse.pulses[0].warning.find("end points"), std::string::npos);
  // The requested rows restore the sqrt(t) reading even with sparse recording.
  g.rows_per_pulse = 20;
  const auto requested = gitt(p, g);
  ASSERT_EQ(requested.pulses.size(), 1U);
  EXPECT_EQ(requested.pulses[0].transient_reading, "sqrt(t) slope");
  EXPECT_TRUE(requested.pulses[0].warning.empty()) << requested.pulses[0].warning;
}

}  // namespace
}  // namespace cathodelab::echem
