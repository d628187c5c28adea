// AuditLog: the tamper-evident, fail-closed, group-committed audit trail.
//
// Every recorded event becomes an AuditEntry with the next sequence number, the current time
// (from the injected Clock) and prev_hash = the previous entry's hash; its own hash is
// EntryHash() (SHA-256 over the canonical serialisation, see audit_event.h). Every
// `checkpoint_every` entries, at least every `checkpoint_interval` (when there are new entries),
// on Checkpoint() and at Shutdown(), a checkpoint of the newest entry is signed with the Ed25519
// key, stored in the same transaction as the entries, and then copied to the head file.
//
// Group commit: one writer thread takes every event waiting at that moment (up to
// `max_batch`), appends them in ONE AuditStore::AppendBatch (one transaction, one fsync) and
// only then wakes their callers with OK, or with Unavailable if the batch failed (in which case
// none of its entries is stored and the sequence numbers are reused by the next batch).
//
// Several writers: any number of AuditLogs (in one process or several, e.g. the server and
// `contactpoint import`) may append to the same store with the same signing key and head file.
// Every batch is built inside AuditStore::AppendAtTail, which holds the store's write lock
// (BEGIN IMMEDIATE on SQLite) and hands over the tail as stored: sequence numbers and the
// previous hash come from there, never from memory, so the writers' entries interleave in one
// gap-free chain. Checkpoint thresholds count every writer's unsigned entries, and the head
// file only moves forward (AdvanceHeadFile). Re-reading the tail is one indexed row per
// transaction, so group commit keeps its throughput.
//
// Thread safety: Record, Checkpoint and last_sequence may be called from any thread. Shutdown
// may be called from any thread, once or more; it must not race with destruction.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_event.h"
#include "audit/audit_sink.h"
#include "audit/audit_store.h"
#include "core/clock.h"
#include "core/result.h"
#include "crypto/signing.h"

namespace cp::audit {

// DeferredDurability: lets a request's audit entries be made durable without parking its
// thread until the group commit, while keeping the rule that nothing leaves before its audit
// entry is durable.
//
// While a DeferredDurability::Scope is active on a thread, AuditLog::Record queues each event
// whose action the object accepts and returns OK at once (after validating it) instead of
// waiting for its batch. The caller must then hold back everything that depends on those
// entries (the HTTP response) until Await's callback reports them durable, and refuse instead
// when it reports a failure (fail closed). Events with other actions, and any sink other than
// AuditLog, are recorded synchronously as usual. Use it only where nothing is committed on
// the strength of the entry except the response itself (a search).
//
// Thread-safe.
class DeferredDurability : public std::enable_shared_from_this<DeferredDurability> {
 public:
  // `actions`: the event actions that may be deferred (e.g. {"child.search"}).
  explicit DeferredDurability(std::vector<std::string> actions);

  // Makes `d` the current deferral target of this thread until destroyed. Not nestable.
  class Scope {
   public:
    explicit Scope(std::shared_ptr<DeferredDurability> d);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    std::shared_ptr<DeferredDurability> d_;
  };
  // The current thread's target, or null.
  static DeferredDurability* Current();

  bool Accepts(const AuditEvent& event) const;
  // True if some entry was queued and is not yet known durable or failed.
  bool pending() const;
  // Calls done(OK) once every entry queued so far is durable, or done(Unavailable) as soon as
  // one of them failed; immediately (on this thread) if there is nothing to wait for. Call at
  // most once, after the scope has ended. `done` may run on the audit writer thread: it must
  // be quick and must not record audit events itself.
  void Await(std::function<void(Status)> done);

 private:
  friend class AuditLog;
  void Queued();
  void Finished(const Status& status);

