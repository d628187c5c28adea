// The pure shielding rules: criteria and categories, dates (telephone forms over bank
// holidays, reviews past 18), documents by magic bytes, and the log's CSV.
#include "domain/shielding.h"

#include <gtest/gtest.h>

namespace cp::domain {
namespace {

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

TEST(ShieldingRules, CriteriaParseStrictly) {
  auto ok = ParseShieldCriteria({"child_at_risk", "cohabitant_at_risk"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 2u);
  EXPECT_TRUE(ParseShieldCriteria({})->empty());  // The service rejects and logs it.
  EXPECT_EQ(ParseShieldCriteria({"objection_in_principle"}).status().field(), "criteria");
  EXPECT_EQ(ParseShieldCriteria({"serious_crime", "serious_crime"}).status().field(), "criteria");
  EXPECT_EQ(AllShieldCriteria().size(), 5u);
  EXPECT_TRUE(IsShieldCategory("refuge"));
  EXPECT_TRUE(IsShieldCategory("sibling_family"));
  EXPECT_TRUE(IsShieldCategory("other"));
  EXPECT_FALSE(IsShieldCategory("objection_in_principle"));
}

TEST(ShieldingRules, TheTelephoneFormIsDueIn7WorkingDaysSkippingBankHolidays) {
  // Thursday before Easter 2024: Good Friday and Easter Monday are not working days.
  EXPECT_EQ(TelephoneFormDue(D(2024, 3, 28)), D(2024, 4, 10));
  // An ordinary week: Monday + 7 working days is the Wednesday after next.
  EXPECT_EQ(TelephoneFormDue(D(2024, 6, 3)), D(2024, 6, 12));
  // Over Christmas 2021 (substitute days on Monday 27 and Tuesday 28 December).
  EXPECT_EQ(TelephoneFormDue(D(2021, 12, 23)), D(2022, 1, 6));
  ShieldRequest r;
  r.telephone = true;
  r.status = RequestStatus::kActive;
  r.form_due = D(2024, 4, 10);
  EXPECT_FALSE(TelephoneFormLate(r, D(2024, 4, 10)));
  EXPECT_TRUE(TelephoneFormLate(r, D(2024, 4, 11)));
  r.form_received = D(2024, 4, 9);
  EXPECT_FALSE(TelephoneFormLate(r, D(2024, 4, 11)));
}

TEST(ShieldingRules, ReviewsAre7DaysThenEvery6MonthsWithNoAgeCutOff) {
  EXPECT_EQ(FirstReviewDue(D(2024, 3, 28), false), D(2024, 4, 4));
  EXPECT_EQ(FirstReviewDue(D(2024, 3, 28), true), D(2024, 9, 28));
  EXPECT_EQ(NextReviewDue(D(2024, 8, 31)), D(2025, 2, 28));
  // A child who turns 18 in between still gets the next review.
  EXPECT_EQ(NextReviewDue(D(2043, 1, 15)), D(2043, 7, 15));
}

TEST(ShieldingRules, DocumentsAreCheckedByTheirBytes) {
  EXPECT_TRUE(ValidateDocument("application/pdf", "%PDF-1.7 ...").ok());
  EXPECT_TRUE(ValidateDocument("image/png", std::string("\x89PNG\r\n\x1a\n....", 12)).ok());
  EXPECT_TRUE(ValidateDocument("image/jpeg", "\xFF\xD8\xFF\xE0....").ok());
  EXPECT_EQ(ValidateDocument("image/png", "%PDF-1.7").field(), "document");
  EXPECT_EQ(ValidateDocument("application/pdf", "").field(), "document");
  EXPECT_EQ(ValidateDocument("text/html", "%PDF-").field(), "content_type");
  EXPECT_EQ(ValidateDocument("image/svg+xml", "<svg/>").field(), "content_type");
  EXPECT_TRUE(
      ValidateDocument("application/pdf", "%PDF-" + std::string(kMaxDocumentBytes - 5, 'x')).ok());
  EXPECT_EQ(
      ValidateDocument("application/pdf", "%PDF-" + std::string(kMaxDocumentBytes, 'x')).field(),
      "document");
}

TEST(ShieldingRules, TheLogCsvQuotesAndDefusesFormulas) {
  LogEntry e;
  e.uin = "4820175396X";
  e.action = LogAction::kAdditionalRequest;
  e.category = "refuge";
  e.date = D(2024, 3, 28);
  e.requester_contact = "Refuge, 01632 960 000";
  e.relationship = "key \"worker\"";
  e.confirmation_sent = D(2024, 3, 29);
  e.comments = "@SUM(A1)\nline two";
  EXPECT_EQ(ShieldingLogCsv({e}),
            "uin,action,category,date,requester_contact,relationship,confirmation_sent,"
            "comments\r\n"
            "4820175396X,4,refuge,2024-03-28,\"Refuge, 01632 960 000\",\"key \"\"worker\"\"\","
            "2024-03-29,\"'@SUM(A1)\nline two\"\r\n");
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("-1"), "'-1");
  EXPECT_EQ(LogActionName(LogAction::kPossibleMatchShielded), "possible_match_shielded");
  EXPECT_FALSE(LogActionFromInt(6).has_value());
}

}  // namespace
}  // namespace cp::domain
