#include "domain/role.h"

namespace cp::domain {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPractitioner:
      return "practitioner";
    case Role::kShielder:
      return "shielder";
    case Role::kManagement:
      return "management";
    case Role::kBreakGlass:
      return "break_glass";
    case Role::kDpo:
      return "dpo";
    case Role::kAdministrator:
      return "administrator";
    case Role::kDataSource:
      return "data_source";
    case Role::kArchiveReader:
      return "archive_reader";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : kAllRoles) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

RoleSet RoleSet::FromBits(uint32_t bits) {
  RoleSet set;
  for (Role r : kAllRoles) {
    if ((bits & Bit(r)) != 0) set.Add(r);
  }
  return set;
}

std::vector<std::string> RoleSet::Names() const {
  std::vector<std::string> out;
  for (Role r : kAllRoles) {
    if (Has(r)) out.emplace_back(RoleName(r));
  }
  return out;
}

}  // namespace cp::domain
