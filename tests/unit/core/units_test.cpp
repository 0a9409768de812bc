// Unit parsing: every example of the foundation issue, the SI conversions written out by hand,
// and the inputs that must be refused with a message naming the key and the fix.
#include "cathodelab/core/units.hpp"
#include "cathodelab/core/error.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace cl = cathodelab::core;
namespace dim = cathodelab::core::dim;

namespace {

double as(std::string_view text, cl::Dimension expected) {
  return cl::parse_quantity_as(text, expected, "test.key", "1 m");
}

std::string error_of(std::string_view text, cl::Dimension expected, std::string_view example) {
  try {
    (void)cl::parse_quantity_as(text, expected, "cathode.thickness", example);
  } catch (const cl::InputError& error) {
    return error.what();
  }
  return "no error";
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST(Units, IssueExamplesConvertToSi) {
  EXPECT_DOUBLE_EQ(as("0.73 mS/cm", dim::conductivity), 0.073);
  EXPECT_DOUBLE_EQ(as("12.7 mg/cm^2", dim::areal_mass), 0.127);
  EXPECT_DOUBLE_EQ(as("5 MPa", dim::pressure), 5e6);
  EXPECT_DOUBLE_EQ(as("25 degC", dim::temperature), 298.15);
  EXPECT_DOUBLE_EQ(as("298.15 K", dim::temperature), 298.15);
  EXPECT_DOUBLE_EQ(as("10 um", dim::length), 1e-5);
  EXPECT_DOUBLE_EQ(as("4.3 V", dim::voltage), 4.3);
  EXPECT_DOUBLE_EQ(as("1 hour", dim::time), 3600.0);
  // 1 mAh/g = 1e-3 A * 3600 s / 1e-3 kg = 3600 C/kg (3.6 C/g).
  EXPECT_DOUBLE_EQ(as("1 mAh/g", dim::specific_capacity), 3600.0);
  EXPECT_DOUBLE_EQ(as("200 mAh/g", dim::specific_capacity), 720000.0);
  EXPECT_DOUBLE_EQ(as("12 $/kg", dim::cost_per_mass), 12.0);
  EXPECT_DOUBLE_EQ(cl::parse_c_rate("C/10", "protocol.rate"), 0.1);
  EXPECT_DOUBLE_EQ(cl::parse_c_rate("2C", "protocol.rate"), 2.0);
}

TEST(Units, PrefixesProductsQuotientsPowers) {
  EXPECT_DOUBLE_EQ(as("3 um", dim::length), 3e-6);
  EXPECT_DOUBLE_EQ(as("3 \xc2\xb5m", dim::length), 3e-6);  // µ micro sign
  EXPECT_DOUBLE_EQ(as("3 \xce\xbcm", dim::length), 3e-6);  // μ Greek mu
  EXPECT_DOUBLE_EQ(as("2 nm", dim::length), 2e-9);
  EXPECT_DOUBLE_EQ(as("4.75 g/cm^3", dim::density), 4750.0);
  EXPECT_DOUBLE_EQ(as("1e-12 cm^2/s", dim::diffusivity), 1e-16);
  EXPECT_DOUBLE_EQ(as("1 mS cm^-1", dim::conductivity), 0.1);
  EXPECT_DOUBLE_EQ(as("1 mS*cm^-1", dim::conductivity), 0.1);
  EXPECT_DOUBLE_EQ(as("1 mS.cm^-1", dim::conductivity), 0.1);
  EXPECT_DOUBLE_EQ(as("8.314 J/mol/K", cl::Dimension{{2, 1, -2, 0, -1, -1, 0}}), 8.314);
  EXPECT_DOUBLE_EQ(as("8.314 J mol^-1 K^-1", cl::Dimension{{2, 1, -2, 0, -1, -1, 0}}), 8.314);
  EXPECT_DOUBLE_EQ(as("2 mA/cm^2", dim::current_density), 20.0);
  EXPECT_DOUBLE_EQ(as("3 mAh/cm^2", dim::areal_capacity), 108000.0);  // 10.8 C/cm^2
  EXPECT_DOUBLE_EQ(as("10 Ohm cm^2", dim::area_resistance), 1e-3);
  EXPECT_DOUBLE_EQ(as("10 \xce\xa9 cm^2", dim::area_resistance), 1e-3);
  EXPECT_DOUBLE_EQ(as("10 ohm*cm^2", dim::area_resistance), 1e-3);
  EXPECT_DOUBLE_EQ(as("1 cm\xc2\xb2", dim::area), 1e-4);
  EXPECT_DOUBLE_EQ(as("1 1/s", dim::frequency), 1.0);
  EXPECT_DOUBLE_EQ(as("50 Hz", dim::frequency), 50.0);
  EXPECT_DOUBLE_EQ(as("10 uF/cm^2", dim::capacitance_per_area), 0.1);
  EXPECT_DOUBLE_EQ(as("1.23e-3 angstrom^2/ps", dim::diffusivity), 1.23e-11);
  EXPECT_DOUBLE_EQ(as("2 \xc3\x85", dim::length), 2e-10);
}

TEST(Units, NamedUnits) {
  EXPECT_DOUBLE_EQ(as("30 s", dim::time), 30.0);
  EXPECT_DOUBLE_EQ(as("10 minutes", dim::time), 600.0);
  EXPECT_DOUBLE_EQ(as("10 min", dim::time), 600.0);
  EXPECT_DOUBLE_EQ(as("2 h", dim::time), 7200.0);
  EXPECT_DOUBLE_EQ(as("2 hours", dim::time), 7200.0);
  EXPECT_DOUBLE_EQ(as("1 day", dim::time), 86400.0);
  EXPECT_DOUBLE_EQ(as("5 ms", dim::time), 5e-3);
  EXPECT_DOUBLE_EQ(as("1 Wh", dim::energy), 3600.0);
  EXPECT_DOUBLE_EQ(as("1 kWh", dim::energy), 3.6e6);
  EXPECT_DOUBLE_EQ(as("1 Ah", dim::charge), 3600.0);
  EXPECT_DOUBLE_EQ(as("1 C", dim::charge), 1.0);
  EXPECT_DOUBLE_EQ(as("1 eV", dim::energy), 1.602176634e-19);
  EXPECT_DOUBLE_EQ(as("0.1 eV", dim::energy), 1.602176634e-20);
  EXPECT_DOUBLE_EQ(as("2 W", dim::power), 2.0);
  EXPECT_DOUBLE_EQ(as("1 bar", dim::pressure), 1e5);
  EXPECT_DOUBLE_EQ(as("1 atm", dim::pressure), 101325.0);
  EXPECT_DOUBLE_EQ(as("20 GPa", dim::pressure), 2e10);
  EXPECT_DOUBLE_EQ(as("1 M", dim::concentration), 1000.0);
  EXPECT_DOUBLE_EQ(as("1 mol/L", dim::concentration), 1000.0);
  EXPECT_DOUBLE_EQ(as("1 mol/l", dim::concentration), 1000.0);
  EXPECT_DOUBLE_EQ(as("2 mL", dim::volume), 2e-6);
  EXPECT_DOUBLE_EQ(as("96.5 g/mol", dim::molar_mass), 0.0965);
  EXPECT_DOUBLE_EQ(as("10 $/kWh", dim::cost_per_energy), 10.0 / 3.6e6);
  EXPECT_DOUBLE_EQ(as("10 $/L", dim::cost_per_volume), 1e4);
  EXPECT_DOUBLE_EQ(as("10 $/m^2", dim::cost_per_area), 10.0);
  EXPECT_DOUBLE_EQ(as("80 wt%", dim::dimensionless), 0.8);
  EXPECT_DOUBLE_EQ(as("30 vol%", dim::dimensionless), 0.3);
  EXPECT_DOUBLE_EQ(as("5 %", dim::dimensionless), 0.05);
  EXPECT_DOUBLE_EQ(as("5%", dim::dimensionless), 0.05);
  EXPECT_DOUBLE_EQ(as("0.35", dim::dimensionless), 0.35);
  EXPECT_DOUBLE_EQ(as("32 degF", dim::temperature), 273.15);
  EXPECT_DOUBLE_EQ(as("-273.15 degC", dim::temperature), 0.0);
  EXPECT_DOUBLE_EQ(as("25 \xc2\xb0"
                      "C",
                      dim::temperature),
                   298.15);
  EXPECT_DOUBLE_EQ(as("10um", dim::length), 1e-5);
  EXPECT_DOUBLE_EQ(as("  1.5e-3   m ", dim::length), 1.5e-3);
  EXPECT_DOUBLE_EQ(as("-0.5 V", dim::voltage), -0.5);
  EXPECT_DOUBLE_EQ(as("+2 V", dim::voltage), 2.0);
}

TEST(Units, ParseQuantityReportsDimension) {
  const cl::Quantity q = cl::parse_quantity("1 mS/cm");
  EXPECT_EQ(q.dimension, dim::conductivity);
  EXPECT_EQ(cl::parse_quantity("3").dimension, dim::dimensionless);
  EXPECT_EQ(cl::dimension_name(dim::conductivity), "S/m");
  EXPECT_EQ(cl::dimension_name(cl::Dimension{{2, 1, -2, 0, -1, -1, 0}}), "m^2 kg s^-2 K^-1 mol^-1");
}

TEST(Units, CRates) {
  EXPECT_DOUBLE_EQ(cl::parse_c_rate("C/10", "r"), 0.1);
  EXPECT_DOUBLE_EQ(cl::parse_c_rate("C / 20", "r"), 0.05);
  EXPECT_DOUBLE_EQ(cl::parse_c_rate("2C", "r"), 2.0);
  EXPECT_DOUBLE_EQ(cl::parse_c_rate("0.5 C", "r"), 0.5);
  EXPECT_DOUBLE_EQ(cl::parse_c_rate("1C", "r"), 1.0);
  EXPECT_DOUBLE_EQ(cl::parse_c_rate("C", "r"), 1.0);
  EXPECT_DOUBLE_EQ(cl::parse_c_rate(" 3 C/2 ", "r"), 1.5);
  for (const char* bad :
       {"", "C/0", "-1C", "0C", "10", "C/", "2 A", "C/x", "Cx", "nanC", "1e400C"}) {
    try {
      (void)cl::parse_c_rate(bad, "protocol.rate");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const cl::InputError& error) {
      EXPECT_EQ(error.key_path(), "protocol.rate") << bad;
      EXPECT_TRUE(contains(error.what(), "C/10")) << error.what();
    }
  }
}

TEST(Units, RefusesBareNumberForDimensionalKeyWithExample) {
  const std::string message = error_of("80", dim::length, "80 um");
  EXPECT_EQ(message,
            "key 'cathode.thickness': number '80' without a unit; write it with a unit of length "
            "[m] (e.g. \"80 um\")");
}

TEST(Units, RefusesDimensionMismatchNamingExpectedAndGot) {
  const std::string message = error_of("5 MPa", dim::length, "80 um");
  EXPECT_TRUE(contains(message, "key 'cathode.thickness'")) << message;
  EXPECT_TRUE(contains(message, "expected length [m]")) << message;
  EXPECT_TRUE(contains(message, "is pressure [Pa]")) << message;
  EXPECT_TRUE(contains(message, "80 um")) << message;
}

TEST(Units, RefusesUnknownUnitWithSuggestion) {
  const std::string message = error_of("10 umm", dim::length, "80 um");
  EXPECT_TRUE(contains(message, "unknown unit 'umm'")) << message;
  EXPECT_TRUE(contains(message, "did you mean 'mm'") || contains(message, "did you mean 'um'"))
      << message;
  const std::string degc = error_of("25 degc", dim::temperature, "25 degC");
  EXPECT_TRUE(contains(degc, "did you mean 'degC'")) << degc;
  const std::string hours = error_of("2 hous", dim::time, "2 h");
  EXPECT_TRUE(contains(hours, "did you mean 'hour")) << hours;
}

TEST(Units, RefusesAffineTemperatureInCompoundUnit) {
  const std::string message = error_of("25 degC/s", cl::Dimension{{0, 0, -1, 0, 1, 0, 0}}, "1 K/s");
  EXPECT_TRUE(contains(message, "degC")) << message;
  EXPECT_TRUE(contains(message, "compound")) << message;
}

TEST(Units, RefusesGarbageEmptyOverflowAndNan) {
  for (const char* bad : {"",      "   ",   "garbage", "m",      "abc m",    "1e400 m", "-1e400 m",
                          "nan m", "NaN",   "inf m",   "1 m/",   "1 /m",     "1 m//s",  "1 m^x",
                          "1 m^",  "1 m^0", "1 ^2",    "1 m**2", "1e-400 m", "1 m^2.5", "1 --m"}) {
    const std::string message = error_of(bad, dim::length, "80 um");
    EXPECT_TRUE(contains(message, "key 'cathode.thickness'")) << "'" << bad << "': " << message;
    EXPECT_TRUE(contains(message, "80 um")) << "'" << bad << "': " << message;
  }
  EXPECT_TRUE(contains(error_of("1e400 m", dim::length, "80 um"), "out of range"));
  EXPECT_TRUE(contains(error_of("", dim::length, "80 um"), "empty"));
  EXPECT_THROW((void)cl::parse_quantity("1e300 Ym^3"),
               cl::InputError);  // finite number, SI overflow
  EXPECT_THROW((void)cl::parse_quantity(std::to_string(std::numeric_limits<double>::quiet_NaN())),
               cl::InputError);
}

TEST(Units, RefusesExponentsBeyondTheLimits) {
  // One factor's power is limited to -9..9 (m^256 used to wrap the 8-bit exponent to m^0).
  for (const char* bad : {"1 m^256", "1 m^10", "1 m^-10", "1 m^99999999999999999999"}) {
    const std::string message = error_of(bad, dim::length, "80 um");
    EXPECT_TRUE(contains(message, "bad exponent")) << bad << ": " << message;
    EXPECT_TRUE(contains(message, "-9 to 9")) << bad << ": " << message;
  }
  // A product of factors must not wrap a base dimension either: 15 x m^9 = m^135 > 127.
  std::string wrapped = "1";
  for (int n = 0; n < 15; ++n) wrapped += " m^9";
  const std::string product = error_of(wrapped, dim::length, "80 um");
  EXPECT_TRUE(contains(product, "127")) << product;
  EXPECT_TRUE(contains(product, "key 'cathode.thickness'")) << product;
  std::string quotient = "1 m";
  for (int n = 0; n < 15; ++n) quotient += "/m^9";
  EXPECT_TRUE(contains(error_of(quotient, dim::length, "80 um"), "127"));
  // 14 x m^9 = m^126 is still representable.
  std::string fits = "1";
  for (int n = 0; n < 14; ++n) fits += " m^9";
  EXPECT_EQ(cl::parse_quantity(fits).dimension.exponent[0], 126);
}

TEST(Units, RefusesAValueThatUnderflowsToZeroInSi) {
  // 1e-300 * (1e-24)^9 is far below the smallest double: it must not become a silent 0.
  const std::string message = error_of("1e-300 ym^9", cl::Dimension{{9, 0, 0, 0, 0, 0, 0}}, "1 m");
  EXPECT_TRUE(contains(message, "out of range")) << message;
  EXPECT_DOUBLE_EQ(cl::parse_quantity("0 ym^9").value, 0.0);  // a true zero stays accepted
}

TEST(Units, CRatesRefuseNonFiniteParts) {
  for (const char* bad : {"1e400C", "C/1e400", "nanC", "infC", "C/nan", "1e300C/1e-300"}) {
    EXPECT_THROW((void)cl::parse_c_rate(bad, "rate"), cl::InputError) << bad;
  }
}
