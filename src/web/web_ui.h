// The browser UI's request handlers: sign-in (password, code, first-time token enrolment),
// sign-out and the idle-timeout sign-out, the home page, and the administrators' users and
// organisations pages. They fill the view models of the page renderers in this directory.
//
// Routes (see auth_pages.h and admin_pages.h for the form fields):
//   GET  /sign-in             POST /sign-in             (password step)
//   GET  /sign-in/code        POST /sign-in/code        (code step)
//   GET  /enrol               POST /enrol               (enrolment-stage session only)
//   GET  /                    home (signed in)
//   POST /sign-out            GET /sign-out?reason=timeout          GET
//   /signed-out[?reason=timeout] GET  /admin/users         GET /admin/users/new      POST
//   /admin/users GET  /admin/users/{username}                        POST /admin/users/{username}
//   POST /admin/users/{username}/unlock                 POST /admin/users/{username}/reset-token
//   GET  /admin/organisations GET /admin/organisations/new          POST /admin/organisations
//   GET  /admin/organisations/{code}                    POST /admin/organisations/{code}
//   GET  /search              POST /search              (search form; results on the POST)
//   GET  /children/{uin}      POST /children/{uin}      (reason form; the record on the POST)
//   GET  /children/{uin}/shield                         POST /children/{uin}/shield
//   GET  /management          POST /management/requests/{id}/approve|reject
//   GET  /management/children/{uin}/review              POST /management/children/{uin}/review
//   POST /management/children/{uin}/unshield            GET  /management/shielding-log
//
// Contract:
//  - Identity comes only from the session cookie, through api::Gate::Authenticate. A request
//    for a signed-in page without a valid session is redirected (303) to /sign-in.
//  - Every POST needs the Origin (or Referer) rule and a CSRF token. Before sign-in completes
//    the token is a double-submit one: a random value in the "__Host-cp_presession" cookie
//    that the form must repeat; afterwards it is the session's token (Gate::CheckStateChange).
//    Refusals are audited (access.denied) and change nothing.
//  - Administrators' pages need Permission::kManageUsers / kManageOrganisations (Gate::Require,
//    audited); others get the 403 page.
//  - The directory: /search needs Permission::kSearchChildren, /children/{uin} needs
//    kViewChildRecord. Search criteria travel only in the POST body and the results are the
//    POST's own response (never a redirect). A record is shown only on the POST that gives
//    an access reason, every time; the page renders exactly the policy view that
//    DirectoryService::Open returns. Insufficient or malformed criteria re-render the form
//    (400); too many matches (422) says the cap, never how many matched; a malformed UIN is a
//    400 page, an unknown one 404.
//  - Shielding (shielding_pages.h): the request form needs kApplyShield or kRequestShield;
//    /management/... needs kManageShielding (own authority, checked by the service). A
//    request meeting no criterion is rejected and logged (422 page); an unshield refused for
//    active requests re-renders the review page with their count and references (409).
//  - Status values map to pages: Unavailable (the audit trail or the store could not be
//    written; nothing changed) -> 503 page; PermissionDenied -> 403; NotFound -> 404; other
//    unexpected failures -> 500. Validation errors re-render the form with the GOV.UK error
//    summary and status 400. A successful POST redirects (303), carrying a one-time success
//    message in the short-lived "__Host-cp_flash" cookie (a fixed message code, never text
//    from the request). Exception: creating a user answers 200 with the user's page showing
//    the generated one-time password, which is never stored and so is shown exactly once.
// Thread-safe when the dependencies are (the RandomSource must be, e.g. SecureRandom).
#pragma once

#include <memory>
#include <string_view>

#include "api/gate.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "http/handler.h"
#include "http/router.h"
#include "identity/sign_in_service.h"
#include "store/organisation_store.h"
#include "workflow/account_admin.h"
#include "workflow/break_glass_service.h"
#include "workflow/brokering_service.h"
#include "workflow/directory_service.h"
#include "workflow/shielding_service.h"

namespace cp::web {

// The pre-session CSRF cookie's name (sent as "__Host-cp_presession").
inline constexpr std::string_view kPreSessionCookie = "cp_presession";
// The one-time success message cookie's name (sent as "__Host-cp_flash").
inline constexpr std::string_view kFlashCookie = "cp_flash";
// The message after too many sign-in attempts (the throttle's window is 15 minutes).
inline constexpr std::string_view kTooManyAttempts =
    "Too many attempts. Wait 15 minutes and try again.";

struct WebUiDeps {
  api::Gate& gate;
  identity::SignInService& sign_in;
  workflow::AccountAdmin& accounts;
  store::OrganisationStore& orgs;
  // Search and record views (see directory_pages.h for the pages and their contract).
  workflow::DirectoryService& directory;
  // Shield requests, the management desk and the shielding log (shielding_pages.h).
  workflow::ShieldingService& shielding;
  const Clock& clock;
  // For the pre-session CSRF tokens. Must be thread-safe and cryptographically secure in
  // production (SecureRandom).
  RandomSource& random;
  int idle_seconds;  // Session idle timeout shown to the page (meta tag), from SessionTimeouts.
  int warn_seconds;  // How long before expiry the idle warning appears.
  // Break Glass and brokering (break_glass_ui.h); both null: those pages are not registered
  // and the desk's sections for them are empty. When set, every signed-in page request ends
  // the user's live Break Glass grants first ("leaving the record").
  workflow::BreakGlassService* break_glass = nullptr;
  workflow::BrokeringService* brokering = nullptr;
};

// Registers every route listed above on `router`. The dependencies must outlive the router.
// Fails only if a route is already registered.
Status RegisterWebUi(http::Router& router, WebUiDeps deps);

// Wraps `inner` (normally the app's Router) so that the router's own plain-text 404 and 405
// responses for paths outside /api/ become the GOV.UK error page (405 keeps its Allow header
// and gets the 404 page's wording: there is no page to show). Responses that already are
// HTML or JSON, and everything under /api/, pass through unchanged.
std::shared_ptr<http::Handler> WithHtmlErrors(std::shared_ptr<http::Handler> inner);

}  // namespace cp::web
