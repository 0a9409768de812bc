// Label image readers and writers (see image_io.hpp). libtiff stays inside this file.
#include "cathodelab/io/image_io.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/memory.hpp"

#include <fmt/format.h>
#include <tiffio.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <set>

namespace cathodelab::io {
namespace {

namespace fs = std::filesystem;
using core::InputError;

std::string lower_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

std::vector<char> read_file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError("cannot open '" + path.string() + "'", "input",
                     "check the path and the file permissions");
  }
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::size_t>(in.tellg());
  in.seekg(0);
  std::vector<char> bytes(size);
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  return bytes;
}

core::Array3<std::int32_t> allocate(std::array<std::size_t, 3> shape, const fs::path& path) {
  core::require_memory(shape[0] * shape[1] * shape[2] * 4, "reading '" + path.string() + "'");
  return core::Array3<std::int32_t>(core::Grid3{.shape = shape, .voxel_size = 0.0});
}

// Element type of a raw or npy file.
struct Dtype {
  std::size_t size = 1;
  bool is_signed = false;
  bool big_endian = false;
};

std::int32_t load_value(const char* p, const Dtype& type) {
  unsigned char b[4] = {0, 0, 0, 0};
  std::memcpy(b, p, type.size);
  if (type.big_endian) {
    std::reverse(b, b + type.size);
  }
  switch (type.size) {
    case 1:
      return b[0];
    case 2:
      return static_cast<std::int32_t>(b[0] | (b[1] << 8U));
    default: {
      const std::uint32_t u =
          b[0] | (b[1] << 8U) | (b[2] << 16U) | (static_cast<std::uint32_t>(b[3]) << 24U);
      return std::bit_cast<std::int32_t>(u);
    }
  }
}

// Fills values[i, j, k] from elements stored with x fastest (fortran = true) or z fastest.
void fill_values(core::Array3<std::int32_t>& values, const char* data, const Dtype& type,
                 bool x_fastest) {
  const auto& g = values.grid();
  for (std::size_t k = 0; k < g.nz(); ++k) {
    for (std::size_t j = 0; j < g.ny(); ++j) {
      for (std::size_t i = 0; i < g.nx(); ++i) {
        const std::size_t element = x_fastest ? g.index(i, j, k) : (i * g.ny() + j) * g.nz() + k;
        values(i, j, k) = load_value(data + element * type.size, type);
      }
    }
  }
}

Dtype parse_dtype_name(const std::string& name, const fs::path& path) {
  if (name == "uint8") return {1, false, false};
  if (name == "uint16") return {2, false, false};
  if (name == "int32") return {4, true, false};
  throw InputError("unsupported raw dtype '" + name + "' for '" + path.string() + "'", "dtype",
                   "use uint8, uint16 or int32 (little-endian)");
}

core::Array3<std::int32_t> read_raw(const fs::path& path, const RawLayout& layout) {
  const Dtype type = parse_dtype_name(layout.dtype, path);
  const std::size_t count = layout.shape[0] * layout.shape[1] * layout.shape[2];
  if (count == 0) {
    throw InputError("raw file '" + path.string() + "' needs a shape", "raw-shape",
                     "give --raw-shape \"NX NY NZ\"");
  }
  const std::size_t expected = count * type.size;
  const auto actual = static_cast<std::size_t>(fs::file_size(path));
  if (actual != expected) {
    throw InputError(fmt::format("raw file '{}' has {} bytes but shape {}x{}x{} of {} needs {}",
                                 path.string(), actual, layout.shape[0], layout.shape[1],
                                 layout.shape[2], layout.dtype, expected),
                     "raw-shape", "check --raw-shape (x y z, x fastest) and --raw-dtype");
  }
  const std::vector<char> bytes = read_file_bytes(path);
  core::Array3<std::int32_t> values = allocate(layout.shape, path);
  fill_values(values, bytes.data(), type, true);
  return values;
}

