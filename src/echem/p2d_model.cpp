// P2D residual, sparsity and state helpers (see p2d_model.hpp and docs/theory/p2d.md).
#include "p2d_model.hpp"

#include "cathodelab/core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace cathodelab::echem::detail {
namespace {

double transport_factor(double given, double porosity) {
  return given > 0.0 ? given : bruggeman_factor(porosity);
}

}  // namespace

P2dModel::P2dModel(CellParameters p, const Mesh& mesh) : p_(std::move(p)) {
  validate(p_);
  binary_ = p_.electrolyte.model == ElectrolyteModel::binary;
  li_metal_ = p_.negative_model == NegativeElectrodeModel::lithium_metal;
  nr_ = mesh.particle;
  CATHODELAB_REQUIRE(mesh.separator >= 1 && mesh.positive >= 1 && mesh.particle >= 2 &&
                         (li_metal_ || mesh.negative >= 1),
                     "mesh needs at least one volume per domain and two per particle");
  const double temperature = p_.temperature;
  const double t_ref = p_.reference_temperature;
  f_ = faraday_constant / (gas_constant * temperature);
  kappa_arr_ = arrhenius(p_.electrolyte.conductivity_activation_energy, temperature, t_ref);
  d_arr_ = arrhenius(p_.electrolyte.diffusivity_activation_energy, temperature, t_ref);
  anode_i0_ = p_.lithium.exchange_current_density *
              arrhenius(p_.lithium.kinetics_activation_energy, temperature, t_ref);

  auto add_domain = [&](int count, double thickness, double porosity, double factor, int block) {
    const double h = thickness / count;
    for (int i = 0; i < count; ++i) {
      const double left = x_.empty() ? 0.0 : x_.back() + 0.5 * h_.back();
      h_.push_back(h);
      x_.push_back(left + 0.5 * h);
      porosity_.push_back(porosity);
      transport_.push_back(factor);
      block_of_.push_back(block);
    }
  };
  auto make_block = [&](const PorousElectrode& e, int first, int count, bool positive) {
    Block b;
    b.electrode = &(positive ? p_.positive : p_.negative);
    b.first = first;
    b.cells = count;
    b.h = e.thickness / count;
    b.sigma = e.electronic_conductivity;
    b.is_positive = positive;
    double geometric_area = 0.0;
    for (const auto& c : e.particles)
      geometric_area += 3.0 * c.volume_fraction * e.utilizable_fraction / c.radius;
    const double area_scale = e.active_area > 0.0 ? e.active_area / geometric_area : 1.0;
    for (const auto& c : e.particles) {
      Block::Class k;
      k.radius = c.radius;
      k.eps = c.volume_fraction * e.utilizable_fraction;
      k.area = 3.0 * k.eps / c.radius * area_scale;
      k.area_scale = area_scale;
      k.dr = c.radius / nr_;
      for (int m = 0; m < nr_; ++m) {
        const double r_in = m * k.dr;
        const double r_out = (m + 1) * k.dr;
        k.shell_volume.push_back((r_out * r_out * r_out - r_in * r_in * r_in) / 3.0);
        k.face_area.push_back(r_out * r_out);
        k.inverse_shell_volume.push_back(1.0 / k.shell_volume.back());
        k.face_area_over_dr.push_back(r_out * r_out / k.dr);
      }
      b.classes.push_back(std::move(k));
    }
    b.i0_factor = e.material.exchange_current_coefficient *
                  arrhenius(e.material.kinetics_activation_energy, temperature, t_ref);
    b.d_factor = arrhenius(e.material.diffusivity_activation_energy, temperature, t_ref);
    b.ce_power = std::pow(p_.electrolyte.initial_concentration, e.material.alpha_anodic);
    b.half_alphas = e.material.alpha_anodic == 0.5 && e.material.alpha_cathodic == 0.5;
    if (e.material.diffusivity.is_constant()) {
      b.d_constant = e.material.diffusivity(0.5, temperature) * b.d_factor;
    } else {
      constexpr int points = 4097;
      b.d_table.resize(points);
      for (int i = 0; i < points; ++i) {
        b.d_table[i] =
            e.material.diffusivity(static_cast<double>(i) / (points - 1), temperature) * b.d_factor;
      }
    }
    return b;
  };

  if (!li_metal_) {
    blocks_.push_back(make_block(p_.negative, 0, mesh.negative, false));
    add_domain(mesh.negative, p_.negative.thickness, p_.negative.porosity,
               transport_factor(p_.negative.ionic_transport_factor, p_.negative.porosity), 0);
  }
  add_domain(mesh.separator, p_.separator.thickness, p_.separator.porosity,
             transport_factor(p_.separator.ionic_transport_factor, p_.separator.porosity), -1);
  const int positive_first = static_cast<int>(x_.size());
  blocks_.push_back(make_block(p_.positive, positive_first, mesh.positive, true));
  add_domain(mesh.positive, p_.positive.thickness, p_.positive.porosity,
             transport_factor(p_.positive.ionic_transport_factor, p_.positive.porosity),
             static_cast<int>(blocks_.size()) - 1);
  cells_ = static_cast<int>(x_.size());
  if (!binary_) {
    const double kappa0 =
        p_.electrolyte.conductivity(p_.electrolyte.initial_concentration, temperature) * kappa_arr_;
    for (int i = 0; i < cells_; ++i) kappa_fixed_.push_back(transport_[i] * kappa0);
  }

  int next = 0;
  for (int i = 0; i < cells_; ++i) {
    offset_.push_back(next);
    next += binary_ ? 2 : 1;
    if (block_of_[i] >= 0) {
      next += 1 + static_cast<int>(blocks_[block_of_[i]].classes.size()) * (2 + nr_);
    }
  }
  idx_I_ = next++;
  idx_Q_ = next++;
  idx_E_ = next++;
  if (li_metal_) idx_anode_ = next++;
  n_ = static_cast<std::size_t>(next);
}

