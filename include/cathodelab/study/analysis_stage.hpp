// The analysis stage: a design's microstructure -> transport networks, morphology and effective
// conductivities through the thickness (microstructure::analyze_morphology after Bielefeld, Weber
// and Janek, J. Phys. Chem. C 123 (2019) 1626; transport::effective_conductivity, finite volumes
// with harmonic face means, tortuosity factor as in TauFactor, Cooper et al., SoftwareX 2016).
//
// Per-label conductivities come from the materials library at the design temperature (Arrhenius
// laws in the records): a phase gets its material's ionic and electronic conductivity (0 where the
// record has none), pores get 0, coatings their coating material's. Stoichiometry-dependent
// conductivities (layered oxides) are taken at half lithiation, x = 0.5 (clamped into the table).
// It runs when a microstructure payload exists and leaves an AnalysisResult payload that the cell
// stage hands to study::homogenize.
#pragma once

#include "cathodelab/microstructure/microstructure.hpp"
#include "cathodelab/microstructure/morphology.hpp"
#include "cathodelab/study/design.hpp"
#include "cathodelab/study/homogenize.hpp"
#include "cathodelab/study/stage.hpp"
#include "cathodelab/transport/effective_conductivity.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace cathodelab::study {

inline constexpr std::string_view analysis_stage_name = "analysis";

/// A phase conducts in a network only from this conductivity on [S/m]: below it (an electrolyte's
/// 1e-8 S/m of electronic leakage, an oxide's trace ionic conductivity) it is an insulator, so it
/// neither joins the network's clusters nor enters the solve, where a contrast of 1e10 and more
/// would only slow it down for a negligible current. `cathodelab analyze` (--min-conductivity)
/// and the analysis stage both apply it through network_conductivity().
inline constexpr double minimum_network_conductivity = 1e-6;

/// What a phase of conductivity `sigma` [S/m] contributes to a network: `sigma` when it is at
/// least `floor` [S/m], else 0 (an insulator).
[[nodiscard]] double network_conductivity(double sigma,
                                          double floor = minimum_network_conductivity);

struct LabelConductivities {
  std::vector<double> ionic;       ///< [S/m] index = label
  std::vector<double> electronic;  ///< [S/m] index = label
};

/// Conductivities of every label of `structure` for `design`'s materials at its temperature, as
/// they enter the networks (network_conductivity() applied). Throws InputError for a phase whose
/// material is unknown.
[[nodiscard]] LabelConductivities label_conductivities(
    const microstructure::Microstructure& structure, const Design& design);

/// What the analysis measured (the payload of the stage, as std::shared_ptr<const AnalysisResult>).
struct AnalysisResult {
  LabelConductivities conductivities;
  microstructure::MorphologySummary morphology;
  double ionic_spanning_fraction = 0.0;       ///< [-] of the ionic network, along z
  double electronic_spanning_fraction = 0.0;  ///< [-] of the electronic network, along z
  /// Active area of the utilizable active-material particles per box volume [1/m].
  double utilizable_active_area = 0.0;
  transport::EffectiveConductivity ionic;       ///< along z (through the thickness)
  transport::EffectiveConductivity electronic;  ///< along z
  /// The effective properties homogenize() takes.
  [[nodiscard]] EffectiveCathodeProperties effective_properties() const;
};

/// Runs morphology and both conductivity solves (pure; a network without any conducting voxel is a
/// result: sigma_eff = 0, percolates = false). Conductivities below minimum_network_conductivity
/// count as 0 (network_conductivity()); AnalysisResult::conductivities holds the values used.
[[nodiscard]] AnalysisResult analyze(const microstructure::Microstructure& structure,
                                     const LabelConductivities& conductivities);

/// The stage (applies when the design has a [microstructure] section; it reads the payload of the
/// microstructure stage).
[[nodiscard]] std::shared_ptr<const Stage> analysis_stage();

/// The analysis a previous stage left in `result`, or null.
[[nodiscard]] std::shared_ptr<const AnalysisResult> analysis_payload(const DesignResult& result);

}  // namespace cathodelab::study
