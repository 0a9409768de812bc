// IdaSolver: SUNDIALS IDA(S) 6.4 + KLU behind the DaeSystem contract. See ida_solver.hpp.
#include "cathodelab/numerics/ida_solver.hpp"

#include "cathodelab/core/error.hpp"

#include <idas/idas.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>

namespace cathodelab::numerics {

struct IdaSolver::Impl {
  const DaeSystem* system = nullptr;
  IdaOptions options;
  std::size_t n = 0;
  SUNContext context = nullptr;
  void* ida = nullptr;
  N_Vector y = nullptr;
  N_Vector yp = nullptr;
  N_Vector atol = nullptr;
  N_Vector id = nullptr;
  N_Vector work_ewt = nullptr;
  SUNMatrix matrix = nullptr;
  SUNLinearSolver linear_solver = nullptr;
  SparsityPattern pattern;
  std::vector<int> colour;
  int colour_count = 0;
  std::vector<double> y_perturbed, yp_perturbed, f_perturbed, increment;
  std::vector<double> analytic_values;
  std::vector<char> differential;     ///< per unknown: appears with y'
  bool in_initial_condition = false;  ///< IDACalcIC with the exact matrix (see jacobian_callback)
  bool events_enabled = true;
  bool initialized = false;
  std::string last_error;
  // counters accumulated over reinitializations
  long steps_before = 0, residuals_before = 0, jacobians_before = 0;
  long fd_residuals = 0;
  double seconds = 0.0;

  ~Impl() {
    if (ida != nullptr) IDAFree(&ida);
    if (linear_solver != nullptr) SUNLinSolFree(linear_solver);
    if (matrix != nullptr) SUNMatDestroy(matrix);
    for (N_Vector* v : {&y, &yp, &atol, &id, &work_ewt}) {
      if (*v != nullptr) N_VDestroy(*v);
    }
    if (context != nullptr) SUNContext_Free(&context);
  }

  [[nodiscard]] long counter(int (*getter)(void*, long*)) const {
    long value = 0;
    if (ida != nullptr) getter(ida, &value);
    return value;
  }
  [[nodiscard]] long steps() const { return steps_before + counter(IDAGetNumSteps); }
  [[nodiscard]] long residuals() const {
    return residuals_before + counter(IDAGetNumResEvals) + fd_residuals;
  }
  [[nodiscard]] long jacobians() const {
    long value = 0;
    if (ida != nullptr) IDAGetNumJacEvals(ida, &value);
    return jacobians_before + value;
  }

  [[nodiscard]] core::SolveStats stats(bool converged, std::string message) const {
    core::SolveStats s;
    s.converged = converged;
    s.iterations = static_cast<int>(steps());
    s.seconds = seconds;
    s.method = "ida+klu";
    s.message = std::move(message);
    return s;
  }

