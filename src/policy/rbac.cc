#include "policy/rbac.h"

#include <initializer_list>

namespace cp::policy {
namespace {

using domain::Role;

struct Grant {
  Role role;
  std::initializer_list<Permission> permissions;
};

// The whole access table. Administrators and data sources see no child data (issue 2 §3).
const Grant kRoleGrants[] = {
    {Role::kPractitioner,
     {Permission::kSignedInHome, Permission::kSearchChildren, Permission::kViewChildRecord,
      Permission::kRequestShield, Permission::kRequestBrokering}},
    {Role::kShielder,
     {Permission::kSignedInHome, Permission::kSearchChildren, Permission::kViewChildRecord,
      Permission::kRequestShield, Permission::kApplyShield, Permission::kRequestBrokering}},
    {Role::kManagement,
     {Permission::kSignedInHome, Permission::kSearchChildren, Permission::kViewChildRecord,
      Permission::kRequestShield, Permission::kApplyShield, Permission::kManageShielding,
      Permission::kViewReports, Permission::kReadArchive, Permission::kManageRetention}},
    {Role::kBreakGlass,
     {Permission::kSignedInHome, Permission::kSearchChildren, Permission::kViewChildRecord,
      Permission::kRequestShield, Permission::kRequestBrokering, Permission::kUseBreakGlass}},
    {Role::kDpo,
     {Permission::kSignedInHome, Permission::kSearchChildren, Permission::kViewChildRecord,
      Permission::kRunDisclosure}},
    {Role::kAdministrator,
     {Permission::kSignedInHome, Permission::kManageUsers, Permission::kManageOrganisations}},
    {Role::kDataSource, {Permission::kSubmitFeed}},
    // Archived records only, with a child-protection or serious-case-review reason: no search.
    {Role::kArchiveReader, {Permission::kSignedInHome, Permission::kReadArchive}},
};

}  // namespace

bool IsGranted(const domain::RoleSet& roles, Permission permission) {
  for (const Grant& grant : kRoleGrants) {
    if (!roles.Has(grant.role)) continue;
    for (Permission p : grant.permissions) {
      if (p == permission) return true;
    }
  }
  return false;
}

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kSignedInHome:
      return "signed_in_home";
    case Permission::kSearchChildren:
      return "search_children";
    case Permission::kViewChildRecord:
      return "view_child_record";
    case Permission::kRequestShield:
      return "request_shield";
    case Permission::kApplyShield:
      return "apply_shield";
    case Permission::kManageShielding:
      return "manage_shielding";
    case Permission::kUseBreakGlass:
      return "use_break_glass";
    case Permission::kRequestBrokering:
      return "request_brokering";
    case Permission::kRunDisclosure:
      return "run_disclosure";
    case Permission::kManageUsers:
      return "manage_users";
    case Permission::kManageOrganisations:
      return "manage_organisations";
    case Permission::kSubmitFeed:
      return "submit_feed";
    case Permission::kViewReports:
      return "view_reports";
    case Permission::kReadArchive:
      return "read_archive";
    case Permission::kManageRetention:
      return "manage_retention";
  }
  return "unknown";
}

}  // namespace cp::policy
