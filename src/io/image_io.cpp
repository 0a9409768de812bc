// Label image readers and writers (see image_io.hpp). libtiff stays inside this file.
//
// Every reader works on bytes in memory (the file readers load the file and call them), so the
// code that fuzzing exercises is the code that reads files. Sizes declared by a file (npy shape,
// TIFF width x height, the raw layout) are checked for sign, overflow, the bytes the data actually
// holds and the available memory before anything is allocated from them.
#include "cathodelab/io/image_io.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/memory.hpp"

#include <fmt/format.h>
#include <tiffio.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <system_error>

namespace cathodelab::io {
namespace {

namespace fs = std::filesystem;
using Bytes = std::span<const std::uint8_t>;
using core::InputError;

std::string lower_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

std::vector<std::uint8_t> read_file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError("cannot open '" + path.string() + "'", "input",
                     "check the path and the file permissions");
  }
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::size_t>(in.tellg());
  in.seekg(0);
  core::require_memory(size, "reading '" + path.string() + "'");
  std::vector<std::uint8_t> bytes(size);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (static_cast<std::size_t>(in.gcount()) != size) {
    throw InputError("cannot read '" + path.string() + "' to the end", "input",
                     "check that the file is complete and readable");
  }
  return bytes;
}

// Bytes of `shape` elements of `element_size` bytes; InputError when the shape is empty or the
// product does not fit in memory addresses at all.
std::size_t image_bytes(std::array<std::size_t, 3> shape, std::size_t element_size,
                        const std::string& name, const std::string& key, const std::string& fix) {
  if (shape[0] == 0 || shape[1] == 0 || shape[2] == 0) {
    throw InputError(fmt::format("'{}' declares an empty image of {}x{}x{} voxels", name, shape[0],
                                 shape[1], shape[2]),
                     key, fix);
  }
  const auto bytes = core::checked_product({shape[0], shape[1], shape[2], element_size});
  if (!bytes) {
    throw InputError(fmt::format("'{}' declares {}x{}x{} voxels, more than any memory can hold",
                                 name, shape[0], shape[1], shape[2]),
                     key, fix);
  }
  return *bytes;
}

core::Array3<std::int32_t> allocate(std::array<std::size_t, 3> shape, const std::string& name) {
  const std::size_t bytes =
      image_bytes(shape, sizeof(std::int32_t), name, "input", "check the image dimensions");
  core::require_memory(bytes, "reading '" + name + "'");
  return core::Array3<std::int32_t>(core::Grid3{.shape = shape, .voxel_size = 0.0});
}

// Element type of a raw or npy file.
struct Dtype {
  std::size_t size = 1;
  bool is_signed = false;
  bool big_endian = false;
};

