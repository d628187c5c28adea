// Integration tests of shielding over real HTTP against the demo: the 201/202/422/409
// contracts, the shielded view of a just-shielded child and of its co-resident, the log and its
// CSV export, documents, and that the database file holds no plaintext address of a shielded
// child. The demo shields Ruby Stone (and so her brother Leo) through the shielding service.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

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
using http::testing::TestResponse;

using Session = DemoSession;

std::string ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class ShieldingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto demo = DemoServer::Start(200);
    ASSERT_TRUE(demo.ok()) << demo.status().ToString();
    demo_ = demo->release();
  }
  static void TearDownTestSuite() {
    delete demo_;
    demo_ = nullptr;
  }

  static Session& SignIn(const std::string& username) { return demo_->SignIn(username); }

  static TestResponse Post(Session& s, const std::string& target, const json::value& body) {
    return *s.client->Post(target, json::serialize(body), "application/json", s.headers);
  }
  static TestResponse Delete(Session& s, const std::string& target) {
    return *s.client->Delete(target, s.headers);
  }
  static TestResponse Get(Session& s, const std::string& target) { return *s.client->Get(target); }

  // The UIN of the demo child with these names (searching as management sees everyone).
  static std::string UinOf(const std::string& given, const std::string& family) {
    Session& s = SignIn("morgan.manager");
    auto r = Post(s, "/api/v1/children/search",
                  json::object{{"given_name", given}, {"family_name", family}});
    const json::value parsed1 = json::parse(r.body);
    for (const auto& hit : parsed1.at("results").as_array()) {
      if (hit.at("given_names").as_string() == given &&
          hit.at("family_name").as_string() == family) {
        return std::string(hit.at("uin").as_string());
      }
    }
    ADD_FAILURE() << given << " " << family << " not found: " << r.body;
    return "";
  }

  // Whether `username`'s view of the record is the shielded view.
  static bool ViewIsShielded(const std::string& username, const std::string& uin) {
    auto r = Get(SignIn(username), "/api/v1/children/" + uin + "?reason=assessment");
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).at("shielded").as_bool();
  }

  // Polls (up to 2 s) until the search index reports `uin` as shielded or not.
  static bool SearchShowsShielded(const std::string& given, const std::string& uin, bool want) {
    Session& s = SignIn("pat.teacher");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (true) {
      auto r = Post(s, "/api/v1/children/search",
                    json::object{{"given_name", given}, {"family_name", "Stone"}});
      const json::value parsed2 = json::parse(r.body);
      for (const auto& hit : parsed2.at("results").as_array()) {
        if (hit.at("uin").as_string() == uin && hit.at("shielded").as_bool() == want) return true;
      }
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  static json::array ActiveRequestIds(const std::string& uin) {
    auto r = Get(SignIn("morgan.manager"), "/api/v1/children/" + uin + "/shields");
    EXPECT_EQ(r.status, 200) << r.body;
    json::array ids;
    const json::value parsed3 = json::parse(r.body);
    for (const auto& req : parsed3.as_array()) {
      if (req.at("status").as_string() == "active") ids.push_back(req.at("id"));
    }
    return ids;
  }

  static DemoServer* demo_;
};

DemoServer* ShieldingTest::demo_ = nullptr;

const json::object kRequester{
    {"name", "Safe Haven"}, {"contact", "01632 960 700"}, {"relationship", "refuge key worker"}};

TEST_F(ShieldingTest, CategoriesAndCriteriaAreListed) {
  Session& s = SignIn("pat.teacher");
  auto r = Get(s, "/api/v1/shield-categories");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"refuge\""), std::string::npos);
  EXPECT_NE(r.body.find("\"other\""), std::string::npos);
  auto c = Get(s, "/api/v1/shield-criteria");
  ASSERT_EQ(c.status, 200);
  EXPECT_NE(c.body.find("cohabitant_at_risk"), std::string::npos);
  EXPECT_NE(c.body.find("in principle"), std::string::npos);
}