double P2dModel::surface_concentration(const Block& b, std::size_t k, int base,
                                       std::span<const double> y) const {
  const auto& cls = b.classes[k];
  const auto& mat = b.electrode->material;
  const double c_max = mat.max_concentration;
  const double c_last = y[base + 2 + nr_ - 1];
  // The half-volume extrapolation carries the faradaic flux, the flux the last shell receives. It
  // is an unknown of its own (not j - C_dl d(dphi)/dt), so no y' enters the OCP or the exchange
  // current: docs/theory/p2d.md section 3a says why Newton needs this.
  const double flux = y[base + 1] * cls.area_scale / faraday_constant;  // [mol/m^2/s] leaving
  const double d = b.diffusivity(c_last / c_max);
  return c_last - flux * 0.5 * cls.dr / d;
}

double P2dModel::exchange_current(const Block& b, double c_e, double c_s) const {
  const auto& mat = b.electrode->material;
  const double c_max = mat.max_concentration;
  // Symmetric transfer coefficients 0.5 (every shipped set): one square root instead of three
  // powers; a single-ion conductor has a constant c_e, whose power is taken once (Block).
  const double electrolyte = binary_ ? std::pow(c_e, mat.alpha_anodic) : b.ce_power;
  if (b.half_alphas) return b.i0_factor * electrolyte * std::sqrt(c_s * (c_max - c_s));
  return b.i0_factor * electrolyte * std::pow(c_s, mat.alpha_cathodic) *
         std::pow(c_max - c_s, mat.alpha_anodic);
}

double P2dModel::butler_volmer(double i0, double alpha_a, double alpha_c, double eta) const {
  if (alpha_a == alpha_c) {  // one exponential: exp(a f eta) - 1/exp(a f eta)
    const double e = std::exp(alpha_a * f_ * eta);
    return i0 * (e - 1.0 / e);
  }
  return i0 * (std::exp(alpha_a * f_ * eta) - std::exp(-alpha_c * f_ * eta));
}

