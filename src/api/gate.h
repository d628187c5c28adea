// Gate: the one place every handler (JSON or HTML) goes through to learn who is asking and
// whether they may act.
//
// Contract:
//  - Authenticate reads the "__Host-cp_session" cookie and asks SessionService; it never
//    trusts anything else from the request for identity.
//  - CheckStateChange enforces, for every unsafe method, the Origin/Referer rule and the
//    session's CSRF token (from the X-CSRF-Token header, or a form field the caller passes).
//  - Require asks the RBAC engine; a denial is audited (fail closed) and returned as
//    PermissionDenied.
// Thread-safe. Dependencies are not owned.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_sink.h"
#include "http/errors.h"
#include "http/request.h"
#include "http/response.h"
#include "identity/session_service.h"
#include "policy/permission.h"
#include "workflow/actor.h"

namespace cp::api {

// The session cookie's name (sent as "__Host-cp_session").
inline constexpr std::string_view kSessionCookie = "cp_session";
// The browser sign-in flow's half-way cookie (password given, code not yet).
inline constexpr std::string_view kPendingCookie = "cp_pending";

class Gate {
 public:
  Gate(identity::SessionService& sessions, audit::AuditSink& audit);

  Result<identity::Principal> Authenticate(const http::Request& request,
                                           bool allow_enrolment_stage = false);
  // OK for safe methods (GET, HEAD). For others: PermissionDenied unless OriginAllowed and the
  // CSRF token matches the session's.
  Status CheckStateChange(const http::Request& request, const identity::Principal& principal,
                          std::optional<std::string_view> form_token = std::nullopt);
  // The same-origin rule for state-changing requests: a real Origin header must name this
  // server; otherwise "Sec-Fetch-Site" must be "same-origin" (browsers send "Origin: null"
  // under Referrer-Policy no-referrer); otherwise a Referer must name this server. Requests
  // with none of these (API clients; every browser sends Origin on cross-origin writes) pass
  // and rely on the CSRF token. Used alone before there is a session (signing in).
  static bool OriginAllowed(const http::Request& request);
  Status Require(const identity::Principal& principal, policy::Permission permission,
                 const http::Request& request);
  // Audits a refused request (any reason other than RBAC) and returns `status`; if the audit
  // cannot be written, returns Unavailable instead.
  Status Deny(const http::Request& request, const identity::Principal* principal,
              std::string_view reason, Status status);

  static workflow::Actor ActorFor(const identity::Principal& principal,
                                  const http::Request& request);
  static identity::ClientInfo ClientFor(const http::Request& request);
  // "http(s)://<Host header>": the origin the browser used to reach us.
  static std::string ExpectedOrigin(const http::Request& request);

  identity::SessionService& sessions() { return sessions_; }

 private:
  identity::SessionService& sessions_;
  audit::AuditSink& audit_;
};

// Authenticates `request`, checks Origin and the CSRF token when its method is unsafe, then
// returns `fn(principal)`; a refusal becomes the mapped error response and `fn` never runs.
template <typename Fn>
http::Response WithPrincipal(Gate& gate, const http::Request& request, Fn fn) {
  Result<identity::Principal> principal = gate.Authenticate(request);
  if (!principal.ok()) return http::ErrorResponse(principal.status());
  Status allowed = gate.CheckStateChange(request, *principal);
  if (!allowed.ok()) return http::ErrorResponse(allowed);
  return fn(*principal);
}

// WithPrincipal, handing `fn` the workflow actor for the principal.
template <typename Fn>
http::Response WithActor(Gate& gate, const http::Request& request, Fn fn) {
  return WithPrincipal(gate, request, [&](const identity::Principal& principal) {
    return fn(Gate::ActorFor(principal, request));
  });
}

}  // namespace cp::api
