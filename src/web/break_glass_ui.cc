#include "web/break_glass_ui.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "core/time_format.h"
#include "domain/break_glass.h"
#include "domain/uin.h"
#include "policy/permission.h"
#include "policy/rbac.h"
#include "web/break_glass_pages.h"
#include "web/directory_pages.h"
#include "web/page_kit.h"
#include "web/web_ui.h"

namespace cp::web {
namespace {

using http::Request;
using http::Response;
using identity::Principal;
using policy::Permission;

const std::string& StatusFieldOr(const Status& s, const std::string& fallback) {
  return s.field().empty() ? fallback : s.field();
}

bool IsFormError(const Status& s) { return s.code() == StatusCode::kInvalidArgument; }

bool IsWrongState(const Status& s) {
  return s.code() == StatusCode::kFailedPrecondition || s.code() == StatusCode::kConflict;
}

std::string WrongStateMessage() {
  return "This request has moved on since the page was shown. Check its timeline.";
}

std::vector<std::pair<std::string, std::string>> BreakGlassReasons() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : domain::AllBreakGlassReasons()) {
    out.emplace_back(std::string(r.code), std::string(r.label));
  }
  return out;
}

std::string BreakGlassReasonLabel(std::string_view code) {
  auto reason = domain::FindBreakGlassReason(code);
  return reason ? std::string(reason->label) : std::string(code);
}

std::string StepLabel(std::string_view kind) {
  if (kind == "requested") return "Brokering requested";
  if (kind == "management_viewed") return "The management team read the request";
  if (kind == "practitioner_contacted") return "Practitioner contacted";
  if (kind == "shared") return "Shared";
  if (kind == "declined") return "Declined";
  if (kind == "requester_acknowledged") return "Reasons for declining recorded and signed";
  return std::string(kind);
}

std::vector<TimelineEntry> BrokeringTimeline(const workflow::BrokeringView& v) {
  std::vector<TimelineEntry> out;
  for (const auto& s : v.timeline) {
    out.push_back({FormatUtc(s.at), s.actor, StepLabel(s.kind), s.note});
  }
  return out;
}