void P2dModel::residual(double t, std::span<const double> y, std::span<const double> yp,
                        std::span<double> out) const {
  const double temperature = p_.temperature;
  const double current = y[idx_I_];
  const auto& el = p_.electrolyte;
  const double c0 = el.initial_concentration;
  const double rt_f = 1.0 / f_;

  // --- electrolyte faces: i_e and Li+ flux N at face f (between volume f-1 and f).
  // Stack arrays sized by the cell count; small, so a thread_local buffer avoids allocation.
  thread_local std::vector<double> ie, nflux, kappa, diff, csurf_buf;
  ie.assign(static_cast<std::size_t>(cells_) + 1, 0.0);
  nflux.assign(static_cast<std::size_t>(cells_) + 1, 0.0);
  kappa.resize(static_cast<std::size_t>(cells_));
  diff.resize(static_cast<std::size_t>(cells_));
  auto ce = [&](int i) { return binary_ ? y[offset_[i] + 1] : c0; };
  if (binary_) {
    for (int i = 0; i < cells_; ++i) {
      const double c = std::max(ce(i), 1e-6 * c0);
      kappa[i] = transport_[i] * el.conductivity(c, temperature) * kappa_arr_;
      diff[i] = transport_[i] * el.diffusivity(c, temperature) * d_arr_;
    }
  } else {  // uniform concentration: conductivities fixed at construction
    std::copy(kappa_fixed_.begin(), kappa_fixed_.end(), kappa.begin());
    std::fill(diff.begin(), diff.end(), 0.0);
  }
  for (int f = 1; f < cells_; ++f) {
    const int a = f - 1;
    const int b = f;
    const double g_kappa = 1.0 / (0.5 * h_[a] / kappa[a] + 0.5 * h_[b] / kappa[b]);
    double diffusion_term = 0.0;
    if (binary_) {
      const double ca = std::max(ce(a), 1e-6 * c0);
      const double cb = std::max(ce(b), 1e-6 * c0);
      const double c_face = (h_[b] * ca + h_[a] * cb) / (h_[a] + h_[b]);
      const double tp = el.transference_number(c_face, temperature);
      const double chi = el.thermodynamic_factor(c_face, temperature);
      diffusion_term = 2.0 * rt_f * (1.0 - tp) * chi * (std::log(cb) - std::log(ca));
      ie[f] = -g_kappa * ((y[offset_[b]] - y[offset_[a]]) - diffusion_term);
      const double g_d = 1.0 / (0.5 * h_[a] / diff[a] + 0.5 * h_[b] / diff[b]);
      nflux[f] = -g_d * (cb - ca) + tp * ie[f] / faraday_constant;
    } else {
      ie[f] = -g_kappa * (y[offset_[b]] - y[offset_[a]]);
    }
  }
  // Left boundary.
  if (li_metal_) {
    const double dphi = y[idx_anode_];
    double c_face = c0;
    const double c_first = std::max(ce(0), 1e-6 * c0);
    const double anode_dl = p_.lithium.double_layer_capacitance;
    const double i_faradaic = current - anode_dl * yp[idx_anode_];
    if (binary_) {
      const double tp = el.transference_number(c_first, temperature);
      // Li+ flux into the electrolyte equals the faradaic current / F:
      // N0 = -D (c_first - c_face) / (h/2) + t+ I / F.
      c_face = c_first + (i_faradaic / faraday_constant - tp * current / faraday_constant) * 0.5 *
                             h_[0] / diff[0];
      c_face = std::max(c_face, 1e-6 * c0);
      nflux[0] = i_faradaic / faraday_constant;
    }
    const double phi_face = -dphi - current * p_.lithium.film_resistance;
    double diffusion_term = 0.0;
    if (binary_) {
      const double tp = el.transference_number(c_first, temperature);
      const double chi = el.thermodynamic_factor(c_first, temperature);
      diffusion_term = 2.0 * rt_f * (1.0 - tp) * chi * (std::log(c_first) - std::log(c_face));
    }
    ie[0] = -(2.0 * kappa[0] / h_[0]) * ((y[offset_[0]] - phi_face) - diffusion_term);
    // Interface kinetics: I - i_BV - C_dl d(dphi)/dt = 0.
    const auto& li = p_.lithium;
    const double i0 = anode_i0_ * (binary_ ? std::pow(c_face / c0, li.alpha_anodic) : 1.0);
    const double i_bv = butler_volmer(i0, li.alpha_anodic, li.alpha_cathodic, dphi);
    out[idx_anode_] = current - i_bv - anode_dl * yp[idx_anode_];
  }

  // --- volumes: electrolyte charge and salt; electrodes.
  for (int i = 0; i < cells_; ++i) {
    const int o = offset_[i];
    double source_charge = 0.0;  // sum_k a_k j_k [A/m^3]
    double source_li = 0.0;      // sum_k a_k j_F,k / F [mol/m^3/s]
    const int bi = block_of_[i];
    if (bi >= 0) {
      const Block& b = blocks_[bi];
      const auto& e = *b.electrode;
      const auto& mat = e.material;
      const double c_max = mat.max_concentration;
      const int local = i - b.first;
      const double phi_s = y[phi_s_index(i)];
      const double phi_e = y[o];
      const double c_e = std::max(ce(i), 1e-6 * c0);
      const double cdl = e.double_layer_capacitance;
      for (std::size_t k = 0; k < b.classes.size(); ++k) {
        const auto& cls = b.classes[k];
        const int base = class_index(i, k);
        const double dphi = y[base];
        const double j_faradaic = y[base + 1];
        const double j_total = j_faradaic + cdl * yp[base];  // faradaic + double layer
        const double c_surf = surface_concentration(b, k, base, y);
        const double sto = c_surf / c_max;
        const double cs_clamped = std::clamp(c_surf, 1e-9 * c_max, (1.0 - 1e-9) * c_max);
        // A trial iterate may put the extrapolated surface outside [0, 1], where an OCP formula
        // (exponential terms) can overflow; converged states stay inside (stoichiometry guards).
        const double u = mat.open_circuit_potential(std::clamp(sto, 0.0, 1.0));
        const double i0 = exchange_current(b, c_e, cs_clamped);
        const double i_bv = butler_volmer(i0, mat.alpha_anodic, mat.alpha_cathodic, dphi - u);
        out[base] = j_faradaic - i_bv;
        out[base + 1] = phi_s - phi_e - dphi - j_total * e.film_resistance;
        source_charge += cls.area * j_total;
        source_li += cls.area * j_faradaic / faraday_constant;
        // Particle shells: dc/dt + (r_out^2 F_out - r_in^2 F_in) / V = 0, F outward flux.
        // Reciprocals precomputed (Block::Class): divisions were half of the residual's time.
        const int c0i = base + 2;
        const double half_inv_cmax = 0.5 / c_max;
        double flux_in = 0.0;  // r^2 * F at the inner face
        for (int m = 0; m + 1 < nr_; ++m) {
          const double c_in = y[c0i + m];
          const double c_out = y[c0i + m + 1];
          const double d = b.diffusivity((c_in + c_out) * half_inv_cmax);
          const double flux_out = -cls.face_area_over_dr[m] * d * (c_out - c_in);
          out[c0i + m] = yp[c0i + m] + (flux_out - flux_in) * cls.inverse_shell_volume[m];
          flux_in = flux_out;
        }
        const double surface_flux =
            cls.face_area[nr_ - 1] * j_faradaic * cls.area_scale / faraday_constant;
        out[c0i + nr_ - 1] =
            yp[c0i + nr_ - 1] + (surface_flux - flux_in) * cls.inverse_shell_volume[nr_ - 1];
      }
      // Solid charge: i_s,right - i_s,left + h sum a j = 0.
      const double g = b.sigma / b.h;
      double is_left = 0.0;
      double is_right = 0.0;
      if (local > 0) {
        is_left = -g * (phi_s - y[phi_s_index(i - 1)]);
      } else if (!b.is_positive) {
        is_left = -2.0 * g * (phi_s - 0.0);  // negative collector at 0 V
      }
      if (local + 1 < b.cells) {
        is_right = -g * (y[phi_s_index(i + 1)] - phi_s);
      } else if (b.is_positive) {
        is_right = current;
      }
      out[phi_s_index(i)] = (is_right - is_left) + h_[i] * source_charge;
      (void)local;
    }
    out[o] = (ie[i + 1] - ie[i]) - h_[i] * source_charge;
    if (binary_) {
      out[o + 1] = porosity_[i] * h_[i] * yp[o + 1] + (nflux[i + 1] - nflux[i]) - h_[i] * source_li;
    }
  }

  // --- globals.
  const double v = voltage(y);
  switch (control_.kind) {
    case Control::Kind::current_density:
      out[idx_I_] = current - control_.value;
      break;
    case Control::Kind::voltage:
      out[idx_I_] = v - control_.value;
      break;
    case Control::Kind::power:
      out[idx_I_] = current * v - control_.value;
      break;
    case Control::Kind::sweep:
      out[idx_I_] = v - (control_.value + control_.sweep_rate * (t - control_.start_time));
      break;
  }
  out[idx_Q_] = yp[idx_Q_] - current;
  out[idx_E_] = yp[idx_E_] - current * v;
}

