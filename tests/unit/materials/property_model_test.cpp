// Property models: Arrhenius at T_ref is the reference value and follows the closed form elsewhere;
// monotone cubic interpolation hits the nodes and keeps monotone data monotone (where a natural
// cubic spline would overshoot); log10 tables interpolate geometrically; out-of-range refused.
#include "cathodelab/materials/property_model.hpp"
#include "cathodelab/core/constants.hpp"
#include "cathodelab/core/error.hpp"
#include "cathodelab/core/monotone_cubic.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace m = cathodelab::materials;
namespace cl = cathodelab::core;

TEST(PropertyModel, ConstantIgnoresConditions) {
  const auto model = m::PropertyModel::constant(4750.0);
  EXPECT_EQ(model.kind(), m::ModelKind::constant);
  EXPECT_DOUBLE_EQ(model.value({.temperature = 350.0, .stoichiometry = 0.3}), 4750.0);
}

TEST(PropertyModel, ArrheniusEqualsReferenceAtReferenceTemperature) {
  const double ea = 0.35 * cathodelab::core::faraday_constant;  // 0.35 eV per ion in J/mol
  const auto model = m::PropertyModel::arrhenius(0.2, ea, 298.15);
  EXPECT_EQ(model.kind(), m::ModelKind::arrhenius);
  EXPECT_DOUBLE_EQ(model.value({.temperature = 298.15}), 0.2);
  // Closed form at 60 degC.
  const double t = 333.15;
  EXPECT_NEAR(model.value({.temperature = t}),
              0.2 * std::exp(-ea / m::gas_constant * (1.0 / t - 1.0 / 298.15)), 1e-15);
  EXPECT_GT(model.value({.temperature = t}), 0.2);
  EXPECT_LT(model.value({.temperature = 273.15}), 0.2);
  EXPECT_THROW((void)model.value({.temperature = -1.0}), cl::InputError);
}

TEST(PropertyModel, MonotoneCubicHitsNodesAndStaysMonotone) {
  // Steep step data: a C2 cubic spline overshoots here; the monotone scheme must not.
  m::Table table{.x = {0.0, 0.2, 0.4, 0.5, 0.6, 0.8, 1.0},
                 .y = {4.4, 4.3, 4.2, 3.7, 3.65, 3.6, 3.5}};
  const auto model = m::PropertyModel::table(table);
  EXPECT_EQ(model.kind(), m::ModelKind::table);
  for (std::size_t k = 0; k < table.x.size(); ++k) {
    EXPECT_NEAR(model.value({.stoichiometry = table.x[k]}), table.y[k], 1e-14);
  }
  double previous = model.value({.stoichiometry = 0.0});
  for (int i = 1; i <= 1000; ++i) {
    const double v = model.value({.stoichiometry = i / 1000.0});
    EXPECT_LE(v, previous) << "at x = " << i / 1000.0;
    previous = v;
  }
  EXPECT_TRUE(model.strictly_monotone());
}

TEST(PropertyModel, MonotoneCubicReproducesLinearDataExactly) {
  const auto model =
      m::PropertyModel::table({.x = {0.1, 0.3, 0.6, 0.9}, .y = {1.0, 3.0, 6.0, 9.0}});
  EXPECT_NEAR(model.value({.stoichiometry = 0.45}), 4.5, 1e-13);
  EXPECT_NEAR(model.value({.stoichiometry = 0.77}), 7.7, 1e-13);
}

TEST(PropertyModel, LinearAndLog10Interpolation) {
  const auto linear = m::PropertyModel::table(
      {.x = {0.0, 1.0}, .y = {1e-5, 1e-1}, .interpolation = m::Interpolation::linear});
  EXPECT_NEAR(linear.value({.stoichiometry = 0.5}), 0.050005, 1e-15);
  const auto geometric = m::PropertyModel::table({.x = {0.0, 1.0},
                                                  .y = {1e-5, 1e-1},
                                                  .interpolation = m::Interpolation::linear,
                                                  .log10 = true});
  EXPECT_NEAR(geometric.value({.stoichiometry = 0.5}), 1e-3, 1e-15);
  const auto cubic_log =
      m::PropertyModel::table({.x = {0.2, 0.5, 1.0}, .y = {10.0, 1e-2, 1e-5}, .log10 = true});
  EXPECT_NEAR(cubic_log.value({.stoichiometry = 0.5}), 1e-2, 1e-16);
  EXPECT_THROW((void)m::PropertyModel::table({.x = {0.0, 1.0}, .y = {0.0, 1.0}, .log10 = true}),
               cl::InputError);
}

