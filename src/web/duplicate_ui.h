// The browser UI of the possible-duplicate queue (docs/duplicates.md). Pages:
// duplicate_pages.h.
//
// Routes (Permission::kManageShielding; the service limits each pair to the management of
// either record's authority and audits every view and decision):
//   GET  /management/duplicates?status=open|confirmed|rejected|all   the queue, with a count
//   GET  /management/duplicates/{id}          both records side by side (policy views)
//   POST /management/duplicates/{id}/confirm  merge; 303 back to the pair
//   POST /management/duplicates/{id}/reject   remember as do-not-match; 303 back to the pair
//   POST /management/duplicates/{id}/undo     undo the pair's live merge; 303 back to the pair
//
// Contract: every handler goes through PageKit (session, Origin and CSRF on POST, the
// permission, audited). A decision that is no longer possible (already decided or undone, a
// record merged away since) re-renders the pair with the reason and status 409 (422 for a
// record merged away); other failures map to error pages as in web_ui.h.
// Thread-safe when the dependencies are.
#pragma once

#include "api/gate.h"
#include "core/status.h"
#include "http/router.h"
#include "workflow/duplicate_service.h"
#include "workflow/grant_lookup.h"

namespace cp::web {

struct DuplicateUiDeps {
  api::Gate& gate;
  workflow::DuplicateService& duplicates;
  int idle_seconds;
  int warn_seconds;
  workflow::GrantLookup* grants;  // May be null (no Break Glass in this process).
};

// Registers the routes above. The dependencies must outlive the router.
Status RegisterDuplicateUi(http::Router& router, DuplicateUiDeps deps);

}  // namespace cp::web
