// MonotoneTable and Function1 (see functions.hpp).
#include "cathodelab/echem/functions.hpp"

#include "cathodelab/core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace cathodelab::echem {

MonotoneTable::MonotoneTable(std::vector<double> x, std::vector<double> y, const std::string& key)
    : x_(std::move(x)), y_(std::move(y)) {
  if (x_.size() != y_.size() || x_.size() < 2) {
    throw core::InputError(
        fmt::format("a table needs at least two points and equal lengths (got {} x and {} y)",
                    x_.size(), y_.size()),
        key, "give matching x and y lists");
  }
  for (std::size_t i = 0; i + 1 < x_.size(); ++i) {
    if (!(x_[i + 1] > x_[i])) {
      throw core::InputError(fmt::format("table x values must increase strictly, but x[{}] = {} "
                                         "is followed by {}",
                                         i, x_[i], x_[i + 1]),
                             key, "sort the table by x and remove duplicates");
    }
  }
  // Fritsch-Carlson slopes: harmonic mean of neighbouring secants, zero at extrema.
  const std::size_t n = x_.size();
  std::vector<double> secant(n - 1);
  for (std::size_t i = 0; i + 1 < n; ++i) secant[i] = (y_[i + 1] - y_[i]) / (x_[i + 1] - x_[i]);
  slope_.assign(n, 0.0);
  slope_[0] = secant[0];
  slope_[n - 1] = secant[n - 2];
  for (std::size_t i = 1; i + 1 < n; ++i) {
    if (secant[i - 1] * secant[i] <= 0.0) continue;
    const double h0 = x_[i] - x_[i - 1];
    const double h1 = x_[i + 1] - x_[i];
    const double w1 = 2.0 * h1 + h0;
    const double w2 = h1 + 2.0 * h0;
    slope_[i] = (w1 + w2) / (w1 / secant[i - 1] + w2 / secant[i]);
  }
}

double MonotoneTable::operator()(double x) const {
  if (x <= x_.front()) return y_.front();
  if (x >= x_.back()) return y_.back();
  const auto it = std::upper_bound(x_.begin(), x_.end(), x);
  const std::size_t i = static_cast<std::size_t>(it - x_.begin()) - 1;
  const double h = x_[i + 1] - x_[i];
  const double t = (x - x_[i]) / h;
  const double t2 = t * t;
  const double t3 = t2 * t;
  return (2 * t3 - 3 * t2 + 1) * y_[i] + (t3 - 2 * t2 + t) * h * slope_[i] +
         (-2 * t3 + 3 * t2) * y_[i + 1] + (t3 - t2) * h * slope_[i + 1];
}

int MonotoneTable::monotonicity() const noexcept {
  bool up = true;
  bool down = true;
  for (std::size_t i = 0; i + 1 < y_.size(); ++i) {
    if (y_[i + 1] < y_[i]) up = false;
    if (y_[i + 1] > y_[i]) down = false;
  }
  return up ? 1 : (down ? -1 : 0);
}

Function1::Function1(MonotoneTable table, std::string description)
    : description_(std::move(description)) {
  lower_ = table.front();
  upper_ = table.back();
  f_ = [t = std::move(table)](double x) { return t(x); };
}

}  // namespace cathodelab::echem
