// The P2D equations as a numerics::DaeSystem (private to echem). Unknown layout, per volume i
// across the cell: phi_e, [c_e], and in electrode volumes phi_s, then per particle class
// (delta_phi, j_F, c_s[0..Nr-1]) with j_F the faradaic current density (the double-layer current
// C_dl d(delta_phi)/dt is added where the total is needed). Globals after the volumes: I (current
// density), Q (charge passed per area), E (energy per area), [delta_phi of the lithium-metal
// interface]. Equations: docs/theory/p2d.md.
#pragma once

#include "cathodelab/echem/cell_parameters.hpp"
#include "cathodelab/echem/simulate.hpp"
#include "cathodelab/numerics/dae_system.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace cathodelab::echem::detail {

/// The control applied by the current step, in model units.
struct Control {
  enum class Kind { current_density, voltage, power, sweep } kind = Kind::current_density;
  double value = 0.0;       ///< [A/m^2], [V] or [W/m^2]; sweep: start voltage [V]
  double sweep_rate = 0.0;  ///< [V/s]
  double start_time = 0.0;  ///< [s]
};

/// Event limits of the current step (NaN-free: disabled limits are +-infinity).
struct Limits {
  double lower_voltage = -1e300;  ///< [V]
  double upper_voltage = 1e300;   ///< [V]
  double min_current = -1.0;      ///< [A/m^2] |I| below ends the step; < 0 disabled
  bool guard_emptied = true;      ///< end the step when a particle surface empties
  bool guard_filled = true;       ///< end the step when a particle surface fills
  /// End the step (as a failure) when a particle surface leaves the x range of a tabulated OCP or
  /// diffusivity, where the table would clamp.
  bool guard_table = true;
};

struct Block {  // a porous electrode
  const PorousElectrode* electrode = nullptr;
  int first = 0;  ///< first volume index
  int cells = 0;
  double h = 0.0;      ///< [m] volume width
  double sigma = 0.0;  ///< [S/m]
  bool is_positive = true;
  struct Class {
    double radius = 0.0, eps = 0.0, area = 0.0, area_scale = 1.0;
    double dr = 0.0;
    std::vector<double> shell_volume, face_area;  // normalized by nothing (r^3/3, r^2)
    std::vector<double> inverse_shell_volume, face_area_over_dr;  // 3/(r_o^3 - r_i^3), r_o^2/dr
  };
  std::vector<Class> classes;
  double i0_factor = 0.0;    ///< m times Arrhenius
  double ce_power = 1.0;     ///< c_e0^alpha_a (single-ion conductor: c_e is uniform)
  bool half_alphas = false;  ///< alpha_a = alpha_c = 0.5
  double d_factor = 1.0;     ///< Arrhenius on D_s
  /// D_s(x) at the (fixed) cell temperature times d_factor, tabulated on a uniform grid of x in
  /// [0, 1]: the residual evaluates D at every particle face, and the isothermal model lets a
  /// table with linear interpolation (relative error ~1e-6 for the shipped laws) replace it.
  std::vector<double> d_table;
  double d_constant = 0.0;  ///< used when the diffusivity is a constant
  [[nodiscard]] double diffusivity(double x) const {
    if (d_table.empty()) return d_constant;
    const double s = std::clamp(x, 0.0, 1.0) * static_cast<double>(d_table.size() - 1);
    const auto i = std::min(static_cast<std::size_t>(s), d_table.size() - 2);
    const double w = s - static_cast<double>(i);
    return (1.0 - w) * d_table[i] + w * d_table[i + 1];
  }
};

class P2dModel final : public numerics::DaeSystem {
 public:
  P2dModel(CellParameters p, const Mesh& mesh);

