// MonotoneTable and Function1 (see functions.hpp).
#include "cathodelab/echem/functions.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/monotone_cubic.hpp"

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
  slope_ = core::monotone_cubic_slopes(x_, y_);
}

double MonotoneTable::operator()(double x) const {
  return core::hermite_value(x_, y_, slope_, x);
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
