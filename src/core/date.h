// Date: a proleptic Gregorian calendar date with no time zone (a date of birth, a review date).
//
// Conversions between dates and instants are in UTC. England's local time is not used for
// deadlines: policy deadlines are counted in whole calendar or working days.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace cp {

class Date {
 public:
  Date() = default;  // 1970-01-01.
  // Days since 1970-01-01 (may be negative).
  static Date FromDays(int64_t days) {
    Date d;
    d.days_ = days;
    return d;
  }
  // Returns InvalidArgument (naming `field`) unless y-m-d is a real calendar date in
  // years 1800..9999.
  static Result<Date> FromYmd(int year, int month, int day, std::string_view field = "date");
  // Parses strict "YYYY-MM-DD".
  static Result<Date> Parse(std::string_view text, std::string_view field = "date");
  // The UTC calendar date of an instant.
  static Date FromTime(TimePoint t);

  int64_t days() const { return days_; }
  int year() const;
  int month() const;  // 1..12
  int day() const;    // 1..31
  // 0 = Monday ... 6 = Sunday (ISO).
  int weekday() const;

  Date AddDays(int64_t n) const { return FromDays(days_ + n); }
  // Adds calendar months; the day is clamped to the end of a shorter month (31 Aug + 6 = 28/29
  // Feb).
  Date AddMonths(int months) const;
  Date AddYears(int years) const { return AddMonths(years * 12); }
  // Midnight UTC at the start of this date.
  TimePoint StartOfDay() const;
  // Whole years from this date (a birth date) to `on` (age on a date).
  int YearsUntil(Date on) const;

  std::string ToString() const;  // "YYYY-MM-DD"

  auto operator<=>(const Date&) const = default;

 private:
  int64_t days_ = 0;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

}  // namespace cp
