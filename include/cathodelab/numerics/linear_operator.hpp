// LinearOperator: the contract every matrix-free operator and every preconditioner fulfils.
//
// y = A x over whole vectors. Implementations keep their inner loops plain (no virtual call per
// entry); the one virtual call per vector is what lets CG take any operator and any
// preconditioner (a preconditioner is an operator approximating A^-1), as in MFEM's
// Solver/Operator.
#pragma once

#include <cstddef>
#include <span>

namespace cathodelab::numerics {

class LinearOperator {
 public:
  LinearOperator() = default;
  LinearOperator(const LinearOperator&) = default;
  LinearOperator& operator=(const LinearOperator&) = default;
  LinearOperator(LinearOperator&&) = default;
  LinearOperator& operator=(LinearOperator&&) = default;
  virtual ~LinearOperator() = default;

  /// y = A x; x and y have size() entries and do not alias.
  virtual void apply(std::span<const double> x, std::span<double> y) const = 0;
  [[nodiscard]] virtual std::size_t size() const = 0;
};

/// The identity (CG without preconditioning).
class IdentityOperator final : public LinearOperator {
 public:
  explicit IdentityOperator(std::size_t n) : n_(n) {}
  void apply(std::span<const double> x, std::span<double> y) const override;
  [[nodiscard]] std::size_t size() const override { return n_; }

 private:
  std::size_t n_;
};

}  // namespace cathodelab::numerics
