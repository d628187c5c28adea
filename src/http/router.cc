#include "http/router.h"

#include <algorithm>
#include <map>
#include <set>

#include "http/errors.h"

namespace cp::http {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

bool IsApiPath(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

}  // namespace

cp::Status Router::Add(std::string_view method, std::string_view pattern,
                       std::shared_ptr<Handler> handler) {
  if (handler == nullptr) return cp::Status::InvalidArgument("null handler", "handler");
  return Add(method, pattern,
             [h = std::move(handler)](const Request& request) { return h->Handle(request); });
}

cp::Status Router::Add(std::string_view method, std::string_view pattern, HandlerFn fn) {
  if (method.empty()) return cp::Status::InvalidArgument("empty method", "method");
  if (!fn) return cp::Status::InvalidArgument("null handler", "handler");
  if (pattern.empty() || pattern.front() != '/') {
    return cp::Status::InvalidArgument("pattern must start with '/'", "pattern");
  }
  Route route;
  route.method = std::string(method);
  route.pattern = std::string(pattern);
  route.fn = std::move(fn);
  std::set<std::string, std::less<>> names;
  std::string_view rest = pattern.substr(1);
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (seg.empty() || (slash != std::string_view::npos && rest.empty())) {
      return cp::Status::InvalidArgument("empty segment in pattern", "pattern");
    }
    if (!route.segments.empty() && route.segments.back().kind == Segment::kTail) {
      return cp::Status::InvalidArgument("{name...} must be the last segment", "pattern");
    }
    if (seg.front() == '{') {
      if (seg.size() < 3 || seg.back() != '}') {
        return cp::Status::InvalidArgument("malformed parameter", "pattern");
      }
      std::string_view name = seg.substr(1, seg.size() - 2);
      Segment::Kind kind = Segment::kParam;
      if (name.ends_with("...")) {
        kind = Segment::kTail;
        name.remove_suffix(3);
      }
      if (name.empty() || name.find_first_of("{}/") != std::string_view::npos) {
        return cp::Status::InvalidArgument("malformed parameter name", "pattern");
      }
      if (!names.insert(std::string(name)).second) {
        return cp::Status::InvalidArgument("duplicate parameter name", "pattern");
      }
      route.segments.push_back({kind, std::string(name)});
    } else {
      if (seg.find_first_of("{}") != std::string_view::npos) {
        return cp::Status::InvalidArgument("braces in literal segment", "pattern");
      }
      route.segments.push_back({Segment::kLiteral, std::string(seg)});
    }
  }
  for (const Route& existing : routes_) {
    if (existing.method != route.method) continue;
    if (existing.segments.size() != route.segments.size()) continue;
    bool same = true;
    for (size_t i = 0; i < route.segments.size() && same; ++i) {
      const Segment& a = existing.segments[i];
      const Segment& b = route.segments[i];
      same = a.kind == b.kind && (a.kind != Segment::kLiteral || a.text == b.text);
    }
    if (same) return cp::Status::AlreadyExists("route already registered", "pattern");
  }
  routes_.push_back(std::move(route));
  return cp::Status::Ok();
}

Response Router::Handle(const Request& request) {
  const std::vector<std::string_view> parts = SplitPath(request.path());

  // Returns the specificity key of `route` for `parts` (smaller is more specific), or nullopt.
  auto match = [&](const Route& route) -> std::optional<std::vector<int>> {
    std::vector<int> key;
    size_t i = 0;
    for (const Segment& seg : route.segments) {
      if (seg.kind == Segment::kTail) {
        if (i >= parts.size()) return std::nullopt;
        key.push_back(Segment::kTail);
        i = parts.size();
        break;
      }
      if (i >= parts.size()) return std::nullopt;
      if (seg.kind == Segment::kLiteral && seg.text != parts[i]) return std::nullopt;
      key.push_back(seg.kind);
      ++i;
    }
    if (i != parts.size()) return std::nullopt;
    return key;
  };

  const std::string_view method = request.method();
  const Route* best = nullptr;
  std::vector<int> best_key;
  std::set<std::string> allowed;
  for (const Route& route : routes_) {
    auto key = match(route);
    if (!key.has_value()) continue;
    allowed.insert(route.method);
    if (route.method == "GET") allowed.insert("HEAD");
    const bool method_ok = route.method == method || (method == "HEAD" && route.method == "GET");
    if (!method_ok) continue;
    // An explicit HEAD route beats GET-as-HEAD at equal specificity.
    if (best == nullptr || *key < best_key ||
        (*key == best_key && route.method == method && best->method != method)) {
      best = &route;
      best_key = std::move(*key);
    }
  }

  const bool api = IsApiPath(request.path());
  if (best == nullptr) {
    if (allowed.empty()) {
      request.SetRoute({}, {});
      return SimpleErrorResponse(404, "not_found", "Not found", api);
    }
    std::string allow;
    for (const std::string& m : allowed) {
      if (!allow.empty()) allow += ", ";
      allow += m;
    }
    request.SetRoute({}, {});
    Response r = SimpleErrorResponse(405, "method_not_allowed", "Method not allowed", api);
    r.headers().Set("Allow", std::move(allow));
    return r;
  }

  std::map<std::string, std::string, std::less<>> params;
  size_t i = 0;
  for (const Segment& seg : best->segments) {
    if (seg.kind == Segment::kParam) {
      params.emplace(seg.text, std::string(parts[i]));
    } else if (seg.kind == Segment::kTail) {
      std::string joined;
      for (size_t j = i; j < parts.size(); ++j) {
        if (!joined.empty()) joined.push_back('/');
        joined += parts[j];
      }
      params.emplace(seg.text, std::move(joined));
      break;
    }
    ++i;
  }
  request.SetRoute(best->pattern, std::move(params));
  return best->fn(request);
}

}  // namespace cp::http
