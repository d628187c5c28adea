// Integration tests of retention over the real binary (docs/retention.md):
//  - `contactpoint maintenance --data DIR` archives a child on the day of the 18th birthday
//    and not the day before, prints what it did, changes nothing on a second run, and leaves
//    an intact audit trail, and refuses to run beside a server on the same directory;
//  - an identity change over the API leaves no searchable trace of the former identity for
//    any role, and its link is shown to the management of that authority only.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>

#include "core/clock.h"
#include "core/date.h"
#include "demo_server.h"

namespace cp::testing {
namespace {

namespace json = boost::json;

http::testing::TestResponse Search(DemoSession& s, const json::object& criteria) {
  return *s.client->Post("/api/v1/children/search", json::serialize(criteria), "application/json",
                         s.headers);
}

// UINs of the hits for these criteria ("" when refused).
std::vector<std::string> HitUins(DemoSession& s, const json::object& criteria) {
  auto r = Search(s, criteria);
  std::vector<std::string> out;
  if (r.status != 200) return out;
  const json::value parsed = json::parse(r.body);
  for (const auto& hit : parsed.at("results").as_array()) {
    out.emplace_back(hit.at("uin").as_string());
  }
  return out;
}

// Runs one SQL statement with text parameters on the main database; returns rows changed.
int Exec(const std::string& data_dir, const std::string& sql,
         const std::vector<std::string>& params) {
  sqlite3* db = nullptr;
  const std::string path = (std::filesystem::path(data_dir) / "contactpoint.db").string();
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return -1;
  sqlite3_stmt* stmt = nullptr;
  int changed = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    for (size_t i = 0; i < params.size(); ++i) {
      sqlite3_bind_text(stmt, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
    }
    if (sqlite3_step(stmt) == SQLITE_DONE) changed = sqlite3_changes(db);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return changed;
}

std::string QueryText(const std::string& data_dir, const std::string& sql,
                      const std::string& param) {
  sqlite3* db = nullptr;
  const std::string path = (std::filesystem::path(data_dir) / "contactpoint.db").string();
  std::string out;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return out;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(stmt, 1, param.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      if (text != nullptr) out = reinterpret_cast<const char*>(text);
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

TEST(RetentionIntegrationTest, MaintenanceArchivesOnThe18thBirthdayAndIsIdempotent) {
  auto demo = DemoServer::Start(50);
  ASSERT_TRUE(demo.ok()) << demo.status().ToString();
  const std::string dir = (*demo)->data_dir();
  DemoSession& pat = (*demo)->SignIn("pat.teacher");
  const auto amelia = HitUins(pat, {{"given_name", "Amelia"}, {"family_name", "Okafor"}});
  ASSERT_EQ(amelia.size(), 1u);
  ASSERT_EQ((*demo)->process().Stop(), 0);

  // Amelia turns 18 today (the binary's clock is the system clock); a second child tomorrow.
  const Date today = Date::FromTime(SystemClock().Now());
  ASSERT_EQ(Exec(dir, "UPDATE child SET date_of_birth=? WHERE uin=?",
                 {today.AddYears(-18).ToString(), amelia[0]}),
            1);
  const std::string other = QueryText(dir, "SELECT uin FROM child WHERE uin<>? LIMIT 1", amelia[0]);
  ASSERT_FALSE(other.empty());
  ASSERT_EQ(Exec(dir, "UPDATE child SET date_of_birth=?, extended_with_consent=0 WHERE uin=?",
                 {today.AddDays(1).AddYears(-18).ToString(), other}),
            1);

  CommandResult first = RunContactPoint({"maintenance", "--data", dir});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find(today.ToString() + ": checked "), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("archived " + amelia[0] + " (age_18)"), std::string::npos)
      << first.output;
  EXPECT_EQ(first.output.find(other), std::string::npos) << first.output;
  EXPECT_EQ(first.output.find("Okafor"), std::string::npos);
  EXPECT_EQ(QueryText(dir, "SELECT record_state FROM child WHERE uin=?", amelia[0]), "1");
  EXPECT_EQ(QueryText(dir, "SELECT archived_on FROM child WHERE uin=?", amelia[0]),
            today.ToString());
  EXPECT_EQ(QueryText(dir, "SELECT record_state FROM child WHERE uin=?", other), "0");

  CommandResult second = RunContactPoint({"maintenance", "--data", dir});
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("archived 0 (age 18: 0, age 25: 0, death: 0); purged 0"),
            std::string::npos)
      << second.output;

  CommandResult verify = RunContactPoint({"audit", "verify", "--data", dir});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;

  // It may run while a server runs on the data directory (both append to one audit chain,
  // docs/audit-log.md "Several writers"), and changes nothing more.
  auto served = ServerProcess::Start("serve", dir);
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  CommandResult beside = RunContactPoint({"maintenance", "--data", dir});
  ASSERT_EQ(beside.exit_code, 0) << beside.output;
  EXPECT_NE(beside.output.find("archived 0 (age 18: 0, age 25: 0, death: 0); purged 0"),
            std::string::npos)
      << beside.output;
  ASSERT_EQ((*served)->Stop(), 0);
  CommandResult after = RunContactPoint({"audit", "verify", "--data", dir});
  EXPECT_EQ(after.exit_code, 0) << after.output;
}

class IdentityChangeTest : public ::testing::Test {
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
  static DemoServer* demo_;
};
DemoServer* IdentityChangeTest::demo_ = nullptr;

TEST_F(IdentityChangeTest, LeavesNoSearchableTraceAndTheLinkIsManagementsOnly) {
  DemoSession& morgan = demo_->SignIn("morgan.manager");
  // The demo's shielded Ruby Stone (a Rubie Stone is queued as her possible duplicate).
  std::vector<std::string> ruby;
  {
    auto r = Search(morgan, {{"given_name", "Ruby"}, {"family_name", "Stone"}});
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value parsed = json::parse(r.body);
    for (const auto& hit : parsed.at("results").as_array()) {
      if (hit.at("given_names").as_string() == "Ruby" && hit.at("shielded").as_bool()) {
        ruby.emplace_back(hit.at("uin").as_string());
      }
    }
  }
  ASSERT_EQ(ruby.size(), 1u);

  // Not management: refused.
  DemoSession& pat = demo_->SignIn("pat.teacher");
  json::object body{
      {"reason", "witness_protection"},
      {"given_names", "Rose"},
      {"family_name", "Tamsin-Vale"},
      {"address",
       json::object{{"line_1", "4 Orchard Row"}, {"town", "Easthaven"}, {"postcode", "EH3 4RW"}}}};
  EXPECT_EQ(pat.PostJson("/api/v1/children/" + ruby[0] + "/identity-change", body).status, 403);
  DemoSession& eve = demo_->SignIn("eve.manager");  // Another authority's management.
  EXPECT_EQ(eve.PostJson("/api/v1/children/" + ruby[0] + "/identity-change", body).status, 403);

  auto changed = morgan.PostJson("/api/v1/children/" + ruby[0] + "/identity-change", body);
  ASSERT_EQ(changed.status, 201) << changed.body;
  const std::string new_uin(json::parse(changed.body).at("new_uin").as_string());

  // No trace of the former identity (current and former names) for any role; the new one is
  // found, shielded.
  for (const char* username :
       {"pat.teacher", "sam.shielder", "blake.duty", "dana.dpo", "eve.manager", "morgan.manager"}) {
    DemoSession& s = demo_->SignIn(username);
    for (const auto& [given, family] : {std::pair{"Ruby", "Stone"}, std::pair{"Ruby", "Marsh"}}) {
      // The index follows the change feed within a second: wait for it via the new name.
      for (int i = 0;
           i < 40 && HitUins(s, {{"given_name", "Rose"}, {"family_name", "Tamsin-Vale"}}).empty();
           ++i) {
        ::usleep(50'000);
      }
      auto r = Search(s, {{"given_name", given}, {"family_name", family}});
      EXPECT_EQ(r.body.find(ruby[0]), std::string::npos) << username << " " << family;
      EXPECT_EQ(r.body.find(new_uin), std::string::npos) << username << " " << family;
    }
    auto fresh = Search(s, {{"given_name", "Rose"}, {"family_name", "Tamsin-Vale"}});
    ASSERT_EQ(fresh.status, 200) << fresh.body;
    EXPECT_NE(fresh.body.find(new_uin), std::string::npos) << username;
    EXPECT_NE(fresh.body.find("\"shielded\":true"), std::string::npos) << username;
    EXPECT_EQ(fresh.body.find(ruby[0]), std::string::npos) << username;
  }

  // The link: management of that authority only.
  auto links =
      morgan.client->Get("/api/v1/children/" + new_uin + "/identity-links", morgan.headers);
  ASSERT_EQ(links->status, 200) << links->body;
  EXPECT_NE(links->body.find(ruby[0]), std::string::npos);
  auto other = eve.client->Get("/api/v1/children/" + new_uin + "/identity-links", eve.headers);
  ASSERT_EQ(other->status, 200);
  EXPECT_EQ(other->body.find(ruby[0]), std::string::npos);
  for (const char* username : {"pat.teacher", "dana.dpo", "blake.duty"}) {
    DemoSession& s = demo_->SignIn(username);
    auto r = s.client->Get("/api/v1/children/" + new_uin + "/identity-links", s.headers);
    EXPECT_EQ(r->status, 403) << username;
    EXPECT_EQ(r->body.find(ruby[0]), std::string::npos) << username;
  }
  // The new identity's record, opened by its management, holds nothing of the former one.
  auto view =
      morgan.client->Get("/api/v1/children/" + new_uin + "?reason=safeguarding", morgan.headers);
  ASSERT_EQ(view->status, 200) << view->body;
  for (const char* old : {"Ruby", "Stone", "Marsh", "Willow Court"}) {
    EXPECT_EQ(view->body.find(old), std::string::npos) << old;
  }
  EXPECT_EQ(view->body.find(ruby[0]), std::string::npos);
  // The former record: archived, readable by its management this year, by nobody else.
  auto archived = morgan.client->Get(
      "/api/v1/children/" + ruby[0] + "/archived?reason=safeguarding", morgan.headers);
  ASSERT_EQ(archived->status, 200) << archived->body;
  EXPECT_NE(archived->body.find("\"archive_reason\":\"identity_change\""), std::string::npos);
  EXPECT_EQ(
      pat.client->Get("/api/v1/children/" + ruby[0] + "?reason=safeguarding", pat.headers)->status,
      403);
  EXPECT_EQ(
      pat.client->Get("/api/v1/children/" + ruby[0] + "/archived?reason=safeguarding", pat.headers)
          ->status,
      403);
}

TEST_F(IdentityChangeTest, ManagementRecordsADeath) {
  DemoSession& morgan = demo_->SignIn("morgan.manager");
  const auto amelia = HitUins(morgan, {{"given_name", "Amelia"}, {"family_name", "Okafor"}});
  ASSERT_EQ(amelia.size(), 1u);
  DemoSession& pat = demo_->SignIn("pat.teacher");
  const json::object died{{"date_of_death", "2026-01-02"}};
  EXPECT_EQ(pat.PostJson("/api/v1/children/" + amelia[0] + "/death", died).status, 403);
  auto recorded = morgan.PostJson("/api/v1/children/" + amelia[0] + "/death", died);
  ASSERT_EQ(recorded.status, 200) << recorded.body;
  auto lifecycle = json::parse(recorded.body).as_object();
  EXPECT_EQ(lifecycle.at("state").as_string(), "live");
  EXPECT_EQ(lifecycle.at("date_of_death").as_string(), "2026-01-02");
  EXPECT_EQ(morgan.PostJson("/api/v1/children/" + amelia[0] + "/death", died).status, 422);
}

// The demo's archive reader (docs/retention.md, "Who may read an archived record") reads an
// archived record for a child-protection enquiry or a serious case review, with an
// explanation; for any other purpose, or without the explanation, it is refused, and an
// ordinary user cannot read it at all. The archive reader cannot search or open live records.
TEST_F(IdentityChangeTest, TheDemoArchiveReaderReadsAnArchivedRecordForAnEnquiryOnly) {
  DemoSession& morgan = demo_->SignIn("morgan.manager");
  const auto leo = HitUins(morgan, {{"given_name", "Leo"}, {"family_name", "Stone"}});
  ASSERT_EQ(leo.size(), 1u);
  const std::string live_amelia =
      HitUins(morgan, {{"given_name", "Amelia"}, {"family_name", "Okafor"}}).at(0);
  // Archive Leo's record by moving him to a new identity.
  auto changed = morgan.PostJson(
      "/api/v1/children/" + leo[0] + "/identity-change",
      json::object{{"reason", "adoption"}, {"given_names", "Theo"}, {"family_name", "Marchbank"}});
  ASSERT_EQ(changed.status, 201) << changed.body;
  const std::string archived = "/api/v1/children/" + leo[0] + "/archived";

  DemoSession& avery = demo_->SignIn("avery.archive");
  for (const char* purpose : {"child_protection_enquiry", "serious_case_review"}) {
    auto read = avery.client->Get(
        archived + "?reason=" + purpose + "&reason_text=Section%2047%20enquiry%20NS%2F2026%2F14",
        avery.headers);
    ASSERT_EQ(read->status, 200) << purpose << ": " << read->body;
    EXPECT_NE(read->body.find("\"archive_reason\":\"identity_change\""), std::string::npos);
    EXPECT_NE(read->body.find(leo[0]), std::string::npos);
  }
  // Another purpose: refused; no explanation: bad input naming the field.
  EXPECT_EQ(avery.client->Get(archived + "?reason=safeguarding", avery.headers)->status, 403);
  auto unexplained = avery.client->Get(archived + "?reason=serious_case_review", avery.headers);
  EXPECT_EQ(unexplained->status, 400) << unexplained->body;
  EXPECT_NE(unexplained->body.find("reason_text"), std::string::npos);
  // An ordinary user cannot read it, even for an enquiry.
  DemoSession& pat = demo_->SignIn("pat.teacher");
  EXPECT_EQ(
      pat.client
          ->Get(archived + "?reason=child_protection_enquiry&reason_text=Enquiry", pat.headers)
          ->status,
      403);
  // The archive reader cannot search or open a live record.
  EXPECT_EQ(Search(avery, {{"given_name", "Amelia"}, {"family_name", "Okafor"}}).status, 403);
  EXPECT_EQ(
      avery.client->Get("/api/v1/children/" + live_amelia + "?reason=safeguarding", avery.headers)
          ->status,
      403);
}

}  // namespace
}  // namespace cp::testing
