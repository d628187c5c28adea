// AuditSink: where every layer reports the actions it must audit.
//
// The product rule is "fail closed": an action whose audit entry cannot be made durable must
// not happen. Callers therefore record BEFORE they commit (or before a response leaves), and
// refuse the action (HTTP 503) when Record does not return OK.
#pragma once

#include "audit/audit_event.h"
#include "core/status.h"

namespace cp::audit {

class AuditSink {
 public:
  virtual ~AuditSink();

  // Appends `event` to the audit trail.
  // Returns OK only once the entry is durable (survives a crash or power loss).
  // Returns Unavailable if it could not be made durable (the entry is then not in the trail)
  // or the sink is shut down; the caller must then refuse the action.
  // Returns InvalidArgument only for a malformed event (a field over kMaxAuditFieldSize).
  // Thread-safe; may block while the entry is written.
  virtual Status Record(const AuditEvent& event) = 0;
};

}  // namespace cp::audit
