// Stages: the steps a design goes through (design calculator now; microstructure, transport,
// homogenization and the cell model later). Each stage is a pure function of the design and of the
// results of earlier stages, so the runner can run designs in parallel and stages plug in without
// the runner changing: add a class deriving from Stage in src/study/ and append it in
// `standard_stages()`.
#pragma once

#include "cathodelab/study/design.hpp"
#include "cathodelab/study/design_calculator.hpp"
#include "cathodelab/study/result.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace cathodelab::study {

class Stage {
 public:
  virtual ~Stage() = default;
  /// Short stable name ("design", "microstructure"); keys the payload it leaves in the result.
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// Whether this design asks for the stage (e.g. only when [microstructure] is present).
  [[nodiscard]] virtual bool applies(const Design& /*design*/) const { return true; }
  /// Checks the inputs the stage reads, cheaply, without running (used by `cathodelab check` and
  /// before a run). Throws core::InputError.
  virtual void validate(const Design& /*design*/) const {}
  /// Adds scalars, tables, artifacts and payloads to `result`. Throws InputError or
  /// NumericalError to fail this design (the runner records the reason and goes on).
  virtual void run(const Design& design, DesignResult& result) const = 0;
};

using StageList = std::vector<std::shared_ptr<const Stage>>;

/// The pipeline in order. Later capabilities append their stages here.
[[nodiscard]] StageList standard_stages();

/// Validates every design against every applicable stage (throws the first InputError).
void validate(const std::vector<Design>& designs, const StageList& stages);

/// The design-calculator stage (also usable alone).
[[nodiscard]] std::shared_ptr<const Stage> design_calculator_stage();

/// Builds the calculator input of a design from its resolved cell and materials.
[[nodiscard]] CalculatorInput calculator_input(const Design& design);

}  // namespace cathodelab::study
