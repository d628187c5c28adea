// ReportsService: the management reports of one local authority (policy principle 17, §13–15;
// docs/disclosure-and-reports.md). Every report is a ReportTable, so the JSON API, the web
// pages, CSV and PDF render the same rows.
//
// Contract:
//  - Rights: Permission::kViewReports (management), for the actor's own authority only: every
//    report reads only that authority's records, requests, reviews, investigations, brokering
//    requests and users. Anyone else: PermissionDenied, audited ("report.<name>", "denied").
//    Asking about a record or a user of another authority is NotFound (audited as denied), so
//    the answer does not reveal that it exists.
//  - Audited first, fail closed: each run records "report.<name>" (details: the format and
//    the parameter) before the rows are returned; if that fails, Unavailable and no rows.
//  - Reports (kReportNames): "shielding-log", "shielding-requests" (principle 17: requests by
//    authorised users), "reviews" (open reviews, due and overdue), "break-glass" (uses and
//    their investigation outcomes), "brokering" (outcomes), "record-access" (who viewed a
//    record: `uin`), "user-activity" (what a user did: `username`), "trawling" (the trawling
//    monitor, trawling_monitor.h; each flag links to that user's activity).
// Thread-safe. Dependencies are not owned.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_sink.h"
#include "audit/audit_store.h"
#include "core/clock.h"
#include "core/result.h"
#include "workflow/actor.h"
#include "workflow/trawling_monitor.h"

namespace cp::store {
class ChildStore;
class UserStore;
class OrganisationStore;
}  // namespace cp::store

namespace cp::workflow {

class ShieldingService;
class BreakGlassService;
class BrokeringService;

struct ReportTable {
  std::string name;
  std::string title;
  std::string description;
  std::vector<std::string> keys;     // Machine names of the columns (JSON, CSV header).
  std::vector<std::string> columns;  // Their headings.
  std::vector<std::vector<std::string>> rows;
  // Per row: a path (the web UI's) with more detail, e.g. the flagged user's audit entries.
  // Empty, or one per row.
  std::vector<std::string> row_links;
  std::vector<bool> row_flagged;  // Empty, or one per row (the trawling monitor's flags).
  TimePoint produced_at;          // When it was run (the service's clock).
};

struct ReportParams {
  std::string uin;       // record-access
  std::string username;  // user-activity
  std::string status;    // reviews: "all" (default), "due", "overdue"
};

inline constexpr std::string_view kReportNames[] = {
    "shielding-log", "shielding-requests", "reviews",       "break-glass",
    "brokering",     "record-access",      "user-activity", "trawling"};

struct ReportInfo {
  std::string_view name;
  std::string_view title;
  std::string_view description;
};
// Title and description of every report, in kReportNames order.
const std::vector<ReportInfo>& ReportCatalogue();
std::optional<ReportInfo> FindReport(std::string_view name);

class ReportsService {
 public:
  ReportsService(ShieldingService& shielding, BreakGlassService& break_glass,
                 BrokeringService& brokering, store::ChildStore& children, store::UserStore& users,
                 store::OrganisationStore& orgs, audit::AuditStore& audit_reader,
                 audit::AuditSink& audit, const Clock& clock, TrawlingRule trawling_rule = {});

  // `format` ("json", "html", "csv", "pdf") is only recorded in the audit trail.
  // InvalidArgument for an unknown report or a missing parameter; NotFound (unknown name too).
  Result<ReportTable> Run(const Actor& actor, std::string_view name, const ReportParams& params,
                          std::string_view format);
  // The shielding log in the policy's CSV layout (§15), audited by ShieldingService.
  Result<std::string> ShieldingLogCsv(const Actor& actor);

 private:
  Status Audit(const Actor& actor, std::string_view action, std::string target,
               std::string_view outcome, std::string_view reason, std::string details);
  Result<ReportTable> Build(const Actor& actor, std::string_view name, const ReportParams& params);
  Result<std::vector<MonitoredUser>> UsersOf(const std::string& authority, bool searchers_only);

  ShieldingService& shielding_;
  BreakGlassService& break_glass_;
  BrokeringService& brokering_;
  store::ChildStore& children_;
  store::UserStore& users_;
  store::OrganisationStore& orgs_;
  audit::AuditStore& audit_reader_;
  audit::AuditSink& audit_;
  const Clock& clock_;
  TrawlingRule trawling_rule_;
};

// CSV (RFC 4180, CRLF; cells starting with = + - @ are prefixed with ' against formula
// injection) with the keys as header.
std::string RenderReportCsv(const ReportTable& table);
// PDF with the running header (title, `reference`) and footer (producer and time) on every page.
std::string RenderReportPdf(const ReportTable& table, const std::string& produced_by,
                            TimePoint produced_at, const std::string& reference);

}  // namespace cp::workflow
