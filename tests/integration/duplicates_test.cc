// Integration tests of the possible-duplicate queue over real HTTP against the demo, which
// queues the GP practice's "Rubie Stone" as a possible duplicate of the shielded Ruby Stone
// (docs/duplicates.md): §11 (the possible match is shielded), management-only and own
// authority, CSRF on writes, merge (the absorbed record disappears, Ruby keeps every shield
// request), the clear 409s, undo, and reject (remembered, 409 afterwards).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "demo_server.h"
#include "http/testing/test_client.h"

namespace cp::testing {
namespace {

namespace json = boost::json;
using http::testing::TestResponse;

using Session = DemoSession;

class DuplicatesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto demo = DemoServer::Start(50);
    ASSERT_TRUE(demo.ok()) << demo.status().ToString();
    demo_ = demo->release();
  }
  static void TearDownTestSuite() {
    delete demo_;
    demo_ = nullptr;
  }

  static Session& SignIn(const std::string& username) { return demo_->SignIn(username); }
  static TestResponse Post(Session& s, const std::string& target) {
    return *s.client->Post(target, "{}", "application/json", s.headers);
  }
  static TestResponse Get(Session& s, const std::string& target) { return *s.client->Get(target); }

  // The demo's queued pair (Rubie Stone and Ruby Stone), as morgan.manager lists it.
  static json::object DemoPair() {
    auto r = Get(SignIn("morgan.manager"), "/api/v1/possible-duplicates?status=all");
    EXPECT_EQ(r.status, 200) << r.body;
    const json::value parsed = json::parse(r.body);
    for (const auto& p : parsed.at("possible_duplicates").as_array()) {
      return p.as_object();
    }
    ADD_FAILURE() << "no possible duplicate in the demo: " << r.body;
    return {};
  }

  static std::set<int64_t> RequestIds(const std::string& uin) {
    auto r = Get(SignIn("morgan.manager"), "/api/v1/children/" + uin + "/shields");
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<int64_t> ids;
    if (r.status != 200) return ids;
    const json::value parsed = json::parse(r.body);
    for (const auto& q : parsed.as_array()) ids.insert(q.at("id").as_int64());
    return ids;
  }

  static bool ViewIsShielded(const std::string& username, const std::string& uin) {
    auto r = Get(SignIn(username), "/api/v1/children/" + uin + "?reason=assessment");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 && json::parse(r.body).at("shielded").as_bool();
  }

  static DemoServer* demo_;
};

DemoServer* DuplicatesTest::demo_ = nullptr;

TEST_F(DuplicatesTest, OnlyTheAuthoritysManagementSeesOrDecidesThePair) {
  const json::object pair = DemoPair();
  const std::string id = std::to_string(pair.at("id").as_int64());
  EXPECT_EQ(Get(SignIn("pat.teacher"), "/api/v1/possible-duplicates").status, 403);
  EXPECT_EQ(Post(SignIn("pat.teacher"), "/api/v1/possible-duplicates/" + id + "/confirm").status,
            403);
  EXPECT_EQ(Post(SignIn("sam.shielder"), "/api/v1/possible-duplicates/" + id + "/reject").status,
            403);
  // Another authority's management: not in its queue, and refused.
  auto eve = Get(SignIn("eve.manager"), "/api/v1/possible-duplicates?status=all");
  ASSERT_EQ(eve.status, 200) << eve.body;
  EXPECT_EQ(json::parse(eve.body).at("count").as_int64(), 0);
  EXPECT_EQ(Get(SignIn("eve.manager"), "/api/v1/possible-duplicates/" + id).status, 403);
  EXPECT_EQ(Post(SignIn("eve.manager"), "/api/v1/possible-duplicates/" + id + "/confirm").status,
            403);
  // A write without the CSRF token is refused.
  Session& morgan = SignIn("morgan.manager");
  auto no_csrf = *morgan.client->Post("/api/v1/possible-duplicates/" + id + "/confirm", "{}",
                                      "application/json");
  EXPECT_EQ(no_csrf.status, 403) << no_csrf.body;
  EXPECT_EQ(DemoPair().at("status").as_string(), "open");
  EXPECT_EQ(Get(morgan, "/api/v1/possible-duplicates?status=bogus").status, 400);
}

