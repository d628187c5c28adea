#include "audit/testing/fake_audit_sink.h"

namespace cp::audit::testing {

Status FakeAuditSink::Record(const AuditEvent& event) {
  std::lock_guard lock(mu_);
  if (failing_ || fail_next_ > 0) {
    if (fail_next_ > 0) --fail_next_;
    ++refused_;
    return Status::Unavailable("the audit trail cannot be written (fake)");
  }
  events_.push_back(event);
  return Status::Ok();
}

void FakeAuditSink::SetFailing(bool failing) {
  std::lock_guard lock(mu_);
  failing_ = failing;
}

void FakeAuditSink::FailNext(int n) {
  std::lock_guard lock(mu_);
  fail_next_ = n;
}

std::vector<AuditEvent> FakeAuditSink::events() const {
  std::lock_guard lock(mu_);
  return events_;
}

std::vector<AuditEvent> FakeAuditSink::EventsWithAction(std::string_view action) const {
  std::lock_guard lock(mu_);
  std::vector<AuditEvent> out;
  for (const AuditEvent& e : events_) {
    if (e.action == action) out.push_back(e);
  }
  return out;
}

AuditEvent FakeAuditSink::last() const {
  std::lock_guard lock(mu_);
  return events_.empty() ? AuditEvent{} : events_.back();
}

size_t FakeAuditSink::size() const {
  std::lock_guard lock(mu_);
  return events_.size();
}

int FakeAuditSink::refused() const {
  std::lock_guard lock(mu_);
  return refused_;
}

void FakeAuditSink::Clear() {
  std::lock_guard lock(mu_);
  events_.clear();
  refused_ = 0;
}

}  // namespace cp::audit::testing
