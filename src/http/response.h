// Response: what a Handler returns. The Server adds the security headers (security_headers.h),
// the X-Request-Id header and framing (Content-Length, Connection) on the way out.
//
// A Response is a plain value; not thread-safe for concurrent mutation.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"
#include "http/header_map.h"

namespace cp::http {

// The prefix every session-type cookie carries: the browser then insists on Secure, Path=/
// and no Domain attribute.
inline constexpr std::string_view kHostCookiePrefix = "__Host-";

class Response {
 public:
  Response() = default;
  explicit Response(int status) : status_(status) {}

  // application/json; the body is boost::json::serialize(value).
  static Response Json(const boost::json::value& value, int status = 200);
  // text/html; charset=utf-8.
  static Response Html(std::string body, int status = 200);
  // text/plain; charset=utf-8.
  static Response Text(std::string body, int status = 200);
  // 303 See Other to `location` (a path or absolute URL chosen by the application, never
  // copied unchecked from the request).
  static Response Redirect(std::string location);
  // 204 No Content.
  static Response NoContent() { return Response(204); }

  int status() const { return status_; }
  void set_status(int status) { status_ = status; }

  HeaderMap& headers() { return headers_; }
  const HeaderMap& headers() const { return headers_; }

  const std::string& body() const { return body_; }
  std::string& mutable_body() { return body_; }
  void set_body(std::string body) { body_ = std::move(body); }

  // The Content-Type header, or empty.
  std::string_view content_type() const { return headers_.Get("Content-Type").value_or(""); }
  void set_content_type(std::string content_type) {
    headers_.Set("Content-Type", std::move(content_type));
  }

  // A cacheable response is a static asset: the Server then leaves its Cache-Control alone
  // (defaulting to "public, max-age=3600") instead of forcing "no-store".
  bool cacheable() const { return cacheable_; }
  void set_cacheable(bool cacheable) { cacheable_ = cacheable; }

  // A held response is sent only once `release` reports OK; if it reports an error, the
  // Server sends ErrorResponse(that status) instead and nothing of this response leaves. The
  // Server calls release(done) once, after the handler returned, without blocking a worker
  // thread meanwhile; `done` may be called from any thread (e.g. when an audit entry the
  // response depends on has become durable). Unheld responses are sent at once.
  // `on_failure`, when given, makes the replacement instead of ErrorResponse (a web page
  // handler renders its own error page); it runs on a worker thread and must not hold back
  // anything itself.
  using Release = std::function<void(std::function<void(cp::Status)> done)>;
  using FailureResponder = std::function<Response(const cp::Status&)>;
  void HoldUntil(Release release, FailureResponder on_failure = nullptr) {
    release_ = std::move(release);
    on_failure_ = std::move(on_failure);
  }
  bool held() const { return static_cast<bool>(release_); }
  Release TakeRelease() { return std::exchange(release_, nullptr); }
  FailureResponder TakeFailureResponder() { return std::exchange(on_failure_, nullptr); }

  // Adds a Set-Cookie for "__Host-<name>=<value>; Path=/; Secure; HttpOnly; SameSite=Strict",
  // with "; Max-Age=<n>" when `max_age` is given (otherwise a session cookie). Returns
  // InvalidArgument (and adds nothing) when `name` is not an RFC 6265 token or `value`
  // contains characters outside cookie-octet.
  cp::Status SetHostCookie(std::string_view name, std::string_view value,
                           std::optional<std::chrono::seconds> max_age = std::nullopt);
  // Adds a Set-Cookie that deletes "__Host-<name>" (empty value, Max-Age=0, same attributes).
  cp::Status ClearHostCookie(std::string_view name);

 private:
  int status_ = 200;
  HeaderMap headers_;
  std::string body_;
  bool cacheable_ = false;
  Release release_;
  FailureResponder on_failure_;
};

// The Set-Cookie value SetHostCookie would add, or InvalidArgument.
cp::Result<std::string> BuildHostCookie(std::string_view name, std::string_view value,
                                        std::optional<std::chrono::seconds> max_age);

// The standard reason phrase for `status` ("Not Found"), or "Unknown".
std::string_view ReasonPhrase(int status);

}  // namespace cp::http
