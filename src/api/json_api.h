// The JSON API under /api/v1 for sessions, the signed-in user, and administration.
// Documented in docs/api.md. Later issues add the directory, shielding and reports here.
//
// Every handler: authenticates through the Gate (except POST /api/v1/session), checks CSRF on
// unsafe methods, asks RBAC for one permission, and maps errors through http::ErrorResponse.
#pragma once

#include "api/gate.h"
#include "core/clock.h"
#include "http/router.h"
#include "identity/sign_in_service.h"
#include "store/organisation_store.h"
#include "workflow/account_admin.h"

namespace cp::api {

struct JsonApiDeps {
  Gate& gate;
  identity::SignInService& sign_in;
  workflow::AccountAdmin& accounts;
  store::OrganisationStore& orgs;
  const Clock& clock;
};

Status RegisterJsonApi(http::Router& router, JsonApiDeps deps);

}  // namespace cp::api
