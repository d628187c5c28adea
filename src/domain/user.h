// Users of ContactPoint, their vetting, and their credentials' stored form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/date.h"
#include "core/status.h"
#include "domain/role.h"

namespace cp::domain {

// Pre-employment vetting the policy demands of every user (policy §1): an enhanced CRB check
// within the last 3 years, ISA registration, security training, and a signed user agreement.
struct Vetting {
  std::optional<Date> crb_check_date;
  bool isa_registered = false;
  std::optional<Date> training_completed;
  std::optional<Date> agreement_signed;
};

// How long an enhanced CRB check stays valid.
inline constexpr int kCrbValidityYears = 3;

// Returns OK when the vetting allows access on `today`, otherwise PermissionDenied with a
// message a user can act on ("Your enhanced CRB check expired on 2026-01-31 ..."). Service
// accounts (data_source only) are exempt; the caller decides that.
Status CheckVetting(const Vetting& vetting, Date today);

// The date the CRB check lapses (check date + 3 years), if there is one.
std::optional<Date> CrbExpiry(const Vetting& vetting);

enum class AccountStatus : uint8_t { kActive = 0, kDisabled = 1 };

struct User {
  int64_t id = 0;  // Assigned by the store.
  std::string username;
  std::string display_name;
  int64_t organisation_id = 0;
  std::string email;
  std::string phone;
  RoleSet roles;
  Vetting vetting;
  AccountStatus status = AccountStatus::kActive;
  // Raised after repeated sign-in failures; sign-in is refused until then (admins can clear it).
  std::optional<TimePoint> locked_until;
  // Increments on every change, so optimistic updates can detect a lost race.
  int64_t version = 0;
};

// Credentials are kept apart from the profile so that listing users never loads them.
struct Credentials {
  std::string password_hash;  // Argon2id encoded string; empty = no password set.
  bool must_change_password = false;
  std::string totp_secret_sealed;  // SecretBox-sealed TOTP key; empty = not enrolled.
  bool totp_enrolled = false;
  int64_t totp_last_step = -1;  // The last TOTP time-step accepted (replay guard).
};

// Usernames: 3-64 characters of a-z, 0-9, '.', '-', '_', starting with a letter.
Status ValidateUsername(std::string_view username);
// Checks profile fields (display name, email, phone) and that a user has at least one role.
Status ValidateUserProfile(const User& user);

}  // namespace cp::domain
