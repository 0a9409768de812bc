// Schema validation, sweep expansion (grid and zip), content-hash ids, and the runner (a failed
// design is recorded and the sweep goes on; resume skips complete designs).
#include "cathodelab/core/error.hpp"
#include "cathodelab/study/design.hpp"
#include "cathodelab/study/runner.hpp"

#include <gtest/gtest.h>
#include <omp.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

namespace cathodelab::study {
namespace {

InputValue text(std::string s) {
  InputValue v;
  v.text = std::move(s);
  return v;
}
InputValue number(double x) {
  InputValue v;
  v.kind = InputValue::Kind::real;
  v.number = x;
  v.text = std::to_string(x);
  return v;
}

StudySpec small_spec() {
  auto materials = std::make_shared<MaterialTable>();
  (*materials)["CAM"] = {"CAM", MaterialRole::active, 5000.0, 720000.0, 720000.0, 4.0, 10.0,
                         "test"};
  (*materials)["SE"] = {"SE", MaterialRole::electrolyte, 2000.0, {}, {}, {}, 50.0, "test"};
  (*materials)["SE2"] = {"SE2", MaterialRole::electrolyte, 2500.0, {}, {}, {}, {}, "test"};
  (*materials)["Li"] = {"Li",  MaterialRole::anode, 534.0, 13896000.0, 13896000.0, 0.0, 100.0,
                        "test"};
  StudySpec spec;
  spec.name = "test";
  spec.seed = 7;
  spec.materials = materials;
  spec.inputs[{"cathode", "components", "CAM", "fraction"}] = text("70 wt%");
  spec.inputs[{"cathode", "components", "SE", "fraction"}] = text("balance");
  spec.inputs[{"cathode", "porosity"}] = number(0.2);
  spec.inputs[{"cathode", "areal_loading"}] = text("10 mg/cm^2");
  spec.inputs[{"separator", "material"}] = text("SE");
  spec.inputs[{"separator", "thickness"}] = text("30 um");
  spec.inputs[{"anode", "material"}] = text("Li");
  spec.inputs[{"anode", "thickness"}] = text("20 um");
  return spec;
}

std::string error_of(const StudySpec& spec) {
  try {
    (void)expand(spec);
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Expand, GridIsTheCartesianProductInFileOrder) {
  auto spec = small_spec();
  SweepBlock block;
  block.axes.push_back({{"cathode", "components", "CAM", "fraction"},
                        {text("60 wt%"), text("70 wt%"), text("80 wt%")},
                        {}});
  block.axes.push_back({{"separator", "material"}, {text("SE"), text("SE2")}, {}});
  spec.sweeps = {block};
  const auto designs = expand(spec);
  ASSERT_EQ(designs.size(), 6U);
  EXPECT_EQ(designs[1].swept[0].second, "60 wt%");
  EXPECT_EQ(designs[1].swept[1].second, "SE2");
  std::set<std::string> ids;
  for (const auto& d : designs) ids.insert(d.id);
  EXPECT_EQ(ids.size(), 6U);
  // Deterministic: the same input gives the same ids.
  EXPECT_EQ(expand(spec)[3].id, designs[3].id);
  EXPECT_EQ(designs[0].id.size(), 16U);
}

TEST(Expand, ZipPairsValuesAndRefusesUnequalLengths) {
  auto spec = small_spec();
  SweepBlock block;
  block.mode = SweepBlock::Mode::zip;
  block.axes.push_back(
      {{"cathode", "components", "CAM", "fraction"}, {text("60 wt%"), text("80 wt%")}, {}});
  block.axes.push_back({{"separator", "material"}, {text("SE"), text("SE2")}, {}});
  spec.sweeps = {block};
  EXPECT_EQ(expand(spec).size(), 2U);
  spec.sweeps[0].axes[1].values.push_back(text("SE"));
  EXPECT_NE(error_of(spec).find("zip sweep axes differ in length"), std::string::npos);
}

TEST(Expand, BalanceAndVolumeFractions) {
  auto spec = small_spec();
  const auto designs = expand(spec);
  EXPECT_NEAR(designs[0].cell.cathode.components[1].fraction, 0.3, 1e-15);
  spec.inputs[{"cathode", "components", "CAM", "fraction"}] = text("80 vol%");
  spec.inputs[{"cathode", "components", "SE", "fraction"}] = text("30 vol%");
  EXPECT_NE(error_of(spec).find("volume fractions sum to 1.1"), std::string::npos);
}

TEST(Expand, ErrorsNameKeyAndFix) {
  auto spec = small_spec();
  spec.inputs[{"cathode", "porosty"}] = number(0.2);
  EXPECT_NE(error_of(spec).find("did you mean 'porosity'"), std::string::npos);
  spec = small_spec();
  spec.inputs[{"separator", "thickness"}] = number(30);
  const auto bare = error_of(spec);
  EXPECT_NE(bare.find("key 'separator.thickness'"), std::string::npos) << bare;
  EXPECT_NE(bare.find("must be a value with its unit"), std::string::npos) << bare;
  spec = small_spec();
  spec.inputs[{"separator", "material"}] = text("SE3");
  EXPECT_NE(error_of(spec).find("unknown material 'SE3'"), std::string::npos);
}

TEST(Expand, SeedsAreCommonRandomNumbers) {
  // The structure seed depends on the study seed and the replicate only: every design of a sweep
  // (structural or not) draws the same random numbers.
  auto spec = small_spec();
  SweepBlock block;
  block.axes.push_back({{"separator", "thickness"}, {text("20 um"), text("40 um")}, {}});
  block.axes.push_back(
      {{"cathode", "components", "CAM", "fraction"}, {text("60 wt%"), text("80 wt%")}, {}});
  spec.sweeps = {block};
  const auto designs = expand(spec);
  ASSERT_EQ(designs.size(), 4U);
  for (const auto& d : designs) EXPECT_EQ(d.seed, structure_seed(7, 0));
  spec.seed = 8;
  EXPECT_NE(expand(spec).front().seed, designs.front().seed);
}

TEST(Expand, ReplicatesRepeatEveryPointWithTheirOwnSeed) {
  auto spec = small_spec();
  spec.replicates = 3;
  SweepBlock block;
  block.axes.push_back({{"separator", "material"}, {text("SE"), text("SE2")}, {}});
  spec.sweeps = {block};
  const auto designs = expand(spec);
  ASSERT_EQ(designs.size(), 6U);
  std::set<std::string> ids;
  std::set<std::uint64_t> seeds;
  for (std::size_t i = 0; i < designs.size(); ++i) {
    EXPECT_EQ(designs[i].point, i / 3);
    EXPECT_EQ(designs[i].replicate, i % 3);
    EXPECT_EQ(designs[i].seed, structure_seed(7, i % 3));
    ids.insert(designs[i].id);
    seeds.insert(designs[i].seed);
  }
  EXPECT_EQ(ids.size(), 6U);
  EXPECT_EQ(seeds.size(), 3U);
  // One replicate alone (a design.toml) has the id and seed it had in the whole study.
  spec.only_replicate = 2;
  const auto alone = expand(spec);
  ASSERT_EQ(alone.size(), 2U);
  EXPECT_EQ(alone[0].id, designs[2].id);
  EXPECT_EQ(alone[1].seed, designs[5].seed);
}

TEST(Expand, RefusesMoreDesignsThanTheLimitBeforeBuildingThem) {
  auto spec = small_spec();
  SweepBlock block;
  std::vector<InputValue> many(1000, text("30 um"));
  for (const char* key : {"thickness", "porosity", "material"}) {
    block.axes.push_back({{"separator", key}, many, {"study.toml", 9, 1}});
  }
  spec.sweeps = {block};  // 10^9 designs
  const std::string message = error_of(spec);
  EXPECT_NE(message.find("more than 100000 designs"), std::string::npos) << message;
  EXPECT_NE(message.find("study.toml:9:1"), std::string::npos) << message;
}

TEST(KeyPath, QuotedSegmentsRoundTrip) {
  const KeyPath path = parse_key_path("cathode.components.\"1.4Li2O-0.75ZrCl4\".fraction");
  ASSERT_EQ(path.size(), 4U);
  EXPECT_EQ(path[2], "1.4Li2O-0.75ZrCl4");
  EXPECT_EQ(key_path_text(path), "cathode.components.\"1.4Li2O-0.75ZrCl4\".fraction");
  EXPECT_THROW((void)parse_key_path("a..b"), core::InputError);
}

class MemorySink final : public ResultSink {
 public:
  std::optional<DesignResult> load_complete(const Design& design) const override {
    std::lock_guard lock(mutex_);
    for (const auto& r : stored_) {
      if (r.id == design.id) return r;
    }
    return std::nullopt;
  }
  void write(const Design&, const DesignResult& result) override {
    std::lock_guard lock(mutex_);
    stored_.push_back(result);
  }
  std::size_t writes() const { return stored_.size(); }

 private:
  mutable std::mutex mutex_;
  std::vector<DesignResult> stored_;
};

class FailOnSe2 final : public Stage {
 public:
  std::string_view name() const override { return "fail_on_se2"; }
  void run(const Design& design, DesignResult& result) const override {
    if (design.cell.separator.material == "SE2") throw core::InputError("SE2 is refused");
    result.scalars["Answer [-]"] = 42.0;
  }
};

TEST(Runner, FailedDesignIsRecordedAndTheSweepGoesOn) {
  auto spec = small_spec();
  SweepBlock block;
  block.axes.push_back({{"separator", "material"}, {text("SE"), text("SE2"), text("SE")}, {}});
  block.axes[0].values[2] = text("SE");
  block.axes.push_back({{"cathode", "porosity"}, {number(0.1), number(0.2)}, {}});
  spec.sweeps = {block};
  EXPECT_THROW((void)expand(spec), core::InputError);  // the same design twice
  spec.sweeps[0].axes[0].values.pop_back();
  const auto designs = expand(spec);
  MemorySink sink;
  const StageList stages{design_calculator_stage(), std::make_shared<FailOnSe2>()};
  const auto summary = run(designs, stages, sink, {.jobs = 2});
  ASSERT_EQ(summary.results.size(), 4U);
  EXPECT_EQ(summary.failed, 2U);
  EXPECT_EQ(summary.results[2].status, DesignStatus::failed);
  EXPECT_NE(summary.results[2].reason.find("fail_on_se2: SE2 is refused"), std::string::npos);
  EXPECT_TRUE(summary.results[2].scalars.empty());
  EXPECT_EQ(summary.results[0].scalars.at("Answer [-]"), 42.0);
  EXPECT_GT(summary.results[0].scalars.at("Specific energy [W.h.kg-1]"), 0.0);
  // Resume: nothing is computed again.
  const auto again = run(designs, stages, sink, {.jobs = 2, .resume = true});
  EXPECT_EQ(again.resumed, 4U);
  EXPECT_EQ(sink.writes(), 4U);
}

/// Records the OpenMP thread count a design's own parallel regions get.
class RecordOpenmpThreads final : public Stage {
 public:
  std::string_view name() const override { return "record_openmp_threads"; }
  void run(const Design&, DesignResult& result) const override {
    int team = 0;
#pragma omp parallel
    {
#pragma omp single
      team = omp_get_num_threads();
    }
    result.scalars["OpenMP threads [-]"] = omp_get_max_threads();
    result.scalars["OpenMP team [-]"] = team;
  }
};

/// Holds each design until `count` designs have arrived, so that two designs are surely running
/// side by side in the stages between two such stages.
class Rendezvous final : public Stage {
 public:
  Rendezvous(std::string name, int count) : name_(std::move(name)), count_(count) {}
  std::string_view name() const override { return name_; }
  void run(const Design&, DesignResult&) const override {
    std::unique_lock lock(mutex_);
    ++arrived_;
    cv_.notify_all();
    if (!cv_.wait_for(lock, std::chrono::seconds(20), [&] { return arrived_ >= count_; })) {
      throw core::InputError("the designs did not run side by side");
    }
  }

 private:
  std::string name_;
  int count_;
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  mutable int arrived_ = 0;
};

TEST(Runner, AMissingResultMakesTheDesignPartialWithItsReason) {
  // A stage that could not compute a result it was asked for lists it as missing: the design is
  // partial (never ok), keeps its other results, and its reason names the result and why.
  class MissingStage final : public Stage {
   public:
    [[nodiscard]] std::string_view name() const override { return "cell"; }
    void run(const Design& /*design*/, DesignResult& result) const override {
      result.scalars["Energy [W.h]"] = 1.0;
      result.missing["Capacity at 2C [mA.h.g-1]"] = "no consistent start at 2C";
    }
  };
  const auto designs = expand(small_spec());
  const DesignResult r = run_design(designs.front(), {std::make_shared<MissingStage>()});
  EXPECT_EQ(r.status, DesignStatus::partial);
  EXPECT_EQ(r.scalars.at("Energy [W.h]"), 1.0);
  EXPECT_EQ(r.reason,
            "1 result not computed: Capacity at 2C [mA.h.g-1]: no consistent start at 2C");
}

TEST(Runner, OpenmpThreadsAreSharedBetweenRunningDesigns) {
  EXPECT_EQ(openmp_threads_per_design(1, 8), 8U);
  EXPECT_EQ(openmp_threads_per_design(2, 8), 4U);
  EXPECT_EQ(openmp_threads_per_design(3, 8), 2U);
  EXPECT_EQ(openmp_threads_per_design(2, 2), 1U);
  EXPECT_EQ(openmp_threads_per_design(4, 2), 1U);  // never zero
  EXPECT_EQ(openmp_threads_per_design(0, 2), 2U);

  auto spec = small_spec();
  SweepBlock block;
  block.axes.push_back({{"cathode", "porosity"}, {number(0.1), number(0.2)}, {}});
  spec.sweeps = {block};
  const auto designs = expand(spec);
  const int before = omp_get_max_threads();
  // T for the runs below: not the default a new thread would get (the cores), so the test sees
  // whether the runner set the threads of its workers.
  const int t = 2 * omp_get_num_procs() + 2;
  omp_set_num_threads(t);
  // Two designs side by side (both between the two rendezvous): T/2 threads each, also inside a
  // parallel region.
  const StageList side_by_side{std::make_shared<Rendezvous>("meet", 2),
                               std::make_shared<RecordOpenmpThreads>(),
                               std::make_shared<Rendezvous>("part", 2)};
  MemorySink two_at_a_time;
  for (const auto& r : run(designs, side_by_side, two_at_a_time, {.jobs = 2}).results) {
    ASSERT_EQ(r.status, DesignStatus::ok) << r.reason;
    EXPECT_EQ(r.scalars.at("OpenMP threads [-]"), t / 2);
    EXPECT_LE(r.scalars.at("OpenMP team [-]"), t / 2);
  }
  // One design at a time gets all T; the caller's own setting is left as it was.
  const StageList alone{std::make_shared<RecordOpenmpThreads>()};
  MemorySink one_at_a_time;
  for (const auto& r : run(designs, alone, one_at_a_time, {.jobs = 1}).results) {
    EXPECT_EQ(r.scalars.at("OpenMP threads [-]"), t);
  }
  EXPECT_EQ(omp_get_max_threads(), t);
  omp_set_num_threads(before);
}

}  // namespace
}  // namespace cathodelab::study