std::int32_t load_value(const std::uint8_t* p, const Dtype& type) {
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

// Fills values[i, j, k] from elements stored with x fastest (fortran = true) or z fastest. The
// caller has checked that `data` holds values.size() elements.
void fill_values(core::Array3<std::int32_t>& values, const std::uint8_t* data, const Dtype& type,
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

Dtype parse_dtype_name(const std::string& name, const std::string& source) {
  if (name == "uint8") return {1, false, false};
  if (name == "uint16") return {2, false, false};
  if (name == "int32") return {4, true, false};
  throw InputError("unsupported raw dtype '" + name + "' for '" + source + "'", "dtype",
                   "use uint8, uint16 or int32 (little-endian)");
}

// Bytes a raw file of this layout must have.
std::size_t raw_expected_bytes(const RawLayout& layout, const std::string& source) {
  const Dtype type = parse_dtype_name(layout.dtype, source);
  if (layout.shape[0] == 0 || layout.shape[1] == 0 || layout.shape[2] == 0) {
    throw InputError("raw file '" + source + "' needs a shape", "raw-shape",
                     "give --raw-shape \"NX NY NZ\" (three positive integers)");
  }
  return image_bytes(layout.shape, type.size, source, "raw-shape",
                     "check --raw-shape (x y z, x fastest)");
}

void check_raw_size(std::size_t actual, const RawLayout& layout, const std::string& source) {
  const std::size_t expected = raw_expected_bytes(layout, source);
  if (actual != expected) {
    throw InputError(
        fmt::format("raw file '{}' has {} bytes but shape {}x{}x{} of {} needs {}", source, actual,
                    layout.shape[0], layout.shape[1], layout.shape[2], layout.dtype, expected),
        "raw-shape", "check --raw-shape (x y z, x fastest) and --raw-dtype");
  }
}

// --- NumPy .npy --------------------------------------------------------------------------------
// Magic "\x93NUMPY", version, header length (2 bytes for 1.0, 4 for 2.0/3.0), then a Python dict
// literal {'descr': '<u2', 'fortran_order': False, 'shape': (a, b, c), }.

class NpyHeader {
 public:
  NpyHeader(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  // The literal after 'key': a quoted string, a parenthesised tuple or a bare word.
  [[nodiscard]] std::string_view value_of(std::string_view key) const {
    const std::string quoted = "'" + std::string(key) + "'";
    const std::size_t at = text_.find(quoted);
    if (at == std::string_view::npos) throw bad("header has no " + quoted);
    std::size_t p = skip_spaces(at + quoted.size());
    if (p >= text_.size() || text_[p] != ':') throw bad("no ':' after " + quoted);
    p = skip_spaces(p + 1);
    if (p >= text_.size()) throw bad("no value for " + quoted);
    const char open = text_[p];
    if (open == '(' || open == '\'' || open == '"') {
      const char close = open == '(' ? ')' : open;
      const std::size_t end = text_.find(close, p + 1);
      if (end == std::string_view::npos) throw bad("unterminated value of " + quoted);
      return text_.substr(p, end - p + 1);
    }
    const std::size_t end = std::min(text_.find_first_of(",}", p), text_.size());
    return text_.substr(p, end - p);
  }

  [[nodiscard]] InputError bad(const std::string& what) const {
    return InputError("'" + source_ + "' is not a readable .npy file: " + what, "input",
                      "save it with numpy.save (uint8, uint16 or int32, 2D or 3D)");
  }

 private:
  std::string_view text_;
  const std::string& source_;

  [[nodiscard]] std::size_t skip_spaces(std::size_t p) const {
    while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    return p;
  }
};

Dtype parse_npy_descr(std::string descr, const std::string& source) {
  descr.erase(
      std::remove_if(descr.begin(), descr.end(), [](char c) { return c == '\'' || c == '"'; }),
      descr.end());
  if (descr == "|u1" || descr == "u1" || descr == "|b1") return {1, false, false};
  if (descr == "<u2" || descr == ">u2") return {2, false, descr[0] == '>'};
  if (descr == "<i4" || descr == ">i4") return {4, true, descr[0] == '>'};
  throw InputError("'" + source + "' has dtype '" + descr + "'", "input",
                   "convert it with img.astype(numpy.uint8) (or uint16/int32) before numpy.save");
}

// "(a, b, c)" or "(a, b)" (2D -> nz = 1) into three positive dimensions.
std::array<std::size_t, 3> parse_npy_shape(std::string_view shape, const NpyHeader& header) {
  std::vector<std::size_t> dims;
  std::size_t p = 0;
  while (p < shape.size()) {
    const char c = shape[p];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t value = 0;
      const auto [end, error] =
          std::from_chars(shape.data() + p, shape.data() + shape.size(), value);
      if (error != std::errc{}) {
        throw header.bad(fmt::format("dimension in shape {} is too large", shape));
      }
      if (dims.size() == 3) throw header.bad(fmt::format("shape {} is not 2D or 3D", shape));
      dims.push_back(value);
      p = static_cast<std::size_t>(end - shape.data());
      if (p < shape.size() && shape[p] == 'L') ++p;  // Python 2 long literal
    } else if (c == '(' || c == ')' || c == ',' || c == ' ') {
      ++p;
    } else {
      throw header.bad(
          fmt::format("shape {} holds '{}'; dimensions are non-negative integers", shape, c));
    }
  }
  if (dims.size() == 2) dims.push_back(1);
  if (dims.size() != 3) throw header.bad(fmt::format("shape {} is not 2D or 3D", shape));
  return {dims[0], dims[1], dims[2]};
}

// --- TIFF ----------------------------------------------------------------------------------------

// libtiff reads memory through these callbacks (TIFFClientOpen); writes are refused.
struct MemoryFile {
  Bytes bytes;
  std::uint64_t position = 0;
};

tmsize_t memory_read(thandle_t handle, void* buffer, tmsize_t size) {
  auto* file = static_cast<MemoryFile*>(handle);
  if (size <= 0 || file->position >= file->bytes.size()) return 0;
  const std::uint64_t left = file->bytes.size() - file->position;
  const std::uint64_t count = std::min<std::uint64_t>(left, static_cast<std::uint64_t>(size));
  std::memcpy(buffer, file->bytes.data() + file->position, count);
  file->position += count;
  return static_cast<tmsize_t>(count);
}

tmsize_t memory_write(thandle_t /*handle*/, void* /*buffer*/, tmsize_t /*size*/) {
  return -1;
}

toff_t memory_seek(thandle_t handle, toff_t offset, int whence) {
  auto* file = static_cast<MemoryFile*>(handle);
  // toff_t is unsigned; a backwards SEEK_CUR/SEEK_END arrives as a wrapped value, and unsigned
  // wrap-around undoes it.
  const std::uint64_t base =
      whence == SEEK_CUR ? file->position : (whence == SEEK_END ? file->bytes.size() : 0);
  file->position = base + offset;
  return file->position;
}

int memory_close(thandle_t /*handle*/) {
  return 0;
}

toff_t memory_size(thandle_t handle) {
  return static_cast<MemoryFile*>(handle)->bytes.size();
}

int memory_map(thandle_t /*handle*/, void** /*base*/, toff_t* /*size*/) {
  return 0;  // no mapping: libtiff copies through memory_read and never writes into the input
}

void memory_unmap(thandle_t /*handle*/, void* /*base*/, toff_t /*size*/) {}

struct TiffCloser {
  void operator()(TIFF* tif) const { TIFFClose(tif); }
};

void silence_libtiff() {
  TIFFSetErrorHandler(nullptr);
  TIFFSetWarningHandler(nullptr);
}

// Pages of one or more TIFFs as z slices, values appended row by row (x fastest, then y, then z,
// as core::Array3), so memory grows only with data that was actually decoded.
struct TiffPages {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::size_t pages = 0;
  std::vector<std::int32_t> values;
};

struct PageFormat {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint16_t bits = 8;
};

PageFormat read_page_format(TIFF* tif, const std::string& source, std::size_t page) {
  PageFormat f;
  std::uint16_t samples = 1;
  std::uint16_t format = SAMPLEFORMAT_UINT;
  TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &f.width);
  TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &f.height);
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &f.bits);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &samples);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
  if (samples != 1 || (f.bits != 8 && f.bits != 16) || format == SAMPLEFORMAT_IEEEFP) {
    throw InputError(
        fmt::format("'{}' page {} has {} samples of {} bits; labels must be one 8- or 16-bit "
                    "unsigned integer per pixel",
                    source, page, samples, f.bits),
        "input", "save the segmentation as 8- or 16-bit greyscale labels");
  }
  if (TIFFIsTiled(tif) != 0) {
    throw InputError(fmt::format("'{}' page {} is tiled", source, page), "input",
                     "save the segmentation as a striped (untiled) TIFF");
  }
  if (f.width == 0 || f.height == 0) {
    throw InputError(fmt::format("'{}' page {} is {}x{} pixels", source, page, f.width, f.height),
                     "input", "every slice needs at least one pixel");
  }
  return f;
}