std::vector<TimelineEntry> InvestigationTimeline(const domain::Investigation& i) {
  std::vector<std::pair<TimePoint, TimelineEntry>> items;
  items.push_back({i.opened_at,
                   {FormatUtc(i.opened_at), i.username, "Break Glass used: investigation opened",
                    BreakGlassReasonLabel(i.reason_code)}});
  for (const auto& n : i.notes) {
    items.push_back({n.created_at, {FormatUtc(n.created_at), n.author, "Note", n.text}});
  }
  if (i.concluded_at) {
    items.push_back({*i.concluded_at,
                     {FormatUtc(*i.concluded_at), "",
                      "Concluded: " + FindingLabel(domain::FindingName(i.finding)), ""}});
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<TimelineEntry> out;
  for (auto& [at, entry] : items) out.push_back(std::move(entry));
  return out;
}

InvestigationRow RowOf(const domain::Investigation& i, Date today) {
  const std::string status(domain::InvestigationStatusName(i.status));
  return {i.id,
          i.child_uin,
          i.username,
          FormatUtc(i.opened_at),
          i.due.ToString(),
          status,
          std::string(domain::FindingName(i.finding)),
          i.status != domain::InvestigationStatus::kConcluded && i.due < today};
}

// Where a notification's recipient acts on it.
std::string NotificationHref(const domain::Notification& n) {
  if (n.kind == "brokering_request") return "/management?section=brokering";
  if (n.kind == "brokering_decision" || n.kind == "brokering_outcome") return "/brokering";
  if (n.kind == "break_glass_used") return "/management/investigations";
  if (n.kind == "review_due") return "/management?section=reviews";
  if (n.kind == "request_pending" || n.kind == "decide_shield") return "/management";
  return "";
}

class BreakGlassUi {
 public:
  explicit BreakGlassUi(BreakGlassUiDeps deps)
      : d_(deps), kit_(deps.gate, deps.idle_seconds, deps.warn_seconds, &deps.break_glass) {}

  // ---- Break Glass --------------------------------------------------------------------------

  Response BreakGlassForm(const Request& request) {
    return kit_.Guarded(request, Permission::kUseBreakGlass,
                        [&](const Principal& p, const PageContext& ctx, const FormData&) {
                          auto uin = domain::Uin::Parse(request.PathParam("uin"));
                          if (!uin.ok()) {
                            return PageKit::Page(RenderBadUinPage(ctx, uin.status().message()),
                                                 400);
                          }
                          Status right = CheckRight(p, request);
                          if (!right.ok()) return PageKit::Failure(ctx, right);
                          BreakGlassFormView view;
                          view.uin = uin->str();
                          view.reasons = BreakGlassReasons();
                          return PageKit::Page(RenderBreakGlassPage(ctx, view));
                        });
  }

  Response UseBreakGlass(const Request& request) {
    return kit_.Guarded(
        request, Permission::kUseBreakGlass,
        [&](const Principal& p, const PageContext& ctx, const FormData& form) {
          auto uin = domain::Uin::Parse(request.PathParam("uin"));
          if (!uin.ok()) return PageKit::Page(RenderBadUinPage(ctx, uin.status().message()), 400);
          BreakGlassFormView view;
          view.uin = uin->str();
          view.reasons = BreakGlassReasons();
          view.reason_code = form.Value("reason_code");
          view.reason_text = form.Value("reason_text");
          const std::string code = PageKit::Trim(form.Value("totp"));
          auto step_up = [&]() -> Status {
            if (code.empty()) {
              return Status::InvalidArgument(
                  "Enter a new security code from your authenticator app", "totp");
            }
            return d_.sign_in.StepUp(p.session, p.user, code, api::Gate::ClientFor(request));
          };
          const workflow::Actor actor = api::Gate::ActorFor(p, request);
          auto grant =
              d_.break_glass.Use(actor, view.uin, view.reason_code, view.reason_text, step_up);
          if (!grant.ok()) {
            const Status& s = grant.status();
            if (s.code() == StatusCode::kFailedPrecondition && s.message() == "not_shielded") {
              return PageKit::Page(RenderNotShieldedPage(ctx, view.uin, true), 400);
            }
            if (s.code() == StatusCode::kResourceExhausted) {
              view.errors["totp"] = std::string(kTooManyAttempts);
              return PageKit::Page(RenderBreakGlassPage(ctx, view), 429);
            }
            if (!IsFormError(s)) return PageKit::Failure(ctx, s);
            if (s.field() == "uin") return PageKit::Page(RenderBadUinPage(ctx, s.message()), 400);
            const std::string& field = StatusFieldOr(s, "");
            if (field == "totp" && !code.empty()) {
              view.errors["totp"] =
                  "The security code is not right or was already used. Wait for a new code "
                  "and try again.";
            } else {
              view.errors[field == "reason_code" || field == "reason_text" || field == "totp"
                              ? field
                              : ""] = s.message();
            }
            return PageKit::Page(RenderBreakGlassPage(ctx, view), 400);
          }
          // The grant is live: open the record through the directory, which passes it to the
          // view policy and audits the view as a Break Glass view.
          auto child = d_.directory.Open(actor, view.uin, "safeguarding", "");
          if (!child.ok()) return PageKit::Failure(ctx, child.status());
          RecordView record{std::move(*child), OrganisationNames()};
          record.break_glass_expires = FormatUtc(grant->expires_at);
          return PageKit::Page(RenderRecordPage(ctx, record));
        });
  }

  // PageKit has already ended the grant (any page request leaves the record).
  Response LeaveRecord(const Request& request) {
    return kit_.Guarded(request, Permission::kSignedInHome,
                        [&](const Principal&, const PageContext& ctx, const FormData&) {
                          return PageKit::Page(RenderLeftRecordPage(ctx));
                        });
  }

  // ---- Brokering: the requester ---------------------------------------------------------------

  Response BrokeringForm(const Request& request) {
    return kit_.Guarded(request, Permission::kRequestBrokering,
                        [&](const Principal&, const PageContext& ctx, const FormData&) {
                          auto uin = domain::Uin::Parse(request.PathParam("uin"));
                          if (!uin.ok()) {
                            return PageKit::Page(RenderBadUinPage(ctx, uin.status().message()),
                                                 400);
                          }
                          BrokeringFormView view;
                          view.uin = uin->str();
                          return PageKit::Page(RenderBrokeringFormPage(ctx, view));
                        });
  }

  Response RequestBrokering(const Request& request) {
    return kit_.Guarded(
        request, Permission::kRequestBrokering,
        [&](const Principal& p, const PageContext& ctx, const FormData& form) {
          auto uin = domain::Uin::Parse(request.PathParam("uin"));
          if (!uin.ok()) return PageKit::Page(RenderBadUinPage(ctx, uin.status().message()), 400);
          BrokeringFormView view;
          view.uin = uin->str();
          view.reason = form.Value("reason");
          auto id = d_.brokering.Request(api::Gate::ActorFor(p, request), view.uin, view.reason);
          if (!id.ok()) {
            const Status& s = id.status();
            if (s.code() == StatusCode::kFailedPrecondition && s.message() == "not_shielded") {
              return PageKit::Page(RenderNotShieldedPage(ctx, view.uin, false), 400);
            }
            if (!IsFormError(s)) return PageKit::Failure(ctx, s);
            if (s.field() == "uin") return PageKit::Page(RenderBadUinPage(ctx, s.message()), 400);
            view.errors["reason"] = s.message();
            return PageKit::Page(RenderBrokeringFormPage(ctx, view), 400);
          }
          return PageKit::RedirectWithFlash("/brokering/" + std::to_string(*id),
                                            "brokering-requested");
        });
  }

  Response Inbox(const Request& request) {
    return kit_.Guarded(
        request, Permission::kSignedInHome,
        [&](const Principal& p, const PageContext& ctx, const FormData&) {
          const workflow::Actor actor = api::Gate::ActorFor(p, request);
          BrokeringInboxView view;
          auto waiting = d_.brokering.ForPractitioner(actor);
          if (!waiting.ok()) return PageKit::Failure(ctx, waiting.status());
          for (const auto& v : *waiting) {
            if (v.status != "contacted") continue;
            view.waiting.push_back({v.id, v.uin, v.status, FormatUtc(v.created_at)});
          }
          if (policy::IsGranted(p.user.roles, Permission::kRequestBrokering) ||
              policy::IsGranted(p.user.roles, Permission::kManageShielding)) {
            auto own = d_.brokering.List(actor);
            if (!own.ok()) return PageKit::Failure(ctx, own.status());
            for (const auto& v : *own) {
              if (v.requester != actor.username) continue;
              view.own.push_back({v.id, v.uin, v.status, FormatUtc(v.created_at)});
            }
          }
          return PageKit::Page(RenderBrokeringInboxPage(ctx, view));
        });
  }

  Response BrokeringPage(const Request& request) {
    return kit_.Guarded(
        request, Permission::kSignedInHome,
        [&](const Principal& p, const PageContext& ctx, const FormData&) {
          auto id = PageKit::PathId(request);
          if (!id.ok()) return PageKit::Failure(ctx, id.status());
          auto view = PageFor(p, request, *id, false);
          if (!view.ok()) return PageKit::Failure(ctx, view.status());
          if (view->role == BrokeringRole::kManagement) {
            return Response::Redirect("/management/brokering/" + std::to_string(*id));
          }
          return PageKit::Page(RenderBrokeringPage(ctx, *view));
        });
  }

  // The practitioner's decision (/brokering/{id}/decision) or management's on their behalf.
  Response Decide(const Request& request, bool management) {
    return kit_.Guarded(
        request, management ? Permission::kManageShielding : Permission::kSignedInHome,
        [&](const Principal& p, const PageContext& ctx, const FormData& form) {
          auto id = PageKit::PathId(request);
          if (!id.ok()) return PageKit::Failure(ctx, id.status());
          const std::string decision = form.Value("decision");
          const std::string released = form.Value("released");
          Status st = d_.brokering.Decide(api::Gate::ActorFor(p, request), *id, decision,
                                          decision == "share" ? released : "");
          if (st.ok()) {
            return PageKit::RedirectWithFlash(
                (management ? "/management/brokering/" : "/brokering/") + std::to_string(*id),
                "decision-recorded");
          }
          return Redisplay(p, request, ctx, *id, management, st, [&](BrokeringPageView& v) {
            v.decision = decision;
            v.released_input = released;
          });
        });
  }
  Response PractitionerDecides(const Request& request) { return Decide(request, false); }
  Response ManagementDecides(const Request& request) { return Decide(request, true); }

  Response Acknowledge(const Request& request) {
    return kit_.Guarded(
        request, Permission::kSignedInHome,
        [&](const Principal& p, const PageContext& ctx, const FormData& form) {
          auto id = PageKit::PathId(request);
          if (!id.ok()) return PageKit::Failure(ctx, id.status());
          const std::string reasons = form.Value("reasons");
          const bool confirm = form.Value("confirm") == "yes";
          Status st =
              d_.brokering.Acknowledge(api::Gate::ActorFor(p, request), *id, reasons, confirm);
          if (st.ok()) {
            return PageKit::RedirectWithFlash("/brokering/" + std::to_string(*id),
                                              "reasons-recorded");
          }
          return Redisplay(p, request, ctx, *id, false, st, [&](BrokeringPageView& v) {
            v.reasons_input = reasons;
            v.confirm = confirm;
          });
        });
  }

  // ---- Brokering: management ----------------------------------------------------------------

  Response ManagementBrokering(const Request& request) {
    return kit_.Guarded(request, Permission::kManageShielding,
                        [&](const Principal& p, const PageContext& ctx, const FormData&) {
                          auto id = PageKit::PathId(request);
                          if (!id.ok()) return PageKit::Failure(ctx, id.status());
                          auto view = PageFor(p, request, *id, true);
                          if (!view.ok()) return PageKit::Failure(ctx, view.status());
                          return PageKit::Page(RenderBrokeringPage(ctx, *view));
                        });
  }

  Response RecordContact(const Request& request) {
    return kit_.Guarded(
        request, Permission::kManageShielding,
        [&](const Principal& p, const PageContext& ctx, const FormData& form) {
          auto id = PageKit::PathId(request);
          if (!id.ok()) return PageKit::Failure(ctx, id.status());
          const std::string involvement = form.Value("involvement_id");
          const std::string practitioner = form.Value("practitioner");
          const std::string username = PageKit::Trim(form.Value("practitioner_username"));
          workflow::ContactInput input;
          input.practitioner_username = username;
          Status st;
          if (involvement.empty()) {
            st = Status::InvalidArgument("Choose the practitioner you contacted", "involvement_id");
          } else if (involvement == "other") {
            input.practitioner = practitioner;
          } else {
            auto parsed = PageKit::PathIdOf(involvement);
            if (!parsed) {
              st = Status::InvalidArgument("Choose the practitioner you contacted",
                                           "involvement_id");
            } else {
              input.involvement_id = *parsed;
            }
          }
          if (st.ok()) st = d_.brokering.RecordContact(api::Gate::ActorFor(p, request), *id, input);
          if (st.ok()) {
            return PageKit::RedirectWithFlash("/management/brokering/" + std::to_string(*id),
                                              "contact-recorded");
          }
          return Redisplay(p, request, ctx, *id, true, st, [&](BrokeringPageView& v) {
            v.involvement = involvement;
            v.practitioner_input = practitioner;
            v.practitioner_username_input = username;
          });
        });
  }

  // ---- Investigations -----------------------------------------------------------------------

  Response Investigations(const Request& request) {
    return kit_.Guarded(request, Permission::kManageShielding,
                        [&](const Principal& p, const PageContext& ctx, const FormData&) {
                          auto list =
                              d_.break_glass.Investigations(api::Gate::ActorFor(p, request));
                          if (!list.ok()) return PageKit::Failure(ctx, list.status());
                          InvestigationListView view;
                          const std::string filter(request.Query("status").value_or(""));
                          if (domain::ParseInvestigationStatus(filter)) view.status_filter = filter;
                          view.total = list->size();
                          const Date today = Date::FromTime(d_.clock.Now());
                          for (const auto& i : *list) {
                            InvestigationRow row = RowOf(i, today);
                            if (!view.status_filter.empty() && row.status != view.status_filter)
                              continue;
                            view.rows.push_back(std::move(row));
                          }
                          return PageKit::Page(RenderInvestigationsPage(ctx, view));
                        });
  }

  Response Investigation(const Request& request) {
    return kit_.Guarded(request, Permission::kManageShielding,
                        [&](const Principal& p, const PageContext& ctx, const FormData&) {
                          auto id = PageKit::PathId(request);
                          if (!id.ok()) return PageKit::Failure(ctx, id.status());
                          auto view = InvestigationFor(p, request, *id);
                          if (!view.ok()) return PageKit::Failure(ctx, view.status());
                          return PageKit::Page(RenderInvestigationPage(ctx, *view));
                        });
  }

  Response InvestigationStep(const Request& request) {
    return kit_.Guarded(
        request, Permission::kManageShielding,
        [&](const Principal& p, const PageContext& ctx, const FormData& form) {
          auto id = PageKit::PathId(request);
          if (!id.ok()) return PageKit::Failure(ctx, id.status());
          const std::string status = form.Value("status");
          const std::string finding = form.Value("finding");
          Status st = d_.break_glass.SetInvestigationStatus(
              api::Gate::ActorFor(p, request), *id, status, status == "concluded" ? finding : "");
          if (st.ok()) {
            return PageKit::RedirectWithFlash("/management/investigations/" + std::to_string(*id),
                                              "investigation-updated");
          }
          return RedisplayInvestigation(p, request, ctx, *id, st, [&](InvestigationView& v) {
            v.finding = finding;
            if (st.field() == "finding" && finding.empty()) {
              v.errors["finding"] = "Choose the finding";
            }
          });
        });
  }

  Response InvestigationNote(const Request& request) {
    return kit_.Guarded(
        request, Permission::kManageShielding,
        [&](const Principal& p, const PageContext& ctx, const FormData& form) {
          auto id = PageKit::PathId(request);
          if (!id.ok()) return PageKit::Failure(ctx, id.status());
          const std::string note = form.Value("note");
          auto added =
              d_.break_glass.AddInvestigationNote(api::Gate::ActorFor(p, request), *id, note);
          if (added.ok()) {
            return PageKit::RedirectWithFlash("/management/investigations/" + std::to_string(*id),
                                              "note-added");
          }
          const Status st = added.status();
          return RedisplayInvestigation(p, request, ctx, *id, st, [&](InvestigationView& v) {
            v.note = note;
            if (IsFormError(st)) {
              v.errors.erase(st.field());
              v.errors["note"] = note.find_first_not_of(" \t\r\n") == std::string::npos
                                     ? "Write the note"
                                     : st.message();
            }
          });
        });
  }

  // ---- Notifications ------------------------------------------------------------------------

  Response Notifications(const Request& request) {
    return kit_.Guarded(request, Permission::kSignedInHome,
                        [&](const Principal& p, const PageContext& ctx, const FormData&) {
                          auto notes = d_.shielding.Notifications(api::Gate::ActorFor(p, request));
                          if (!notes.ok()) return PageKit::Failure(ctx, notes.status());
                          std::vector<NotificationRow> rows;
                          for (const auto& n : *notes) {
                            rows.push_back({n.text, FormatUtc(n.created_at), NotificationHref(n)});
                          }
                          return PageKit::Page(RenderNotificationsPage(ctx, rows));
                        });
  }

 private:
  Status CheckRight(const Principal& p, const Request& request) {
    auto holds = d_.break_glass.HoldsRight(api::Gate::ActorFor(p, request));
    if (!holds.ok()) return holds.status();
    if (!*holds) return Status::PermissionDenied("You do not hold an active Break Glass right");
    return Status::Ok();
  }

  std::map<std::string, std::string, std::less<>> OrganisationNames() {
    std::map<std::string, std::string, std::less<>> names;
    if (auto orgs = d_.orgs.List(); orgs.ok()) {
      for (const auto& o : *orgs) names[o.code] = o.name;
    }
    return names;
  }

  // The page of brokering request `id` as the actor may see it. `management_page`: the
  // management route, which adds the record (opened through the directory, audited).
  Result<BrokeringPageView> PageFor(const Principal& p, const Request& request, int64_t id,
                                    bool management_page) {
    const workflow::Actor actor = api::Gate::ActorFor(p, request);
    CP_ASSIGN_OR_RETURN(workflow::BrokeringView v, d_.brokering.Get(actor, id));
    BrokeringPageView page;
    if (!v.full) {
      page.role = BrokeringRole::kRequester;
    } else if (!v.practitioner_username.empty() && v.practitioner_username == actor.username &&
               !management_page) {
      page.role = BrokeringRole::kPractitioner;
    } else {
      page.role = BrokeringRole::kManagement;
    }
    if (management_page && page.role != BrokeringRole::kManagement) {
      return Status::PermissionDenied("Only the management team of the record's authority");
    }
    page.id = v.id;
    page.uin = v.uin;
    page.status = v.status;
    page.requester = v.requester;
    page.requester_organisation = v.requester_organisation;
    page.created = FormatUtc(v.created_at);
    page.reason = v.reason;
    page.released = v.released;
    page.decline_reasons = v.decline_reasons;
    if (v.acknowledged_at) page.acknowledged = FormatUtc(*v.acknowledged_at);
    if (v.full) {
      page.practitioner = v.practitioner;
      page.practitioner_username = v.practitioner_username;
    }
    for (const auto& c : v.candidates) {
      std::string label = c.practitioner;
      if (!c.organisation.empty()) label += ", " + c.organisation;
      if (!c.service_type.empty()) label += " (" + c.service_type + ")";
      page.candidates.push_back({c.involvement_id, label});
    }
    page.timeline = BrokeringTimeline(v);
    if (management_page) {
      CP_ASSIGN_OR_RETURN(policy::ChildView child,
                          d_.directory.Open(actor, v.uin, "contact_practitioner", ""));
      RecordView record{std::move(child), OrganisationNames()};
      page.record = RenderRecordDetails(record);
    }
    return page;
  }

  template <typename Fill>
  Response Redisplay(const Principal& p, const Request& request, const PageContext& ctx, int64_t id,
                     bool management, const Status& failure, Fill&& fill) {
    if (!IsFormError(failure) && !IsWrongState(failure)) return PageKit::Failure(ctx, failure);
    auto view = PageFor(p, request, id, management);
    if (!view.ok()) return PageKit::Failure(ctx, view.status());
    fill(*view);
    if (IsWrongState(failure)) {
      view->errors[""] = WrongStateMessage();
      return PageKit::Page(RenderBrokeringPage(ctx, *view), 409);
    }
    std::string field = failure.field();
    if (field == "reason_text") field = "released";
    view->errors[field] = failure.message();
    return PageKit::Page(RenderBrokeringPage(ctx, *view), 400);
  }

  Result<InvestigationView> InvestigationFor(const Principal& p, const Request& request,
                                             int64_t id) {
    CP_ASSIGN_OR_RETURN(domain::Investigation i,
                        d_.break_glass.GetInvestigation(api::Gate::ActorFor(p, request), id));
    InvestigationView view;
    view.summary = RowOf(i, Date::FromTime(d_.clock.Now()));
    view.organisation = i.user_organisation;
    view.reason_label = BreakGlassReasonLabel(i.reason_code);
    view.reason_text = i.reason_text;
    view.timeline = InvestigationTimeline(i);
    return view;
  }

  template <typename Fill>
  Response RedisplayInvestigation(const Principal& p, const Request& request,
                                  const PageContext& ctx, int64_t id, const Status& failure,
                                  Fill&& fill) {
    if (!IsFormError(failure) && !IsWrongState(failure)) return PageKit::Failure(ctx, failure);
    auto view = InvestigationFor(p, request, id);
    if (!view.ok()) return PageKit::Failure(ctx, view.status());
    if (IsWrongState(failure)) {
      view->errors[""] = "The investigation has moved on since the page was shown.";
      fill(*view);
      return PageKit::Page(RenderInvestigationPage(ctx, *view), 409);
    }
    view->errors[failure.field() == "finding" ? "finding" : failure.field()] = failure.message();
    fill(*view);
    return PageKit::Page(RenderInvestigationPage(ctx, *view), 400);
  }

  BreakGlassUiDeps d_;
  PageKit kit_;
};

// --- The desk ------------------------------------------------------------------------------

Html DecisionForms(int64_t id, std::string_view csrf_token) {
  const std::string base = "/management/requests/" + std::to_string(id);
  const std::string ref = std::to_string(id);
  return PostForm(base + "/approve", csrf_token,
                  Markup("<button type=\"submit\" class=\"govuk-button govuk-!-margin-bottom-1\" "
                         "data-module=\"govuk-button\">Approve<span "
                         "class=\"govuk-visually-hidden\"> request ") +
                      Escape(ref) + Markup("</span></button>\n")) +
         PostForm(base + "/reject", csrf_token,
                  Markup("<button type=\"submit\" class=\"govuk-button govuk-button--warning "
                         "govuk-!-margin-bottom-1\" data-module=\"govuk-button\">Reject<span "
                         "class=\"govuk-visually-hidden\"> request ") +
                      Escape(ref) + Markup("</span></button>\n"));
}

}  // namespace

