#include "http/request.h"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace cp::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

cp::Status BadTarget(std::string message) {
  return cp::Status::InvalidArgument(std::move(message), "target");
}

// Percent-decodes one path segment; rejects bytes that must never appear in a decoded segment.
cp::Result<std::string> DecodeSegment(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return BadTarget("bad escape");
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return BadTarget("bad escape");
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    const auto u = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\' || u < 0x20 || u == 0x7f) {
      return BadTarget("forbidden character in path");
    }
    out.push_back(c);
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

cp::Result<std::string> NormalizePath(std::string_view encoded_path) {
  if (encoded_path.empty() || encoded_path.front() != '/') {
    return BadTarget("path must start with '/'");
  }
  std::vector<std::string> segments;
  size_t pos = 1;
  while (pos <= encoded_path.size()) {
    size_t slash = encoded_path.find('/', pos);
    if (slash == std::string_view::npos) slash = encoded_path.size();
    std::string_view raw = encoded_path.substr(pos, slash - pos);
    pos = slash + 1;
    if (raw.empty()) continue;
    CP_ASSIGN_OR_RETURN(std::string seg, DecodeSegment(raw));
    if (seg == ".") continue;
    if (seg == "..") {
      if (segments.empty()) return BadTarget("path climbs above the root");
      segments.pop_back();
      continue;
    }
    segments.push_back(std::move(seg));
  }
  std::string out;
  for (const std::string& s : segments) {
    out.push_back('/');
    out += s;
  }
  if (out.empty()) out = "/";
  return out;
}

Params ParseCookieHeader(std::string_view header) {
  Params out;
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = Trim(pair.substr(0, eq));
    std::string_view value = Trim(pair.substr(eq + 1));
    if (name.empty()) continue;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    out.emplace_back(std::string(name), std::string(value));
  }
  return out;
}

cp::Result<Request> Request::Create(RequestInit init) {
  if (init.target.empty() || init.target.front() != '/') {
    return BadTarget("target must be in origin-form");
  }
  auto parsed = boost::urls::parse_origin_form(init.target);
  if (!parsed) return BadTarget("malformed target");
  const boost::urls::url_view& url = *parsed;

  Request r;
  CP_ASSIGN_OR_RETURN(r.path_, NormalizePath(url.encoded_path()));
  if (url.has_query()) {
    try {
      boost::urls::encoding_opts opts;
      opts.space_as_plus = true;
      for (const auto& param : url.params(opts)) {
        if (param.key.empty() && !param.has_value) continue;
        r.query_.emplace_back(std::string(param.key), std::string(param.value));
      }
    } catch (const std::exception&) {
      return BadTarget("malformed query");
    }
  }
  for (std::string_view header : init.headers.GetAll("Cookie")) {
    Params parsed_cookies = ParseCookieHeader(header);
    r.cookies_.insert(r.cookies_.end(), parsed_cookies.begin(), parsed_cookies.end());
  }
  r.method_ = std::move(init.method);
  r.headers_ = std::move(init.headers);
  r.body_ = std::move(init.body);
  r.client_ip_ = std::move(init.client_ip);
  r.secure_ = init.secure;
  r.request_id_ = std::move(init.request_id);
  return r;
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  for (const auto& [k, v] : query_) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::Cookie(std::string_view name) const {
  for (const auto& [k, v] : cookies_) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::HostCookie(std::string_view name) const {
  std::string full = "__Host-";
  full += name;
  return Cookie(full);
}

std::string_view Request::PathParam(std::string_view name) const {
  auto it = path_params_.find(name);
  if (it == path_params_.end()) return {};
  return it->second;
}

}  // namespace cp::http
