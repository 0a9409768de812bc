// Physical constants, exact values of the SI since 2019 (BIPM, The International System of Units,
// 9th edition, 2019). The one place they are defined: every module takes them from here.
#pragma once

namespace cathodelab::core {

/// Avogadro constant [1/mol].
inline constexpr double avogadro = 6.02214076e23;
/// Elementary charge [C].
inline constexpr double elementary_charge = 1.602176634e-19;
/// Boltzmann constant [J/K].
inline constexpr double boltzmann = 1.380649e-23;
/// Faraday constant F = N_A e [C/mol] (96485.33212...).
inline constexpr double faraday_constant = avogadro * elementary_charge;
/// Molar gas constant R = N_A k_B [J/(mol K)] (8.314462618...).
inline constexpr double gas_constant = avogadro * boltzmann;
/// 25 degC [K], the reference temperature of most room-temperature data.
inline constexpr double room_temperature = 298.15;

}  // namespace cathodelab::core
