#include "audit/audit_log.h"

#include <optional>
#include <utility>

#include "audit/checkpoint.h"

namespace cp::audit {
namespace {

// Returns the stored entry with exactly `sequence`, or nullopt if there is none.
Result<std::optional<AuditEntry>> EntryAt(AuditStore& store, uint64_t sequence) {
  CP_ASSIGN_OR_RETURN(auto cursor, store.ScanEntries(sequence));
  AuditEntry entry;
  CP_ASSIGN_OR_RETURN(bool found, cursor->Next(&entry));
  if (!found || entry.sequence != sequence) return std::optional<AuditEntry>();
  return std::optional<AuditEntry>(std::move(entry));
}

Status Refuse(const std::string& why) {
  return Status::FailedPrecondition("the audit trail does not match its head file: " + why +
                                    "; run `contactpoint audit verify`");
}

}  // namespace

// ---- DeferredDurability.

namespace {
thread_local DeferredDurability* current_deferral = nullptr;
}  // namespace

DeferredDurability::DeferredDurability(std::vector<std::string> actions)
    : actions_(std::move(actions)) {}

DeferredDurability::Scope::Scope(std::shared_ptr<DeferredDurability> d) : d_(std::move(d)) {
  current_deferral = d_.get();
}
DeferredDurability::Scope::~Scope() { current_deferral = nullptr; }

DeferredDurability* DeferredDurability::Current() { return current_deferral; }

bool DeferredDurability::Accepts(const AuditEvent& event) const {
  for (const std::string& a : actions_) {
    if (a == event.action) return true;
  }
  return false;
}

bool DeferredDurability::pending() const {
  std::lock_guard lock(mu_);
  return outstanding_ > 0;
}

void DeferredDurability::Queued() {
  std::lock_guard lock(mu_);
  ++outstanding_;
}

void DeferredDurability::Finished(const Status& status) {
  std::function<void(Status)> done;
  Status outcome;
  {
    std::lock_guard lock(mu_);
    --outstanding_;
    if (!status.ok() && failure_.ok()) failure_ = status;
    // Report once: at the first failure, or when the last entry is durable.
    if (done_ && (!failure_.ok() || outstanding_ == 0)) {
      done = std::move(done_);
      done_ = nullptr;
      outcome = failure_;
    }
  }
  if (done) done(outcome);
}

void DeferredDurability::Await(std::function<void(Status)> done) {
  Status outcome;
  {
    std::lock_guard lock(mu_);
    if (failure_.ok() && outstanding_ > 0) {
      done_ = std::move(done);
      return;
    }
    outcome = failure_;
  }
  done(outcome);
}

// ---- AuditLog.

AuditLog::AuditLog(AuditStore& store, crypto::SigningKey signing_key, const Clock& clock,
                   AuditLogOptions options)
    : store_(store),
      signing_key_(std::move(signing_key)),
      clock_(clock),
      options_(std::move(options)),
      last_hash_(GenesisHash()) {}

Result<std::unique_ptr<AuditLog>> AuditLog::Open(AuditStore& store, crypto::SigningKey signing_key,
                                                 const Clock& clock, AuditLogOptions options) {
  if (options.head_path.empty()) {
    return Status::InvalidArgument("the audit head file path is required", "head_path");
  }
  if (options.checkpoint_every == 0) options.checkpoint_every = 1;
  if (options.max_batch == 0) options.max_batch = 1;

  // Read in this order: the head file, the newest checkpoint, the tail. Another process may be
  // appending meanwhile, and each of these is written only after the next one's rows commit
  // (the head file after its checkpoint, a checkpoint with or after its entries), so a later
  // read never sees less than an earlier one implies and no concurrent append looks like a
  // truncation.
  CP_ASSIGN_OR_RETURN(std::optional<AuditCheckpoint> head, ReadHeadFile(options.head_path));
  CP_ASSIGN_OR_RETURN(std::optional<AuditCheckpoint> last_checkpoint, store.ReadLastCheckpoint());
  CP_ASSIGN_OR_RETURN(AuditTail tail, store.ReadTail());
  if (tail.sequence == 0) tail.hash = GenesisHash();
  const std::string& public_key = signing_key.public_key();

  if (head.has_value()) {
    if (!CheckpointSignatureValid(public_key, *head)) {
      return Refuse("the head file's signature is not valid for this signing key");
    }
    if (head->sequence > tail.sequence) {
      return Refuse("the trail ends at sequence " + std::to_string(tail.sequence) +
                    " but the head file records sequence " + std::to_string(head->sequence));
    }
    std::string hash_at_head = GenesisHash();
    if (head->sequence > 0) {
      CP_ASSIGN_OR_RETURN(std::optional<AuditEntry> entry, EntryAt(store, head->sequence));
      if (!entry.has_value()) {
        return Refuse("entry " + std::to_string(head->sequence) + " is missing");
      }
      hash_at_head = entry->hash;
    }
    if (hash_at_head != head->hash) {
      return Refuse("entry " + std::to_string(head->sequence) +
                    " does not have the hash the head file records");
    }
  } else if (tail.sequence > 0) {
    return Refuse("the head file " + options.head_path + " is missing");
  }

  if (last_checkpoint.has_value()) {
    if (!CheckpointSignatureValid(public_key, *last_checkpoint)) {
      return Refuse("the newest checkpoint's signature is not valid for this signing key");
    }
    if (last_checkpoint->sequence > tail.sequence) {
      return Refuse("a checkpoint refers to sequence " + std::to_string(last_checkpoint->sequence) +
                    " beyond the trail's end");
    }
  }

  std::unique_ptr<AuditLog> log(
      new AuditLog(store, std::move(signing_key), clock, std::move(options)));
  // First start, or entries written after the last checkpoint before a crash (or by another
  // writer still running): sign the tail as it is under the write lock.
  AuditCheckpoint newest;
  CP_RETURN_IF_ERROR(
      store.AppendAtTail([&](const AuditAppendContext& context) -> Result<AuditAppendPlan> {
        AuditAppendPlan plan;
        if (context.last_checkpoint.has_value() &&
            context.last_checkpoint->sequence == context.tail.sequence) {
          newest = *context.last_checkpoint;
          return plan;
        }
        plan.checkpoint = MakeCheckpoint(log->signing_key_, context.tail.sequence, clock.Now(),
                                         context.tail.hash);
        newest = *plan.checkpoint;
        return plan;
      }));
  CP_RETURN_IF_ERROR(AdvanceHeadFile(log->options_.head_path, newest, log->public_key()));

  log->last_seq_ = newest.sequence;
  log->last_hash_ = newest.hash;
  log->last_checkpoint_ = newest;
  log->last_sequence_.store(newest.sequence);
  log->writer_ = std::thread(&AuditLog::WriterLoop, log.get());
  return log;
}

AuditLog::~AuditLog() { (void)Shutdown(); }

Status AuditLog::Record(const AuditEvent& event) {
  CP_RETURN_IF_ERROR(ValidateEvent(event));
  if (DeferredDurability* deferral = DeferredDurability::Current();
      deferral != nullptr && deferral->Accepts(event)) {
    auto request = std::make_unique<Request>();
    request->owned = event;
    request->event = &request->owned;
    request->deferred = deferral->shared_from_this();
    std::lock_guard lock(mu_);
    if (stopping_) return Status::Unavailable("the audit log is shut down");
    deferral->Queued();
    queue_.push_back(request.release());
    work_cv_.notify_one();
    return Status::Ok();
  }
  Request request;
  request.event = &event;
  std::unique_lock lock(mu_);
  if (stopping_) return Status::Unavailable("the audit log is shut down");
  queue_.push_back(&request);
  work_cv_.notify_one();
  done_cv_.wait(lock, [&] { return request.done; });
  return request.status;
}

Status AuditLog::Checkpoint() {
  Request request;
  std::unique_lock lock(mu_);
  if (stopping_) return Status::Unavailable("the audit log is shut down");
  queue_.push_back(&request);
  work_cv_.notify_one();
  done_cv_.wait(lock, [&] { return request.done; });
  return request.status;
}

size_t AuditLog::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

Status AuditLog::Shutdown() {
  std::lock_guard guard(shutdown_mu_);
  if (shut_down_) return final_status_;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  shut_down_ = true;
  return final_status_;
}

void AuditLog::WriterLoop() {
  for (;;) {
    std::vector<Request*> batch;
    bool last_round = false;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait_for(lock, options_.idle_wakeup, [&] { return !queue_.empty() || stopping_; });
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      // Record() refuses new work once stopping_ is set, so an empty queue stays empty.
      last_round = stopping_ && queue_.empty();
    }
    bool force_checkpoint = last_round;
    for (const Request* request : batch) {
      if (request->event == nullptr) force_checkpoint = true;
    }
    auto [entry_status, checkpoint_status] = WriteBatch(batch, force_checkpoint);
    if (!batch.empty()) {
      std::vector<Request*> deferred;
      bool waiters = false;
      {
        std::lock_guard lock(mu_);
        for (Request* request : batch) {
          if (request->deferred != nullptr) {
            deferred.push_back(request);
            continue;
          }
          request->status = request->event != nullptr ? entry_status : checkpoint_status;
          request->done = true;
          waiters = true;
        }
      }
      if (waiters) done_cv_.notify_all();
      // Outside the lock: the callbacks may queue work elsewhere (never audit events).
      for (Request* request : deferred) {
        request->deferred->Finished(entry_status);
        delete request;
      }
    }
    if (last_round) {
      final_status_ = checkpoint_status;
      return;
    }
  }
}

