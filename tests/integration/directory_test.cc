// Integration tests of the directory over real HTTP: search, views, trawling, and that no
// response for any role but the responsible authority's management holds a shielded child's
// hidden details.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
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

class DirectoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto demo = DemoServer::Start(500);
    ASSERT_TRUE(demo.ok()) << demo.status().ToString();
    demo_ = demo->release();
  }
  static void TearDownTestSuite() {
    delete demo_;
    demo_ = nullptr;
  }

  static Session& SignIn(const std::string& username) { return demo_->SignIn(username); }

  static http::testing::TestResponse Search(Session& s, const json::object& criteria) {
    return *s.client->Post("/api/v1/children/search", json::serialize(criteria), "application/json",
                           s.headers);
  }

  static std::string RubyUin(Session& s) {
    auto r = Search(s, {{"given_name", "Ruby"}, {"family_name", "Stone"}});
    json::value parsed = json::parse(r.body);
    for (const auto& hit : parsed.at("results").as_array()) {
      if (hit.at("given_names").as_string() == "Ruby" && hit.at("shielded").as_bool()) {
        return std::string(hit.at("uin").as_string());
      }
    }
    ADD_FAILURE() << "Ruby Stone not found: " << r.body;
    return "";
  }

  static void ExpectNoHiddenDetail(const std::string& body, const std::string& context) {
    for (const auto& secret : kRubysHiddenDetails) {
      EXPECT_EQ(body.find(secret), std::string::npos) << context << " leaks " << secret;
    }
  }

  static DemoServer* demo_;
};

DemoServer* DirectoryTest::demo_ = nullptr;

