// Report sections of the whole-path stages (microstructure, analysis, cell): voltage curves, rate
// capability and the transport numbers of each design. A SectionBuilder for
// standard_section_builders() (study_report.hpp).
#pragma once

#include "cathodelab/report/study_report.hpp"

#include <vector>

namespace cathodelab::report {

/// Sections for designs that ran the cell and/or analysis stages; empty when none did.
[[nodiscard]] std::vector<ReportSection> whole_path_sections(const ReportInput& input);

}  // namespace cathodelab::report