TEST_F(ShieldingTest, TheDemoShieldsRubyAndLeoThroughLoggedRequestsWithReviews) {
  std::string ruby = UinOf("Ruby", "Stone");
  std::string leo = UinOf("Leo", "Stone");
  auto log = Get(SignIn("morgan.manager"), "/api/v1/shielding-log");
  ASSERT_EQ(log.status, 200) << log.body;
  bool ruby_logged = false, leo_logged = false;
  const json::value parsed4 = json::parse(log.body);
  for (const auto& e : parsed4.as_array()) {
    const auto& o = e.as_object();
    EXPECT_EQ(o.size(), 9u);  // The 8 fields and the id.
    if (o.at("uin").as_string() == ruby && o.at("action").as_int64() == 1) ruby_logged = true;
    if (o.at("uin").as_string() == leo &&
        o.at("comments").as_string() == "Co-resident of " + ruby) {
      leo_logged = true;
    }
  }
  EXPECT_TRUE(ruby_logged && leo_logged) << log.body;
  auto reviews = Get(SignIn("morgan.manager"), "/api/v1/reviews?status=due");
  ASSERT_EQ(reviews.status, 200);
  EXPECT_NE(reviews.body.find(ruby), std::string::npos);
  EXPECT_NE(reviews.body.find(leo), std::string::npos);
  // Other authorities and other roles do not see it.
  EXPECT_EQ(Get(SignIn("eve.manager"), "/api/v1/shielding-log").body.find(ruby), std::string::npos);
  EXPECT_EQ(Get(SignIn("pat.teacher"), "/api/v1/shielding-log").status, 403);
  EXPECT_EQ(Get(SignIn("sam.shielder"), "/api/v1/reviews").status, 403);
}

