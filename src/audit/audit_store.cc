#include "audit/audit_store.h"

namespace cp::audit {

AuditStore::~AuditStore() = default;

}  // namespace cp::audit
