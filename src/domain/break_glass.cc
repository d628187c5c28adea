#include "domain/break_glass.h"

#include <cctype>

#include "domain/field_validation.h"

namespace cp::domain {
namespace {

constexpr BreakGlassReason kReasons[] = {
    {"ae_attendance", "A&E attendance"},
    {"out_of_hours_social_care", "Out-of-hours social care"},
    {"crime_investigation", "Investigation of a crime toward or by the child"},
    {"immediate_threat_other", "Immediate threat: other"},
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view HolderStatusName(HolderStatus s) {
  switch (s) {
    case HolderStatus::kPending:
      return "pending";
    case HolderStatus::kActive:
      return "active";
    case HolderStatus::kExpired:
      return "expired";
    case HolderStatus::kRevoked:
      return "revoked";
  }
  return "pending";
}

std::optional<Date> ApprovalExpiresOn(const BreakGlassHolder& holder) {
  if (!holder.approved_on) return std::nullopt;
  return holder.approved_on->AddYears(1).AddDays(-1);
}

HolderStatus StatusOn(const BreakGlassHolder& holder, Date today) {
  if (holder.revoked_at) return HolderStatus::kRevoked;
  if (!holder.approved_on) return HolderStatus::kPending;
  if (today > *ApprovalExpiresOn(holder)) return HolderStatus::kExpired;
  return HolderStatus::kActive;
}

Result<std::string> ValidateWrittenText(std::string_view text, std::string_view field, size_t max) {
  std::string_view trimmed = Trim(text);
  if (trimmed.empty()) return Status::InvalidArgument("must not be empty", std::string(field));
  if (trimmed.size() > max) {
    return Status::InvalidArgument("must be " + std::to_string(max) + " characters or fewer",
                                   std::string(field));
  }
  // Line by line, so that line breaks pass and every other control character is refused.
  size_t start = 0;
  while (start <= trimmed.size()) {
    size_t end = trimmed.find('\n', start);
    if (end == std::string_view::npos) end = trimmed.size();
    std::string_view line = trimmed.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    CP_RETURN_IF_ERROR(ValidateText(line, field, max).status());
    start = end + 1;
  }
  return std::string(trimmed);
}

std::span<const BreakGlassReason> AllBreakGlassReasons() { return kReasons; }

std::optional<BreakGlassReason> FindBreakGlassReason(std::string_view code) {
  for (const auto& r : kReasons) {
    if (r.code == code) return r;
  }
  return std::nullopt;
}

Status ValidateBreakGlassReason(std::string_view code, std::string_view text) {
  if (code.empty()) return Status::InvalidArgument("Choose a reason", "reason_code");
  if (!FindBreakGlassReason(code)) {
    return Status::InvalidArgument("Choose a reason from the list", "reason_code");
  }
  if (Trim(text).empty()) {
    return Status::InvalidArgument("Write the reason for using Break Glass", "reason_text");
  }
  return ValidateWrittenText(text, "reason_text", 1000).status();
}

bool IsLive(const BreakGlassGrant& grant, TimePoint now) {
  return !grant.ended_at.has_value() && now < grant.expires_at;
}

std::string_view InvestigationStatusName(InvestigationStatus s) {
  switch (s) {
    case InvestigationStatus::kOpen:
      return "open";
    case InvestigationStatus::kInReview:
      return "in_review";
    case InvestigationStatus::kConcluded:
      return "concluded";
  }
  return "open";
}

std::optional<InvestigationStatus> ParseInvestigationStatus(std::string_view name) {
  for (auto s : {InvestigationStatus::kOpen, InvestigationStatus::kInReview,
                 InvestigationStatus::kConcluded}) {
    if (InvestigationStatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view FindingName(Finding f) {
  switch (f) {
    case Finding::kNone:
      return "";
    case Finding::kJustified:
      return "justified";
    case Finding::kNotJustified:
      return "not_justified";
    case Finding::kReferred:
      return "referred";
  }
  return "";
}

std::optional<Finding> ParseFinding(std::string_view name) {
  for (auto f : {Finding::kNone, Finding::kJustified, Finding::kNotJustified, Finding::kReferred}) {
    if (FindingName(f) == name) return f;
  }
  return std::nullopt;
}

Status CheckInvestigationStep(InvestigationStatus from, InvestigationStatus to, Finding finding) {
  bool forward = (from == InvestigationStatus::kOpen && to == InvestigationStatus::kInReview) ||
                 (from == InvestigationStatus::kInReview && to == InvestigationStatus::kConcluded);
  if (!forward) {
    return Status::FailedPrecondition(
        "invalid_transition: an investigation moves from open to in review to concluded");
  }
  if (to == InvestigationStatus::kConcluded && finding == Finding::kNone) {
    return Status::InvalidArgument("Choose a finding: justified, not justified or referred",
                                   "finding");
  }
  if (to != InvestigationStatus::kConcluded && finding != Finding::kNone) {
    return Status::InvalidArgument("A finding is recorded only when concluding", "finding");
  }
  return Status::Ok();
}

std::string_view BrokeringStatusName(BrokeringStatus s) {
  switch (s) {
    case BrokeringStatus::kRequested:
      return "requested";
    case BrokeringStatus::kContacted:
      return "contacted";
    case BrokeringStatus::kShared:
      return "shared";
    case BrokeringStatus::kDeclined:
      return "declined";
    case BrokeringStatus::kAcknowledged:
      return "acknowledged";
  }
  return "requested";
}

std::optional<BrokeringStatus> ParseBrokeringStatus(std::string_view name) {
  for (auto s : {BrokeringStatus::kRequested, BrokeringStatus::kContacted, BrokeringStatus::kShared,
                 BrokeringStatus::kDeclined, BrokeringStatus::kAcknowledged}) {
    if (BrokeringStatusName(s) == name) return s;
  }
  return std::nullopt;
}

}  // namespace cp::domain
