#include "policy/view_policy.h"

#include <gtest/gtest.h>

namespace cp::policy {
namespace {

using domain::Role;
using domain::RoleSet;

constexpr char kOwn[] = "LA-NORTH";
constexpr char kOther[] = "LA-SOUTH";

// Every role x {shielded, not} x {own authority, other}: the expected level, written out
// independently of the rule table.
TEST(ViewPolicyTest, DecisionTable) {
  struct Row {
    Role role;
    bool shielded;
    bool own_authority;
    ViewLevel expected;
  };
  const Row rows[] = {
      {Role::kPractitioner, false, true, ViewLevel::kFull},
      {Role::kPractitioner, true, true, ViewLevel::kShielded},
      {Role::kPractitioner, true, false, ViewLevel::kShielded},
      {Role::kShielder, false, false, ViewLevel::kFull},
      {Role::kShielder, true, true, ViewLevel::kShielded},
      {Role::kManagement, false, false, ViewLevel::kFull},
      {Role::kManagement, true, true, ViewLevel::kFull},
      {Role::kManagement, true, false, ViewLevel::kShielded},
      {Role::kBreakGlass, false, false, ViewLevel::kFull},
      {Role::kBreakGlass, true, true, ViewLevel::kShielded},  // Without a live grant.
      {Role::kBreakGlass, true, false, ViewLevel::kShielded},
      {Role::kDpo, false, true, ViewLevel::kFull},
      {Role::kDpo, true, true, ViewLevel::kShielded},
      {Role::kAdministrator, false, true, ViewLevel::kNone},
      {Role::kAdministrator, true, true, ViewLevel::kNone},
      {Role::kDataSource, false, true, ViewLevel::kNone},
      {Role::kDataSource, true, true, ViewLevel::kNone},
  };
  for (const Row& row : rows) {
    Viewer viewer{RoleSet{row.role}, kOwn};
    RecordFacts record{row.shielded, row.own_authority ? kOwn : kOther};
    EXPECT_EQ(Decide(viewer, record), row.expected)
        << domain::RoleName(row.role) << " shielded=" << row.shielded
        << " own=" << row.own_authority;
  }
}

// Break Glass: the full view of exactly the record the live grant names, for the role
// break_glass only; a shielded view of every other shielded record.
TEST(ViewPolicyTest, BreakGlassGrantOpensThatRecordOnly) {
  struct Row {
    Role role;
    int64_t grant_child;
    int64_t record;
    bool own_authority;
    ViewLevel expected;
  };
  const Row rows[] = {
      {Role::kBreakGlass, 7, 7, false, ViewLevel::kFull},
      {Role::kBreakGlass, 7, 7, true, ViewLevel::kFull},
      {Role::kBreakGlass, 7, 8, true, ViewLevel::kShielded},
      {Role::kBreakGlass, 0, 0, true, ViewLevel::kShielded},  // Search: no record id.
      {Role::kBreakGlass, 7, 0, true, ViewLevel::kShielded},
      {Role::kPractitioner, 7, 7, true, ViewLevel::kShielded},
      {Role::kShielder, 7, 7, true, ViewLevel::kShielded},
      {Role::kDpo, 7, 7, true, ViewLevel::kShielded},
      {Role::kManagement, 7, 7, false, ViewLevel::kShielded},
      {Role::kAdministrator, 7, 7, true, ViewLevel::kNone},
  };
  for (const Row& row : rows) {
    Viewer viewer{RoleSet{row.role}, kOwn, row.grant_child};
    RecordFacts record{true, row.own_authority ? kOwn : kOther, row.record};
    EXPECT_EQ(Decide(viewer, record), row.expected)
        << domain::RoleName(row.role) << " grant=" << row.grant_child << " record=" << row.record;
  }
  // The search index's question (no record id) never opens hidden fields through a grant.
  EXPECT_FALSE(
      CanSeeHiddenFields(Viewer{RoleSet{Role::kBreakGlass}, kOwn, 7}, RecordFacts{true, kOther}));
}

TEST(ViewPolicyTest, DenyByDefault) {
  EXPECT_EQ(Decide(Viewer{RoleSet{}, kOwn}, RecordFacts{false, kOwn}), ViewLevel::kNone);
  // Management with no authority recorded gets no own-authority rights.
  EXPECT_EQ(Decide(Viewer{RoleSet{Role::kManagement}, ""}, RecordFacts{true, ""}),
            ViewLevel::kShielded);
}

TEST(ViewPolicyTest, HiddenFieldsFollowTheDecision) {
  Viewer practitioner{RoleSet{Role::kPractitioner}, kOwn};
  Viewer manager{RoleSet{Role::kManagement}, kOwn};
  EXPECT_FALSE(CanSeeHiddenFields(practitioner, RecordFacts{true, kOwn}));
  EXPECT_TRUE(CanSeeHiddenFields(practitioner, RecordFacts{false, kOwn}));
  EXPECT_TRUE(CanSeeHiddenFields(manager, RecordFacts{true, kOwn}));
  EXPECT_FALSE(CanSeeHiddenFields(manager, RecordFacts{true, kOther}));
}

domain::ChildRecord ShieldedRecord() {
  domain::ChildRecord r;
  r.uin =
      *domain::Uin::Parse("1000000000" + std::string(1, domain::Uin::CheckCharacter("1000000000")));
  r.name = {"Amelia", "Stone", {}};
  r.former_names.push_back({"Amelia", "Birthname", {}});
  r.known_as.push_back({"Millie", "Stone", {}});
  r.gender = domain::Gender::kFemale;
  r.date_of_birth = *Date::Parse("2016-02-03");
  r.address = {
      domain::AddressStatus::kCurrent, "7 Hidden Lane", "", "Secrettown", "ZZ1 1ZZ", {}, {}};
  r.carers.push_back({"Carer Person", "mother", "07700 900000", "", {}});
  r.education = domain::EducationSetting{"Hidden School", std::nullopt, {}};
  r.gp = domain::GpPractice{"Hidden Surgery", "01632 960000", {}};
  r.involvements.push_back({1,
                            "social_care",
                            "Sally Worker",
                            "Northshire",
                            "",
                            "",
                            {},
                            {},
                            true,
                            false,
                            domain::SensitiveBasis::kNone,
                            {}});
  r.responsible_authority = kOwn;
  r.shielded = true;
  return r;
}

TEST(ViewPolicyTest, ShieldedViewCarriesOnlyTheAllowedItems) {
  auto view = MakeView(ShieldedRecord(), ViewLevel::kShielded);
  ASSERT_TRUE(view.has_value());
  const auto* shielded = std::get_if<ShieldedChildView>(&*view);
  ASSERT_NE(shielded, nullptr);
  EXPECT_EQ(shielded->family_name, "Stone");
  EXPECT_EQ(shielded->gender, "female");
  EXPECT_EQ(shielded->date_of_birth, "2016-02-03");
  EXPECT_NE(shielded->notice.find("broker"), std::string::npos);
}

TEST(ViewPolicyTest, FullViewCarriesEverything) {
  auto view = MakeView(ShieldedRecord(), ViewLevel::kFull);
  const auto* full = std::get_if<FullChildView>(&*view);
  ASSERT_NE(full, nullptr);
  EXPECT_EQ(full->address.postcode, "ZZ1 1ZZ");
  EXPECT_EQ(full->former_names.at(0).family_name, "Birthname");
  EXPECT_EQ(full->known_as.at(0).given_names, "Millie");
  EXPECT_EQ(full->carers.at(0).name, "Carer Person");
  EXPECT_EQ(full->education->name, "Hidden School");
  EXPECT_EQ(full->gp->name, "Hidden Surgery");
  EXPECT_EQ(full->involvements.at(0).service_label, "Children's social care");
  EXPECT_TRUE(full->shielded);
}

TEST(ViewPolicyTest, NoneIsNothing) {
  EXPECT_FALSE(MakeView(ShieldedRecord(), ViewLevel::kNone).has_value());
}

}  // namespace
}  // namespace cp::policy

#include "policy/access_reasons.h"

namespace cp::policy {
namespace {

TEST(AccessReasonTest, KnownCodesPassOtherNeedsText) {
  for (const auto& r : AllAccessReasons()) {
    EXPECT_EQ(ValidateAccessReason(r.code, "").ok(), !r.needs_text) << r.code;
    EXPECT_TRUE(ValidateAccessReason(r.code, "Explained here").ok()) << r.code;
  }
  EXPECT_EQ(ValidateAccessReason("curiosity", "").field(), "reason");
  EXPECT_EQ(ValidateAccessReason("", "").field(), "reason");
  EXPECT_EQ(ValidateAccessReason("other", "   ").field(), "reason_text");
  EXPECT_EQ(ValidateAccessReason("assessment", std::string(501, 'x')).field(), "reason_text");
}

}  // namespace
}  // namespace cp::policy
