// AuditStore: the backend-neutral storage the AuditLog writes to and the verifier reads from.
//
// Implementations (e.g. store/sqlite/sqlite_audit_store.h) only store and fetch; they never
// compute or check hashes. The store must be append-only in normal operation: nothing but
// AppendBatch changes it.
//
// Thread safety: implementations must be thread-safe. Each AuditLog's writer thread calls
// AppendAtTail (and, at start, ReadTail/ReadLastCheckpoint) while report and verify code reads
// concurrently; readers must not block the writer for long. Several AuditLogs (in this process
// or in others, e.g. `contactpoint import` beside the server) may append to one store:
// AppendAtTail serialises them and gives each the true tail, so the chain stays single.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "audit/audit_event.h"
#include "core/clock.h"
#include "core/result.h"

namespace cp::audit {

// The newest entry's sequence and hash. sequence == 0 (hash == GenesisHash()) when empty.
struct AuditTail {
  uint64_t sequence = 0;
  std::string hash;
};

// A report filter. Empty optionals match anything.
struct AuditQuery {
  std::optional<std::string> actor;   // Exact match.
  std::string action_prefix;          // Matches actions starting with this ("" matches all).
  std::optional<std::string> target;  // Exact match.
  std::optional<TimePoint> from;      // Inclusive.
  std::optional<TimePoint> to;        // Exclusive.
  size_t limit = 1000;                // At most this many results (implementations may cap it).
};

// What an AppendAtTail builder sees: the store's state inside the write transaction.
struct AuditAppendContext {
  AuditTail tail;                                  // The newest entry, as committed.
  std::optional<AuditCheckpoint> last_checkpoint;  // The highest checkpoint, if any.
};

// What an AppendAtTail builder asks to append (either part may be empty).
struct AuditAppendPlan {
  std::vector<AuditEntry> entries;  // Consecutive sequences continuing context.tail.
  std::optional<AuditCheckpoint> checkpoint;
};

// A forward-only cursor over stored rows, in increasing sequence order. Holds a consistent
// snapshot of the store for its lifetime. Not thread-safe; use from one thread.
template <typename T>
class AuditCursor {
 public:
  virtual ~AuditCursor() = default;
  // Fills `*out` with the next row and returns true, or returns false at the end.
  // Unavailable if the store cannot be read.
  virtual Result<bool> Next(T* out) = 0;
};

class AuditStore {
 public:
  virtual ~AuditStore();

  // Durably and atomically appends `entries` (consecutive sequence numbers continuing the
  // tail) and, if given, `checkpoint`: either all of them are stored and durable when OK is
  // returned, or none are. Unavailable when the store cannot be written (busy, I/O error, disk
  // full); AlreadyExists if a sequence number is already taken.
  virtual Status AppendBatch(std::span<const AuditEntry> entries,
                             const AuditCheckpoint* checkpoint) = 0;

  // Holding the store's write lock, which excludes every other appender of the same store in
  // this process and in any other: reads the tail and the newest checkpoint, calls
  // `build(context)` once, and appends what it returns exactly as AppendBatch does, all in one
  // atomic, durable transaction. This is how several writers share one hash chain: each
  // continues the chain from the tail it reads under the lock, never from a remembered copy.
  // If `build` fails, nothing is appended and its error is returned. Otherwise as AppendBatch
  // (Unavailable when the lock is not granted within the store's busy timeout). `build` runs
  // on the calling thread and must be quick: every other appender waits for it.
  using AppendBuilder = std::function<Result<AuditAppendPlan>(const AuditAppendContext&)>;
  virtual Status AppendAtTail(const AppendBuilder& build) = 0;

  // The newest entry's sequence and hash (sequence 0 and GenesisHash() when empty).
  virtual Result<AuditTail> ReadTail() = 0;
  // The checkpoint with the highest sequence, or nullopt if there is none.
  virtual Result<std::optional<AuditCheckpoint>> ReadLastCheckpoint() = 0;

  // Entries with sequence >= `from_sequence`, in sequence order, streamed.
  virtual Result<std::unique_ptr<AuditCursor<AuditEntry>>> ScanEntries(uint64_t from_sequence) = 0;
  // Every checkpoint in sequence order, streamed.
  virtual Result<std::unique_ptr<AuditCursor<AuditCheckpoint>>> ScanCheckpoints() = 0;

  // Entries matching `query`, newest first (by time, then sequence), at most query.limit.
  virtual Result<std::vector<AuditEntry>> Query(const AuditQuery& query) = 0;
};

}  // namespace cp::audit
