#include "policy/access_reasons.h"

namespace cp::policy {
namespace {

constexpr AccessReason kReasons[] = {
    {"assessment", "Assessing the child's needs", false},
    {"referral", "Making or receiving a referral", false},
    {"safeguarding", "A safeguarding or child protection concern", false},
    {"service_delivery", "Providing a service to the child", false},
    {"contact_practitioner", "Contacting another practitioner working with the child", false},
    {"record_accuracy", "Checking the record is accurate", false},
    {"other", "Another reason (explain)", true},
};

}  // namespace

std::span<const AccessReason> AllAccessReasons() { return kReasons; }

std::optional<AccessReason> FindAccessReason(std::string_view code) {
  for (const AccessReason& r : kReasons) {
    if (r.code == code) return r;
  }
  return std::nullopt;
}

Status ValidateAccessReason(std::string_view code, std::string_view text) {
  auto reason = FindAccessReason(code);
  if (!reason) {
    return Status::InvalidArgument("Choose why you are opening this record", "reason");
  }
  if (text.size() > 500) {
    return Status::InvalidArgument("Explain in 500 characters or fewer", "reason_text");
  }
  bool blank = text.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (reason->needs_text && blank) {
    return Status::InvalidArgument("Explain why you are opening this record", "reason_text");
  }
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
      return Status::InvalidArgument("The explanation contains characters that are not allowed",
                                     "reason_text");
    }
  }
  return Status::Ok();
}

}  // namespace cp::policy
