// Report section of the microstructure stage: per design, the x-y (mid-thickness) and x-z
// (through-thickness) slice pictures the result sink wrote into the design folder, embedded as
// data URIs, with the fixed phase colour legend and target against measured volume fraction per
// phase. A SectionBuilder for standard_section_builders() (study_report.hpp).
#pragma once

#include "cathodelab/report/study_report.hpp"

#include <vector>

namespace cathodelab::report {

/// At most this many designs get pictures, so the page stays a few megabytes at most.
inline constexpr std::size_t max_microstructure_designs = 12;

/// One section when any design folder holds slice_xy_mid.png and slice_xz_mid.png; else empty.
[[nodiscard]] std::vector<ReportSection> microstructure_sections(const ReportInput& input);

}  // namespace cathodelab::report