double P2dModel::voltage(std::span<const double> y) const {
  const Block& b = blocks_.back();
  const int last = b.first + b.cells - 1;
  const double current = y[idx_I_];
  const double phi_face = y[phi_s_index(last)] - current * 0.5 * b.h / b.sigma;
  return phi_face - current * p_.contact_resistance;
}

std::vector<bool> P2dModel::differential_mask() const {
  std::vector<bool> mask(n_, false);
  for (int i = 0; i < cells_; ++i) {
    if (binary_) mask[offset_[i] + 1] = true;
    const int bi = block_of_[i];
    if (bi < 0) continue;
    const Block& b = blocks_[bi];
    for (std::size_t k = 0; k < b.classes.size(); ++k) {
      const int base = class_index(i, k);
      mask[base] = b.electrode->double_layer_capacitance > 0.0;
      for (int m = 0; m < nr_; ++m) mask[base + 2 + m] = true;
    }
  }
  mask[idx_Q_] = true;
  mask[idx_E_] = true;
  if (li_metal_) mask[idx_anode_] = p_.lithium.double_layer_capacitance > 0.0;
  return mask;
}

numerics::SparsityPattern P2dModel::sparsity() const {
  std::vector<std::pair<std::size_t, std::size_t>> e;
  auto add = [&](int row, int col) {
    e.emplace_back(static_cast<std::size_t>(row), static_cast<std::size_t>(col));
  };
  const int last_positive = blocks_.back().first + blocks_.back().cells - 1;
  for (int i = 0; i < cells_; ++i) {
    const int o = offset_[i];
    const int rows_e[2] = {o, o + 1};
    for (int r = 0; r < (binary_ ? 2 : 1); ++r) {
      for (int nb = std::max(0, i - 1); nb <= std::min(cells_ - 1, i + 1); ++nb) {
        add(rows_e[r], offset_[nb]);
        if (binary_) add(rows_e[r], offset_[nb] + 1);
      }
      if (i == 0 && li_metal_) {
        add(rows_e[r], idx_anode_);
        add(rows_e[r], idx_I_);
      }
    }
    const int bi = block_of_[i];
    if (bi < 0) continue;
    const Block& b = blocks_[bi];
    const int ps = phi_s_index(i);
    for (int nb = std::max(b.first, i - 1); nb <= std::min(b.first + b.cells - 1, i + 1); ++nb)
      add(ps, phi_s_index(nb));
    if (i == last_positive) add(ps, idx_I_);
    for (std::size_t k = 0; k < b.classes.size(); ++k) {
      const int base = class_index(i, k);
      const int c_first = base + 2;
      const int c_last = base + 2 + nr_ - 1;
      for (int r : rows_e) {
        if (r == o + 1 && !binary_) continue;
        add(r, base + 1);
        add(r, base);
      }
      add(ps, base + 1);
      if (b.electrode->double_layer_capacitance > 0.0) add(ps, base);  // C_dl d(dphi)/dt
      // kinetics row
      for (int col : {base, base + 1, c_last, o}) add(base, col);
      if (binary_) add(base, o + 1);
      // film row
      for (int col : {ps, o, base, base + 1}) add(base + 1, col);
      for (int m = 0; m < nr_; ++m) {
        const int row = c_first + m;
        if (m > 0) add(row, row - 1);
        if (m + 1 < nr_) add(row, row + 1);
      }
      add(c_last, base + 1);
    }
  }
  const int ps_last = phi_s_index(last_positive);
  add(idx_I_, ps_last);
  add(idx_Q_, idx_I_);
  add(idx_E_, idx_I_);
  add(idx_E_, ps_last);
  if (li_metal_) {
    add(idx_anode_, idx_I_);
    add(idx_anode_, offset_[0]);
    if (binary_) add(idx_anode_, offset_[0] + 1);
  }
  return numerics::make_sparsity_pattern(n_, e);
}

