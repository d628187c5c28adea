// Backend-neutral storage of shielding: requests, the shielding log, reviews, notifications,
// appeals and supporting documents. Thread-safe. Unavailable means the store could not be
// reached or written: callers fail closed.
//
// Atomicity: every change that the shielding workflow makes to requests, the log, reviews,
// notifications and the child's `shielded` flag is one ShieldChange, applied by Commit() in
// a single transaction together with the child store's change feed. A crash therefore never
// leaves an accepted request with its record unshielded, or a log entry without its action.
//
// Confidentiality at rest: request forms, supporting documents and appeal details are sealed
// with the field key (they may hold a child's address).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/shielding.h"

namespace cp::store {

// Everything one shielding action changes.
struct ShieldChange {
  // New requests. `origin_index` >= 0 makes the new request's origin_request_id the id of
  // new_requests[origin_index] (which must come earlier).
  struct NewRequest {
    domain::ShieldRequest request;
    int origin_index = -1;
  };
  // Replaces a stored request's mutable state if its status is still `expected_status`
  // (Conflict otherwise: someone else decided first).
  struct RequestUpdate {
    domain::ShieldRequest request;  // id, status, decided_at, decided_by, decision_note,
                                    // form_received, form (when form_changed).
    domain::RequestStatus expected_status = domain::RequestStatus::kPending;
  };
  // Sets the child's `shielded` flag (bumping its version and appending to the change feed).
  // With `require_no_active_requests`, refuses with FailedPrecondition("active_shield_requests")
  // when the child still has an active request (checked inside the transaction).
  struct FlagChange {
    int64_t child_id = 0;
    bool shielded = true;
    bool require_no_active_requests = false;
  };
  // Ensures the child has an open review due no later than `due`: an open review's due date is
  // brought forward to `due` if later; otherwise a new one is opened.
  struct ScheduleReview {
    int64_t child_id = 0;
    std::string child_uin;
    std::string authority;
    Date due;
  };
  // A log entry; `request_index` >= 0 links it to new_requests[request_index].
  struct NewLogEntry {
    domain::LogEntry entry;
    int request_index = -1;
  };
  // A notification; `request_index` >= 0 links it to new_requests[request_index].
  struct NewNotification {
    domain::Notification notification;
    int request_index = -1;
  };

  std::vector<NewRequest> new_requests;
  std::vector<RequestUpdate> request_updates;
  std::vector<FlagChange> flags;
  std::vector<ScheduleReview> reviews;
  std::vector<domain::Review> completed_reviews;  // Completes the open review with id (or
                                                  // inserts a completed one when id is 0).
  std::vector<int64_t> close_open_reviews_of;     // Child ids whose open reviews are closed.
  std::vector<NewLogEntry> log;
  std::vector<NewNotification> notifications;
};

struct CommitResult {
  std::vector<int64_t> request_ids;  // Ids of new_requests, in order.
  std::vector<int64_t> log_ids;
};

class ShieldStore {
 public:
  virtual ~ShieldStore() = default;

  virtual Result<CommitResult> Commit(const ShieldChange& change) = 0;

  virtual Result<domain::ShieldRequest> GetRequest(int64_t id) = 0;
  virtual Result<std::vector<domain::ShieldRequest>> RequestsForChild(int64_t child_id) = 0;
  virtual Result<std::vector<domain::ShieldRequest>> RequestsBy(const std::string& username) = 0;
  // Pending requests routed to `routed_to` ("organisation:<code>" or "management:<authority>").
  virtual Result<std::vector<domain::ShieldRequest>> PendingRoutedTo(
      const std::string& routed_to) = 0;
  // Every request whose record's authority is `authority` (newest first).
  virtual Result<std::vector<domain::ShieldRequest>> RequestsForAuthority(
      const std::string& authority) = 0;
  // Active telephone requests whose form has not arrived and was due before `today`.
  virtual Result<std::vector<domain::ShieldRequest>> LateTelephoneRequests(Date today) = 0;

  // The log of one authority, oldest first.
  virtual Result<std::vector<domain::LogEntry>> Log(const std::string& authority) = 0;
  virtual Result<domain::LogEntry> GetLogEntry(int64_t id) = 0;
  virtual Status SetConfirmationSent(int64_t log_id, Date date) = 0;

  // Reviews of one authority: open ones (ordered by due date), or all.
  virtual Result<std::vector<domain::Review>> Reviews(const std::string& authority,
                                                      bool open_only) = 0;
  virtual Result<std::optional<domain::Review>> OpenReview(int64_t child_id) = 0;

  // Notifications for any of `recipients`, newest first.
  virtual Result<std::vector<domain::Notification>> Notifications(
      const std::vector<std::string>& recipients) = 0;

  virtual Result<int64_t> AddAppeal(const domain::Appeal& appeal) = 0;
  // Sets the outcome of an open appeal; FailedPrecondition if it already has one.
  virtual Status DecideAppeal(const domain::Appeal& appeal) = 0;
  virtual Result<domain::Appeal> GetAppeal(int64_t id) = 0;
  virtual Result<std::vector<domain::Appeal>> Appeals(const std::string& authority) = 0;

  // Stores a supporting document of `request_id` (sealed, bound to the request and document).
  virtual Result<int64_t> AddDocument(const domain::DocumentInfo& info, std::string_view bytes) = 0;
  virtual Result<std::vector<domain::DocumentInfo>> Documents(int64_t request_id) = 0;
  // The document's bytes; NotFound unless it belongs to `request_id`.
  virtual Result<std::string> ReadDocument(int64_t request_id, int64_t document_id,
                                           domain::DocumentInfo* info) = 0;
};

}  // namespace cp::store