  [[noreturn]] void fail(const std::string& where, int flag) const {
    std::string reason = last_error.empty() ? std::string(IDAGetReturnFlagName(flag)) : last_error;
    double t = 0.0;
    if (ida != nullptr) IDAGetCurrentTime(ida, &t);
    throw core::NumericalError(fmt::format("{} failed at t = {:.6g}: {}", where, t, reason),
                               stats(false, reason));
  }
};

namespace {

std::span<const double> view(N_Vector v, std::size_t n) {
  return {N_VGetArrayPointer(v), n};
}
std::span<double> view_mut(N_Vector v, std::size_t n) {
  return {N_VGetArrayPointer(v), n};
}

// ---------------------------------------------------------------------------------------------
// Vector operations. The serial N_Vector kernels of the distribution's SUNDIALS build are compiled
// without optimization, and for a DAE of a few hundred unknowns IDA spends most of its time in
// them (linear sums, weighted norms, fused combinations: some 30 per step). The same operations,
// written here and compiled with the project's flags, replace them in each vector's operation
// table; vectors IDA clones from ours inherit the table. Semantics follow the SUNDIALS serial
// vector exactly (same formulas, same order of summation for norms).
// ---------------------------------------------------------------------------------------------
namespace fast {

inline double* data(N_Vector v) {
  return NV_DATA_S(v);
}
inline sunindextype length(N_Vector v) {
  return NV_LENGTH_S(v);
}

void linear_sum(realtype a, N_Vector x, realtype b, N_Vector y, N_Vector z) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  const double* yd = data(y);
  double* zd = data(z);
  if (b == 1.0) {
    for (sunindextype i = 0; i < n; ++i) zd[i] = a * xd[i] + yd[i];
  } else if (a == 1.0) {
    for (sunindextype i = 0; i < n; ++i) zd[i] = xd[i] + b * yd[i];
  } else {
    for (sunindextype i = 0; i < n; ++i) zd[i] = a * xd[i] + b * yd[i];
  }
}
void constant(realtype c, N_Vector z) {
  std::fill_n(data(z), length(z), c);
}
void prod(N_Vector x, N_Vector y, N_Vector z) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  const double* yd = data(y);
  double* zd = data(z);
  for (sunindextype i = 0; i < n; ++i) zd[i] = xd[i] * yd[i];
}
void div(N_Vector x, N_Vector y, N_Vector z) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  const double* yd = data(y);
  double* zd = data(z);
  for (sunindextype i = 0; i < n; ++i) zd[i] = xd[i] / yd[i];
}
void scale(realtype c, N_Vector x, N_Vector z) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  double* zd = data(z);
  for (sunindextype i = 0; i < n; ++i) zd[i] = c * xd[i];
}
void abs(N_Vector x, N_Vector z) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  double* zd = data(z);
  for (sunindextype i = 0; i < n; ++i) zd[i] = std::abs(xd[i]);
}
void inv(N_Vector x, N_Vector z) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  double* zd = data(z);
  for (sunindextype i = 0; i < n; ++i) zd[i] = 1.0 / xd[i];
}
void add_const(N_Vector x, realtype b, N_Vector z) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  double* zd = data(z);
  for (sunindextype i = 0; i < n; ++i) zd[i] = xd[i] + b;
}
realtype dot(N_Vector x, N_Vector y) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  const double* yd = data(y);
  double sum = 0.0;
  for (sunindextype i = 0; i < n; ++i) sum += xd[i] * yd[i];
  return sum;
}
realtype max_norm(N_Vector x) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  double m = 0.0;
  for (sunindextype i = 0; i < n; ++i) m = std::max(m, std::abs(xd[i]));
  return m;
}
realtype wsqr_sum(N_Vector x, N_Vector w) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  const double* wd = data(w);
  double sum = 0.0;
  for (sunindextype i = 0; i < n; ++i) {
    const double p = xd[i] * wd[i];
    sum += p * p;
  }
  return sum;
}
realtype wsqr_sum_mask(N_Vector x, N_Vector w, N_Vector id) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  const double* wd = data(w);
  const double* idd = data(id);
  double sum = 0.0;
  for (sunindextype i = 0; i < n; ++i) {
    const double p = idd[i] > 0.0 ? xd[i] * wd[i] : 0.0;
    sum += p * p;
  }
  return sum;
}
realtype wrms_norm(N_Vector x, N_Vector w) {
  return std::sqrt(wsqr_sum(x, w) / static_cast<double>(length(x)));
}
realtype wrms_norm_mask(N_Vector x, N_Vector w, N_Vector id) {
  return std::sqrt(wsqr_sum_mask(x, w, id) / static_cast<double>(length(x)));
}
realtype min_value(N_Vector x) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  double m = xd[0];
  for (sunindextype i = 1; i < n; ++i) m = std::min(m, xd[i]);
  return m;
}
realtype wl2_norm(N_Vector x, N_Vector w) {
  return std::sqrt(wsqr_sum(x, w));
}
realtype l1_norm(N_Vector x) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  double sum = 0.0;
  for (sunindextype i = 0; i < n; ++i) sum += std::abs(xd[i]);
  return sum;
}
void compare(realtype c, N_Vector x, N_Vector z) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  double* zd = data(z);
  for (sunindextype i = 0; i < n; ++i) zd[i] = std::abs(xd[i]) >= c ? 1.0 : 0.0;
}
booleantype inv_test(N_Vector x, N_Vector z) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  double* zd = data(z);
  booleantype ok = SUNTRUE;
  for (sunindextype i = 0; i < n; ++i) {
    if (xd[i] == 0.0) {
      ok = SUNFALSE;
    } else {
      zd[i] = 1.0 / xd[i];
    }
  }
  return ok;
}
booleantype constr_mask(N_Vector c, N_Vector x, N_Vector m) {
  const sunindextype n = length(x);
  const double* cd = data(c);
  const double* xd = data(x);
  double* md = data(m);
  bool ok = true;
  for (sunindextype i = 0; i < n; ++i) {
    md[i] = 0.0;
    if (cd[i] == 0.0) continue;
    const double product = xd[i] * cd[i];
    const bool violated =
        (std::abs(cd[i]) > 1.5 && product <= 0.0) || (std::abs(cd[i]) > 0.5 && product < 0.0);
    if (violated) {
      ok = false;
      md[i] = 1.0;
    }
  }
  return ok ? SUNTRUE : SUNFALSE;
}
realtype min_quotient(N_Vector num, N_Vector denom) {
  const sunindextype n = length(num);
  const double* nd = data(num);
  const double* dd = data(denom);
  double m = BIG_REAL;
  for (sunindextype i = 0; i < n; ++i) {
    if (dd[i] == 0.0) continue;
    m = std::min(m, nd[i] / dd[i]);
  }
  return m;
}
int linear_combination(int count, realtype* c, N_Vector* x, N_Vector z) {
  const sunindextype n = length(z);
  double* zd = data(z);
  if (count == 1) {
    scale(c[0], x[0], z);
    return 0;
  }
  if (x[0] == z) {  // z = c0 z + sum_{k>0} c_k x_k
    if (c[0] != 1.0) {
      for (sunindextype i = 0; i < n; ++i) zd[i] *= c[0];
    }
  } else {
    const double* x0 = data(x[0]);
    for (sunindextype i = 0; i < n; ++i) zd[i] = c[0] * x0[i];
  }
  for (int k = 1; k < count; ++k) {
    const double* xk = data(x[k]);
    const double ck = c[k];
    for (sunindextype i = 0; i < n; ++i) zd[i] += ck * xk[i];
  }
  return 0;
}
// The signature is SUNDIALS' nvscaleaddmulti callback, hence the non-const `a`.
// NOLINTNEXTLINE(readability-non-const-parameter)
int scale_add_multi(int count, realtype* a, N_Vector x, N_Vector* y, N_Vector* z) {
  const sunindextype n = length(x);
  const double* xd = data(x);
  for (int k = 0; k < count; ++k) {
    const double* yd = data(y[k]);
    double* zd = data(z[k]);
    const double ak = a[k];
    for (sunindextype i = 0; i < n; ++i) zd[i] = ak * xd[i] + yd[i];
  }
  return 0;
}
int dot_multi(int count, N_Vector x, N_Vector* y, realtype* d) {
  for (int k = 0; k < count; ++k) d[k] = dot(x, y[k]);
  return 0;
}
int linear_sum_array(int count, realtype a, N_Vector* x, realtype b, N_Vector* y, N_Vector* z) {
  for (int k = 0; k < count; ++k) linear_sum(a, x[k], b, y[k], z[k]);
  return 0;
}
int scale_array(int count, realtype* c, N_Vector* x, N_Vector* z) {
  for (int k = 0; k < count; ++k) scale(c[k], x[k], z[k]);
  return 0;
}
int const_array(int count, realtype c, N_Vector* z) {
  for (int k = 0; k < count; ++k) constant(c, z[k]);
  return 0;
}
int wrms_norm_array(int count, N_Vector* x, N_Vector* w, realtype* norms) {
  for (int k = 0; k < count; ++k) norms[k] = wrms_norm(x[k], w[k]);
  return 0;
}
int wrms_norm_mask_array(int count, N_Vector* x, N_Vector* w, N_Vector id, realtype* norms) {
  for (int k = 0; k < count; ++k) norms[k] = wrms_norm_mask(x[k], w[k], id);
  return 0;
}

