#include "workflow/audit_trail.h"

#include <utility>

namespace cp::workflow {

audit::AuditEvent ActionEvent(const Actor& actor, std::string_view action, std::string target,
                              std::string_view outcome, std::string_view reason,
                              std::string details_json) {
  audit::AuditEvent event;
  event.actor = actor.system ? "system" : actor.username;
  event.organisation = actor.organisation_code;
  event.action = std::string(action);
  event.target = std::move(target);
  event.outcome = std::string(outcome);
  event.reason = std::string(reason);
  event.request_id = actor.request_id;
  event.client_address = actor.client_address;
  event.details_json = std::move(details_json);
  return event;
}

Status RecordOrRefuse(audit::AuditSink& sink, const audit::AuditEvent& event) {
  if (!sink.Record(event).ok()) return Status::Unavailable("The audit trail cannot be written");
  return Status::Ok();
}

Status RecordAction(audit::AuditSink& sink, const Actor& actor, std::string_view action,
                    std::string target, std::string_view outcome, std::string_view reason,
                    std::string details_json) {
  return RecordOrRefuse(sink, ActionEvent(actor, action, std::move(target), outcome, reason,
                                          std::move(details_json)));
}

}  // namespace cp::workflow
