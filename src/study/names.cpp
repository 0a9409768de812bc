// Display names of the study's enums (material roles, design statuses), as written in outputs.
#include "cathodelab/study/material_data.hpp"
#include "cathodelab/study/result.hpp"

namespace cathodelab::study {

std::string_view role_name(MaterialRole role) {
  switch (role) {
    case MaterialRole::active:
      return "active";
    case MaterialRole::electrolyte:
      return "electrolyte";
    case MaterialRole::conductive_additive:
      return "conductive additive";
    case MaterialRole::binder:
      return "binder";
    case MaterialRole::coating:
      return "coating";
    case MaterialRole::anode:
      return "anode";
    case MaterialRole::collector:
      return "collector";
    case MaterialRole::other:
      return "other";
  }
  return "other";
}

std::string_view status_name(DesignStatus status) {
  switch (status) {
    case DesignStatus::ok:
      return "ok";
    case DesignStatus::partial:
      return "partial";
    case DesignStatus::failed:
      return "failed";
    case DesignStatus::skipped:
      return "skipped";
  }
  return "failed";
}

DesignStatus status_from_name(std::string_view name) {
  for (const auto status :
       {DesignStatus::ok, DesignStatus::partial, DesignStatus::failed, DesignStatus::skipped}) {
    if (status_name(status) == name) return status;
  }
  return DesignStatus::failed;
}

}  // namespace cathodelab::study
