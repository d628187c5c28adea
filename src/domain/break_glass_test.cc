// Break Glass rules: the right's status over its year, the grant's 15 minutes, reasons, and
// the investigation's one-way steps.
#include "domain/break_glass.h"

#include <gtest/gtest.h>

#include "domain/working_days.h"

namespace cp::domain {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

TEST(BreakGlassTest, TheRightIsActiveOnlyFromApprovalForOneYearAndUntilRevoked) {
  BreakGlassHolder h;
  h.username = "blake";
  EXPECT_EQ(StatusOn(h, D("2026-01-10")), HolderStatus::kPending);
  h.approved_on = D("2025-03-01");
  EXPECT_EQ(*ApprovalExpiresOn(h), D("2026-02-28"));
  EXPECT_EQ(StatusOn(h, D("2025-03-01")), HolderStatus::kActive);
  EXPECT_EQ(StatusOn(h, D("2026-02-28")), HolderStatus::kActive);
  EXPECT_EQ(StatusOn(h, D("2026-03-01")), HolderStatus::kExpired);
  h.approved_on = D("2026-02-20");  // Renewed.
  EXPECT_EQ(StatusOn(h, D("2026-03-01")), HolderStatus::kActive);
  h.revoked_at = D("2026-03-01").StartOfDay();
  EXPECT_EQ(StatusOn(h, D("2026-03-01")), HolderStatus::kRevoked);
  EXPECT_EQ(HolderStatusName(HolderStatus::kExpired), "expired");
}

TEST(BreakGlassTest, AGrantLivesFifteenMinutesAndEndsExactlyAtItsExpiry) {
  BreakGlassGrant g;
  g.created_at = D("2026-01-05").StartOfDay() + std::chrono::hours(14) + std::chrono::minutes(45);
  g.expires_at = g.created_at + kGrantLifetime;
  TimePoint three = D("2026-01-05").StartOfDay() + std::chrono::hours(15);
  EXPECT_EQ(g.expires_at, three);
  EXPECT_TRUE(IsLive(g, three - std::chrono::microseconds(1)));
  EXPECT_FALSE(IsLive(g, three));
  g.ended_at = g.created_at + std::chrono::minutes(1);
  EXPECT_FALSE(IsLive(g, g.created_at + std::chrono::minutes(2)));
}

TEST(BreakGlassTest, ReasonsNeedAKnownCodeAndWrittenText) {
  EXPECT_EQ(AllBreakGlassReasons().size(), 4u);
  for (const auto& r : AllBreakGlassReasons()) {
    EXPECT_TRUE(ValidateBreakGlassReason(r.code, "Child in A&E, carer unknown").ok());
  }
  EXPECT_EQ(FindBreakGlassReason("ae_attendance")->label, "A&E attendance");
  EXPECT_EQ(ValidateBreakGlassReason("", "text").field(), "reason_code");
  EXPECT_EQ(ValidateBreakGlassReason("curiosity", "text").field(), "reason_code");
  EXPECT_EQ(ValidateBreakGlassReason("ae_attendance", "  ").field(), "reason_text");
  EXPECT_EQ(ValidateBreakGlassReason("ae_attendance", std::string(1001, 'x')).field(),
            "reason_text");
}

TEST(BreakGlassTest, InvestigationsMoveOpenToInReviewToConcludedWithAFinding) {
  using S = InvestigationStatus;
  EXPECT_TRUE(CheckInvestigationStep(S::kOpen, S::kInReview, Finding::kNone).ok());
  EXPECT_TRUE(CheckInvestigationStep(S::kInReview, S::kConcluded, Finding::kReferred).ok());
  EXPECT_EQ(CheckInvestigationStep(S::kInReview, S::kConcluded, Finding::kNone).field(), "finding");
  EXPECT_EQ(CheckInvestigationStep(S::kOpen, S::kConcluded, Finding::kJustified).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckInvestigationStep(S::kConcluded, S::kInReview, Finding::kNone).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckInvestigationStep(S::kOpen, S::kInReview, Finding::kJustified).field(), "finding");
  EXPECT_EQ(ParseFinding("not_justified"), Finding::kNotJustified);
  EXPECT_FALSE(ParseFinding("maybe").has_value());
  EXPECT_EQ(ParseInvestigationStatus("in_review"), S::kInReview);
}

TEST(BreakGlassTest, TheInvestigationIsDueOnTheNextWorkingDayOutOfHoursIncluded) {
  // Friday evening -> Monday; Saturday -> Monday; Thursday before Easter -> Tuesday;
  // Christmas Eve (Thursday, 2026) -> Tuesday 29th (Boxing Day substitute on the 28th).
  EXPECT_EQ(NextWorkingDay(D("2026-01-09")), D("2026-01-12"));
  EXPECT_EQ(NextWorkingDay(D("2026-01-10")), D("2026-01-12"));
  EXPECT_EQ(NextWorkingDay(D("2026-04-02")), D("2026-04-07"));
  EXPECT_EQ(NextWorkingDay(D("2026-12-24")), D("2026-12-29"));
}

}  // namespace
}  // namespace cp::domain
