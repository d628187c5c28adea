#include "core/date.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace cp {
namespace {

TEST(DateTest, ParsesAndFormatsRoundTrip) {
  auto d = Date::Parse("2012-02-29");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->year(), 2012);
  EXPECT_EQ(d->month(), 2);
  EXPECT_EQ(d->day(), 29);
  EXPECT_EQ(d->ToString(), "2012-02-29");
}

TEST(DateTest, RejectsImpossibleAndMalformedDates) {
  for (const char* bad : {"2013-02-29", "2012-13-01", "2012-00-10", "2012-1-10", "20120110",
                          "2012-01-32", "abcd-ef-gh", "", "1799-12-31", "2012-01-1x"}) {
    auto d = Date::Parse(bad, "date_of_birth");
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.status().field(), "date_of_birth") << bad;
  }
}

TEST(DateTest, WeekdayIsIso) {
  EXPECT_EQ(Date::Parse("2026-11-23")->weekday(), 0);  // Monday
  EXPECT_EQ(Date::Parse("2026-11-22")->weekday(), 6);  // Sunday
  EXPECT_EQ(Date::Parse("1970-01-01")->weekday(), 3);  // Thursday
  EXPECT_EQ(Date::Parse("1969-12-29")->weekday(), 0);  // Monday before the epoch
}

TEST(DateTest, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(Date::Parse("2025-08-31")->AddMonths(6).ToString(), "2026-02-28");
  EXPECT_EQ(Date::Parse("2023-08-31")->AddMonths(6).ToString(), "2024-02-29");
  EXPECT_EQ(Date::Parse("2025-01-15")->AddMonths(-2).ToString(), "2024-11-15");
}

TEST(DateTest, AgeCountsWholeYears) {
  Date born = *Date::Parse("2008-03-10");
  EXPECT_EQ(born.YearsUntil(*Date::Parse("2026-03-09")), 17);
  EXPECT_EQ(born.YearsUntil(*Date::Parse("2026-03-10")), 18);
}

TEST(DateTest, ConvertsInstants) {
  Date d = *Date::Parse("2026-11-22");
  EXPECT_EQ(Date::FromTime(d.StartOfDay() + std::chrono::hours(23)), d);
  EXPECT_EQ(Date::FromTime(d.StartOfDay() - std::chrono::seconds(1)), d.AddDays(-1));
}

TEST(TimeFormatTest, FormatsUtcToTheSecond) {
  EXPECT_EQ(FormatUtc(FromUnixSeconds(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtc(Date::Parse("2026-11-22")->StartOfDay() + std::chrono::seconds(34200)),
            "2026-11-22T09:30:00Z");
}

}  // namespace
}  // namespace cp