// Bytes of strip data really present in the file: each strip's count, cut where the file ends.
std::uint64_t stored_strip_bytes(TIFF* tif, std::size_t file_bytes) {
  std::uint64_t* counts = nullptr;
  std::uint64_t* offsets = nullptr;
  std::uint64_t held = 0;
  if (TIFFGetField(tif, TIFFTAG_STRIPBYTECOUNTS, &counts) != 0 &&
      TIFFGetField(tif, TIFFTAG_STRIPOFFSETS, &offsets) != 0 && counts != nullptr &&
      offsets != nullptr) {
    const std::uint32_t strips = TIFFNumberOfStrips(tif);
    for (std::uint32_t s = 0; s < strips; ++s) {
      const std::uint64_t present =
          offsets[s] < file_bytes ? std::min<std::uint64_t>(counts[s], file_bytes - offsets[s]) : 0;
      if (__builtin_add_overflow(held, present, &held)) held = UINT64_MAX;
    }
  }
  return held;
}

// Largest output per input byte of the compressions with a known bound: deflate 1032:1 (a
// 258-byte match per ~2 bits), TIFF LZW under 4096:1 (a 12-bit code emits at most the 4096-byte
// table string), PackBits 64:1 (two bytes repeat one byte 128 times). 0 = no known bound.
std::uint64_t max_expansion(std::uint16_t compression) {
  switch (compression) {
    case COMPRESSION_NONE:
      return 1;
    case COMPRESSION_ADOBE_DEFLATE:
    case COMPRESSION_DEFLATE:
      return 1032;
    case COMPRESSION_LZW:
      return 4096;
    case COMPRESSION_PACKBITS:
      return 64;
    default:
      return 0;
  }
}

