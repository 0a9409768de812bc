// The labelled voxel image with its phase table and optional particle-id map (microstructure.hpp).
#include "cathodelab/microstructure/microstructure.hpp"

#include "cathodelab/core/error.hpp"

#include <utility>

namespace cathodelab::microstructure {

Microstructure::Microstructure(core::Array3<Label> labels, std::vector<Phase> phases)
    : labels_(std::move(labels)), phases_(std::move(phases)) {
  for (const Label label : labels_.values()) {
    if (label >= phases_.size()) {
      throw core::InputError("label " + std::to_string(label) + " has no phase", "phases",
                             "add a phase for every label in the image");
    }
  }
}

void Microstructure::set_particle_ids(core::Array3<ParticleId> ids) {
  CATHODELAB_REQUIRE(ids.grid() == labels_.grid(), "particle id map must match the label grid");
  particle_ids_ = std::move(ids);
}

std::vector<double> Microstructure::volume_fractions() const {
  std::vector<std::size_t> counts(phases_.size(), 0);
  for (const Label label : labels_.values()) {
    ++counts[label];
  }
  std::vector<double> fractions(counts.size(), 0.0);
  const double total = static_cast<double>(labels_.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    fractions[i] = total > 0 ? static_cast<double>(counts[i]) / total : 0.0;
  }
  return fractions;
}

}  // namespace cathodelab::microstructure
