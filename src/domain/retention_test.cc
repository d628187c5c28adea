// Each retention rule at its boundary: the day before and the day of.
#include "domain/retention.h"

#include <gtest/gtest.h>

namespace cp::domain {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Retention Archived(const char* on) {
  Retention r;
  r.state = RecordState::kArchived;
  r.archive_reason = ArchiveReason::kAge18;
  r.archived_on = D(on);
  return r;
}

TEST(RetentionRules, ArchivedOnThe18thBirthdayNotTheDayBefore) {
  const Date born = D("2008-11-22");
  EXPECT_EQ(DueRetentionAction(born, false, {}, D("2026-11-21")).action, RetentionAction::kNone);
  EXPECT_EQ(DueRetentionAction(born, false, {}, D("2026-11-22")),
            (RetentionDecision{RetentionAction::kArchive, ArchiveReason::kAge18}));
  EXPECT_EQ(DueRetentionAction(born, false, {}, D("2030-01-01")).action, RetentionAction::kArchive);
}

TEST(RetentionRules, ExtendedWithConsentArchivedOnThe25thBirthday) {
  const Date born = D("2001-11-22");
  EXPECT_EQ(DueRetentionAction(born, true, {}, D("2019-11-22")).action, RetentionAction::kNone);
  EXPECT_EQ(DueRetentionAction(born, true, {}, D("2026-11-21")).action, RetentionAction::kNone);
  EXPECT_EQ(DueRetentionAction(born, true, {}, D("2026-11-22")),
            (RetentionDecision{RetentionAction::kArchive, ArchiveReason::kAge25}));
}

TEST(RetentionRules, LeapDayBirthdayArchivedOn28FebruaryInACommonYear) {
  const Date born = D("2008-02-29");
  EXPECT_EQ(AgeArchiveDate(born, false), D("2026-02-28"));
  EXPECT_EQ(DueRetentionAction(born, false, {}, D("2026-02-27")).action, RetentionAction::kNone);
  EXPECT_EQ(DueRetentionAction(born, false, {}, D("2026-02-28")).action, RetentionAction::kArchive);
}

TEST(RetentionRules, NotifiedDeathArchivedOneYearLater) {
  Retention r;
  r.death_notified_on = D("2025-06-10");
  r.date_of_death = D("2025-06-01");
  const Date born = D("2015-01-01");
  EXPECT_EQ(DueRetentionAction(born, false, r, D("2026-06-09")).action, RetentionAction::kNone);
  EXPECT_EQ(DueRetentionAction(born, false, r, D("2026-06-10")),
            (RetentionDecision{RetentionAction::kArchive, ArchiveReason::kDeath}));
}

TEST(RetentionRules, PurgedSixYearsAfterArchiving) {
  const Retention r = Archived("2020-03-15");
  const Date born = D("2002-03-15");
  EXPECT_EQ(DueRetentionAction(born, false, r, D("2026-03-14")).action, RetentionAction::kNone);
  EXPECT_EQ(DueRetentionAction(born, false, r, D("2026-03-15")).action, RetentionAction::kPurge);
}

TEST(RetentionRules, ArchivedWithoutADateIsNeverPurged) {
  Retention r;
  r.state = RecordState::kArchived;
  EXPECT_EQ(DueRetentionAction(D("1990-01-01"), false, r, D("2026-11-22")).action,
            RetentionAction::kNone);
}

TEST(RetentionRules, PurgedIsFinal) {
  Retention r = Archived("2000-01-01");
  r.state = RecordState::kPurged;
  r.purged_on = D("2006-01-01");
  EXPECT_EQ(DueRetentionAction(D("1982-01-01"), false, r, D("2026-11-22")).action,
            RetentionAction::kNone);
}

TEST(RetentionRules, ManagementReadsForOneYearAfterArchiving) {
  const Retention r = Archived("2025-11-22");
  EXPECT_TRUE(WithinManagementReadPeriod(r, D("2025-11-22")));
  EXPECT_TRUE(WithinManagementReadPeriod(r, D("2026-11-21")));
  EXPECT_FALSE(WithinManagementReadPeriod(r, D("2026-11-22")));
  EXPECT_FALSE(WithinManagementReadPeriod(Retention{}, D("2026-11-22")));  // Live.
}

TEST(RetentionRules, NamesRoundTrip) {
  for (RecordState s : {RecordState::kLive, RecordState::kArchived, RecordState::kPurged}) {
    EXPECT_EQ(ParseRecordState(RecordStateName(s)), s);
  }
  for (ArchiveReason r : {ArchiveReason::kAge18, ArchiveReason::kAge25, ArchiveReason::kDeath,
                          ArchiveReason::kIdentityChange}) {
    EXPECT_EQ(ParseArchiveReason(ArchiveReasonName(r)), r);
  }
  EXPECT_FALSE(ParseRecordState("deleted"));
}

}  // namespace
}  // namespace cp::domain
