#include "domain/dsar.h"

#include <gtest/gtest.h>

namespace cp::domain {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

TEST(DsarDueDate, IsOneCalendarMonthLater) {
  EXPECT_EQ(DsarDueDate(D("2026-11-22")), D("2026-12-22"));
  EXPECT_EQ(DsarDueDate(D("2026-12-15")), D("2027-01-15"));
}

TEST(DsarDueDate, ClampsToTheEndOfAShorterMonth) {
  EXPECT_EQ(DsarDueDate(D("2026-01-31")), D("2026-02-28"));
  EXPECT_EQ(DsarDueDate(D("2028-01-31")), D("2028-02-29"));  // Leap year.
  EXPECT_EQ(DsarDueDate(D("2026-03-31")), D("2026-04-30"));
  EXPECT_EQ(DsarDueDate(D("2026-08-31")), D("2026-09-30"));
}

TEST(DsarDueDate, ExtensionAddsTwoFurtherMonths) {
  EXPECT_EQ(DsarExtendedDueDate(D("2026-11-22")), D("2027-02-22"));
  EXPECT_EQ(DsarExtendedDueDate(D("2026-11-30")), D("2027-02-28"));
}

TEST(Dsar, ReferenceAndNames) {
  EXPECT_EQ(DsarReference(D("2026-11-22"), 7), "DSAR-2026-0007");
  EXPECT_EQ(DsarReference(D("2027-01-01"), 12345), "DSAR-2027-12345");
  for (DsarStatus s : {DsarStatus::kReceived, DsarStatus::kIdentityVerified, DsarStatus::kExtended,
                       DsarStatus::kCompleted}) {
    EXPECT_EQ(ParseDsarStatus(DsarStatusName(s)), s);
  }
  EXPECT_FALSE(ParseDsarStatus("closed").has_value());
  EXPECT_TRUE(IsDsarRequesterKind("parent_or_carer"));
  EXPECT_FALSE(IsDsarRequesterKind("journalist"));
}

}  // namespace
}  // namespace cp::domain