/// Installs the kernels above in v's operation table (and so in every clone of v).
void install(N_Vector v) {
  N_Vector_Ops o = v->ops;
  o->nvlinearsum = linear_sum;
  o->nvconst = constant;
  o->nvprod = prod;
  o->nvdiv = div;
  o->nvscale = scale;
  o->nvabs = abs;
  o->nvinv = inv;
  o->nvaddconst = add_const;
  o->nvdotprod = dot;
  o->nvmaxnorm = max_norm;
  o->nvwrmsnorm = wrms_norm;
  o->nvwrmsnormmask = wrms_norm_mask;
  o->nvmin = min_value;
  o->nvwl2norm = wl2_norm;
  o->nvl1norm = l1_norm;
  o->nvcompare = compare;
  o->nvinvtest = inv_test;
  o->nvconstrmask = constr_mask;
  o->nvminquotient = min_quotient;
  o->nvlinearcombination = linear_combination;
  o->nvscaleaddmulti = scale_add_multi;
  o->nvdotprodmulti = dot_multi;
  o->nvlinearsumvectorarray = linear_sum_array;
  o->nvscalevectorarray = scale_array;
  o->nvconstvectorarray = const_array;
  o->nvwrmsnormvectorarray = wrms_norm_array;
  o->nvwrmsnormmaskvectorarray = wrms_norm_mask_array;
  o->nvscaleaddmultivectorarray = nullptr;
  o->nvlinearcombinationvectorarray = nullptr;
  o->nvdotprodlocal = dot;
  o->nvmaxnormlocal = max_norm;
  o->nvminlocal = min_value;
  o->nvl1normlocal = l1_norm;
  o->nvinvtestlocal = inv_test;
  o->nvconstrmasklocal = constr_mask;
  o->nvminquotientlocal = min_quotient;
  o->nvwsqrsumlocal = wsqr_sum;
  o->nvwsqrsummasklocal = wsqr_sum_mask;
}

