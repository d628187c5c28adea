#include "audit/verifier.h"

#include <algorithm>
#include <optional>

#include "audit/checkpoint.h"
#include "crypto/hash.h"

namespace cp::audit {
namespace {

Status Failure(uint64_t sequence, const std::string& what) {
  return Status::Internal("audit trail verification failed at sequence " +
                          std::to_string(sequence) + ": " + what);
}

std::string Seq(uint64_t sequence) { return std::to_string(sequence); }

}  // namespace

Result<VerifyReport> VerifyAuditTrail(AuditStore& store, std::string_view public_key,
                                      const std::string& head_path) {
  // Order matters when an AuditLog is appending concurrently: the head file is read first, then
  // the checkpoints, then the entries, so each later snapshot contains what the earlier refers to.
  CP_ASSIGN_OR_RETURN(std::optional<AuditCheckpoint> head, ReadHeadFile(head_path));
  if (!head.has_value()) {
    return Status::Internal("audit trail verification failed: the head file " + head_path +
                            " is missing");
  }
  if (!CheckpointSignatureValid(public_key, *head)) {
    return Failure(head->sequence, "the head file's signature is not valid");
  }

  CP_ASSIGN_OR_RETURN(auto checkpoints, store.ScanCheckpoints());

  VerifyReport report;
  report.head_sequence = head->sequence;
  uint64_t last_good_checkpoint = 0;  // Sequence of the newest checkpoint matched so far.

  AuditCheckpoint checkpoint;
  CP_ASSIGN_OR_RETURN(bool have_checkpoint, checkpoints->Next(&checkpoint));
  // Only now (the checkpoint snapshot being taken) open the entry snapshot.
  CP_ASSIGN_OR_RETURN(auto entries, store.ScanEntries(1));
  // Checks the pending checkpoint's signature and, if it is at `sequence` (whose hash is
  // `hash`), its hash; then advances. Returns OK when the checkpoint is for a later sequence.
  auto check_checkpoints_up_to = [&](uint64_t sequence, const std::string& hash) -> Status {
    while (have_checkpoint && checkpoint.sequence <= sequence) {
      if (!CheckpointSignatureValid(public_key, checkpoint)) {
        return Failure(checkpoint.sequence, "the checkpoint's signature is not valid (forged)");
      }
      if (checkpoint.sequence < sequence) {
        // Entries are checked in order, so an earlier checkpoint was already passed over:
        // only possible if the store returned checkpoints out of order.
        return Failure(checkpoint.sequence, "checkpoint out of order");
      }
      if (!crypto::ConstantTimeEquals(checkpoint.hash, hash)) {
        return Failure(last_good_checkpoint + 1,
                       "entries " + Seq(last_good_checkpoint + 1) + ".." + Seq(sequence) +
                           " do not match the signed checkpoint at sequence " + Seq(sequence) +
                           " (rewritten)");
      }
      last_good_checkpoint = sequence;
      ++report.checkpoints;
      CP_ASSIGN_OR_RETURN(have_checkpoint, checkpoints->Next(&checkpoint));
    }
    return Status::Ok();
  };

  const std::string genesis = GenesisHash();
  CP_RETURN_IF_ERROR(check_checkpoints_up_to(0, genesis));

  uint64_t expected = 1;
  std::string prev_hash = genesis;
  AuditEntry entry;
  for (;;) {
    CP_ASSIGN_OR_RETURN(bool more, entries->Next(&entry));
    if (!more) break;
    if (entry.sequence != expected) {
      if (entry.sequence > expected) {
        return Failure(expected, "the entry is missing (deleted); the next stored entry is " +
                                     Seq(entry.sequence));
      }
      return Failure(entry.sequence, "the entry is out of order (reordered or duplicated)");
    }
    if (entry.prev_hash != prev_hash) {
      return Failure(entry.sequence,
                     "prev_hash does not match the previous entry's hash (deleted, inserted or "
                     "reordered)");
    }
    if (entry.hash != EntryHash(entry)) {
      return Failure(entry.sequence, "the entry's contents do not match its hash (edited)");
    }
    if (head->sequence == entry.sequence && entry.hash != head->hash) {
      return Failure(last_good_checkpoint + 1,
                     "entries up to " + Seq(entry.sequence) +
                         " do not match the signed head file (rewritten)");
    }
    CP_RETURN_IF_ERROR(check_checkpoints_up_to(entry.sequence, entry.hash));
    prev_hash = entry.hash;
    ++expected;
  }
  const uint64_t last = expected - 1;
  report.entries = last;
  report.last_sequence = last;

  if (have_checkpoint) {
    if (!CheckpointSignatureValid(public_key, checkpoint)) {
      return Failure(checkpoint.sequence, "the checkpoint's signature is not valid (forged)");
    }
    return Failure(last + 1, "the trail ends at sequence " + Seq(last) +
                                 " but a signed checkpoint records sequence " +
                                 Seq(checkpoint.sequence) + " (truncated)");
  }
  if (head->sequence > last) {
    return Failure(last + 1, "the trail ends at sequence " + Seq(last) +
                                 " but the signed head file records sequence " +
                                 Seq(head->sequence) + " (truncated)");
  }
  if (head->sequence == 0 && head->hash != genesis) {
    return Failure(0, "the head file's hash for the empty trail is wrong");
  }
  report.unsigned_entries = last - std::max(last_good_checkpoint, head->sequence);
  return report;
}

}  // namespace cp::audit
