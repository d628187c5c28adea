#include "audit/audit_event.h"

#include "audit/serialize_internal.h"
#include "crypto/hash.h"

namespace cp::audit {
namespace {

using internal::PutBytes;
using internal::PutI64;
using internal::PutU64;

constexpr std::string_view kEntryDomain = "contactpoint.audit.entry.v1";

}  // namespace

std::string GenesisHash() { return std::string(kAuditHashSize, '\0'); }

std::string CanonicalEntryBytes(const AuditEntry& entry) {
  const AuditEvent& e = entry.event;
  std::string out;
  out.reserve(64 + e.actor.size() + e.organisation.size() + e.action.size() + e.target.size() +
              e.outcome.size() + e.reason.size() + e.request_id.size() + e.client_address.size() +
              e.details_json.size() + 9 * 4 + 36);
  PutBytes(&out, kEntryDomain);
  PutU64(&out, entry.sequence);
  PutI64(&out, entry.time.time_since_epoch().count());
  PutBytes(&out, e.actor);
  PutBytes(&out, e.organisation);
  PutBytes(&out, e.action);
  PutBytes(&out, e.target);
  PutBytes(&out, e.outcome);
  PutBytes(&out, e.reason);
  PutBytes(&out, e.request_id);
  PutBytes(&out, e.client_address);
  PutBytes(&out, e.details_json);
  PutBytes(&out, entry.prev_hash);
  return out;
}

std::string EntryHash(const AuditEntry& entry) {
  return crypto::Sha256(CanonicalEntryBytes(entry));
}

Status ValidateEvent(const AuditEvent& event) {
  const std::pair<std::string_view, const std::string*> fields[] = {
      {"actor", &event.actor},
      {"organisation", &event.organisation},
      {"action", &event.action},
      {"target", &event.target},
      {"outcome", &event.outcome},
      {"reason", &event.reason},
      {"request_id", &event.request_id},
      {"client_address", &event.client_address},
      {"details_json", &event.details_json},
  };
  for (const auto& [name, value] : fields) {
    if (value->size() > kMaxAuditFieldSize) {
      return Status::InvalidArgument("audit field is too large", std::string(name));
    }
  }
  return Status::Ok();
}

}  // namespace cp::audit
