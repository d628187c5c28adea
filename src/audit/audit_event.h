// AuditEvent (what a caller reports) and AuditEntry (what the audit trail stores), plus the
// canonical byte serialisations that the SHA-256 chain and the Ed25519 checkpoints cover.
//
// The serialisations are part of the on-disk format: changing them invalidates every existing
// trail. They are documented byte for byte in docs/audit-log.md. All functions here are pure
// and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace cp::audit {

// One audited action, as reported by the layer that performed (or refused) it.
// No field may hold a secret (password, TOTP code, session token, key). Fields are opaque byte
// strings to the audit layer; each must be at most kMaxAuditFieldSize bytes.
struct AuditEvent {
  std::string actor;           // Who acted: a user id, or "" / "anonymous" before sign-in.
  std::string organisation;    // The actor's organisation id, if known.
  std::string action;          // Dotted verb, e.g. "auth.sign_in", "org.update", "search".
  std::string target;          // What was acted on: a user id, organisation id, UIN, ...
  std::string outcome;         // "success", "failure", "denied", ...
  std::string reason;          // Why (machine-readable code), e.g. "bad_password"; may be empty.
  std::string request_id;      // The HTTP request id, to join with the access log.
  std::string client_address;  // The client's IP address as the server saw it.
  // A compact JSON object with extra, non-secret structured details (view level, access reason
  // code, HMAC'd search criteria, result counts, returned UINs). May be empty. Not parsed here.
  std::string details_json;

  bool operator==(const AuditEvent&) const = default;
};

// Largest accepted size of any one AuditEvent field, in bytes.
inline constexpr size_t kMaxAuditFieldSize = 1 << 20;

// Size in bytes of the SHA-256 chain hashes.
inline constexpr size_t kAuditHashSize = 32;

// The prev_hash of entry 1 (and the hash "of entry 0"): 32 zero bytes.
std::string GenesisHash();

// One stored entry of the trail. Sequence numbers start at 1 and have no gaps.
struct AuditEntry {
  uint64_t sequence = 0;
  TimePoint time;  // UTC, microsecond precision; assigned by the AuditLog.
  AuditEvent event;
  std::string prev_hash;  // Raw 32 bytes: the previous entry's hash (GenesisHash() for entry 1).
  std::string hash;       // Raw 32 bytes: EntryHash(*this).

  bool operator==(const AuditEntry&) const = default;
};

// A signed statement "the entry with `sequence` has chain hash `hash`", written periodically into
// the store and (the latest one) into the head file outside the database. Sequence 0 with
// GenesisHash() is the checkpoint of the empty trail.
struct AuditCheckpoint {
  uint64_t sequence = 0;
  TimePoint time;         // When the checkpoint was made (UTC).
  std::string hash;       // Raw 32 bytes: the hash of entry `sequence`.
  std::string signature;  // Raw 64-byte Ed25519 signature of CheckpointMessage(*this).

  bool operator==(const AuditCheckpoint&) const = default;
};

// The canonical, length-prefixed serialisation of an entry's sequence, time, event fields and
// prev_hash (not its own hash). See docs/audit-log.md.
std::string CanonicalEntryBytes(const AuditEntry& entry);
// SHA-256 of CanonicalEntryBytes(entry), raw 32 bytes.
std::string EntryHash(const AuditEntry& entry);

// InvalidArgument (naming the field) if a field of `event` is larger than kMaxAuditFieldSize.
Status ValidateEvent(const AuditEvent& event);

}  // namespace cp::audit