/// SUNMatZero for the sparse matrix (IDA zeroes it before every Jacobian), with the project's
/// flags: the same effect as SUNMatZero_Sparse (values, row indices and column starts all 0).
int zero_sparse(SUNMatrix a) {
  const sunindextype nnz = SM_NNZ_S(a);
  const sunindextype columns = SM_NP_S(a);
  std::fill_n(SM_DATA_S(a), nnz, 0.0);
  std::fill_n(SM_INDEXVALS_S(a), nnz, sunindextype{0});
  std::fill_n(SM_INDEXPTRS_S(a), columns + 1, sunindextype{0});
  return 0;
}

N_Vector make_vector(sunindextype n, SUNContext context) {
  N_Vector v = N_VNew_Serial(n, context);
  if (v != nullptr) install(v);
  return v;
}

}  // namespace fast

int residual_callback(realtype t, N_Vector y, N_Vector yp, N_Vector r, void* user) {
  auto* impl = static_cast<IdaSolver::Impl*>(user);
  const std::size_t n = impl->n;
  auto out = view_mut(r, n);
  impl->system->residual(t, view(y, n), view(yp, n), out);
  for (double value : out) {
    if (!std::isfinite(value)) return 1;  // recoverable: IDA retries with a smaller step
  }
  return 0;
}

int event_callback(realtype t, N_Vector y, N_Vector yp, realtype* g, void* user) {
  auto* impl = static_cast<IdaSolver::Impl*>(user);
  const std::size_t n = impl->n;
  impl->system->events(t, view(y, n), view(yp, n), {g, impl->system->event_count()});
  return 0;
}

