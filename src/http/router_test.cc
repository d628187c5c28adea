#include "http/router.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace cp::http {
namespace {

Request Make(std::string method, std::string target) {
  RequestInit init;
  init.method = std::move(method);
  init.target = std::move(target);
  return Request::Create(std::move(init)).value();
}

// Echoes the route pattern and params as text: "pattern|k=v|k=v".
Router::HandlerFn Echo(std::string tag) {
  return [tag](const Request& r) {
    std::string out = tag + "|" + r.route_pattern();
    for (const auto& [k, v] : r.path_params()) out += "|" + k + "=" + v;
    return Response::Text(out);
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router_.Get("/", Echo("root")).ok());
    ASSERT_TRUE(router_.Get("/api/v1/children/{uin}", Echo("child")).ok());
    ASSERT_TRUE(router_.Put("/api/v1/children/{uin}", Echo("put")).ok());
    ASSERT_TRUE(router_.Get("/api/v1/children/search", Echo("search")).ok());
    ASSERT_TRUE(router_.Get("/api/v1/children/{uin}/shields/{id}", Echo("shield")).ok());
    ASSERT_TRUE(router_.Delete("/api/v1/children/{uin}/shields/{id}", Echo("unshield")).ok());
    ASSERT_TRUE(router_.Get("/static/{path...}", Echo("static")).ok());
    ASSERT_TRUE(router_.Get("/static/app.css", Echo("css")).ok());
  }
  Response Call(std::string method, std::string target) {
    return router_.Handle(Make(std::move(method), std::move(target)));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralsAndParams) {
  EXPECT_EQ(Call("GET", "/").body(), "root|/");
  EXPECT_EQ(Call("GET", "/api/v1/children/1234567890").body(),
            "child|/api/v1/children/{uin}|uin=1234567890");
  EXPECT_EQ(Call("PUT", "/api/v1/children/42/").body(), "put|/api/v1/children/{uin}|uin=42");
  EXPECT_EQ(Call("GET", "/api/v1/children/7/shields/s-9").body(),
            "shield|/api/v1/children/{uin}/shields/{id}|id=s-9|uin=7");
  EXPECT_EQ(Call("DELETE", "/api/v1/children/7/shields/s-9").body(),
            "unshield|/api/v1/children/{uin}/shields/{id}|id=s-9|uin=7");
  EXPECT_EQ(Call("GET", "/api/v1/children/a%20b").body(), "child|/api/v1/children/{uin}|uin=a b");
}

TEST_F(RouterTest, LiteralBeatsParamRegardlessOfOrder) {
  EXPECT_EQ(Call("GET", "/api/v1/children/search").body(), "search|/api/v1/children/search");
  EXPECT_EQ(Call("GET", "/static/app.css").body(), "css|/static/app.css");
}

TEST_F(RouterTest, TailParam) {
  EXPECT_EQ(Call("GET", "/static/css/site.css").body(),
            "static|/static/{path...}|path=css/site.css");
  EXPECT_EQ(Call("GET", "/static").status(), 404);
}

TEST_F(RouterTest, HeadFollowsGet) { EXPECT_EQ(Call("HEAD", "/").status(), 200); }

TEST_F(RouterTest, NotFoundJsonForApi) {
  Response r = Call("GET", "/api/v1/nothing");
  EXPECT_EQ(r.status(), 404);
  EXPECT_EQ(r.content_type(), "application/json");
  EXPECT_EQ(boost::json::parse(r.body()).at("error").as_string(), "not_found");
  Response page = Call("GET", "/nothing");
  EXPECT_EQ(page.status(), 404);
  EXPECT_EQ(page.content_type(), "text/plain; charset=utf-8");
  EXPECT_EQ(Call("GET", "/api/v1/children/1/shields").status(), 404);
}

TEST_F(RouterTest, MethodNotAllowed) {
  Response r = Call("POST", "/api/v1/children/1");
  EXPECT_EQ(r.status(), 405);
  EXPECT_EQ(r.headers().Get("Allow").value(), "GET, HEAD, PUT");
  EXPECT_EQ(r.content_type(), "application/json");
  Response lower = Call("get", "/");
  EXPECT_EQ(lower.status(), 405);
}

TEST_F(RouterTest, UnmatchedRequestHasNoPattern) {
  Request req = Make("GET", "/api/v1/children/1/unknown");
  router_.Handle(req);
  EXPECT_EQ(req.route_pattern(), "");
}

TEST(RouterAddTest, RejectsBadPatterns) {
  Router r;
  auto fn = [](const Request&) { return Response(); };
  EXPECT_EQ(r.Add("GET", "nope", fn).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add("GET", "/a//b", fn).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add("GET", "/a/", fn).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add("GET", "/a/{}", fn).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add("GET", "/a/{x", fn).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add("GET", "/a/{x}/{x}", fn).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add("GET", "/a/{x...}/b", fn).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add("GET", "/a/b{x}", fn).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.Add("", "/a", fn).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(r.Add("GET", "/a/{x}", fn).ok());
  EXPECT_EQ(r.Add("GET", "/a/{y}", fn).code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(r.Add("POST", "/a/{y}", fn).ok());
  EXPECT_EQ(r.Add("GET", "/a", std::shared_ptr<Handler>()).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cp::http
