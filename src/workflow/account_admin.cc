#include "workflow/account_admin.h"

#include "auth/network_allowlist.h"
#include "auth/password_policy.h"
#include "policy/rbac.h"
#include "workflow/audit_trail.h"

namespace cp::workflow {
namespace {

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string RolesJson(const domain::RoleSet& roles) {
  std::string out = "[";
  for (const auto& name : roles.Names()) {
    if (out.size() > 1) out += ",";
    out += JsonString(name);
  }
  return out + "]";
}

}  // namespace

AccountAdmin::AccountAdmin(store::UserStore& users, store::OrganisationStore& orgs,
                           store::SessionStore& sessions, audit::AuditSink& audit,
                           auth::LoginThrottle& throttle, RandomSource& random,
                           crypto::Argon2Params argon2)
    : users_(users),
      orgs_(orgs),
      sessions_(sessions),
      audit_(audit),
      throttle_(throttle),
      random_(random),
      argon2_(argon2) {}

Status AccountAdmin::Audit(const Actor& actor, std::string_view action, const std::string& target,
                           std::string details_json) {
  return RecordAction(audit_, actor, action, target, "success", {}, std::move(details_json));
}

Status AccountAdmin::Authorise(const Actor& actor, bool users, std::string_view action,
                               const std::string& target) {
  if (actor.system) return Status::Ok();
  auto permission =
      users ? policy::Permission::kManageUsers : policy::Permission::kManageOrganisations;
  if (policy::IsGranted(actor.roles, permission)) return Status::Ok();
  CP_RETURN_IF_ERROR(RecordAction(audit_, actor, action, target, "denied", "rbac"));
  return Status::PermissionDenied("You do not have permission to manage accounts");
}

namespace {
Status ValidateOrganisationFully(store::OrganisationStore& orgs, const domain::Organisation& org) {
  CP_RETURN_IF_ERROR(domain::ValidateOrganisation(org));
  auto networks = auth::NetworkAllowlist::Parse(org.allowed_networks);
  if (!networks.ok()) {
    return Status::InvalidArgument(networks.status().message(), "allowed_networks");
  }
  if (org.type != domain::OrganisationType::kLocalAuthority) {
    auto area = orgs.GetByCode(org.local_authority_code);
    if (!area.ok() || area->type != domain::OrganisationType::kLocalAuthority) {
      return Status::InvalidArgument("Choose an existing local authority area",
                                     "local_authority_code");
    }
  }
  return Status::Ok();
}
}  // namespace

Result<domain::Organisation> AccountAdmin::CreateOrganisation(const Actor& actor,
                                                              domain::Organisation org) {
  CP_RETURN_IF_ERROR(Authorise(actor, false, "org.create", "org:" + org.code));
  CP_RETURN_IF_ERROR(ValidateOrganisationFully(orgs_, org));
  if (orgs_.GetByCode(org.code).ok()) {
    return Status::AlreadyExists("An organisation with this code already exists", "code");
  }
  CP_RETURN_IF_ERROR(Audit(actor, "org.create", "org:" + org.code,
                           "{\"type\":" + JsonString(domain::OrganisationTypeName(org.type)) +
                               ",\"allowed_networks\":" + JsonString(org.allowed_networks) + "}"));
  CP_ASSIGN_OR_RETURN(org.id, orgs_.Create(org));
  return org;
}

Result<domain::Organisation> AccountAdmin::UpdateOrganisation(const Actor& actor,
                                                              domain::Organisation org) {
  CP_RETURN_IF_ERROR(Authorise(actor, false, "org.update", "org:" + org.code));
  CP_RETURN_IF_ERROR(ValidateOrganisationFully(orgs_, org));
  CP_ASSIGN_OR_RETURN(domain::Organisation existing, orgs_.Get(org.id));
  CP_RETURN_IF_ERROR(Audit(actor, "org.update", "org:" + existing.code,
                           "{\"active\":" + std::string(org.active ? "true" : "false") +
                               ",\"allowed_networks\":" + JsonString(org.allowed_networks) + "}"));
  CP_RETURN_IF_ERROR(orgs_.Update(org));
  return org;
}

Result<std::vector<domain::Organisation>> AccountAdmin::ListOrganisations(const Actor& actor) {
  CP_RETURN_IF_ERROR(Authorise(actor, false, "org.list", "organisations"));
  return orgs_.List();
}

Result<NewAccount> AccountAdmin::CreateUser(const Actor& actor, domain::User user,
                                            std::optional<std::string> password) {
  CP_RETURN_IF_ERROR(Authorise(actor, true, "user.create", "user:" + user.username));
  CP_RETURN_IF_ERROR(domain::ValidateUserProfile(user));
  if (!orgs_.Get(user.organisation_id).ok()) {
    return Status::InvalidArgument("Choose the user's organisation", "organisation");
  }
  if (users_.GetByUsername(user.username).ok()) {
    return Status::AlreadyExists("That username is already taken", "username");
  }
  std::string initial;
  if (password) {
    CP_RETURN_IF_ERROR(auth::CheckPasswordStrength(*password, user.username));
    initial = *password;
  } else {
    // 20 characters from an alphabet without look-alikes: about 110 bits.
    static constexpr std::string_view kAlphabet =
        "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 20; ++i) initial += kAlphabet[random_.Uniform(kAlphabet.size())];
  }
  CP_ASSIGN_OR_RETURN(std::string hash, crypto::HashPassword(initial, argon2_));
  CP_RETURN_IF_ERROR(Audit(actor, "user.create", "user:" + user.username,
                           "{\"roles\":" + RolesJson(user.roles) + ",\"organisation_id\":" +
                               std::to_string(user.organisation_id) + "}"));
  domain::Credentials creds;
  creds.password_hash = hash;
  CP_ASSIGN_OR_RETURN(user.id, users_.Create(user, creds));
  user.version = 1;
  return NewAccount{user, initial};
}

Result<domain::User> AccountAdmin::UpdateUser(const Actor& actor, domain::User user) {
  CP_RETURN_IF_ERROR(Authorise(actor, true, "user.update", "user:" + user.username));
  CP_RETURN_IF_ERROR(domain::ValidateUserProfile(user));
  CP_ASSIGN_OR_RETURN(domain::User existing, users_.Get(user.id));
  if (!orgs_.Get(user.organisation_id).ok()) {
    return Status::InvalidArgument("Choose the user's organisation", "organisation");
  }
  CP_RETURN_IF_ERROR(Audit(
      actor, "user.update", "user:" + existing.username,
      "{\"roles\":" + RolesJson(user.roles) + ",\"previous_roles\":" + RolesJson(existing.roles) +
          ",\"status\":" +
          (user.status == domain::AccountStatus::kActive ? "\"active\"" : "\"disabled\"") + "}"));
  CP_RETURN_IF_ERROR(users_.UpdateProfile(user));
  if (user.status != domain::AccountStatus::kActive) {
    CP_RETURN_IF_ERROR(sessions_.DeleteForUser(user.id));
  }
  return users_.Get(user.id);
}

Result<std::vector<domain::User>> AccountAdmin::ListUsers(const Actor& actor) {
  CP_RETURN_IF_ERROR(Authorise(actor, true, "user.list", "users"));
  return users_.List();
}

Result<domain::User> AccountAdmin::GetUser(const Actor& actor, const std::string& username) {
  CP_RETURN_IF_ERROR(Authorise(actor, true, "user.read", "user:" + username));
  return users_.GetByUsername(username);
}

Status AccountAdmin::SetPassword(const Actor& actor, const std::string& username,
                                 const std::string& password) {
  CP_RETURN_IF_ERROR(Authorise(actor, true, "user.set_password", "user:" + username));
  CP_ASSIGN_OR_RETURN(domain::User user, users_.GetByUsername(username));
  CP_RETURN_IF_ERROR(auth::CheckPasswordStrength(password, username));
  CP_ASSIGN_OR_RETURN(std::string hash, crypto::HashPassword(password, argon2_));
  CP_RETURN_IF_ERROR(Audit(actor, "user.set_password", "user:" + username));
  CP_RETURN_IF_ERROR(users_.SetPassword(user.id, hash, false));
  return sessions_.DeleteForUser(user.id);
}

Status AccountAdmin::ResetToken(const Actor& actor, const std::string& username) {
  CP_RETURN_IF_ERROR(Authorise(actor, true, "user.reset_token", "user:" + username));
  CP_ASSIGN_OR_RETURN(domain::User user, users_.GetByUsername(username));
  CP_RETURN_IF_ERROR(Audit(actor, "user.reset_token", "user:" + username));
  CP_RETURN_IF_ERROR(users_.SetTotpSecret(user.id, "", false));
  return sessions_.DeleteForUser(user.id);
}

Status AccountAdmin::Unlock(const Actor& actor, const std::string& username) {
  CP_RETURN_IF_ERROR(Authorise(actor, true, "user.unlock", "user:" + username));
  CP_ASSIGN_OR_RETURN(domain::User user, users_.GetByUsername(username));
  CP_RETURN_IF_ERROR(Audit(actor, "user.unlock", "user:" + username));
  CP_RETURN_IF_ERROR(users_.SetLockedUntil(user.id, std::nullopt));
  throttle_.ResetAccount(username);
  return Status::Ok();
}

}  // namespace cp::workflow