// NumPy .npy: magic "\x93NUMPY", version, header length (2 bytes for 1.0, 4 for 2.0/3.0), then a
// Python dict literal {'descr': '<u2', 'fortran_order': False, 'shape': (a, b, c), }.
core::Array3<std::int32_t> read_npy(const fs::path& path) {
  const std::vector<char> bytes = read_file_bytes(path);
  const auto bad = [&](const std::string& what) {
    return InputError("'" + path.string() + "' is not a readable .npy file: " + what, "input",
                      "save it with numpy.save (uint8, uint16 or int32, 2D or 3D)");
  };
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) {
    throw bad("missing the \\x93NUMPY magic");
  }
  const auto major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0;
  std::size_t offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) |
                 (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8U);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw bad("truncated header");
    header_len = 0;
    for (int b = 0; b < 4; ++b) {
      header_len |= static_cast<std::size_t>(static_cast<unsigned char>(bytes[8 + b]))
                    << (8U * static_cast<unsigned>(b));
    }
    offset = 12;
  } else {
    throw bad(fmt::format("unknown format version {}", major));
  }
  if (offset + header_len > bytes.size()) {
    throw bad("truncated header");
  }
  const std::string header(bytes.data() + offset, header_len);
  const auto value_of = [&](const std::string& key) -> std::string {
    const auto at = header.find("'" + key + "'");
    if (at == std::string::npos) throw bad("header has no '" + key + "'");
    auto colon = header.find(':', at);
    auto start = header.find_first_not_of(' ', colon + 1);
    if (header[start] == '(') {
      return header.substr(start, header.find(')', start) - start + 1);
    }
    const auto end = header.find_first_of(",}", start);
    return header.substr(start, end - start);
  };
  std::string descr = value_of("descr");
  descr.erase(std::remove(descr.begin(), descr.end(), '\''), descr.end());
  Dtype type;
  if (descr == "|u1" || descr == "u1" || descr == "|b1") {
    type = {1, false, false};
  } else if (descr == "<u2" || descr == ">u2") {
    type = {2, false, descr[0] == '>'};
  } else if (descr == "<i4" || descr == ">i4") {
    type = {4, true, descr[0] == '>'};
  } else {
    throw InputError("'" + path.string() + "' has dtype '" + descr + "'", "input",
                     "convert it with img.astype(numpy.uint8) (or uint16/int32) before numpy.save");
  }
  const bool fortran = value_of("fortran_order").find("True") != std::string::npos;
  const std::string shape_text = value_of("shape");
  std::vector<std::size_t> dims;
  for (std::size_t p = 0; p < shape_text.size();) {
    if (std::isdigit(static_cast<unsigned char>(shape_text[p]))) {
      std::size_t end = p;
      while (end < shape_text.size() && std::isdigit(static_cast<unsigned char>(shape_text[end])))
        ++end;
      dims.push_back(std::stoull(shape_text.substr(p, end - p)));
      p = end;
    } else {
      ++p;
    }
  }
  if (dims.size() == 2) {
    dims.push_back(1);
  }
  if (dims.size() != 3) {
    throw bad(fmt::format("shape {} is not 2D or 3D", shape_text));
  }
  const std::size_t data_offset = offset + header_len;
  const std::size_t needed = dims[0] * dims[1] * dims[2] * type.size;
  if (bytes.size() - data_offset < needed) {
    throw InputError(
        fmt::format("'{}' is truncated: shape {} needs {} data bytes but the file has {}",
                    path.string(), shape_text, needed, bytes.size() - data_offset),
        "input", "re-export the array; the file was cut short");
  }
  core::Array3<std::int32_t> values = allocate({dims[0], dims[1], dims[2]}, path);
  fill_values(values, bytes.data() + data_offset, type, fortran);
  return values;
}

struct TiffCloser {
  void operator()(TIFF* tif) const { TIFFClose(tif); }
};

void silence_libtiff() {
  TIFFSetErrorHandler(nullptr);
  TIFFSetWarningHandler(nullptr);
}

