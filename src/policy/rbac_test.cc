#include "policy/rbac.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace cp::policy {
namespace {

using domain::Role;
using domain::RoleSet;
using P = Permission;

// The expected table, written out independently of rbac.cc: a change to either must be
// deliberate.
const std::map<Role, std::set<Permission>> kExpected = {
    {Role::kPractitioner,
     {P::kSignedInHome, P::kSearchChildren, P::kViewChildRecord, P::kRequestShield,
      P::kRequestBrokering}},
    {Role::kShielder,
     {P::kSignedInHome, P::kSearchChildren, P::kViewChildRecord, P::kRequestShield, P::kApplyShield,
      P::kRequestBrokering}},
    {Role::kManagement,
     {P::kSignedInHome, P::kSearchChildren, P::kViewChildRecord, P::kRequestShield, P::kApplyShield,
      P::kManageShielding, P::kViewReports, P::kReadArchive, P::kManageRetention}},
    {Role::kBreakGlass,
     {P::kSignedInHome, P::kSearchChildren, P::kViewChildRecord, P::kRequestShield,
      P::kRequestBrokering, P::kUseBreakGlass}},
    {Role::kDpo, {P::kSignedInHome, P::kSearchChildren, P::kViewChildRecord, P::kRunDisclosure}},
    {Role::kAdministrator, {P::kSignedInHome, P::kManageUsers, P::kManageOrganisations}},
    {Role::kDataSource, {P::kSubmitFeed}},
    {Role::kArchiveReader, {P::kSignedInHome, P::kReadArchive}},
};

TEST(RbacTest, EveryRoleAndPermissionMatchesTheTable) {
  for (Role role : domain::kAllRoles) {
    for (Permission p : kAllPermissions) {
      bool expected = kExpected.at(role).count(p) > 0;
      EXPECT_EQ(IsGranted(RoleSet{role}, p), expected)
          << domain::RoleName(role) << " / " << PermissionName(p);
    }
  }
}

TEST(RbacTest, DenyByDefaultForNoRoles) {
  for (Permission p : kAllPermissions) EXPECT_FALSE(IsGranted(RoleSet{}, p));
}

TEST(RbacTest, AdministratorsAndFeedsSeeNoChildData) {
  for (Role role : {Role::kAdministrator, Role::kDataSource}) {
    EXPECT_FALSE(IsGranted(RoleSet{role}, P::kSearchChildren));
    EXPECT_FALSE(IsGranted(RoleSet{role}, P::kViewChildRecord));
  }
}

TEST(RbacTest, RolesCombineByUnion) {
  RoleSet both{Role::kAdministrator, Role::kPractitioner};
  EXPECT_TRUE(IsGranted(both, P::kManageUsers));
  EXPECT_TRUE(IsGranted(both, P::kSearchChildren));
  EXPECT_FALSE(IsGranted(both, P::kManageShielding));
}

}  // namespace
}  // namespace cp::policy
