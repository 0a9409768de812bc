// Property functions for the cell model: constants, formulas (echem::Expression or any callable)
// and tables with the monotone piecewise-cubic Hermite interpolation of core/monotone_cubic.hpp
// (Fritsch and Carlson, SIAM J. Numer. Anal. 17 (1980) 238; the same one the materials library
// uses), which never overshoots between table points, so an OCP table that decreases stays
// decreasing.
//
// Function1 is f(x) (open-circuit potential of stoichiometry); Function2 is f(x, T) (solid
// diffusivity of stoichiometry and temperature; electrolyte properties of concentration and
// temperature). A function may carry a domain (a table's range); evaluation clamps to it, and the
// cell model stops a step whose state leaves it.
#pragma once

#include <functional>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace cathodelab::echem {

/// Piecewise-cubic monotone interpolation through (x_i, y_i), x strictly increasing.
class MonotoneTable {
 public:
  /// Throws core::InputError (under `key`) when x is not strictly increasing or sizes differ.
  MonotoneTable(std::vector<double> x, std::vector<double> y, const std::string& key = {});
  [[nodiscard]] double operator()(double x) const;
  [[nodiscard]] double front() const noexcept { return x_.front(); }
  [[nodiscard]] double back() const noexcept { return x_.back(); }
  [[nodiscard]] const std::vector<double>& x() const noexcept { return x_; }
  [[nodiscard]] const std::vector<double>& y() const noexcept { return y_; }
  /// +1 if y never decreases, -1 if it never increases, 0 otherwise.
  [[nodiscard]] int monotonicity() const noexcept;

 private:
  std::vector<double> x_, y_, slope_;
};

class Function1 {
 public:
  Function1() = default;
  Function1(double constant) : constant_(constant) {}  // NOLINT(google-explicit-constructor)
  Function1(std::function<double(double)> f, std::string description)
      : f_(std::move(f)), description_(std::move(description)) {}
  explicit Function1(MonotoneTable table, std::string description = "table");

  [[nodiscard]] double operator()(double x) const {
    if (!f_) return constant_;
    return f_(x < lower_ ? lower_ : (x > upper_ ? upper_ : x));
  }
  [[nodiscard]] bool is_constant() const noexcept { return !f_; }
  [[nodiscard]] const std::string& description() const noexcept { return description_; }
  [[nodiscard]] double lower() const noexcept { return lower_; }
  [[nodiscard]] double upper() const noexcept { return upper_; }
  void set_domain(double lower, double upper) {
    lower_ = lower;
    upper_ = upper;
  }

 private:
  std::function<double(double)> f_;
  double constant_ = 0.0;
  std::string description_ = "constant";
  double lower_ = -std::numeric_limits<double>::infinity();
  double upper_ = std::numeric_limits<double>::infinity();
};

class Function2 {
 public:
  Function2() = default;
  Function2(double constant) : constant_(constant) {}  // NOLINT(google-explicit-constructor)
  Function2(std::function<double(double, double)> f, std::string description)
      : f_(std::move(f)), description_(std::move(description)) {}

  [[nodiscard]] double operator()(double x, double temperature) const {
    if (!f_) return constant_;
    return f_(x < lower_ ? lower_ : (x > upper_ ? upper_ : x), temperature);
  }
  [[nodiscard]] bool is_constant() const noexcept { return !f_; }
  [[nodiscard]] const std::string& description() const noexcept { return description_; }
  /// Domain of the first argument (a table's x range; infinite for formulas and constants).
  [[nodiscard]] double lower() const noexcept { return lower_; }
  [[nodiscard]] double upper() const noexcept { return upper_; }
  void set_domain(double lower, double upper) {
    lower_ = lower;
    upper_ = upper;
  }

 private:
  std::function<double(double, double)> f_;
  double constant_ = 0.0;
  std::string description_ = "constant";
  double lower_ = -std::numeric_limits<double>::infinity();
  double upper_ = std::numeric_limits<double>::infinity();
};

}  // namespace cathodelab::echem