void P2dModel::events(double /*t*/, std::span<const double> y, std::span<const double> /*yp*/,
                      std::span<double> g) const {
  const double v = voltage(y);
  g[0] = v - limits_.lower_voltage;
  g[1] = limits_.upper_voltage - v;
  g[2] = limits_.min_current >= 0.0 ? std::abs(y[idx_I_]) - limits_.min_current : 1.0;
  double low = 1e300;
  double high = 1e300;
  for (const Block& b : blocks_) {
    const auto& mat = b.electrode->material;
    for (int i = b.first; i < b.first + b.cells; ++i) {
      for (std::size_t k = 0; k < b.classes.size(); ++k) {
        const double sto =
            surface_concentration(b, k, class_index(i, k), y) / mat.max_concentration;
        // A margin keeps the kinetics away from c_s = 0 or c_max, where i0 vanishes and a following
        // rest would have no consistent state.
        low = std::min(low, sto - std::max(mat.min_stoichiometry, 1e-3));
        high = std::min(high, std::min(mat.max_stoichiometry, 1.0 - 1e-3) - sto);
      }
    }
  }
  g[3] = limits_.guard_emptied ? low : 1.0;
  g[4] = limits_.guard_filled ? high : 1.0;
  g[5] = limits_.guard_table ? std::min(table_margin(y), 1.0) : 1.0;
}

