// FeedTokens: the API tokens data sources use on the feed endpoints (docs/feeds.md).
//
// Contract:
//  - A token is 32 random bytes (256 bits), shown once as "cpf_" + base64url; only its
//    SHA-256 is stored (a random 256-bit secret needs no slow hash). It is limited to one
//    source organisation and is revocable.
//  - Issue, Revoke and List need Permission::kManageOrganisations (administrators) or a
//    system actor (the CLI); refusals are audited. Every issue and revoke is audited first
//    (fail closed), naming the token id and the organisation, never the token.
//  - Authenticate answers Unauthenticated for an unknown, malformed or revoked token, and
//    the source (organisation code and its local authority) otherwise.
// Thread-safe. Dependencies are not owned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_sink.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "workflow/actor.h"
#include "workflow/feed_import.h"

namespace cp::store {
class FeedStore;
class OrganisationStore;
}  // namespace cp::store

namespace cp::workflow {

// What List shows of a token (never the token or its hash).
struct TokenInfo {
  int64_t id = 0;
  std::string source;
  std::string label;
  TimePoint created_at;
  std::string created_by;
  std::optional<TimePoint> revoked_at;
  std::string revoked_by;
};

struct IssuedToken {
  int64_t id = 0;
  std::string token;  // Shown once; never stored.
};

class FeedTokens {
 public:
  FeedTokens(store::FeedStore& feeds, store::OrganisationStore& orgs, audit::AuditSink& audit,
             const Clock& clock, RandomSource& random);

  // NotFound (field "source") if no such organisation.
  Result<IssuedToken> Issue(const Actor& actor, const std::string& source,
                            const std::string& label);
  // NotFound if `id` is not a token of `source`; FailedPrecondition("revoked") if already.
  Status Revoke(const Actor& actor, const std::string& source, int64_t id);
  Result<std::vector<TokenInfo>> List(const Actor& actor, const std::string& source);

  Result<FeedSource> Authenticate(const std::string& token);

 private:
  Status Audit(const Actor& actor, std::string_view action, const std::string& source,
               std::string_view outcome, const std::string& details);
  Status Allowed(const Actor& actor, std::string_view action, const std::string& source);

  store::FeedStore& feeds_;
  store::OrganisationStore& orgs_;
  audit::AuditSink& audit_;
  const Clock& clock_;
  RandomSource& random_;
};

}  // namespace cp::workflow
