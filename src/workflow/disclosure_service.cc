#include "workflow/disclosure_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "core/time_format.h"
#include "document/pdf_writer.h"
#include "domain/child_record.h"
#include "policy/disclosure_policy.h"
#include "policy/rbac.h"
#include "store/child_store.h"
#include "store/dsar_store.h"
#include "store/organisation_store.h"
#include "workflow/audit_trail.h"

namespace cp::workflow {
namespace {

policy::Viewer ViewerOf(const Actor& actor) { return {actor.roles, actor.authority, 0}; }

// The audit targets under which an action on the record is recorded.
std::string ChildTarget(const std::string& uin) { return "child:" + uin; }

}  // namespace

DisclosureService::DisclosureService(store::ChildStore& children, store::DsarStore& cases,
                                     store::OrganisationStore& orgs,
                                     audit::AuditStore& audit_reader, audit::AuditSink& audit,
                                     const Clock& clock)
    : children_(children),
      cases_(cases),
      orgs_(orgs),
      audit_reader_(audit_reader),
      audit_(audit),
      clock_(clock) {}

Status DisclosureService::Audit(const Actor& actor, std::string_view action, std::string target,
                                std::string_view outcome, std::string_view reason,
                                std::string details) {
  return RecordAction(audit_, actor, action, std::move(target), outcome, reason,
                      std::move(details));
}

Status DisclosureService::RequireDpo(const Actor& actor, std::string_view action,
                                     const std::string& target) {
  if (policy::IsGranted(actor.roles, policy::Permission::kRunDisclosure) &&
      actor.roles.Has(domain::Role::kDpo) && !actor.authority.empty()) {
    return Status::Ok();
  }
  CP_RETURN_IF_ERROR(Audit(actor, action, target, "denied", "rbac", ""));
  return Status::PermissionDenied("Only the data protection officer can do this");
}

Result<std::vector<RecordAccess>> DisclosureService::Accesses(const std::string& uin) {
  std::map<std::string, RecordAccess> by_org;
  for (const std::string& target : {ChildTarget(uin), uin}) {
    audit::AuditQuery query;
    query.target = target;
    query.limit = 10000;
    CP_ASSIGN_OR_RETURN(auto entries, audit_reader_.Query(query));
    for (const auto& e : entries) {
      if (e.event.outcome != "success" || e.event.organisation.empty() ||
          e.event.action.starts_with("dsar.") || e.event.action.starts_with("report.")) {
        continue;
      }
      RecordAccess& a = by_org[e.event.organisation];
      if (a.count == 0) {
        a.organisation_code = e.event.organisation;
        a.first = e.time;
        a.last = e.time;
      }
      a.first = std::min(a.first, e.time);
      a.last = std::max(a.last, e.time);
      ++a.count;
    }
  }
  std::vector<RecordAccess> out;
  for (auto& [code, access] : by_org) {
    auto org = orgs_.GetByCode(code);
    if (org.ok()) access.organisation_name = org->name;
    out.push_back(std::move(access));
  }
  return out;
}

Result<Disclosure> DisclosureService::Produce(const Actor& actor, const std::string& uin_text,
                                              policy::DisclosureCopy copy,
                                              const std::string& case_reference) {
  constexpr std::string_view kAction = "dsar.disclosure";
  std::string short_target = "child:" + uin_text.substr(0, 16);
  CP_RETURN_IF_ERROR(RequireDpo(actor, kAction, short_target));
  auto uin = domain::Uin::Parse(uin_text);
  if (!uin.ok()) {
    CP_RETURN_IF_ERROR(Audit(actor, kAction, short_target, "failure", "bad_uin", ""));
    return Status::InvalidArgument("Enter a valid UIN", "uin");
  }
  auto record = children_.GetByUin(*uin);
  if (!record.ok()) {
    if (record.status().code() != StatusCode::kNotFound) return record.status();
    CP_RETURN_IF_ERROR(Audit(actor, kAction, ChildTarget(uin->str()), "failure", "not_found", ""));
    return Status::NotFound("No record has this UIN");
  }
  policy::RecordFacts facts{record->shielded, record->responsible_authority, record->id};
  if (!policy::MayDisclose(ViewerOf(actor), facts)) {
    CP_RETURN_IF_ERROR(Audit(actor, kAction, ChildTarget(uin->str()), "denied", "scope", ""));
    return Status::PermissionDenied(
        "Only the data protection officer of the record's local authority can disclose it");
  }
  std::string reference =
      "UNTRACKED-" +
      (actor.request_id.empty() ? std::to_string(ToUnixSeconds(clock_.Now())) : actor.request_id);
  if (!case_reference.empty()) {
    auto c = cases_.GetByReference(case_reference);
    if (!c.ok() && c.status().code() != StatusCode::kNotFound) return c.status();
    if (!c.ok() || c->child_uin != uin->str() || c->authority != actor.authority) {
      CP_RETURN_IF_ERROR(
          Audit(actor, kAction, ChildTarget(uin->str()), "failure", "unknown_case", ""));
      return Status::InvalidArgument("No case of this child has this reference", "case");
    }
    reference = c->reference;
  }
  Disclosure d;
  d.view = policy::MakeDisclosureView(*record, copy);
  d.reference = reference;
  d.produced_by = actor.username;
  d.produced_at = clock_.Now();
  d.accesses_withheld = record->shielded && copy == policy::DisclosureCopy::kRequester;
  if (!d.accesses_withheld) {
    CP_ASSIGN_OR_RETURN(d.accesses, Accesses(uin->str()));
  }
  boost::json::object details{{"copy", policy::DisclosureCopyName(copy)},
                              {"reference", reference},
                              {"shielded", record->shielded}};
  CP_RETURN_IF_ERROR(Audit(actor, kAction, ChildTarget(uin->str()), "success", "",
                           boost::json::serialize(details)));
  return d;
}

Result<domain::DsarCase> DisclosureService::OpenCase(const Actor& actor, const NewDsarCase& input) {
  constexpr std::string_view kAction = "dsar.case_open";
  CP_RETURN_IF_ERROR(RequireDpo(actor, kAction, "dsar"));
  if (!domain::IsDsarRequesterKind(input.requester_kind)) {
    return Status::InvalidArgument("Choose who made the request", "requester_kind");
  }
  Date today = Date::FromTime(clock_.Now());
  Date received = today;
  if (!input.received_on.empty()) {
    auto parsed = Date::Parse(input.received_on, "received_on");
    if (!parsed.ok()) return Status::InvalidArgument("Enter a real date", "received_on");
    if (*parsed > today) {
      return Status::InvalidArgument("The date received cannot be in the future", "received_on");
    }
    received = *parsed;
  }
  auto uin = domain::Uin::Parse(input.uin);
  if (!uin.ok()) return Status::InvalidArgument("Enter a valid UIN", "uin");
  auto summary = children_.GetByUin(*uin);
  if (!summary.ok()) {
    if (summary.status().code() == StatusCode::kNotFound) {
      return Status::InvalidArgument("No record has this UIN", "uin");
    }
    return summary.status();
  }
  if (summary->responsible_authority != actor.authority) {
    CP_RETURN_IF_ERROR(Audit(actor, kAction, ChildTarget(uin->str()), "denied", "scope", ""));
    return Status::PermissionDenied("The record belongs to another local authority");
  }
  domain::DsarCase c;
  c.child_uin = uin->str();
  c.authority = actor.authority;
  c.requester_kind = input.requester_kind;
  c.received_on = received;
  c.due = domain::DsarDueDate(received);
  c.created_by = actor.username;
  c.created_at = clock_.Now();
  CP_RETURN_IF_ERROR(Audit(actor, kAction, ChildTarget(uin->str()), "success", "",
                           boost::json::serialize(boost::json::object{
                               {"received_on", received.ToString()}, {"due", c.due.ToString()}})));
  return cases_.Create(c);
}

Result<domain::DsarCase> DisclosureService::Step(const Actor& actor, int64_t id,
                                                 std::string_view action, domain::DsarStatus to) {
  std::string target = "dsar:" + std::to_string(id);
  CP_RETURN_IF_ERROR(RequireDpo(actor, action, target));
  auto c = cases_.Get(id);
  if (!c.ok()) return c.status();
  if (c->authority != actor.authority) {
    CP_RETURN_IF_ERROR(Audit(actor, action, target, "denied", "scope", ""));
    return Status::NotFound("no such case");
  }
  using domain::DsarStatus;
  const DsarStatus from = c->status;
  const bool verified = c->identity_verified_on.has_value();
  bool allowed = false;
  Date today = Date::FromTime(clock_.Now());
  switch (to) {
    case DsarStatus::kIdentityVerified:
      allowed = !verified && from != DsarStatus::kCompleted;
      c->identity_verified_on = today;
      // An extended case stays extended (its due date) once identity is verified.
      if (from == DsarStatus::kExtended) to = DsarStatus::kExtended;
      break;
    case DsarStatus::kExtended:
      allowed = from == DsarStatus::kReceived || from == DsarStatus::kIdentityVerified;
      c->extended_on = today;
      c->due = domain::DsarExtendedDueDate(c->received_on);
      break;
    case DsarStatus::kCompleted:
      allowed = verified && from != DsarStatus::kCompleted;
      c->completed_on = today;
      break;
    case DsarStatus::kReceived:
      break;
  }
  if (!allowed) return Status::FailedPrecondition("wrong_state");
  c->status = to;
  CP_RETURN_IF_ERROR(
      Audit(actor, action, target, "success", "",
            boost::json::serialize(boost::json::object{{"reference", c->reference},
                                                       {"status", domain::DsarStatusName(to)},
                                                       {"due", c->due.ToString()}})));
  CP_RETURN_IF_ERROR(cases_.Update(*c, from));
  return *c;
}

Result<domain::DsarCase> DisclosureService::VerifyIdentity(const Actor& actor, int64_t id) {
  return Step(actor, id, "dsar.case_verify", domain::DsarStatus::kIdentityVerified);
}
Result<domain::DsarCase> DisclosureService::Extend(const Actor& actor, int64_t id) {
  return Step(actor, id, "dsar.case_extend", domain::DsarStatus::kExtended);
}
Result<domain::DsarCase> DisclosureService::Complete(const Actor& actor, int64_t id) {
  return Step(actor, id, "dsar.case_complete", domain::DsarStatus::kCompleted);
}

Result<std::vector<domain::DsarCase>> DisclosureService::Cases(const Actor& actor) {
  CP_RETURN_IF_ERROR(RequireDpo(actor, "dsar.case_list", "dsar"));
  return cases_.List(actor.authority);
}

std::string RenderDisclosurePdf(const Disclosure& d) {
  const bool internal = d.view.copy == policy::DisclosureCopy::kInternal;
  document::DocumentOptions options;
  options.title = std::string("ContactPoint subject access disclosure – ") +
                  (internal ? "internal copy" : "requester's copy");
  options.header = "Request reference " + d.reference + " · UIN " + d.view.uin;
  options.footer = "Produced by " + d.produced_by + " on " + FormatUtc(d.produced_at);
  if (internal) options.watermark = std::string(policy::kInternalWatermark);
  std::string iso = FormatUtc(d.produced_at);  // "YYYY-MM-DDTHH:MM:SSZ"
  std::string digits;
  for (char c : iso) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.size() >= 14) options.creation_date = "D:" + digits.substr(0, 14) + "Z";
  document::PdfWriter w(options);
  w.Heading("View Full Child Record Disclosure", 1);
  w.Paragraph(internal ? "Internal copy for the data protection officer's review. It holds "
                         "everything ContactPoint holds about the child and must not be sent "
                         "to the requester."
                       : "The information ContactPoint holds about the child (UK GDPR "
                         "Article 15), with where each item came from and when it last "
                         "changed.");
  if (!d.view.exemption.empty()) {
    w.Heading("Information withheld", 2);
    w.Paragraph(d.view.exemption);
  }
  std::string section;
  for (const auto& item : d.view.items) {
    if (item.section != section) {
      section = item.section;
      w.Heading(section, 2);
    }
    if (item.withheld) {
      w.Field(item.label, std::string(policy::kWithheld),
              "Exemption: DPA 2018 Sch. 3, serious harm");
    } else {
      w.Field(item.label, item.value,
              "Source: " + item.source +
                  (item.updated_at.empty() ? "" : ", updated " + item.updated_at));
    }
  }
  w.Heading("Organisations that accessed the record", 2);
  if (d.accesses_withheld) {
    w.Field("Organisations", std::string(policy::kWithheld),
            "Exemption: DPA 2018 Sch. 3, serious harm");
  } else if (d.accesses.empty()) {
    w.Paragraph("No organisation has accessed the record.");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : d.accesses) {
      rows.push_back({a.organisation_name.empty() ? a.organisation_code : a.organisation_name,
                      a.organisation_code, FormatUtc(a.first), FormatUtc(a.last),
                      std::to_string(a.count)});
    }
    w.Table({"Organisation", "Code", "First access", "Last access", "Times"}, rows,
            {3, 2, 2, 2, 1});
  }
  return w.Finish();
}

}  // namespace cp::workflow