namespace {

/// The tightest table range of a material: OCP and diffusivity domains intersected, with the
/// name of the table that sets each end.
struct TableRange {
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  const char* lower_name = "";
  const char* upper_name = "";
  double lower_shown_upper = 0.0;  // the other end of the table that sets `lower`
  double upper_shown_lower = 0.0;
};

TableRange table_range(const ActiveMaterial& m) {
  TableRange r;
  auto take = [&r](double lo, double hi, const char* name) {
    if (lo > r.lower) {
      r.lower = lo;
      r.lower_name = name;
      r.lower_shown_upper = hi;
    }
    if (hi < r.upper) {
      r.upper = hi;
      r.upper_name = name;
      r.upper_shown_lower = lo;
    }
  };
  take(m.open_circuit_potential.lower(), m.open_circuit_potential.upper(), "OCP");
  take(m.diffusivity.lower(), m.diffusivity.upper(), "diffusivity");
  return r;
}

}  // namespace

double P2dModel::table_margin(std::span<const double> y) const {
  double margin = std::numeric_limits<double>::infinity();
  for (const Block& b : blocks_) {
    const auto& mat = b.electrode->material;
    const TableRange range = table_range(mat);
    if (!std::isfinite(range.lower) && !std::isfinite(range.upper)) continue;
    for (int i = b.first; i < b.first + b.cells; ++i) {
      for (std::size_t k = 0; k < b.classes.size(); ++k) {
        const double sto =
            surface_concentration(b, k, class_index(i, k), y) / mat.max_concentration;
        margin = std::min({margin, sto - range.lower, range.upper - sto});
      }
    }
  }
  return margin;
}