// Appends every page of a TIFF file as z slices; checks that all pages have the same size.
void read_tiff_pages(const fs::path& path, std::vector<std::vector<std::int32_t>>& slices,
                     std::uint32_t& width, std::uint32_t& height) {
  silence_libtiff();
  std::unique_ptr<TIFF, TiffCloser> tif(TIFFOpen(path.string().c_str(), "r"));
  if (!tif) {
    throw InputError("cannot read '" + path.string() + "' as TIFF", "input",
                     "check that the file is a complete TIFF (8- or 16-bit greyscale labels)");
  }
  int page = 0;
  do {
    std::uint32_t w = 0;
    std::uint32_t h = 0;
    std::uint16_t bits = 8;
    std::uint16_t samples = 1;
    std::uint16_t format = SAMPLEFORMAT_UINT;
    TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLESPERPIXEL, &samples);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLEFORMAT, &format);
    if (samples != 1 || (bits != 8 && bits != 16) || format == SAMPLEFORMAT_IEEEFP) {
      throw InputError(
          fmt::format("'{}' page {} has {} samples of {} bits; labels must be one 8- or 16-bit "
                      "unsigned integer per pixel",
                      path.string(), page, samples, bits),
          "input", "save the segmentation as 8- or 16-bit greyscale labels");
    }
    if (slices.empty() && width == 0) {
      width = w;
      height = h;
    } else if (w != width || h != height) {
      throw InputError(fmt::format("'{}' page {} is {}x{} but earlier slices are {}x{}",
                                   path.string(), page, w, h, width, height),
                       "input", "every slice of a stack must have the same size");
    }
    const auto line = static_cast<std::size_t>(TIFFScanlineSize(tif.get()));
    std::vector<unsigned char> buffer(line);
    std::vector<std::int32_t> slice(static_cast<std::size_t>(w) * h);
    for (std::uint32_t row = 0; row < h; ++row) {
      if (TIFFReadScanline(tif.get(), buffer.data(), row, 0) < 0) {
        throw InputError(
            fmt::format("'{}' is truncated or damaged (page {}, row {})", path.string(), page, row),
            "input", "re-export the image; the file could not be read to the end");
      }
      for (std::uint32_t col = 0; col < w; ++col) {
        std::int32_t v = 0;
        if (bits == 8) {
          v = buffer[col];
        } else {
          std::uint16_t u = 0;
          std::memcpy(&u, buffer.data() + 2 * col, 2);  // libtiff returns native byte order
          v = u;
        }
        slice[static_cast<std::size_t>(row) * w + col] = v;
      }
    }
    slices.push_back(std::move(slice));
    ++page;
  } while (TIFFReadDirectory(tif.get()) != 0);
}

core::Array3<std::int32_t> read_tiff_stack(const std::vector<fs::path>& files,
                                           const fs::path& shown) {
  std::vector<std::vector<std::int32_t>> slices;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  for (const fs::path& file : files) {
    read_tiff_pages(file, slices, width, height);
  }
  core::Array3<std::int32_t> values = allocate({width, height, slices.size()}, shown);
  for (std::size_t k = 0; k < slices.size(); ++k) {
    std::copy(slices[k].begin(), slices[k].end(),
              values.data() + k * static_cast<std::size_t>(width) * height);
  }
  return values;
}

}  // namespace

core::Array3<std::int32_t> crop_values(const core::Array3<std::int32_t>& values, const Crop& crop) {
  const auto& g = values.grid();
  std::array<std::size_t, 3> lo = crop.lo;
  std::array<std::size_t, 3> hi = crop.hi;
  for (int a = 0; a < 3; ++a) {
    if (hi[a] == 0) hi[a] = g.shape[a];
    if (lo[a] >= hi[a] || hi[a] > g.shape[a]) {
      throw InputError(fmt::format("crop {}..{} along {} is outside the image (0..{})", lo[a],
                                   hi[a], "xyz"[a], g.shape[a]),
                       "crop", "give --crop \"x0:x1,y0:y1,z0:z1\" inside the image, in voxels");
    }
  }
  core::Array3<std::int32_t> out(core::Grid3{.shape = {hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]},
                                             .voxel_size = g.voxel_size});
  for (std::size_t k = lo[2]; k < hi[2]; ++k) {
    for (std::size_t j = lo[1]; j < hi[1]; ++j) {
      for (std::size_t i = lo[0]; i < hi[0]; ++i) {
        out(i - lo[0], j - lo[1], k - lo[2]) = values(i, j, k);
      }
    }
  }
  return out;
}