TEST_F(ShieldingTest, NoCriteriaIs422AndLoggedAsRejected) {
  std::string amelia = UinOf("Amelia", "Okafor");
  auto r = Post(SignIn("sam.shielder"), "/api/v1/children/" + amelia + "/shields",
                json::object{{"criteria", json::array{}},
                             {"category", "other"},
                             {"requester", kRequester},
                             {"comments", ""}});
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(json::parse(r.body).at("error").as_string(), "no_shielding_criteria");
  EXPECT_FALSE(ViewIsShielded("pat.teacher", amelia));
  auto log = Get(SignIn("morgan.manager"), "/api/v1/shielding-log");
  bool rejected = false;
  const json::value parsed5 = json::parse(log.body);
  for (const auto& e : parsed5.as_array()) {
    if (e.at("uin").as_string() == amelia && e.at("action").as_int64() == 5) rejected = true;
  }
  EXPECT_TRUE(rejected);
  // An unknown criterion is a 400 naming the field; without the CSRF token, 403.
  auto bad = Post(SignIn("sam.shielder"), "/api/v1/children/" + amelia + "/shields",
                  json::object{{"criteria", json::array{"dislike"}}, {"category", "other"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body).at("field").as_string(), "criteria");
  EXPECT_EQ(SignIn("sam.shielder")
                .client
                ->Post("/api/v1/children/" + amelia + "/shields",
                       R"({"criteria":["child_at_risk"],"category":"other"})")
                ->status,
            403);
}

TEST_F(ShieldingTest, APractitionersRequestIs202UntilManagementApprovesIt) {
  std::string amelia = UinOf("Amelia", "Okafor");
  // Oakfield school has no named person, so the request goes to the authority's management.
  auto r = Post(SignIn("pat.teacher"), "/api/v1/children/" + amelia + "/shields",
                json::object{{"criteria", json::array{"child_at_risk"}},
                             {"category", "domestic_violence"},
                             {"requester", kRequester}});
  ASSERT_EQ(r.status, 202) << r.body;
  auto pending = json::parse(r.body).as_object();
  EXPECT_EQ(pending.at("status").as_string(), "pending");
  EXPECT_EQ(pending.at("routed_to").as_string(), "management");
  const int64_t id = pending.at("id").as_int64();
  EXPECT_FALSE(ViewIsShielded("sam.shielder", amelia));
  auto awaiting = Get(SignIn("morgan.manager"), "/api/v1/shield-requests");
  EXPECT_NE(awaiting.body.find(amelia), std::string::npos);
  EXPECT_EQ(Post(SignIn("sam.shielder"),
                 "/api/v1/shield-requests/" + std::to_string(id) + "/approve", json::object{})
                .status,
            403);
  auto approved =
      Post(SignIn("morgan.manager"), "/api/v1/shield-requests/" + std::to_string(id) + "/approve",
           json::object{{"note", "meets the criteria"}});
  ASSERT_EQ(approved.status, 201) << approved.body;
  EXPECT_EQ(json::parse(approved.body).at("log_action").as_string(), "shield_applied");
  EXPECT_TRUE(ViewIsShielded("pat.teacher", amelia));
  EXPECT_TRUE(ViewIsShielded("sam.shielder", amelia));
  EXPECT_FALSE(ViewIsShielded("morgan.manager", amelia));
  auto mine = Get(SignIn("pat.teacher"), "/api/v1/shield-requests");
  EXPECT_NE(mine.body.find("\"status\":\"active\""), std::string::npos) << mine.body;
  auto notes = Get(SignIn("pat.teacher"), "/api/v1/notifications");
  EXPECT_NE(notes.body.find("\"outcome\""), std::string::npos) << notes.body;
}

TEST_F(ShieldingTest, UnshieldIsRefusedWhileRequestsAreActiveAndReshieldingCoversTheCoResident) {
  std::string ruby = UinOf("Ruby", "Stone");
  std::string leo = UinOf("Leo", "Stone");
  Session& morgan = SignIn("morgan.manager");
  auto refused = Post(morgan, "/api/v1/children/" + ruby + "/unshield", json::object{});
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(json::parse(refused.body).at("error").as_string(), "active_shield_requests");
  EXPECT_EQ(
      Post(SignIn("eve.manager"), "/api/v1/children/" + ruby + "/unshield", json::object{}).status,
      403);
  EXPECT_EQ(
      Post(SignIn("sam.shielder"), "/api/v1/children/" + ruby + "/unshield", json::object{}).status,
      403);

  // A second requester registers their own shield (§5).
  auto extra = Post(SignIn("sam.shielder"), "/api/v1/children/" + ruby + "/shields",
                    json::object{{"criteria", json::array{"adult_at_risk"}},
                                 {"category", "domestic_violence"},
                                 {"requester", kRequester},
                                 {"comments", "Second request"}});
  ASSERT_EQ(extra.status, 201) << extra.body;
  EXPECT_EQ(json::parse(extra.body).at("log_action").as_string(), "additional_request");

  // Every request withdrawn: still shielded until management's final decision.
  for (const auto& child : {ruby, leo}) {
    for (const auto& id : ActiveRequestIds(child)) {
      auto w =
          Delete(morgan, "/api/v1/children/" + child + "/shields/" + std::to_string(id.as_int64()));
      EXPECT_EQ(w.status, 204) << w.body;
    }
  }
  EXPECT_TRUE(ViewIsShielded("pat.teacher", ruby));
  ASSERT_EQ(Post(morgan, "/api/v1/children/" + ruby + "/unshield", json::object{}).status, 200);
  ASSERT_EQ(Post(morgan, "/api/v1/children/" + leo + "/unshield", json::object{}).status, 200);
  EXPECT_FALSE(ViewIsShielded("pat.teacher", ruby));
  EXPECT_FALSE(ViewIsShielded("pat.teacher", leo));
  EXPECT_TRUE(SearchShowsShielded("Leo", leo, false));

  // Shielding Ruby again: from that moment Ruby and Leo show the shielded view to others.
  auto again = Post(SignIn("sam.shielder"), "/api/v1/children/" + ruby + "/shields",
                    json::object{{"criteria", json::array{"child_at_risk", "cohabitant_at_risk"}},
                                 {"category", "refuge"},
                                 {"requester", kRequester},
                                 {"comments", ""}});
  ASSERT_EQ(again.status, 201) << again.body;
  auto body = json::parse(again.body).as_object();
  EXPECT_EQ(body.at("log_action").as_string(), "shield_applied");
  EXPECT_EQ(body.at("co_residents_shielded").as_int64(), 1);
  EXPECT_TRUE(ViewIsShielded("pat.teacher", ruby));
  EXPECT_TRUE(ViewIsShielded("pat.teacher", leo));
  EXPECT_TRUE(ViewIsShielded("dana.dpo", leo));
  EXPECT_TRUE(SearchShowsShielded("Leo", leo, true));
  EXPECT_TRUE(SearchShowsShielded("Ruby", ruby, true));
}

TEST_F(ShieldingTest, TheLogExportsAsCsv) {
  auto r = Get(SignIn("morgan.manager"), "/api/v1/shielding-log?format=csv");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type").value_or(""), "text/csv; charset=utf-8");
  EXPECT_EQ(
      r.body.rfind("uin,action,category,date,requester_contact,relationship,confirmation_sent,"
                   "comments\r\n",
                   0),
      0u);
  EXPECT_NE(r.body.find(UinOf("Ruby", "Stone") + ",1,refuge,"), std::string::npos) << r.body;
  EXPECT_EQ(Get(SignIn("sam.shielder"), "/api/v1/shielding-log?format=csv").status, 403);
  // Field 7, the confirmation date.
  auto log = json::parse(Get(SignIn("morgan.manager"), "/api/v1/shielding-log").body).as_array();
  ASSERT_FALSE(log.empty());
  const int64_t id = log[0].at("id").as_int64();
  EXPECT_EQ(Post(SignIn("morgan.manager"),
                 "/api/v1/shielding-log/" + std::to_string(id) + "/confirmation-sent",
                 json::object{{"date", "2026-01-05"}})
                .status,
            200);
  auto after = json::parse(Get(SignIn("morgan.manager"), "/api/v1/shielding-log").body).as_array();
  EXPECT_EQ(after[0].at("confirmation_sent").as_string(), "2026-01-05");
}

TEST_F(ShieldingTest, DocumentsAreReadableOnlyByManagement) {
  std::string ruby = UinOf("Ruby", "Stone");
  Session& sam = SignIn("sam.shielder");
  auto shield = Post(sam, "/api/v1/children/" + ruby + "/shields",
                     json::object{{"criteria", json::array{"child_at_risk"}},
                                  {"category", "refuge"},
                                  {"requester", kRequester}});
  ASSERT_EQ(shield.status, 201);
  const std::string id = std::to_string(json::parse(shield.body).at("id").as_int64());
  const std::string pdf = "%PDF-1.4\nZephyrine Document Body\n%%EOF\n";
  auto fake = sam.client->Post("/api/v1/shield-requests/" + id + "/documents", "<html>",
                               "application/pdf", sam.headers);
  EXPECT_EQ(fake->status, 400);
  auto up = sam.client->Post("/api/v1/shield-requests/" + id + "/documents", pdf, "application/pdf",
                             sam.headers);
  ASSERT_EQ(up->status, 201) << up->body;
  const std::string doc = std::to_string(json::parse(up->body).at("id").as_int64());
  EXPECT_EQ(Get(sam, "/api/v1/shield-requests/" + id + "/documents/" + doc).status, 403);
  auto read = Get(SignIn("morgan.manager"), "/api/v1/shield-requests/" + id + "/documents/" + doc);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body, pdf);
  EXPECT_EQ(read.Header("Content-Type").value_or(""), "application/pdf");
  const std::filesystem::path db = std::filesystem::path(demo_->data_dir()) / "contactpoint.db";
  const std::string bytes = ReadFileBytes(db) + ReadFileBytes(db.string() + "-wal");
  EXPECT_EQ(bytes.find("Zephyrine"), std::string::npos);
}

TEST_F(ShieldingTest, TheDatabaseFileHoldsNoPlaintextAddressOfAShieldedChild) {
  std::string ruby = UinOf("Ruby", "Stone");
  EXPECT_TRUE(ViewIsShielded("pat.teacher", ruby));
  const std::filesystem::path db = std::filesystem::path(demo_->data_dir()) / "contactpoint.db";
  const std::string bytes = ReadFileBytes(db) + ReadFileBytes(db.string() + "-wal");
  ASSERT_GT(bytes.size(), 4096u);
  EXPECT_NE(bytes.find(ruby), std::string::npos);  // The file is readable: the UIN is in clear.
  // The address, the carer, and the requester's contact (sealed in the request and the log).
  for (const char* secret : {"Willow Court", "NT2 5RB", "Laura Stone", "07700 900733",
                             "01632 960 700", "refuge key worker"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
}

}  // namespace
}  // namespace cp::testing