Result<DeskView> BuildDesk(DeskSources src, const workflow::Actor& actor, std::string_view section,
                           std::string_view status, std::string_view csrf_token) {
  DeskView view;
  view.authority = actor.authority;
  for (const auto& [id, title] : DeskSectionNames()) {
    if (id == section) view.section = id;
  }
  view.status = std::string(status.substr(0, 32));
  const Date today = Date::FromTime(src.clock.Now());
  auto wanted = [&](std::string_view id) { return view.section.empty() || view.section == id; };
  auto section_of = [&](std::string_view id) {
    DeskSection s;
    for (const auto& [sid, title] : DeskSectionNames()) {
      if (sid == id) {
        s.id = sid;
        s.title = title;
      }
    }
    return s;
  };
  // Items already done (decided, concluded) are kept only when the filter asks for them.
  auto finish = [&](DeskSection s, const std::set<std::string, std::less<>>& done) {
    if (view.status.empty())
      std::erase_if(s.items, [&](const DeskItem& i) { return done.contains(i.status); });
    s.total = s.items.size();
    FilterDeskItems(s, view.status);
    view.sections.push_back(std::move(s));
  };

  // Shield requests awaiting a decision.
  CP_ASSIGN_OR_RETURN(workflow::RequestLists lists, src.shielding.Requests(actor));
  CP_ASSIGN_OR_RETURN(auto reviews, src.shielding.Reviews(actor, workflow::ReviewFilter::kAllOpen));
  if (wanted("requests")) {
    DeskSection s = section_of("requests");
    s.empty_text = "No requests are waiting.";
    for (const auto& r : lists.awaiting_decision) {
      if (r.status != domain::RequestStatus::kPending) continue;
      DeskItem item;
      item.reference = std::to_string(r.id);
      item.uin = r.child_uin;
      item.detail = "Requested by " + r.requested_by;
      item.received = FormatUtc(r.created_at);
      item.status = "pending";
      item.status_text = "Awaiting a decision";
      item.action = DecisionForms(r.id, csrf_token);
      item.href = "/management/requests/" + std::to_string(r.id);
      item.link_text = "View request";
      s.items.push_back(std::move(item));
    }
    finish(std::move(s), {});
  }

  // The requests of each shielded record of the authority (one open review per shielded
  // record): telephone forms awaited, and what kind of shield each review is for.
  std::map<std::string, std::vector<domain::ShieldRequest>, std::less<>> by_record;
  if (wanted("telephone") || wanted("reviews")) {
    for (const auto& item : reviews) {
      if (by_record.contains(item.review.child_uin)) continue;
      CP_ASSIGN_OR_RETURN(auto requests,
                          src.shielding.RequestsForRecord(actor, item.review.child_uin));
      by_record[item.review.child_uin] = std::move(requests);
    }
  }
  if (wanted("telephone")) {
    DeskSection s = section_of("telephone");
    s.empty_text = "No telephone request is waiting for its form.";
    s.more_href = "/management/telephone-requests/new";
    s.more_text = "Record a telephone request";
    for (const auto& [uin, requests] : by_record) {
      for (const auto& r : requests) {
        if (!r.telephone || r.status != domain::RequestStatus::kActive || r.form_received) {
          continue;
        }
        DeskItem item;
        item.reference = std::to_string(r.id);
        item.uin = r.child_uin;
        item.detail = "Form due within 7 working days of the call";
        item.received = FormatUtc(r.created_at);
        if (r.form_due) item.due = r.form_due->ToString();
        item.overdue = domain::TelephoneFormLate(r, today);
        item.status = "awaiting_form";
        item.status_text = "Awaiting the form";
        item.href = "/management/requests/" + std::to_string(r.id);
        item.link_text = "View request";
        s.items.push_back(std::move(item));
      }
    }
    std::sort(s.items.begin(), s.items.end(),
              [](const DeskItem& a, const DeskItem& b) { return a.due < b.due; });
    finish(std::move(s), {});
  }
  if (wanted("reviews")) {
    DeskSection s = section_of("reviews");
    s.empty_text = "No reviews are due.";
    for (const auto& r : reviews) {
      DeskItem item;
      item.uin = r.review.child_uin;
      item.detail = "Shielded record";
      for (const auto& q : by_record[r.review.child_uin]) {
        if (q.status != domain::RequestStatus::kActive) continue;
        if (q.source == domain::ShieldSource::kCoResident) {
          item.detail = "Co-resident of " + q.linked_uin;
        } else if (q.source == domain::ShieldSource::kPossibleDuplicate) {
          item.detail = "Possible duplicate of " + q.linked_uin;
        }
      }
      item.due = r.review.due.ToString();
      item.overdue = r.overdue;
      item.status = r.overdue ? "overdue" : "due";
      item.status_text = r.overdue ? "Overdue" : "Due";
      item.href = "/management/children/" + EncodePathSegment(r.review.child_uin) + "/review";
      item.link_text = "Record a review";
      s.items.push_back(std::move(item));
    }
    finish(std::move(s), {});
  }
  if (wanted("investigations") && src.break_glass != nullptr) {
    DeskSection s = section_of("investigations");
    s.empty_text = "No investigation is open.";
    s.more_href = "/management/investigations";
    s.more_text = "All Break Glass investigations";
    CP_ASSIGN_OR_RETURN(auto list, src.break_glass->Investigations(actor));
    for (const auto& i : list) {
      InvestigationRow row = RowOf(i, today);
      DeskItem item;
      item.reference = std::to_string(i.id);
      item.uin = i.child_uin;
      item.detail = "Used by " + i.username;
      item.received = row.opened;
      item.due = row.due;
      item.overdue = row.overdue;
      item.status = row.status;
      item.status_text = InvestigationStatusLabel(row.status);
      item.href = "/management/investigations/" + std::to_string(i.id);
      item.link_text = "View investigation";
      s.items.push_back(std::move(item));
    }
    finish(std::move(s), {"concluded"});
  }
  if (wanted("brokering") && src.brokering != nullptr) {
    DeskSection s = section_of("brokering");
    s.empty_text = "No brokering request is waiting.";
    CP_ASSIGN_OR_RETURN(auto list, src.brokering->List(actor));
    for (const auto& b : list) {
      DeskItem item;
      item.reference = std::to_string(b.id);
      item.uin = b.uin;
      item.detail = "Asked by " + b.requester;
      item.received = FormatUtc(b.created_at);
      item.status = b.status;
      item.status_text = BrokeringStatusLabel(b.status);
      item.href = "/management/brokering/" + std::to_string(b.id);
      item.link_text = "View request";
      s.items.push_back(std::move(item));
    }
    finish(std::move(s), {"shared", "declined", "acknowledged"});
  }
  if (wanted("appeals")) {
    DeskSection s = section_of("appeals");
    s.empty_text = "No appeal or complaint is open.";
    CP_ASSIGN_OR_RETURN(auto appeals, src.shielding.Appeals(actor));
    for (const auto& a : appeals) {
      DeskItem item;
      item.reference = std::to_string(a.id);
      item.uin = a.child_uin;
      item.detail = "Recorded by " + a.recorded_by;
      item.received = FormatUtc(a.created_at);
      item.status = a.outcome.empty() ? "open" : "decided";
      item.status_text = a.outcome.empty() ? "Open" : "Decided";
      item.href = "/management/appeals/" + std::to_string(a.id);
      item.link_text = "View appeal";
      s.items.push_back(std::move(item));
    }
    finish(std::move(s), {"decided"});
  }
  if (view.section.empty()) {
    CP_ASSIGN_OR_RETURN(auto notes, src.shielding.Notifications(actor));
    for (const auto& n : notes) {
      if (view.notifications.size() >= 20) break;
      view.notifications.push_back({n.text, FormatUtc(n.created_at)});
    }
  }
  return view;
}