core::Array3<std::int32_t> downsample_majority(const core::Array3<std::int32_t>& values,
                                               int factor) {
  if (factor <= 1) {
    return values;
  }
  const auto f = static_cast<std::size_t>(factor);
  const auto& g = values.grid();
  const std::array<std::size_t, 3> shape{g.nx() / f, g.ny() / f, g.nz() / f};
  if (shape[0] == 0 || shape[1] == 0 || shape[2] == 0) {
    throw InputError(fmt::format("downsampling by {} leaves no voxels along some axis", factor),
                     "downsample", "use a smaller factor");
  }
  core::Array3<std::int32_t> out(
      core::Grid3{.shape = shape, .voxel_size = g.voxel_size * static_cast<double>(f)});
#pragma omp parallel for schedule(static)
  for (std::size_t k = 0; k < shape[2]; ++k) {
    std::map<std::int32_t, int> votes;
    for (std::size_t j = 0; j < shape[1]; ++j) {
      for (std::size_t i = 0; i < shape[0]; ++i) {
        votes.clear();
        for (std::size_t c = 0; c < f; ++c)
          for (std::size_t b = 0; b < f; ++b)
            for (std::size_t a = 0; a < f; ++a) ++votes[values(i * f + a, j * f + b, k * f + c)];
        // std::map iterates labels ascending, so the first maximum is the smaller label on ties.
        auto best = votes.begin();
        for (auto it = votes.begin(); it != votes.end(); ++it) {
          if (it->second > best->second) best = it;
        }
        out(i, j, k) = best->first;
      }
    }
  }
  return out;
}

core::Array3<std::int32_t> read_label_values(const fs::path& path,
                                             const ImageReadOptions& options) {
  if (!fs::exists(path)) {
    throw InputError("image not found: '" + path.string() + "'", "input", "check the path");
  }
  core::Array3<std::int32_t> values;
  if (fs::is_directory(path)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path)) {
      const std::string ext = lower_extension(entry.path());
      if (entry.is_regular_file() && (ext == ".tif" || ext == ".tiff"))
        files.push_back(entry.path());
    }
    if (files.empty()) {
      throw InputError("folder '" + path.string() + "' holds no .tif/.tiff slices", "input",
                       "put one TIFF per z slice in the folder (sorted by name = z order)");
    }
    std::sort(files.begin(), files.end());
    values = read_tiff_stack(files, path);
  } else {
    const std::string ext = lower_extension(path);
    if (ext == ".tif" || ext == ".tiff") {
      values = read_tiff_stack({path}, path);
    } else if (ext == ".npy") {
      values = read_npy(path);
    } else if (ext == ".raw" || ext == ".bin") {
      if (!options.raw) {
        throw InputError("raw file '" + path.string() + "' needs its shape and dtype", "raw-shape",
                         "give --raw-shape \"NX NY NZ\" and --raw-dtype uint8|uint16|int32");
      }
      values = read_raw(path, *options.raw);
    } else {
      throw InputError(
          "unknown image format '" + ext + "' of '" + path.string() + "'", "input",
          "use .tif/.tiff, a folder of .tif slices, .npy, or .raw/.bin with --raw-shape");
    }
  }
  if (options.crop) {
    values = crop_values(values, *options.crop);
  }
  if (options.downsample > 1) {
    values = downsample_majority(values, options.downsample);
  }
  return values;
}