  const std::vector<std::string> actions_;
  mutable std::mutex mu_;
  int outstanding_ = 0;               // Guarded by mu_.
  Status failure_;                    // Guarded by mu_: the first failure.
  std::function<void(Status)> done_;  // Guarded by mu_.
};

struct AuditLogOptions {
  // The head file, outside the database (e.g. DIR/audit.head). Required.
  std::string head_path;
  // A checkpoint is written with the batch that brings the number of unsigned entries to this.
  uint64_t checkpoint_every = 1000;
  // ...and with the first batch at least this long (by the Clock) after the last checkpoint;
  // an idle writer also checks this every `idle_wakeup`.
  Duration checkpoint_interval = std::chrono::seconds(60);
  // Most entries in one transaction.
  size_t max_batch = 2048;
  // How often (real time) an idle writer wakes to check whether a timed checkpoint is due.
  // Affects only when a timed checkpoint appears, never correctness.
  std::chrono::milliseconds idle_wakeup{1000};
};

class AuditLog final : public AuditSink {
 public:
  // Resumes the chain at the store's tail and starts the writer thread.
  //
  // Refuses to start (FailedPrecondition) when the head file does not match the store: a bad
  // signature, a head beyond the store's tail (truncated store), a different hash at the
  // head's sequence, or a missing head file while the store holds entries. If the store's tail
  // is not yet checkpointed (first start, or a crash), writes a checkpoint of it; then
  // (re)writes the head file. Unavailable on storage or file errors.
  //
  // `store` and `clock` are not owned and must outlive the AuditLog. `signing_key` should be
  // loaded with crypto::SigningKey::LoadOrCreate from a file outside the database.
  static Result<std::unique_ptr<AuditLog>> Open(AuditStore& store, crypto::SigningKey signing_key,
                                                const Clock& clock, AuditLogOptions options);

  // Calls Shutdown().
  ~AuditLog() override;
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // See AuditSink::Record. Blocks until the entry's batch is durable. Unavailable after
  // Shutdown() has begun, or when the batch could not be written. Under a
  // DeferredDurability::Scope that accepts the event: queues a copy and returns OK at once;
  // the scope's object learns the outcome.
  Status Record(const AuditEvent& event) override;

  // Writes a signed checkpoint of the newest entry now (if it is not already checkpointed) and
  // updates the head file. Blocks until done. Unavailable on failure or after Shutdown().
  Status Checkpoint();

  // Stops accepting events, writes every event already waiting, writes a final checkpoint and
  // stops the writer thread. Returns the status of that final flush (later calls return the
  // same status).
  Status Shutdown();

  // The sequence number of the newest durable entry as of this log's last transaction (0 if
  // none); other writers may have appended since.
  uint64_t last_sequence() const { return last_sequence_.load(); }
  // Number of requests waiting for the writer thread (not counting the batch being written).
  // For monitoring and tests.
  size_t pending() const;
  // The raw 32-byte Ed25519 public key that verifies this log's checkpoints.
  const std::string& public_key() const { return signing_key_.public_key(); }

 private:
  // One waiting caller: an event to append, or a checkpoint request (event == nullptr).
  // A deferred request owns a copy of its event and is deleted by the writer once its
  // DeferredDurability has been told the outcome; the others live on their caller's stack.
  struct Request {
    const AuditEvent* event = nullptr;
    Status status;
    bool done = false;
    std::shared_ptr<DeferredDurability> deferred;
    AuditEvent owned;
  };

  AuditLog(AuditStore& store, crypto::SigningKey signing_key, const Clock& clock,
           AuditLogOptions options);

  void WriterLoop();
  // Appends the batch (plus a checkpoint if due or `force_checkpoint`) and returns the status
  // for entry callers and for checkpoint callers. Writer thread only.
  std::pair<Status, Status> WriteBatch(const std::vector<Request*>& batch, bool force_checkpoint);

  AuditStore& store_;
  const crypto::SigningKey signing_key_;
  const Clock& clock_;
  const AuditLogOptions options_;

  // The chain as of this log's last transaction: touched only by the writer thread (and by
  // Open before it starts). Only a hint for idle ticks; appends use the stored tail.
  uint64_t last_seq_ = 0;
  std::string last_hash_;
  AuditCheckpoint last_checkpoint_;  // The newest checkpoint this log has seen.
  bool head_dirty_ = false;          // last_checkpoint_ may not be in the head file yet.

  std::atomic<uint64_t> last_sequence_{0};

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // Writer waits: queue non-empty or stopping.
  std::condition_variable done_cv_;  // Callers wait: their request is done.
  std::deque<Request*> queue_;       // Guarded by mu_.
  bool stopping_ = false;            // Guarded by mu_.
  Status final_status_;              // Set by the writer before it exits.

  std::mutex shutdown_mu_;  // Serialises Shutdown().
  bool shut_down_ = false;  // Guarded by shutdown_mu_.
  std::thread writer_;
};

}  // namespace cp::audit
