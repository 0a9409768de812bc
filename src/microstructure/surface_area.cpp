// Interface areas by the normal-weighted face estimator (derivation and measured bias in
// surface_area.hpp and docs/theory/morphology.md).
#include "cathodelab/microstructure/surface_area.hpp"

#include "cathodelab/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace cathodelab::microstructure {
namespace {

/// A point of the normal-estimation window: integer offset from voxel a and its position relative
/// to the face centre (a + 0.5 e_d).
struct WindowPoint {
  int dx, dy, dz;
  double rx, ry, rz;  ///< Gaussian-weighted offset from the face centre
};

std::vector<WindowPoint> window_for_axis(int axis, double sigma) {
  std::vector<WindowPoint> points;
  const double radius = 3.0 * sigma;
  const int reach = static_cast<int>(std::ceil(radius)) + 1;
  for (int dz = -reach; dz <= reach; ++dz) {
    for (int dy = -reach; dy <= reach; ++dy) {
      for (int dx = -reach; dx <= reach; ++dx) {
        const double rx = dx - (axis == 0 ? 0.5 : 0.0);
        const double ry = dy - (axis == 1 ? 0.5 : 0.0);
        const double rz = dz - (axis == 2 ? 0.5 : 0.0);
        const double r2 = rx * rx + ry * ry + rz * rz;
        if (r2 > radius * radius) continue;
        // Gradient of a Gaussian: the moment is the gradient of the smoothed signed indicator.
        const double w = std::exp(-r2 / (2.0 * sigma * sigma));
        points.push_back({dx, dy, dz, w * rx, w * ry, w * rz});
      }
    }
  }
  return points;
}

inline std::size_t wrap_or_clamp(std::ptrdiff_t i, std::size_t n, bool periodic) {
  const auto nn = static_cast<std::ptrdiff_t>(n);
  if (periodic) return static_cast<std::size_t>(((i % nn) + nn) % nn);
  return static_cast<std::size_t>(i < 0 ? 0 : (i >= nn ? nn - 1 : i));
}

struct Face {
  std::size_t a, b;
  double area;  ///< [m^2]
};

template <class T>
class FaceWeigher {
 public:
  FaceWeigher(const core::Array3<T>& region, const AreaOptions& options)
      : region_(region), options_(options) {
    const auto& grid = region.grid();
    reach_ = static_cast<std::size_t>(std::ceil(3.0 * options.smoothing)) + 1;
    for (int axis = 0; axis < 3; ++axis) {
      windows_[axis] = window_for_axis(axis, options.smoothing);
      for (const WindowPoint& p : windows_[axis]) {
        linear_[axis].push_back(p.dx + static_cast<std::ptrdiff_t>(grid.nx()) *
                                           (p.dy + static_cast<std::ptrdiff_t>(grid.ny()) * p.dz));
      }
    }
  }

  /// Projected area (in units of a voxel face) of the face between voxel (i,j,k) and its neighbour
  /// along `axis`, with regions r (voxel a) and s (neighbour).
  [[nodiscard]] double weight(std::size_t i, std::size_t j, std::size_t k, int axis, T r,
                              T s) const {
    if (options_.estimator == AreaEstimator::face_count) return 1.0;
    const auto& grid = region_.grid();
    const auto& window = windows_[axis];
    double mx = 0.0, my = 0.0, mz = 0.0;
    auto add = [&](const WindowPoint& p, T value) {
      const double sign = value == s ? 1.0 : (value == r ? -1.0 : 0.0);
      mx += sign * p.rx;
      my += sign * p.ry;
      mz += sign * p.rz;
    };
    const bool interior = i >= reach_ && j >= reach_ && k >= reach_ && i + reach_ < grid.nx() &&
                          j + reach_ < grid.ny() && k + reach_ < grid.nz();
    if (interior) {
      // Fast path: the whole window lies inside the box, plain index offsets.
      const T* centre = region_.data() + grid.index(i, j, k);
      const auto& offsets = linear_[axis];
      for (std::size_t n = 0; n < window.size(); ++n) add(window[n], centre[offsets[n]]);
    } else {
      const auto ii = static_cast<std::ptrdiff_t>(i), jj = static_cast<std::ptrdiff_t>(j),
                 kk = static_cast<std::ptrdiff_t>(k);
      for (const WindowPoint& p : window) {
        const std::size_t x = wrap_or_clamp(ii + p.dx, grid.nx(), options_.periodic[0]);
        const std::size_t y = wrap_or_clamp(jj + p.dy, grid.ny(), options_.periodic[1]);
        const std::size_t z = wrap_or_clamp(kk + p.dz, grid.nz(), options_.periodic[2]);
        add(p, region_(x, y, z));
      }
    }
    const double norm = std::sqrt(mx * mx + my * my + mz * mz);
    if (!(norm > 0.0)) return 1.0;
    const double along = axis == 0 ? mx : (axis == 1 ? my : mz);
    return std::abs(along) / norm;
  }

