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

/// How to analyse: the one code path of the study's analysis stage (defaults) and of
/// `cathodelab analyze` (its flags).
struct AnalysisOptions {
  microstructure::MorphologyOptions morphology;
  /// Axes of the effective-conductivity solves, in this order (the stage: through the thickness).
  std::vector<core::Axis> axes{core::Axis::z};
  /// High contrast (carbon 1e4 S/m next to an oxide at 0.1 S/m) needs more CG iterations than
  /// the solver's default limit. A solve that stops short is reported, never thrown.
  transport::ConductivityOptions solve{.max_iterations = 3000, .throw_on_failure = false};
  /// [S/m] phases below it are insulators in the networks (network_conductivity()).
  double conductivity_floor = minimum_network_conductivity;
};

/// What the analysis measured (the payload of the stage, as std::shared_ptr<const AnalysisResult>).
struct AnalysisResult {
  LabelConductivities conductivities;
  microstructure::MorphologySummary morphology;
  /// The whole morphology (networks' connection classes, per-particle records, histograms).
  std::shared_ptr<const microstructure::Morphology> details;
  double ionic_spanning_fraction = 0.0;       ///< [-] of the ionic network, along z
  double electronic_spanning_fraction = 0.0;  ///< [-] of the electronic network, along z
  /// Active area of the utilizable active-material particles per box volume [1/m].
  double utilizable_active_area = 0.0;
  transport::EffectiveConductivity ionic;       ///< along z (through the thickness), when solved
  transport::EffectiveConductivity electronic;  ///< along z, when solved
  /// Every solve, in AnalysisOptions::axes order.
  std::vector<transport::EffectiveConductivity> ionic_by_axis;
  std::vector<transport::EffectiveConductivity> electronic_by_axis;
  /// The effective properties homogenize() takes.
  [[nodiscard]] EffectiveCathodeProperties effective_properties() const;
};

/// Runs morphology and the conductivity solves of both networks along the requested axes (pure; a
/// network without any conducting voxel is a result: sigma_eff = 0, percolates = false).
/// Conductivities below the floor count as 0 (network_conductivity()); AnalysisResult::
/// conductivities holds the values used. The study's analysis stage and `cathodelab analyze` both
/// call it.
[[nodiscard]] AnalysisResult analyze(const microstructure::Microstructure& structure,
                                     const LabelConductivities& conductivities,
                                     const AnalysisOptions& options = {});

/// The stage (applies when the design has a [microstructure] section; it reads the payload of the
/// microstructure stage).
[[nodiscard]] std::shared_ptr<const Stage> analysis_stage();

/// The analysis a previous stage left in `result`, or null.
[[nodiscard]] std::shared_ptr<const AnalysisResult> analysis_payload(const DesignResult& result);

}  // namespace cathodelab::study