std::pair<Status, Status> AuditLog::WriteBatch(const std::vector<Request*>& batch,
                                               bool force_checkpoint) {
  // The events are copied before the write lock is taken; sequence, time and hashes are
  // assigned under it, from the tail as stored (another AuditLog, in this process or another,
  // may have appended since this one last wrote).
  std::vector<AuditEntry> entries;
  entries.reserve(batch.size());
  for (const Request* request : batch) {
    if (request->event != nullptr) entries.emplace_back().event = *request->event;
  }

  // An idle tick takes the write lock only when, as far as this writer knows, a timed
  // checkpoint is due. Entries of other writers are theirs to sign: each signs its tail at
  // Shutdown, Open signs a tail a crashed writer left, and any writer's next batch signs
  // everything unsigned once a threshold is reached.
  const bool idle = entries.empty() && !force_checkpoint;
  const bool timed_checkpoint_may_be_due =
      last_seq_ > last_checkpoint_.sequence &&
      clock_.Now() - last_checkpoint_.time >= options_.checkpoint_interval;
  if (!idle || timed_checkpoint_may_be_due) {
    uint64_t sequence = 0;
    std::string hash;
    std::optional<AuditCheckpoint> newest_checkpoint;
    bool signed_here = false;
    Status append =
        store_.AppendAtTail([&](const AuditAppendContext& context) -> Result<AuditAppendPlan> {
          const TimePoint now = clock_.Now();
          sequence = context.tail.sequence;
          hash = context.tail.hash;
          for (AuditEntry& entry : entries) {
            entry.sequence = ++sequence;
            entry.time = now;
            entry.prev_hash = std::move(hash);
            entry.hash = EntryHash(entry);
            hash = entry.hash;
          }
          const std::optional<AuditCheckpoint>& signed_up_to = context.last_checkpoint;
          const uint64_t unsigned_entries =
              sequence - (signed_up_to.has_value() ? signed_up_to->sequence : 0);
          const bool checkpoint_due =
              unsigned_entries > 0 &&
              (force_checkpoint || unsigned_entries >= options_.checkpoint_every ||
               !signed_up_to.has_value() ||
               now - signed_up_to->time >= options_.checkpoint_interval);
          AuditAppendPlan plan;
          plan.entries = std::move(entries);
          if (checkpoint_due) {
            plan.checkpoint = MakeCheckpoint(signing_key_, sequence, now, hash);
            newest_checkpoint = plan.checkpoint;
            signed_here = true;
          } else {
            newest_checkpoint = signed_up_to;
          }
          return plan;
        });
    if (!append.ok()) {
      // Nothing of the batch is stored (the append is atomic); the next batch reads the tail
      // afresh under the lock, so even an ambiguous failure (an fsync error after the commit)
      // cannot fork the chain.
      Status failed =
          Status::Unavailable("the audit entry could not be written: " + append.message());
      return {failed, failed};
    }
    last_seq_ = sequence;
    last_hash_ = std::move(hash);
    last_sequence_.store(sequence);
    if (newest_checkpoint.has_value() &&
        (signed_here || newest_checkpoint->sequence > last_checkpoint_.sequence)) {
      // Ours, or a newer one another writer made: copy it to the head file (AdvanceHeadFile
      // does nothing if that writer already has), in case that writer stopped before it could.
      last_checkpoint_ = std::move(*newest_checkpoint);
      head_dirty_ = true;
    }
  }

  // The entries are durable whatever happens to the head file, so entry callers get OK; a
  // head-file failure is reported to Checkpoint()/Shutdown() and retried with the next batch.
  Status head = Status::Ok();
  if (head_dirty_) {
    head = AdvanceHeadFile(options_.head_path, last_checkpoint_, public_key());
    if (head.ok()) head_dirty_ = false;
  }
  return {Status::Ok(), head};
}

}  // namespace cp::audit
