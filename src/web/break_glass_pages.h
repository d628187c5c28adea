// The Break Glass, brokering, investigation and notification pages (docs/break-glass.md).
// Pure renderers of view models; the handlers are in break_glass_ui.h.
//
// Routes and field names (every form also posts csrf_token):
//   GET  /children/<uin>/break-glass          the warning and confirmation screen
//   POST /children/<uin>/break-glass          fields: reason_code (a code of
//        domain::AllBreakGlassReasons()), reason_text, totp -> the record as a Break Glass view
//   POST /children/<uin>/break-glass/leave    ends the grant ("Leave record")
//   GET  /children/<uin>/brokering            POST: field reason
//   GET  /brokering                           the inbox: waiting for your decision; your requests
//   GET  /brokering/<id>                      one request as its viewer may see it
//   POST /brokering/<id>/decision             fields: decision ("share", "decline"), released
//   POST /brokering/<id>/acknowledge          fields: reasons, confirm ("yes")
//   GET  /management/brokering/<id>           management's view with the record
//   POST /management/brokering/<id>/contact   fields: involvement_id (a listed involvement, or
//        "other"), practitioner (when other), practitioner_username (optional)
//   POST /management/brokering/<id>/decision  as /brokering/<id>/decision, on behalf
//   GET  /management/investigations[?status=open|in_review|concluded]
//   GET  /management/investigations/<id>
//   POST /management/investigations/<id>/status  fields: status ("in_review", "concluded"),
//        finding ("justified", "not_justified", "referred")
//   POST /management/investigations/<id>/notes   field: note
//   GET  /notifications
// Error keys are these field names, and "" for a message about the whole form.
//
// Contract: the requester's brokering page is built from the requester's view only (no
// practitioner, no involvement, only released text); the renderers add nothing from
// elsewhere. All text is escaped.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "web/components.h"
#include "web/html.h"
#include "web/layout.h"

namespace cp::web {

// "2026-11-22T09:30:00Z" -> "22 November 2026 at 09:30 UTC"; other text unchanged.
std::string FormatWhenUtc(std::string_view iso);

// --- Break Glass ---------------------------------------------------------------------------

struct BreakGlassFormView {
  std::string uin;
  std::vector<std::pair<std::string, std::string>> reasons;  // code, label.
  std::string reason_code;
  std::string reason_text;
  FieldErrors errors;
};
Html RenderBreakGlassPage(const PageContext& ctx, const BreakGlassFormView& view);

// The 400 page for Break Glass or brokering on a record that is not shielded.
Html RenderNotShieldedPage(const PageContext& ctx, std::string_view uin, bool break_glass);

// What a shielded view offers under its notice: "Request brokering" and, only when the user
// holds the right, "Break Glass". Empty when neither.
Html ShieldedRecordActions(std::string_view uin, bool can_request_brokering, bool can_break_glass);

// The banner at the top of a Break Glass view, with the "Leave record" form.
// `expires` is an ISO 8601 UTC time.
Html BreakGlassViewBanner(const PageContext& ctx, std::string_view uin, std::string_view expires);

// After "Leave record": the Break Glass view has ended.
Html RenderLeftRecordPage(const PageContext& ctx);

// --- Timelines -----------------------------------------------------------------------------

struct TimelineEntry {
  std::string at;  // ISO 8601 UTC.
  std::string who;
  std::string what;
  std::string text;  // May be empty.
};
Html Timeline(const std::vector<TimelineEntry>& entries);

// --- Investigations ------------------------------------------------------------------------

struct InvestigationRow {
  int64_t id = 0;
  std::string uin;
  std::string user;
  std::string opened;  // ISO 8601.
  std::string due;     // YYYY-MM-DD.
  std::string status;  // "open", "in_review", "concluded".
  std::string finding;
  bool overdue = false;
};
struct InvestigationListView {
  std::string status_filter;  // "" for all.
  size_t total = 0;           // Before filtering.
  std::vector<InvestigationRow> rows;
};
Html RenderInvestigationsPage(const PageContext& ctx, const InvestigationListView& view);

std::string InvestigationStatusLabel(std::string_view status);
std::string FindingLabel(std::string_view finding);

struct InvestigationView {
  InvestigationRow summary;
  std::string organisation;
  std::string reason_label;
  std::string reason_text;
  std::vector<TimelineEntry> timeline;
  // Form state.
  std::string next_status;
  std::string finding;
  std::string note;
  FieldErrors errors;
};
Html RenderInvestigationPage(const PageContext& ctx, const InvestigationView& view);

// --- Brokering -----------------------------------------------------------------------------

struct BrokeringFormView {
  std::string uin;
  std::string reason;
  FieldErrors errors;
};
Html RenderBrokeringFormPage(const PageContext& ctx, const BrokeringFormView& view);

std::string BrokeringStatusLabel(std::string_view status);

struct BrokeringCandidate {
  int64_t involvement_id = 0;
  std::string label;  // Practitioner, organisation and service.
};

enum class BrokeringRole { kRequester, kPractitioner, kManagement };

struct BrokeringPageView {
  BrokeringRole role = BrokeringRole::kRequester;
  int64_t id = 0;
  std::string uin;
  std::string status;
  std::string requester;
  std::string requester_organisation;
  std::string created;  // ISO 8601.
  std::string reason;
  std::string released;
  std::string decline_reasons;
  std::string acknowledged;  // ISO 8601, empty until signed.
  // Full views only (practitioner, management).
  std::string practitioner;
  std::string practitioner_username;
  std::vector<BrokeringCandidate> candidates;
  Html record;  // Management: the child's record, rendered by the directory pages.
  std::vector<TimelineEntry> timeline;
  // Form state.
  std::string decision;
  std::string released_input;
  std::string involvement;
  std::string practitioner_input;
  std::string practitioner_username_input;
  std::string reasons_input;
  bool confirm = false;
  FieldErrors errors;
};
Html RenderBrokeringPage(const PageContext& ctx, const BrokeringPageView& view);

struct BrokeringRow {
  int64_t id = 0;
  std::string uin;
  std::string status;
  std::string created;  // ISO 8601.
};
struct BrokeringInboxView {
  std::vector<BrokeringRow> waiting;  // Waiting for the user's decision.
  std::vector<BrokeringRow> own;      // The user's own requests.
};
Html RenderBrokeringInboxPage(const PageContext& ctx, const BrokeringInboxView& view);

// --- Notifications -------------------------------------------------------------------------

struct NotificationRow {
  std::string text;
  std::string created;  // ISO 8601.
  std::string href;     // Where to act on it; empty: no link.
};
Html RenderNotificationsPage(const PageContext& ctx, const std::vector<NotificationRow>& rows);

}  // namespace cp::web
