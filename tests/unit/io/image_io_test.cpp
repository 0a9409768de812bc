// Label image import/export: exact round trips through every format, .npy header variants, and
// the errors a user meets (truncated files, unknown labels, shape/size mismatch).
#include "cathodelab/io/image_io.hpp"
#include "cathodelab/core/error.hpp"
#include "cathodelab/io/microstructure_writer.hpp"

#include "support/input_error_text.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
namespace io = cathodelab::io;
namespace ms = cathodelab::microstructure;
using cathodelab::core::Array3;
using cathodelab::core::Grid3;
using cathodelab::core::InputError;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "cathodelab_image_io_test";
  fs::create_directories(dir);
  return dir / name;
}

Array3<ms::Label> pattern(std::size_t nx = 7, std::size_t ny = 5, std::size_t nz = 4) {
  Array3<ms::Label> labels(Grid3{.shape = {nx, ny, nz}, .voxel_size = 1e-6});
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i)
        labels(i, j, k) = static_cast<ms::Label>((i + 2 * j + 3 * k) % 3);
  return labels;
}

std::vector<io::PhaseMapping> three_phases() {
  return {{0, {.name = "pore", .role = ms::PhaseRole::pore}},
          {1, {.name = "NCM811", .material = "NCM811", .role = ms::PhaseRole::active}},
          {2, {.name = "LPSCl", .material = "Li6PS5Cl", .role = ms::PhaseRole::electrolyte}}};
}

void expect_same(const Array3<std::int32_t>& values, const Array3<ms::Label>& labels) {
  ASSERT_EQ(values.grid().shape, labels.grid().shape);
  for (std::size_t n = 0; n < labels.size(); ++n) {
    ASSERT_EQ(values[n], labels[n]) << "voxel " << n;
  }
}

// numpy.save equivalent for tests: header dict + data, version 1.0.
void write_npy(const fs::path& path, const std::string& descr, bool fortran,
               std::array<std::size_t, 3> shape, const std::vector<char>& data) {
  std::string header = "{'descr': '" + descr +
                       "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (" +
                       std::to_string(shape[0]) + ", " + std::to_string(shape[1]) + ", " +
                       std::to_string(shape[2]) + "), }";
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const char len[2] = {static_cast<char>(header.size() & 0xFF),
                       static_cast<char>(header.size() >> 8)};
  out.write(len, 2);
  out << header;
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

}  // namespace

TEST(ImageIo, TiffRoundTripIsIdentical) {
  const auto labels = pattern();
  const fs::path file = scratch("round.tif");
  io::write_tiff_labels(file, labels);
  expect_same(io::read_label_values(file), labels);
  const auto structure =
      io::to_microstructure(io::read_label_values(file), three_phases(), 1e-6, "round.tif");
  EXPECT_TRUE(structure.labels() == labels);
}

TEST(ImageIo, TiffFolderOfSlicesIsOneStack) {
  const auto labels = pattern();
  const fs::path dir = scratch("slices");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto& g = labels.grid();
  for (std::size_t k = 0; k < g.nz(); ++k) {
    Array3<ms::Label> slice(Grid3{.shape = {g.nx(), g.ny(), 1}, .voxel_size = 1e-6});
    std::memcpy(slice.data(), labels.data() + k * g.nx() * g.ny(), g.nx() * g.ny());
    io::write_tiff_labels(dir / ("slice_" + std::to_string(1000 + k) + ".tif"), slice);
  }
  expect_same(io::read_label_values(dir), labels);
}

TEST(ImageIo, NpyRoundTripAndBothMemoryOrders) {
  const auto labels = pattern();
  const fs::path file = scratch("round.npy");
  io::write_npy_labels(file, labels);
  expect_same(io::read_label_values(file), labels);

  // C order uint16: element [i, j, k] at (i * ny + j) * nz + k
  const auto& g = labels.grid();
  std::vector<char> c_order(labels.size() * 2);
  for (std::size_t i = 0; i < g.nx(); ++i)
    for (std::size_t j = 0; j < g.ny(); ++j)
      for (std::size_t k = 0; k < g.nz(); ++k) {
        const std::uint16_t v = static_cast<std::uint16_t>(labels(i, j, k) + 1000);
        std::memcpy(c_order.data() + ((i * g.ny() + j) * g.nz() + k) * 2, &v, 2);
      }
  write_npy(scratch("c.npy"), "<u2", false, g.shape, c_order);
  const auto values = io::read_label_values(scratch("c.npy"));
  for (std::size_t n = 0; n < labels.size(); ++n) {
    ASSERT_EQ(values[n], labels[n] + 1000);
  }
  // Fortran order int32, big-endian
  std::vector<char> f_order(labels.size() * 4);
  for (std::size_t n = 0; n < labels.size(); ++n) {
    const std::int32_t v = labels[n] - 1;
    const auto u = static_cast<std::uint32_t>(v);
    const char be[4] = {static_cast<char>(u >> 24), static_cast<char>(u >> 16),
                        static_cast<char>(u >> 8), static_cast<char>(u)};
    std::memcpy(f_order.data() + n * 4, be, 4);
  }
  write_npy(scratch("f.npy"), ">i4", true, g.shape, f_order);
  const auto signed_values = io::read_label_values(scratch("f.npy"));
  for (std::size_t n = 0; n < labels.size(); ++n) {
    ASSERT_EQ(signed_values[n], labels[n] - 1);
  }
}

