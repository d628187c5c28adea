#include "http/errors.h"

#include <boost/json/object.hpp>

namespace cp::http {

int HttpStatusFor(cp::StatusCode code) {
  switch (code) {
    case cp::StatusCode::kOk:
      return 200;
    case cp::StatusCode::kInvalidArgument:
      return 400;
    case cp::StatusCode::kNotFound:
      return 404;
    case cp::StatusCode::kAlreadyExists:
      return 409;
    case cp::StatusCode::kConflict:
      return 409;
    case cp::StatusCode::kUnauthenticated:
      return 401;
    case cp::StatusCode::kPermissionDenied:
      return 403;
    case cp::StatusCode::kFailedPrecondition:
      return 422;
    case cp::StatusCode::kResourceExhausted:
      return 429;
    case cp::StatusCode::kUnavailable:
      return 503;
    case cp::StatusCode::kInternal:
      return 500;
  }
  return 500;
}

Response ErrorResponse(const cp::Status& status, std::string_view slug) {
  const bool internal = status.ok() || status.code() == cp::StatusCode::kInternal;
  const int http_status = internal ? 500 : HttpStatusFor(status.code());
  boost::json::object body;
  if (slug.empty()) slug = internal ? "internal" : cp::StatusCodeName(status.code());
  body["error"] = slug;
  if (internal) {
    body["message"] = "Internal server error";
  } else {
    body["message"] = status.message();
    if (!status.field().empty()) body["field"] = status.field();
  }
  return Response::Json(body, http_status);
}

Response SimpleErrorResponse(int status, std::string_view slug, std::string_view message,
                             bool json) {
  if (!json) return Response::Text(std::string(message), status);
  boost::json::object body;
  body["error"] = slug;
  body["message"] = message;
  return Response::Json(body, status);
}

}  // namespace cp::http