std::string P2dModel::table_exit_description(std::span<const double> y) const {
  double margin = std::numeric_limits<double>::infinity();
  std::string text;
  for (const Block& b : blocks_) {
    const auto& mat = b.electrode->material;
    const TableRange range = table_range(mat);
    if (!std::isfinite(range.lower) && !std::isfinite(range.upper)) continue;
    const char* electrode = b.is_positive ? "positive" : "negative";
    for (int i = b.first; i < b.first + b.cells; ++i) {
      for (std::size_t k = 0; k < b.classes.size(); ++k) {
        const double sto =
            surface_concentration(b, k, class_index(i, k), y) / mat.max_concentration;
        if (sto - range.lower < margin) {
          margin = sto - range.lower;
          text = fmt::format(
              "surface stoichiometry {:.4f} of the {} electrode left the {} table [{:.4g}, {:.4g}]",
              sto, electrode, range.lower_name, range.lower, range.lower_shown_upper);
        }
        if (range.upper - sto < margin) {
          margin = range.upper - sto;
          text = fmt::format(
              "surface stoichiometry {:.4f} of the {} electrode left the {} table [{:.4g}, {:.4g}]",
              sto, electrode, range.upper_name, range.upper_shown_lower, range.upper);
        }
      }
    }
  }
  return text;
}

std::vector<double> P2dModel::initial_state() const {
  std::vector<double> y(n_, 0.0);
  const double c0 = p_.electrolyte.initial_concentration;
  double phi_e = 0.0;
  if (!li_metal_) {
    const auto& neg = p_.negative;
    phi_e = -neg.material.open_circuit_potential(neg.initial_stoichiometry);
  }
  for (int i = 0; i < cells_; ++i) {
    y[offset_[i]] = phi_e;
    if (binary_) y[offset_[i] + 1] = c0;
    const int bi = block_of_[i];
    if (bi < 0) continue;
    const Block& b = blocks_[bi];
    const auto& e = *b.electrode;
    const double u = e.material.open_circuit_potential(e.initial_stoichiometry);
    y[phi_s_index(i)] = phi_e + u;
    for (std::size_t k = 0; k < b.classes.size(); ++k) {
      const int base = class_index(i, k);
      y[base] = u;
      for (int m = 0; m < nr_; ++m)
        y[base + 2 + m] = e.initial_stoichiometry * e.material.max_concentration;
    }
  }
  return y;
}

std::vector<double> P2dModel::absolute_tolerances(double scale) const {
  std::vector<double> atol(n_, scale);  // potentials [V], currents [A/m^2]
  const double c0 = p_.electrolyte.initial_concentration;
  for (int i = 0; i < cells_; ++i) {
    if (binary_) atol[offset_[i] + 1] = scale * c0;
    const int bi = block_of_[i];
    if (bi < 0) continue;
    const Block& b = blocks_[bi];
    for (std::size_t k = 0; k < b.classes.size(); ++k) {
      const int base = class_index(i, k);
      for (int m = 0; m < nr_; ++m)
        atol[base + 2 + m] = scale * b.electrode->material.max_concentration;
    }
  }
  const double q_scale = nominal_capacity(p_) * 3600.0 / p_.area;  // [C/m^2]
  atol[idx_Q_] = scale * q_scale;
  atol[idx_E_] = scale * q_scale * 4.0;
  atol[idx_I_] = scale * q_scale / 3600.0;
  return atol;
}

