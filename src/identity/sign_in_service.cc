#include "identity/sign_in_service.h"

#include "auth/network_allowlist.h"
#include "auth/session_token.h"
#include "auth/totp.h"
#include "crypto/encoding.h"

namespace cp::identity {

// The outcome of checking the factors. `reason` is empty when every factor checked is right.
struct SignInService::Verdict {
  std::string reason;  // unknown_user, bad_password, disabled, locked, not_enrolled, bad_totp,
                       // totp_replay
  std::optional<domain::User> user;
  domain::Credentials creds;
  int64_t totp_step = -1;
  bool ok() const { return reason.empty(); }
};

std::string TotpAssociatedData(int64_t user_id) { return "totp:" + std::to_string(user_id); }

namespace {

bool OnlyDataSource(const domain::RoleSet& roles) {
  return roles.Has(domain::Role::kDataSource) &&
         roles.bits() == domain::RoleSet{domain::Role::kDataSource}.bits();
}

}  // namespace

SignInService::SignInService(store::UserStore& users, store::OrganisationStore& orgs,
                             store::SessionStore& sessions, audit::AuditSink& audit,
                             const Clock& clock, RandomSource& random,
                             const crypto::SecretBox& totp_box, auth::LoginThrottle& throttle,
                             SignInConfig config)
    : users_(users),
      orgs_(orgs),
      sessions_(sessions),
      audit_(audit),
      clock_(clock),
      random_(random),
      totp_box_(totp_box),
      throttle_(throttle),
      config_(config) {
  // A hash of a random password with the same parameters, so an unknown username costs the
  // same Argon2id work as a known one.
  auto dummy = crypto::HashPassword(random_.Bytes(24), config_.argon2);
  if (dummy.ok()) dummy_hash_ = *dummy;
}

std::string SignInService::OrgCode(int64_t organisation_id) {
  auto org = orgs_.Get(organisation_id);
  return org.ok() ? org->code : std::string();
}

Status SignInService::AuditAttempt(const std::string& username, const std::string& org_code,
                                   std::string_view action, std::string_view outcome,
                                   std::string_view reason, const ClientInfo& client) {
  audit::AuditEvent event;
  event.actor = username;
  event.organisation = org_code;
  event.action = std::string(action);
  event.target = "user:" + username;
  event.outcome = std::string(outcome);
  event.reason = std::string(reason);
  event.request_id = client.request_id;
  event.client_address = client.address;
  Status s = audit_.Record(event);
  if (!s.ok()) return Status::Unavailable("The audit trail cannot be written");
  return Status::Ok();
}

SignInService::Verdict SignInService::CheckFirstFactor(const std::string& username,
                                                       const std::optional<std::string>& password) {
  Verdict v;
  auto user = users_.GetByUsername(username);
  if (user.ok()) {
    v.user = *user;
    auto creds = users_.GetCredentials(user->id);
    if (creds.ok()) v.creds = *creds;
  }
  bool password_ok = true;
  if (password) {
    // Always spend the Argon2id work, whether or not the user exists.
    const std::string& hash =
        v.user && !v.creds.password_hash.empty() ? v.creds.password_hash : dummy_hash_;
    password_ok = crypto::VerifyPassword(*password, hash) && !v.creds.password_hash.empty();
  }
  if (!v.user) {
    v.reason = "unknown_user";
  } else if (!password_ok) {
    v.reason = "bad_password";
  } else if (v.user->status != domain::AccountStatus::kActive) {
    v.reason = "disabled";
  } else if (v.user->locked_until && *v.user->locked_until > clock_.Now()) {
    v.reason = "locked";
  }
  return v;
}

void SignInService::CheckSecondFactor(Verdict& v, const std::string& code) {
  if (!v.ok()) return;
  if (!v.creds.totp_enrolled) {
    v.reason = "not_enrolled";
    return;
  }
  auto key = totp_box_.Open(v.creds.totp_secret_sealed, TotpAssociatedData(v.user->id));
  if (!key.ok()) {
    v.reason = "bad_totp";
    return;
  }
  auth::TotpCheck check = auth::VerifyTotp(*key, code, clock_.Now(), v.creds.totp_last_step);
  if (check.replay) {
    v.reason = "totp_replay";
  } else if (!check.accepted) {
    v.reason = "bad_totp";
  } else {
    v.totp_step = check.step;
  }
}

Status SignInService::Fail(const Verdict& verdict, const std::string& username,
                           const ClientInfo& client) {
  std::string org = verdict.user ? OrgCode(verdict.user->organisation_id) : std::string();
  std::string_view action = verdict.reason == "totp_replay" ? "auth.totp_replay" : "auth.sign_in";
  CP_RETURN_IF_ERROR(AuditAttempt(username, org, action, "failure", verdict.reason, client));
  auth::FailureOutcome outcome = throttle_.RecordFailure(username, client.address);
  if (outcome.lock_account && verdict.user) {
    CP_RETURN_IF_ERROR(
        AuditAttempt(username, org, "auth.lockout", "success", "repeated_failures", client));
    CP_RETURN_IF_ERROR(
        users_.SetLockedUntil(verdict.user->id, clock_.Now() + config_.lock_duration));
  }
  return Status::Unauthenticated(std::string(kGenericFailure));
}

Result<IssuedSession> SignInService::IssueSession(const domain::User& user,
                                                  domain::SessionStage stage,
                                                  const ClientInfo& client) {
  auth::NewSessionToken token = auth::MakeSessionToken(random_);
  domain::Session session;
  session.token_hash = token.token_hash;
  session.user_id = user.id;
  session.created_at = clock_.Now();
  session.last_seen_at = session.created_at;
  session.csrf_token = crypto::Base64UrlEncode(random_.Bytes(32));
  session.client_address = client.address;
  session.stage = stage;
  CP_RETURN_IF_ERROR(sessions_.Create(session));
  return IssuedSession{token.token, session.csrf_token, stage, user};
}

Result<IssuedSession> SignInService::Finish(const Verdict& verdict, const ClientInfo& client) {
  const domain::User& user = *verdict.user;
  std::string org_code;
  std::string allowed_networks;
  auto org = orgs_.Get(user.organisation_id);
  if (org.ok()) {
    org_code = org->code;
    allowed_networks = org->allowed_networks;
  }
  // Every factor is right: from here on the user may be told what is wrong.
  if (!OnlyDataSource(user.roles)) {
    Status vetting = domain::CheckVetting(user.vetting, Date::FromTime(clock_.Now()));
    if (!vetting.ok()) {
      CP_RETURN_IF_ERROR(
          AuditAttempt(user.username, org_code, "auth.sign_in", "denied", "vetting", client));
      return vetting;
    }
  }
  auto networks = auth::NetworkAllowlist::Parse(allowed_networks);
  if (!org.ok() || !org->active || !networks.ok() ||
      (!networks->empty() && !networks->Contains(client.address))) {
    CP_RETURN_IF_ERROR(
        AuditAttempt(user.username, org_code, "auth.sign_in", "denied", "network", client));
    return Status::PermissionDenied(
        "ContactPoint can only be used from your organisation's secure network.");
  }
  bool enrolment = verdict.totp_step < 0;
  CP_RETURN_IF_ERROR(AuditAttempt(user.username, org_code,
                                  enrolment ? "auth.enrolment_start" : "auth.sign_in", "success",
                                  "", client));
  if (!enrolment) {
    CP_ASSIGN_OR_RETURN(bool claimed, users_.ClaimTotpStep(user.id, verdict.totp_step));
    if (!claimed) {
      // Another request used this code between our check and our claim.
      Verdict replay = verdict;
      replay.reason = "totp_replay";
      return Fail(replay, user.username, client);
    }
  }
  throttle_.RecordSuccess(user.username);
  return IssueSession(
      user, enrolment ? domain::SessionStage::kEnrolment : domain::SessionStage::kFull, client);
}

Result<IssuedSession> SignInService::SignIn(const std::string& username,
                                            const std::string& password,
                                            const std::string& totp_code,
                                            const ClientInfo& client) {
  Status allowed = throttle_.CheckAllowed(username, client.address);
  if (!allowed.ok()) {
    CP_RETURN_IF_ERROR(AuditAttempt(username, "", "auth.sign_in", "failure", "throttled", client));
    return allowed;
  }
  Verdict verdict = CheckFirstFactor(username, password);
  CheckSecondFactor(verdict, totp_code);
  if (!verdict.ok()) return Fail(verdict, username, client);
  return Finish(verdict, client);
}

Result<SignInService::PasswordStep> SignInService::SubmitPassword(const std::string& username,
                                                                  const std::string& password,
                                                                  const ClientInfo& client) {
  Status allowed = throttle_.CheckAllowed(username, client.address);
  if (!allowed.ok()) {
    CP_RETURN_IF_ERROR(AuditAttempt(username, "", "auth.sign_in", "failure", "throttled", client));
    return allowed;
  }
  Verdict verdict = CheckFirstFactor(username, password);
  PasswordStep step;
  if (verdict.ok() && !verdict.creds.totp_enrolled) {
    CP_ASSIGN_OR_RETURN(IssuedSession session, Finish(verdict, client));
    step.enrolment = std::move(session);
    return step;
  }
  auth::NewSessionToken pending = auth::MakeSessionToken(random_);
  std::lock_guard<std::mutex> lock(pending_mu_);
  TimePoint now = clock_.Now();
  // Bounded: drop expired entries, and refuse to grow without limit.
  std::erase_if(pending_, [&](const auto& entry) {
    return now - entry.second.created > config_.pending_lifetime;
  });
  if (pending_.size() >= 100000) return Status::ResourceExhausted("Too many sign-ins in progress");
  pending_[pending.token_hash] = Pending{username, verdict.reason, now};
  step.pending_token = pending.token;
  return step;
}

Result<IssuedSession> SignInService::SubmitCode(const std::string& pending_token,
                                                const std::string& code, const ClientInfo& client) {
  Pending pending;
  {
    std::lock_guard<std::mutex> lock(pending_mu_);
    auto it = pending_.find(auth::HashSessionToken(pending_token));
    if (it == pending_.end() || clock_.Now() - it->second.created > config_.pending_lifetime) {
      if (it != pending_.end()) pending_.erase(it);
      return Status::Unauthenticated("Your sign-in took too long. Start again.");
    }
    pending = it->second;
    pending_.erase(it);
  }
  Status allowed = throttle_.CheckAllowed(pending.username, client.address);
  if (!allowed.ok()) {
    CP_RETURN_IF_ERROR(
        AuditAttempt(pending.username, "", "auth.sign_in", "failure", "throttled", client));
    return allowed;
  }
  Verdict verdict = CheckFirstFactor(pending.username, std::nullopt);
  if (verdict.ok() && !pending.failure_reason.empty()) verdict.reason = pending.failure_reason;
  CheckSecondFactor(verdict, code);
  if (!verdict.ok()) return Fail(verdict, pending.username, client);
  return Finish(verdict, client);
}

Status SignInService::StepUp(const domain::Session& session, const domain::User& user,
                             const std::string& code, const ClientInfo& client) {
  CP_RETURN_IF_ERROR(throttle_.CheckAllowed(user.username, client.address));
  Verdict verdict;
  verdict.user = user;
  CP_ASSIGN_OR_RETURN(verdict.creds, users_.GetCredentials(user.id));
  CheckSecondFactor(verdict, code);
  std::string org_code = OrgCode(user.organisation_id);
  if (!verdict.ok()) {
    CP_RETURN_IF_ERROR(
        AuditAttempt(user.username, org_code, "auth.step_up", "failure", verdict.reason, client));
    throttle_.RecordFailure(user.username, client.address);
    return Status::InvalidArgument("The security code is not right", "totp");
  }
  CP_RETURN_IF_ERROR(AuditAttempt(user.username, org_code, "auth.step_up", "success", "", client));
  CP_ASSIGN_OR_RETURN(bool claimed, users_.ClaimTotpStep(user.id, verdict.totp_step));
  if (!claimed) return Status::InvalidArgument("The security code is not right", "totp");
  return sessions_.SetStepUp(session.token_hash, clock_.Now());
}

Result<EnrolmentKey> SignInService::BeginEnrolment(const domain::User& user) {
  CP_ASSIGN_OR_RETURN(domain::Credentials creds, users_.GetCredentials(user.id));
  if (creds.totp_enrolled) {
    return Status::FailedPrecondition("A security token is already set up for this account");
  }
  std::string key;
  if (!creds.totp_secret_sealed.empty()) {
    auto opened = totp_box_.Open(creds.totp_secret_sealed, TotpAssociatedData(user.id));
    if (opened.ok()) key = *opened;
  }
  if (key.empty()) {
    key = auth::NewTotpSecret(random_);
    CP_RETURN_IF_ERROR(
        users_.SetTotpSecret(user.id, totp_box_.Seal(key, TotpAssociatedData(user.id)), false));
  }
  return EnrolmentKey{crypto::Base32Encode(key), auth::TotpProvisioningUri(user.username, key)};
}

Result<IssuedSession> SignInService::CompleteEnrolment(const domain::Session& enrolment_session,
                                                       const domain::User& user,
                                                       const std::string& code,
                                                       const ClientInfo& client) {
  if (enrolment_session.stage != domain::SessionStage::kEnrolment ||
      enrolment_session.user_id != user.id) {
    return Status::PermissionDenied("This session cannot enrol a token");
  }
  CP_ASSIGN_OR_RETURN(domain::Credentials creds, users_.GetCredentials(user.id));
  auto key = totp_box_.Open(creds.totp_secret_sealed, TotpAssociatedData(user.id));
  if (creds.totp_enrolled || !key.ok()) {
    return Status::FailedPrecondition("Start setting up your security token again");
  }
  std::string org_code = OrgCode(user.organisation_id);
  auth::TotpCheck check = auth::VerifyTotp(*key, code, clock_.Now(), creds.totp_last_step);
  if (!check.accepted) {
    CP_RETURN_IF_ERROR(AuditAttempt(user.username, org_code, "auth.enrol", "failure",
                                    check.replay ? "totp_replay" : "bad_totp", client));
    throttle_.RecordFailure(user.username, client.address);
    return Status::InvalidArgument(
        "The code is not right. Enter the 6-digit code your authenticator app shows now", "code");
  }
  CP_RETURN_IF_ERROR(AuditAttempt(user.username, org_code, "auth.enrol", "success", "", client));
  CP_RETURN_IF_ERROR(users_.SetTotpSecret(user.id, creds.totp_secret_sealed, true));
  CP_ASSIGN_OR_RETURN(bool claimed, users_.ClaimTotpStep(user.id, check.step));
  (void)claimed;  // Just enrolled: the step cannot have been used.
  CP_RETURN_IF_ERROR(sessions_.Delete(enrolment_session.token_hash));
  throttle_.RecordSuccess(user.username);
  return IssueSession(user, domain::SessionStage::kFull, client);
}

}  // namespace cp::identity
