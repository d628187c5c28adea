// The browser UI of identity changes (docs/retention.md, principle 13).
//
// Routes (Permission::kManageRetention; the service limits the change to the management of the
// record's authority and audits every action and refusal):
//   GET  /management/children/{uin}/identity-change   the form (only for the management of the
//        record's authority: 403 for another authority's, 404 for an unknown UIN; 422 with
//        the form's error when the record is no longer live)
//   POST /management/children/{uin}/identity-change   fields: reason (witness_protection |
//        adoption), given_names, family_name, address_line_1, address_line_2, town, postcode;
//        the confirmation (new UIN) or the form again with its errors (400; 422 when the
//        record is no longer live)
//
// Contract: every handler goes through PageKit (session, Origin and CSRF on POST, the
// permission, audited). The confirmation shows the new UIN and says where the link is kept;
// no page shows the former identity's names. Failures map to error pages as in web_ui.h.
// Thread-safe when the dependencies are.
#pragma once

#include "api/gate.h"
#include "core/status.h"
#include "http/router.h"
#include "workflow/grant_lookup.h"
#include "workflow/retention_service.h"

namespace cp::web {

struct RetentionUiDeps {
  api::Gate& gate;
  workflow::RetentionService& retention;
  int idle_seconds;
  int warn_seconds;
  workflow::GrantLookup* grants;  // May be null (no Break Glass in this process).
};

// Registers the routes above. The dependencies must outlive the router.
Status RegisterRetentionUi(http::Router& router, RetentionUiDeps deps);

}  // namespace cp::web
