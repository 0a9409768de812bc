// Effective-conductivity benchmark.
//   bench_transport_bench IMAGE.npy [axis x|y|z|all] [rtol] [contrast] [structured|split|auto]
//       -> one line per axis: tau, time, iterations, solver bytes per voxel
//   bench_transport_bench [Google Benchmark flags]  -> synthetic random media, 64^3..128^3
// In IMAGE.npy, label 1 conducts (1 S/m), label 2 conducts 1/contrast S/m when a contrast is given
// (does not conduct otherwise), every other label does not; numpy axis 0 is z.
#include "transport_npy.hpp"

#include "cathodelab/core/rng.hpp"
#include "cathodelab/transport/effective_conductivity.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace cl = cathodelab;

namespace {

cl::core::Array3<std::uint8_t> random_medium(std::size_t n, double porosity) {
  cl::core::Array3<std::uint8_t> image(cl::core::Grid3{{n, n, n}, 1e-6});
  std::uint64_t state = 12345;
  for (std::size_t c = 0; c < image.size(); ++c) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    image[c] = (static_cast<double>(state >> 11) * 0x1.0p-53) < porosity ? 1 : 0;
  }
  return image;
}

void BM_RandomPore(benchmark::State& state) {
  const auto image = random_medium(static_cast<std::size_t>(state.range(0)), 0.6);
  const std::vector<double> sigma{0.0, 1.0};
  int iterations = 0;
  for (auto _ : state) {
    const auto result = cl::transport::effective_conductivity(image, sigma, cl::core::Axis::z);
    iterations = result.stats.iterations;
    benchmark::DoNotOptimize(result.tortuosity_factor);
  }
  state.counters["cg_iterations"] = iterations;
}
BENCHMARK(BM_RandomPore)->Arg(64)->Arg(128)->Unit(benchmark::kMillisecond);

/// [s] CPU time of this process (all threads) so far.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

int run_on_file(const std::string& path, const std::string& axes, double rtol, double contrast,
                cl::numerics::VoxelCoarsening coarsening) {
  const auto start = std::chrono::steady_clock::now();
  const auto image = bench::read_npy_u8(path, 1e-6);
  const double read_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stdout, "# %s: %zu x %zu x %zu voxels (x,y,z = numpy axes 2,1,0), read in %.2f s\n",
               path.c_str(), image.grid().nx(), image.grid().ny(), image.grid().nz(), read_s);
  const std::vector<double> sigma{0.0, 1.0, contrast > 0.0 ? 1.0 / contrast : 0.0};
  if (contrast > 0.0) std::fprintf(stdout, "# label 2: conductivity 1/%g S/m\n", contrast);
  for (const char a : std::string("xyz")) {
    if (axes != "all" && axes.find(a) == std::string::npos) continue;
    const auto axis = static_cast<cl::core::Axis>(a - 'x');
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();
    const auto r = cl::transport::effective_conductivity(
        image, sigma, axis,
        {.relative_tolerance = rtol, .throw_on_failure = false, .coarsening = coarsening});
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpu_seconds() - cpu0;
    std::fprintf(
        stdout,
        "axis %c (numpy axis %d): tau %.6f sigma_eff %.6f phi %.4f percolating %.4f "
        "iterations %d residual %.2e flux_mismatch %.2e solve %.3f s total %.3f s cpu %.3f s "
        "solver %.2f B/voxel\n",
        a, 2 - (a - 'x'), r.tortuosity_factor, r.effective_conductivity, r.volume_fraction,
        r.percolating_fraction, r.stats.iterations, r.stats.residual,
        r.current_in != 0.0 ? (r.current_in - r.current_out) / r.current_in : 0.0, r.stats.seconds,
        seconds, cpu, static_cast<double>(r.solver_bytes) / static_cast<double>(image.size()));
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]).ends_with(".npy")) {
    const std::string mode = argc >= 6 ? argv[5] : "auto";
    const auto coarsening = mode == "structured" ? cl::numerics::VoxelCoarsening::structured
                            : mode == "split"    ? cl::numerics::VoxelCoarsening::split
                                                 : cl::numerics::VoxelCoarsening::automatic;
    return run_on_file(argv[1], argc >= 3 ? argv[2] : "all", argc >= 4 ? std::stod(argv[3]) : 1e-6,
                       argc >= 5 ? std::stod(argv[4]) : 0.0, coarsening);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
