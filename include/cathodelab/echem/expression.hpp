// A small, safe arithmetic expression evaluator for parameter functions written as text, as the
// Battery Parameter eXchange (BPX) schema and our TOML parameter files do, e.g.
// "2.16216 + 0.07645*tanh(30.834 - 54.4806*x)" or "5.34e-10*exp(-0.65*c_e/1000)".
//
// Grammar (precedence low to high): sum = product (('+'|'-') product)*; product = unary (('*'|'/')
// unary)*; unary = ('-'|'+') unary | power; power = atom ('^' unary)? (also "**"); atom = NUMBER |
// NAME | NAME '(' sum (',' sum)* ')' | '(' sum ')'. Functions: exp, log (natural), log10, sqrt,
// tanh, sinh, cosh, abs, min, max, pow. Names are the variables given at parse time plus the
// constants pi, R (8.314462618 J/mol/K) and F (96485.33212 C/mol). The text is compiled once to a
// stack program, so evaluation in the residual loop allocates nothing. Nesting (parentheses, signs,
// power exponents, function calls) is limited to 256 levels and numbers must be finite doubles;
// beyond that parse() throws core::InputError.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cathodelab::echem {

class Expression {
 public:
  /// Compiles `text`; throws core::InputError with the 1-based column and a did-you-mean for an
  /// unknown name. `key` names the input key in messages.
  static Expression parse(std::string_view text, std::vector<std::string> variables,
                          std::string_view key = {});

  /// Value for the variables in the order given to parse().
  [[nodiscard]] double operator()(std::span<const double> values) const;
  [[nodiscard]] double operator()(double x) const {
    return (*this)(std::span<const double>(&x, 1));
  }
  [[nodiscard]] double operator()(double x, double y) const {
    const double v[2] = {x, y};
    return (*this)(std::span<const double>(v, 2));
  }

  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  [[nodiscard]] const std::vector<std::string>& variables() const noexcept { return variables_; }

  struct Instruction {
    int op = 0;
    double value = 0.0;
    int index = 0;
  };

 private:
  std::string text_;
  std::vector<std::string> variables_;
  std::vector<Instruction> program_;
  int max_stack_ = 0;
};

}  // namespace cathodelab::echem
