// Permissions: the actions the product guards. Each endpoint asks the RBAC engine for exactly
// one permission before doing anything else.
#pragma once

#include <cstdint>
#include <string_view>

namespace cp::policy {

enum class Permission : uint8_t {
  kSignedInHome = 0,     // See the home page and one's own account.
  kSearchChildren,       // Search the directory.
  kViewChildRecord,      // Open a child's record (the view level is decided separately).
  kRequestShield,        // Raise a shielding request to a named person or management.
  kApplyShield,          // Shield a record directly (named person, management).
  kManageShielding,      // Reviews, unshield, shielding log: management only.
  kUseBreakGlass,        // Emergency override (with an active, approved right).
  kRequestBrokering,     // Ask management to broker shielded details.
  kRunDisclosure,        // Subject access disclosure report.
  kManageUsers,          // Create and edit accounts.
  kManageOrganisations,  // Create and edit organisations.
  kSubmitFeed,           // Send data-source feeds.
  kViewReports,          // Management reports for the own authority.
  kReadArchive,          // Read an archived record (the archive rules of view_policy.cc decide
                         // which; docs/retention.md).
  kManageRetention,      // Record a death, change a child's identity, read identity links.
};

inline constexpr Permission kAllPermissions[] = {
    Permission::kSignedInHome,  Permission::kSearchChildren,      Permission::kViewChildRecord,
    Permission::kRequestShield, Permission::kApplyShield,         Permission::kManageShielding,
    Permission::kUseBreakGlass, Permission::kRequestBrokering,    Permission::kRunDisclosure,
    Permission::kManageUsers,   Permission::kManageOrganisations, Permission::kSubmitFeed,
    Permission::kViewReports,   Permission::kReadArchive,         Permission::kManageRetention};

std::string_view PermissionName(Permission p);

}  // namespace cp::policy
