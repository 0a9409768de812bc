// Preconditioned conjugate gradients (see cg.hpp: Hestenes and Stiefel 1952; Saad, Iterative
// Methods for Sparse Linear Systems, Algorithm 9.1); every way of not converging is a status.
#include "cathodelab/numerics/cg.hpp"

#include "cathodelab/core/error.hpp"

#include <chrono>
#include <cmath>
#include <cstddef>
#include <vector>

namespace cathodelab::numerics {

void IdentityOperator::apply(std::span<const double> x, std::span<double> y) const {
  const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(n_);
#pragma omp parallel for schedule(static) if (n > 32768)
  for (std::ptrdiff_t i = 0; i < n; ++i) y[i] = x[i];
}

const char* describe(CgStop stop) noexcept {
  switch (stop) {
    case CgStop::converged:
      return "converged";
    case CgStop::max_iterations:
      return "reached the iteration limit";
    case CgStop::stagnated:
      return "stagnated: the residual stopped decreasing";
    case CgStop::breakdown:
      return "breakdown: p.Ap or r.z not positive (operator or preconditioner not SPD)";
    case CgStop::non_finite:
      return "a non-finite value appeared";
  }
  return "unknown";
}

CgMonitor::CgMonitor(const CgOptions& options, double b_norm)
    : options_(options), b_norm_(b_norm) {}

double CgMonitor::relative(double residual_norm) const noexcept {
  return b_norm_ > 0.0 ? residual_norm / b_norm_ : residual_norm;
}

bool CgMonitor::record(int iteration, double residual_norm) {
  if (!std::isfinite(residual_norm)) {
    stop_ = CgStop::non_finite;
    return true;
  }
  if (relative(residual_norm) <= options_.rtol) {
    stop_ = CgStop::converged;
    return true;
  }
  if (iteration == 0 || residual_norm < best_) {
    best_ = residual_norm;
    best_iteration_ = iteration;
  } else if (iteration - best_iteration_ >= options_.stagnation_window) {
    stop_ = CgStop::stagnated;
    return true;
  }
  if (iteration >= options_.max_iterations) {
    stop_ = CgStop::max_iterations;
    return true;
  }
  return false;
}

namespace {

double dot(std::span<const double> a, std::span<const double> b) {
  const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(a.size());
  double sum = 0.0;
#pragma omp parallel for reduction(+ : sum) schedule(static) if (n > 32768)
  for (std::ptrdiff_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

}  // namespace

core::SolveStats cg(const LinearOperator& A, const LinearOperator& M, std::span<const double> b,
                    std::span<double> x, const CgOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const std::size_t n = A.size();
  CATHODELAB_REQUIRE(b.size() == n && x.size() == n && M.size() == n, "cg: sizes must agree");
  const std::ptrdiff_t sn = static_cast<std::ptrdiff_t>(n);
  std::vector<double> r(n), z(n), p(n), q(n);

  A.apply(x, q);
#pragma omp parallel for schedule(static) if (n > 32768)
  for (std::ptrdiff_t i = 0; i < sn; ++i) r[i] = b[i] - q[i];
  const double b_norm = std::sqrt(dot(b, b));
  CgMonitor monitor(options, b_norm);
  double r_norm = std::sqrt(dot(r, r));
  int iteration = 0;
  if (b_norm == 0.0) {  // the solution of A x = 0 is x = 0
#pragma omp parallel for schedule(static) if (n > 32768)
    for (std::ptrdiff_t i = 0; i < sn; ++i) x[i] = 0.0;
    r_norm = 0.0;
    monitor.record(0, 0.0);
  } else if (!monitor.record(0, r_norm)) {
    M.apply(r, z);
    double rz = dot(r, z);
    p = z;
    while (true) {
      if (!(rz > 0.0) || !std::isfinite(rz)) {
        monitor.fail(std::isfinite(rz) ? CgStop::breakdown : CgStop::non_finite);
        break;
      }
      A.apply(p, q);
      const double pq = dot(p, q);
      if (!(pq > 0.0) || !std::isfinite(pq)) {
        monitor.fail(std::isfinite(pq) ? CgStop::breakdown : CgStop::non_finite);
        break;
      }
      const double alpha = rz / pq;
      double rr = 0.0;
#pragma omp parallel for reduction(+ : rr) schedule(static) if (sn > 32768)
      for (std::ptrdiff_t i = 0; i < sn; ++i) {
        x[i] += alpha * p[i];
        r[i] -= alpha * q[i];
        rr += r[i] * r[i];
      }
      ++iteration;
      r_norm = std::sqrt(rr);
      if (monitor.record(iteration, r_norm)) break;
      M.apply(r, z);
      const double rz_new = dot(r, z);
      // Polak-Ribiere (flexible CG): beta = z_new . (r_new - r_old) / rz_old, r_new - r_old =
      // -alpha A p (still in q). The same as rz_new / rz_old for a fixed symmetric positive
      // definite M; it keeps CG convergent for a variable one (a K-cycle multigrid).
      const double beta = -alpha * dot(z, q) / rz;
      rz = rz_new;
#pragma omp parallel for schedule(static) if (n > 32768)
      for (std::ptrdiff_t i = 0; i < sn; ++i) p[i] = z[i] + beta * p[i];
    }
  }
  core::SolveStats stats;
  stats.converged = monitor.stop() == CgStop::converged;
  stats.iterations = iteration;
  stats.residual = monitor.relative(r_norm);
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stats.method = "pcg";
  stats.message = describe(monitor.stop());
  return stats;
}

}  // namespace cathodelab::numerics