microstructure::Microstructure to_microstructure(const core::Array3<std::int32_t>& values,
                                                 const std::vector<PhaseMapping>& phase_map,
                                                 double voxel_size,
                                                 const std::string& source_name) {
  std::vector<PhaseMapping> sorted = phase_map;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.value < b.value; });
  for (std::size_t n = 1; n < sorted.size(); ++n) {
    if (sorted[n].value == sorted[n - 1].value) {
      throw InputError(fmt::format("label {} is mapped twice", sorted[n].value), "phase",
                       "give each label once");
    }
  }
  if (sorted.size() > 255) {
    throw InputError("more than 255 phases", "phase", "merge labels into at most 255 phases");
  }
  std::map<std::int32_t, microstructure::Label> index;
  for (std::size_t n = 0; n < sorted.size(); ++n) {
    index[sorted[n].value] = static_cast<microstructure::Label>(n);
  }
  core::Grid3 grid = values.grid();
  grid.voxel_size = voxel_size;
  core::Array3<microstructure::Label> labels(grid);
  std::set<std::int32_t> missing;
  for (std::size_t n = 0; n < values.size(); ++n) {
    const auto it = index.find(values[n]);
    if (it == index.end()) {
      missing.insert(values[n]);
    } else {
      labels[n] = it->second;
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (const std::int32_t v : missing) {
      list += (list.empty() ? "" : ", ") + std::to_string(v);
      if (list.size() > 60) {
        list += ", ...";
        break;
      }
    }
    throw InputError(fmt::format("'{}' contains label(s) {} that the phase map does not name",
                                 source_name, list),
                     "phase",
                     fmt::format("add --phase {}=<material or pore> for each", *missing.begin()));
  }
  std::vector<microstructure::Phase> phases;
  for (const PhaseMapping& m : sorted) {
    phases.push_back(m.phase);
  }
  return microstructure::Microstructure(std::move(labels), std::move(phases));
}

void write_tiff_labels(const fs::path& path, const core::Array3<microstructure::Label>& labels) {
  silence_libtiff();
  std::unique_ptr<TIFF, TiffCloser> tif(TIFFOpen(path.string().c_str(), "w"));
  if (!tif) {
    throw InputError("cannot write '" + path.string() + "'", "out",
                     "check that the folder exists and is writable");
  }
  const auto& g = labels.grid();
  const auto width = static_cast<std::uint32_t>(g.nx());
  const auto height = static_cast<std::uint32_t>(g.ny());
  for (std::size_t k = 0; k < g.nz(); ++k) {
    TIFFSetField(tif.get(), TIFFTAG_IMAGEWIDTH, width);
    TIFFSetField(tif.get(), TIFFTAG_IMAGELENGTH, height);
    TIFFSetField(tif.get(), TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(tif.get(), TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(tif.get(), TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT);
    TIFFSetField(tif.get(), TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
    TIFFSetField(tif.get(), TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif.get(), TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
    TIFFSetField(tif.get(), TIFFTAG_ROWSPERSTRIP, height);
    TIFFSetField(tif.get(), TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    TIFFSetField(tif.get(), TIFFTAG_PAGENUMBER, static_cast<std::uint16_t>(k),
                 static_cast<std::uint16_t>(g.nz()));
    const std::size_t slice = static_cast<std::size_t>(width) * height;
    std::vector<unsigned char> buffer(labels.data() + k * slice, labels.data() + (k + 1) * slice);
    if (TIFFWriteEncodedStrip(tif.get(), 0, buffer.data(), static_cast<tmsize_t>(slice)) < 0 ||
        TIFFWriteDirectory(tif.get()) == 0) {
      throw InputError("failed writing '" + path.string() + "'", "out", "check free disk space");
    }
  }
}

void write_npy_labels(const fs::path& path, const core::Array3<microstructure::Label>& labels) {
  const auto& g = labels.grid();
  std::string header = fmt::format(
      "{{'descr': '|u1', 'fortran_order': True, 'shape': ({}, {}, {}), }}", g.nx(), g.ny(), g.nz());
  // Pad so that magic (6) + version (2) + length (2) + header is a multiple of 64, ending in '\n'.
  const std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    throw InputError("cannot write '" + path.string() + "'", "out",
                     "check that the folder exists and is writable");
  }
  out.write("\x93NUMPY\x01\x00", 8);
  const auto length = static_cast<std::uint16_t>(header.size());
  const char len_bytes[2] = {static_cast<char>(length & 0xFFU), static_cast<char>(length >> 8U)};
  out.write(len_bytes, 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(reinterpret_cast<const char*>(labels.data()),
            static_cast<std::streamsize>(labels.size()));
}

}  // namespace cathodelab::io
