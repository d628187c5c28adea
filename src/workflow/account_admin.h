// AccountAdmin: the administrators' management of organisations and user accounts.
//
// Contract:
//  - Only an actor with Permission::kManageUsers / kManageOrganisations (or a system actor,
//    i.e. the server's own CLI) may call these; others get PermissionDenied, audited.
//  - Input is validated first (InvalidArgument naming the field); then the change is audited
//    (fail closed: Unavailable and nothing changes if the audit cannot be written); then it is
//    made.
//  - Disabling or locking a user, or resetting their password or token, ends their sessions.
//  - Role changes take effect on the user's next request (sessions re-read the user).
// Thread-safe. Dependencies are not owned.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_sink.h"
#include "auth/throttle.h"
#include "core/random.h"
#include "crypto/password_hash.h"
#include "domain/organisation.h"
#include "domain/user.h"
#include "store/organisation_store.h"
#include "store/session_store.h"
#include "store/user_store.h"
#include "workflow/actor.h"

namespace cp::workflow {

struct NewAccount {
  domain::User user;
  // The password to give the user: the one supplied, or a generated one-time password.
  std::string initial_password;
};

class AccountAdmin {
 public:
  AccountAdmin(store::UserStore& users, store::OrganisationStore& orgs,
               store::SessionStore& sessions, audit::AuditSink& audit,
               auth::LoginThrottle& throttle, RandomSource& random, crypto::Argon2Params argon2);

  Result<domain::Organisation> CreateOrganisation(const Actor& actor, domain::Organisation org);
  Result<domain::Organisation> UpdateOrganisation(const Actor& actor, domain::Organisation org);
  Result<std::vector<domain::Organisation>> ListOrganisations(const Actor& actor);

  // Creates an account. With no `password`, generates a random 20-character password and
  // returns it for the administrator to hand over; a supplied password must pass the strength
  // rules. The user enrols their TOTP token at first sign-in.
  Result<NewAccount> CreateUser(const Actor& actor, domain::User user,
                                std::optional<std::string> password);
  // Replaces the profile, roles, vetting and status (optimistic: `user.version` must match).
  Result<domain::User> UpdateUser(const Actor& actor, domain::User user);
  Result<std::vector<domain::User>> ListUsers(const Actor& actor);
  Result<domain::User> GetUser(const Actor& actor, const std::string& username);
  // Sets a new password (strength-checked) and ends the user's sessions.
  Status SetPassword(const Actor& actor, const std::string& username, const std::string& password);
  // Forgets the user's TOTP key so they enrol a new one at next sign-in; ends their sessions.
  Status ResetToken(const Actor& actor, const std::string& username);
  // Clears a lockout.
  Status Unlock(const Actor& actor, const std::string& username);

 private:
  Status Authorise(const Actor& actor, bool users, std::string_view action,
                   const std::string& target);
  Status Audit(const Actor& actor, std::string_view action, const std::string& target,
               std::string details_json = {});

  store::UserStore& users_;
  store::OrganisationStore& orgs_;
  store::SessionStore& sessions_;
  audit::AuditSink& audit_;
  auth::LoginThrottle& throttle_;
  RandomSource& random_;
  crypto::Argon2Params argon2_;
};

}  // namespace cp::workflow
