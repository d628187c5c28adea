#include "http/response.h"

#include <boost/json/serialize.hpp>

#include "core/result.h"

namespace cp::http {
namespace {

bool IsTokenChar(char c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= '0' && c <= '9') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 6265 cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E.
bool IsCookieOctet(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x2B) || (u >= 0x2D && u <= 0x3A) ||
         (u >= 0x3C && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
}

}  // namespace

Response Response::Json(const boost::json::value& value, int status) {
  Response r(status);
  r.set_content_type("application/json");
  r.body_ = boost::json::serialize(value);
  return r;
}

Response Response::Html(std::string body, int status) {
  Response r(status);
  r.set_content_type("text/html; charset=utf-8");
  r.body_ = std::move(body);
  return r;
}

Response Response::Text(std::string body, int status) {
  Response r(status);
  r.set_content_type("text/plain; charset=utf-8");
  r.body_ = std::move(body);
  return r;
}

Response Response::Redirect(std::string location) {
  Response r(303);
  r.headers_.Set("Location", std::move(location));
  return r;
}

cp::Result<std::string> BuildHostCookie(std::string_view name, std::string_view value,
                                        std::optional<std::chrono::seconds> max_age) {
  if (name.empty()) return cp::Status::InvalidArgument("empty cookie name", "cookie");
  for (char c : name) {
    if (!IsTokenChar(c)) return cp::Status::InvalidArgument("invalid cookie name", "cookie");
  }
  for (char c : value) {
    if (!IsCookieOctet(c)) return cp::Status::InvalidArgument("invalid cookie value", "cookie");
  }
  std::string out(kHostCookiePrefix);
  out += name;
  out += '=';
  out += value;
  out += "; Path=/; Secure; HttpOnly; SameSite=Strict";
  if (max_age.has_value()) {
    const auto seconds = max_age->count() < 0 ? 0 : max_age->count();
    out += "; Max-Age=" + std::to_string(seconds);
  }
  return out;
}

cp::Status Response::SetHostCookie(std::string_view name, std::string_view value,
                                   std::optional<std::chrono::seconds> max_age) {
  CP_ASSIGN_OR_RETURN(std::string cookie, BuildHostCookie(name, value, max_age));
  headers_.Add("Set-Cookie", std::move(cookie));
  return cp::Status::Ok();
}

cp::Status Response::ClearHostCookie(std::string_view name) {
  return SetHostCookie(name, "", std::chrono::seconds(0));
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

}  // namespace cp::http
