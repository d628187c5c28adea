// Integration tests of Break Glass and brokering over real HTTP with the demo data: the
// contract's status codes, the grant's full view and its end, the investigation management
// sees, revocation, and that neither a user without the right nor a brokering requester ever
// receives one of a shielded child's hidden details.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "auth/totp.h"
#include "core/clock.h"
#include "crypto/encoding.h"
#include "demo_server.h"
#include "http/testing/test_client.h"

namespace cp::testing {
namespace {

namespace json = boost::json;
using http::HeaderMap;
using http::testing::TestClient;

using Session = DemoSession;

class BreakGlassTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto demo = DemoServer::Start(100);
    ASSERT_TRUE(demo.ok()) << demo.status().ToString();
    demo_ = demo->release();
  }
  static void TearDownTestSuite() {
    delete demo_;
    demo_ = nullptr;
  }

  static Session& SignIn(const std::string& username) { return demo_->SignIn(username); }

  static http::testing::TestResponse Post(Session& s, const std::string& path,
                                          const json::object& body) {
    return *s.client->Post(path, json::serialize(body), "application/json", s.headers);
  }

  static std::string Uin(Session& s, const std::string& given, const std::string& family) {
    auto r = Post(s, "/api/v1/children/search", {{"given_name", given}, {"family_name", family}});
    json::value parsed = json::parse(r.body);
    for (const auto& hit : parsed.at("results").as_array()) {
      if (hit.at("given_names").as_string() == given) return std::string(hit.at("uin").as_string());
    }
    ADD_FAILURE() << given << " " << family << " not found: " << r.body;
    return "";
  }

  static void ExpectNoHiddenDetail(const std::string& body, const std::string& context) {
    for (const auto& secret : kRubysHiddenDetails) {
      EXPECT_EQ(body.find(secret), std::string::npos) << context << " leaks " << secret;
    }
  }

  static DemoServer* demo_;
};

DemoServer* BreakGlassTest::demo_ = nullptr;

TEST_F(BreakGlassTest, TheReasonCodesAreListed) {
  Session& s = SignIn("blake.duty");
  auto r = s.client->Get("/api/v1/break-glass-reasons");
  ASSERT_EQ(r->status, 200);
  std::set<std::string> codes;
  json::value parsed = json::parse(r->body);
  for (const auto& v : parsed.as_array()) {
    codes.insert(std::string(v.at("code").as_string()));
  }
  EXPECT_EQ(codes, (std::set<std::string>{"ae_attendance", "out_of_hours_social_care",
                                          "crime_investigation", "immediate_threat_other"}));
}

TEST_F(BreakGlassTest, WithoutTheRightItIs403AndNoHiddenDetailIsEverSent) {
  for (const char* username : {"pat.teacher", "sam.shielder", "dana.dpo", "eve.manager"}) {
    Session& s = SignIn(username);
    auto offered = s.client->Get("/api/v1/me/break-glass");
    ASSERT_EQ(offered->status, 200);
    EXPECT_FALSE(json::parse(offered->body).at("available").as_bool()) << username;
    std::string ruby = Uin(s, "Ruby", "Stone");
    auto r = Post(s, "/api/v1/children/" + ruby + "/break-glass",
                  {{"reason_code", "ae_attendance"}, {"reason_text", "A&E"}, {"totp", "123456"}});
    EXPECT_EQ(r.status, 403) << username << ": " << r.body;
    ExpectNoHiddenDetail(r.body, std::string(username) + " refusal");
    auto view = s.client->Get("/api/v1/children/" + ruby + "?reason=safeguarding");
    ExpectNoHiddenDetail(view->body, std::string(username) + " view");
  }
}

