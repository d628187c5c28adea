// Router: a Handler that dispatches on method + path pattern.
//
// Patterns are absolute paths whose segments are literals or parameters:
//   "/api/v1/children/{uin}/shields/{id}"   `{name}` binds exactly one non-empty segment.
//   "/static/{path...}"                     a final `{name...}` binds one or more segments,
//                                           joined with '/'.
// Matching is on the normalised path (see Request). When several patterns match, the most
// specific wins: compared segment by segment, a literal beats `{name}`, which beats
// `{name...}`. A GET route also answers HEAD (the Server drops the body).
//
// Unknown path: 404. Known path but no route for the method: 405 with an Allow header.
// Both are JSON ({"error": "not_found" | "method_not_allowed", ...}) for paths under /api/,
// plain text otherwise.
//
// The matched pattern and parameters are recorded on the Request (Request::route_pattern,
// Request::PathParam) before the route's handler runs; the Server logs the pattern, never
// the raw path.
//
// Thread safety: Add() must complete before the router serves (it is not synchronised);
// Handle() is then safe to call concurrently.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/handler.h"

namespace cp::http {

class Router final : public Handler {
 public:
  using HandlerFn = std::function<Response(const Request&)>;

  // Registers `fn` for `method` (e.g. "GET", "POST") on `pattern`. Returns InvalidArgument for
  // a malformed pattern (not starting with '/', empty or duplicate parameter names, a
  // `{name...}` that is not last, an empty method) and AlreadyExists if an equivalent pattern
  // (same shape, regardless of parameter names) is already registered for the method.
  cp::Status Add(std::string_view method, std::string_view pattern, HandlerFn fn);
  // As above; the router shares ownership of `handler`.
  cp::Status Add(std::string_view method, std::string_view pattern,
                 std::shared_ptr<Handler> handler);

  // Convenience forms of Add.
  cp::Status Get(std::string_view pattern, HandlerFn fn) {
    return Add("GET", pattern, std::move(fn));
  }
  cp::Status Post(std::string_view pattern, HandlerFn fn) {
    return Add("POST", pattern, std::move(fn));
  }
  cp::Status Put(std::string_view pattern, HandlerFn fn) {
    return Add("PUT", pattern, std::move(fn));
  }
  cp::Status Delete(std::string_view pattern, HandlerFn fn) {
    return Add("DELETE", pattern, std::move(fn));
  }

  Response Handle(const Request& request) override;

 private:
  struct Segment {
    enum Kind { kLiteral = 0, kParam = 1, kTail = 2 } kind;
    std::string text;  // Literal text or parameter name.
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    HandlerFn fn;
  };

  std::vector<Route> routes_;
};

}  // namespace cp::http
