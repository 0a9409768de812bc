// The microstructure stage: a design's cathode recipe -> a generated voxel microstructure
// (microstructure::generate; packing after Jodrey and Tory, overlapping-sphere composites after
// Bielefeld et al., J. Phys. Chem. C 123 (2019) 1626).
//
// It runs when the design has a [microstructure] section. The recipe itself comes from [cathode]:
// the volume fraction of each component is the design calculator's (solid volume fraction times
// 1 - porosity), particle sizes are cathode.components.<key>.diameter, coatings are the components'
// coatings, the pores are the cathode porosity and the box is as thick as the cathode (or
// microstructure.thickness). The [microstructure] section only says how to draw it: box size,
// voxel size, per-component shapes. Keys and defaults: docs/input_reference.md.
// Default shapes: active material and other components with a diameter are spheres; the first
// electrolyte without a diameter fills the rest as a matrix; additives whose library record says
// "fibre" are fibres; pores sit at active-particle surfaces (cold pressing) when there is a
// matrix, else they are the remainder of the packing.
#pragma once

#include "cathodelab/microstructure/generate.hpp"
#include "cathodelab/microstructure/generation_spec.hpp"
#include "cathodelab/microstructure/microstructure.hpp"
#include "cathodelab/study/design.hpp"
#include "cathodelab/study/design_calculator.hpp"
#include "cathodelab/study/stage.hpp"

#include <memory>
#include <string_view>

namespace cathodelab::study {

/// Name of the stage and key of its payload (std::shared_ptr<const
/// microstructure::Microstructure>).
inline constexpr std::string_view microstructure_stage_name = "microstructure";

/// Key of the generation report the stage leaves next to the structure
/// (std::shared_ptr<const microstructure::GenerationReport>: targets, measured fractions, notes).
inline constexpr std::string_view generation_report_payload_name = "microstructure report";

/// The generation recipe of a design (pure; throws core::InputError with the key path).
[[nodiscard]] microstructure::GenerationSpec generation_spec(const Design& design,
                                                             const CalculatorResult& calculation);

/// The stage (applies when design.cell.microstructure is set).
[[nodiscard]] std::shared_ptr<const Stage> microstructure_stage();

/// The structure a previous microstructure stage left in `result`, or null.
[[nodiscard]] std::shared_ptr<const microstructure::Microstructure> microstructure_payload(
    const DesignResult& result);

/// The generation report a previous microstructure stage left in `result`, or null.
[[nodiscard]] std::shared_ptr<const microstructure::GenerationReport> generation_report_payload(
    const DesignResult& result);

}  // namespace cathodelab::study
