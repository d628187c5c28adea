// Working days in England and Wales: Monday to Friday, less bank holidays.
//
// Bank holidays are computed from the rules of the Banking and Financial Dealings Act 1971 and
// the royal proclamations that fixed them, not from a downloaded list:
//   New Year's Day (1 Jan, or the next Monday if it falls at a weekend), Good Friday and Easter
//   Monday (from the Gregorian computus), the early May bank holiday (first Monday of May), the
//   spring bank holiday (last Monday of May), the summer bank holiday (last Monday of August),
//   Christmas Day and Boxing Day (with substitute days when they fall at a weekend).
// One-off changes by proclamation are kept in a small table (kProclamations in working_days.cc):
// the early May holiday moved to 8 May in 1995 and 2020 (VE Day anniversaries), the spring
// holiday moved for the jubilees of 2002, 2012 and 2022, and extra days for the royal weddings
// (1981, 2011), the millennium (1999), the jubilees, the state funeral (2022) and the coronation
// (2023). Pure and thread-safe.
#pragma once

#include "core/date.h"

namespace cp::domain {

bool IsBankHoliday(Date date);
bool IsWorkingDay(Date date);
// Easter Sunday of `year` (Gregorian).
Date EasterSunday(int year);
// The date `n` working days after `start` (n >= 0; `start` itself is not counted, so
// AddWorkingDays(Friday, 1) is the next working Monday). Used for "within 7 working days".
Date AddWorkingDays(Date start, int n);
// The first working day strictly after `date` (an investigation "due on the next working day").
Date NextWorkingDay(Date date);

}  // namespace cp::domain