TEST(ImageIo, RawNeedsMatchingShape) {
  const auto labels = pattern();
  const fs::path file = scratch("labels.raw");
  {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(labels.data()),
              static_cast<std::streamsize>(labels.size()));
  }
  expect_same(
      io::read_label_values(file, {.raw = io::RawLayout{.shape = {7, 5, 4}, .dtype = "uint8"}}),
      labels);
  const std::string message = cathodelab::test::input_error_text([&] {
    (void)io::read_label_values(file, {.raw = io::RawLayout{.shape = {7, 5, 5}, .dtype = "uint8"}});
  });
  EXPECT_NE(message.find("has 140 bytes but shape 7x5x5 of uint8 needs 175"), std::string::npos)
      << message;
  EXPECT_NE(message.find("--raw-shape"), std::string::npos) << message;
  EXPECT_NE(cathodelab::test::input_error_text([&] {
              (void)io::read_label_values(file);
            }).find("needs its shape"),
            std::string::npos);
}

TEST(ImageIo, TruncatedFilesNameTheFile) {
  const auto labels = pattern();
  io::write_npy_labels(scratch("full.npy"), labels);
  const auto size = fs::file_size(scratch("full.npy"));
  fs::copy_file(scratch("full.npy"), scratch("cut.npy"), fs::copy_options::overwrite_existing);
  fs::resize_file(scratch("cut.npy"), size - 10);
  const std::string npy =
      cathodelab::test::input_error_text([&] { (void)io::read_label_values(scratch("cut.npy")); });
  EXPECT_NE(npy.find("cut.npy' is truncated"), std::string::npos) << npy;

  io::write_tiff_labels(scratch("full.tif"), labels);
  fs::copy_file(scratch("full.tif"), scratch("cut.tif"), fs::copy_options::overwrite_existing);
  fs::resize_file(scratch("cut.tif"), 40);
  const std::string tif =
      cathodelab::test::input_error_text([&] { (void)io::read_label_values(scratch("cut.tif")); });
  EXPECT_NE(tif.find("cut.tif"), std::string::npos) << tif;
}

TEST(ImageIo, LabelsMissingFromThePhaseMapAreListed) {
  const auto labels = pattern();
  io::write_tiff_labels(scratch("three.tif"), labels);
  auto phases = three_phases();
  phases.pop_back();
  const std::string message = cathodelab::test::input_error_text([&] {
    (void)io::to_microstructure(io::read_label_values(scratch("three.tif")), phases, 1e-6,
                                "three.tif");
  });
  EXPECT_NE(message.find("'three.tif' contains label(s) 2"), std::string::npos) << message;
  EXPECT_NE(message.find("--phase 2="), std::string::npos) << message;
}

TEST(ImageIo, LabelValuesAreRenumberedInValueOrder) {
  Array3<std::int32_t> values(Grid3{.shape = {3, 1, 1}});
  values[0] = 255;
  values[1] = 7;
  values[2] = 7;
  const auto structure = io::to_microstructure(
      values, {{255, {.name = "NCM811", .role = ms::PhaseRole::active}}, {7, {.name = "pore"}}},
      2e-6, "x");
  EXPECT_EQ(structure.phases()[0].name, "pore");
  EXPECT_EQ(structure.labels()[0], 1);
  EXPECT_EQ(structure.labels()[1], 0);
  EXPECT_DOUBLE_EQ(structure.grid().voxel_size, 2e-6);
}

TEST(ImageIo, CropAndMajorityDownsample) {
  Array3<std::int32_t> values(Grid3{.shape = {4, 2, 2}});
  // block 0 (x 0..1): five 1s and three 2s -> 1; block 1 (x 2..3): four 3s, four 4s -> tie -> 3
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t j = 0; j < 2; ++j)
      for (std::size_t i = 0; i < 4; ++i)
        values(i, j, k) = i < 2 ? ((i + j + k) % 3 == 0 ? 2 : 1) : (k == 0 ? 4 : 3);
  const auto down = io::downsample_majority(values, 2);
  ASSERT_EQ(down.grid().shape, (std::array<std::size_t, 3>{2, 1, 1}));
  EXPECT_EQ(down[0], 1);
  EXPECT_EQ(down[1], 3);
  const auto cropped = io::crop_values(values, {.lo = {2, 0, 1}, .hi = {4, 0, 0}});
  ASSERT_EQ(cropped.grid().shape, (std::array<std::size_t, 3>{2, 2, 1}));
  EXPECT_EQ(cropped[0], 3);
  EXPECT_NE(cathodelab::test::input_error_text([&] {
              (void)io::crop_values(values, {.lo = {0, 0, 0}, .hi = {9, 0, 0}});
            }).find("outside the image"),
            std::string::npos);
}

TEST(ImageIo, VtiHeaderDescribesCellData) {
  const auto structure = io::to_microstructure(
      [] {
        Array3<std::int32_t> v(Grid3{.shape = {3, 2, 2}});
        return v;
      }(),
      {{0, {.name = "pore"}}}, 0.5e-6, "x");
  io::write_vti(scratch("s.vti"), structure);
  std::ifstream in(scratch("s.vti"), std::ios::binary);
  std::string text(fs::file_size(scratch("s.vti")), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  EXPECT_NE(text.find("WholeExtent=\"0 3 0 2 0 2\""), std::string::npos);
  EXPECT_NE(text.find("Spacing=\"4.9999999999999998e-07"), std::string::npos)
      << text.substr(0, 400);
  EXPECT_NE(text.find("<CellData Scalars=\"phase\">"), std::string::npos);
  const auto underscore = text.find("   _");
  ASSERT_NE(underscore, std::string::npos);
  std::uint64_t bytes = 0;
  std::memcpy(&bytes, text.data() + underscore + 4, 8);
  EXPECT_EQ(bytes, 12U);  // one UInt8 per cell
  EXPECT_EQ(text.substr(underscore + 4 + 8 + 12, 19), "\n  </AppendedData>\n");
}