int jacobian_callback(realtype t, realtype cj, N_Vector y, N_Vector yp, N_Vector r, SUNMatrix J,
                      void* user, N_Vector /*tmp1*/, N_Vector /*tmp2*/, N_Vector /*tmp3*/) {
  auto* impl = static_cast<IdaSolver::Impl*>(user);
  const std::size_t n = impl->n;
  const SparsityPattern& p = impl->pattern;
  sunindextype* col = SUNSparseMatrix_IndexPointers(J);
  sunindextype* row = SUNSparseMatrix_IndexValues(J);
  double* values = SUNSparseMatrix_Data(J);
  for (std::size_t j = 0; j <= n; ++j) col[j] = static_cast<sunindextype>(p.column_start[j]);
  for (std::size_t k = 0; k < p.nonzeros(); ++k) row[k] = static_cast<sunindextype>(p.row_index[k]);

  if (impl->system->has_analytic_jacobian()) {
    impl->system->jacobian(t, cj, view(y, n), view(yp, n), {values, p.nonzeros()});
    return 0;
  }

  // Coloured finite differences of G(y) = F(t, y, y' + c_j (y - y_current)): perturbing y_j by
  // delta and y'_j by c_j delta gives column j of dF/dy + c_j dF/dy' in one evaluation.
  // Inside IDACalcIC the unknowns of a differential component are y'_j alone (y_j is held), so its
  // exact column there is c_j dF/dy'_j without dF/dy_j. IDA's own matrix keeps dF/dy_j, which is
  // harmless only where c_j dF/dy' dominates; it does not for a salt balance scaled by the volume
  // width (porosity h c' against conductance terms in the charge rows), and consistent
  // initialization of a cell with double layers on both porous electrodes failed for that reason.
  // make_consistent() tries this exact matrix first.
  const bool hold_differential_y = impl->in_initial_condition;
  const auto y0 = view(y, n);
  const auto yp0 = view(yp, n);
  const auto f0 = view(r, n);
  double h = 0.0;
  IDAGetCurrentStep(impl->ida, &h);
  IDAGetErrWeights(impl->ida, impl->work_ewt);
  const auto ewt = view(impl->work_ewt, n);
  const double root_eps = std::sqrt(std::numeric_limits<double>::epsilon());
  for (std::size_t j = 0; j < n; ++j) {
    double inc = std::max(root_eps * std::max(std::abs(y0[j]), std::abs(h * yp0[j])),
                          ewt[j] > 0.0 ? 1.0 / ewt[j] : root_eps);
    if (h * yp0[j] < 0.0) inc = -inc;
    inc = (y0[j] + inc) - y0[j];
    impl->increment[j] = inc;
  }
  for (int c = 0; c < impl->colour_count; ++c) {
    std::copy(y0.begin(), y0.end(), impl->y_perturbed.begin());
    std::copy(yp0.begin(), yp0.end(), impl->yp_perturbed.begin());
    for (std::size_t j = 0; j < n; ++j) {
      if (impl->colour[j] != c) continue;
      if (!(hold_differential_y && impl->differential[j] != 0))
        impl->y_perturbed[j] += impl->increment[j];
      impl->yp_perturbed[j] += cj * impl->increment[j];
    }
    impl->system->residual(t, impl->y_perturbed, impl->yp_perturbed, impl->f_perturbed);
    ++impl->fd_residuals;
    for (std::size_t j = 0; j < n; ++j) {
      if (impl->colour[j] != c) continue;
      const double inverse = 1.0 / impl->increment[j];
      for (std::size_t k = p.column_start[j]; k < p.column_start[j + 1]; ++k) {
        const std::size_t i = p.row_index[k];
        values[k] = (impl->f_perturbed[i] - f0[i]) * inverse;
        if (!std::isfinite(values[k])) return 1;
      }
    }
  }
  return 0;
}

void error_handler(int /*code*/, const char* /*module*/, const char* function, char* message,
                   void* user) {
  auto* impl = static_cast<IdaSolver::Impl*>(user);
  impl->last_error = fmt::format("{}: {}", function, message);
}

void check(int flag, const char* call) {
  if (flag < 0) {
    throw core::InternalError(fmt::format("SUNDIALS call {} failed with flag {}", call, flag));
  }
}

}  // namespace

