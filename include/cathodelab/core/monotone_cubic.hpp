// The one monotone interpolation of tabulated data in cathodelab: piecewise-cubic Hermite with node
// slopes chosen so that monotone data give a monotone interpolant (Fritsch and Carlson, SIAM J.
// Numer. Anal. 17 (1980) 238). Interior slopes are the weighted harmonic mean of the neighbouring
// secants, zero at local extrema (Fritsch and Butland, SIAM J. Sci. Stat. Comput. 5 (1984) 300);
// end slopes are the one-sided three-point estimate, limited so that the end intervals stay
// monotone (as MATLAB's and SciPy's PCHIP do; Moler, Numerical Computing with MATLAB, 2004, 3.4).
// An OCP table therefore interpolates the same wherever it is used (the materials library, the
// cell-parameter files, the cell model).
//
// It lives in core (level 0) because both materials and numerics (level 1) and echem (level 2)
// use it, and modules of one level never include each other.
#pragma once

#include <span>
#include <vector>

namespace cathodelab::core {

/// Node slopes of the monotone piecewise-cubic Hermite interpolant of (x, y); x strictly
/// increasing, at least two points (the caller checks).
[[nodiscard]] std::vector<double> monotone_cubic_slopes(std::span<const double> x,
                                                        std::span<const double> y);

/// The cubic Hermite interpolant with node slopes `d` at `at`; outside [x.front(), x.back()] the
/// end values (the table is clamped, never extrapolated).
[[nodiscard]] double hermite_value(std::span<const double> x, std::span<const double> y,
                                   std::span<const double> d, double at);

}  // namespace cathodelab::core
