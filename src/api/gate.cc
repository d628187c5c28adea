#include "api/gate.h"

#include "auth/csrf.h"
#include "policy/rbac.h"

namespace cp::api {

Gate::Gate(identity::SessionService& sessions, audit::AuditSink& audit)
    : sessions_(sessions), audit_(audit) {}

identity::ClientInfo Gate::ClientFor(const http::Request& request) {
  return identity::ClientInfo{request.client_ip(), request.request_id()};
}

workflow::Actor Gate::ActorFor(const identity::Principal& principal, const http::Request& request) {
  workflow::Actor actor;
  actor.username = principal.user.username;
  actor.organisation_code = principal.organisation.code;
  actor.authority = principal.organisation.local_authority_code;
  actor.roles = principal.user.roles;
  actor.request_id = request.request_id();
  actor.client_address = request.client_ip();
  return actor;
}

std::string Gate::ExpectedOrigin(const http::Request& request) {
  std::string host(request.Header("Host").value_or(""));
  return (request.secure() ? "https://" : "http://") + host;
}

Result<identity::Principal> Gate::Authenticate(const http::Request& request,
                                               bool allow_enrolment_stage) {
  auto token = request.HostCookie(kSessionCookie);
  return sessions_.Authenticate(token ? std::string(*token) : std::string(), request.client_ip(),
                                allow_enrolment_stage);
}

bool Gate::OriginAllowed(const http::Request& request) {
  auto origin = request.Header("Origin");
  auto fetch_site = request.Header("Sec-Fetch-Site");
  auto referer = request.Header("Referer");
  // A real Origin decides.
  if (origin && *origin != "null") {
    return auth::OriginAllowed(*origin, ExpectedOrigin(request));
  }
  // Under "Referrer-Policy: no-referrer" (which every response carries) browsers send
  // "Origin: null" and no Referer even on same-origin form posts, so Fetch Metadata decides:
  // every current browser marks a request from our own pages "same-origin".
  if (fetch_site) return *fetch_site == "same-origin";
  if (origin) return false;  // "null" with no Fetch Metadata: an opaque, untrusted origin.
  if (referer) return auth::OriginAllowed(*referer, ExpectedOrigin(request));
  // Neither header: not a browser's cross-site request (browsers send Origin on every
  // cross-origin write); an API client. The CSRF token must still match.
  return true;
}

Status Gate::CheckStateChange(const http::Request& request, const identity::Principal& principal,
                              std::optional<std::string_view> form_token) {
  const std::string& method = request.method();
  if (method == "GET" || method == "HEAD") return Status::Ok();
  if (!OriginAllowed(request)) {
    return Deny(request, &principal, "origin",
                Status::PermissionDenied("The request did not come from ContactPoint's own pages"));
  }
  std::optional<std::string_view> presented = request.Header("X-CSRF-Token");
  if (!presented) presented = form_token;
  if (!presented || !auth::CheckCsrf(principal.session.csrf_token, *presented)) {
    return Deny(request, &principal, "csrf",
                Status::PermissionDenied("The form has expired. Go back and try again."));
  }
  return Status::Ok();
}

Status Gate::Deny(const http::Request& request, const identity::Principal* principal,
                  std::string_view reason, Status status) {
  audit::AuditEvent event;
  if (principal != nullptr) {
    event.actor = principal->user.username;
    event.organisation = principal->organisation.code;
  }
  event.action = "access.denied";
  event.target =
      request.route_pattern().empty() ? "route:unknown" : "route:" + request.route_pattern();
  event.outcome = "denied";
  event.reason = std::string(reason);
  event.request_id = request.request_id();
  event.client_address = request.client_ip();
  if (!audit_.Record(event).ok()) return Status::Unavailable("The audit trail cannot be written");
  return status;
}

Status Gate::Require(const identity::Principal& principal, policy::Permission permission,
                     const http::Request& request) {
  if (policy::IsGranted(principal.user.roles, permission)) return Status::Ok();
  return Deny(request, &principal, "rbac:" + std::string(policy::PermissionName(permission)),
              Status::PermissionDenied("You do not have access to this"));
}

}  // namespace cp::api
