// Recursive-descent compiler and stack evaluator for echem::Expression (see expression.hpp).
//
// Every recursive path of the compiler passes through unary(), which counts the nesting and refuses
// input deeper than kMaxDepth, so no text can overflow the call stack; the same bound sizes the
// evaluation stack.
#include "cathodelab/echem/expression.hpp"

#include "cathodelab/core/constants.hpp"
#include "cathodelab/core/error.hpp"
#include "cathodelab/core/suggest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <system_error>

namespace cathodelab::echem {
namespace {

// Nesting levels (parentheses, unary signs, power exponents, function calls) one expression may
// have; real parameter functions use fewer than ten.
constexpr int kMaxDepth = 256;
// Each nesting level leaves at most three operands waiting (a sum's, a product's or a function's
// earlier argument, and a power's base), so this many stack slots always suffice.
constexpr std::size_t kStackCapacity = 4 * (static_cast<std::size_t>(kMaxDepth) + 1);
// Longest expression text quoted in full in an error message.
constexpr std::size_t kShownLength = 120;

enum Op : int {
  push_constant,
  push_variable,
  add,
  subtract,
  multiply,
  divide,
  power,
  negate,
  f_exp,
  f_log,
  f_log10,
  f_sqrt,
  f_tanh,
  f_sinh,
  f_cosh,
  f_abs,
  f_min,
  f_max,
  f_pow,
};

struct FunctionInfo {
  const char* name;
  Op op;
  int arity;
};
constexpr std::array<FunctionInfo, 11> functions{{{"exp", f_exp, 1},
                                                  {"log", f_log, 1},
                                                  {"log10", f_log10, 1},
                                                  {"sqrt", f_sqrt, 1},
                                                  {"tanh", f_tanh, 1},
                                                  {"sinh", f_sinh, 1},
                                                  {"cosh", f_cosh, 1},
                                                  {"abs", f_abs, 1},
                                                  {"min", f_min, 2},
                                                  {"max", f_max, 2},
                                                  {"pow", f_pow, 2}}};

class Compiler {
 public:
  Compiler(std::string_view text, const std::vector<std::string>& variables, std::string_view key)
      : text_(text), variables_(variables), key_(key) {}

  std::vector<Expression::Instruction> compile() {
    sum();
    skip_space();
    if (pos_ < text_.size())
      fail(fmt::format("unexpected '{}'", text_[pos_]), "check the operators");
    return std::move(program_);
  }

 private:
  std::string_view text_;
  const std::vector<std::string>& variables_;
  std::string_view key_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::vector<Expression::Instruction> program_;

  [[noreturn]] void fail(const std::string& problem, const std::string& fix) const {
    const std::string shown = text_.size() <= kShownLength
                                  ? std::string(text_)
                                  : std::string(text_.substr(0, kShownLength)) + "...";
    throw core::InputError(
        fmt::format("in expression \"{}\" at column {}: {}", shown, pos_ + 1, problem),
        std::string(key_), fix);
  }

