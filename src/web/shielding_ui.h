// The shielding lifecycle's pages beyond the request form and the desk (web_ui.cc keeps
// those): the user's own shield requests and withdrawing one, the named person's approvals,
// management's telephone requests, a request's detail with its sealed Appendix 4 form and
// supporting documents, appeals and complaints, and "confirmation sent" on the shielding log.
// Routes and form fields: shielding_pages.h.
//
// Contract (as web_ui.h, through the same plumbing, which web_ui.cc hands over as hooks):
//  - Identity from the session cookie only; a POST needs the Origin rule and the session's
//    CSRF token (for the multipart upload, its csrf_token part); refusals are audited.
//  - Rights: /shield-requests and withdrawing need kRequestShield (the service further allows
//    only the requester or the record's management to withdraw); the named person's
//    approve/reject need kApplyShield (the service checks the request was routed to their
//    organisation); /management/... needs kManageShielding (own authority, checked by the
//    service, which also audits every read of a request's form and documents).
//  - A successful POST redirects (303) with a one-time message code; validation errors
//    re-render the form (400), a request in the wrong state 409, a telephone request meeting
//    no criterion the "rejected and logged" page (422). Status values map to the error pages
//    as in web_ui.h.
//  - Pages show the request form and documents to management only; nothing goes to the logs.
// Thread-safe when the dependencies are.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/shielding.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "identity/session_service.h"
#include "policy/permission.h"
#include "web/form.h"
#include "web/layout.h"
#include "web/shielding_pages.h"
#include "web/web_ui.h"

namespace cp::web {

// web_ui.cc's request plumbing, shared rather than copied.
struct ShieldingUiHooks {
  using Body =
      std::function<http::Response(const identity::Principal&, PageContext&, const FormData&)>;
  // Signed-in user with `permission`, the CSRF/Origin checks for a POST, the flash message.
  std::function<http::Response(const http::Request&, policy::Permission, const Body&)> guarded;
  std::function<PageContext(const identity::Principal&, const http::Request&)> context_for;
  // The error page for a failure Status (redirect to sign-in, 403, 404, 503, ...).
  std::function<http::Response(const PageContext&, const Status&)> failure_page;
  // 303 to `location` with a one-time message code (known to web_ui.cc's FlashMessages).
  std::function<http::Response(std::string location, std::string_view flash_code)>
      redirect_with_flash;
};

// The Appendix 4 fields of a posted form ("form_..." names; see shielding_pages.h), trimmed.
Appendix4View ReadAppendix4Form(const FormData& form);
// Adds an error for each Appendix 4 field that is filled in but malformed (date of birth,
// service email); every field is optional.
void CheckAppendix4Form(const Appendix4View& form, FieldErrors& errors);
// The form as the shielding service stores it (sealed); addresses one a line.
domain::ShieldForm ShieldFormOf(const Appendix4View& form);

// Registers the routes of shielding_pages.h's "rest of the lifecycle" section. The
// dependencies must outlive the router. Fails only if a route is already registered.
Status RegisterShieldingUi(http::Router& router, const WebUiDeps& deps, ShieldingUiHooks hooks);

}  // namespace cp::web
