// The monotone piecewise-cubic Hermite interpolation (see monotone_cubic.hpp).
#include "cathodelab/core/monotone_cubic.hpp"

#include <algorithm>
#include <cmath>

namespace cathodelab::core {

std::vector<double> monotone_cubic_slopes(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = x.size();
  std::vector<double> d(n, 0.0);
  if (n < 2) return d;
  std::vector<double> h(n - 1);
  std::vector<double> delta(n - 1);
  for (std::size_t k = 0; k + 1 < n; ++k) {
    h[k] = x[k + 1] - x[k];
    delta[k] = (y[k + 1] - y[k]) / h[k];
  }
  if (n == 2) {
    d[0] = d[1] = delta[0];
    return d;
  }
  // Interior: weighted harmonic mean of the neighbouring secants, zero at local extrema
  // (Fritsch & Butland 1984), which satisfies the Fritsch-Carlson monotonicity region.
  for (std::size_t k = 1; k + 1 < n; ++k) {
    if (delta[k - 1] * delta[k] <= 0.0) {
      d[k] = 0.0;
    } else {
      const double w1 = 2.0 * h[k] + h[k - 1];
      const double w2 = h[k] + 2.0 * h[k - 1];
      d[k] = (w1 + w2) / (w1 / delta[k - 1] + w2 / delta[k]);
    }
  }
  // Ends: one-sided three-point estimate, limited so the end intervals stay monotone.
  const auto end_slope = [](double h0, double h1, double delta0, double delta1) {
    double slope = ((2.0 * h0 + h1) * delta0 - h0 * delta1) / (h0 + h1);
    if (slope * delta0 <= 0.0) {
      slope = 0.0;
    } else if (delta0 * delta1 <= 0.0 && std::abs(slope) > 3.0 * std::abs(delta0)) {
      slope = 3.0 * delta0;
    }
    return slope;
  };
  d[0] = end_slope(h[0], h[1], delta[0], delta[1]);
  d[n - 1] = end_slope(h[n - 2], h[n - 3], delta[n - 2], delta[n - 3]);
  return d;
}

double hermite_value(std::span<const double> x, std::span<const double> y,
                     std::span<const double> d, double at) {
  if (at <= x.front()) return y.front();
  if (at >= x.back()) return y.back();
  const auto upper = std::upper_bound(x.begin(), x.end(), at);
  std::size_t k = upper == x.begin() ? 0 : static_cast<std::size_t>(upper - x.begin()) - 1;
  k = std::min(k, x.size() - 2);
  const double h = x[k + 1] - x[k];
  const double t = (at - x[k]) / h;
  const double t2 = t * t;
  const double t3 = t2 * t;
  return (2.0 * t3 - 3.0 * t2 + 1.0) * y[k] + (t3 - 2.0 * t2 + t) * h * d[k] +
         (-2.0 * t3 + 3.0 * t2) * y[k + 1] + (t3 - t2) * h * d[k + 1];
}

}  // namespace cathodelab::core
