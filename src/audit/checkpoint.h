// Signed checkpoints and the head file.
//
// A checkpoint is an Ed25519 signature over (sequence, time, chain hash). Checkpoints are
// stored in the audit database, and the newest one is also written to the "head file", a small
// text file kept OUTSIDE the database, so that deleting the tail of the trail together with its
// checkpoints is still detected. Formats: docs/audit-log.md. All functions are thread-safe.
// WriteHeadFile calls are not atomic with respect to each other on the same path; writers that
// may run at once (several AuditLogs on one store, in one process or several) use
// AdvanceHeadFile, which serialises them with a lock file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_event.h"
#include "core/result.h"
#include "crypto/signing.h"

namespace cp::audit {

// The exact bytes a checkpoint signature covers (sequence, time and hash; not the signature).
std::string CheckpointMessage(const AuditCheckpoint& checkpoint);

// Returns a checkpoint of (sequence, time, hash) signed with `key`.
AuditCheckpoint MakeCheckpoint(const crypto::SigningKey& key, uint64_t sequence, TimePoint time,
                               std::string hash);

// True when `checkpoint.signature` is a valid signature of it by `public_key` (raw 32 bytes).
bool CheckpointSignatureValid(std::string_view public_key, const AuditCheckpoint& checkpoint);

// Serialises a checkpoint in the head-file text format, and parses it back.
// ParseHeadFile returns InvalidArgument on any deviation from the format (it does not check
// the signature).
std::string FormatHeadFile(const AuditCheckpoint& checkpoint);
Result<AuditCheckpoint> ParseHeadFile(std::string_view text);

// Atomically replaces the head file at `path` with `checkpoint`: writes `path`.tmp, fsyncs it,
// renames it over `path` and fsyncs the directory. Unavailable on any I/O error (the old head
// file is then still intact).
Status WriteHeadFile(const std::string& path, const AuditCheckpoint& checkpoint);
// Replaces the head file with `checkpoint` unless it already holds a checkpoint at least as new
// (same or higher sequence) validly signed for `public_key`, so the head file never moves
// backwards when several writers checkpoint the same trail. Holds an exclusive flock on
// `path`.lock (created 0600) across the read and the write, so that concurrent writers in
// any process neither interleave nor lose the newest head. An unreadable, malformed or
// badly signed head file is replaced. Unavailable on I/O errors, as WriteHeadFile.
Status AdvanceHeadFile(const std::string& path, const AuditCheckpoint& checkpoint,
                       std::string_view public_key);
// Reads the head file at `path`: nullopt if it does not exist, InvalidArgument if malformed,
// Unavailable on other I/O errors.
Result<std::optional<AuditCheckpoint>> ReadHeadFile(const std::string& path);

}  // namespace cp::audit
