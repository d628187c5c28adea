// PageKit: the signed-in plumbing shared by the Break Glass, brokering, investigation,
// notification and management-desk handlers (break_glass_ui.h). It does for those handlers
// what WebUi's own Guarded does for web_ui.cc's: authenticate from the session cookie, check
// Origin and CSRF on a POST, require a permission (audited), fill the PageContext, show a
// one-time flash message, and map a failed Status to its error page.
//
// Leaving a Break Glass record: every page request that passes the guard first ends the
// user's live Break Glass grants ("left_record"), because a grant covers one look at one
// record and any other page means the user has left it. If that cannot be done (store or
// audit down) the request fails closed with the 503 page. The grant is made by the handler
// itself after the guard, so the Break Glass POST still shows its record.
// Thread-safe when the dependencies are.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/gate.h"
#include "core/result.h"
#include "core/status.h"
#include "http/request.h"
#include "http/response.h"
#include "identity/session_service.h"
#include "policy/permission.h"
#include "web/components.h"
#include "web/form.h"
#include "web/html.h"
#include "web/layout.h"
#include "workflow/grant_lookup.h"

namespace cp::web {

class PageKit {
 public:
  // `grants` may be null (no Break Glass in this process). Not owned.
  PageKit(api::Gate& gate, int idle_seconds, int warn_seconds, workflow::GrantLookup* grants)
      : gate_(gate), idle_seconds_(idle_seconds), warn_seconds_(warn_seconds), grants_(grants) {}

  // Signature of the handler body: (principal, page context, form) -> response. `form` is
  // empty for GET.
  template <typename Fn>
  http::Response Guarded(const http::Request& request, policy::Permission permission, Fn&& fn) {
    auto principal = gate_.Authenticate(request);
    if (!principal.ok()) return Unauthenticated(principal.status());
    PageContext ctx = ContextFor(*principal, request);
    FormData form;
    Status st = Admit(request, *principal, permission, form);
    if (!st.ok()) return Failure(ctx, st);
    const bool flash_shown = TakeFlash(request, ctx);
    http::Response response = fn(*principal, ctx, form);
    if (flash_shown && response.status() == 200) ClearFlash(response);
    return response;
  }

  PageContext ContextFor(const identity::Principal& p, const http::Request& request) const;

  static http::Response Page(const Html& html, int status = 200);
  // The error page for `status` (403, 404, 503, ...; Unauthenticated redirects to sign-in).
  static http::Response Failure(const PageContext& ctx, const Status& status);
  // 303 to `location` with a one-time message code from Messages().
  static http::Response RedirectWithFlash(std::string location, std::string_view flash_code);
  // The one-time messages these pages can carry, by code.
  static const std::map<std::string, std::string, std::less<>>& Messages();
  // The positive whole number in path parameter `name`, or NotFound.
  static Result<int64_t> PathId(const http::Request& request, std::string_view name = "id");
  // `text` as a positive whole number, or nullopt.
  static std::optional<int64_t> PathIdOf(std::string_view text);
  static std::string Trim(std::string_view text);

 private:
  http::Response Unauthenticated(const Status& status) const;
  // The form (POST), Origin/CSRF, the permission, and leaving any Break Glass record.
  Status Admit(const http::Request& request, const identity::Principal& principal,
               policy::Permission permission, FormData& form);
  static bool TakeFlash(const http::Request& request, PageContext& ctx);
  static void ClearFlash(http::Response& response);

  api::Gate& gate_;
  int idle_seconds_;
  int warn_seconds_;
  workflow::GrantLookup* grants_;
};

}  // namespace cp::web
