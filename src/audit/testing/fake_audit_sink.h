// Test doubles of AuditSink for other layers' tests.
//
//   FakeAuditSink: keeps recorded events in memory; can be told to fail (fail-closed tests).
//   MockAuditSink: a gmock mock (see mock_audit_sink.h).
#pragma once

#include <mutex>
#include <string_view>
#include <vector>

#include "audit/audit_sink.h"

namespace cp::audit::testing {

// Thread-safe.
class FakeAuditSink : public AuditSink {
 public:
  // Appends `event` and returns OK, or (while failing) returns Unavailable and keeps nothing.
  Status Record(const AuditEvent& event) override;

  // While `failing`, Record returns Unavailable (as a real sink does when the trail cannot be
  // written) and records nothing.
  void SetFailing(bool failing);
  // Fails the next `n` Record calls only, then succeeds again.
  void FailNext(int n);

  // Copies of the events recorded so far, oldest first.
  std::vector<AuditEvent> events() const;
  // Those whose action equals `action`.
  std::vector<AuditEvent> EventsWithAction(std::string_view action) const;
  // The most recent event, or a default-constructed one if none.
  AuditEvent last() const;
  size_t size() const;
  // Number of Record calls refused while failing.
  int refused() const;
  void Clear();

 private:
  mutable std::mutex mu_;
  std::vector<AuditEvent> events_;
  bool failing_ = false;
  int fail_next_ = 0;
  int refused_ = 0;
};

}  // namespace cp::audit::testing
