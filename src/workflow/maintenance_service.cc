#include "workflow/maintenance_service.h"

#include <boost/json.hpp>
#include <sstream>

#include "domain/retention.h"
#include "store/retention_store.h"

namespace cp::workflow {
namespace {

struct Due {
  store::RetentionRow row;
  domain::RetentionDecision decision;
};

}  // namespace

std::string FormatMaintenanceSummary(const MaintenanceSummary& s) {
  std::ostringstream out;
  out << s.today.ToString() << ": checked " << s.records_checked << " records; archived "
      << (s.archived_age_18 + s.archived_age_25 + s.archived_death)
      << " (age 18: " << s.archived_age_18 << ", age 25: " << s.archived_age_25
      << ", death: " << s.archived_death << "); purged " << s.purged;
  if (s.skipped_conflicts > 0) out << "; skipped " << s.skipped_conflicts << " changed meanwhile";
  out << "\n";
  for (const MaintenanceAction& a : s.actions) {
    out << a.action << " " << a.uin;
    if (!a.reason.empty()) out << " (" << a.reason << ")";
    out << "\n";
  }
  return out.str();
}

MaintenanceService::MaintenanceService(store::RetentionStore& store, audit::AuditSink& audit,
                                       const Clock& clock)
    : store_(store), audit_(audit), clock_(clock) {}

Result<MaintenanceSummary> MaintenanceService::RunDailyRules() {
  std::lock_guard<std::mutex> lock(run_mu_);
  MaintenanceSummary summary;
  summary.today = Date::FromTime(clock_.Now());
  // Decide first, then act, so that no store lock is held while the audit is written.
  std::vector<Due> due;
  CP_RETURN_IF_ERROR(store_.ScanRetention([&](const store::RetentionRow& row) {
    ++summary.records_checked;
    domain::RetentionDecision d = domain::DueRetentionAction(
        row.date_of_birth, row.extended_with_consent, row.retention, summary.today);
    if (d.action != domain::RetentionAction::kNone) due.push_back(Due{row, d});
    return Status::Ok();
  }));
  for (const Due& item : due) {
    const bool purge = item.decision.action == domain::RetentionAction::kPurge;
    const std::string reason(domain::ArchiveReasonName(item.decision.reason));
    audit::AuditEvent event;
    event.actor = "system";
    event.action = purge ? "child.purge" : "child.archive";
    event.target = "child:" + item.row.uin.str();
    event.outcome = "success";
    event.reason = purge ? "archived_6_years" : reason;
    event.request_id = "maintenance";
    boost::json::object details{{"on", summary.today.ToString()}};
    if (item.row.retention.archived_on) {
      details["archived_on"] = item.row.retention.archived_on->ToString();
    }
    event.details_json = boost::json::serialize(details);
    if (!audit_.Record(event).ok()) {
      return Status::Unavailable("The audit trail cannot be written");
    }
    Status written;
    if (purge) {
      written = store_.Purge(item.row.id, item.row.version, summary.today);
    } else {
      domain::Retention next = item.row.retention;
      next.state = domain::RecordState::kArchived;
      next.archive_reason = item.decision.reason;
      next.archived_on = summary.today;
      written = store_.SetRetention(item.row.id, item.row.version, next);
    }
    if (written.code() == StatusCode::kConflict || written.code() == StatusCode::kNotFound) {
      ++summary.skipped_conflicts;
      continue;
    }
    CP_RETURN_IF_ERROR(written);
    if (purge) {
      ++summary.purged;
      summary.actions.push_back({item.row.uin.str(), "purged", ""});
      continue;
    }
    switch (item.decision.reason) {
      case domain::ArchiveReason::kAge25:
        ++summary.archived_age_25;
        break;
      case domain::ArchiveReason::kDeath:
        ++summary.archived_death;
        break;
      default:
        ++summary.archived_age_18;
        break;
    }
    summary.actions.push_back({item.row.uin.str(), "archived", reason});
  }
  return summary;
}

RetentionMaintenance::RetentionMaintenance(MaintenanceService& service,
                                           std::chrono::milliseconds interval)
    : task_([&service] { (void)service.RunDailyRules(); }, interval) {}

}  // namespace cp::workflow
