// Test helpers for handler tests that drive the browser UI through the real Router: a cookie
// jar standing in for the browser, form encoding and the CSRF token read from a page.
// (shielding_ui_test.cc and web_ui_test.cc predate this header and keep their own copies.)
#pragma once

#include <cctype>
#include <map>
#include <string>
#include <string_view>

#include "http/response.h"

namespace cp::web::testing {

// The cookies a browser keeps, and the session's CSRF token once read.
struct CookieJar {
  std::map<std::string, std::string> cookies;
  std::string csrf;

  // Stores the response's Set-Cookie headers (Max-Age=0 deletes).
  void Absorb(const http::Response& response) {
    for (std::string_view header : response.headers().GetAll("Set-Cookie")) {
      const size_t eq = header.find('=');
      const size_t semi = header.find(';');
      std::string name(header.substr(0, eq));
      if (header.find("Max-Age=0") != std::string_view::npos) {
        cookies.erase(name);
      } else {
        cookies[name] = std::string(header.substr(eq + 1, semi - eq - 1));
      }
    }
  }
  // The Cookie request header for the stored cookies ("" for none).
  std::string CookieHeader() const {
    std::string out;
    for (const auto& [k, v] : cookies) {
      if (!out.empty()) out += "; ";
      out += k + "=" + v;
    }
    return out;
  }
};

// application/x-www-form-urlencoded encoding of one name or value.
inline std::string FormEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

// The value of the first csrf_token hidden field in `html` ("" if none).
inline std::string CsrfTokenIn(const std::string& html) {
  static constexpr std::string_view kMarker = "name=\"csrf_token\" value=\"";
  const size_t at = html.find(kMarker);
  if (at == std::string::npos) return "";
  const size_t start = at + kMarker.size();
  return html.substr(start, html.find('"', start) - start);
}

}  // namespace cp::web::testing
