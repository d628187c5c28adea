// SessionService: turns a session cookie into an authenticated Principal on every request.
//
// Contract:
//  - The user, organisation and session are re-read on every call, so a role change, a
//    disabled account, a lock, lapsed vetting or a changed network allow-list takes effect on
//    the user's next request.
//  - Sessions end after 15 minutes idle and 12 hours in all (auth::SessionTimeouts); an ended
//  session
//    is deleted and the call returns Unauthenticated.
//  - last_seen is written at most once per `touch_interval` (default 15 s) to keep writes off
//    the hot path; idle expiry is therefore exact to within that interval, in the user's favour
//    by at most that much.
//  - An enrolment-stage session authenticates only where the caller allows it (the enrolment
//    pages).
// Thread-safe. Dependencies are not owned.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "audit/audit_sink.h"
#include "auth/session_token.h"
#include "core/clock.h"
#include "domain/organisation.h"
#include "domain/session.h"
#include "domain/user.h"
#include "identity/sign_in_service.h"
#include "store/organisation_store.h"
#include "store/session_store.h"
#include "store/user_store.h"

namespace cp::identity {

// Who is making a request, as established by their session. Carries no credentials.
struct Principal {
  domain::User user;
  domain::Organisation organisation;
  domain::Session session;
};

class SessionService {
 public:
  SessionService(store::UserStore& users, store::OrganisationStore& orgs,
                 store::SessionStore& sessions, audit::AuditSink& audit, const Clock& clock,
                 auth::SessionTimeouts timeouts = {},
                 Duration touch_interval = std::chrono::seconds(15));

  // Unauthenticated when the token is unknown or the session has ended; PermissionDenied
  // (with the reason) when the account or organisation may no longer be used, or the client
  // address is outside the organisation's allow-list; Unavailable on store failure.
  Result<Principal> Authenticate(const std::string& token, const std::string& client_address,
                                 bool allow_enrolment_stage = false);

  // Ends the session on the server (audited first; fail closed).
  Status SignOut(const Principal& principal, const ClientInfo& client);
  // Marks the session active now (the "stay signed in" button).
  Status Extend(const Principal& principal);
  // True if the session re-entered a TOTP code within `max_age`.
  bool HasFreshStepUp(const Principal& principal, Duration max_age) const;

  // Keeps each authenticated Principal in memory and reuses it while the store's
  // DatabaseChangeStamp() is unchanged, instead of re-reading the session, user and
  // organisation (three queries) on every request. Only valid when the session, user and
  // organisation stores share one database (the app's SQLite main database): then any change
  // to them, from any process, changes the stamp, the next call re-reads, and the contract
  // above ("re-read on every call") holds in effect. The checks that depend on the time or
  // the request (idle and absolute timeouts, lock expiry, vetting dates, the network
  // allow-list) still run on every call; any failure falls back to the full re-read. Without
  // a stamp from the store nothing is cached. Call before use.
  void CachePrincipals() { cache_enabled_ = true; }

  const auth::SessionTimeouts& timeouts() const { return timeouts_; }
  // When the session will end if the user does nothing.
  TimePoint ExpiresAt(const domain::Session& session) const;

 private:
  store::UserStore& users_;
  store::OrganisationStore& orgs_;
  store::SessionStore& sessions_;
  audit::AuditSink& audit_;
  const Clock& clock_;
  auth::SessionTimeouts timeouts_;
  Duration touch_interval_;

  // The fast path: the cached principal for `hash` if the stamp still matches and every
  // time- and request-dependent check passes (touching the session if due); else nullopt.
  std::optional<Principal> FromCache(const std::string& hash, uint64_t stamp,
                                     const std::string& client_address, bool allow_enrolment_stage);
  void Remember(const std::string& hash, uint64_t stamp, const Principal& principal);
  void Forget(const std::string& hash);

  bool cache_enabled_ = false;
  struct CachedPrincipal {
    uint64_t stamp = 0;
    Principal principal;
  };
  std::mutex cache_mu_;
  std::unordered_map<std::string, CachedPrincipal> cache_;  // By token hash; guarded.
};

}  // namespace cp::identity
