#include "http/security_headers.h"

#include <string>

namespace cp::http {

void ApplySecurityHeaders(Response& response, bool tls, std::string_view request_id) {
  HeaderMap& h = response.headers();
  h.Set("Content-Security-Policy", std::string(kContentSecurityPolicy));
  h.Set("X-Content-Type-Options", "nosniff");
  h.Set("Referrer-Policy", "no-referrer");
  h.Set("X-Frame-Options", "DENY");
  h.Set("Permissions-Policy", std::string(kPermissionsPolicy));
  h.Set("Cross-Origin-Opener-Policy", "same-origin");
  h.Set("Cross-Origin-Resource-Policy", "same-origin");
  if (response.cacheable()) {
    if (!h.Has("Cache-Control")) h.Set("Cache-Control", std::string(kStaticCacheControl));
  } else {
    h.Set("Cache-Control", "no-store");
    h.Remove("Expires");
  }
  if (tls) {
    h.Set("Strict-Transport-Security", std::string(kStrictTransportSecurity));
  } else {
    h.Remove("Strict-Transport-Security");
  }
  if (!request_id.empty()) h.Set("X-Request-Id", std::string(request_id));
  h.Remove("Server");
}

}  // namespace cp::http