double P2dModel::lithium_in_particles(std::span<const double> y) const {
  double total = 0.0;
  for (const Block& b : blocks_) {
    for (int i = b.first; i < b.first + b.cells; ++i) {
      for (std::size_t k = 0; k < b.classes.size(); ++k) {
        const auto& cls = b.classes[k];
        const int base = class_index(i, k);
        double moles = 0.0;  // per particle / (4 pi)
        for (int m = 0; m < nr_; ++m) moles += cls.shell_volume[m] * y[base + 2 + m];
        const double particle_volume = cls.radius * cls.radius * cls.radius / 3.0;
        total += h_[i] * cls.eps * moles / particle_volume;
      }
    }
  }
  return total;
}

double P2dModel::lithium_in_electrolyte(std::span<const double> y) const {
  double total = 0.0;
  for (int i = 0; i < cells_; ++i) {
    const double c = binary_ ? y[offset_[i] + 1] : p_.electrolyte.initial_concentration;
    total += porosity_[i] * h_[i] * c;
  }
  return total;
}

Profile P2dModel::profile(double t, std::span<const double> y) const {
  Profile pr;
  pr.time = t;
  for (int i = 0; i < cells_; ++i) {
    pr.x.push_back(x_[i]);
    pr.electrolyte_potential.push_back(y[offset_[i]]);
    pr.electrolyte_concentration.push_back(binary_ ? y[offset_[i] + 1]
                                                   : p_.electrolyte.initial_concentration);
    const int bi = block_of_[i];
    if (bi < 0) {
      pr.solid_potential.push_back(0.0);
      pr.surface_stoichiometry.push_back(0.0);
      pr.average_stoichiometry.push_back(0.0);
      continue;
    }
    const Block& b = blocks_[bi];
    const double c_max = b.electrode->material.max_concentration;
    const int base = class_index(i, 0);
    pr.solid_potential.push_back(y[phi_s_index(i)]);
    pr.surface_stoichiometry.push_back(surface_concentration(b, 0, base, y) / c_max);
    const auto& cls = b.classes[0];
    double moles = 0.0;
    for (int m = 0; m < nr_; ++m) moles += cls.shell_volume[m] * y[base + 2 + m];
    pr.average_stoichiometry.push_back(moles / (cls.radius * cls.radius * cls.radius / 3.0) /
                                       c_max);
  }
  return pr;
}

std::pair<double, double> P2dModel::positive_surface_range(std::span<const double> y) const {
  const Block& b = blocks_.back();
  double lo = 1e300, hi = -1e300;
  for (int i = b.first; i < b.first + b.cells; ++i) {
    for (std::size_t k = 0; k < b.classes.size(); ++k) {
      const double s = surface_concentration(b, k, class_index(i, k), y) /
                       b.electrode->material.max_concentration;
      lo = std::min(lo, s);
      hi = std::max(hi, s);
    }
  }
  return {lo, hi};
}

double P2dModel::positive_average_stoichiometry(std::span<const double> y) const {
  const Block& b = blocks_.back();
  double moles = 0.0, capacity = 0.0;
  for (int i = b.first; i < b.first + b.cells; ++i) {
    for (std::size_t k = 0; k < b.classes.size(); ++k) {
      const auto& cls = b.classes[k];
      const int base = class_index(i, k);
      double m_sum = 0.0;
      for (int m = 0; m < nr_; ++m) m_sum += cls.shell_volume[m] * y[base + 2 + m];
      const double pv = cls.radius * cls.radius * cls.radius / 3.0;
      moles += h_[i] * cls.eps * m_sum / pv;
      capacity += h_[i] * cls.eps * b.electrode->material.max_concentration;
    }
  }
  return moles / capacity;
}

}  // namespace cathodelab::echem::detail
