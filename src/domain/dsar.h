// Subject access requests (DSAR; UK GDPR Art. 12 and 15; policy §12): the case a data
// protection officer tracks from receipt to completion. Plain types and rules; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/date.h"

namespace cp::domain {

enum class DsarStatus : uint8_t { kReceived, kIdentityVerified, kExtended, kCompleted };

std::string_view DsarStatusName(DsarStatus status);  // "received", "identity_verified", ...
std::optional<DsarStatus> ParseDsarStatus(std::string_view name);

// Who asked: the child, someone with parental responsibility, or a representative.
inline constexpr std::string_view kDsarRequesterKinds[] = {"child", "parent_or_carer",
                                                           "representative"};
bool IsDsarRequesterKind(std::string_view kind);

struct DsarCase {
  int64_t id = 0;
  std::string reference;  // "DSAR-<year received>-<id, 4 digits>"; assigned by the store.
  std::string child_uin;
  std::string authority;       // The record's responsible authority (whose DPO handles it).
  std::string requester_kind;  // One of kDsarRequesterKinds.
  Date received_on;
  std::optional<Date> identity_verified_on;
  Date due;  // DsarDueDate(received_on), or DsarExtendedDueDate once extended.
  std::optional<Date> extended_on;
  std::optional<Date> completed_on;
  DsarStatus status = DsarStatus::kReceived;
  std::string created_by;
  TimePoint created_at;
};

// The answer is due one calendar month after receipt (day clamped to the end of a shorter
// month: received 31 January -> due 28 or 29 February).
Date DsarDueDate(Date received_on);
// Extended (complex or numerous requests) by two further months: three calendar months.
Date DsarExtendedDueDate(Date received_on);
// "DSAR-2026-0007".
std::string DsarReference(Date received_on, int64_t id);

}  // namespace cp::domain