Status RegisterBreakGlassUi(http::Router& router, BreakGlassUiDeps deps) {
  auto ui = std::make_shared<BreakGlassUi>(deps);
  auto bind = [ui](Response (BreakGlassUi::*method)(const Request&)) {
    return [ui, method](const Request& r) { return ((*ui).*method)(r); };
  };
  CP_RETURN_IF_ERROR(
      router.Get("/children/{uin}/break-glass", bind(&BreakGlassUi::BreakGlassForm)));
  CP_RETURN_IF_ERROR(
      router.Post("/children/{uin}/break-glass", bind(&BreakGlassUi::UseBreakGlass)));
  CP_RETURN_IF_ERROR(
      router.Post("/children/{uin}/break-glass/leave", bind(&BreakGlassUi::LeaveRecord)));
  CP_RETURN_IF_ERROR(router.Get("/children/{uin}/brokering", bind(&BreakGlassUi::BrokeringForm)));
  CP_RETURN_IF_ERROR(
      router.Post("/children/{uin}/brokering", bind(&BreakGlassUi::RequestBrokering)));
  CP_RETURN_IF_ERROR(router.Get("/brokering", bind(&BreakGlassUi::Inbox)));
  CP_RETURN_IF_ERROR(router.Get("/brokering/{id}", bind(&BreakGlassUi::BrokeringPage)));
  CP_RETURN_IF_ERROR(
      router.Post("/brokering/{id}/decision", bind(&BreakGlassUi::PractitionerDecides)));
  CP_RETURN_IF_ERROR(router.Post("/brokering/{id}/acknowledge", bind(&BreakGlassUi::Acknowledge)));
  CP_RETURN_IF_ERROR(
      router.Get("/management/brokering/{id}", bind(&BreakGlassUi::ManagementBrokering)));
  CP_RETURN_IF_ERROR(
      router.Post("/management/brokering/{id}/contact", bind(&BreakGlassUi::RecordContact)));
  CP_RETURN_IF_ERROR(
      router.Post("/management/brokering/{id}/decision", bind(&BreakGlassUi::ManagementDecides)));
  CP_RETURN_IF_ERROR(router.Get("/management/investigations", bind(&BreakGlassUi::Investigations)));
  CP_RETURN_IF_ERROR(
      router.Get("/management/investigations/{id}", bind(&BreakGlassUi::Investigation)));
  CP_RETURN_IF_ERROR(router.Post("/management/investigations/{id}/status",
                                 bind(&BreakGlassUi::InvestigationStep)));
  CP_RETURN_IF_ERROR(
      router.Post("/management/investigations/{id}/notes", bind(&BreakGlassUi::InvestigationNote)));
  CP_RETURN_IF_ERROR(router.Get("/notifications", bind(&BreakGlassUi::Notifications)));
  return Status::Ok();
}

}  // namespace cp::web
