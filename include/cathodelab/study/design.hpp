// One point of a study: its resolved inputs, immutable, identified by a content hash.
//
// The id is the FNV-1a 64-bit hash (hex) of the canonical text of the design's inputs (every leaf
// "key = value" line in key order, plus the study seed, the replicate when there are several, and
// the numbers of the materials it uses), so the same inputs give the same id on every machine and
// in every run, and a changed material number gives a new id.
//
// Common random numbers: the seed of a design's random streams (the microstructure's packing)
// derives from the study seed and the replicate index only, never from the other inputs. A sweep
// therefore draws every design from the same random numbers: a key that does not shape the
// cathode (pressure, collectors, anode, separator, temperature, protocol) leaves the structure
// byte-identical, and a key that does shape it changes it through that key alone, not through
// fresh packing noise. `study.replicates = N` repeats every design point with N seeds so that the
// noise itself can be seen (mean and spread per result).
#pragma once

#include "cathodelab/microstructure/generation_spec.hpp"
#include "cathodelab/study/design_calculator.hpp"
#include "cathodelab/study/study_spec.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cathodelab::study {

struct Design {
  std::string id;              ///< 16 hex digits
  std::size_t index = 0;       ///< position in the expansion order
  std::size_t point = 0;       ///< the sweep point (replicates of one point share it)
  std::size_t replicate = 0;   ///< 0 .. study.replicates - 1
  std::size_t replicates = 1;  ///< study.replicates
  std::string study_name;
  std::uint64_t study_seed = 0;  ///< [study] seed
  std::uint64_t seed = 0;        ///< structure_seed(study seed, replicate): common random numbers
  /// The swept keys and this design's values, in sweep order ("separator.material", "Li3InCl6").
  std::vector<std::pair<std::string, std::string>> swept;
  InputTree inputs;              ///< the full input with the swept values applied
  CellDesign cell;               ///< validated, SI
  CalculatorResult calculation;  ///< the design calculator's numbers, computed once at expansion
  /// The microstructure recipe resolved once at expansion (generation_spec), when the design has
  /// a [microstructure] section.
  std::optional<microstructure::GenerationSpec> generation;
  std::shared_ptr<const MaterialTable> materials;
};

/// The most designs one study may expand to (sweep points times replicates); more is refused
/// before anything is allocated.
inline constexpr std::size_t max_designs = 100000;

/// The seed of a design's random streams: the study seed mixed with the replicate index only.
[[nodiscard]] std::uint64_t structure_seed(std::uint64_t study_seed, std::size_t replicate);

/// The design calculator's input for a resolved cell and its materials.
[[nodiscard]] CalculatorInput calculator_input(const CellDesign& cell,
                                               const MaterialTable& materials);

/// Applies the sweeps and resolves every design (in a deterministic order: sweep blocks in order,
/// the last axis varying fastest). Throws InputError for an invalid swept value, with its position.
[[nodiscard]] std::vector<Design> expand(const StudySpec& spec);

/// The design for one input tree (no sweep), as `expand` makes it.
[[nodiscard]] Design make_design(const StudySpec& spec, InputTree inputs, std::size_t index,
                                 std::vector<std::pair<std::string, std::string>> swept,
                                 std::size_t replicate = 0);

/// FNV-1a 64-bit hash of a text, as 16 lowercase hex digits.
[[nodiscard]] std::string content_hash(std::string_view text);

/// The canonical text the id hashes (also useful in tests and for debugging ids).
[[nodiscard]] std::string canonical_text(const InputTree& inputs, std::uint64_t seed,
                                         const MaterialTable& used_materials,
                                         std::size_t replicate = 0, std::size_t replicates = 1);

}  // namespace cathodelab::study
