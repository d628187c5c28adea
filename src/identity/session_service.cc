#include "identity/session_service.h"

#include "auth/network_allowlist.h"

namespace cp::identity {

SessionService::SessionService(store::UserStore& users, store::OrganisationStore& orgs,
                               store::SessionStore& sessions, audit::AuditSink& audit,
                               const Clock& clock, auth::SessionTimeouts timeouts,
                               Duration touch_interval)
    : users_(users),
      orgs_(orgs),
      sessions_(sessions),
      audit_(audit),
      clock_(clock),
      timeouts_(timeouts),
      touch_interval_(touch_interval) {}

TimePoint SessionService::ExpiresAt(const domain::Session& session) const {
  return timeouts_.ExpiresAt(session.created_at, session.last_seen_at);
}

Result<Principal> SessionService::Authenticate(const std::string& token,
                                               const std::string& client_address,
                                               bool allow_enrolment_stage) {
  static constexpr std::string_view kSignInAgain = "Your session has ended. Sign in again.";
  if (token.empty()) return Status::Unauthenticated(std::string(kSignInAgain));
  std::string hash = auth::HashSessionToken(token);
  // Read before the store: a change made after this point changes the stamp, so what is
  // cached below is never reused past a change.
  const std::optional<uint64_t> stamp =
      cache_enabled_ ? sessions_.DatabaseChangeStamp() : std::nullopt;
  if (stamp) {
    if (auto cached = FromCache(hash, *stamp, client_address, allow_enrolment_stage)) {
      return std::move(*cached);
    }
  }
  auto session = sessions_.Get(hash);
  if (session.status().code() == StatusCode::kNotFound) {
    return Status::Unauthenticated(std::string(kSignInAgain));
  }
  CP_RETURN_IF_ERROR(session.status());
  TimePoint now = clock_.Now();
  if (timeouts_.Evaluate(session->created_at, session->last_seen_at, now) !=
      auth::SessionState::kActive) {
    CP_RETURN_IF_ERROR(sessions_.Delete(hash));
    return Status::Unauthenticated(std::string(kSignInAgain));
  }
  if (session->stage != domain::SessionStage::kFull && !allow_enrolment_stage) {
    return Status::Unauthenticated("Finish setting up your security token first.");
  }
  auto user = users_.Get(session->user_id);
  if (user.status().code() == StatusCode::kNotFound) {
    CP_RETURN_IF_ERROR(sessions_.Delete(hash));
    return Status::Unauthenticated(std::string(kSignInAgain));
  }
  CP_RETURN_IF_ERROR(user.status());
  if (user->status != domain::AccountStatus::kActive ||
      (user->locked_until && *user->locked_until > now)) {
    CP_RETURN_IF_ERROR(sessions_.Delete(hash));
    return Status::Unauthenticated(std::string(kSignInAgain));
  }
  CP_ASSIGN_OR_RETURN(domain::Organisation org, orgs_.Get(user->organisation_id));
  bool service_account = user->roles == domain::RoleSet{domain::Role::kDataSource};
  if (!service_account) {
    Status vetting = domain::CheckVetting(user->vetting, Date::FromTime(now));
    if (!vetting.ok()) {
      CP_RETURN_IF_ERROR(sessions_.Delete(hash));
      return vetting;
    }
  }
  auto networks = auth::NetworkAllowlist::Parse(org.allowed_networks);
  if (!org.active || !networks.ok() ||
      (!networks->empty() && !networks->Contains(client_address))) {
    return Status::PermissionDenied(
        "ContactPoint can only be used from your organisation's secure network.");
  }
  if (now - session->last_seen_at >= touch_interval_) {
    CP_RETURN_IF_ERROR(sessions_.Touch(hash, now));
    session->last_seen_at = now;
  }
  Principal principal{std::move(*user), std::move(org), std::move(*session)};
  if (stamp) Remember(hash, *stamp, principal);
  return principal;
}

std::optional<Principal> SessionService::FromCache(const std::string& hash, uint64_t stamp,
                                                   const std::string& client_address,
                                                   bool allow_enrolment_stage) {
  std::optional<Principal> p;
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = cache_.find(hash);
    if (it == cache_.end() || it->second.stamp != stamp) return std::nullopt;
    p = it->second.principal;
  }
  // The same checks as the full path, on the cached values; any failure takes the full path,
  // which re-reads and applies the consequences (ending the session, the message).
  const TimePoint now = clock_.Now();
  const domain::Session& session = p->session;
  if (timeouts_.Evaluate(session.created_at, session.last_seen_at, now) !=
      auth::SessionState::kActive) {
    return std::nullopt;
  }
  if (session.stage != domain::SessionStage::kFull && !allow_enrolment_stage) return std::nullopt;
  const domain::User& user = p->user;
  if (user.status != domain::AccountStatus::kActive ||
      (user.locked_until && *user.locked_until > now)) {
    return std::nullopt;
  }
  if (user.roles != domain::RoleSet{domain::Role::kDataSource} &&
      !domain::CheckVetting(user.vetting, Date::FromTime(now)).ok()) {
    return std::nullopt;
  }
  auto networks = auth::NetworkAllowlist::Parse(p->organisation.allowed_networks);
  if (!p->organisation.active || !networks.ok() ||
      (!networks->empty() && !networks->Contains(client_address))) {
    return std::nullopt;
  }
  if (now - session.last_seen_at >= touch_interval_) {
    // The touch is a write: the stamp changes and the next call re-reads.
    if (!sessions_.Touch(hash, now).ok()) return std::nullopt;
    p->session.last_seen_at = now;
    Forget(hash);
  }
  return p;
}

void SessionService::Remember(const std::string& hash, uint64_t stamp, const Principal& principal) {
  constexpr size_t kMaxCached = 10000;
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (cache_.size() >= kMaxCached) cache_.clear();  // Simple bound; entries are re-read.
  cache_[hash] = CachedPrincipal{stamp, principal};
}

void SessionService::Forget(const std::string& hash) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  cache_.erase(hash);
}

Status SessionService::SignOut(const Principal& principal, const ClientInfo& client) {
  audit::AuditEvent event;
  event.actor = principal.user.username;
  event.organisation = principal.organisation.code;
  event.action = "auth.sign_out";
  event.target = "user:" + principal.user.username;
  event.outcome = "success";
  event.request_id = client.request_id;
  event.client_address = client.address;
  if (!audit_.Record(event).ok()) return Status::Unavailable("The audit trail cannot be written");
  Forget(principal.session.token_hash);
  return sessions_.Delete(principal.session.token_hash);
}

Status SessionService::Extend(const Principal& principal) {
  Forget(principal.session.token_hash);
  return sessions_.Touch(principal.session.token_hash, clock_.Now());
}

bool SessionService::HasFreshStepUp(const Principal& principal, Duration max_age) const {
  return principal.session.step_up_at && clock_.Now() - *principal.session.step_up_at <= max_age;
}

}  // namespace cp::identity