TEST(PropertyModel, StateOfChargeTablesUseStateOfCharge) {
  const auto model = m::PropertyModel::table({.x = {0.0, 1.0},
                                              .y = {0.0, -0.05},
                                              .variable = m::TableVariable::state_of_charge,
                                              .interpolation = m::Interpolation::linear});
  EXPECT_DOUBLE_EQ(model.value({.stoichiometry = 0.0, .state_of_charge = 0.5}), -0.025);
}

TEST(PropertyModel, OutOfTableRangeIsRefusedNamingWhatAndRange) {
  const auto model = m::PropertyModel::table({.x = {0.25, 0.9}, .y = {4.3, 3.6}});
  try {
    (void)model.value({.stoichiometry = 0.1}, "NCM811 open_circuit_potential");
    FAIL() << "extrapolated";
  } catch (const cl::InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("NCM811 open_circuit_potential"), std::string::npos) << message;
    EXPECT_NE(message.find("[0.25, 0.9]"), std::string::npos) << message;
    EXPECT_NE(message.find("0.1"), std::string::npos) << message;
  }
  EXPECT_THROW((void)model.value({.stoichiometry = 0.95}), cl::InputError);
  EXPECT_NO_THROW((void)model.value({.stoichiometry = 0.9}));
}

TEST(PropertyModel, MalformedTablesAreRefused) {
  EXPECT_THROW((void)m::PropertyModel::table({.x = {0.5}, .y = {1.0}}), cl::InputError);
  EXPECT_THROW((void)m::PropertyModel::table({.x = {0.1, 0.2}, .y = {1.0}}), cl::InputError);
  EXPECT_THROW((void)m::PropertyModel::table({.x = {0.3, 0.2}, .y = {1.0, 2.0}}), cl::InputError);
  EXPECT_THROW((void)m::PropertyModel::table({.x = {0.2, 0.2}, .y = {1.0, 2.0}}), cl::InputError);
  EXPECT_THROW((void)m::PropertyModel::table({.x = {0.2, 1.5}, .y = {1.0, 2.0}}), cl::InputError);
  try {
    (void)m::PropertyModel::table({.x = {0.3, 0.2}, .y = {1.0, 2.0}}, "open_circuit_potential");
  } catch (const cl::InputError& error) {
    EXPECT_EQ(error.key_path(), "open_circuit_potential");
  }
}

TEST(PropertyModel, NamedFunctionsMatchPublishedValues) {
  const auto ocp = m::PropertyModel::function("chen2020_nmc811_ocp");
  EXPECT_EQ(ocp.kind(), m::ModelKind::function);
  // Values of the Chen 2020 formula evaluated by hand (research notes table, section 4.1).
  EXPECT_NEAR(ocp.value({.stoichiometry = 0.5}), 3.972, 1e-3);
  EXPECT_NEAR(ocp.value({.stoichiometry = 0.9}), 3.568, 1e-3);
  EXPECT_TRUE(ocp.strictly_monotone());
  EXPECT_THROW((void)ocp.value({.stoichiometry = 0.1}), cl::InputError);
  const auto diffusivity = m::PropertyModel::function("oregan2022_nmc811_diffusivity")
                               .with_activation_energy(1449.0 * m::gas_constant);
  EXPECT_NEAR(diffusivity.value({.stoichiometry = 0.5}), 7.3e-15, 0.1e-15);
  EXPECT_NEAR(diffusivity.value({.stoichiometry = 0.32}), 2.9e-15, 0.1e-15);
  EXPECT_GT(diffusivity.value({.temperature = 318.15, .stoichiometry = 0.5}), 7.3e-15);
  try {
    (void)m::PropertyModel::function("chen2020_nmc811_opc", "open_circuit_potential.function");
    FAIL();
  } catch (const cl::InputError& error) {
    EXPECT_NE(std::string(error.what()).find("did you mean 'chen2020_nmc811_ocp'"),
              std::string::npos)
        << error.what();
  }
}

TEST(PropertyModel, SlopesAreZeroAtExtremaAndLimitedAtEnds) {
  const std::vector<double> x{0.0, 1.0, 2.0, 3.0};
  const std::vector<double> y{0.0, 1.0, 1.0, 0.0};
  const auto d = cathodelab::core::monotone_cubic_slopes(x, y);
  EXPECT_DOUBLE_EQ(d[1], 0.0);
  EXPECT_DOUBLE_EQ(d[2], 0.0);
  // The interpolant of data with a flat interval stays flat there.
  EXPECT_DOUBLE_EQ(cathodelab::core::hermite_value(x, y, d, 1.5), 1.0);
}
