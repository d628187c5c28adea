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

// The Appendix 4 request form, as typed (form fields "form_<name>", as listed
// under the telephone request below; "form_addresses" for `addresses`).
struct Appendix4View {
  std::string reference, surname, known_as_surname, forenames, date_of_birth, gender;
  std::string addresses;  // One a line.
  std::string service, caseworker, service_phone, service_email;
  std::string office_decision, decided_by, reviewer, review_when;
};
// The requester's part of the Appendix 4 form as GOV.UK fields in a fieldset headed `legend`
// (office use excluded). `errors` keys are the "form_..." field names.
Html Appendix4Fieldset(std::string_view legend, const Appendix4View& form,
                       const FieldErrors& errors);

struct ShieldFormView {
  std::string uin;
  bool applies_directly = false;  // The user shields (kApplyShield) rather than requests.
  std::vector<std::string> criteria;
  std::string category;
  std::string requester_name;
  std::string requester_contact;
  std::string requester_relationship;
  std::string comments;
  Appendix4View form;  // Optional: what the requester knows of the Appendix 4 form.
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
  int64_t id = 0;  // The entry's id, for "confirmation sent" (0: no button).
};
Html RenderShieldingLogPage(const PageContext& ctx, const std::vector<LogRow>& rows);

// The message of an unshield refused because requests are still active.
std::string ActiveRequestsMessage(const std::vector<ActiveRequest>& active);

// ---- The rest of the lifecycle (handlers in shielding_ui.cc) ---------------------------------
//   GET  /shield-requests                          the user's own requests (and, for a named
//                                                  person, those awaiting their decision)
//   POST /shield-requests/<id>/approve|reject      named person decides (kApplyShield)
//   GET  /children/<uin>/shields/<id>/withdraw     POST the same: withdraw (no fields)
//   GET  /management/telephone-requests/new        POST /management/telephone-requests
//        fields: uin, criteria (repeated), category, requester_name, requester_contact,
//                requester_relationship, comments, and the Appendix 4 form: form_reference,
//                form_surname, form_known_as_surname, form_forenames, form_date_of_birth,
//                form_gender, form_addresses (one a line), form_service, form_caseworker,
//                form_service_phone, form_service_email, form_office_decision,
//                form_decided_by, form_reviewer, form_review_when
//   GET  /management/requests/<id>                 the request, its sealed form, documents
//   POST /management/requests/<id>/form-received
//   POST /management/requests/<id>/documents       multipart/form-data: csrf_token, document
//   GET  /management/requests/<id>/documents/<doc_id>
//   GET  /management/appeals                       GET /management/appeals/new
//   POST /management/appeals                       fields: uin, appellant, grounds
//   GET  /management/appeals/<id>                  POST the same: outcome, notes
//   POST /management/shielding-log/<id>/confirmation-sent

// One request in a list: the requester's own or one awaiting a named person.
struct RequestRow {
  int64_t id = 0;
  std::string uin;
  std::string status;  // A RequestStatusName code: "pending", "active", ...
  std::string criteria;
  std::string category;
  std::string requested_by;
  std::string created;  // ISO 8601.
};
struct MyShieldRequestsView {
  std::vector<RequestRow> own;
  bool named_person = false;  // Show the "awaiting your decision" section.
  std::vector<RequestRow> awaiting;
};
Html RenderMyShieldRequestsPage(const PageContext& ctx, const MyShieldRequestsView& view);

struct WithdrawView {
  RequestRow request;
  bool withdrawable = false;  // Pending or active.
  FieldErrors errors;         // Key "" (the whole request).
};
Html RenderWithdrawPage(const PageContext& ctx, const WithdrawView& view);

struct TelephoneRequestView {
  std::string uin;
  std::vector<std::string> criteria;
  std::string category;
  std::string requester_name;
  std::string requester_contact;
  std::string requester_relationship;
  std::string comments;
  Appendix4View form;
  std::string today;     // ISO date: the call is recorded today.
  std::string form_due;  // ISO date: 7 working days after today.
  FieldErrors errors;
};
Html RenderTelephoneRequestPage(const PageContext& ctx, const TelephoneRequestView& view);

struct DocumentRow {
  int64_t id = 0;
  std::string content_type;
  int64_t size = 0;
  std::string uploaded_by;
  std::string uploaded_at;  // ISO 8601.
};
struct RequestDetailView {
  RequestRow request;
  std::string source;  // ShieldSourceName.
  std::string requester_name, requester_contact, requester_relationship;
  std::string comments;
  bool telephone = false;
  std::string form_due;       // ISO date; telephone only.
  std::string form_received;  // ISO date; empty: not yet.
  std::string linked_uin;
  std::string decided_by, decided_at, decision_note;
  Appendix4View form;
  std::vector<DocumentRow> documents;
  FieldErrors errors;  // Key "document" (the upload) or "" (an action).
};
Html RenderRequestDetailPage(const PageContext& ctx, const RequestDetailView& view);

struct AppealRow {
  int64_t id = 0;
  std::string uin;
  std::string appellant;
  std::string grounds;
  std::string outcome;  // Empty while open.
  std::string notes;
  std::string recorded_by;
  std::string created;  // ISO 8601.
  std::string decided_by;
  std::string decided_at;
};
Html RenderAppealsPage(const PageContext& ctx, const std::vector<AppealRow>& appeals);
struct NewAppealView {
  std::string uin, appellant, grounds;
  FieldErrors errors;
};
Html RenderNewAppealPage(const PageContext& ctx, const NewAppealView& view);
struct AppealView {
  AppealRow appeal;
  std::string outcome;  // As typed.
  std::string notes;
  FieldErrors errors;
};
Html RenderAppealPage(const PageContext& ctx, const AppealView& view);

// "Wednesday 10 April 2024" for an ISO date (the date itself if it does not parse).
std::string FormatLongDate(std::string_view iso);

}  // namespace cp::web
