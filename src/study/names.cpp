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
    case DesignStatus::failed:
      return "failed";
    case DesignStatus::skipped:
      return "skipped";
  }
  return "failed";
}

}  // namespace cathodelab::study
