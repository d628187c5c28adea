// Possible duplicates (§11, docs/duplicates.md): plain types shared by the store, the
// workflow and the presentation layers (nothing here carries a child's details).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace cp::domain {

enum class DuplicateStatus : uint8_t { kOpen = 0, kConfirmed = 1, kRejected = 2 };

inline std::string_view DuplicateStatusName(DuplicateStatus s) {
  switch (s) {
    case DuplicateStatus::kOpen:
      return "open";
    case DuplicateStatus::kConfirmed:
      return "confirmed";
    case DuplicateStatus::kRejected:
      return "rejected";
  }
  return "open";
}

// A pair the matcher (or management) thinks may be the same child, queued for management.
struct PossibleDuplicate {
  int64_t id = 0;
  int64_t child_id = 0;        // The record a feed row created or updated.
  int64_t other_child_id = 0;  // The existing record it may be the same child as.
  double weight = 0;           // The matcher's total match weight (0 when raised by hand).
  std::string source;          // The data source whose row raised it (or "manual:<user>").
  TimePoint created_at;
  DuplicateStatus status = DuplicateStatus::kOpen;
  std::string decided_by;
  std::optional<TimePoint> decided_at;
  // Set when a merge closed the pair instead of management (status kRejected, but no
  // do-not-match pair is remembered): "merged_together", "do_not_match" or
  // "superseded_by_open_pair" (docs/duplicates.md, "Other pairs of the absorbed record").
  std::string closed_reason;
};

// "open", "confirmed" or "rejected" -> the status; nullopt otherwise.
inline std::optional<DuplicateStatus> ParseDuplicateStatus(std::string_view text) {
  for (DuplicateStatus s :
       {DuplicateStatus::kOpen, DuplicateStatus::kConfirmed, DuplicateStatus::kRejected}) {
    if (DuplicateStatusName(s) == text) return s;
  }
  return std::nullopt;
}

}  // namespace cp::domain
