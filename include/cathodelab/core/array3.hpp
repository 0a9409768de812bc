// Grid3 and Array3: a regular 3D voxel grid with its physical voxel size, and a dense field on it.
//
// Layout: x varies fastest, then y, then z (index = i + nx*(j + ny*k)). By convention z is the
// through-thickness direction of an electrode: z = 0 at the current collector, z = L at the
// separator; x and y are in-plane. Voxels are cubic (isotropic voxel size).
#pragma once

#include "cathodelab/core/error.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cathodelab::core {

enum class Axis : std::uint8_t { x = 0, y = 1, z = 2 };

struct Grid3 {
  std::array<std::size_t, 3> shape{0, 0, 0};  ///< voxels along x, y, z
  double voxel_size = 0.0;                    ///< [m] edge length of a cubic voxel

  [[nodiscard]] std::size_t nx() const noexcept { return shape[0]; }
  [[nodiscard]] std::size_t ny() const noexcept { return shape[1]; }
  [[nodiscard]] std::size_t nz() const noexcept { return shape[2]; }
  [[nodiscard]] std::size_t size() const noexcept { return shape[0] * shape[1] * shape[2]; }
  [[nodiscard]] std::size_t index(std::size_t i, std::size_t j, std::size_t k) const noexcept {
    return i + shape[0] * (j + shape[1] * k);
  }
  /// [m] physical extent along an axis
  [[nodiscard]] double length(Axis axis) const noexcept {
    return static_cast<double>(shape[static_cast<std::size_t>(axis)]) * voxel_size;
  }
  [[nodiscard]] double voxel_volume() const noexcept {
    return voxel_size * voxel_size * voxel_size;
  }
  bool operator==(const Grid3&) const = default;
};

template <class T>
class Array3 {
 public:
  Array3() = default;
  explicit Array3(Grid3 grid, T fill = T{}) : grid_(grid), data_(grid.size(), fill) {}

  [[nodiscard]] const Grid3& grid() const noexcept { return grid_; }
  [[nodiscard]] std::size_t size() const noexcept { return data_.size(); }
  [[nodiscard]] T& operator()(std::size_t i, std::size_t j, std::size_t k) noexcept {
    return data_[grid_.index(i, j, k)];
  }
  [[nodiscard]] const T& operator()(std::size_t i, std::size_t j, std::size_t k) const noexcept {
    return data_[grid_.index(i, j, k)];
  }
  [[nodiscard]] T& operator[](std::size_t n) noexcept { return data_[n]; }
  [[nodiscard]] const T& operator[](std::size_t n) const noexcept { return data_[n]; }
  [[nodiscard]] std::span<T> values() noexcept { return data_; }
  [[nodiscard]] std::span<const T> values() const noexcept { return data_; }
  [[nodiscard]] T* data() noexcept { return data_.data(); }
  [[nodiscard]] const T* data() const noexcept { return data_.data(); }
  bool operator==(const Array3&) const = default;

 private:
  Grid3 grid_;
  std::vector<T> data_;
};

}  // namespace cathodelab::core
