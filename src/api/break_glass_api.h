// The Break Glass and brokering JSON API. See docs/api.md ("Break Glass", "Brokering") and
// docs/break-glass.md. Handlers call workflow::BreakGlassService and BrokeringService, which
// check rights and scope and audit; handlers never see a raw child record, and a requester's
// brokering response is built from the requester's view only.
#pragma once

#include "api/gate.h"
#include "http/router.h"
#include "identity/sign_in_service.h"
#include "workflow/break_glass_service.h"
#include "workflow/brokering_service.h"

namespace cp::api {

struct BreakGlassApiDeps {
  Gate& gate;
  identity::SignInService& sign_in;  // The step-up (a fresh TOTP code) before a grant.
  workflow::BreakGlassService& break_glass;
  workflow::BrokeringService& brokering;
};

Status RegisterBreakGlassApi(http::Router& router, BreakGlassApiDeps deps);

}  // namespace cp::api