TEST_F(BreakGlassTest, ARecordThatIsNotShieldedOrAMissingReasonIs400) {
  Session& s = SignIn("blake.duty");
  auto offered = s.client->Get("/api/v1/me/break-glass");
  EXPECT_TRUE(json::parse(offered->body).at("available").as_bool());
  std::string amelia = Uin(s, "Amelia", "Okafor");
  auto r = Post(s, "/api/v1/children/" + amelia + "/break-glass",
                {{"reason_code", "ae_attendance"}, {"reason_text", "A&E"}, {"totp", "000000"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(json::parse(r.body).at("error").as_string(), "not_shielded");
  std::string ruby = Uin(s, "Ruby", "Stone");
  auto no_text = Post(s, "/api/v1/children/" + ruby + "/break-glass",
                      {{"reason_code", "ae_attendance"}, {"totp", "000000"}});
  EXPECT_EQ(no_text.status, 400);
  EXPECT_EQ(json::parse(no_text.body).at("field").as_string(), "reason_text");
  auto no_code = Post(s, "/api/v1/children/" + ruby + "/break-glass",
                      {{"reason_text", "A&E"}, {"totp", "000000"}});
  EXPECT_EQ(json::parse(no_code.body).at("field").as_string(), "reason_code");
  ExpectNoHiddenDetail(no_code.body, "refusal");
  // Without the CSRF token: refused.
  EXPECT_EQ(s.client->Post("/api/v1/children/" + ruby + "/break-glass", "{}")->status, 403);
}

// One use per suite: each step-up spends the account's next TOTP step.
TEST_F(BreakGlassTest, AGrantOpensTheRecordUntilLeavingItAndManagementInvestigates) {
  Session& blake = SignIn("blake.duty");
  std::string ruby = Uin(blake, "Ruby", "Stone");
  auto before = blake.client->Get("/api/v1/children/" + ruby + "?reason=safeguarding");
  ExpectNoHiddenDetail(before->body, "before");

  auto granted = Post(blake, "/api/v1/children/" + ruby + "/break-glass",
                      {{"reason_code", "crime_investigation"},
                       {"reason_text", "Report of an assault at the address"},
                       {"totp", blake.NextStepCode()}});
  ASSERT_EQ(granted.status, 201) << granted.body;
  auto grant = json::parse(granted.body).as_object();
  EXPECT_GT(grant.at("grant_id").as_int64(), 0);
  EXPECT_TRUE(grant.at("expires_at").is_string());

  auto full = blake.client->Get("/api/v1/children/" + ruby + "?reason=safeguarding");
  ASSERT_EQ(full->status, 200);
  auto view = json::parse(full->body).as_object();
  EXPECT_TRUE(view.at("break_glass").as_bool());
  EXPECT_EQ(view.at("address").at("postcode").as_string(), "NT2 5RB");

  // Management of Ruby's authority sees the investigation, due the next working day.
  Session& morgan = SignIn("morgan.manager");
  auto list = morgan.client->Get("/api/v1/investigations");
  ASSERT_EQ(list->status, 200) << list->body;
  auto investigations = json::parse(list->body).as_array();
  ASSERT_EQ(investigations.size(), 1u);
  std::set<std::string> keys;
  for (const auto& kv : investigations[0].as_object()) keys.insert(std::string(kv.key()));
  EXPECT_EQ(keys, (std::set<std::string>{"id", "uin", "user", "opened_at", "due", "status"}));
  EXPECT_EQ(investigations[0].at("uin").as_string(), ruby);
  EXPECT_EQ(investigations[0].at("user").as_string(), "blake.duty");
  EXPECT_EQ(investigations[0].at("status").as_string(), "open");
  auto notifications = morgan.client->Get("/api/v1/notifications");
  EXPECT_NE(notifications->body.find("break_glass_used"), std::string::npos) << notifications->body;
  EXPECT_EQ(SignIn("pat.teacher").client->Get("/api/v1/investigations")->status, 403);
  // Management moves the case on, with a note.
  std::string id = std::to_string(investigations[0].at("id").as_int64());
  EXPECT_EQ(
      Post(morgan, "/api/v1/investigations/" + id + "/status", {{"status", "in_review"}}).status,
      200);
  EXPECT_EQ(Post(morgan, "/api/v1/investigations/" + id + "/notes",
                 {{"text", "Called the duty inspector"}})
                .status,
            201);

  // Searching leaves the record: the grant has ended.
  Post(blake, "/api/v1/children/search", {{"given_name", "Ruby"}, {"family_name", "Stone"}});
  auto after = blake.client->Get("/api/v1/children/" + ruby + "?reason=safeguarding");
  ASSERT_EQ(after->status, 200);
  ExpectNoHiddenDetail(after->body, "after leaving");

  // Revocation applies on the holder's next request.
  auto holders = morgan.client->Get("/api/v1/break-glass-holders");
  ASSERT_EQ(holders->status, 200);
  EXPECT_NE(holders->body.find("\"status\":\"active\""), std::string::npos) << holders->body;
  auto revoked = morgan.client->Delete("/api/v1/break-glass-holders/blake.duty", morgan.headers);
  EXPECT_EQ(revoked->status, 204) << revoked->body;
  auto refused = Post(blake, "/api/v1/children/" + ruby + "/break-glass",
                      {{"reason_code", "ae_attendance"}, {"reason_text", "A&E"}, {"totp", "1"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_FALSE(
      json::parse(blake.client->Get("/api/v1/me/break-glass")->body).at("available").as_bool());
}

TEST_F(BreakGlassTest, BrokeringDeclinedEndsWithTheRequestersSignedReasonsAndLeaksNothing) {
  Session& pat = SignIn("pat.teacher");
  std::string ruby = Uin(pat, "Ruby", "Stone");
  std::string amelia = Uin(pat, "Amelia", "Okafor");
  std::string seen_by_pat;
  auto not_shielded = Post(pat, "/api/v1/children/" + amelia + "/brokering-requests",
                           {{"reason", "Need the social worker"}});
  EXPECT_EQ(not_shielded.status, 400);
  EXPECT_EQ(json::parse(not_shielded.body).at("error").as_string(), "not_shielded");
  auto no_reason = Post(pat, "/api/v1/children/" + ruby + "/brokering-requests", {});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(json::parse(no_reason.body).at("field").as_string(), "reason");
  auto created = Post(pat, "/api/v1/children/" + ruby + "/brokering-requests",
                      {{"reason", "Ruby disclosed a concern at school; I need her social worker"}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = std::to_string(json::parse(created.body).at("id").as_int64());
  seen_by_pat += created.body;

  Session& morgan = SignIn("morgan.manager");
  auto request = morgan.client->Get("/api/v1/brokering-requests/" + id);
  ASSERT_EQ(request->status, 200) << request->body;
  auto candidates = json::parse(request->body).at("candidates").as_array();
  ASSERT_FALSE(candidates.empty());
  EXPECT_EQ(candidates[0].at("practitioner").as_string(), "Sally Ward");
  EXPECT_EQ(Post(morgan, "/api/v1/brokering-requests/" + id + "/contacted",
                 {{"involvement_id", candidates[0].at("involvement_id")}})
                .status,
            204);
  auto mine = pat.client->Get("/api/v1/brokering-requests/" + id);
  seen_by_pat += mine->body;
  EXPECT_EQ(json::parse(mine->body).at("status").as_string(), "contacted");
  EXPECT_EQ(Post(pat, "/api/v1/brokering-requests/" + id + "/decision",
                 {{"decision", "share"}, {"released", "x"}})
                .status,
            403);
  EXPECT_EQ(
      Post(morgan, "/api/v1/brokering-requests/" + id + "/decision", {{"decision", "decline"}})
          .status,
      204);
  auto declined = pat.client->Get("/api/v1/brokering-requests/" + id);
  seen_by_pat += declined->body;
  EXPECT_EQ(json::parse(declined->body).at("status").as_string(), "declined");
  auto unsigned_reasons = Post(pat, "/api/v1/brokering-requests/" + id + "/acknowledge",
                               {{"reasons", "Not proportionate"}});
  EXPECT_EQ(unsigned_reasons.status, 400);
  EXPECT_EQ(json::parse(unsigned_reasons.body).at("field").as_string(), "confirm");
  EXPECT_EQ(Post(pat, "/api/v1/brokering-requests/" + id + "/acknowledge",
                 {{"reasons", "Not proportionate; ask the police"}, {"confirm", true}})
                .status,
            204);
  auto done = pat.client->Get("/api/v1/brokering-requests/" + id);
  seen_by_pat += done->body;
  auto obj = json::parse(done->body).as_object();
  EXPECT_EQ(obj.at("status").as_string(), "acknowledged");
  EXPECT_EQ(obj.at("decline_reasons").as_string(), "Not proportionate; ask the police");
  EXPECT_TRUE(obj.at("acknowledged_at").is_string());
  std::vector<std::string> kinds;
  for (const auto& step : obj.at("timeline").as_array()) {
    kinds.emplace_back(step.at("kind").as_string());
  }
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"requested", "management_viewed", "practitioner_contacted",
                                      "declined", "requester_acknowledged"}));
  auto list = pat.client->Get("/api/v1/brokering-requests");
  seen_by_pat += list->body;
  ExpectNoHiddenDetail(seen_by_pat, "pat's brokering responses");
  // Someone else is not told the request exists.
  EXPECT_EQ(SignIn("sam.shielder").client->Get("/api/v1/brokering-requests/" + id)->status, 404);
}

}  // namespace
}  // namespace cp::testing
