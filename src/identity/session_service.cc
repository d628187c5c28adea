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
  return Principal{std::move(*user), std::move(org), std::move(*session)};
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
  return sessions_.Delete(principal.session.token_hash);
}

Status SessionService::Extend(const Principal& principal) {
  return sessions_.Touch(principal.session.token_hash, clock_.Now());
}

bool SessionService::HasFreshStepUp(const Principal& principal, Duration max_age) const {
  return principal.session.step_up_at && clock_.Now() - *principal.session.step_up_at <= max_age;
}

}  // namespace cp::identity
