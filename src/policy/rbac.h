// The role-based access control engine: deny by default, driven by one table.
//
// A permission is granted only if some role the user holds lists it in kRoleGrants (rbac.cc).
// Nothing else grants anything: an unknown role, an empty role set, or a permission missing
// from the table is a denial. The table is the single place to read who may do what; every
// row is pinned by a test (rbac_test.cc) so a change to it is a deliberate, reviewed act.
//
// Scope (own local authority, shielding, Break Glass grants) is decided by the record-view
// policy (view_policy.h), not here: RBAC answers only "may this role attempt this action".
// Pure and thread-safe.
#pragma once

#include "domain/role.h"
#include "policy/permission.h"

namespace cp::policy {

bool IsGranted(const domain::RoleSet& roles, Permission permission);

}  // namespace cp::policy
