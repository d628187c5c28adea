#include "domain/working_days.h"

#include <gtest/gtest.h>

#include <set>

namespace cp::domain {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

std::set<std::string> HolidaysIn(int year) {
  std::set<std::string> out;
  for (Date d = D((std::to_string(year) + "-01-01").c_str()); d.year() == year; d = d.AddDays(1)) {
    if (IsBankHoliday(d)) out.insert(d.ToString());
  }
  return out;
}

// The published England and Wales bank holidays for these years (GOV.UK).
TEST(WorkingDaysTest, MatchesPublishedHolidays) {
  EXPECT_EQ(HolidaysIn(2020),
            (std::set<std::string>{"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08",
                                   "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"}));
  EXPECT_EQ(HolidaysIn(2021),
            (std::set<std::string>{"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03",
                                   "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28"}));
  EXPECT_EQ(HolidaysIn(2022),
            (std::set<std::string>{"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02",
                                   "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19",
                                   "2022-12-26", "2022-12-27"}));
  EXPECT_EQ(HolidaysIn(2023), (std::set<std::string>{"2023-01-02", "2023-04-07", "2023-04-10",
                                                     "2023-05-01", "2023-05-08", "2023-05-29",
                                                     "2023-08-28", "2023-12-25", "2023-12-26"}));
  EXPECT_EQ(HolidaysIn(2026),
            (std::set<std::string>{"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04",
                                   "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"}));
  EXPECT_EQ(HolidaysIn(2027),
            (std::set<std::string>{"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03",
                                   "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"}));
}

TEST(WorkingDaysTest, EasterSundayKnownDates) {
  EXPECT_EQ(EasterSunday(2024), D("2024-03-31"));
  EXPECT_EQ(EasterSunday(2025), D("2025-04-20"));
  EXPECT_EQ(EasterSunday(2038), D("2038-04-25"));
  EXPECT_EQ(EasterSunday(2008), D("2008-03-23"));
}

TEST(WorkingDaysTest, SevenWorkingDaysSkipWeekendsAndBankHolidays) {
  // Request on Wednesday 23 Dec 2026: 24 (Thu), 29, 30, 31 Dec, 4, 5, 6 Jan 2027.
  // (25 Fri and 28 Mon are bank holidays; 1 Jan 2027 is a bank holiday.)
  EXPECT_EQ(AddWorkingDays(D("2026-12-23"), 7), D("2027-01-06"));
  // Request on Thursday before Easter 2027 (25 March): 26 Good Friday, 29 Easter Monday off.
  EXPECT_EQ(AddWorkingDays(D("2027-03-25"), 7), D("2027-04-07"));  // 30, 31, 1, 2, 5, 6, 7.
  // An ordinary week.
  EXPECT_EQ(AddWorkingDays(D("2026-11-23"), 7), D("2026-12-02"));
  EXPECT_EQ(AddWorkingDays(D("2026-11-23"), 0), D("2026-11-23"));
}

TEST(WorkingDaysTest, NextWorkingDayCrossesWeekendsAndHolidays) {
  EXPECT_EQ(NextWorkingDay(D("2026-11-20")), D("2026-11-23"));  // Fri -> Mon.
  EXPECT_EQ(NextWorkingDay(D("2026-11-21")), D("2026-11-23"));  // Sat -> Mon.
  EXPECT_EQ(NextWorkingDay(D("2026-12-24")), D("2026-12-29"));  // Thu -> Tue after Christmas.
  EXPECT_EQ(NextWorkingDay(D("2027-03-25")), D("2027-03-30"));  // Thu before Easter -> Tue.
  EXPECT_EQ(NextWorkingDay(D("2026-11-24")), D("2026-11-25"));
}

}  // namespace
}  // namespace cp::domain
