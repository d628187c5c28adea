#include "domain/working_days.h"

namespace cp::domain {
namespace {

// Added or moved bank holidays by proclamation, as (year, month, day, is_extra). A moved
// holiday lists its new date and the rule's date it replaces.
struct Change {
  int year;
  int month;
  int day;
};

// Extra days.
constexpr Change kExtraDays[] = {
    {1977, 6, 7},    // Silver Jubilee.
    {1981, 7, 29},   // Wedding of the Prince of Wales.
    {1999, 12, 31},  // Millennium.
    {2002, 6, 3},    // Golden Jubilee (with the spring holiday moved to 4 June).
    {2011, 4, 29},   // Royal wedding.
    {2012, 6, 5},    // Diamond Jubilee (with the spring holiday moved to 4 June).
    {2022, 6, 3},    // Platinum Jubilee (with the spring holiday moved to 2 June).
    {2022, 9, 19},   // State funeral of Queen Elizabeth II.
    {2023, 5, 8},    // Coronation of King Charles III.
};

// Rule dates replaced by another date: {year, month, rule day, new day} in the same month
// group. Encoded as pairs for clarity.
struct Move {
  int year;
  int from_month;
  int from_day;
  int to_month;
  int to_day;
};
constexpr Move kMoves[] = {
    {1995, 5, 1, 5, 8},   // Early May moved to VE Day's 50th anniversary.
    {2002, 5, 27, 6, 4},  // Spring holiday moved for the Golden Jubilee.
    {2012, 5, 28, 6, 4},  // Spring holiday moved for the Diamond Jubilee.
    {2020, 5, 4, 5, 8},   // Early May moved to VE Day's 75th anniversary.
    {2022, 5, 30, 6, 2},  // Spring holiday moved for the Platinum Jubilee.
};

Date Ymd(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

Date FirstMonday(int year, int month) {
  Date d = Ymd(year, month, 1);
  return d.AddDays((7 - d.weekday()) % 7);
}

Date LastMonday(int year, int month) {
  Date d = Ymd(year, month, DaysInMonth(year, month));
  return d.AddDays(-d.weekday());
}

bool IsRuleHoliday(Date date) {
  int y = date.year();
  int wd = date.weekday();
  // New Year's Day, or the Monday after when it falls at a weekend.
  Date ny = Ymd(y, 1, 1);
  Date ny_obs = ny.weekday() == 5 ? ny.AddDays(2) : ny.weekday() == 6 ? ny.AddDays(1) : ny;
  if (date == ny_obs) return true;
  Date easter = EasterSunday(y);
  if (date == easter.AddDays(-2) || date == easter.AddDays(1)) return true;
  if (y >= 1978 && date == FirstMonday(y, 5)) return true;
  if (date == LastMonday(y, 5)) return true;
  if (date == LastMonday(y, 8)) return true;
  // Christmas and Boxing Day with substitutes: if Christmas is Saturday, holidays are Mon 27
  // and Tue 28; if Sunday, Mon 26 (Boxing) and Tue 27 (substitute for Christmas).
  Date xmas = Ymd(y, 12, 25);
  Date boxing = Ymd(y, 12, 26);
  if (wd < 5 && (date == xmas || date == boxing)) return true;
  if (date.month() == 12 && (date.day() == 27 || date.day() == 28) && wd < 5) {
    int xwd = xmas.weekday();
    if (xwd == 5) return true;                      // Sat: 27 and 28.
    if (xwd == 6 && date.day() == 27) return true;  // Sun: 26 and 27.
    if (xwd == 4 && date.day() == 28) return true;  // Fri: Boxing Day on Sat moves to 28.
  }
  return false;
}

}  // namespace

Date EasterSunday(int year) {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  int a = year % 19;
  int b = year / 100;
  int c = year % 100;
  int d = b / 4;
  int e = b % 4;
  int f = (b + 8) / 25;
  int g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4;
  int k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int day = ((h + l - 7 * m + 114) % 31) + 1;
  return Ymd(year, month, day);
}

bool IsBankHoliday(Date date) {
  int y = date.year();
  for (const Change& c : kExtraDays) {
    if (c.year == y && date == Ymd(c.year, c.month, c.day)) return true;
  }
  for (const Move& m : kMoves) {
    if (m.year != y) continue;
    if (date == Ymd(m.year, m.to_month, m.to_day)) return true;
    if (date == Ymd(m.year, m.from_month, m.from_day)) return false;
  }
  return IsRuleHoliday(date);
}

bool IsWorkingDay(Date date) { return date.weekday() < 5 && !IsBankHoliday(date); }

Date AddWorkingDays(Date start, int n) {
  Date d = start;
  while (n > 0) {
    d = d.AddDays(1);
    if (IsWorkingDay(d)) --n;
  }
  return d;
}

Date NextWorkingDay(Date date) { return AddWorkingDays(date, 1); }

}  // namespace cp::domain
