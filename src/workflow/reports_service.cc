#include "workflow/reports_service.h"

#include <boost/json.hpp>
#include <cstdio>
#include <map>

#include "core/time_format.h"
#include "document/pdf_writer.h"
#include "domain/break_glass.h"
#include "domain/child_record.h"
#include "domain/shielding.h"
#include "policy/rbac.h"
#include "store/child_store.h"
#include "store/organisation_store.h"
#include "store/user_store.h"
#include "workflow/audit_trail.h"
#include "workflow/break_glass_service.h"
#include "workflow/brokering_service.h"
#include "workflow/shielding_service.h"

namespace cp::workflow {
namespace {

std::string Number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

std::string OptionalDate(const std::optional<Date>& d) { return d ? d->ToString() : ""; }
std::string OptionalTime(const std::optional<TimePoint>& t) { return t ? FormatUtc(*t) : ""; }

std::string EncodeQuery(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '-' || c == '_') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void SetColumns(ReportTable& t, std::initializer_list<std::pair<const char*, const char*>> cols) {
  for (auto [key, heading] : cols) {
    t.keys.emplace_back(key);
    t.columns.emplace_back(heading);
  }
}

// Rows of audit entries (newest first).
void AuditRows(ReportTable& t, const std::vector<audit::AuditEntry>& entries) {
  SetColumns(t, {{"time", "Time (UTC)"},
                 {"user", "User"},
                 {"organisation", "Organisation"},
                 {"action", "Action"},
                 {"target", "Target"},
                 {"outcome", "Outcome"},
                 {"reason", "Reason"}});
  for (const auto& e : entries) {
    t.rows.push_back({FormatUtc(e.time), e.event.actor, e.event.organisation, e.event.action,
                      e.event.target, e.event.outcome, e.event.reason});
  }
}

}  // namespace

const std::vector<ReportInfo>& ReportCatalogue() {
  static const std::vector<ReportInfo> kCatalogue = {
      {"shielding-log", "Shielding log",
       "Every shielding action on the authority's records (policy section 15)."},
      {"shielding-requests", "Shielding requests by authorised users",
       "Requests to shield submitted by ContactPoint users (principle 17)."},
      {"reviews", "Reviews due and overdue", "Open reviews of shielded records, by due date."},
      {"break-glass", "Break Glass uses", "Each use of Break Glass and its investigation outcome."},
      {"brokering", "Brokering outcomes", "Brokering requests and what came of them."},
      {"record-access", "Who viewed a record",
       "Every audited action on one record (enter its UIN)."},
      {"user-activity", "What a user viewed",
       "Every audited action of one user (enter their username)."},
      {"trawling", "Trawling monitor",
       "Refused searches per user, and users whose searches today are unusual against their own "
       "history and their peers (policy section 14)."},
  };
  return kCatalogue;
}

std::optional<ReportInfo> FindReport(std::string_view name) {
  for (const auto& info : ReportCatalogue()) {
    if (info.name == name) return info;
  }
  return std::nullopt;
}

ReportsService::ReportsService(ShieldingService& shielding, BreakGlassService& break_glass,
                               BrokeringService& brokering, store::ChildStore& children,
                               store::UserStore& users, store::OrganisationStore& orgs,
                               audit::AuditStore& audit_reader, audit::AuditSink& audit,
                               const Clock& clock, TrawlingRule trawling_rule)
    : shielding_(shielding),
      break_glass_(break_glass),
      brokering_(brokering),
      children_(children),
      users_(users),
      orgs_(orgs),
      audit_reader_(audit_reader),
      audit_(audit),
      clock_(clock),
      trawling_rule_(trawling_rule) {}

Status ReportsService::Audit(const Actor& actor, std::string_view action, std::string target,
                             std::string_view outcome, std::string_view reason,
                             std::string details) {
  return RecordAction(audit_, actor, action, std::move(target), outcome, reason,
                      std::move(details));
}

Result<std::vector<MonitoredUser>> ReportsService::UsersOf(const std::string& authority,
                                                           bool searchers_only) {
  CP_ASSIGN_OR_RETURN(auto orgs, orgs_.List());
  std::map<int64_t, std::string> codes;  // Organisations of the authority, by id.
  for (const auto& o : orgs) {
    if (o.local_authority_code == authority) codes[o.id] = o.code;
  }
  CP_ASSIGN_OR_RETURN(auto users, users_.List());
  std::vector<MonitoredUser> out;
  for (const auto& u : users) {
    auto it = codes.find(u.organisation_id);
    if (it == codes.end()) continue;
    if (searchers_only && !policy::IsGranted(u.roles, policy::Permission::kSearchChildren)) {
      continue;
    }
    out.push_back({u.username, it->second});
  }
  return out;
}

Result<ReportTable> ReportsService::Run(const Actor& actor, std::string_view name,
                                        const ReportParams& params, std::string_view format) {
  auto info = FindReport(name);
  std::string action = "report." + std::string(info ? info->name : "unknown");
  if (!policy::IsGranted(actor.roles, policy::Permission::kViewReports) ||
      actor.authority.empty()) {
    CP_RETURN_IF_ERROR(Audit(actor, action, "authority:" + actor.authority, "denied", "rbac", ""));
    return Status::PermissionDenied("Only the ContactPoint management team can run reports");
  }
  if (!info) return Status::NotFound("There is no such report");
  std::string target = "authority:" + actor.authority;
  boost::json::object details{{"format", format}};
  if (name == "record-access") {
    auto uin = domain::Uin::Parse(params.uin);
    if (!uin.ok()) return Status::InvalidArgument("Enter the UIN of a record", "uin");
    auto record = children_.GetByUin(*uin);
    if (!record.ok() && record.status().code() != StatusCode::kNotFound) return record.status();
    if (!record.ok() || record->responsible_authority != actor.authority) {
      CP_RETURN_IF_ERROR(Audit(actor, action, "child:" + uin->str(), "denied", "scope", ""));
      return Status::NotFound("No record of your authority has this UIN");
    }
    target = "child:" + uin->str();
  } else if (name == "user-activity") {
    if (params.username.empty()) {
      return Status::InvalidArgument("Enter the username of a user", "username");
    }
    CP_ASSIGN_OR_RETURN(auto users, UsersOf(actor.authority, false));
    bool ours = false;
    for (const auto& u : users) ours = ours || u.username == params.username;
    if (!ours) {
      CP_RETURN_IF_ERROR(
          Audit(actor, action, "user:" + params.username.substr(0, 64), "denied", "scope", ""));
      return Status::NotFound("No user of your authority has this username");
    }
    target = "user:" + params.username;
  } else if (name == "reviews" && !params.status.empty()) {
    if (params.status != "all" && params.status != "due" && params.status != "overdue") {
      return Status::InvalidArgument("is 'due', 'overdue' or 'all'", "status");
    }
    details["status"] = params.status;
  }
  CP_RETURN_IF_ERROR(Audit(actor, action, target, "success", "", boost::json::serialize(details)));
  CP_ASSIGN_OR_RETURN(ReportTable table, Build(actor, name, params));
  table.name = std::string(info->name);
  table.title = std::string(info->title);
  table.description = std::string(info->description);
  table.produced_at = clock_.Now();
  return table;
}

Result<std::string> ReportsService::ShieldingLogCsv(const Actor& actor) {
  if (!policy::IsGranted(actor.roles, policy::Permission::kViewReports)) {
    CP_RETURN_IF_ERROR(
        Audit(actor, "report.shielding-log", "authority:" + actor.authority, "denied", "rbac", ""));
    return Status::PermissionDenied("Only the ContactPoint management team can run reports");
  }
  return shielding_.LogCsv(actor);
}

Result<ReportTable> ReportsService::Build(const Actor& actor, std::string_view name,
                                          const ReportParams& params) {
  ReportTable t;
  if (name == "shielding-log") {
    CP_ASSIGN_OR_RETURN(auto log, shielding_.Log(actor));
    SetColumns(t, {{"uin", "UIN"},
                   {"action", "Action"},
                   {"category", "Category"},
                   {"date", "Date"},
                   {"requester_contact", "Requester contact"},
                   {"relationship", "Relationship"},
                   {"confirmation_sent", "Confirmation sent"},
                   {"comments", "Comments"}});
    for (const auto& e : log) {
      t.rows.push_back({e.uin,
                        std::to_string(static_cast<int>(e.action)) + " " +
                            std::string(domain::LogActionName(e.action)),
                        e.category, e.date.ToString(), e.requester_contact, e.relationship,
                        OptionalDate(e.confirmation_sent), e.comments});
    }
  } else if (name == "shielding-requests") {
    CP_ASSIGN_OR_RETURN(auto requests, shielding_.SubmittedRequestsReport(actor));
    SetColumns(t, {{"id", "Request"},
                   {"uin", "UIN"},
                   {"requested_by", "Requested by"},
                   {"organisation", "Organisation"},
                   {"created_at", "Submitted (UTC)"},
                   {"status", "Status"},
                   {"category", "Category"}});
    for (const auto& r : requests) {
      t.rows.push_back({std::to_string(r.id), r.child_uin, r.requested_by, r.requester_org,
                        FormatUtc(r.created_at), std::string(domain::RequestStatusName(r.status)),
                        r.category});
    }
  } else if (name == "reviews") {
    ReviewFilter filter = params.status == "due"       ? ReviewFilter::kDue
                          : params.status == "overdue" ? ReviewFilter::kOverdue
                                                       : ReviewFilter::kAllOpen;
    CP_ASSIGN_OR_RETURN(auto reviews, shielding_.Reviews(actor, filter));
    SetColumns(t, {{"uin", "UIN"}, {"due", "Due"}, {"state", "State"}});
    for (const auto& item : reviews) {
      t.rows.push_back(
          {item.review.child_uin, item.review.due.ToString(), item.overdue ? "overdue" : "due"});
      t.row_flagged.push_back(item.overdue);
    }
  } else if (name == "break-glass") {
    CP_ASSIGN_OR_RETURN(auto investigations, break_glass_.Investigations(actor));
    SetColumns(t, {{"id", "Investigation"},
                   {"user", "User"},
                   {"organisation", "Organisation"},
                   {"uin", "UIN"},
                   {"reason_code", "Reason"},
                   {"used_at", "Used (UTC)"},
                   {"due", "Investigation due"},
                   {"status", "Status"},
                   {"finding", "Outcome"}});
    for (const auto& i : investigations) {
      t.rows.push_back({std::to_string(i.id), i.username, i.user_organisation, i.child_uin,
                        i.reason_code, FormatUtc(i.opened_at), i.due.ToString(),
                        std::string(domain::InvestigationStatusName(i.status)),
                        std::string(domain::FindingName(i.finding))});
    }
  } else if (name == "brokering") {
    CP_ASSIGN_OR_RETURN(auto requests, brokering_.List(actor));
    SetColumns(t, {{"id", "Request"},
                   {"uin", "UIN"},
                   {"requester", "Requester"},
                   {"organisation", "Organisation"},
                   {"created_at", "Requested (UTC)"},
                   {"outcome", "Outcome"},
                   {"acknowledged_at", "Acknowledged (UTC)"}});
    for (const auto& r : requests) {
      if (r.authority != actor.authority) continue;
      t.rows.push_back({std::to_string(r.id), r.uin, r.requester, r.requester_organisation,
                        FormatUtc(r.created_at), r.status, OptionalTime(r.acknowledged_at)});
    }
  } else if (name == "record-access") {
    std::vector<audit::AuditEntry> all;
    CP_ASSIGN_OR_RETURN(auto uin, domain::Uin::Parse(params.uin));
    for (const std::string& target : {"child:" + uin.str(), uin.str()}) {
      audit::AuditQuery q;
      q.target = target;
      q.limit = 2000;
      CP_ASSIGN_OR_RETURN(auto entries, audit_reader_.Query(q));
      all.insert(all.end(), entries.begin(), entries.end());
    }
    std::sort(all.begin(), all.end(), [](const audit::AuditEntry& a, const audit::AuditEntry& b) {
      return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
    });
    AuditRows(t, all);
  } else if (name == "user-activity") {
    audit::AuditQuery q;
    q.actor = params.username;
    q.limit = 2000;
    CP_ASSIGN_OR_RETURN(auto entries, audit_reader_.Query(q));
    AuditRows(t, entries);
  } else if (name == "trawling") {
    CP_ASSIGN_OR_RETURN(auto users, UsersOf(actor.authority, true));
    CP_ASSIGN_OR_RETURN(auto report,
                        RunTrawlingMonitor(audit_reader_, users, clock_.Now(), trawling_rule_));
    SetColumns(t, {{"username", "User"},
                   {"organisation", "Organisation"},
                   {"searches_today", "Searches today"},
                   {"own_median", "Own 30-day median"},
                   {"peer_median", "Peers' median today"},
                   {"peak_hour", "Most in one hour"},
                   {"refused_today", "Refused today"},
                   {"refused_30_days", "Refused, previous 30 days"},
                   {"flags", "Flags"}});
    for (const auto& a : report.users) {
      std::string flags;
      for (const auto& r : a.reasons) flags += (flags.empty() ? "" : ", ") + r;
      t.rows.push_back({a.username, a.organisation, std::to_string(a.today), Number(a.own_median),
                        Number(report.peer_median), std::to_string(a.peak_hour),
                        std::to_string(a.refused_today), std::to_string(a.refused_history), flags});
      t.row_links.push_back("/reports/user-activity?username=" + EncodeQuery(a.username));
      t.row_flagged.push_back(a.flagged());
    }
  }
  return t;
}

std::string RenderReportCsv(const ReportTable& table) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += ',';
      out += domain::CsvField(cells[i]);
    }
    out += "\r\n";
  };
  line(table.keys);
  for (const auto& row : table.rows) line(row);
  return out;
}

std::string RenderReportPdf(const ReportTable& table, const std::string& produced_by,
                            TimePoint produced_at, const std::string& reference) {
  document::DocumentOptions options;
  options.title = "ContactPoint report – " + table.title;
  options.header = "Request reference " + reference;
  options.footer = "Produced by " + produced_by + " on " + FormatUtc(produced_at) +
                   ". Print only with secure (PIN) release.";
  document::PdfWriter w(options);
  w.Heading(table.title, 1);
  if (!table.description.empty()) w.Paragraph(table.description);
  if (table.rows.empty()) {
    w.Paragraph("Nothing to report.");
  } else {
    w.Table(table.columns, table.rows);
  }
  return w.Finish();
}

}  // namespace cp::workflow
