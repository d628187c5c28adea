// Backend-neutral storage of Break Glass and brokering: authorisations (holders), grants,
// investigations with notes, brokering requests with their timelines, and the in-app
// notifications they raise (the shared `notification` table, which ShieldStore reads).
// Thread-safe. Unavailable means the store could not be reached or written: callers fail
// closed. Free text (reasons, notes, practitioner, released text) is sealed at rest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/break_glass.h"
#include "domain/shielding.h"

namespace cp::store {

struct OpenedGrant {
  int64_t grant_id = 0;
  int64_t investigation_id = 0;
};

class BreakGlassStore {
 public:
  virtual ~BreakGlassStore() = default;

  // --- Holders --------------------------------------------------------------------------
  // AlreadyExists (field "username") when the user has an authorisation not revoked.
  virtual Result<int64_t> AddHolder(const domain::BreakGlassHolder& holder) = 0;
  // The user's authorisation that is not revoked, if any.
  virtual Result<std::optional<domain::BreakGlassHolder>> CurrentHolder(
      const std::string& username) = 0;
  // Every authorisation (revoked ones too) nominated by `authority`'s management, by username.
  virtual Result<std::vector<domain::BreakGlassHolder>> Holders(const std::string& authority) = 0;
  // Records the approval (approved_by, approved_on, approval_reference, approval_recorded_by
  // of `holder`) on the unrevoked authorisation `holder.id`; NotFound otherwise.
  virtual Status RecordApproval(const domain::BreakGlassHolder& holder) = 0;
  // Revokes `id` if not already revoked (NotFound otherwise).
  virtual Status Revoke(int64_t id, TimePoint at, const std::string& by) = 0;

  // --- Grants and investigations --------------------------------------------------------
  // One transaction: ends the user's other live grants (end_reason "superseded"), inserts the
  // grant, its investigation (grant_id filled in) and the notification.
  virtual Result<OpenedGrant> OpenGrant(const domain::BreakGlassGrant& grant,
                                        const domain::Investigation& investigation,
                                        const domain::Notification& notification) = 0;
  virtual Result<domain::BreakGlassGrant> GetGrant(int64_t id) = 0;
  // The user's grants not ended and not expired at `now`, newest first.
  virtual Result<std::vector<domain::BreakGlassGrant>> LiveGrants(const std::string& username,
                                                                  TimePoint now) = 0;
  // Ends the grant if still open; returns whether it did.
  virtual Result<bool> EndGrant(int64_t id, TimePoint at, const std::string& reason) = 0;

  virtual Result<domain::Investigation> GetInvestigation(int64_t id) = 0;
  // Investigations of `authority`, newest first (without notes).
  virtual Result<std::vector<domain::Investigation>> Investigations(
      const std::string& authority) = 0;
  // Moves the investigation to `to` (with `finding`; concluded_at = `at` when concluding) if
  // its status is still `from`; Conflict otherwise.
  virtual Status SetInvestigationStatus(int64_t id, domain::InvestigationStatus from,
                                        domain::InvestigationStatus to, domain::Finding finding,
                                        TimePoint at) = 0;
  virtual Result<int64_t> AddInvestigationNote(int64_t investigation_id,
                                               const domain::InvestigationNote& note) = 0;

  // --- Brokering ------------------------------------------------------------------------
  // Inserts the request, its first step and the notification in one transaction.
  virtual Result<int64_t> CreateBrokering(const domain::BrokeringRequest& request,
                                          const domain::BrokeringStep& step,
                                          const domain::Notification& notification) = 0;
  virtual Result<domain::BrokeringRequest> GetBrokering(int64_t id) = 0;
  // Without steps, newest first.
  virtual Result<std::vector<domain::BrokeringRequest>> BrokeringBy(
      const std::string& requester) = 0;
  virtual Result<std::vector<domain::BrokeringRequest>> BrokeringForAuthority(
      const std::string& authority) = 0;
  // Requests whose contacted practitioner is the user `username` (they decide in the app),
  // without steps, newest first.
  virtual Result<std::vector<domain::BrokeringRequest>> BrokeringForPractitioner(
      const std::string& username) = 0;
  // Replaces the request's mutable state (status, involvement, practitioner, decision,
  // released, decline reasons, acknowledged_at) if its status is still `expected`, appends
  // `step`, and inserts `notification` when given; one transaction. Conflict otherwise.
  virtual Status UpdateBrokering(const domain::BrokeringRequest& request,
                                 domain::BrokeringStatus expected,
                                 const domain::BrokeringStep& step,
                                 const std::optional<domain::Notification>& notification) = 0;
  // Appends a step without changing the state (e.g. "management_viewed").
  virtual Status AddBrokeringStep(int64_t request_id, const domain::BrokeringStep& step) = 0;
};

}  // namespace cp::store
