// Linearization and complex sparse frequency response (see dae_linearization.hpp).
#include "cathodelab/numerics/dae_linearization.hpp"

#include "cathodelab/core/error.hpp"

#include <suitesparse/klu.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cathodelab::numerics {

Linearization linearize(const DaeSystem& system, double t, std::span<const double> y,
                        std::span<const double> yp) {
  const std::size_t n = system.size();
  Linearization lin;
  lin.pattern = system.sparsity();
  const auto& p = lin.pattern;
  lin.jacobian.assign(p.nonzeros(), 0.0);
  lin.mass.assign(p.nonzeros(), 0.0);
  const auto colour = colour_columns(p);
  const int colours = colour.empty() ? 0 : *std::max_element(colour.begin(), colour.end()) + 1;
  std::vector<double> f0(n), f1(n), yy(y.begin(), y.end()), yyp(yp.begin(), yp.end()), inc(n);
  system.residual(t, y, yp, f0);
  const double root_eps = std::sqrt(std::numeric_limits<double>::epsilon());
  for (int pass = 0; pass < 2; ++pass) {  // 0: dF/dy, 1: dF/dy'
    auto& values = pass == 0 ? lin.jacobian : lin.mass;
    auto& base = pass == 0 ? yy : yyp;
    const auto original = pass == 0 ? y : yp;
    for (std::size_t j = 0; j < n; ++j) inc[j] = root_eps * std::max(std::abs(original[j]), 1e-3);
    for (int c = 0; c < colours; ++c) {
      for (std::size_t j = 0; j < n; ++j) {
        if (colour[j] == c) base[j] = original[j] + inc[j];
      }
      system.residual(t, yy, yyp, f1);
      for (std::size_t j = 0; j < n; ++j) {
        if (colour[j] != c) continue;
        base[j] = original[j];
        for (std::size_t k = p.column_start[j]; k < p.column_start[j + 1]; ++k) {
          const std::size_t i = p.row_index[k];
          values[k] = (f1[i] - f0[i]) / inc[j];
        }
      }
    }
  }
  return lin;
}

std::vector<std::complex<double>> frequency_response(const Linearization& linearization,
                                                     std::span<const double> b,
                                                     std::span<const double> c,
                                                     std::span<const double> angular_frequencies) {
  const auto& p = linearization.pattern;
  const int n = static_cast<int>(p.n);
  CATHODELAB_REQUIRE(b.size() == p.n && c.size() == p.n, "b and c need one entry per unknown");
  std::vector<int> ap(p.column_start.begin(), p.column_start.end());
  std::vector<int> ai(p.row_index.begin(), p.row_index.end());
  klu_common common;
  klu_defaults(&common);
  klu_symbolic* symbolic = klu_analyze(n, ap.data(), ai.data(), &common);
  if (symbolic == nullptr) {
    throw core::NumericalError("KLU analysis of the linearized system failed", {});
  }
  std::vector<double> values(2 * p.nonzeros());
  std::vector<double> rhs(2 * p.n);
  std::vector<std::complex<double>> out;
  out.reserve(angular_frequencies.size());
  klu_numeric* numeric = nullptr;
  for (double w : angular_frequencies) {
    for (std::size_t k = 0; k < p.nonzeros(); ++k) {
      values[2 * k] = linearization.jacobian[k];
      values[2 * k + 1] = w * linearization.mass[k];
    }
    if (numeric == nullptr) {
      numeric = klu_z_factor(ap.data(), ai.data(), values.data(), symbolic, &common);
    } else if (klu_z_refactor(ap.data(), ai.data(), values.data(), symbolic, numeric, &common) ==
               0) {
      klu_z_free_numeric(&numeric, &common);
      numeric = klu_z_factor(ap.data(), ai.data(), values.data(), symbolic, &common);
    }
    if (numeric == nullptr || common.status < KLU_OK) {
      if (numeric != nullptr) klu_z_free_numeric(&numeric, &common);
      klu_free_symbolic(&symbolic, &common);
      core::SolveStats stats;
      stats.method = "klu complex";
      stats.message = "singular matrix";
      throw core::NumericalError(
          "the linearized system is singular at angular frequency " + std::to_string(w) + " rad/s",
          stats);
    }
    for (std::size_t i = 0; i < p.n; ++i) {
      rhs[2 * i] = b[i];
      rhs[2 * i + 1] = 0.0;
    }
    klu_z_solve(symbolic, numeric, n, 1, rhs.data(), &common);
    std::complex<double> sum{0.0, 0.0};
    for (std::size_t i = 0; i < p.n; ++i)
      sum += c[i] * std::complex<double>(rhs[2 * i], rhs[2 * i + 1]);
    out.push_back(sum);
  }
  if (numeric != nullptr) klu_z_free_numeric(&numeric, &common);
  klu_free_symbolic(&symbolic, &common);
  return out;
}

}  // namespace cathodelab::numerics
