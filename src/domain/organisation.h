// Organisations whose staff use ContactPoint, and the local authority areas they belong to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace cp::domain {

enum class OrganisationType : uint8_t {
  kLocalAuthority = 0,
  kSchool,
  kHealth,
  kPolice,
  kProbation,
  kVoluntary,
  kNationalPartner,
};

inline constexpr OrganisationType kAllOrganisationTypes[] = {
    OrganisationType::kLocalAuthority, OrganisationType::kSchool,    OrganisationType::kHealth,
    OrganisationType::kPolice,         OrganisationType::kProbation, OrganisationType::kVoluntary,
    OrganisationType::kNationalPartner};

// "local_authority", "school", "health", "police", "probation", "voluntary", "national_partner".
std::string_view OrganisationTypeName(OrganisationType type);
std::optional<OrganisationType> ParseOrganisationType(std::string_view name);

struct Organisation {
  int64_t id = 0;  // Assigned by the store.
  // Short stable code, e.g. "LA-SUF" or "SCH-1234": upper-case letters, digits and hyphens.
  std::string code;
  std::string name;
  OrganisationType type = OrganisationType::kLocalAuthority;
  // The code of the local authority area the organisation belongs to. For a local authority
  // this is its own code.
  std::string local_authority_code;
  // Comma-separated CIDR networks its users may connect from; empty means no restriction.
  std::string allowed_networks;
  bool active = true;
};

// Checks the fields a user can type (code, name, area code); names the bad field.
Status ValidateOrganisation(const Organisation& org);

}  // namespace cp::domain
