// Break Glass (the emergency shielding override, policy principle 7 and section 9) and
// brokering (principles 11 and 14, section 8): plain types and rules. See docs/break-glass.md.
//
// Holding the right takes two things: the role break_glass, and an active authorisation —
// nominated by the management of the holder's local authority, approved by the Local
// Safeguarding Children Board (approver, date and reference recorded), less than a year since
// that approval, and not revoked. A grant opens the full view of one shielded record for at
// most kGrantLifetime and ends earlier when its holder leaves the record. Every grant opens an
// investigation, due on the next working day.
//
// Nothing here holds a child's shielded details except the brokering request's practitioner
// and released text, which the workflow shows only to those allowed to see them.
// Pure and thread-compatible.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/result.h"

namespace cp::domain {

// --- The right -----------------------------------------------------------------------------

enum class HolderStatus { kPending, kActive, kExpired, kRevoked };
std::string_view HolderStatusName(HolderStatus s);  // "pending", "active", "expired", "revoked"

// One nomination of a user for the right, and what became of it. A revoked authorisation is
// kept (history); a new nomination makes a new one.
struct BreakGlassHolder {
  int64_t id = 0;
  std::string username;
  std::string authority;  // The local authority whose management nominated the holder.
  std::string nominated_by;
  TimePoint nominated_at;
  // The LSCB (or equivalent) approval. Absent until recorded.
  std::string approved_by;  // Who approved, for the board.
  std::optional<Date> approved_on;
  std::string approval_reference;
  std::string approval_recorded_by;
  std::optional<TimePoint> revoked_at;
  std::string revoked_by;
};

// The last day the approval counts: the day before its first anniversary.
std::optional<Date> ApprovalExpiresOn(const BreakGlassHolder& holder);
// Revoked beats everything; then no approval is pending; then an approval older than a year
// (on or after its anniversary, `today`) has expired.
HolderStatus StatusOn(const BreakGlassHolder& holder, Date today);

// Written text (reasons, notes): at most `max` bytes of valid UTF-8 without control
// characters other than line breaks; trimmed. InvalidArgument naming `field` otherwise (an
// empty text included).
Result<std::string> ValidateWrittenText(std::string_view text, std::string_view field, size_t max);

// --- Using it ------------------------------------------------------------------------------

inline constexpr Duration kGrantLifetime = std::chrono::minutes(15);

struct BreakGlassReason {
  std::string_view code;
  std::string_view label;
};
// ae_attendance, out_of_hours_social_care, crime_investigation, immediate_threat_other.
std::span<const BreakGlassReason> AllBreakGlassReasons();
std::optional<BreakGlassReason> FindBreakGlassReason(std::string_view code);
// OK for a known code and a written reason of 1 to 1000 characters (after trimming);
// InvalidArgument naming "reason_code" or "reason_text" otherwise.
Status ValidateBreakGlassReason(std::string_view code, std::string_view text);

// The full view of one record for one user, from created_at until expires_at or ended_at.
struct BreakGlassGrant {
  int64_t id = 0;
  std::string username;
  int64_t child_id = 0;
  std::string child_uin;
  std::string reason_code;
  TimePoint created_at;
  TimePoint expires_at;  // created_at + kGrantLifetime.
  std::optional<TimePoint> ended_at;
  std::string end_reason;  // "left_record", "search", "ended", "superseded".
};

// Live while not ended and `now` is before expires_at (so a grant made at 14:45 is no longer
// live at 15:00:00 exactly).
bool IsLive(const BreakGlassGrant& grant, TimePoint now);

// --- The investigation ---------------------------------------------------------------------

enum class InvestigationStatus { kOpen, kInReview, kConcluded };
enum class Finding { kNone, kJustified, kNotJustified, kReferred };
std::string_view InvestigationStatusName(InvestigationStatus s);  // "open", "in_review", ...
std::optional<InvestigationStatus> ParseInvestigationStatus(std::string_view name);
std::string_view FindingName(Finding f);  // "", "justified", "not_justified", "referred"
std::optional<Finding> ParseFinding(std::string_view name);

// The case moves one way only: open -> in_review -> concluded; concluding needs a finding and
// no other step takes one. FailedPrecondition ("invalid_transition") or InvalidArgument
// (field "finding") otherwise.
Status CheckInvestigationStep(InvestigationStatus from, InvestigationStatus to, Finding finding);

struct InvestigationNote {
  int64_t id = 0;
  std::string author;
  TimePoint created_at;
  std::string text;
};

struct Investigation {
  int64_t id = 0;
  int64_t grant_id = 0;
  std::string username;           // Who broke the glass.
  std::string user_organisation;  // Their organisation's code.
  std::string child_uin;
  std::string authority;  // The record's responsible authority: its management investigates.
  std::string reason_code;
  std::string reason_text;
  TimePoint opened_at;
  Date due;  // NextWorkingDay(the date of use), out of hours included.
  InvestigationStatus status = InvestigationStatus::kOpen;
  Finding finding = Finding::kNone;
  std::optional<TimePoint> concluded_at;
  std::vector<InvestigationNote> notes;  // Oldest first.
};

// --- Brokering -----------------------------------------------------------------------------

// requested -> contacted -> shared | declined -> (declined only) acknowledged.
enum class BrokeringStatus { kRequested, kContacted, kShared, kDeclined, kAcknowledged };
std::string_view BrokeringStatusName(BrokeringStatus s);
std::optional<BrokeringStatus> ParseBrokeringStatus(std::string_view name);

// One step of the timeline. `note` may hold shielded details (the practitioner contacted,
// the released text): the workflow filters steps before a requester sees them.
struct BrokeringStep {
  int64_t id = 0;
  TimePoint at;
  std::string actor;
  std::string kind;  // "requested", "management_viewed", "practitioner_contacted", "shared",
                     // "declined", "requester_acknowledged".
  std::string note;
};

struct BrokeringRequest {
  int64_t id = 0;
  int64_t child_id = 0;
  std::string child_uin;
  std::string authority;  // The record's responsible authority.
  std::string requester;
  std::string requester_organisation;
  std::string reason;
  BrokeringStatus status = BrokeringStatus::kRequested;
  TimePoint created_at;
  // Set when management records the contact (shielded: never shown to the requester).
  int64_t involvement_id = 0;
  std::string practitioner;
  std::string practitioner_username;  // When the practitioner is a user and decides in the app.
  // Set by the decision.
  std::string decided_by;
  std::string released;  // Shared: the contact details or information released.
  // Declined: the reasons the requester recorded, confirmed while signed in ("signed"), dated.
  std::string decline_reasons;
  std::optional<TimePoint> acknowledged_at;
  std::vector<BrokeringStep> steps;  // Oldest first.
};

}  // namespace cp::domain
