// The possible-duplicate JSON API: the queue, the side-by-side view, confirm (merge), reject
// (do-not-match) and undo (unmerge). See docs/api.md ("Possible duplicates") and
// docs/duplicates.md. Handlers call workflow::DuplicateService, which checks rights and scope
// (management of the records' authority) and audits; the records reach the handlers only as
// policy views. Every write goes through the Gate's Origin and CSRF checks.
#pragma once

#include "api/gate.h"
#include "http/router.h"
#include "workflow/duplicate_service.h"

namespace cp::api {

struct DuplicateApiDeps {
  Gate& gate;
  workflow::DuplicateService& duplicates;
};

Status RegisterDuplicateApi(http::Router& router, DuplicateApiDeps deps);

}  // namespace cp::api
