#include "domain/organisation.h"

namespace cp::domain {

std::string_view OrganisationTypeName(OrganisationType type) {
  switch (type) {
    case OrganisationType::kLocalAuthority:
      return "local_authority";
    case OrganisationType::kSchool:
      return "school";
    case OrganisationType::kHealth:
      return "health";
    case OrganisationType::kPolice:
      return "police";
    case OrganisationType::kProbation:
      return "probation";
    case OrganisationType::kVoluntary:
      return "voluntary";
    case OrganisationType::kNationalPartner:
      return "national_partner";
  }
  return "unknown";
}

std::optional<OrganisationType> ParseOrganisationType(std::string_view name) {
  for (OrganisationType t : kAllOrganisationTypes) {
    if (OrganisationTypeName(t) == name) return t;
  }
  return std::nullopt;
}

namespace {
bool IsCode(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}
}  // namespace

Status ValidateOrganisation(const Organisation& org) {
  if (!IsCode(org.code)) {
    return Status::InvalidArgument("Enter a code of up to 32 capital letters, digits and hyphens",
                                   "code");
  }
  if (org.name.empty() || org.name.size() > 200) {
    return Status::InvalidArgument("Enter the organisation's name (up to 200 characters)", "name");
  }
  if (!IsCode(org.local_authority_code)) {
    return Status::InvalidArgument("Choose the local authority area", "local_authority_code");
  }
  if (org.type == OrganisationType::kLocalAuthority && org.local_authority_code != org.code) {
    return Status::InvalidArgument("A local authority's area is itself", "local_authority_code");
  }
  return Status::Ok();
}

}  // namespace cp::domain
