// The per-source singular items and the rule that chooses the value a record shows
// (workflow/source_items.h): pure functions, no store.
#include "workflow/source_items.h"

#include <gtest/gtest.h>

namespace cp::workflow {
namespace {

TimePoint T(int hour) {
  return Date::FromYmd(2024, 3, 28)->StartOfDay() + std::chrono::hours(hour);
}

domain::Address Addr(const std::string& line_1, const std::string& source, int hour) {
  return {
      domain::AddressStatus::kCurrent, line_1, "", "Northtown", "NT2 5RB", {}, {source, T(hour)}};
}

SourceItems Held(const std::string& source) {
  SourceItems s;
  s.source = source;
  return s;
}

domain::ChildRecord Shown() {
  domain::ChildRecord r;
  r.name = {"Amara", "Okafor", {"SCH-1", T(1)}};
  r.gender = domain::Gender::kFemale;
  r.date_of_birth = *Date::FromYmd(2015, 5, 1);
  r.core_provenance = {"SCH-1", T(1)};
  r.address = Addr("1 Mill Lane", "SCH-1", 1);
  return r;
}

TEST(SourceItemsTest, TheMostRecentlyUpdatedContactItemIsShown) {
  domain::ChildRecord r = Shown();
  SourceItems school = Held("SCH-1");
  school.address = Addr("1 Mill Lane", "SCH-1", 1);
  SourceItems gp = Held("GP-2");
  gp.address = Addr("7 New Street", "GP-2", 2);
  gp.gp = domain::GpPractice{"Other Surgery", "", {"GP-2", T(2)}};
  ChooseCurrentItems(r, {school, gp});
  EXPECT_EQ(r.address.line_1, "7 New Street");
  EXPECT_EQ(r.address.provenance.source, "GP-2");
  ASSERT_TRUE(r.gp.has_value());
  EXPECT_EQ(r.gp->name, "Other Surgery");
  // Older than the school's new item: the school's wins.
  school.address = Addr("2 Mill Lane", "SCH-1", 3);
  ChooseCurrentItems(r, {school, gp});
  EXPECT_EQ(r.address.line_1, "2 Mill Lane");
}

TEST(SourceItemsTest, OnATieTheShownValueStays) {
  domain::ChildRecord r = Shown();
  SourceItems school = Held("SCH-1");
  school.address = Addr("1 Mill Lane", "SCH-1", 1);
  SourceItems other = Held("AAA-1");  // Sorts first, same time.
  other.address = Addr("9 Elm Street", "AAA-1", 1);
  ChooseCurrentItems(r, {other, school});
  EXPECT_EQ(r.address.line_1, "1 Mill Lane");
}

TEST(SourceItemsTest, AnItemFromASourceWithoutItemsCountsAsThatSources) {
  domain::ChildRecord r = Shown();
  r.address = Addr("5 Hand Road", "manual:amy", 5);
  SourceItems school = Held("SCH-1");
  school.address = Addr("1 Mill Lane", "SCH-1", 3);
  ChooseCurrentItems(r, {school});
  EXPECT_EQ(r.address.line_1, "5 Hand Road");  // Entered by hand later than the school's.
  school.address = Addr("2 Mill Lane", "SCH-1", 6);
  ChooseCurrentItems(r, {school});
  EXPECT_EQ(r.address.line_1, "2 Mill Lane");
}

TEST(SourceItemsTest, AHeldSourcesOwnItemsReplaceWhatTheRecordShowedFromIt) {
  domain::ChildRecord r = Shown();  // Shows the school's 1 Mill Lane (hour 1).
  SourceItems school = Held("SCH-1");
  school.address = Addr("3 Mill Lane", "SCH-1", 0);  // The school's item is what counts.
  ChooseCurrentItems(r, {school});
  EXPECT_EQ(r.address.line_1, "3 Mill Lane");
}

TEST(SourceItemsTest, IdentityItemsStayWithTheSourceShown) {
  domain::ChildRecord r = Shown();
  SourceItems school = Held("SCH-1");
  school.name = domain::PersonName{"Amara", "Okafor", {"SCH-1", T(1)}};
  school.core = CoreItems{domain::Gender::kFemale, *Date::FromYmd(2015, 5, 1), {"SCH-1", T(1)}};
  SourceItems gp = Held("GP-2");
  gp.name = domain::PersonName{"Amara", "Okafor-Smith", {"GP-2", T(9)}};
  gp.core = CoreItems{domain::Gender::kFemale, *Date::FromYmd(2015, 5, 2), {"GP-2", T(9)}};
  ChooseCurrentItems(r, {school, gp});
  EXPECT_EQ(r.name.family_name, "Okafor");
  EXPECT_EQ(r.date_of_birth, *Date::FromYmd(2015, 5, 1));
  // The owning source's own change replaces it.
  school.name->family_name = "Adebayo";
  school.name->provenance.updated_at = T(10);
  ChooseCurrentItems(r, {school, gp});
  EXPECT_EQ(r.name.family_name, "Adebayo");
  // A record without a name takes the most recently updated.
  domain::ChildRecord empty;
  ChooseCurrentItems(empty, {school, gp});
  EXPECT_EQ(empty.name.family_name, "Adebayo");
}

TEST(SourceItemsTest, UpdatingKeepsTheTimesOfUnchangedAndUnknownItems) {
  SourceItems before = Held("SCH-1");
  before.address = Addr("1 Mill Lane", "SCH-1", 1);
  before.gp = domain::GpPractice{"Mill Lane Surgery", "", {"SCH-1", T(1)}};
  SourceItems incoming = Held("SCH-1");
  incoming.address = Addr("1 Mill Lane", "SCH-1", 4);  // Unchanged.
  incoming.education = domain::EducationSetting{"Northtown Primary", {}, {"SCH-1", T(4)}};
  // No GP practice sent: unknown.
  SourceItems after = UpdateOwnItems(before, incoming);
  EXPECT_EQ(after.address->provenance.updated_at, T(1));
  ASSERT_TRUE(after.gp.has_value());
  EXPECT_EQ(after.gp->provenance.updated_at, T(1));
  ASSERT_TRUE(after.education.has_value());
  EXPECT_EQ(after.education->provenance.updated_at, T(4));
  incoming.address = Addr("2 Mill Lane", "SCH-1", 4);
  EXPECT_EQ(UpdateOwnItems(before, incoming).address->provenance.updated_at, T(4));
}

TEST(SourceItemsTest, EncodeDecodeRoundTripsAndRejectsGarbage) {
  SourceItems s = Held("SCH-1");
  s.name = domain::PersonName{"Amara", "Okafor", {"SCH-1", T(1)}};
  s.core = CoreItems{domain::Gender::kFemale, *Date::FromYmd(2015, 5, 1), {"SCH-1", T(1)}};
  s.address = Addr("1 Mill Lane", "SCH-1", 2);
  s.education =
      domain::EducationSetting{"Northtown Primary", *Date::FromYmd(2019, 9, 4), {"SCH-1", T(3)}};
  s.gp = domain::GpPractice{"Mill Lane Surgery", "01632 960001", {"SCH-1", T(4)}};
  auto back = DecodeSourceItems(EncodeSourceItems(s), "SCH-1");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, s);
  EXPECT_FALSE(DecodeSourceItems("not json", "SCH-1").ok());
  EXPECT_FALSE(DecodeSourceItems(R"({"address":{"status":9,"p":{"at":1}}})", "SCH-1").ok());
  EXPECT_FALSE(DecodeSourceItems(R"({"gp":{"name":"X"}})", "SCH-1").ok());  // No time.
}

}  // namespace
}  // namespace cp::workflow
