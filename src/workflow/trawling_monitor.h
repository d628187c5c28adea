// The trawling monitor (policy §14: searching for more records than the work needs is
// potential trawling, which is unlawful). Reads search events from the audit trail.
//
// The documented rule (docs/disclosure-and-reports.md), per user, for the UTC day of `now`:
//   - volume: today's searches > `multiple` x the user's own median daily searches over the
//     previous `history_days` days (days without searches count as 0), AND > `multiple` x
//     the median of today's searches among the other users listed (the peers), AND >=
//     `minimum_today`
//     (medians below 1 count as 1);
//   - hourly ceiling: more than `hourly_ceiling` searches within one clock hour today;
//   - refusals: at least `refused_limit` refused or denied searches today (criteria too broad,
//     too many matches, no right to search).
// A user is flagged when any rule fires; the reasons say which. Searches are the audit
// entries with action "child.search" (every outcome); refused ones have outcome "refused"
// or "denied". Pure apart from reading the store; thread-safe if the store is.
#pragma once

#include <string>
#include <vector>

#include "audit/audit_store.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/result.h"

namespace cp::workflow {

struct TrawlingRule {
  double multiple = 3;
  size_t minimum_today = 20;
  size_t hourly_ceiling = 40;
  size_t refused_limit = 5;
  int history_days = 30;
};

struct MonitoredUser {
  std::string username;
  std::string organisation;  // Code, for display.
};

struct UserSearchActivity {
  std::string username;
  std::string organisation;
  size_t today = 0;
  double own_median = 0;   // Of the previous history_days days.
  double peer_median = 0;  // Of the other users' searches today.
  size_t peak_hour = 0;    // Most searches within one clock hour today.
  size_t refused_today = 0;
  size_t refused_history = 0;        // Over the previous history_days days.
  std::vector<std::string> reasons;  // "volume", "hourly_ceiling", "refusals"
  bool flagged() const { return !reasons.empty(); }
};

struct TrawlingReport {
  Date day;
  TrawlingRule rule;
  double peer_median = 0;                 // Of everyone's searches today (for display).
  std::vector<UserSearchActivity> users;  // Flagged first, then by today's searches.
};

double Median(std::vector<double> values);

Result<TrawlingReport> RunTrawlingMonitor(audit::AuditStore& audit,
                                          const std::vector<MonitoredUser>& users, TimePoint now,
                                          const TrawlingRule& rule = {});

}  // namespace cp::workflow
