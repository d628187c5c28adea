// Verification of a stored audit trail (`contactpoint audit verify`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "audit/audit_store.h"
#include "core/result.h"

namespace cp::audit {

struct VerifyReport {
  uint64_t entries = 0;        // Entries checked (sequence 1..last_sequence).
  uint64_t checkpoints = 0;    // Checkpoints checked (signature and hash).
  uint64_t last_sequence = 0;  // The newest entry's sequence.
  uint64_t head_sequence = 0;  // The sequence the head file records.
  // Entries after the newest checkpoint: protected by the chain only, not yet by a signature,
  // so their truncation would not be detected.
  uint64_t unsigned_entries = 0;
};

// Streams the whole trail once (entries and checkpoints in sequence order; memory use does not
// grow with the trail) and checks that:
//  - sequence numbers run 1, 2, 3, ... without gaps;
//  - every entry's prev_hash is the previous entry's hash (GenesisHash() for entry 1);
//  - every entry's stored hash is EntryHash() of its contents;
//  - every checkpoint's Ed25519 signature is valid for `public_key` (raw 32 bytes), and the
//    entry at its sequence exists and has the hash it records;
//  - the head file at `head_path` exists, is validly signed, and the entry at its sequence
//    exists with the hash it records (so a truncated tail is detected even when the
//    checkpoints were deleted with it).
//
// Returns the report when all hold. Otherwise returns Internal with a message of the form
// "audit trail verification failed at sequence N: <what>", N being the first bad entry (for a
// rewritten run of entries that is still internally consistent, the first entry after the last
// checkpoint that matches). Unavailable if the store or head file cannot be read. Safe to run
// while an AuditLog appends: it checks a prefix of the trail.
Result<VerifyReport> VerifyAuditTrail(AuditStore& store, std::string_view public_key,
                                      const std::string& head_path);

}  // namespace cp::audit
