// SignInService: username + password + TOTP sign-in, first-time token enrolment, and the
// two-step browser flow, with throttling, lockout, vetting and network checks, all audited.
//
// Contract:
//  - Any wrong factor (unknown user, wrong password, wrong or replayed code, locked account)
//    gives the same Unauthenticated status with the same message (kGenericFailure), after the
//    same Argon2id work, so that no user can be enumerated. The audit entry keeps the real
//    reason.
//  - Only after every factor is right is the user told about a vetting or network problem
//    (PermissionDenied with a message that says what to do).
//  - Fail closed: every outcome is audited BEFORE any state changes (session created, TOTP step
//    claimed, account locked). If the audit entry cannot be written the call returns
//    Unavailable and nothing has changed.
//  - A successful sign-in always issues a new random token (the token rotates at sign-in).
//  - Throttling: an address or account over its limit gets ResourceExhausted without the
//    credentials being checked.
// Thread-safe. Dependencies are not owned and must outlive the service.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "audit/audit_sink.h"
#include "auth/throttle.h"
#include "core/clock.h"
#include "core/random.h"
#include "crypto/password_hash.h"
#include "crypto/secret_box.h"
#include "domain/session.h"
#include "domain/user.h"
#include "store/organisation_store.h"
#include "store/session_store.h"
#include "store/user_store.h"

namespace cp::identity {

inline constexpr std::string_view kGenericFailure =
    "The username, password or security code is not right, or the account is locked. After 5 "
    "failed attempts an account is locked for 30 minutes.";

struct ClientInfo {
  std::string address;
  std::string request_id;
};

struct SignInConfig {
  crypto::Argon2Params argon2 = crypto::Argon2Params::Production();
  Duration lock_duration = std::chrono::minutes(30);
  // How long the browser flow keeps a half-finished sign-in (password given, code not yet).
  Duration pending_lifetime = std::chrono::minutes(5);
};

// What a successful sign-in (or enrolment start) hands back. The token goes in the cookie and
// is never stored; the CSRF token is returned to the client for state-changing requests.
struct IssuedSession {
  std::string token;
  std::string csrf_token;
  domain::SessionStage stage = domain::SessionStage::kFull;
  domain::User user;
};

// The TOTP key shown to a user who is enrolling: base32 text and the provisioning URI.
struct EnrolmentKey {
  std::string base32_secret;
  std::string provisioning_uri;
};

// The associated data a user's sealed TOTP key is bound to (so it cannot be moved to another
// account's row). Anything that seals a TOTP key (enrolment, the demo) must use this.
std::string TotpAssociatedData(int64_t user_id);

class SignInService {
 public:
  SignInService(store::UserStore& users, store::OrganisationStore& orgs,
                store::SessionStore& sessions, audit::AuditSink& audit, const Clock& clock,
                RandomSource& random, const crypto::SecretBox& totp_box,
                auth::LoginThrottle& throttle, SignInConfig config = {});

  // One-step sign-in (the JSON API): all three factors at once.
  Result<IssuedSession> SignIn(const std::string& username, const std::string& password,
                               const std::string& totp_code, const ClientInfo& client);

  // Browser step 1: remembers the username and whether the password was right under a new
  // opaque pending token (kept in memory only). If the password is right and the account has
  // no token enrolled yet, returns an enrolment-stage session instead (first sign-in).
  struct PasswordStep {
    std::optional<std::string> pending_token;  // Go on to the code page.
    std::optional<IssuedSession> enrolment;    // Go on to the enrolment page.
  };
  Result<PasswordStep> SubmitPassword(const std::string& username, const std::string& password,
                                      const ClientInfo& client);
  // Browser step 2: the code, completing the sign-in begun with `pending_token`. The pending
  // token is single-use. Same failure rules as SignIn.
  Result<IssuedSession> SubmitCode(const std::string& pending_token, const std::string& code,
                                   const ClientInfo& client);

  // Step-up: re-checks a fresh TOTP code for a signed-in session before a sensitive action
  // (Break Glass). On success the session's step_up_at is now; the code cannot be used again.
  // A wrong or replayed code: InvalidArgument (field "totp"), audited, and counted by the
  // throttle like any failure.
  Status StepUp(const domain::Session& session, const domain::User& user, const std::string& code,
                const ClientInfo& client);

  // Enrolment: for an enrolment-stage session's user, creates (or re-shows) the TOTP key.
  Result<EnrolmentKey> BeginEnrolment(const domain::User& user);
  // Confirms the key with a code; on success ends the enrolment session and issues a full one.
  Result<IssuedSession> CompleteEnrolment(const domain::Session& enrolment_session,
                                          const domain::User& user, const std::string& code,
                                          const ClientInfo& client);

 private:
  struct Verdict;
  // Loads the user and checks the password (always spending the Argon2id work), then the
  // account's state. `password` nullopt means it was already verified (browser step 2).
  Verdict CheckFirstFactor(const std::string& username, const std::optional<std::string>& password);
  // Checks the TOTP code for a verdict that passed the first factor.
  void CheckSecondFactor(Verdict& verdict, const std::string& code);
  Status AuditAttempt(const std::string& username, const std::string& org_code,
                      std::string_view action, std::string_view outcome, std::string_view reason,
                      const ClientInfo& client);
  // Audits and applies a failure: throttle counters, and a lock at the threshold.
  Status Fail(const Verdict& verdict, const std::string& username, const ClientInfo& client);
  Result<IssuedSession> Finish(const Verdict& verdict, const ClientInfo& client);
  Result<IssuedSession> IssueSession(const domain::User& user, domain::SessionStage stage,
                                     const ClientInfo& client);
  std::string OrgCode(int64_t organisation_id);

  store::UserStore& users_;
  store::OrganisationStore& orgs_;
  store::SessionStore& sessions_;
  audit::AuditSink& audit_;
  const Clock& clock_;
  RandomSource& random_;
  const crypto::SecretBox& totp_box_;
  auth::LoginThrottle& throttle_;
  SignInConfig config_;
  std::string dummy_hash_;  // Verified against for unknown users, to equalise timing.

  struct Pending {
    std::string username;
    std::string failure_reason;  // Empty when the password was right.
    TimePoint created;
  };
  std::mutex pending_mu_;
  std::unordered_map<std::string, Pending> pending_;  // Keyed by hash of the pending token.
};

}  // namespace cp::identity
