#include "http/request.h"

#include <gtest/gtest.h>

namespace cp::http {
namespace {

Request Make(std::string target, HeaderMap headers = {}) {
  RequestInit init;
  init.target = std::move(target);
  init.headers = std::move(headers);
  auto r = Request::Create(std::move(init));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : Request();
}

TEST(NormalizePathTest, DecodesAndNormalises) {
  EXPECT_EQ(NormalizePath("/").value(), "/");
  EXPECT_EQ(NormalizePath("/a/b").value(), "/a/b");
  EXPECT_EQ(NormalizePath("/a//b/").value(), "/a/b");
  EXPECT_EQ(NormalizePath("/a/./b/../c").value(), "/a/c");
  EXPECT_EQ(NormalizePath("/a%20b/%41").value(), "/a b/A");
  EXPECT_EQ(NormalizePath("/a/%2e%2E/b").value(), "/b");
}

TEST(NormalizePathTest, RejectsDangerousInput) {
  for (const char* bad : {"", "a/b", "/..", "/a/../..", "/a%2Fb", "/a%2fb", "/a%5Cb", "/a%00",
                          "/a%0d%0a", "/a%", "/a%4", "/a%zz", "/%2e%2e/etc/passwd"}) {
    auto r = NormalizePath(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(RequestTest, ParsesTargetAndQuery) {
  Request r = Make("/api/v1/search?q=smith+jones&page=2&q=second&empty=&flag");
  EXPECT_EQ(r.path(), "/api/v1/search");
  EXPECT_EQ(r.Query("q").value(), "smith jones");
  EXPECT_EQ(r.Query("page").value(), "2");
  EXPECT_EQ(r.Query("empty").value(), "");
  EXPECT_EQ(r.Query("flag").value(), "");
  EXPECT_FALSE(r.Query("missing").has_value());
  ASSERT_EQ(r.query_params().size(), 5u);
  EXPECT_EQ(r.query_params()[2].second, "second");
  EXPECT_EQ(Make("/x?a=%26%3D").Query("a").value(), "&=");
}

TEST(RequestTest, RejectsBadTargets) {
  for (const char* bad : {"*", "http://example.com/", "/a/../../b", "/a%2Fb", "/a b"}) {
    RequestInit init;
    init.target = bad;
    auto r = Request::Create(std::move(init));
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().field(), "target");
    }
  }
}

TEST(RequestTest, HeadersAreCaseInsensitive) {
  HeaderMap h;
  h.Add("Content-Type", "application/json");
  h.Add("X-Thing", "1");
  h.Add("x-thing", "2");
  Request r = Make("/", h);
  EXPECT_EQ(r.Header("content-type").value(), "application/json");
  EXPECT_EQ(r.Header("CONTENT-TYPE").value(), "application/json");
  EXPECT_EQ(r.Header("X-THING").value(), "1");
  EXPECT_EQ(r.headers().GetAll("x-Thing").size(), 2u);
  EXPECT_FALSE(r.Header("Accept").has_value());
}

TEST(CookieTest, ParsesHeader) {
  Params c = ParseCookieHeader(" a=1; b = two ;c=\"quoted\"; bad; =novalue; d=x=y;e=");
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0], (std::pair<std::string, std::string>("a", "1")));
  EXPECT_EQ(c[1], (std::pair<std::string, std::string>("b", "two")));
  EXPECT_EQ(c[2], (std::pair<std::string, std::string>("c", "quoted")));
  EXPECT_EQ(c[3], (std::pair<std::string, std::string>("d", "x=y")));
  EXPECT_EQ(c[4], (std::pair<std::string, std::string>("e", "")));
  EXPECT_TRUE(ParseCookieHeader("").empty());
}

TEST(CookieTest, RequestCookiesAndHostPrefix) {
  HeaderMap h;
  h.Add("Cookie", "__Host-session=abc; theme=dark");
  h.Add("cookie", "session=spoof; __Host-session=second");
  Request r = Make("/", h);
  EXPECT_EQ(r.HostCookie("session").value(), "abc");
  EXPECT_EQ(r.Cookie("session").value(), "spoof");
  EXPECT_EQ(r.Cookie("theme").value(), "dark");
  EXPECT_FALSE(r.Cookie("nope").has_value());
  EXPECT_EQ(r.cookies().size(), 4u);
}

TEST(RequestTest, CarriesConnectionFacts) {
  RequestInit init;
  init.method = "POST";
  init.target = "/x";
  init.body = "{}";
  init.client_ip = "127.0.0.1";
  init.secure = true;
  init.request_id = "abc";
  Request r = Request::Create(std::move(init)).value();
  EXPECT_EQ(r.method(), "POST");
  EXPECT_EQ(r.body(), "{}");
  EXPECT_EQ(r.client_ip(), "127.0.0.1");
  EXPECT_TRUE(r.secure());
  EXPECT_EQ(r.request_id(), "abc");
  EXPECT_EQ(r.route_pattern(), "");
  EXPECT_EQ(r.PathParam("x"), "");
}

}  // namespace
}  // namespace cp::http
