#include "demo_server.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/totp.h"
#include "core/clock.h"
#include "crypto/encoding.h"

namespace cp::testing {

namespace json = boost::json;

const std::vector<std::string> kRubysHiddenDetails = {"Willow Court",  "NT2 5RB",    "Laura Stone",
                                                      "07700 900733",  "Marsh",      "Sally Ward",
                                                      "01632 960 512", "social_care"};

http::testing::TestResponse DemoSession::PostJson(const std::string& target,
                                                  const json::value& body) {
  auto r = client->Post(target, json::serialize(body), "application/json", headers);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : http::testing::TestResponse{};
}

std::string DemoSession::NextStepCode() const {
  SystemClock clock;
  return auth::Totp(totp_secret, clock.Now() + std::chrono::seconds(30));
}

Result<std::unique_ptr<DemoServer>> DemoServer::Start(size_t children) {
  std::unique_ptr<DemoServer> demo(new DemoServer());
  CP_ASSIGN_OR_RETURN(
      demo->server_,
      ServerProcess::Start("demo", demo->dir_.path(), {"--children", std::to_string(children)}));
  std::ifstream in(std::filesystem::path(demo->dir_.path()) / "demo-accounts.json");
  std::stringstream text;
  text << in.rdbuf();
  json::value parsed = json::parse(text.str());
  demo->accounts_ = parsed.as_array();
  return demo;
}

DemoSession& DemoServer::SignIn(const std::string& username) {
  auto found = sessions_.find(username);
  if (found != sessions_.end()) return found->second;
  DemoSession& s = sessions_[username];
  s.client = std::make_unique<http::testing::TestClient>(port());
  for (const auto& v : accounts_) {
    const auto& a = v.as_object();
    if (a.at("username").as_string() != username) continue;
    s.totp_secret = *crypto::Base32Decode(std::string(a.at("totp_secret").as_string()));
    SystemClock clock;
    json::object body{{"username", username},
                      {"password", a.at("password")},
                      {"totp", auth::Totp(s.totp_secret, clock.Now())}};
    auto r = s.client->Post("/api/v1/session", json::serialize(body));
    EXPECT_EQ(r->status, 200) << username << ": " << r->body;
    if (r->status == 200) {
      s.headers.Set("X-CSRF-Token", std::string(json::parse(r->body).at("csrf_token").as_string()));
    }
    return s;
  }
  ADD_FAILURE() << "no demo account " << username;
  return s;
}

}  // namespace cp::testing