IdaSolver::IdaSolver(const DaeSystem& system, IdaOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.system = &system;
  s.options = std::move(options);
  s.n = system.size();
  CATHODELAB_REQUIRE(s.n > 0, "a DAE system needs at least one unknown");
  CATHODELAB_REQUIRE(
      s.options.absolute_tolerances.empty() || s.options.absolute_tolerances.size() == s.n,
      "absolute_tolerances must be empty or one per unknown");
  check(SUNContext_Create(nullptr, &s.context), "SUNContext_Create");
  const auto n = static_cast<sunindextype>(s.n);
  s.y = fast::make_vector(n, s.context);
  s.yp = fast::make_vector(n, s.context);
  s.atol = fast::make_vector(n, s.context);
  s.id = fast::make_vector(n, s.context);
  s.work_ewt = fast::make_vector(n, s.context);
  N_VConst(0.0, s.y);
  N_VConst(0.0, s.yp);
  auto atol = view_mut(s.atol, s.n);
  for (std::size_t i = 0; i < s.n; ++i) {
    atol[i] = s.options.absolute_tolerances.empty() ? s.options.absolute_tolerance
                                                    : s.options.absolute_tolerances[i];
  }
  const auto mask = system.differential_mask();
  CATHODELAB_REQUIRE(mask.size() == s.n, "differential_mask must have one entry per unknown");
  auto id = view_mut(s.id, s.n);
  for (std::size_t i = 0; i < s.n; ++i) id[i] = mask[i] ? 1.0 : 0.0;
  s.differential.assign(mask.begin(), mask.end());

  s.pattern = system.sparsity();
  CATHODELAB_REQUIRE(s.pattern.n == s.n && s.pattern.column_start.size() == s.n + 1,
                     "sparsity pattern size does not match the system");
  s.colour = colour_columns(s.pattern);
  s.colour_count = s.colour.empty() ? 0 : *std::max_element(s.colour.begin(), s.colour.end()) + 1;
  s.y_perturbed.resize(s.n);
  s.yp_perturbed.resize(s.n);
  s.f_perturbed.resize(s.n);
  s.increment.resize(s.n);

  s.ida = IDACreate(s.context);
  CATHODELAB_REQUIRE(s.ida != nullptr, "IDACreate returned null");
  check(IDASetErrHandlerFn(s.ida, error_handler, &s), "IDASetErrHandlerFn");
  check(IDAInit(s.ida, residual_callback, 0.0, s.y, s.yp), "IDAInit");
  check(IDASVtolerances(s.ida, s.options.relative_tolerance, s.atol), "IDASVtolerances");
  check(IDASetUserData(s.ida, &s), "IDASetUserData");
  check(IDASetId(s.ida, s.id), "IDASetId");
  check(IDASetMaxNumSteps(s.ida, s.options.max_steps), "IDASetMaxNumSteps");
  check(IDASetMaxOrd(s.ida, s.options.max_order), "IDASetMaxOrd");
  check(IDASetSuppressAlg(s.ida, s.options.suppress_algebraic_error ? SUNTRUE : SUNFALSE),
        "IDASetSuppressAlg");
  if (s.options.max_step > 0.0) check(IDASetMaxStep(s.ida, s.options.max_step), "IDASetMaxStep");
  s.matrix = SUNSparseMatrix(
      n, n, static_cast<sunindextype>(std::max<std::size_t>(s.pattern.nonzeros(), 1)), CSC_MAT,
      s.context);
  s.matrix->ops->zero = fast::zero_sparse;
  // KLU needs a valid structure before the first factorization.
  {
    sunindextype* col = SUNSparseMatrix_IndexPointers(s.matrix);
    sunindextype* row = SUNSparseMatrix_IndexValues(s.matrix);
    for (std::size_t j = 0; j <= s.n; ++j)
      col[j] = static_cast<sunindextype>(s.pattern.column_start[j]);
    for (std::size_t k = 0; k < s.pattern.nonzeros(); ++k)
      row[k] = static_cast<sunindextype>(s.pattern.row_index[k]);
  }
  s.linear_solver = SUNLinSol_KLU(s.y, s.matrix, s.context);
  CATHODELAB_REQUIRE(s.linear_solver != nullptr, "SUNLinSol_KLU returned null");
  check(IDASetLinearSolver(s.ida, s.linear_solver, s.matrix), "IDASetLinearSolver");
  check(IDASetJacFn(s.ida, jacobian_callback), "IDASetJacFn");
  check(IDASetNoInactiveRootWarn(s.ida), "IDASetNoInactiveRootWarn");
  // Strongly nonlinear algebraic parts (exponential kinetics after a jump of the applied current)
  // need more Newton iterations than IDACalcIC's defaults (4 iterations, 4 Jacobians).
  check(IDASetMaxNumItersIC(s.ida, 50), "IDASetMaxNumItersIC");
  check(IDASetMaxNumJacsIC(s.ida, 20), "IDASetMaxNumJacsIC");
  set_events_enabled(true);
}

IdaSolver::~IdaSolver() = default;
IdaSolver::IdaSolver(IdaSolver&& other) noexcept = default;
IdaSolver& IdaSolver::operator=(IdaSolver&& other) noexcept = default;

void IdaSolver::set_events_enabled(bool enabled) {
  Impl& s = *impl_;
  s.events_enabled = enabled;
  const auto count = enabled ? static_cast<int>(s.system->event_count()) : 0;
  check(IDARootInit(s.ida, count, count > 0 ? event_callback : nullptr), "IDARootInit");
  auto directions = s.system->event_directions();
  if (count > 0 && directions.size() == static_cast<std::size_t>(count)) {
    check(IDASetRootDirection(s.ida, directions.data()), "IDASetRootDirection");
  }
}

void IdaSolver::reset(double t0, std::span<const double> y0, std::span<const double> yp0) {
  Impl& s = *impl_;
  CATHODELAB_REQUIRE(y0.size() == s.n && yp0.size() == s.n, "state size does not match the system");
  s.steps_before = s.steps();
  s.residuals_before = s.residuals() - s.fd_residuals;
  s.jacobians_before = s.jacobians();
  std::copy(y0.begin(), y0.end(), N_VGetArrayPointer(s.y));
  std::copy(yp0.begin(), yp0.end(), N_VGetArrayPointer(s.yp));
  check(IDAReInit(s.ida, t0, s.y, s.yp), "IDAReInit");
  s.initialized = true;
}