TEST_F(DirectoryTest, SearchFindsAMisspeltNameAndTheRecordShowsWhoElseIsInvolved) {
  Session& s = SignIn("pat.teacher");
  auto r = Search(s, {{"given_name", "Emelia"}, {"family_name", "okafor"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto results = json::parse(r.body).at("results").as_array();
  ASSERT_FALSE(results.empty());
  std::string uin(results[0].at("uin").as_string());
  auto view = s.client->Get("/api/v1/children/" + uin + "?reason=assessment");
  ASSERT_EQ(view->status, 200) << view->body;
  auto obj = json::parse(view->body).as_object();
  EXPECT_FALSE(obj.at("shielded").as_bool());
  EXPECT_EQ(obj.at("involvements").as_array().size(), 3u);
  EXPECT_EQ(obj.at("address").at("postcode").as_string(), "NT4 7QP");
}

// Fail closed: a search or record view is answered without parking a worker thread in the
// audit commit, but while the audit database cannot be written nothing of the answer leaves
// (API and web page alike) and the failure is a 503; once it can, the same requests succeed.
TEST_F(DirectoryTest, WhileTheAuditCannotBeWrittenSearchesAndViewsShowNothing) {
  Session& s = SignIn("pat.teacher");
  auto found = Search(s, {{"given_name", "Amelia"}, {"family_name", "Okafor"}});
  ASSERT_EQ(found.status, 200) << found.body;
  const std::string uin(
      json::parse(found.body).at("results").as_array().at(0).at("uin").as_string());
  const std::string view_path = "/api/v1/children/" + uin + "?reason=assessment";

  const std::string audit_db = (std::filesystem::path(demo_->data_dir()) / "audit.db").string();
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(audit_db.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto search = Search(s, {{"given_name", "Amelia"}, {"family_name", "Okafor"}});
  auto view = *s.client->Get(view_path);
  auto page = *s.client->Post("/children/" + uin, "reason=assessment",
                              "application/x-www-form-urlencoded", s.headers);
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);

  EXPECT_EQ(search.status, 503) << search.body;
  EXPECT_EQ(view.status, 503) << view.body;
  EXPECT_EQ(page.status, 503) << page.body;
  EXPECT_NE(page.Header("Content-Type").value_or("").find("text/html"), std::string::npos);
  for (const auto* r : {&search, &view, &page}) {
    EXPECT_EQ(r->body.find(uin), std::string::npos) << r->body;
    EXPECT_EQ(r->body.find("Okafor"), std::string::npos) << r->body;
    EXPECT_EQ(r->body.find("NT4 7QP"), std::string::npos) << r->body;
  }
  // The audit trail is writable again: the same requests are answered.
  EXPECT_EQ(Search(s, {{"given_name", "Amelia"}, {"family_name", "Okafor"}}).status, 200);
  auto again = *s.client->Get(view_path);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.body.find("NT4 7QP"), std::string::npos);
}

TEST_F(DirectoryTest, TheShieldedViewHasExactlySevenKeys) {
  Session& s = SignIn("pat.teacher");
  std::string uin = RubyUin(s);
  auto view = s.client->Get("/api/v1/children/" + uin + "?reason=safeguarding");
  ASSERT_EQ(view->status, 200);
  auto obj = json::parse(view->body).as_object();
  std::set<std::string> keys;
  for (const auto& kv : obj) keys.insert(std::string(kv.key()));
  EXPECT_EQ(keys, (std::set<std::string>{"uin", "given_names", "family_name", "gender",
                                         "date_of_birth", "shielded", "notice"}));
  EXPECT_TRUE(obj.at("shielded").as_bool());
}

TEST_F(DirectoryTest, NoRoleButTheAuthoritysManagementSeesAShieldedChildsDetails) {
  for (const char* username :
       {"pat.teacher", "sam.shielder", "blake.duty", "dana.dpo", "eve.manager"}) {
    Session& s = SignIn(username);
    std::string uin = RubyUin(s);
    // Search hits.
    auto hits = Search(s, {{"given_name", "Ruby"}, {"family_name", "Stone"}});
    ExpectNoHiddenDetail(hits.body, std::string(username) + " search");
    // Searching on each hidden field finds nothing more than without it.
    auto by_postcode =
        Search(s, {{"family_name", "Stone"}, {"given_name", "Ruby"}, {"postcode", "NT2 5RB"}});
    auto other_postcode =
        Search(s, {{"family_name", "Stone"}, {"given_name", "Ruby"}, {"postcode", "AB1 2CD"}});
    EXPECT_EQ(by_postcode.body, other_postcode.body) << username;
    auto by_former = Search(s, {{"given_name", "Ruby"}, {"family_name", "Marsh"}});
    EXPECT_EQ(by_former.body.find(uin), std::string::npos) << username << " found via former name";
    // The record, with each reason, and errors.
    auto view = s.client->Get("/api/v1/children/" + uin + "?reason=safeguarding");
    EXPECT_EQ(view->status, 200) << username;
    ExpectNoHiddenDetail(view->body, std::string(username) + " view");
    auto no_reason = s.client->Get("/api/v1/children/" + uin);
    EXPECT_EQ(no_reason->status, 400);
    ExpectNoHiddenDetail(no_reason->body, std::string(username) + " error");
  }
}

TEST_F(DirectoryTest, TheResponsibleAuthoritysManagementSeesEverything) {
  Session& s = SignIn("morgan.manager");
  std::string uin = RubyUin(s);
  auto view = s.client->Get("/api/v1/children/" + uin + "?reason=record_accuracy");
  ASSERT_EQ(view->status, 200);
  EXPECT_NE(view->body.find("NT2 5RB"), std::string::npos);
  EXPECT_NE(view->body.find("Marsh"), std::string::npos);
  auto by_former = Search(s, {{"given_name", "Ruby"}, {"family_name", "Marsh"}});
  EXPECT_NE(by_former.body.find(uin), std::string::npos);
}

TEST_F(DirectoryTest, AdministratorsAndFeedsCannotSearchOrView) {
  Session& admin = SignIn("alex.admin");
  EXPECT_EQ(Search(admin, {{"given_name", "Ruby"}, {"family_name", "Stone"}}).status, 403);
  Session& feed = SignIn("feed.oakfield");
  EXPECT_EQ(Search(feed, {{"given_name", "Ruby"}, {"family_name", "Stone"}}).status, 403);
}

TEST_F(DirectoryTest, BadCriteriaAndUinsGetClearErrors) {
  Session& s = SignIn("sam.shielder");
  auto insufficient = Search(s, {{"family_name", "Stone"}});
  EXPECT_EQ(insufficient.status, 400);
  EXPECT_EQ(json::parse(insufficient.body).at("error").as_string(), "insufficient_criteria");
  auto bad_date = Search(s, {{"family_name", "Stone"}, {"date_of_birth", "2019-02-30"}});
  EXPECT_EQ(bad_date.status, 400);
  EXPECT_EQ(json::parse(bad_date.body).at("field").as_string(), "date_of_birth");
  EXPECT_EQ(s.client->Get("/api/v1/children/12345?reason=assessment")->status, 400);
  EXPECT_EQ(s.client->Get("/api/v1/children/10000000001?reason=assessment")->status, 400);
  auto reasons = s.client->Get("/api/v1/access-reasons");
  EXPECT_EQ(reasons->status, 200);
  EXPECT_NE(reasons->body.find("\"other\""), std::string::npos);
}

TEST_F(DirectoryTest, SearchWithoutCsrfIsRefused) {
  Session& s = SignIn("dana.dpo");
  auto r =
      s.client->Post("/api/v1/children/search", R"({"given_name":"Ruby","family_name":"Stone"})");
  EXPECT_EQ(r->status, 403);
}

}  // namespace
}  // namespace cp::testing
