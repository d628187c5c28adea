// The same-origin rule for state-changing requests (Gate::OriginAllowed).
#include "api/gate.h"

#include <gtest/gtest.h>

namespace cp::api {
namespace {

http::Request Post(std::initializer_list<std::pair<const char*, const char*>> headers) {
  http::RequestInit init;
  init.method = "POST";
  init.target = "/sign-in";
  init.headers.Set("Host", "127.0.0.1:8080");
  for (const auto& [name, value] : headers) init.headers.Set(name, value);
  return *http::Request::Create(std::move(init));
}

TEST(GateOriginTest, OwnOriginPassesForeignFails) {
  EXPECT_TRUE(Gate::OriginAllowed(Post({{"Origin", "http://127.0.0.1:8080"}})));
  EXPECT_FALSE(Gate::OriginAllowed(Post({{"Origin", "https://evil.example"}})));
  EXPECT_FALSE(Gate::OriginAllowed(Post({{"Origin", "http://127.0.0.1:9090"}})));
  // A real Origin decides even when Fetch Metadata claims otherwise.
  EXPECT_FALSE(Gate::OriginAllowed(
      Post({{"Origin", "https://evil.example"}, {"Sec-Fetch-Site", "same-origin"}})));
}

TEST(GateOriginTest, NullOriginFallsBackToFetchMetadata) {
  // What a browser sends for a same-origin form post under Referrer-Policy: no-referrer.
  EXPECT_TRUE(Gate::OriginAllowed(Post({{"Origin", "null"}, {"Sec-Fetch-Site", "same-origin"}})));
  EXPECT_FALSE(Gate::OriginAllowed(Post({{"Origin", "null"}, {"Sec-Fetch-Site", "cross-site"}})));
  EXPECT_FALSE(Gate::OriginAllowed(Post({{"Origin", "null"}, {"Sec-Fetch-Site", "same-site"}})));
  EXPECT_FALSE(Gate::OriginAllowed(Post({{"Origin", "null"}})));
  EXPECT_FALSE(Gate::OriginAllowed(Post({{"Sec-Fetch-Site", "cross-site"}})));
}

TEST(GateOriginTest, RefererIsTheLastResortAndNoHeadersMeansAnApiClient) {
  EXPECT_TRUE(Gate::OriginAllowed(Post({{"Referer", "http://127.0.0.1:8080/search"}})));
  EXPECT_FALSE(Gate::OriginAllowed(Post({{"Referer", "https://evil.example/page"}})));
  EXPECT_TRUE(Gate::OriginAllowed(Post({})));
}

}  // namespace
}  // namespace cp::api
