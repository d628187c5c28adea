// MaintenanceService: the daily retention job (docs/retention.md). It applies, on the date of
// the injected Clock, the rules of domain/retention.h to every record that is not purged:
// archive at 18 (25 when extended with consent), archive one year after a notified death,
// purge six years after archiving.
//
// Contract:
//  - Idempotent: a second run on the same day finds nothing due and changes nothing.
//  - Audited first, fail closed: each change is recorded in the audit trail (actor "system",
//    action "child.archive" or "child.purge", target "child:<UIN>", reason the rule; details
//    hold dates and codes only, never a name) before the store is written. If an audit entry
//    cannot be written the run stops at once with Unavailable, and that record and every
//    record after it are left unchanged.
//  - A record changed by someone else during the run (Conflict) is skipped and counted; the
//    next run picks it up.
// Thread-safe (one run at a time). Dependencies are not owned.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "audit/audit_sink.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/result.h"
#include "workflow/periodic_task.h"

namespace cp::store {
class RetentionStore;
}

namespace cp::workflow {

struct MaintenanceAction {
  std::string uin;
  std::string action;  // "archived" or "purged".
  std::string reason;  // "age_18", "age_25", "death" (archived); "" (purged).
};

struct MaintenanceSummary {
  Date today;
  size_t records_checked = 0;
  size_t archived_age_18 = 0;
  size_t archived_age_25 = 0;
  size_t archived_death = 0;
  size_t purged = 0;
  size_t skipped_conflicts = 0;
  std::vector<MaintenanceAction> actions;  // In the order they were made.

  size_t changes() const { return archived_age_18 + archived_age_25 + archived_death + purged; }
};

// "YYYY-MM-DD: checked N records; archived A (age 18: x, age 25: y, death: z); purged P"
// followed by one line per action ("archived <UIN> (age_18)", "purged <UIN>"). UINs only.
std::string FormatMaintenanceSummary(const MaintenanceSummary& summary);

class MaintenanceService {
 public:
  MaintenanceService(store::RetentionStore& store, audit::AuditSink& audit, const Clock& clock);

  // Runs every rule for today (the Clock's UTC date).
  Result<MaintenanceSummary> RunDailyRules();

 private:
  store::RetentionStore& store_;
  audit::AuditSink& audit_;
  const Clock& clock_;
  std::mutex run_mu_;
};

// Runs MaintenanceService::RunDailyRules once at Start and then every `interval` (a day) on a
// background thread, inside `serve`. A failed run is retried at the next tick.
class RetentionMaintenance {
 public:
  explicit RetentionMaintenance(MaintenanceService& service,
                                std::chrono::milliseconds interval = std::chrono::hours(24));
  void Start() { task_.Start(); }
  void Stop() { task_.Stop(); }

 private:
  PeriodicTask task_;
};

}  // namespace cp::workflow
