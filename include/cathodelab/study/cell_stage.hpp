// The cell stage: a design -> study::homogenize -> the P2D cell model (echem::simulate) under the
// design's [protocol] experiment sentences, plus an optional rate test.
//
// The effective properties come from the analysis stage when the design has a microstructure, and
// from Bruggeman estimates otherwise (texts "Effective property source" says which). Outputs:
//   table "Voltage curve": "Time [s]", "Voltage [V]", "Current [A]", "Discharge capacity [A.h]",
//     "Discharge capacity [mA.h.g-1]" (per active-material mass);
//   scalars "Discharge capacity [mA.h.g-1]", "Discharge capacity [mA.h.cm-2]", "Mean discharge
//     voltage [V]", "Energy [W.h]" (first cycle's discharge steps);
//   with protocol.rate_test = ["C/10", "1C", "5C"]: one fresh discharge from the charged state per
//     rate down to protocol.rate_test_cutoff (default "2.5 V"), scalars "Capacity at 1C
//     [mA.h.g-1]" (the rate as written), table "Rate capability" and one table
//     "Rate test at 1C" per rate (capacity and voltage).
// Honest results: a result asked for but not computed is listed in DesignResult::missing with its
// reason (the design is then "partial", never "ok"): an experiment or rate test whose solver
// failed (no consistent start, a failure inside a step: step, time and reason), and every cell
// result of a cathode the homogenized model cannot represent (a network that reaches active
// material but does not span the thickness: no through-thickness path to give the P2D, and no
// formula is put in its place). A cathode with no utilizable active material is a result:
// capacity 0 and the reason in texts "Cell result". In the rate test, a rate whose first IR drop
// crosses the cut-off gives capacity 0 (texts "Rate test at <rate>" says so). Steps that ended on a
// particle surface reaching its stoichiometry window before their cut-off are named in texts
// "Experiment step ends" and "Rate test at <rate>".
#pragma once

#include "cathodelab/study/stage.hpp"

#include <memory>
#include <string_view>

namespace cathodelab::study {

inline constexpr std::string_view cell_stage_name = "cell";

/// The stage (applies when the design has [protocol] experiment sentences or a rate test).
[[nodiscard]] std::shared_ptr<const Stage> cell_stage();

}  // namespace cathodelab::study
