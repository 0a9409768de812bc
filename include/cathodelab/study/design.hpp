// One point of a study: its resolved inputs, immutable, identified by a content hash.
//
// The id is the FNV-1a 64-bit hash (hex) of the canonical text of the design's inputs (every leaf
// "key = value" line in key order, plus the study seed and the numbers of the materials it uses),
// so the same inputs give the same id on every machine and in every run, and a changed material
// number gives a new id.
#pragma once

#include "cathodelab/study/study_spec.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cathodelab::study {

struct Design {
  std::string id;         ///< 16 hex digits
  std::size_t index = 0;  ///< position in the expansion order
  std::string study_name;
  std::uint64_t study_seed = 0;  ///< [study] seed
  std::uint64_t seed = 0;        ///< study seed mixed with the design id
  /// The swept keys and this design's values, in sweep order ("separator.material", "Li3InCl6").
  std::vector<std::pair<std::string, std::string>> swept;
  InputTree inputs;  ///< the full input with the swept values applied
  CellDesign cell;   ///< validated, SI
  std::shared_ptr<const MaterialTable> materials;
};

/// Applies the sweeps and resolves every design (in a deterministic order: sweep blocks in order,
/// the last axis varying fastest). Throws InputError for an invalid swept value, with its position.
[[nodiscard]] std::vector<Design> expand(const StudySpec& spec);

/// The design for one input tree (no sweep), as `expand` makes it.
[[nodiscard]] Design make_design(const StudySpec& spec, InputTree inputs, std::size_t index,
                                 std::vector<std::pair<std::string, std::string>> swept);

/// FNV-1a 64-bit hash of a text, as 16 lowercase hex digits.
[[nodiscard]] std::string content_hash(std::string_view text);

/// The canonical text the id hashes (also useful in tests and for debugging ids).
[[nodiscard]] std::string canonical_text(const InputTree& inputs, std::uint64_t seed,
                                         const MaterialTable& used_materials);

}  // namespace cathodelab::study
