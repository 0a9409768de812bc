// Crafted image files that once crashed or exhausted memory: each is built byte by byte here and
// must end in an InputError naming the data and the limit, before any allocation of the declared
// size. Also proves that the in-memory readers are the code behind the file readers.
#include "cathodelab/core/error.hpp"
#include "cathodelab/io/image_io.hpp"

#include "support/input_error_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
namespace io = cathodelab::io;
namespace ms = cathodelab::microstructure;
using cathodelab::core::Array3;
using cathodelab::core::Grid3;
using cathodelab::core::InputError;
using Bytes = std::vector<std::uint8_t>;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "cathodelab_image_io_crafted_test";
  fs::create_directories(dir);
  return dir / name;
}

void write_file(const fs::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

Bytes read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A version 1.0 .npy with the given header dict text (no padding needed by the reader) and data.
Bytes npy(const std::string& header, const Bytes& data = {}) {
  Bytes bytes{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  bytes.push_back(static_cast<std::uint8_t>(header.size() & 0xFFU));
  bytes.push_back(static_cast<std::uint8_t>(header.size() >> 8U));
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

std::string npy_dict(const std::string& shape) {
  return "{'descr': '|u1', 'fortran_order': True, 'shape': " + shape + ", }\n";
}

// A little-endian baseline TIFF with one 8-bit strip: the header, one IFD of nine entries, then
// `data` (which may be far shorter than width x height declares).
Bytes tiff(std::uint32_t width, std::uint32_t height, std::uint16_t compression, const Bytes& data,
           std::uint32_t declared_strip_bytes) {
  Bytes b;
  const auto u16 = [&](std::uint32_t v) {
    b.push_back(static_cast<std::uint8_t>(v & 0xFFU));
    b.push_back(static_cast<std::uint8_t>((v >> 8U) & 0xFFU));
  };
  const auto u32 = [&](std::uint32_t v) {
    u16(v & 0xFFFFU);
    u16(v >> 16U);
  };
  constexpr std::uint32_t kEntries = 9;
  const std::uint32_t data_offset = 8 + 2 + kEntries * 12 + 4;
  const auto short_entry = [&](std::uint16_t tag, std::uint16_t value) {
    u16(tag), u16(3), u32(1), u16(value), u16(0);
  };
  const auto long_entry = [&](std::uint16_t tag, std::uint32_t value) {
    u16(tag), u16(4), u32(1), u32(value);
  };
  b.push_back('I'), b.push_back('I'), u16(42), u32(8);
  u16(kEntries);
  long_entry(256, width);                 // ImageWidth
  long_entry(257, height);                // ImageLength
  short_entry(258, 8);                    // BitsPerSample
  short_entry(259, compression);          // Compression: 1 none, 8 deflate
  short_entry(262, 1);                    // Photometric: min-is-black
  long_entry(273, data_offset);           // StripOffsets
  short_entry(277, 1);                    // SamplesPerPixel
  long_entry(278, height);                // RowsPerStrip
  long_entry(279, declared_strip_bytes);  // StripByteCounts
  u32(0);                                 // no next IFD
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

}  // namespace

TEST(ImageIoCrafted, NpyShapeWhoseProductWrapsIsRefused) {
  // 2^32 * 2^32 * 1 wraps to 0 in 64 bits (times the element size, still 0): the reader once
  // allocated nothing and wrote the declared image into it. The file is ~129 bytes.
  const Bytes bytes = npy(npy_dict("(4294967296, 4294967296, 1)"), Bytes(16, 1));
  const std::string message =
      cathodelab::test::input_error_text([&] { (void)io::read_npy_values(bytes, "wrap.npy"); });
  EXPECT_TRUE(contains(message, "'wrap.npy'")) << message;
  EXPECT_TRUE(contains(message, "4294967296x4294967296x1")) << message;
  EXPECT_TRUE(contains(message, "more than any memory")) << message;
  // The same bytes through the file reader give the same refusal, naming the file.
  write_file(scratch("wrap.npy"), bytes);
  const std::string from_file =
      cathodelab::test::input_error_text([&] { (void)io::read_label_values(scratch("wrap.npy")); });
  EXPECT_TRUE(contains(from_file, "wrap.npy")) << from_file;
  EXPECT_TRUE(contains(from_file, "more than any memory")) << from_file;
}

TEST(ImageIoCrafted, NpyShapesThatAreNotNonNegativeIntegersAreRefused) {
  const std::string negative = cathodelab::test::input_error_text(
      [&] { (void)io::read_npy_values(npy(npy_dict("(-1, 4, 1)"), Bytes(4, 0)), "neg.npy"); });
  EXPECT_TRUE(contains(negative, "'neg.npy'")) << negative;
  EXPECT_TRUE(contains(negative, "non-negative")) << negative;
  const std::string huge = cathodelab::test::input_error_text([&] {
    (void)io::read_npy_values(npy(npy_dict("(99999999999999999999999, 1, 1)")), "huge.npy");
  });
  EXPECT_TRUE(contains(huge, "too large")) << huge;
  const std::string empty = cathodelab::test::input_error_text(
      [&] { (void)io::read_npy_values(npy(npy_dict("(0, 4, 4)")), "empty.npy"); });
  EXPECT_TRUE(contains(empty, "empty image")) << empty;
  const std::string four_d = cathodelab::test::input_error_text(
      [&] { (void)io::read_npy_values(npy(npy_dict("(1, 1, 1, 1)"), Bytes(1, 0)), "4d.npy"); });
  EXPECT_TRUE(contains(four_d, "not 2D or 3D")) << four_d;
}

TEST(ImageIoCrafted, DamagedNpyHeadersAreRefusedNotReadPastTheirEnd) {
  // Each header stops where the old reader looked one character further (no ':', no closing
  // bracket, a length beyond the file).
  for (const std::string header :
       {"{'descr'", "{'descr': '|u1', 'fortran_order': True, 'shape'",
        "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 2", "{'descr': '|u1"}) {
    const std::string message = cathodelab::test::input_error_text(
        [&] { (void)io::read_npy_values(npy(header), "damaged.npy"); });
    EXPECT_TRUE(contains(message, "'damaged.npy' is not a readable .npy file")) << message;
  }
  Bytes long_header = npy(npy_dict("(1, 1, 1)"), Bytes(1, 0));
  long_header[8] = 0xFF;  // declares a 65 KB header in a 70-byte file
  long_header[9] = 0xFF;
  EXPECT_TRUE(contains(cathodelab::test::input_error_text(
                           [&] { (void)io::read_npy_values(long_header, "long.npy"); }),
                       "truncated header"));
}

TEST(ImageIoCrafted, RawLayoutsWhoseProductWrapsAreRefused) {
  const Bytes bytes(8, 1);
  for (const std::array<std::size_t, 3> shape :
       {std::array<std::size_t, 3>{std::size_t{1} << 32, std::size_t{1} << 32, 1},
        std::array<std::size_t, 3>{SIZE_MAX, 2, 1}, std::array<std::size_t, 3>{SIZE_MAX, 1, 1}}) {
    const std::string message = cathodelab::test::input_error_text(
        [&] { (void)io::read_raw_values(bytes, {.shape = shape, .dtype = "uint16"}, "wrap.raw"); });
    EXPECT_TRUE(contains(message, "'wrap.raw'")) << message;
    EXPECT_TRUE(contains(message, "more than any memory")) << message;
    EXPECT_TRUE(contains(message, "key 'raw-shape'")) << message;
  }
  // A matching layout reads back element by element.
  const auto values = io::read_raw_values(bytes, {.shape = {2, 2, 1}, .dtype = "uint16"}, "ok.raw");
  ASSERT_EQ(values.size(), 4U);
  EXPECT_EQ(values(1, 1, 0), 0x0101);
}

TEST(ImageIoCrafted, TheTiffBuilderMakesAReadableImage) {
  // Guards the tests below: the same builder with consistent sizes gives the pixels back.
  const Bytes pixels{0, 1, 2, 3, 4, 5};
  const auto values = io::read_tiff_values(tiff(3, 2, 1, pixels, 6), "ok.tif");
  ASSERT_EQ(values.grid().shape, (std::array<std::size_t, 3>{3, 2, 1}));
  for (std::size_t n = 0; n < pixels.size(); ++n) EXPECT_EQ(values[n], pixels[n]);
}

TEST(ImageIoCrafted, UncompressedTiffLargerThanItsFileIsRefusedBeforeAllocating) {
  // 100000 x 100000 once threw std::bad_alloc; 40000 x 40000 filled 6.4 GB with zeros before
  // finding the data missing. Both files are ~130 bytes.
  for (const std::uint32_t side : {100000U, 40000U}) {
    const Bytes bytes = tiff(side, side, 1, Bytes(8, 7), 8);
    const std::string message =
        cathodelab::test::input_error_text([&] { (void)io::read_tiff_values(bytes, "big.tif"); });
    EXPECT_TRUE(contains(message, "'big.tif'")) << message;
    EXPECT_TRUE(contains(message, std::to_string(side) + "x" + std::to_string(side))) << message;
    EXPECT_TRUE(contains(message, "holds 8 bytes")) << message;
  }
  // A strip byte count that lies (claims the full size) is capped by the bytes really there.
  const std::string lying = cathodelab::test::input_error_text([&] {
    (void)io::read_tiff_values(tiff(40000, 40000, 1, Bytes(8, 7), 1600000000U), "l.tif");
  });
  EXPECT_TRUE(contains(lying, "'l.tif'")) << lying;
  EXPECT_TRUE(contains(lying, "40000x40000")) << lying;
}

TEST(ImageIoCrafted, CompressedTiffLargerThanItsCodecCanExpandIsRefused) {
  // Deflate expands at most 1032:1, so 8 stored bytes cannot become 100000 x 100000 pixels; a
  // fuzzed 13-byte strip declaring 536870916 x 4 pixels once made the reader allocate a 512 MB row.
  for (const auto& [width, height] : {std::pair<std::uint32_t, std::uint32_t>{100000, 100000},
                                      std::pair<std::uint32_t, std::uint32_t>{536870916, 4}}) {
    const Bytes bytes = tiff(width, height, 8, Bytes(8, 7), 8);
    const std::string message = cathodelab::test::input_error_text(
        [&] { (void)io::read_tiff_values(bytes, "deflate.tif"); });
    EXPECT_TRUE(contains(message, "'deflate.tif'")) << message;
    EXPECT_TRUE(contains(message, "8 bytes of compressed data expand to at most")) << message;
  }
  // Within the bound, damaged deflate data stops at the first row it cannot decode.
  const std::string damaged = cathodelab::test::input_error_text(
      [&] { (void)io::read_tiff_values(tiff(64, 64, 8, Bytes(8, 7), 8), "bad.tif"); });
  EXPECT_TRUE(contains(damaged, "'bad.tif' is truncated or damaged")) << damaged;
  EXPECT_TRUE(contains(cathodelab::test::input_error_text(
                           [&] { (void)io::read_tiff_values(Bytes(10, 0), "zero.tif"); }),
                       "cannot read 'zero.tif' as TIFF"));
}

TEST(ImageIoCrafted, FileReadersAreTheMemoryReaders) {
  Array3<ms::Label> labels(Grid3{.shape = {5, 4, 3}, .voxel_size = 1e-6});
  for (std::size_t n = 0; n < labels.size(); ++n) labels[n] = static_cast<ms::Label>(n % 7);
  io::write_tiff_labels(scratch("same.tif"), labels);
  io::write_npy_labels(scratch("same.npy"), labels);
  const auto tif_file = io::read_label_values(scratch("same.tif"));
  const auto tif_memory = io::read_tiff_values(read_file(scratch("same.tif")), "same.tif");
  const auto npy_file = io::read_label_values(scratch("same.npy"));
  const auto npy_memory = io::read_npy_values(read_file(scratch("same.npy")), "same.npy");
  ASSERT_EQ(tif_memory.grid().shape, labels.grid().shape);
  ASSERT_EQ(npy_memory.grid().shape, labels.grid().shape);
  for (std::size_t n = 0; n < labels.size(); ++n) {
    EXPECT_EQ(tif_memory[n], labels[n]);
    EXPECT_EQ(tif_file[n], tif_memory[n]);
    EXPECT_EQ(npy_memory[n], labels[n]);
    EXPECT_EQ(npy_file[n], npy_memory[n]);
  }
}
