// BreakGlassStore on the main SQLite database (migration 4, plus the `notification` table of
// migration 3). Free text is sealed with the field key, each value bound to
// "<table>.<column>:<id>" so it cannot be moved to another row or column. Thread-safe.
#pragma once

#include <memory>

#include "crypto/secret_box.h"
#include "store/break_glass_store.h"
#include "store/sqlite/child_purge.h"
#include "store/sqlite/connection.h"

namespace cp::store::sqlite {

class SqliteBreakGlassStore final : public BreakGlassStore, public ChildPurgeParticipant {
 public:
  // `field_box` must outlive the store.
  SqliteBreakGlassStore(std::shared_ptr<SharedConnection> conn, const crypto::SecretBox& field_box);

  Result<int64_t> AddHolder(const domain::BreakGlassHolder& holder) override;
  Result<std::optional<domain::BreakGlassHolder>> CurrentHolder(
      const std::string& username) override;
  Result<std::vector<domain::BreakGlassHolder>> Holders(const std::string& authority) override;
  Status RecordApproval(const domain::BreakGlassHolder& holder) override;
  Status Revoke(int64_t id, TimePoint at, const std::string& by) override;

  Result<OpenedGrant> OpenGrant(const domain::BreakGlassGrant& grant,
                                const domain::Investigation& investigation,
                                const domain::Notification& notification) override;
  Result<domain::BreakGlassGrant> GetGrant(int64_t id) override;
  Result<std::vector<domain::BreakGlassGrant>> LiveGrants(const std::string& username,
                                                          TimePoint now) override;
  Result<bool> EndGrant(int64_t id, TimePoint at, const std::string& reason) override;

  Result<domain::Investigation> GetInvestigation(int64_t id) override;
  Result<std::vector<domain::Investigation>> Investigations(const std::string& authority) override;
  Status SetInvestigationStatus(int64_t id, domain::InvestigationStatus from,
                                domain::InvestigationStatus to, domain::Finding finding,
                                TimePoint at) override;
  Result<int64_t> AddInvestigationNote(int64_t investigation_id,
                                       const domain::InvestigationNote& note) override;

  Result<int64_t> CreateBrokering(const domain::BrokeringRequest& request,
                                  const domain::BrokeringStep& step,
                                  const domain::Notification& notification) override;
  Result<domain::BrokeringRequest> GetBrokering(int64_t id) override;
  Result<std::vector<domain::BrokeringRequest>> BrokeringBy(const std::string& requester) override;
  Result<std::vector<domain::BrokeringRequest>> BrokeringForAuthority(
      const std::string& authority) override;
  Result<std::vector<domain::BrokeringRequest>> BrokeringForPractitioner(
      const std::string& username) override;
  Status UpdateBrokering(const domain::BrokeringRequest& request, domain::BrokeringStatus expected,
                         const domain::BrokeringStep& step,
                         const std::optional<domain::Notification>& notification) override;
  Status AddBrokeringStep(int64_t request_id, const domain::BrokeringStep& step) override;

  // The purge (docs/retention.md): the target's Break Glass investigations lose their reason
  // text and notes, its brokering requests their reason, practitioner contacted, released
  // text and decline reasons, and their steps' notes (all re-sealed empty). Ids, UINs, codes,
  // statuses, findings, usernames and times stay.
  Status PurgeChildWithin(Database& db, const PurgeTarget& target) const override;

 private:
  std::shared_ptr<SharedConnection> conn_;
  const crypto::SecretBox& box_;
};

}  // namespace cp::store::sqlite
