// Statistics every iterative or time-stepping solve returns (ARCHITECTURE.md section 3).
#pragma once

#include <string>

namespace cathodelab::core {

struct SolveStats {
  bool converged = false;
  int iterations = 0;     ///< iterations (linear solvers) or steps (time integrators)
  double residual = 0.0;  ///< final relative residual, dimensionless
  double seconds = 0.0;   ///< [s] wall time of the solve
  std::string method;     ///< e.g. "pcg+multigrid", "ida+klu"
  std::string message;    ///< why it stopped, in words
};

}  // namespace cathodelab::core