  // Counts one nesting level for as long as it lives.
  class Nesting {
   public:
    explicit Nesting(Compiler& compiler) : compiler_(compiler) {
      if (++compiler_.depth_ > kMaxDepth) {
        compiler_.fail(fmt::format("expression nests deeper than {} levels (parentheses, signs, "
                                   "powers and function calls)",
                                   kMaxDepth),
                       "simplify it, e.g. drop redundant parentheses or signs");
      }
    }
    ~Nesting() { --compiler_.depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Compiler& compiler_;
  };
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool accept(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void emit(Op op, double value = 0.0, int index = 0) { program_.push_back({op, value, index}); }

  void sum() {
    product();
    for (;;) {
      if (accept('+')) {
        product();
        emit(add);
      } else if (accept('-')) {
        product();
        emit(subtract);
      } else {
        return;
      }
    }
  }
  void product() {
    unary();
    for (;;) {
      skip_space();
      if (pos_ + 1 < text_.size() && text_[pos_] == '*' && text_[pos_ + 1] == '*') return;
      if (accept('*')) {
        unary();
        emit(multiply);
      } else if (accept('/')) {
        unary();
        emit(divide);
      } else {
        return;
      }
    }
  }
  void unary() {
    const Nesting level(*this);
    if (accept('-')) {
      unary();
      emit(negate);
    } else if (accept('+')) {
      unary();
    } else {
      power_expression();
    }
  }
  void power_expression() {
    atom();
    skip_space();
    const bool caret = pos_ < text_.size() && text_[pos_] == '^';
    const bool stars = pos_ + 1 < text_.size() && text_[pos_] == '*' && text_[pos_ + 1] == '*';
    if (caret || stars) {
      pos_ += caret ? 1 : 2;
      unary();  // right associative, allows 2^-1
      emit(power);
    }
  }
  void atom() {
    skip_space();
    if (pos_ >= text_.size()) fail("expression ends early", "complete the expression");
    const char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      sum();
      if (!accept(')')) fail("missing ')'", "balance the parentheses");
      return;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      number();
      return;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      name();
      return;
    }
    fail(fmt::format("unexpected '{}'", c), "use numbers, names, + - * / ^ and parentheses");
  }
  void number() {
    const char* first = text_.data() + pos_;
    double value = 0.0;
    const auto [end, error] = std::from_chars(first, text_.data() + text_.size(), value);
    if (error == std::errc::result_out_of_range || (error == std::errc{} && !std::isfinite(value)))
      fail("number out of range", "use a value between 1e-300 and 1e300 in magnitude");
    if (error != std::errc{}) fail("malformed number", "write numbers like 1.5e-3");
    pos_ += static_cast<std::size_t>(end - first);
    emit(push_constant, value);
  }
  void name() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      ++pos_;
    }
    const std::string word(text_.substr(start, pos_ - start));
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '(') {
      const auto* const it = std::find_if(functions.begin(), functions.end(),
                                          [&](const FunctionInfo& f) { return word == f.name; });
      if (it == functions.end()) {
        std::vector<std::string> names;
        names.reserve(functions.size());
        for (const auto& f : functions) names.emplace_back(f.name);
        pos_ = start;
        fail(fmt::format("unknown function '{}'", word), core::suggestion_text(word, names));
      }
      ++pos_;
      for (int a = 0; a < it->arity; ++a) {
        if (a > 0 && !accept(','))
          fail(fmt::format("{}() takes {} arguments", word, it->arity),
               "separate arguments with ','");
        sum();
      }
      if (!accept(')'))
        fail(fmt::format("missing ')' after the arguments of {}()", word),
             "balance the parentheses");
      emit(it->op);
      return;
    }
    for (std::size_t i = 0; i < variables_.size(); ++i) {
      if (word == variables_[i]) {
        emit(push_variable, 0.0, static_cast<int>(i));
        return;
      }
    }
    if (word == "pi") return emit(push_constant, std::acos(-1.0));
    if (word == "R") return emit(push_constant, core::gas_constant);
    if (word == "F") return emit(push_constant, core::faraday_constant);
    std::vector<std::string> names = variables_;
    names.insert(names.end(), {"pi", "R", "F"});
    pos_ = start;
    fail(fmt::format("unknown name '{}'", word), core::suggestion_text(word, names));
  }
};

}  // namespace

Expression Expression::parse(std::string_view text, std::vector<std::string> variables,
                             std::string_view key) {
  Expression e;
  e.text_ = std::string(text);
  e.variables_ = std::move(variables);
  e.program_ = Compiler(e.text_, e.variables_, key).compile();
  int depth = 0;
  for (const auto& ins : e.program_) {
    switch (ins.op) {
      case push_constant:
      case push_variable:
        ++depth;
        break;
      case add:
      case subtract:
      case multiply:
      case divide:
      case power:
      case f_min:
      case f_max:
      case f_pow:
        --depth;
        break;
      default:
        break;
    }
    e.max_stack_ = std::max(e.max_stack_, depth);
  }
  CATHODELAB_REQUIRE(static_cast<std::size_t>(e.max_stack_) <= kStackCapacity,
                     "the nesting bound does not bound the evaluation stack");
  return e;
}

double Expression::operator()(std::span<const double> values) const {
  CATHODELAB_REQUIRE(values.size() == variables_.size(), "wrong number of expression variables");
  std::array<double, kStackCapacity> stack;  // not cleared: every slot is pushed before it is read
  int top = -1;
  for (const auto& ins : program_) {
    switch (ins.op) {
      case push_constant:
        stack[static_cast<std::size_t>(++top)] = ins.value;
        break;
      case push_variable:
        stack[static_cast<std::size_t>(++top)] = values[static_cast<std::size_t>(ins.index)];
        break;
      default: {
        auto& a = stack[static_cast<std::size_t>(top)];
        switch (ins.op) {
          case negate:
            a = -a;
            break;
          case f_exp:
            a = std::exp(a);
            break;
          case f_log:
            a = std::log(a);
            break;
          case f_log10:
            a = std::log10(a);
            break;
          case f_sqrt:
            a = std::sqrt(a);
            break;
          case f_tanh:
            a = std::tanh(a);
            break;
          case f_sinh:
            a = std::sinh(a);
            break;
          case f_cosh:
            a = std::cosh(a);
            break;
          case f_abs:
            a = std::abs(a);
            break;
          default: {
            const double b = a;
            --top;
            auto& l = stack[static_cast<std::size_t>(top)];
            switch (ins.op) {
              case add:
                l += b;
                break;
              case subtract:
                l -= b;
                break;
              case multiply:
                l *= b;
                break;
              case divide:
                l /= b;
                break;
              case power:
              case f_pow:
                l = std::pow(l, b);
                break;
              case f_min:
                l = std::min(l, b);
                break;
              case f_max:
                l = std::max(l, b);
                break;
              default:
                break;
            }
          }
        }
      }
    }
  }
  return stack[0];
}

}  // namespace cathodelab::echem
