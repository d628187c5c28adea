// Recording a workflow action in the audit trail, fail closed.
#pragma once

#include <string>
#include <string_view>

#include "audit/audit_event.h"
#include "audit/audit_sink.h"
#include "core/status.h"
#include "workflow/actor.h"

namespace cp::workflow {

// The audit entry for `actor` doing `action` on `target`. Operator commands and scheduled jobs
// (`actor.system`) are recorded as "system". `details_json` is "" or a JSON object without
// personal data (criteria are HMAC'd by the caller).
audit::AuditEvent ActionEvent(const Actor& actor, std::string_view action, std::string target,
                              std::string_view outcome, std::string_view reason = {},
                              std::string details_json = {});

// Writes `event` and reports whether the action may go ahead: OK once the sink has accepted it,
// Unavailable when it cannot be written (the caller then refuses the action and shows nothing).
Status RecordOrRefuse(audit::AuditSink& sink, const audit::AuditEvent& event);

// ActionEvent + RecordOrRefuse.
Status RecordAction(audit::AuditSink& sink, const Actor& actor, std::string_view action,
                    std::string target, std::string_view outcome, std::string_view reason = {},
                    std::string details_json = {});

}  // namespace cp::workflow