// A page must be able to hold its declared pixels: an uncompressed one in its stored bytes, a
// compressed one in what its codec can expand them to. Refused before anything is allocated.
void check_declared_size(TIFF* tif, const PageFormat& f, std::size_t file_bytes,
                         const std::string& source, std::size_t page) {
  std::uint16_t compression = COMPRESSION_NONE;
  TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);
  const std::uint64_t ratio = max_expansion(compression);
  if (ratio == 0) return;  // other codecs: bounded by the memory check and the decoder
  const auto declared = core::checked_product({f.width, f.height, f.bits / 8U});
  const std::uint64_t held = stored_strip_bytes(tif, file_bytes);
  const std::string declared_text = declared ? std::to_string(*declared) : "too many";
  if (compression == COMPRESSION_NONE) {
    if (!declared || held < *declared) {
      throw InputError(
          fmt::format("'{}' page {} declares {}x{} pixels of {} bits ({} bytes uncompressed) but "
                      "the file holds {} bytes of image data",
                      source, page, f.width, f.height, f.bits, declared_text, held),
          "input", "re-export the image; the file is truncated or its header is damaged");
    }
    return;
  }
  constexpr std::uint64_t kCodecHeaderSlack = 65536;  // stream headers, partial last rows
  std::uint64_t capacity = 0;
  if (__builtin_mul_overflow(held, ratio, &capacity) ||
      __builtin_add_overflow(capacity, kCodecHeaderSlack, &capacity)) {
    capacity = UINT64_MAX;
  }
  if (!declared || capacity < *declared) {
    throw InputError(
        fmt::format("'{}' page {} declares {}x{} pixels of {} bits ({} bytes) but its {} bytes of "
                    "compressed data expand to at most {} bytes",
                    source, page, f.width, f.height, f.bits, declared_text, held, capacity),
        "input", "re-export the image; the file is truncated or its header is damaged");
  }
}

void append_page(TIFF* tif, const PageFormat& f, const std::string& source, TiffPages& out) {
  const std::size_t pixels = static_cast<std::size_t>(f.width) * f.height;
  // The pages read so far, this page, and the final image the pages are copied into.
  const auto need = core::checked_product({out.pages + 1, pixels, sizeof(std::int32_t), 2});
  core::require_memory(need.value_or(SIZE_MAX), "reading '" + source + "'");
  const auto line = TIFFScanlineSize64(tif);
  const std::size_t bytes_per_pixel = f.bits / 8U;
  if (line <= 0 || static_cast<std::uint64_t>(line) < std::uint64_t{f.width} * bytes_per_pixel) {
    throw InputError(fmt::format("'{}' page {} has an inconsistent row size", source, out.pages),
                     "input", "re-export the image; its header is damaged");
  }
  std::vector<unsigned char> buffer(static_cast<std::size_t>(line));
  for (std::uint32_t row = 0; row < f.height; ++row) {
    if (TIFFReadScanline(tif, buffer.data(), row, 0) < 0) {
      throw InputError(
          fmt::format("'{}' is truncated or damaged (page {}, row {})", source, out.pages, row),
          "input", "re-export the image; the file could not be read to the end");
    }
    for (std::uint32_t col = 0; col < f.width; ++col) {
      if (f.bits == 8) {
        out.values.push_back(buffer[col]);
      } else {
        std::uint16_t u = 0;
        std::memcpy(&u, buffer.data() + 2 * std::size_t{col}, 2);  // libtiff gives native order
        out.values.push_back(u);
      }
    }
  }
  ++out.pages;
}

// Appends every page of one TIFF as z slices; all pages (of all files) must have one size.
void append_tiff_pages(Bytes bytes, const std::string& source, TiffPages& out) {
  silence_libtiff();
  MemoryFile file{.bytes = bytes};
  std::unique_ptr<TIFF, TiffCloser> tif(TIFFClientOpen(source.c_str(), "rm", &file, memory_read,
                                                       memory_write, memory_seek, memory_close,
                                                       memory_size, memory_map, memory_unmap));
  if (!tif) {
    throw InputError("cannot read '" + source + "' as TIFF", "input",
                     "check that the file is a complete TIFF (8- or 16-bit greyscale labels)");
  }
  do {
    const PageFormat f = read_page_format(tif.get(), source, out.pages);
    if (out.pages == 0) {
      out.width = f.width;
      out.height = f.height;
    } else if (f.width != out.width || f.height != out.height) {
      throw InputError(fmt::format("'{}' page {} is {}x{} but earlier slices are {}x{}", source,
                                   out.pages, f.width, f.height, out.width, out.height),
                       "input", "every slice of a stack must have the same size");
    }
    check_declared_size(tif.get(), f, bytes.size(), source, out.pages);
    append_page(tif.get(), f, source, out);
  } while (TIFFReadDirectory(tif.get()) != 0);
}