void IdaSolver::make_consistent(double t_next) {
  Impl& s = *impl_;
  const auto start = std::chrono::steady_clock::now();
  s.last_error.clear();
  // First with the exact matrix, whose differential columns are c_j dF/dy' alone (see
  // jacobian_callback); where that fails, once more from the same start with IDA's own matrix.
  // Each solves some cells the other does not (observed: Chen2020 with double layers needs the
  // first; a full cell without them once needed the second), and the exact one leaves a state
  // from which the integration needs fewer steps.
  const double t_start = time();
  const std::vector<double> y_start(view(s.y, s.n).begin(), view(s.y, s.n).end());
  const std::vector<double> yp_start(view(s.yp, s.n).begin(), view(s.yp, s.n).end());
  const bool exact = !s.system->has_analytic_jacobian();
  s.in_initial_condition = exact;
  int flag = IDACalcIC(s.ida, IDA_YA_YDP_INIT, t_next);
  s.in_initial_condition = false;
  if (flag < 0 && exact) {
    reset(t_start, y_start, yp_start);
    s.last_error.clear();
    flag = IDACalcIC(s.ida, IDA_YA_YDP_INIT, t_next);
  }
  s.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (flag < 0) s.fail("consistent initialization (IDACalcIC)", flag);
  double t0 = 0.0;
  IDAGetCurrentTime(s.ida, &t0);
  check(IDAGetConsistentIC(s.ida, s.y, s.yp), "IDAGetConsistentIC");
  // Restart from the consistent state so that y() and yp() are the corrected values.
  std::vector<double> y(view(s.y, s.n).begin(), view(s.y, s.n).end());
  std::vector<double> yp(view(s.yp, s.n).begin(), view(s.yp, s.n).end());
  for (double v : y) {
    if (!std::isfinite(v)) s.fail("consistent initialization (non-finite state)", IDA_RES_FAIL);
  }
  reset(t0, y, yp);
}

AdvanceResult IdaSolver::advance(double t_stop, bool one_step) {
  Impl& s = *impl_;
  CATHODELAB_REQUIRE(s.initialized, "call reset() before advance()");
  const auto start = std::chrono::steady_clock::now();
  s.last_error.clear();
  check(IDASetStopTime(s.ida, t_stop), "IDASetStopTime");
  double t = 0.0;
  const int flag = IDASolve(s.ida, t_stop, &t, s.y, s.yp, one_step ? IDA_ONE_STEP : IDA_NORMAL);
  s.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (flag < 0) s.fail("time integration (IDA)", flag);
  AdvanceResult result;
  result.t = t;
  if (flag == IDA_ROOT_RETURN) {
    result.stop = AdvanceStop::event;
    result.event_direction.resize(s.system->event_count());
    IDAGetRootInfo(s.ida, result.event_direction.data());
  } else if (flag == IDA_TSTOP_RETURN || t >= t_stop) {
    result.stop = AdvanceStop::reached_time;
  } else {
    result.stop = AdvanceStop::one_step;
  }
  return result;
}

double IdaSolver::time() const noexcept {
  double t = 0.0;
  IDAGetCurrentTime(impl_->ida, &t);
  return t;
}
std::span<const double> IdaSolver::y() const noexcept {
  return view(impl_->y, impl_->n);
}
std::span<const double> IdaSolver::yp() const noexcept {
  return view(impl_->yp, impl_->n);
}
core::SolveStats IdaSolver::stats() const {
  return impl_->stats(
      true, fmt::format("{} steps, {} residual evaluations ({} for Jacobians), {} "
                        "Jacobians, {} colours, {} error-test and {} convergence failures",
                        impl_->steps(), impl_->residuals(), impl_->fd_residuals, impl_->jacobians(),
                        impl_->colour_count, impl_->counter(IDAGetNumErrTestFails),
                        impl_->counter(IDAGetNumNonlinSolvConvFails)));
}
long IdaSolver::residual_evaluations() const {
  return impl_->residuals();
}
long IdaSolver::jacobian_evaluations() const {
  return impl_->jacobians();
}

}  // namespace cathodelab::numerics