TEST_F(DuplicatesTest, TheDemoPairIsShieldedSideBySideAndMergesUndoesAndRejects) {
  const json::object pair = DemoPair();
  const std::string id = std::to_string(pair.at("id").as_int64());
  const std::string rubie(pair.at("record_uin").as_string());
  const std::string ruby(pair.at("other_uin").as_string());
  EXPECT_EQ(pair.at("status").as_string(), "open");
  EXPECT_TRUE(pair.at("shielded").as_bool());
  // §11: the possible match to the shielded Ruby is itself shielded.
  EXPECT_TRUE(ViewIsShielded("pat.teacher", rubie));

  Session& morgan = SignIn("morgan.manager");
  auto detail = Get(morgan, "/api/v1/possible-duplicates/" + id);
  ASSERT_EQ(detail.status, 200) << detail.body;
  const json::value d = json::parse(detail.body);
  EXPECT_EQ(d.at("record").at("uin").as_string(), rubie);
  EXPECT_EQ(d.at("other").at("uin").as_string(), ruby);

  std::set<int64_t> expected = RequestIds(ruby);
  for (int64_t r : RequestIds(rubie)) expected.insert(r);

  auto merged = Post(morgan, "/api/v1/possible-duplicates/" + id + "/confirm");
  ASSERT_EQ(merged.status, 200) << merged.body;
  const json::value m = json::parse(merged.body);
  EXPECT_EQ(m.at("survivor_uin").as_string(), ruby);
  EXPECT_TRUE(m.at("shielded").as_bool());
  const std::string merge_id = std::to_string(m.at("merge_id").as_int64());
  // Ruby holds every shield request of both; Rubie is gone.
  EXPECT_EQ(RequestIds(ruby), expected);
  // Rubie's UIN leads to Ruby, as the view policy shows Ruby to each user (docs/duplicates.md).
  auto redirected = Get(morgan, "/api/v1/children/" + rubie + "?reason=assessment");
  ASSERT_EQ(redirected.status, 200) << redirected.body;
  const json::value r = json::parse(redirected.body);
  EXPECT_EQ(r.at("uin").as_string(), ruby);
  EXPECT_EQ(r.at("merged_from").as_string(), rubie);
  EXPECT_TRUE(r.at("record_shielded").as_bool());
  auto as_teacher = Get(SignIn("pat.teacher"), "/api/v1/children/" + rubie + "?reason=assessment");
  ASSERT_EQ(as_teacher.status, 200) << as_teacher.body;
  const json::value t = json::parse(as_teacher.body);
  EXPECT_TRUE(t.at("shielded").as_bool());  // Only the shielded view: no address, no carers.
  EXPECT_FALSE(t.as_object().contains("address"));
  EXPECT_FALSE(t.as_object().contains("carers"));
  auto twice = Post(morgan, "/api/v1/possible-duplicates/" + id + "/confirm");
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(json::parse(twice.body).at("error").as_string(), "already_decided");

  auto undone = Post(morgan, "/api/v1/merges/" + merge_id + "/undo");
  ASSERT_EQ(undone.status, 200) << undone.body;
  auto again = Post(morgan, "/api/v1/merges/" + merge_id + "/undo");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(json::parse(again.body).at("error").as_string(), "already_undone");
  EXPECT_TRUE(ViewIsShielded("pat.teacher", rubie));
  EXPECT_TRUE(ViewIsShielded("pat.teacher", ruby));
  EXPECT_FALSE(RequestIds(rubie).empty());

  // Back in the queue: now say they are different children.
  auto rejected = Post(morgan, "/api/v1/possible-duplicates/" + id + "/reject");
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(Post(morgan, "/api/v1/possible-duplicates/" + id + "/confirm").status, 409);
  auto list = Get(morgan, "/api/v1/possible-duplicates?status=rejected");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(json::parse(list.body).at("count").as_int64(), 1);
  // Merges and unmerges are in the audit trail of the authority (checked by the unit tests);
  // here: the shielded records stay shielded after every step.
  EXPECT_TRUE(ViewIsShielded("pat.teacher", rubie));
}

}  // namespace
}  // namespace cp::testing
