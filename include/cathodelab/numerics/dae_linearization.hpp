// Small-signal analysis of a DaeSystem around a state (t, y, y'): the matrices J = dF/dy and
// M = dF/dy' (by coloured finite differences on the system's sparsity pattern) and the frequency
// response x(w) of (i w M + J) x = b, solved per angular frequency by sparse complex LU (KLU).
// Used for electrochemical impedance spectroscopy: b is the residual's sensitivity to the applied
// current and c^T x the voltage response.
#pragma once

#include "cathodelab/numerics/dae_system.hpp"

#include <complex>
#include <span>
#include <vector>

namespace cathodelab::numerics {

struct Linearization {
  SparsityPattern pattern;
  std::vector<double> jacobian;  ///< dF/dy values in pattern order
  std::vector<double> mass;      ///< dF/dy' values in pattern order
};

[[nodiscard]] Linearization linearize(const DaeSystem& system, double t, std::span<const double> y,
                                      std::span<const double> yp);

/// c^T x(w) for each angular frequency w [rad/s], where (i w M + J) x = b. Throws
/// core::NumericalError when a matrix is singular.
[[nodiscard]] std::vector<std::complex<double>> frequency_response(
    const Linearization& linearization, std::span<const double> b, std::span<const double> c,
    std::span<const double> angular_frequencies);

}  // namespace cathodelab::numerics
