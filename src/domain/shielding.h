// Shielding: the plain types and rules of shield requests, the shielding log, reviews,
// appeals and supporting documents (policy §§2-7, 10, 11, 15; Appendices 2 and 4).
//
// These types never hold a child's hidden details in clear outside the request form and
// documents, which the store seals at rest. The shielding log (LogEntry) holds exactly the
// policy's 8 fields and no case details. No SQL, no HTTP. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/result.h"

namespace cp::domain {

// The criteria of §3 and the request form. At least one must apply, or the request is rejected.
enum class ShieldCriterion : uint8_t {
  kChildAtRisk = 0,       // The child at increased risk of significant harm.
  kPlacementAtRisk = 1,   // The placement at risk (looked-after or adopted children).
  kAdultAtRisk = 2,       // An adult at risk of significant harm.
  kSeriousCrime = 3,      // The prevention or detection of serious crime prejudiced.
  kCohabitantAtRisk = 4,  // Someone the child lives with at risk (Appendix 2).
};

struct CriterionInfo {
  ShieldCriterion criterion;
  std::string_view code;      // "child_at_risk", ...
  std::string_view question;  // Appendix 2's question, for decision support.
};
const std::vector<CriterionInfo>& AllShieldCriteria();
std::string_view ShieldCriterionName(ShieldCriterion c);
std::optional<ShieldCriterion> ParseShieldCriterion(std::string_view code);
// Parses a list of codes; InvalidArgument (field "criteria") on an unknown or repeated code.
// An empty list is valid here: it is the service that rejects (and logs) it.
Result<std::vector<ShieldCriterion>> ParseShieldCriteria(const std::vector<std::string>& codes);

// What the request form and the UI say about objections in principle (§2.8).
inline constexpr std::string_view kObjectionInPrincipleNotice =
    "Objection to ContactPoint in principle is not a reason to shield a record.";

// The categories of the leaflet, kept as data (shielding.cc). Codes are stable.
struct ShieldCategory {
  std::string_view code;
  std::string_view label;
};
const std::vector<ShieldCategory>& AllShieldCategories();
bool IsShieldCategory(std::string_view code);

// The shielding log's action codes (§15, field 2). The numbers are the policy's.
enum class LogAction : uint8_t {
  kShieldApplied = 1,          // Shield applied, as requested.
  kPossibleMatchShielded = 2,  // Applied to a possible (not definite) match.
  kNewRecordShielded = 3,      // New child record created and shielded.
  kAdditionalRequest = 4,      // An additional request for an already shielded record.
  kRejected = 5,               // Request rejected (no criterion applies) or lapsed.
};
// "shield_applied", "possible_match_shielded", "new_record_shielded", "additional_request",
// "rejected".
std::string_view LogActionName(LogAction a);
std::optional<LogAction> LogActionFromInt(int64_t v);

// Where a request came from.
enum class ShieldSource : uint8_t {
  kUser = 0,               // A user with the shielder or management right, directly.
  kPractitioner = 1,       // A practitioner's request, applied by the named person/management.
  kTelephone = 2,          // A call taken by management for a non-user (child, carer, ...).
  kCoResident = 3,         // §10: a child at the same address as a shielded child.
  kPossibleDuplicate = 4,  // §11: a possible duplicate of a shielded record.
  kImport = 5,             // Shields placed before go-live.
};
std::string_view ShieldSourceName(ShieldSource s);
std::optional<ShieldSource> ParseShieldSource(std::string_view name);

// The life of one request. Only kActive holds the shield.
//   pending  -> active (approved) | rejected | withdrawn
//   active   -> withdrawn (by the requester or management) | lapsed (telephone form late)
//               | closed (the record was unshielded by management)
enum class RequestStatus : uint8_t {
  kPending = 0,
  kActive = 1,
  kWithdrawn = 2,
  kRejected = 3,
  kLapsed = 4,
  kClosed = 5,
};
std::string_view RequestStatusName(RequestStatus s);
std::optional<RequestStatus> ParseRequestStatus(std::string_view name);

// The requesting body (log fields 5 and 6).
struct Requester {
  std::string name;
  std::string contact;       // Telephone, email or postal contact.
  std::string relationship;  // Role or relationship to the child.
  bool operator==(const Requester&) const = default;
};

// The request form of Appendix 4. Sealed at rest (it may hold the child's addresses).
struct ShieldForm {
  std::string requester_reference;  // The requester's own reference for the child.
  std::string surname;
  std::string known_as_surname;
  std::string forenames;
  std::string date_of_birth;  // YYYY-MM-DD or empty.
  std::string gender;
  std::vector<std::string> recent_addresses;
  std::string service_name;  // Service contact: who deals with the case.
  std::string caseworker;
  std::string service_phone;
  std::string service_email;
  std::string office_decision;  // Office use.
  std::string decided_by;
  std::string reviewer;
  std::string review_when;
  bool operator==(const ShieldForm&) const = default;
  bool empty() const { return *this == ShieldForm{}; }
};

struct ShieldRequest {
  int64_t id = 0;
  int64_t child_id = 0;
  std::string child_uin;
  std::string authority;  // The record's responsible authority when the request was made.
  ShieldSource source = ShieldSource::kUser;
  RequestStatus status = RequestStatus::kPending;
  std::vector<ShieldCriterion> criteria;
  std::string category;
  Requester requester;
  std::string requested_by;   // Username of the user who raised or recorded it.
  std::string requester_org;  // That user's organisation code.
  // Pending requests: "organisation:<code>" (its named persons) or "management:<authority>".
  std::string routed_to;
  int64_t origin_request_id = 0;  // Co-residents: the request that caused this one.
  std::string linked_uin;         // Co-resident of / possible duplicate of this UIN.
  bool telephone = false;
  std::optional<Date> form_due;       // Telephone: the completed form is due by this date.
  std::optional<Date> form_received;  // Telephone: when the form arrived.
  bool pre_go_live = false;           // Imported shield: first review at 6 months.
  std::string comments;               // Free text for the log; must not hold case details.
  ShieldForm form;                    // Sealed at rest.
  TimePoint created_at;
  std::optional<TimePoint> decided_at;
  std::string decided_by;
  std::string decision_note;
};

// One entry of the shielding log: exactly the 8 fields of §15, plus store keys.
struct LogEntry {
  int64_t id = 0;
  std::string authority;   // Whose log (management sees only its own). Not exported.
  int64_t request_id = 0;  // The request it records (0: none). Not exported.
  std::string uin;         // 1.
  LogAction action = LogAction::kShieldApplied;  // 2.
  std::string category;                          // 3.
  Date date;                                     // 4.
  std::string requester_contact;                 // 5.
  std::string relationship;                      // 6.
  std::optional<Date> confirmation_sent;         // 7.
  std::string comments;                          // 8.
};

enum class ReviewOutcome : uint8_t { kContinue = 0, kUnshieldRecommended = 1 };
std::string_view ReviewOutcomeName(ReviewOutcome o);
std::optional<ReviewOutcome> ParseReviewOutcome(std::string_view name);

// A review of a shielded record (§6). One open review per record at a time.
struct Review {
  int64_t id = 0;
  int64_t child_id = 0;
  std::string child_uin;
  std::string authority;
  Date due;
  std::optional<TimePoint> completed_at;
  std::string reviewer;
  std::vector<std::string> consulted;  // Request ids or names of those consulted.
  std::optional<ReviewOutcome> outcome;
  std::string notes;
  bool open() const { return !completed_at.has_value(); }
};

// When the first review of a request falls due: 7 days after it (6 months for a shield placed
// before go-live).
Date FirstReviewDue(Date requested, bool pre_go_live);
// The next periodic review after one completed on `completed`: 6 months later. There is no age
// cut-off: reviews continue past the 18th birthday while the record exists (principle 16).
Date NextReviewDue(Date completed);
// The telephone form deadline: 7 working days after the call (bank holidays excluded).
Date TelephoneFormDue(Date called);
// True when the form is late on `today`: the deadline has passed without the form.
bool TelephoneFormLate(const ShieldRequest& request, Date today);

// A message shown in the app. `recipient` is "user:<username>", "shielders:<organisation>" or
// "management:<authority>".
struct Notification {
  int64_t id = 0;
  std::string recipient;
  std::string kind;  // "review_due", "request_pending", "decide_shield", "outcome", ...
  std::string text;  // No case details: UINs, request ids, states.
  std::string child_uin;
  int64_t request_id = 0;
  TimePoint created_at;
};

// An appeal or complaint about a decision to shield or not (operational challenge 8).
struct Appeal {
  int64_t id = 0;
  std::string child_uin;
  std::string authority;
  std::string appellant;  // Sealed at rest with the grounds and notes.
  std::string grounds;
  std::string outcome;  // "" while open; "upheld", "not_upheld", "withdrawn".
  std::string notes;
  std::string recorded_by;
  TimePoint created_at;
  std::optional<TimePoint> decided_at;
  std::string decided_by;
};
bool IsAppealOutcome(std::string_view outcome);

// Supporting documents: PDF, PNG or JPEG, at most kMaxDocumentBytes, checked by magic bytes.
inline constexpr size_t kMaxDocumentBytes = 5 * 1024 * 1024;
// InvalidArgument (field "content_type" or "document") unless `content_type` is one of the
// allowed types, the bytes start with that type's signature, and the size is within limits.
Status ValidateDocument(std::string_view content_type, std::string_view bytes);

struct DocumentInfo {
  int64_t id = 0;
  int64_t request_id = 0;
  std::string content_type;
  int64_t size = 0;
  std::string uploaded_by;
  TimePoint uploaded_at;
};

// The shielding log as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma,
// quote or line break). Cells that a spreadsheet would run as a formula (starting with = + - @
// tab or CR) are prefixed with a single quote. Header:
// uin,action,category,date,requester_contact,relationship,confirmation_sent,comments
std::string ShieldingLogCsv(const std::vector<LogEntry>& entries);
std::string CsvField(std::string_view text);

}  // namespace cp::domain
