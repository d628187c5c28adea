#include "domain/retention.h"

namespace cp::domain {

std::string_view RecordStateName(RecordState state) {
  switch (state) {
    case RecordState::kLive:
      return "live";
    case RecordState::kArchived:
      return "archived";
    case RecordState::kPurged:
      return "purged";
  }
  return "live";
}

std::string_view ArchiveReasonName(ArchiveReason reason) {
  switch (reason) {
    case ArchiveReason::kNone:
      return "";
    case ArchiveReason::kAge18:
      return "age_18";
    case ArchiveReason::kAge25:
      return "age_25";
    case ArchiveReason::kDeath:
      return "death";
    case ArchiveReason::kIdentityChange:
      return "identity_change";
  }
  return "";
}

std::optional<RecordState> ParseRecordState(std::string_view name) {
  for (RecordState s : {RecordState::kLive, RecordState::kArchived, RecordState::kPurged}) {
    if (RecordStateName(s) == name) return s;
  }
  return std::nullopt;
}

std::optional<ArchiveReason> ParseArchiveReason(std::string_view name) {
  for (ArchiveReason r : {ArchiveReason::kNone, ArchiveReason::kAge18, ArchiveReason::kAge25,
                          ArchiveReason::kDeath, ArchiveReason::kIdentityChange}) {
    if (ArchiveReasonName(r) == name) return r;
  }
  return std::nullopt;
}

Date AgeArchiveDate(Date date_of_birth, bool extended_with_consent) {
  return date_of_birth.AddYears(extended_with_consent ? kExtendedArchiveAge : kArchiveAge);
}

RetentionDecision DueRetentionAction(Date date_of_birth, bool extended_with_consent,
                                     const Retention& retention, Date today) {
  switch (retention.state) {
    case RecordState::kPurged:
      return {};
    case RecordState::kArchived:
      // Without an archive date (never written by this product) nothing is purged: the purge
      // is never early.
      if (retention.archived_on && today >= retention.archived_on->AddYears(kPurgeAfterYears)) {
        return {RetentionAction::kPurge, ArchiveReason::kNone};
      }
      return {};
    case RecordState::kLive:
      break;
  }
  if (today >= AgeArchiveDate(date_of_birth, extended_with_consent)) {
    return {RetentionAction::kArchive,
            extended_with_consent ? ArchiveReason::kAge25 : ArchiveReason::kAge18};
  }
  if (retention.death_notified_on &&
      today >= retention.death_notified_on->AddYears(kYearsLiveAfterDeath)) {
    return {RetentionAction::kArchive, ArchiveReason::kDeath};
  }
  return {};
}

bool WithinManagementReadPeriod(const Retention& retention, Date today) {
  if (retention.state != RecordState::kArchived || !retention.archived_on) return false;
  return today < retention.archived_on->AddYears(kManagementReadYears);
}

}  // namespace cp::domain
