// Reading and writing labelled 3D images: multi-page TIFF (8/16-bit labels, one page per z slice),
// a folder of single-slice TIFFs, raw binary with a given shape and dtype, and NumPy .npy
// (format 1.0-3.0, uint8/uint16/int32, C or Fortran order, either byte order).
//
// Axis convention: TIFF pages are z (page 0 at the current collector), rows y, columns x. For .npy
// and raw files element [i, j, k] of the array is voxel (x = i, y = j, z = k) whatever the memory
// order, so `np.save("img.npy", img)` of an img[x, y, z] array imports as written. Imported images
// get a phase table from a label -> phase map; crop and majority-vote downsampling happen at
// import.
#pragma once

#include "cathodelab/core/array3.hpp"
#include "cathodelab/microstructure/microstructure.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cathodelab::io {

/// Layout of a headerless raw file: element (i, j, k) at offset ((k * ny + j) * nx + i) * size
/// (x fastest, as core::Array3).
struct RawLayout {
  std::array<std::size_t, 3> shape{0, 0, 0};  ///< nx, ny, nz
  std::string dtype = "uint8";                ///< uint8 | uint16 | int32 (little-endian)
};

/// Sub-box to keep, in voxel indices [lo, hi) per axis; hi = 0 means "to the end".
struct Crop {
  std::array<std::size_t, 3> lo{0, 0, 0};
  std::array<std::size_t, 3> hi{0, 0, 0};
};

struct ImageReadOptions {
  std::optional<RawLayout> raw;  ///< required for .raw/.bin files
  std::optional<Crop> crop;
  int downsample = 1;  ///< majority vote over f^3 blocks (ties -> the smaller label); trailing
                       ///< partial blocks dropped
};

/// Raw label values of an image file or slice folder (Grid3 voxel size left 0). Format by
/// extension: .tif/.tiff, .npy, .raw/.bin, or a directory of .tif slices (sorted by name).
/// InputError (naming the file and the fix) for unreadable, truncated or inconsistent files.
[[nodiscard]] core::Array3<std::int32_t> read_label_values(const std::filesystem::path& path,
                                                           const ImageReadOptions& options = {});

/// The readers behind read_label_values, over bytes already in memory (`source_name` names the
/// data in messages). Every size the data declares is checked (sign, overflow, the bytes present,
/// the available memory) before allocating; damaged input is an InputError naming `source_name`.
[[nodiscard]] core::Array3<std::int32_t> read_npy_values(std::span<const std::uint8_t> bytes,
                                                         const std::string& source_name);
[[nodiscard]] core::Array3<std::int32_t> read_raw_values(std::span<const std::uint8_t> bytes,
                                                         const RawLayout& layout,
                                                         const std::string& source_name);
/// Every page of one TIFF as a z slice.
[[nodiscard]] core::Array3<std::int32_t> read_tiff_values(std::span<const std::uint8_t> bytes,
                                                          const std::string& source_name);

/// One image label value and the phase it stands for.
struct PhaseMapping {
  std::int32_t value = 0;
  microstructure::Phase phase;
};

/// Turns raw values into a Microstructure: phases ordered by value, labels renumbered 0..n-1 in
/// that order. Values present in the image but absent from the map -> InputError listing them.
[[nodiscard]] microstructure::Microstructure to_microstructure(
    const core::Array3<std::int32_t>& values, const std::vector<PhaseMapping>& phase_map,
    double voxel_size, const std::string& source_name);

/// Crop and majority-vote downsampling (also used by read_label_values).
[[nodiscard]] core::Array3<std::int32_t> crop_values(const core::Array3<std::int32_t>& values,
                                                     const Crop& crop);
[[nodiscard]] core::Array3<std::int32_t> downsample_majority(
    const core::Array3<std::int32_t>& values, int factor);

/// Multi-page TIFF, one 8-bit page per z slice (deflate-compressed).
void write_tiff_labels(const std::filesystem::path& path,
                       const core::Array3<microstructure::Label>& labels);
/// NumPy .npy (uint8, Fortran order so element [i, j, k] = voxel (x=i, y=j, z=k)).
void write_npy_labels(const std::filesystem::path& path,
                      const core::Array3<microstructure::Label>& labels);

}  // namespace cathodelab::io
