#include <gtest/gtest.h>

#include "policy/disclosure_policy.h"

namespace cp::policy {
namespace {

using domain::Role;

domain::ChildRecord ShieldedRecord() {
  domain::Provenance p{"VOL-NS-HAVEN", TimePoint{}};
  domain::ChildRecord r;
  r.uin =
      *domain::Uin::Parse("1000000000" + std::string(1, domain::Uin::CheckCharacter("1000000000")));
  r.name = {"Ruby", "Stone", p};
  r.former_names.push_back({"Ruby", "Marsh", p});
  r.known_as.push_back({"Rubes", "Stone", p});
  r.gender = domain::Gender::kFemale;
  r.date_of_birth = *Date::Parse("2019-05-01");
  r.core_provenance = p;
  r.address = {domain::AddressStatus::kCurrent,
               "Flat 3, 9 Willow Court",
               "Upper Lane",
               "Northtown",
               "NT2 5RB",
               {},
               p};
  r.carers.push_back({"Laura Stone", "mother", "07700 900733", "laura@example.org", p});
  r.education = domain::EducationSetting{"Willow Infants", *Date::Parse("2024-09-01"), p};
  r.gp = domain::GpPractice{"Birch Surgery", "01632 960 999", p};
  r.involvements.push_back({0,
                            "social_care",
                            "Sally Ward",
                            "Northshire County Council",
                            "01632 960 512",
                            "sally@example.org",
                            *Date::Parse("2026-09-01"),
                            {},
                            true,
                            false,
                            domain::SensitiveBasis::kNone,
                            p});
  r.responsible_authority = "LA-NORTHSHIRE";
  r.shielded = true;
  return r;
}

// Every hidden value of ShieldedRecord().
const char* const kHiddenValues[] = {"Marsh",
                                     "Rubes",
                                     "Willow Court",
                                     "Upper Lane",
                                     "Northtown",
                                     "NT2 5RB",
                                     "Laura",
                                     "07700 900733",
                                     "laura@example.org",
                                     "Willow Infants",
                                     "Birch Surgery",
                                     "01632 960 999",
                                     "Sally Ward",
                                     "01632 960 512",
                                     "sally@example.org",
                                     "Northshire County Council",
                                     "mother"};

std::string AllText(const DisclosureView& v) {
  std::string out;
  for (const auto& i : v.items) {
    out += i.section + "|" + i.label + "|" + i.value + "|" + i.source + "|" + i.updated_at + "\n";
  }
  return out;
}

TEST(DisclosureView, RequesterCopyOfAShieldedRecordWithholdsEveryHiddenField) {
  auto v = MakeDisclosureView(ShieldedRecord(), DisclosureCopy::kRequester);
  std::string text = AllText(v);
  for (const char* hidden : kHiddenValues) {
    EXPECT_EQ(text.find(hidden), std::string::npos) << hidden;
  }
  EXPECT_NE(text.find("Ruby"), std::string::npos);
  EXPECT_NE(text.find("2019-05-01"), std::string::npos);
  EXPECT_EQ(v.exemption, kSeriousHarmExemption);
  EXPECT_NE(v.exemption.find("Schedule 3"), std::string::npos);
  size_t withheld = 0;
  for (const auto& i : v.items) {
    if (!i.withheld) continue;
    ++withheld;
    EXPECT_TRUE(i.value.empty() && i.source.empty() && i.updated_at.empty()) << i.label;
  }
  EXPECT_EQ(withheld, 7u);  // Former, known-as, address, carers, education, GP, services.
}

TEST(DisclosureView, RequesterCopyDoesNotRevealHowManyItemsWereWithheld) {
  auto full = ShieldedRecord();
  auto sparse = ShieldedRecord();
  sparse.former_names.clear();
  sparse.involvements.clear();
  sparse.carers.clear();
  EXPECT_EQ(AllText(MakeDisclosureView(full, DisclosureCopy::kRequester)),
            AllText(MakeDisclosureView(sparse, DisclosureCopy::kRequester)));
}

TEST(DisclosureView, InternalCopyHoldsEverythingWithSources) {
  auto v = MakeDisclosureView(ShieldedRecord(), DisclosureCopy::kInternal);
  std::string text = AllText(v);
  for (const char* hidden : kHiddenValues) {
    EXPECT_NE(text.find(hidden), std::string::npos) << hidden;
  }
  EXPECT_TRUE(v.exemption.empty());
  for (const auto& i : v.items) {
    EXPECT_FALSE(i.withheld);
    EXPECT_EQ(i.source, "VOL-NS-HAVEN") << i.label;
    EXPECT_FALSE(i.updated_at.empty()) << i.label;
  }
}

TEST(DisclosureView, RequesterCopyOfAnUnshieldedRecordHoldsEverything) {
  auto r = ShieldedRecord();
  r.shielded = false;
  auto v = MakeDisclosureView(r, DisclosureCopy::kRequester);
  EXPECT_NE(AllText(v).find("Flat 3, 9 Willow Court"), std::string::npos);
  EXPECT_TRUE(v.exemption.empty());
}

TEST(DisclosureView, OnlyTheDpoOfTheRecordsAuthorityMayDisclose) {
  RecordFacts record{true, "LA-NORTHSHIRE", 1};
  EXPECT_TRUE(MayDisclose({{Role::kDpo}, "LA-NORTHSHIRE"}, record));
  EXPECT_FALSE(MayDisclose({{Role::kDpo}, "LA-EASTBOROUGH"}, record));
  EXPECT_FALSE(MayDisclose({{Role::kDpo}, ""}, {true, "", 1}));
  for (Role role : {Role::kManagement, Role::kPractitioner, Role::kShielder, Role::kBreakGlass,
                    Role::kAdministrator, Role::kDataSource}) {
    EXPECT_FALSE(MayDisclose({{role}, "LA-NORTHSHIRE"}, record)) << domain::RoleName(role);
  }
}

TEST(DisclosureView, CopyNamesRoundTrip) {
  EXPECT_EQ(ParseDisclosureCopy("internal"), DisclosureCopy::kInternal);
  EXPECT_EQ(ParseDisclosureCopy("requester"), DisclosureCopy::kRequester);
  EXPECT_FALSE(ParseDisclosureCopy("full").has_value());
  EXPECT_EQ(DisclosureCopyName(DisclosureCopy::kInternal), "internal");
}

}  // namespace
}  // namespace cp::policy
