#include "domain/user.h"

namespace cp::domain {

std::optional<Date> CrbExpiry(const Vetting& vetting) {
  if (!vetting.crb_check_date) return std::nullopt;
  return vetting.crb_check_date->AddYears(kCrbValidityYears);
}

Status CheckVetting(const Vetting& vetting, Date today) {
  if (!vetting.crb_check_date) {
    return Status::PermissionDenied(
        "No enhanced CRB check is recorded for your account. Ask your administrator.");
  }
  if (*vetting.crb_check_date > today) {
    return Status::PermissionDenied(
        "Your enhanced CRB check date is in the future. Ask your administrator.");
  }
  Date expiry = *CrbExpiry(vetting);
  if (today >= expiry) {
    return Status::PermissionDenied("Your enhanced CRB check expired on " + expiry.ToString() +
                                    ". Ask your administrator to record a new check.");
  }
  if (!vetting.isa_registered) {
    return Status::PermissionDenied(
        "Your ISA registration is not recorded. Ask your administrator.");
  }
  if (!vetting.training_completed || *vetting.training_completed > today) {
    return Status::PermissionDenied(
        "Your ContactPoint training is not recorded as complete. Ask your administrator.");
  }
  if (!vetting.agreement_signed || *vetting.agreement_signed > today) {
    return Status::PermissionDenied(
        "You have not signed the ContactPoint user agreement. Ask your administrator.");
  }
  return Status::Ok();
}

Status ValidateUsername(std::string_view username) {
  if (username.size() < 3 || username.size() > 64) {
    return Status::InvalidArgument("Enter a username of 3 to 64 characters", "username");
  }
  if (username[0] < 'a' || username[0] > 'z') {
    return Status::InvalidArgument("A username starts with a lower-case letter", "username");
  }
  for (char c : username) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (!ok) {
      return Status::InvalidArgument(
          "A username has only lower-case letters, digits, full stops, hyphens and underscores",
          "username");
    }
  }
  return Status::Ok();
}

namespace {
bool HasControlCharacters(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}
}  // namespace

Status ValidateUserProfile(const User& user) {
  CP_RETURN_IF_ERROR(ValidateUsername(user.username));
  if (user.display_name.empty() || user.display_name.size() > 200 ||
      HasControlCharacters(user.display_name)) {
    return Status::InvalidArgument("Enter the user's full name", "display_name");
  }
  if (!user.email.empty()) {
    auto at = user.email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= user.email.size() ||
        user.email.find('.', at) == std::string::npos || user.email.size() > 254 ||
        user.email.find(' ') != std::string::npos || HasControlCharacters(user.email)) {
      return Status::InvalidArgument("Enter an email address like name@example.org.uk", "email");
    }
  }
  if (!user.phone.empty()) {
    int digits = 0;
    for (char c : user.phone) {
      if (c >= '0' && c <= '9') {
        ++digits;
      } else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')') {
        return Status::InvalidArgument("Enter a telephone number, like 01632 960 001", "phone");
      }
    }
    if (digits < 10 || digits > 15) {
      return Status::InvalidArgument("Enter a telephone number, like 01632 960 001", "phone");
    }
  }
  if (user.roles.empty()) {
    return Status::InvalidArgument("Choose at least one role", "roles");
  }
  if (user.organisation_id <= 0) {
    return Status::InvalidArgument("Choose the user's organisation", "organisation");
  }
  return Status::Ok();
}

}  // namespace cp::domain
