#include "workflow/feed_tokens.h"

#include <boost/json.hpp>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "policy/rbac.h"
#include "store/feed_store.h"
#include "store/organisation_store.h"
#include "workflow/audit_trail.h"

namespace cp::workflow {

namespace {

constexpr std::string_view kPrefix = "cpf_";
constexpr size_t kTokenBytes = 32;

std::string TokenHash(std::string_view token) { return crypto::HexEncode(crypto::Sha256(token)); }

}  // namespace

FeedTokens::FeedTokens(store::FeedStore& feeds, store::OrganisationStore& orgs,
                       audit::AuditSink& audit, const Clock& clock, RandomSource& random)
    : feeds_(feeds), orgs_(orgs), audit_(audit), clock_(clock), random_(random) {}

Status FeedTokens::Audit(const Actor& actor, std::string_view action, const std::string& source,
                         std::string_view outcome, const std::string& details) {
  return RecordAction(audit_, actor, action, "source:" + source, outcome,
                      outcome == "denied" ? "rbac" : "", details);
}

Status FeedTokens::Allowed(const Actor& actor, std::string_view action, const std::string& source) {
  if (actor.system || policy::IsGranted(actor.roles, policy::Permission::kManageOrganisations)) {
    return Status::Ok();
  }
  CP_RETURN_IF_ERROR(Audit(actor, action, source, "denied", ""));
  return Status::PermissionDenied("Only an administrator manages data-source tokens");
}

Result<IssuedToken> FeedTokens::Issue(const Actor& actor, const std::string& source,
                                      const std::string& label) {
  constexpr std::string_view kAction = "feed_token.issue";
  CP_RETURN_IF_ERROR(Allowed(actor, kAction, source));
  auto org = orgs_.GetByCode(source);
  if (!org.ok()) {
    if (org.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("No such organisation");
    }
    return org.status();
  }
  if (label.size() > 100) return Status::InvalidArgument("The label is too long", "label");
  IssuedToken issued;
  issued.token = std::string(kPrefix) + crypto::Base64UrlEncode(random_.Bytes(kTokenBytes));
  store::ApiToken token;
  token.source = source;
  token.token_hash = TokenHash(issued.token);
  token.label = label;
  token.created_at = clock_.Now();
  token.created_by = actor.system ? "system" : actor.username;
  CP_RETURN_IF_ERROR(Audit(actor, kAction, source, "success", ""));
  CP_ASSIGN_OR_RETURN(issued.id, feeds_.AddToken(token));
  return issued;
}

Status FeedTokens::Revoke(const Actor& actor, const std::string& source, int64_t id) {
  constexpr std::string_view kAction = "feed_token.revoke";
  CP_RETURN_IF_ERROR(Allowed(actor, kAction, source));
  boost::json::object details{{"token_id", id}};
  CP_RETURN_IF_ERROR(Audit(actor, kAction, source, "success", boost::json::serialize(details)));
  return feeds_.RevokeToken(source, id, actor.system ? "system" : actor.username, clock_.Now());
}

Result<std::vector<TokenInfo>> FeedTokens::List(const Actor& actor, const std::string& source) {
  CP_RETURN_IF_ERROR(Allowed(actor, "feed_token.list", source));
  CP_ASSIGN_OR_RETURN(std::vector<store::ApiToken> stored, feeds_.Tokens(source));
  std::vector<TokenInfo> out;
  for (const auto& t : stored) {
    out.push_back(
        {t.id, t.source, t.label, t.created_at, t.created_by, t.revoked_at, t.revoked_by});
  }
  return out;
}

Result<FeedSource> FeedTokens::Authenticate(const std::string& token) {
  const Status refused = Status::Unauthenticated("The API token is not valid");
  if (token.size() < kPrefix.size() + 40 || token.size() > 100 ||
      token.compare(0, kPrefix.size(), kPrefix) != 0) {
    return refused;
  }
  auto found = feeds_.FindToken(TokenHash(token));
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kNotFound) return refused;
    return found.status();
  }
  if (found->revoked_at) return refused;
  CP_ASSIGN_OR_RETURN(domain::Organisation org, orgs_.GetByCode(found->source));
  return FeedSource{org.code, org.local_authority_code};
}

}  // namespace cp::workflow
