// The retention JSON API (docs/retention.md, docs/api.md "Retention and identity changes"):
// death notices, archived records, record lifecycle, identity changes and their restricted
// links. Handlers call workflow::RetentionService, which checks rights and scope and audits;
// they see only views and lifecycle summaries, never a raw record.
#pragma once

#include "api/gate.h"
#include "http/router.h"
#include "workflow/retention_service.h"

namespace cp::api {

struct RetentionApiDeps {
  Gate& gate;
  workflow::RetentionService& retention;
};

Status RegisterRetentionApi(http::Router& router, RetentionApiDeps deps);

}  // namespace cp::api
