#include "http/response.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "http/errors.h"
#include "http/security_headers.h"

namespace cp::http {
namespace {

TEST(ResponseTest, Helpers) {
  Response j = Response::Json(boost::json::object{{"a", 1}}, 201);
  EXPECT_EQ(j.status(), 201);
  EXPECT_EQ(j.content_type(), "application/json");
  EXPECT_EQ(j.body(), R"({"a":1})");

  Response h = Response::Html("<p>x</p>");
  EXPECT_EQ(h.status(), 200);
  EXPECT_EQ(h.content_type(), "text/html; charset=utf-8");

  Response t = Response::Text("hi", 418);
  EXPECT_EQ(t.content_type(), "text/plain; charset=utf-8");
  EXPECT_EQ(t.status(), 418);

  Response r = Response::Redirect("/home");
  EXPECT_EQ(r.status(), 303);
  EXPECT_EQ(r.headers().Get("location").value(), "/home");
  EXPECT_FALSE(r.cacheable());
}

TEST(ResponseTest, HostCookie) {
  Response r;
  ASSERT_TRUE(r.SetHostCookie("session", "tok_EN-1.2", std::chrono::seconds(3600)).ok());
  ASSERT_TRUE(r.SetHostCookie("csrf", "x").ok());
  ASSERT_TRUE(r.ClearHostCookie("old").ok());
  auto cookies = r.headers().GetAll("Set-Cookie");
  ASSERT_EQ(cookies.size(), 3u);
  EXPECT_EQ(cookies[0],
            "__Host-session=tok_EN-1.2; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=3600");
  EXPECT_EQ(cookies[1], "__Host-csrf=x; Path=/; Secure; HttpOnly; SameSite=Strict");
  EXPECT_EQ(cookies[2], "__Host-old=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
}

TEST(ResponseTest, HostCookieRejectsInjection) {
  Response r;
  EXPECT_FALSE(r.SetHostCookie("a;b", "x").ok());
  EXPECT_FALSE(r.SetHostCookie("", "x").ok());
  EXPECT_FALSE(r.SetHostCookie("s", "x; Domain=evil.example").ok());
  EXPECT_FALSE(r.SetHostCookie("s", "a\r\nSet-Cookie: b").ok());
  EXPECT_FALSE(r.SetHostCookie("s", "a,b").ok());
  EXPECT_TRUE(r.headers().empty());
}

TEST(ErrorsTest, StatusMapping) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kOk), 200);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kFailedPrecondition), 422);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kConflict), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
}

TEST(ErrorsTest, ErrorResponseBody) {
  Response r = ErrorResponse(Status::InvalidArgument("must be a date", "dob"));
  EXPECT_EQ(r.status(), 400);
  EXPECT_EQ(r.content_type(), "application/json");
  auto v = boost::json::parse(r.body()).as_object();
  EXPECT_EQ(v["error"].as_string(), "invalid_argument");
  EXPECT_EQ(v["message"].as_string(), "must be a date");
  EXPECT_EQ(v["field"].as_string(), "dob");

  auto nf = boost::json::parse(ErrorResponse(Status::NotFound("no such child")).body()).as_object();
  EXPECT_FALSE(nf.contains("field"));
  EXPECT_EQ(nf["error"].as_string(), "not_found");

  Response slug = ErrorResponse(Status::Unauthenticated("expired"), "session_expired");
  EXPECT_EQ(slug.status(), 401);
  EXPECT_EQ(boost::json::parse(slug.body()).at("error").as_string(), "session_expired");
}

TEST(ErrorsTest, InternalDetailNeverLeaks) {
  Response r = ErrorResponse(Status::Internal("SELECT * FROM children failed: disk /var/x"));
  EXPECT_EQ(r.status(), 500);
  EXPECT_EQ(r.body().find("SELECT"), std::string::npos);
  EXPECT_EQ(boost::json::parse(r.body()).at("error").as_string(), "internal");
  EXPECT_EQ(ErrorResponse(Status::Ok()).status(), 500);
}

TEST(SecurityHeadersTest, AppliedAndOverrideHandler) {
  Response r = Response::Text("x");
  r.headers().Set("Cache-Control", "public, max-age=99999");
  r.headers().Set("X-Frame-Options", "ALLOWALL");
  ApplySecurityHeaders(r, /*tls=*/false, "rid");
  EXPECT_EQ(r.headers().Get("Content-Security-Policy").value(), kContentSecurityPolicy);
  EXPECT_EQ(r.headers().Get("X-Content-Type-Options").value(), "nosniff");
  EXPECT_EQ(r.headers().Get("Referrer-Policy").value(), "no-referrer");
  EXPECT_EQ(r.headers().Get("X-Frame-Options").value(), "DENY");
  EXPECT_EQ(r.headers().GetAll("X-Frame-Options").size(), 1u);
  EXPECT_TRUE(r.headers().Has("Permissions-Policy"));
  EXPECT_EQ(r.headers().Get("Cross-Origin-Opener-Policy").value(), "same-origin");
  EXPECT_EQ(r.headers().Get("Cache-Control").value(), "no-store");
  EXPECT_EQ(r.headers().Get("X-Request-Id").value(), "rid");
  EXPECT_FALSE(r.headers().Has("Strict-Transport-Security"));
  EXPECT_EQ(std::string_view(kContentSecurityPolicy).find("unsafe-inline"), std::string::npos);
}

TEST(SecurityHeadersTest, CacheableAndTls) {
  Response r = Response::Text("x");
  r.set_cacheable(true);
  ApplySecurityHeaders(r, /*tls=*/true, "");
  EXPECT_EQ(r.headers().Get("Cache-Control").value(), kStaticCacheControl);
  EXPECT_EQ(r.headers().Get("Strict-Transport-Security").value(), kStrictTransportSecurity);
  EXPECT_FALSE(r.headers().Has("X-Request-Id"));
}

}  // namespace
}  // namespace cp::http
