// Retention: the lifecycle of a child record (live, archived, purged) and the dated rules that
// move a record along it (docs/retention.md).
//
//  - A live record is archived on the child's 18th birthday, or on the 25th where the record
//    was extended with the young person's consent; or one year after management recorded a
//    notified death (whichever comes first).
//  - An archived record is no longer found by any search. The management team of its
//    responsible authority may read it until the first anniversary of archiving; after that
//    only the archive reader role may, for a child-protection enquiry or a serious case review.
//  - Six years after archiving the personal data is purged: only the UIN and the dates remain.
//
// Every rule takes `today` (a UTC calendar date from the injected Clock). Pure functions, plain
// value types; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/date.h"

namespace cp::domain {

enum class RecordState : uint8_t { kLive = 0, kArchived = 1, kPurged = 2 };

// Why a record was archived.
enum class ArchiveReason : uint8_t {
  kNone = 0,
  kAge18 = 1,           // 18th birthday.
  kAge25 = 2,           // 25th birthday of a record extended with consent.
  kDeath = 3,           // One year after a notified death.
  kIdentityChange = 4,  // The former identity after a change of identity (principle 13).
};

// The lifecycle fields of a record. Dates in clear: they are kept after the purge.
struct Retention {
  RecordState state = RecordState::kLive;
  ArchiveReason archive_reason = ArchiveReason::kNone;
  std::optional<Date> archived_on;
  // The day management recorded the notification of a death, and the date of death given.
  std::optional<Date> death_notified_on;
  std::optional<Date> date_of_death;
  std::optional<Date> purged_on;
  bool operator==(const Retention&) const = default;
};

inline constexpr int kArchiveAge = 18;
inline constexpr int kExtendedArchiveAge = 25;
inline constexpr int kYearsLiveAfterDeath = 1;
inline constexpr int kManagementReadYears = 1;
inline constexpr int kPurgeAfterYears = 6;

// "live", "archived", "purged".
std::string_view RecordStateName(RecordState state);
// "", "age_18", "age_25", "death", "identity_change".
std::string_view ArchiveReasonName(ArchiveReason reason);
std::optional<RecordState> ParseRecordState(std::string_view name);
std::optional<ArchiveReason> ParseArchiveReason(std::string_view name);

// What the daily job must do to one record today.
enum class RetentionAction : uint8_t { kNone = 0, kArchive = 1, kPurge = 2 };

struct RetentionDecision {
  RetentionAction action = RetentionAction::kNone;
  ArchiveReason reason = ArchiveReason::kNone;  // For kArchive.
  bool operator==(const RetentionDecision&) const = default;
};

// The day a live record falls due for archiving by age: the 18th birthday, or the 25th when
// extended with consent (a 29 February birthday falls on 28 February in common years).
Date AgeArchiveDate(Date date_of_birth, bool extended_with_consent);

// The rule of the daily job for one record. A live record is archived from its age archive
// date, or from one year after the notified death; an archived record is purged from six years
// after its archive date; a purged record is final.
RetentionDecision DueRetentionAction(Date date_of_birth, bool extended_with_consent,
                                     const Retention& retention, Date today);

// True while the management team of the record's authority may still read an archived record:
// before the first anniversary of archiving.
bool WithinManagementReadPeriod(const Retention& retention, Date today);

}  // namespace cp::domain
