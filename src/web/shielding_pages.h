// The shielding pages: the shield request form and its confirmation, and the management desk
// (reviews, pending requests, notifications, a record's review and unshield, the shielding log).
//
// Routes and field names (the handlers in web_ui.cc read exactly these; every form also posts
// csrf_token):
//   GET  /children/<uin>/shield        the request form (kApplyShield or kRequestShield)
//   POST /children/<uin>/shield        the confirmation, or the form again with its errors.
//        fields: criteria (repeated: child_at_risk, placement_at_risk, adult_at_risk,
//                serious_crime, cohabitant_at_risk), category, requester_name,
//                requester_contact, requester_relationship, comments
//   GET  /management                   the desk (kManageShielding)
//   POST /management/requests/<id>/approve   POST /management/requests/<id>/reject
//   GET  /management/children/<uin>/review   the review form and the unshield button
//   POST /management/children/<uin>/review   fields: consulted, outcome, notes
//   POST /management/children/<uin>/unshield
//   GET  /management/shielding-log
// Error keys are these field names, and "" for a message about the whole form.
//
// Contract: pages show UINs, codes, dates and the log's own fields; never a child's hidden
// details. All text is escaped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "web/components.h"
#include "web/html.h"
#include "web/layout.h"

namespace cp::web {

struct ShieldFormView {
  std::string uin;
  bool applies_directly = false;  // The user shields (kApplyShield) rather than requests.
  std::vector<std::string> criteria;
  std::string category;
  std::string requester_name;
  std::string requester_contact;
  std::string requester_relationship;
  std::string comments;
  FieldErrors errors;
};
Html RenderShieldFormPage(const PageContext& ctx, const ShieldFormView& view);

enum class ShieldResult { kApplied, kPending, kRejected };
struct ShieldConfirmationView {
  std::string uin;
  ShieldResult result = ShieldResult::kApplied;
  int64_t request_id = 0;
  std::string routed_to;  // Pending: "organisation" or "management".
  size_t co_residents_shielded = 0;
};
Html RenderShieldConfirmationPage(const PageContext& ctx, const ShieldConfirmationView& view);

struct DeskReview {
  std::string uin;
  std::string due;  // YYYY-MM-DD.
  bool overdue = false;
};
struct DeskRequest {
  int64_t id = 0;
  std::string uin;
  std::string criteria;  // Codes, comma-separated.
  std::string category;
  std::string requested_by;
  std::string created;  // ISO 8601.
};
struct DeskNotification {
  std::string text;
  std::string uin;
  std::string created;
};
struct ManagementDeskView {
  std::vector<DeskReview> reviews;
  std::vector<DeskRequest> pending;
  std::vector<DeskNotification> notifications;
};
Html RenderManagementDeskPage(const PageContext& ctx, const ManagementDeskView& view);

struct ActiveRequest {
  int64_t id = 0;
  std::string requester;
  std::string created;
};
struct ReviewFormView {
  std::string uin;
  std::string due;  // Empty: no open review.
  bool overdue = false;
  std::vector<ActiveRequest> active;
  std::string consulted;
  std::string outcome;
  std::string notes;
  FieldErrors errors;
};
Html RenderReviewPage(const PageContext& ctx, const ReviewFormView& view);

struct LogRow {
  std::string uin;
  int action = 0;
  std::string action_name;
  std::string category;
  std::string date;
  std::string requester_contact;
  std::string relationship;
  std::string confirmation_sent;
  std::string comments;
};
Html RenderShieldingLogPage(const PageContext& ctx, const std::vector<LogRow>& rows);

// The message of an unshield refused because requests are still active.
std::string ActiveRequestsMessage(const std::vector<ActiveRequest>& active);

}  // namespace cp::web
