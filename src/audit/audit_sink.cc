#include "audit/audit_sink.h"

namespace cp::audit {

AuditSink::~AuditSink() = default;

}  // namespace cp::audit
