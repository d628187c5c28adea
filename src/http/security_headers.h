// Security headers, applied by the Server to every response it sends (including its own
// 400/413/431/500 responses). Handlers cannot opt out, except that a response marked
// cacheable (a static asset) keeps its own Cache-Control.
#pragma once

#include <string_view>

#include "http/response.h"

namespace cp::http {

inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";
inline constexpr std::string_view kPermissionsPolicy =
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";
inline constexpr std::string_view kStrictTransportSecurity = "max-age=63072000; includeSubDomains";
inline constexpr std::string_view kStaticCacheControl = "public, max-age=3600";

// Sets (replacing any handler-supplied value) Content-Security-Policy,
// X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer, X-Frame-Options: DENY,
// Permissions-Policy, Cross-Origin-Opener-Policy: same-origin,
// Cross-Origin-Resource-Policy: same-origin, and X-Request-Id: `request_id` (if not empty).
// Cache-Control becomes "no-store" unless response.cacheable(), in which case an existing
// Cache-Control is kept (default kStaticCacheControl). Strict-Transport-Security is set when
// `tls`, and removed otherwise (HSTS over plain HTTP is meaningless and misleading).
void ApplySecurityHeaders(Response& response, bool tls, std::string_view request_id);

}  // namespace cp::http
