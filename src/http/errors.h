// The single place that maps cp::Status to HTTP.
//
//   InvalidArgument -> 400     FailedPrecondition -> 422   NotFound -> 404
//   AlreadyExists, Conflict -> 409   Unauthenticated -> 401   PermissionDenied -> 403
//   ResourceExhausted -> 429   Unavailable -> 503   Internal -> 500   Ok -> 200
#pragma once

#include <string_view>

#include "core/status.h"
#include "http/response.h"

namespace cp::http {

int HttpStatusFor(cp::StatusCode code);

// A JSON error response for a non-OK `status`:
//   {"error": "<slug>", "message": "<status.message()>", "field": "<status.field()>"}
// "field" is present only when the status names one. `slug` defaults to
// StatusCodeName(status.code()) (e.g. "invalid_argument"); pass a more specific one (e.g.
// "session_expired") when the client needs to tell cases apart. For Internal (and for an OK
// status, which is a caller bug) the message is replaced by a generic one and the field is
// dropped, so no internal detail leaks. Unauthenticated responses carry no other header; the
// caller adds WWW-Authenticate if it wants one.
Response ErrorResponse(const cp::Status& status, std::string_view slug = {});

// An error produced by the http layer itself (404, 405, 400, 413, ...): JSON
// {"error": slug, "message": message} when `json`, otherwise plain text `message`.
Response SimpleErrorResponse(int status, std::string_view slug, std::string_view message,
                             bool json);

}  // namespace cp::http
