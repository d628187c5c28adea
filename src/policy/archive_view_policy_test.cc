// The archive rules of the view policy (docs/retention.md): every role against an archived
// record, within and after the management read period, with and without an archive purpose,
// shielded or not; purged records are seen by nobody; live rules never reach archived records.
#include <gtest/gtest.h>

#include "policy/rbac.h"
#include "policy/view_policy.h"

namespace cp::policy {
namespace {

using domain::RecordState;
using domain::Role;
using domain::RoleSet;

constexpr char kOwn[] = "LA-NORTH";
constexpr char kOther[] = "LA-SOUTH";

RecordFacts Archived(bool shielded, bool own, bool within_period, bool purpose) {
  RecordFacts f{shielded, own ? kOwn : kOther, 7};
  f.state = RecordState::kArchived;
  f.within_management_read_period = within_period;
  f.archive_purpose = purpose;
  return f;
}

TEST(ArchiveViewPolicyTest, DecisionTable) {
  struct Row {
    Role role;
    bool shielded;
    bool own_authority;
    bool within_period;
    bool purpose;
    ViewLevel expected;
  };
  const Row rows[] = {
      // Management: own authority, during the year after archiving only.
      {Role::kManagement, false, true, true, false, ViewLevel::kFull},
      {Role::kManagement, true, true, true, false, ViewLevel::kFull},
      {Role::kManagement, false, true, false, false, ViewLevel::kNone},
      {Role::kManagement, false, true, false, true, ViewLevel::kNone},
      {Role::kManagement, false, false, true, false, ViewLevel::kNone},
      {Role::kManagement, true, false, true, true, ViewLevel::kNone},
      // The archive reader: with a purpose, at any age of the archive; shielded stays shielded.
      {Role::kArchiveReader, false, false, false, true, ViewLevel::kFull},
      {Role::kArchiveReader, false, true, true, true, ViewLevel::kFull},
      {Role::kArchiveReader, true, true, false, true, ViewLevel::kShielded},
      {Role::kArchiveReader, false, true, false, false, ViewLevel::kNone},
      // Every other role: nothing, whatever the facts.
      {Role::kPractitioner, false, true, true, true, ViewLevel::kNone},
      {Role::kShielder, false, true, true, true, ViewLevel::kNone},
      {Role::kBreakGlass, false, true, true, true, ViewLevel::kNone},
      {Role::kDpo, false, true, true, true, ViewLevel::kNone},
      {Role::kAdministrator, false, true, true, true, ViewLevel::kNone},
      {Role::kDataSource, false, true, true, true, ViewLevel::kNone},
  };
  for (const Row& row : rows) {
    Viewer viewer{RoleSet{row.role}, kOwn};
    EXPECT_EQ(
        Decide(viewer, Archived(row.shielded, row.own_authority, row.within_period, row.purpose)),
        row.expected)
        << domain::RoleName(row.role) << " shielded=" << row.shielded
        << " own=" << row.own_authority << " within=" << row.within_period
        << " purpose=" << row.purpose;
  }
}

TEST(ArchiveViewPolicyTest, BreakGlassGrantDoesNotOpenAnArchivedRecord) {
  Viewer viewer{RoleSet{Role::kBreakGlass}, kOwn, 7};
  EXPECT_EQ(Decide(viewer, Archived(true, true, true, true)), ViewLevel::kNone);
}

TEST(ArchiveViewPolicyTest, PurgedRecordsAreSeenByNobody) {
  for (Role role : domain::kAllRoles) {
    RecordFacts f = Archived(false, true, true, true);
    f.state = RecordState::kPurged;
    EXPECT_EQ(Decide(Viewer{RoleSet{role}, kOwn}, f), ViewLevel::kNone) << domain::RoleName(role);
  }
  RoleSet everything;
  for (Role role : domain::kAllRoles) everything.Add(role);
  RecordFacts f = Archived(false, true, true, true);
  f.state = RecordState::kPurged;
  EXPECT_EQ(Decide(Viewer{everything, kOwn}, f), ViewLevel::kNone);
}

TEST(ArchiveViewPolicyTest, TheArchiveReaderSeesNoLiveRecordAndCannotSearch) {
  Viewer viewer{RoleSet{Role::kArchiveReader}, kOwn};
  EXPECT_EQ(Decide(viewer, RecordFacts{false, kOwn}), ViewLevel::kNone);
  EXPECT_FALSE(IsGranted(viewer.roles, Permission::kSearchChildren));
  EXPECT_FALSE(IsGranted(viewer.roles, Permission::kViewChildRecord));
}

}  // namespace
}  // namespace cp::policy
