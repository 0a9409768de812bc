// Unit parsing at the input boundary (see units.hpp for the grammar).
//
// The parser works on string_views and a static table of units; the success path allocates
// nothing. Lookup order for a symbol: exact unit symbol first ("min", "Pa", "mol", "M", "h"), then
// SI prefix + prefixable unit ("mS", "MPa", "mAh", "um", "µm"). Exact-first is what makes "min"
// minutes rather than milli-inches and "Pa" pascal rather than peta-something.
#include "cathodelab/core/units.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/suggest.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

namespace cathodelab::core {
namespace {

constexpr Dimension kSiemens{{-2, -1, 3, 2, 0, 0, 0}};
constexpr Dimension kFarad{{-2, -1, 4, 2, 0, 0, 0}};
constexpr Dimension kNewton{{1, 1, -2, 0, 0, 0, 0}};

struct UnitDef {
  std::string_view symbol;
  double scale;  ///< SI value of one unit
  Dimension dimension;
  bool prefixable;
};

constexpr double kHour = 3600.0;
constexpr double kElementaryCharge = 1.602176634e-19;  // C (exact, SI 2019)

// Every recognised unit symbol. Mass base is kg, so the gram is 1e-3.
constexpr UnitDef kUnits[] = {
    {"m", 1.0, dim::length, true},
    {"angstrom", 1e-10, dim::length, false},
    {"\xc3\x85", 1e-10, dim::length, false},      // Å U+00C5
    {"\xe2\x84\xab", 1e-10, dim::length, false},  // Å U+212B angstrom sign
    {"g", 1e-3, dim::mass, true},
    {"t", 1e3, dim::mass, false},
    {"s", 1.0, dim::time, true},
    {"sec", 1.0, dim::time, false},
    {"min", 60.0, dim::time, false},
    {"minute", 60.0, dim::time, false},
    {"minutes", 60.0, dim::time, false},
    {"h", kHour, dim::time, false},
    {"hr", kHour, dim::time, false},
    {"hour", kHour, dim::time, false},
    {"hours", kHour, dim::time, false},
    {"d", 86400.0, dim::time, false},
    {"day", 86400.0, dim::time, false},
    {"days", 86400.0, dim::time, false},
    {"A", 1.0, dim::current, true},
    {"V", 1.0, dim::voltage, true},
    {"W", 1.0, dim::power, true},
    {"J", 1.0, dim::energy, true},
    {"Wh", kHour, dim::energy, true},
    {"eV", kElementaryCharge, dim::energy, true},
    {"C", 1.0, dim::charge, true},
    {"Ah", kHour, dim::charge, true},
    {"S", 1.0, kSiemens, true},
    {"Ohm", 1.0, dim::resistance, true},
    {"ohm", 1.0, dim::resistance, true},
    {"\xce\xa9", 1.0, dim::resistance, true},      // Ω U+03A9 Greek capital omega
    {"\xe2\x84\xa6", 1.0, dim::resistance, true},  // Ω U+2126 ohm sign
    {"F", 1.0, kFarad, true},
    {"N", 1.0, kNewton, true},
    {"Pa", 1.0, dim::pressure, true},
    {"bar", 1e5, dim::pressure, true},
    {"atm", 101325.0, dim::pressure, false},
    {"K", 1.0, dim::temperature, true},
    {"mol", 1.0, dim::amount, true},
    {"M", 1e3, dim::concentration, true},  // mol/L
    {"L", 1e-3, dim::volume, true},
    {"l", 1e-3, dim::volume, true},
    {"Hz", 1.0, dim::frequency, true},
    {"$", 1.0, dim::currency, false},
    {"USD", 1.0, dim::currency, false},
    {"%", 0.01, dim::dimensionless, false},
    {"wt%", 0.01, dim::dimensionless, false},
    {"vol%", 0.01, dim::dimensionless, false},
    {"at%", 0.01, dim::dimensionless, false},
    {"mol%", 0.01, dim::dimensionless, false},
    {"ppm", 1e-6, dim::dimensionless, false},
    {"1", 1.0, dim::dimensionless, false},
};

struct Prefix {
  std::string_view symbol;
  double factor;
};

constexpr Prefix kPrefixes[] = {
    {"da", 1e1},
    {"y", 1e-24},
    {"z", 1e-21},
    {"a", 1e-18},
    {"f", 1e-15},
    {"p", 1e-12},
    {"n", 1e-9},
    {"u", 1e-6},
    {"\xc2\xb5", 1e-6} /* µ U+00B5 */,
    {"\xce\xbc", 1e-6} /* μ U+03BC */,
    {"m", 1e-3},
    {"c", 1e-2},
    {"d", 1e-1},
    {"h", 1e2},
    {"k", 1e3},
    {"M", 1e6},
    {"G", 1e9},
    {"T", 1e12},
    {"P", 1e15},
    {"E", 1e18},
    {"Z", 1e21},
    {"Y", 1e24},
};

// Affine temperature scales, allowed only as the whole unit.
struct AffineUnit {
  std::string_view symbol;
  double scale;   ///< K per degree
  double offset;  ///< K at zero of the scale
};
constexpr AffineUnit kAffine[] = {
    {"degC", 1.0, 273.15},
    {"\xc2\xb0"
     "C",
     1.0, 273.15},  // °C
    {"degF", 5.0 / 9.0, 273.15 - 32.0 * 5.0 / 9.0},
    {"\xc2\xb0"
     "F",
     5.0 / 9.0, 273.15 - 32.0 * 5.0 / 9.0},
};

struct NamedDimension {
  Dimension dimension;
  std::string_view unit;
  std::string_view quantity;
};

constexpr NamedDimension kNamed[] = {
    {dim::dimensionless, "1", "dimensionless number"},
    {dim::length, "m", "length"},
    {dim::area, "m^2", "area"},
    {dim::volume, "m^3", "volume"},
    {dim::mass, "kg", "mass"},
    {dim::time, "s", "time"},
    {dim::frequency, "Hz", "frequency"},
    {dim::current, "A", "current"},
    {dim::temperature, "K", "temperature"},
    {dim::amount, "mol", "amount of substance"},
    {dim::currency, "$", "cost"},
    {dim::charge, "C", "charge"},
    {dim::voltage, "V", "voltage"},
    {dim::resistance, "Ohm", "resistance"},
    {dim::conductivity, "S/m", "conductivity"},
    {dim::area_resistance, "Ohm m^2", "area-specific resistance"},
    {dim::capacitance_per_area, "F/m^2", "capacitance per area"},
    {dim::pressure, "Pa", "pressure"},
    {dim::energy, "J", "energy"},
    {dim::power, "W", "power"},
    {dim::density, "kg/m^3", "density"},
    {dim::areal_mass, "kg/m^2", "areal mass"},
    {dim::areal_capacity, "C/m^2", "areal capacity"},
    {dim::current_density, "A/m^2", "current density"},
    {dim::specific_capacity, "C/kg", "specific capacity"},
    {dim::diffusivity, "m^2/s", "diffusivity"},
    {dim::concentration, "mol/m^3", "concentration"},
    {dim::molar_mass, "kg/mol", "molar mass"},
    {dim::molar_volume, "m^3/mol", "molar volume"},
    {dim::molar_energy, "J/mol", "molar energy"},
    {dim::specific_area, "1/m", "specific area"},
    {dim::rate_constant, "m/s", "rate constant"},
    {dim::cost_per_mass, "$/kg", "cost per mass"},
    {dim::cost_per_volume, "$/m^3", "cost per volume"},
    {dim::cost_per_area, "$/m^2", "cost per area"},
    {dim::cost_per_energy, "$/J", "cost per energy"},
    {kSiemens, "S", "conductance"},
    {kFarad, "F", "capacitance"},
    {kNewton, "N", "force"},
};

constexpr std::string_view kGenericFix = "write a number followed by a unit, e.g. \"80 um\"";

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() &&
         (is_space(text.front()) || text.front() == '\n' || text.front() == '\r')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (is_space(text.back()) || text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

// a * b^power, refusing exponents that Dimension cannot hold (a wrapped exponent would silently
// turn "m^9 m^9 ..." into a different unit).
Dimension multiply(Dimension a, Dimension b, int power, std::string_view whole) {
  constexpr int kLimit = std::numeric_limits<std::int8_t>::max();
  for (std::size_t i = 0; i < a.exponent.size(); ++i) {
    const int exponent = a.exponent[i] + power * b.exponent[i];
    if (exponent > kLimit || exponent < -kLimit) {
      throw InputError("unit " + quoted(whole) + " raises a base dimension beyond the power " +
                           std::to_string(kLimit),
                       {}, "write units with small integer powers, e.g. \"mg/cm^2\"");
    }
    a.exponent[i] = static_cast<std::int8_t>(exponent);
  }
  return a;
}

const std::vector<std::string>& unit_symbols() {
  static const std::vector<std::string> symbols = [] {
    std::vector<std::string> list;
    for (const auto& unit : kUnits) {
      if (unit.symbol != "1") list.emplace_back(unit.symbol);
    }
    for (const auto& unit : kAffine) list.emplace_back(unit.symbol);
    // Common prefixed forms, so that typos of them are recognised ("mAhg" -> "mAh").
    for (const char* extra : {"kg", "cm", "mm", "um", "nm", "mAh", "mS", "kPa", "MPa", "GPa", "mV",
                              "kWh", "mWh", "mA", "ms", "mL", "mol"}) {
      list.emplace_back(extra);
    }
    return list;
  }();
  return symbols;
}

const UnitDef* find_exact(std::string_view symbol) {
  for (const auto& unit : kUnits) {
    if (unit.symbol == symbol) return &unit;
  }
  return nullptr;
}

struct Resolved {
  double scale;
  Dimension dimension;
};

std::optional<Resolved> resolve_symbol(std::string_view symbol) {
  if (const UnitDef* unit = find_exact(symbol)) return Resolved{unit->scale, unit->dimension};
  for (const auto& prefix : kPrefixes) {
    if (symbol.size() > prefix.symbol.size() && symbol.starts_with(prefix.symbol)) {
      const UnitDef* unit = find_exact(symbol.substr(prefix.symbol.size()));
      if (unit != nullptr && unit->prefixable) {
        return Resolved{prefix.factor * unit->scale, unit->dimension};
      }
    }
  }
  return std::nullopt;
}

[[noreturn]] void throw_unknown_unit(std::string_view symbol, std::string_view text) {
  const auto near = nearest(symbol, unit_symbols());
  throw InputError("unknown unit " + quoted(symbol) + " in " + quoted(text), {},
                   near ? "did you mean '" + *near + "'?"
                        : std::string("known units: m, g, s, min, h, day, A, V, W, J, Wh, eV, C, "
                                      "Ah, S, Ohm, F, N, Pa, bar, atm, K, degC, degF, mol, M, L, "
                                      "Hz, $, %, wt%, vol%, with SI prefixes (u or µ for micro)"));
}

// Reads the leading number of `text` (with optional sign) and advances `text` past it.
double read_number(std::string_view& text, std::string_view whole) {
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  // from_chars would accept "nan"/"inf": only digits or a decimal point may start a number.
  if (rest.empty() ||
      !(std::isdigit(static_cast<unsigned char>(rest.front())) != 0 || rest.front() == '.')) {
    throw InputError("no number in " + quoted(whole), {}, std::string(kGenericFix));
  }
  double value = 0.0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  if (error == std::errc::result_out_of_range || (error == std::errc{} && !std::isfinite(value))) {
    throw InputError("number out of range in " + quoted(whole), {},
                     "use a value between 1e-300 and 1e300 in magnitude, or a prefixed unit");
  }
  if (error != std::errc{}) {
    throw InputError("malformed number in " + quoted(whole), {}, std::string(kGenericFix));
  }
  text = rest.substr(static_cast<std::size_t>(end - rest.data()));
  return negative ? -value : value;
}

// Parses one FACTOR = PREFIX? SYMBOL ('^' INT)? (or a UTF-8 superscript 2/3).
Resolved parse_factor(std::string_view factor, std::string_view whole) {
  int power = 1;
  std::string_view symbol = factor;
  if (const auto caret = factor.find('^'); caret != std::string_view::npos) {
    symbol = factor.substr(0, caret);
    const std::string_view exponent = factor.substr(caret + 1);
    const char* first = exponent.data();
    const char* last = exponent.data() + exponent.size();
    if (first != last && *first == '+') ++first;
    const auto [end, error] = std::from_chars(first, last, power);
    if (error != std::errc{} || end != last || power == 0 || power > 9 || power < -9) {
      throw InputError("bad exponent " + quoted(exponent) + " in " + quoted(whole), {},
                       "write integer powers from -9 to 9 such as \"cm^2\" or \"s^-1\"");
    }
  } else if (factor.ends_with("\xc2\xb2")) {  // ²
    symbol = factor.substr(0, factor.size() - 2);
    power = 2;
  } else if (factor.ends_with("\xc2\xb3")) {  // ³
    symbol = factor.substr(0, factor.size() - 2);
    power = 3;
  }
  if (symbol.empty()) {
    throw InputError("missing unit symbol in " + quoted(whole), {},
                     "write units like \"mg/cm^2\" or \"S m^-1\"");
  }
  const auto resolved = resolve_symbol(symbol);
  if (!resolved) {
    for (const auto& affine : kAffine) {
      if (affine.symbol == symbol) {
        throw InputError(
            "temperature scale " + quoted(symbol) + " inside the compound unit " + quoted(whole),
            {}, "use K in compound units (a temperature difference of 1 degC is 1 K)");
      }
    }
    throw_unknown_unit(symbol, whole);
  }
  return {std::pow(resolved->scale, power),
          multiply(Dimension{}, resolved->dimension, power, whole)};
}

Quantity parse_unit_expression(double number, std::string_view unit, std::string_view whole) {
  for (const auto& affine : kAffine) {
    if (unit == affine.symbol) {
      return {number * affine.scale + affine.offset, dim::temperature};
    }
  }
  double scale = 1.0;
  Dimension dimension{};
  int sign = 1;  // -1 for the one factor following '/'
  bool expect_factor = true;
  std::size_t i = 0;
  while (i < unit.size()) {
    const char c = unit[i];
    if (is_space(c) || c == '*' || c == '.' || c == '/') {
      // Separators: spaces and '*' / '.' multiply, '/' divides by the next factor only
      // ("J/mol/K" = J mol^-1 K^-1); two operators in a row are an error.
      if (c == '/' || c == '*' || c == '.') {
        if (expect_factor) {
          throw InputError(
              "misplaced " + quoted(std::string_view(&unit[i], 1)) + " in " + quoted(whole), {},
              "write units like \"mg/cm^2\", \"mS/cm\" or \"J mol^-1 K^-1\"");
        }
        if (c == '/') sign = -1;
        expect_factor = true;
      }
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < unit.size() && !is_space(unit[end]) && unit[end] != '*' && unit[end] != '/' &&
           unit[end] != '.') {
      ++end;
    }
    const Resolved factor = parse_factor(unit.substr(i, end - i), whole);
    scale = sign > 0 ? scale * factor.scale : scale / factor.scale;
    dimension = multiply(dimension, factor.dimension, sign, whole);
    sign = 1;
    expect_factor = false;
    i = end;
  }
  if (expect_factor) {
    throw InputError("unit " + quoted(unit) + " ends with an operator in " + quoted(whole), {},
                     "write units like \"mg/cm^2\"");
  }
  const double value = number * scale;
  // A non-zero number whose product underflowed to zero is as far out of range as an overflow.
  if (!std::isfinite(value) || (value == 0.0 && number != 0.0)) {
    throw InputError("value out of range in " + quoted(whole), {},
                     "use a value within 1e300 in magnitude once converted to SI");
  }
  return {value, dimension};
}

const NamedDimension* find_named(Dimension dimension) {
  for (const auto& named : kNamed) {
    if (named.dimension == dimension) return &named;
  }
  return nullptr;
}

std::string describe(Dimension dimension) {
  if (const NamedDimension* named = find_named(dimension)) {
    return std::string(named->quantity) + " [" + std::string(named->unit) + "]";
  }
  return "[" + dimension_name(dimension) + "]";
}

}  // namespace

Quantity parse_quantity(std::string_view text) {
  const std::string_view whole = trim(text);
  if (whole.empty()) {
    throw InputError("empty value", {}, std::string(kGenericFix));
  }
  std::string_view rest = whole;
  const double number = read_number(rest, whole);
  const std::string_view unit = trim(rest);
  if (unit.empty()) return {number, dim::dimensionless};
  return parse_unit_expression(number, unit, whole);
}

double parse_quantity_as(std::string_view text, Dimension expected, std::string_view key,
                         std::string_view example) {
  // Strings for messages are built only on the error paths: the success path allocates nothing.
  const auto key_path = [key] { return std::string(key); };
  const auto example_text = [example] {
    return example.empty() ? std::string() : " (e.g. \"" + std::string(example) + "\")";
  };
  Quantity quantity;
  try {
    quantity = parse_quantity(text);
  } catch (const InputError& error) {
    // A specific fix (did-you-mean, use K) stays; the generic one gives way to the key's example.
    std::string fix = error.fix();
    if (!example.empty()) {
      const std::string like = "write it like \"" + std::string(example) + "\"";
      if (fix == kGenericFix) {
        fix = like;
      } else {
        fix += (fix.ends_with('?') ? " Or " : "; ") + like;
      }
    }
    throw InputError(error.problem(), key_path(), fix, error.where());
  }
  if (quantity.dimension == expected) return quantity.value;
  const std::string_view trimmed = trim(text);
  const bool bare = trimmed.find_first_not_of("0123456789.eE+- \t") == std::string_view::npos;
  if (bare) {
    throw InputError("number " + quoted(trimmed) + " without a unit", key_path(),
                     "write it with a unit of " + describe(expected) + example_text());
  }
  throw InputError("expected " + describe(expected) + " but " + quoted(trimmed) + " is " +
                       describe(quantity.dimension),
                   key_path(), "write it with a unit of " + describe(expected) + example_text());
}

double parse_c_rate(std::string_view text, std::string_view key) {
  const std::string_view whole = trim(text);
  const auto refuse = [key](const std::string& problem) {
    throw InputError(problem, std::string(key),
                     "write a C-rate like \"C/10\", \"0.5C\", \"2 C\" or \"1C\"");
  };
  if (whole.empty()) refuse("empty C-rate");
  std::string_view rest = whole;
  double multiple = 1.0;
  if (rest.front() != 'C') {
    try {
      multiple = read_number(rest, whole);
    } catch (const InputError&) {
      refuse("malformed C-rate " + quoted(whole));
    }
    rest = trim(rest);
  }
  if (rest.empty() || rest.front() != 'C') refuse("malformed C-rate " + quoted(whole));
  rest.remove_prefix(1);
  rest = trim(rest);
  if (!rest.empty()) {
    if (rest.front() != '/') refuse("malformed C-rate " + quoted(whole));
    rest.remove_prefix(1);
    rest = trim(rest);
    double divisor = 0.0;
    try {
      divisor = read_number(rest, whole);
    } catch (const InputError&) {
      refuse("malformed C-rate " + quoted(whole));
    }
    if (!trim(rest).empty()) refuse("malformed C-rate " + quoted(whole));
    if (!(divisor > 0.0)) refuse("C-rate " + quoted(whole) + " divides by a non-positive number");
    multiple /= divisor;
  }
  if (!(multiple > 0.0) || !std::isfinite(multiple)) {
    refuse("C-rate " + quoted(whole) + " must be positive");
  }
  return multiple;
}

std::string dimension_name(Dimension dimension) {
  if (const NamedDimension* named = find_named(dimension)) return std::string(named->unit);
  static constexpr std::string_view kBase[] = {"m", "kg", "s", "A", "K", "mol", "$"};
  std::string text;
  for (std::size_t i = 0; i < dimension.exponent.size(); ++i) {
    // A signed exponent stored in int8_t, not a character.
    const int power = dimension.exponent[i];  // NOLINT(bugprone-signed-char-misuse)
    if (power == 0) continue;
    if (!text.empty()) text += ' ';
    text += kBase[i];
    if (power != 1) text += "^" + std::to_string(power);
  }
  return text.empty() ? "1" : text;
}

}  // namespace cathodelab::core