  [[nodiscard]] std::size_t size() const override { return n_; }
  void residual(double t, std::span<const double> y, std::span<const double> yp,
                std::span<double> out) const override;
  [[nodiscard]] std::vector<bool> differential_mask() const override;
  [[nodiscard]] numerics::SparsityPattern sparsity() const override;
  /// Events: 0 lower voltage, 1 upper voltage, 2 current, 3 surface emptied (window), 4 surface
  /// filled (window), 5 a surface left a table's x range.
  [[nodiscard]] std::size_t event_count() const override { return 6; }
  /// Every event function is positive while the state is admissible: only falling crossings count.
  [[nodiscard]] std::vector<int> event_directions() const override {
    return {-1, -1, -1, -1, -1, -1};
  }
  void events(double t, std::span<const double> y, std::span<const double> yp,
              std::span<double> g) const override;

  void set_control(const Control& c) { control_ = c; }
  void set_limits(const Limits& l) { limits_ = l; }
  [[nodiscard]] const Control& control() const { return control_; }

  [[nodiscard]] std::vector<double> initial_state() const;
  [[nodiscard]] std::vector<double> absolute_tolerances(double scale) const;

  [[nodiscard]] double voltage(std::span<const double> y) const;
  [[nodiscard]] double current_density(std::span<const double> y) const { return y[idx_I_]; }
  [[nodiscard]] double charge(std::span<const double> y) const { return y[idx_Q_]; }  ///< [C/m^2]
  [[nodiscard]] double energy(std::span<const double> y) const { return y[idx_E_]; }  ///< [J/m^2]
  [[nodiscard]] int current_index() const { return idx_I_; }

  /// Lithium inventory per area [mol/m^2]: particles + electrolyte (+ metal passed through Q).
  [[nodiscard]] double lithium_in_particles(std::span<const double> y) const;
  [[nodiscard]] double lithium_in_electrolyte(std::span<const double> y) const;

  [[nodiscard]] Profile profile(double t, std::span<const double> y) const;
  /// Surface stoichiometry extremes over the positive electrode [-].
  [[nodiscard]] std::pair<double, double> positive_surface_range(std::span<const double> y) const;
  [[nodiscard]] double positive_average_stoichiometry(std::span<const double> y) const;
  /// Smallest distance [-] of any particle surface stoichiometry inside the x ranges of its
  /// electrode's OCP and diffusivity tables (negative outside; +inf without tables).
  [[nodiscard]] double table_margin(std::span<const double> y) const;
  /// "surface stoichiometry 0.2999 of the positive electrode left the OCP table [0.3, 1]" for the
  /// surface with the smallest table margin (empty without tables).
  [[nodiscard]] std::string table_exit_description(std::span<const double> y) const;

 private:
  CellParameters p_;
  bool binary_ = false;
  bool li_metal_ = true;
  int cells_ = 0;
  int nr_ = 0;
  std::vector<double> h_, x_, porosity_, transport_;
  std::vector<int> offset_;    ///< first unknown of each volume
  std::vector<int> block_of_;  ///< -1 separator, else block index
  std::vector<Block> blocks_;
  int idx_I_ = 0, idx_Q_ = 0, idx_E_ = 0, idx_anode_ = -1;
  std::size_t n_ = 0;
  double f_ = 0.0;  ///< F/(RT) [1/V]
  double kappa_arr_ = 1.0, d_arr_ = 1.0, anode_i0_ = 0.0;
  Control control_;
  Limits limits_;

  [[nodiscard]] int phi_s_index(int cell) const { return offset_[cell] + (binary_ ? 2 : 1); }
  [[nodiscard]] int class_index(int cell, std::size_t k) const {
    return phi_s_index(cell) + 1 + static_cast<int>(k) * (2 + nr_);
  }
  std::vector<double> kappa_fixed_;  ///< [S/m] effective, single-ion conductor
  /// Butler-Volmer exchange current density [A/m^2] at electrolyte c_e and surface c_s.
  [[nodiscard]] double exchange_current(const Block& b, double c_e, double c_s) const;
  /// i0 [exp(alpha_a f eta) - exp(-alpha_c f eta)] [A/m^2].
  [[nodiscard]] double butler_volmer(double i0, double alpha_a, double alpha_c, double eta) const;
  /// [mol/m^3] from the last shell and the faradaic current density j_F (an unknown).
  [[nodiscard]] double surface_concentration(const Block& b, std::size_t k, int base,
                                             std::span<const double> y) const;
};

}  // namespace cathodelab::echem::detail