 private:
  const core::Array3<T>& region_;
  AreaOptions options_;
  std::size_t reach_ = 0;
  std::array<std::vector<WindowPoint>, 3> windows_;
  std::array<std::vector<std::ptrdiff_t>, 3> linear_;
};

/// Faces of slice k between different regions, in raster order of (voxel, axis).
template <class T>
void faces_of_slice(const core::Array3<T>& region, const FaceWeigher<T>& weigher,
                    const AreaOptions& options, std::size_t k, std::vector<Face>& out) {
  const auto& grid = region.grid();
  const std::array<std::size_t, 3> n{grid.nx(), grid.ny(), grid.nz()};
  const double face_area = grid.voxel_size * grid.voxel_size;
  for (std::size_t j = 0; j < n[1]; ++j) {
    for (std::size_t i = 0; i < n[0]; ++i) {
      const std::size_t a = grid.index(i, j, k);
      const T r = region[a];
      const std::array<std::size_t, 3> at{i, j, k};
      for (int axis = 0; axis < 3; ++axis) {
        std::array<std::size_t, 3> next = at;
        if (next[axis] + 1 < n[axis]) {
          ++next[axis];
        } else if (options.periodic[axis] && n[axis] > 1) {
          next[axis] = 0;
        } else {
          continue;
        }
        const std::size_t b = grid.index(next[0], next[1], next[2]);
        const T s = region[b];
        if (s == r) continue;
        out.push_back({a, b, face_area * weigher.weight(i, j, k, axis, r, s)});
      }
    }
  }
}

template <class T, class Visit>
void visit_faces(const core::Array3<T>& region, const AreaOptions& options, Visit&& visit) {
  CATHODELAB_REQUIRE(options.smoothing >= 0.5, "smoothing must be at least 0.5 voxel");
  const FaceWeigher<T> weigher(region, options);
  const std::size_t nz = region.grid().nz();
  constexpr std::size_t chunk = 32;
  std::vector<std::vector<Face>> faces(chunk);
  for (std::size_t k0 = 0; k0 < nz; k0 += chunk) {
    const std::size_t count = std::min(chunk, nz - k0);
#pragma omp parallel for schedule(dynamic)
    for (std::size_t c = 0; c < count; ++c) {
      faces[c].clear();
      faces_of_slice(region, weigher, options, k0 + c, faces[c]);
    }
    for (std::size_t c = 0; c < count; ++c) {
      for (const Face& f : faces[c]) visit(f.a, f.b, f.area);
    }
  }
}

}  // namespace

double InterfaceAreaMatrix::of(Label a) const {
  double total = 0.0;
  for (std::size_t b = 0; b < label_count; ++b) {
    if (b != a) total += area[static_cast<std::size_t>(a) * label_count + b];
  }
  return total;
}

InterfaceAreaMatrix interface_areas(const core::Array3<Label>& labels, std::size_t label_count,
                                    const AreaOptions& options) {
  InterfaceAreaMatrix result{label_count, std::vector<double>(label_count * label_count, 0.0)};
  visit_faces(labels, options, [&](std::size_t a, std::size_t b, double area) {
    const std::size_t la = labels[a], lb = labels[b];
    CATHODELAB_REQUIRE(la < label_count && lb < label_count, "label beyond label_count");
    result.area[la * label_count + lb] += area;
    result.area[lb * label_count + la] += area;
  });
  return result;
}

double surface_area(const core::Array3<std::uint8_t>& mask, const AreaOptions& options) {
  core::Array3<std::uint8_t> binary(mask.grid(), 0);
  for (std::size_t v = 0; v < mask.size(); ++v) binary[v] = mask[v] != 0 ? 1 : 0;
  double total = 0.0;
  visit_faces(binary, options, [&](std::size_t, std::size_t, double area) { total += area; });
  return total;
}

void visit_interface_faces(const core::Array3<std::int32_t>& region, const AreaOptions& options,
                           const std::function<void(std::size_t, std::size_t, double)>& visit) {
  visit_faces(region, options, visit);
}

}  // namespace cathodelab::microstructure
