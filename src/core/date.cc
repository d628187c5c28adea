#include "core/date.h"

#include <charconv>
#include <cstdio>

namespace cp {
namespace {

// Howard Hinnant's public-domain civil-date algorithms, restated.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Ymd {
  int y;
  int m;
  int d;
};

Ymd CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

Result<Date> Date::FromYmd(int year, int month, int day, std::string_view field) {
  if (year < 1800 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return Status::InvalidArgument("is not a real calendar date", std::string(field));
  }
  return FromDays(DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)));
}

Result<Date> Date::Parse(std::string_view text, std::string_view field) {
  auto bad = [&] {
    return Status::InvalidArgument("must be a date written YYYY-MM-DD", std::string(field));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  auto num = [&](size_t pos, size_t len, int& out) {
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
    }
    std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return bad();
  return FromYmd(y, m, d, field);
}

Date Date::FromTime(TimePoint t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  return FromDays(days.time_since_epoch().count());
}

int Date::year() const { return CivilFromDays(days_).y; }
int Date::month() const { return CivilFromDays(days_).m; }
int Date::day() const { return CivilFromDays(days_).d; }

int Date::weekday() const {
  // 1970-01-01 was a Thursday (ISO 3, zero-based Monday=0).
  int64_t w = (days_ + 3) % 7;
  if (w < 0) w += 7;
  return static_cast<int>(w);
}

Date Date::AddMonths(int months) const {
  Ymd ymd = CivilFromDays(days_);
  int64_t total = static_cast<int64_t>(ymd.y) * 12 + (ymd.m - 1) + months;
  int y = static_cast<int>(total / 12);
  int m = static_cast<int>(total % 12) + 1;
  int d = std::min(ymd.d, DaysInMonth(y, m));
  return FromDays(DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
}

TimePoint Date::StartOfDay() const {
  return TimePoint(std::chrono::duration_cast<Duration>(std::chrono::days(days_)));
}

int Date::YearsUntil(Date on) const {
  Ymd a = CivilFromDays(days_);
  Ymd b = CivilFromDays(on.days_);
  int years = b.y - a.y;
  if (b.m < a.m || (b.m == a.m && b.d < a.d)) --years;
  return years;
}

std::string Date::ToString() const {
  Ymd ymd = CivilFromDays(days_);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", ymd.y, ymd.m, ymd.d);
  return buf;
}

}  // namespace cp
