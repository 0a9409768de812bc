// Units at the input boundary: strings such as "0.73 mS/cm", "12.7 mg/cm^2", "5 MPa", "25 degC",
// "C/10" parsed into SI doubles (ARCHITECTURE.md section 4).
//
// Grammar: NUMBER [UNIT], UNIT = FACTOR (('*'|'.'|' '|'/') FACTOR)*, FACTOR = PREFIX? SYMBOL ('^'
// INT)? with SI prefixes (y..Y, 'u' and 'µ' for micro). Temperatures in degC/degF are affine and
// allowed only as a lone unit. A '/' divides by the next factor only ("J/mol/K" = "J mol^-1 K^-1").
// Named units: m angstrom (Å) g t s min h day A V W J Wh eV C Ah S Ohm (ohm, Ω) F N Pa bar atm K
// mol M (mol/L) L l Hz $ (also USD) % wt% vol% at% mol% ppm; exact symbols win over prefix + symbol
// ("min", "Pa"). C-rates ("C/10", "2C", "0.5 C") are a separate grammar (parse_c_rate) because "C"
// is also the coulomb.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace cathodelab::core {

/// Exponents of the base dimensions: length, mass, time, current, temperature, amount, and
/// currency (for costs; "$" is its unit, prices are not converted between currencies).
struct Dimension {
  std::array<std::int8_t, 7> exponent{};
  bool operator==(const Dimension&) const = default;
};

namespace dim {
// clang-format off
inline constexpr Dimension dimensionless{};
inline constexpr Dimension length{{1, 0, 0, 0, 0, 0, 0}};                 // m
inline constexpr Dimension area{{2, 0, 0, 0, 0, 0, 0}};                   // m^2
inline constexpr Dimension volume{{3, 0, 0, 0, 0, 0, 0}};                 // m^3
inline constexpr Dimension mass{{0, 1, 0, 0, 0, 0, 0}};                   // kg
inline constexpr Dimension time{{0, 0, 1, 0, 0, 0, 0}};                   // s
inline constexpr Dimension frequency{{0, 0, -1, 0, 0, 0, 0}};             // Hz
inline constexpr Dimension current{{0, 0, 0, 1, 0, 0, 0}};                // A
inline constexpr Dimension temperature{{0, 0, 0, 0, 1, 0, 0}};            // K
inline constexpr Dimension amount{{0, 0, 0, 0, 0, 1, 0}};                 // mol
inline constexpr Dimension currency{{0, 0, 0, 0, 0, 0, 1}};               // $
inline constexpr Dimension charge{{0, 0, 1, 1, 0, 0, 0}};                 // C = A s
inline constexpr Dimension voltage{{2, 1, -3, -1, 0, 0, 0}};              // V
inline constexpr Dimension resistance{{2, 1, -3, -2, 0, 0, 0}};           // Ohm
inline constexpr Dimension conductivity{{-3, -1, 3, 2, 0, 0, 0}};         // S/m
inline constexpr Dimension area_resistance{{4, 1, -3, -2, 0, 0, 0}};      // Ohm m^2
inline constexpr Dimension capacitance_per_area{{-4, -1, 4, 2, 0, 0, 0}}; // F/m^2
inline constexpr Dimension pressure{{-1, 1, -2, 0, 0, 0, 0}};             // Pa
inline constexpr Dimension energy{{2, 1, -2, 0, 0, 0, 0}};                // J
inline constexpr Dimension power{{2, 1, -3, 0, 0, 0, 0}};                 // W
inline constexpr Dimension density{{-3, 1, 0, 0, 0, 0, 0}};               // kg/m^3
inline constexpr Dimension areal_mass{{-2, 1, 0, 0, 0, 0, 0}};            // kg/m^2
inline constexpr Dimension areal_capacity{{-2, 0, 1, 1, 0, 0, 0}};        // C/m^2
inline constexpr Dimension current_density{{-2, 0, 0, 1, 0, 0, 0}};       // A/m^2
inline constexpr Dimension specific_capacity{{0, -1, 1, 1, 0, 0, 0}};     // C/kg
inline constexpr Dimension diffusivity{{2, 0, -1, 0, 0, 0, 0}};           // m^2/s
inline constexpr Dimension concentration{{-3, 0, 0, 0, 0, 1, 0}};         // mol/m^3
inline constexpr Dimension molar_mass{{0, 1, 0, 0, 0, -1, 0}};            // kg/mol
inline constexpr Dimension molar_volume{{3, 0, 0, 0, 0, -1, 0}};          // m^3/mol
inline constexpr Dimension molar_energy{{2, 1, -2, 0, 0, -1, 0}};         // J/mol
inline constexpr Dimension specific_area{{-1, 0, 0, 0, 0, 0, 0}};         // m^2/m^3 = 1/m
inline constexpr Dimension rate_constant{{1, 0, -1, 0, 0, 0, 0}};         // m/s
inline constexpr Dimension cost_per_mass{{0, -1, 0, 0, 0, 0, 1}};         // $/kg
inline constexpr Dimension cost_per_volume{{-3, 0, 0, 0, 0, 0, 1}};       // $/m^3
inline constexpr Dimension cost_per_area{{-2, 0, 0, 0, 0, 0, 1}};         // $/m^2
inline constexpr Dimension cost_per_energy{{-2, -1, 2, 0, 0, 0, 1}};      // $/J
// clang-format on
}  // namespace dim

/// A parsed value in SI base units with its dimension.
struct Quantity {
  double value = 0.0;
  Dimension dimension{};
};

/// Parses "NUMBER UNIT" into SI. Throws InputError (problem + fix with an example) for an unknown
/// unit, a malformed number, or an affine temperature inside a compound unit. A bare number is a
/// dimensionless quantity.
[[nodiscard]] Quantity parse_quantity(std::string_view text);

/// Parses and checks the dimension. A bare number for a dimensional key is refused with an example
/// of the right form (`example`, e.g. "80 um"); `key` names the input key in the message.
[[nodiscard]] double parse_quantity_as(std::string_view text, Dimension expected,
                                       std::string_view key, std::string_view example);

/// Parses a C-rate: "C/10" -> 0.1, "2C" -> 2, "0.5 C" -> 0.5, "1C" -> 1 (multiples of the rate that
/// discharges the nominal capacity in one hour).
[[nodiscard]] double parse_c_rate(std::string_view text, std::string_view key);

/// Human-readable SI unit of a dimension, e.g. "m^-3 kg^-1 s^3 A^2" or a named one ("S/m") when
/// known.
[[nodiscard]] std::string dimension_name(Dimension dimension);

}  // namespace cathodelab::core
