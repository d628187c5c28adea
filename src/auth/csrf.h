// Cross-site request forgery defences for the browser UI.
//
// Two independent checks, both required on every state-changing request (POST, PUT, PATCH,
// DELETE):
//   1. The request carries an Origin header (or, failing that, a Referer header) naming the
//      server's own origin exactly: same scheme, host and port. See RequestOriginAllowed.
//   2. The request carries a CSRF token (form field or header) equal to CsrfTokenFor(the
//      session, the server key). The token is an HMAC, so it needs no storage and cannot be
//      computed without the server key, and it differs for every session.
// All functions are pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cp::auth {

// The CSRF token of a session: base64url (no padding) of
// HMAC-SHA256(server_key, "contactpoint-csrf-v1\0" + session_binding).
// `session_binding` is a per-session value the server can recompute but a third party cannot
// see, e.g. the stored hash of the session token. `server_key` is a secret of at least
// 32 bytes. The same inputs always give the same token.
std::string CsrfTokenFor(std::string_view session_binding, std::string_view server_key);

// True iff `presented` equals `expected` and neither is empty. Constant-time in the contents.
bool CheckCsrf(std::string_view expected, std::string_view presented);

// The origin of an http(s) URL, normalised: "scheme://host[:port]" with scheme and host in
// lower case and the default port (80 for http, 443 for https) omitted. Accepts a bare origin
// (an Origin header) or a full URL (a Referer header, whose path, query and fragment are
// ignored). nullopt for anything else: other schemes, "null", user info ("user@host"),
// empty or malformed hosts or ports, whitespace or control characters.
std::optional<std::string> NormalizeOrigin(std::string_view url);

// True iff `header` (an Origin or Referer value) names exactly `expected_origin` (the server's
// configured public origin, e.g. "https://contactpoint.example.gov.uk"). False when either
// does not parse, so a missing or "null" Origin is refused.
bool OriginAllowed(std::string_view header, std::string_view expected_origin);

// The rule for a state-changing request: if an Origin header is present it alone decides;
// otherwise the Referer header must match; a request with neither is refused.
bool RequestOriginAllowed(std::optional<std::string_view> origin_header,
                          std::optional<std::string_view> referer_header,
                          std::string_view expected_origin);

}  // namespace cp::auth
