// A minimal reader of NumPy .npy files holding a 3D uint8/bool array, for the transport benchmark
// only (the library's image import lives in io). NumPy's C order (last index fastest) maps to
// cathodelab's x-fastest layout as numpy axis 2 -> x, axis 1 -> y, axis 0 -> z.
#pragma once

#include "cathodelab/core/array3.hpp"

#include <cstdint>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <string>

namespace bench {

inline cathodelab::core::Array3<std::uint8_t> read_npy_u8(const std::string& path,
                                                          double voxel_size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  char magic[8];
  in.read(magic, 8);
  if (std::string(magic, 6) != "\x93NUMPY") throw std::runtime_error(path + " is not a .npy file");
  std::size_t header_len = 0;
  if (magic[6] == 1) {
    unsigned char b[2];
    in.read(reinterpret_cast<char*>(b), 2);
    header_len = b[0] | (static_cast<std::size_t>(b[1]) << 8);
  } else {
    unsigned char b[4];
    in.read(reinterpret_cast<char*>(b), 4);
    header_len = b[0] | (static_cast<std::size_t>(b[1]) << 8) |
                 (static_cast<std::size_t>(b[2]) << 16) | (static_cast<std::size_t>(b[3]) << 24);
  }
  std::string header(header_len, ' ');
  in.read(header.data(), static_cast<std::streamsize>(header_len));
  if (header.find("'|u1'") == std::string::npos && header.find("'|b1'") == std::string::npos)
    throw std::runtime_error(path + ": only uint8/bool arrays are supported");
  if (header.find("'fortran_order': False") == std::string::npos)
    throw std::runtime_error(path + ": only C-order arrays are supported");
  std::smatch m;
  if (!std::regex_search(header, m, std::regex(R"(\((\d+),\s*(\d+),\s*(\d+)\))")))
    throw std::runtime_error(path + ": only 3D arrays are supported");
  cathodelab::core::Grid3 grid{{std::stoul(m[3]), std::stoul(m[2]), std::stoul(m[1])}, voxel_size};
  cathodelab::core::Array3<std::uint8_t> image(grid);
  in.read(reinterpret_cast<char*>(image.data()), static_cast<std::streamsize>(image.size()));
  if (!in) throw std::runtime_error(path + ": truncated data");
  return image;
}

}  // namespace bench
