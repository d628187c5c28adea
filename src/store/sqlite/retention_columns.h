// The lifecycle columns of the `child` table (migration "child lifecycle"): how a
// domain::Retention is stored. Shared by SqliteChildStore (which reads them into every record)
// and SqliteRetentionStore (which writes them). Dates are "YYYY-MM-DD" or NULL; the state is
// 0 live, 1 archived, 2 purged; the reason is a domain::ArchiveReasonName code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "domain/retention.h"

namespace cp::store::sqlite {

// Internal if a stored value is out of range (a corrupted row).
Result<domain::Retention> DecodeRetention(int64_t state, const std::string& reason,
                                          const std::optional<std::string>& archived_on,
                                          const std::optional<std::string>& death_notified_on,
                                          const std::optional<std::string>& date_of_death,
                                          const std::optional<std::string>& purged_on);

inline std::optional<std::string> RetentionDateColumn(const std::optional<Date>& date) {
  if (!date) return std::nullopt;
  return date->ToString();
}

}  // namespace cp::store::sqlite