core::Array3<std::int32_t> pages_to_values(const TiffPages& pages, const std::string& source) {
  core::Array3<std::int32_t> values = allocate({pages.width, pages.height, pages.pages}, source);
  std::copy(pages.values.begin(), pages.values.end(), values.data());
  return values;
}

}  // namespace

core::Array3<std::int32_t> read_raw_values(std::span<const std::uint8_t> bytes,
                                           const RawLayout& layout,
                                           const std::string& source_name) {
  check_raw_size(bytes.size(), layout, source_name);
  const Dtype type = parse_dtype_name(layout.dtype, source_name);
  core::Array3<std::int32_t> values = allocate(layout.shape, source_name);
  fill_values(values, bytes.data(), type, true);
  return values;
}

core::Array3<std::int32_t> read_npy_values(std::span<const std::uint8_t> bytes,
                                           const std::string& source_name) {
  const NpyHeader no_header({}, source_name);
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) {
    throw no_header.bad("missing the \\x93NUMPY magic");
  }
  const unsigned major = bytes[6];
  std::size_t header_len = 0;
  std::size_t offset = 0;
  if (major == 1) {
    header_len = bytes[8] | (std::size_t{bytes[9]} << 8U);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw no_header.bad("truncated header");
    for (unsigned b = 0; b < 4; ++b) header_len |= std::size_t{bytes[8 + b]} << (8U * b);
    offset = 12;
  } else {
    throw no_header.bad(fmt::format("unknown format version {}", major));
  }
  if (header_len > bytes.size() - offset) {
    throw no_header.bad("truncated header");
  }
  const NpyHeader header(
      std::string_view(reinterpret_cast<const char*>(bytes.data()) + offset, header_len),
      source_name);
  const Dtype type = parse_npy_descr(std::string(header.value_of("descr")), source_name);
  const bool fortran = header.value_of("fortran_order").find("True") != std::string_view::npos;
  const std::string_view shape_text = header.value_of("shape");
  const std::array<std::size_t, 3> shape = parse_npy_shape(shape_text, header);
  const std::size_t needed =
      image_bytes(shape, type.size, source_name, "input",
                  "re-save the array with numpy.save; its header declares an impossible shape");
  const std::size_t data_offset = offset + header_len;
  if (bytes.size() - data_offset < needed) {
    throw InputError(
        fmt::format("'{}' is truncated: shape {} needs {} data bytes but the file has {}",
                    source_name, shape_text, needed, bytes.size() - data_offset),
        "input", "re-export the array; the file was cut short");
  }
  core::Array3<std::int32_t> values = allocate(shape, source_name);
  fill_values(values, bytes.data() + data_offset, type, fortran);
  return values;
}

core::Array3<std::int32_t> read_tiff_values(std::span<const std::uint8_t> bytes,
                                            const std::string& source_name) {
  TiffPages pages;
  append_tiff_pages(bytes, source_name, pages);
  return pages_to_values(pages, source_name);
}

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
    TiffPages pages;
    for (const fs::path& file : files) {
      append_tiff_pages(read_file_bytes(file), file.string(), pages);
    }
    values = pages_to_values(pages, path.string());
  } else {
    const std::string ext = lower_extension(path);
    if (ext == ".tif" || ext == ".tiff") {
      values = read_tiff_values(read_file_bytes(path), path.string());
    } else if (ext == ".npy") {
      values = read_npy_values(read_file_bytes(path), path.string());
    } else if (ext == ".raw" || ext == ".bin") {
      if (!options.raw) {
        throw InputError("raw file '" + path.string() + "' needs its shape and dtype", "raw-shape",
                         "give --raw-shape \"NX NY NZ\" and --raw-dtype uint8|uint16|int32");
      }
      // The size is checked before the file is loaded, so a wrong shape costs no memory.
      check_raw_size(static_cast<std::size_t>(fs::file_size(path)), *options.raw, path.string());
      values = read_raw_values(read_file_bytes(path), *options.raw, path.string());
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
