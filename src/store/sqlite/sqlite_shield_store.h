// ShieldStore on the main SQLite database (migration 3: shield_request, shield_log,
// shield_review, notification, shield_appeal, shield_document). Thread-safe.
//
// Commit() runs in one transaction on the same connection as SqliteChildStore: a FlagChange
// updates `child.shielded`, bumps the record's version (so a concurrent ChildStore::Update
// made from a stale copy fails with Conflict rather than clearing the flag) and appends to
// `child_change`, exactly as ChildStore::Update does, so the search index sees it.
//
// At rest: person details are sealed with the field key, each bound to "<table>:<id>" so a
// sealed value cannot be moved to another row: a request's requester, comments, decision note
// and Appendix 4 form; a log entry's requester contact, relationship and comments; a
// review's consulted list and notes; an appeal's appellant, grounds and notes; a document's
// bytes. Codes, states, dates and UINs are in clear (the store filters on them).
#pragma once

#include <functional>
#include <memory>

#include "core/clock.h"
#include "crypto/secret_box.h"
#include "store/shield_store.h"
#include "store/sqlite/child_purge.h"
#include "store/sqlite/connection.h"

namespace cp::store::sqlite {

class SqliteShieldStore final : public ShieldStore, public ChildPurgeParticipant {
 public:
  // `field_box` and `clock` must outlive the store.
  SqliteShieldStore(std::shared_ptr<SharedConnection> conn, const crypto::SecretBox& field_box,
                    const Clock& clock);

  Result<CommitResult> Commit(const ShieldChange& change) override;
  // Commit's writes on `db`, which the caller holds inside an open transaction on this store's
  // connection (a merge commits shield changes together with its own rows).
  Result<CommitResult> CommitWithin(Database& db, const ShieldChange& change) const;
  Result<domain::ShieldRequest> GetRequest(int64_t id) override;
  Result<std::vector<domain::ShieldRequest>> RequestsForChild(int64_t child_id) override;
  Result<std::vector<domain::ShieldRequest>> RequestsBy(const std::string& username) override;
  Result<std::vector<domain::ShieldRequest>> PendingRoutedTo(const std::string& routed_to) override;
  Result<std::vector<domain::ShieldRequest>> RequestsForAuthority(
      const std::string& authority) override;
  Result<std::vector<domain::ShieldRequest>> LateTelephoneRequests(Date today) override;
  Result<std::vector<domain::LogEntry>> Log(const std::string& authority) override;
  Result<domain::LogEntry> GetLogEntry(int64_t id) override;
  Status SetConfirmationSent(int64_t log_id, Date date) override;
  Result<std::vector<domain::Review>> Reviews(const std::string& authority,
                                              bool open_only) override;
  Result<std::optional<domain::Review>> OpenReview(int64_t child_id) override;
  Result<std::vector<domain::Notification>> Notifications(
      const std::vector<std::string>& recipients) override;
  Result<int64_t> AddAppeal(const domain::Appeal& appeal) override;
  Status DecideAppeal(const domain::Appeal& appeal) override;
  Result<domain::Appeal> GetAppeal(int64_t id) override;
  Result<std::vector<domain::Appeal>> Appeals(const std::string& authority) override;
  Result<int64_t> AddDocument(const domain::DocumentInfo& info, std::string_view bytes) override;
  Result<std::vector<domain::DocumentInfo>> Documents(int64_t request_id) override;
  Result<std::string> ReadDocument(int64_t request_id, int64_t document_id,
                                   domain::DocumentInfo* info) override;

  // The purge (docs/retention.md): for the target's requests, their requester, comments,
  // decision note and Appendix 4 form are re-sealed empty and their documents deleted; the
  // target's log entries lose the requester contact, relationship and comments, its reviews
  // their notes and consulted list, its appeals their appellant, grounds and notes. Ids,
  // UINs, codes, states, dates and staff usernames stay.
  Status PurgeChildWithin(Database& db, const PurgeTarget& target) const override;

 private:
  // Runs a SELECT of the request columns with `bind` binding its parameters.
  Result<std::vector<domain::ShieldRequest>> QueryRequests(
      std::string_view sql, const std::function<void(Statement&)>& bind);

  std::shared_ptr<SharedConnection> conn_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
};

}  // namespace cp::store::sqlite
