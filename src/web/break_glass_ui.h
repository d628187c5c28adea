// The browser UI of Break Glass, brokering, investigations and notifications, and the builder
// of the management desk (docs/break-glass.md). Pages: break_glass_pages.h, desk_pages.h.
//
// Routes (see break_glass_pages.h for the form fields):
//   GET|POST /children/{uin}/break-glass        kUseBreakGlass and a live right (else 403)
//   POST     /children/{uin}/break-glass/leave  signed in
//   GET|POST /children/{uin}/brokering          kRequestBrokering
//   GET      /brokering, /brokering/{id}        signed in (the service decides who sees what)
//   POST     /brokering/{id}/decision|acknowledge
//   GET      /management/brokering/{id}         POST .../contact|decision   (kManageShielding)
//   GET      /management/investigations[/{id}]  POST .../{id}/status|notes  (kManageShielding)
//   GET      /notifications                     signed in
//
// Contract:
//  - Every handler goes through PageKit (page_kit.h): session, Origin and CSRF on POST, the
//    permission (audited), and leaving any live Break Glass record first.
//  - Break Glass: the warning screen says plainly that an investigation starts now; the POST
//    calls BreakGlassService::Use with the step-up (SignInService::StepUp on the typed code),
//    then opens the record through DirectoryService (the view policy's grant rule) and shows
//    it marked as a Break Glass view with a "Leave record" form. A record that is not shielded
//    gets the 400 "not shielded" page. The grant ends on the next page request of the user
//    (PageKit), "Leave record", or after 15 minutes.
//  - Brokering: the requester's pages are built from BrokeringService's requester view only.
//    Management's page adds the full record through DirectoryService::Open (reason
//    "contact_practitioner", audited like any view).
//  - Status values map to pages as in web_ui.h (403, 404, 503, 500); validation errors
//    re-render the form with status 400; a wrong state is 409 with the page re-rendered.
// Thread-safe when the dependencies are.
#pragma once

#include <string>

#include "api/gate.h"
#include "core/clock.h"
#include "core/status.h"
#include "http/router.h"
#include "identity/sign_in_service.h"
#include "store/organisation_store.h"
#include "web/desk_pages.h"
#include "workflow/break_glass_service.h"
#include "workflow/brokering_service.h"
#include "workflow/directory_service.h"
#include "workflow/shielding_service.h"

namespace cp::web {

struct BreakGlassUiDeps {
  api::Gate& gate;
  identity::SignInService& sign_in;
  workflow::DirectoryService& directory;
  workflow::BreakGlassService& break_glass;
  workflow::BrokeringService& brokering;
  workflow::ShieldingService& shielding;  // Notifications.
  store::OrganisationStore& orgs;         // Organisation names on record pages.
  const Clock& clock;
  int idle_seconds;
  int warn_seconds;
};

// Registers the routes above. The dependencies must outlive the router.
Status RegisterBreakGlassUi(http::Router& router, BreakGlassUiDeps deps);

// What the management desk reads. `break_glass` and `brokering` may be null (their sections
// are then empty).
struct DeskSources {
  workflow::ShieldingService& shielding;
  workflow::BreakGlassService* break_glass = nullptr;
  workflow::BrokeringService* brokering = nullptr;
  const Clock& clock;
};

// The desk of `actor`'s authority, with the `section` and `status` filters applied (unknown
// values are ignored). `csrf_token` goes into the approve and reject forms. Fails with the
// first failing source's status (PermissionDenied for anyone but management).
Result<DeskView> BuildDesk(DeskSources sources, const workflow::Actor& actor,
                           std::string_view section, std::string_view status,
                           std::string_view csrf_token);

}  // namespace cp::web
