// Feeds over the real binary: the feed API over HTTP with bearer tokens (scope, revocation,
// bad bodies, per-row outcomes, idempotence), and a real `kill -9` of `contactpoint import`
// mid-way followed by a re-run that finishes with no duplicates and nothing lost.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "http/testing/test_client.h"
#include "server_process.h"

namespace cp::testing {
namespace {

namespace json = boost::json;

// The token printed on the last line of `token issue`.
std::string IssueToken(const std::string& dir, const std::string& source) {
  CommandResult r = RunContactPoint({"token", "issue", "--data", dir, "--source", source});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::istringstream lines(r.output);
  std::string line;
  std::string token;
  while (std::getline(lines, line)) {
    if (line.rfind("cpf_", 0) == 0) token = line;
  }
  EXPECT_FALSE(token.empty()) << r.output;
  return token;
}

// A local authority ("LA-..." codes, its own area) or a school in the area LA-NORTH (which
// must exist first).
void AddOrg(const std::string& dir, const std::string& code) {
  const bool authority = code.rfind("LA-", 0) == 0;
  CommandResult r = RunContactPoint(
      {"org", "add", "--data", dir, "--code", code, "--name", "Feed " + code, "--type",
       authority ? "local_authority" : "school", "--area", authority ? code : "LA-NORTH"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

// One integer from the main database (read-only; fine while another process writes: WAL).
int64_t Query(const std::string& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  const std::string path = dir + "/contactpoint.db";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return -1;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  int64_t value = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    value = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

http::HeaderMap Bearer(const std::string& token) {
  http::HeaderMap h;
  h.Set("Authorization", "Bearer " + token);
  return h;
}

json::object Row(const std::string& ref, const std::string& given, const std::string& family,
                 const std::string& dob) {
  return json::object{{"source_ref", ref},
                      {"given_names", given},
                      {"family_name", family},
                      {"gender", "female"},
                      {"date_of_birth", dob},
                      {"address_line_1", "1 Mill Lane"},
                      {"town", "Northtown"},
                      {"postcode", "NT2 5RB"},
                      {"carer_1_name", "Grace Okafor"},
                      {"carer_1_relationship", "mother"}};
}

TEST(FeedsIntegration, FeedApiOverHttpWithTokens) {
  TempDir dir;
  AddOrg(dir.path(), "LA-NORTH");
  AddOrg(dir.path(), "SCH-FEED");
  AddOrg(dir.path(), "GP-FEED");
  const std::string token = IssueToken(dir.path(), "SCH-FEED");
  const std::string revoked = IssueToken(dir.path(), "SCH-FEED");
  CommandResult list =
      RunContactPoint({"token", "list", "--data", dir.path(), "--source", "SCH-FEED"});
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_EQ(list.output.find(token), std::string::npos);  // Shown once only.
  CommandResult rv = RunContactPoint(
      {"token", "revoke", "--data", dir.path(), "--source", "SCH-FEED", "--id", "2"});
  ASSERT_EQ(rv.exit_code, 0) << rv.output;
  // A token cannot be revoked through another source.
  EXPECT_NE(
      RunContactPoint({"token", "revoke", "--data", dir.path(), "--source", "GP-FEED", "--id", "1"})
          .exit_code,
      0);

  auto server = ServerProcess::Start("serve", dir.path());
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  http::testing::TestClient client((*server)->port());
  const std::string target = "/api/v1/feeds/records";
  json::array rows{Row("r-1", "Amara", "Okafor", "2015-05-01"),
                   Row("r-2", "Bo", "Zed", "2016-02-02"),
                   Row("r-3", "Old", "Person", "1990-01-01")};
  const std::string body = json::serialize(rows);

  // 401: no token, a wrong one, a revoked one. Nothing is written.
  EXPECT_EQ(client.Post(target, body)->status, 401);
  EXPECT_EQ(client.Post(target, body, "application/json", Bearer(token + "x"))->status, 401);
  EXPECT_EQ(client.Post(target, body, "application/json", Bearer(revoked))->status, 401);
  auto unauth = client.Post(target, body);
  EXPECT_TRUE(unauth->Header("WWW-Authenticate").has_value());
  // 403: the body names another source than the token's.
  json::object other{{"source", "GP-FEED"}, {"records", rows}};
  EXPECT_EQ(client.Post(target, json::serialize(other), "application/json", Bearer(token))->status,
            403);
  // 400: malformed bodies and fields outside the closed list.
  EXPECT_EQ(client.Post(target, "{not json", "application/json", Bearer(token))->status, 400);
  EXPECT_EQ(client.Post(target, "{\"records\": 5}", "application/json", Bearer(token))->status,
            400);
  json::array extra{Row("r-9", "Amara", "Okafor", "2015-05-01")};
  extra[0].as_object()["religion"] = "none";
  auto outside = client.Post(target, json::serialize(extra), "application/json", Bearer(token));
  EXPECT_EQ(outside->status, 400);
  EXPECT_NE(outside->body.find("religion"), std::string::npos);
  EXPECT_EQ(Query(dir.path(), "SELECT COUNT(*) FROM child"), 0);

  // 200: per-row outcomes with UINs and reasons.
  auto first = client.Post(target, body, "application/json", Bearer(token));
  ASSERT_EQ(first->status, 200) << first->body;
  json::array results = json::parse(first->body).at("results").as_array();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].at("outcome").as_string(), "created");
  EXPECT_EQ(results[1].at("outcome").as_string(), "created");
  EXPECT_EQ(results[2].at("outcome").as_string(), "rejected");
  EXPECT_EQ(std::string(results[2].at("reason").as_string()).rfind("date_of_birth: ", 0), 0u);
  const std::string uin = std::string(results[0].at("uin").as_string());
  EXPECT_EQ(uin.size(), 11u);

  // The same batch again changes nothing.
  auto again = client.Post(target, body, "application/json", Bearer(token));
  ASSERT_EQ(again->status, 200);
  json::array second = json::parse(again->body).at("results").as_array();
  EXPECT_EQ(second[0].at("outcome").as_string(), "updated");
  EXPECT_EQ(second[0].at("reason").as_string(), "unchanged");
  EXPECT_EQ(second[0].at("uin").as_string(), uin);
  EXPECT_EQ(Query(dir.path(), "SELECT COUNT(*) FROM child"), 2);

  // Involvements by the source's reference and by UIN.
  json::array involvements{
      json::object{{"source_ref", "r-1"},
                   {"service_type", "school_nursing"},
                   {"practitioner", "Nurse Team"},
                   {"organisation", "Northtown Health"}},
      json::object{{"uin", uin},
                   {"service_type", "school_nursing"},
                   {"practitioner", "Second Team"},
                   {"organisation", "Northtown Health"}},
      json::object{{"source_ref", "nope"}, {"service_type", "school_nursing"}}};
  auto inv = client.Post("/api/v1/feeds/involvements", json::serialize(involvements),
                         "application/json", Bearer(token));
  ASSERT_EQ(inv->status, 200) << inv->body;
  json::array inv_results = json::parse(inv->body).at("results").as_array();
  EXPECT_EQ(inv_results[0].at("outcome").as_string(), "updated");
  EXPECT_EQ(inv_results[1].at("outcome").as_string(), "updated");
  EXPECT_EQ(inv_results[2].at("outcome").as_string(), "rejected");
  EXPECT_EQ(client.Post("/api/v1/feeds/involvements", json::serialize(involvements))->status, 401);
  EXPECT_EQ((*server)->Stop(), 0);
}

// Starts `contactpoint ARGS...` without waiting; output discarded.
pid_t Spawn(const std::vector<std::string>& args) {
  const std::string binary = ContactPointBinary();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

TEST(FeedsIntegration, KillNineMidImportThenRerunLosesNothingAndDuplicatesNothing) {
  TempDir dir;
  AddOrg(dir.path(), "LA-FEED");
  constexpr int64_t kChildren = 30000;
  const std::string file = dir.path() + "/feed.csv";
  CommandResult generated =
      RunContactPoint({"generate", "--children", std::to_string(kChildren), "--out", file});
  ASSERT_EQ(generated.exit_code, 0) << generated.output;

  // Small batches, so that several commit before the kill.
  pid_t pid =
      Spawn({"import", "--data", dir.path(), "--source", "LA-FEED", "--batch", "500", file});
  ASSERT_GT(pid, 0);
  int64_t at_kill = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(4);
  while (std::chrono::steady_clock::now() < deadline) {
    at_kill = Query(dir.path(), "SELECT COUNT(*) FROM source_ref");
    if (at_kill >= 1000) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_GE(at_kill, 1000);
  const int64_t committed = Query(dir.path(), "SELECT COUNT(*) FROM source_ref");
  ASSERT_LT(committed, kChildren) << "the kill did not land mid-way";
  // Whole batches only: every stored child has its reference.
  EXPECT_EQ(Query(dir.path(),
                  "SELECT COUNT(*) FROM child WHERE id NOT IN (SELECT child_id FROM source_ref)"),
            0);

  const std::string report = dir.path() + "/report.csv";
  CommandResult rerun = RunContactPoint(
      {"import", "--data", dir.path(), "--source", "LA-FEED", "--report", report, file});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_NE(rerun.output.find("rows per second"), std::string::npos) << rerun.output;

  // Nothing lost: every reference is stored, once.
  EXPECT_EQ(Query(dir.path(), "SELECT COUNT(*) FROM source_ref WHERE source='LA-FEED'"), kChildren);
  // No duplicates: no record without a reference, and no record created twice for one row
  // (the references of the first run were found, not matched again).
  EXPECT_EQ(Query(dir.path(),
                  "SELECT COUNT(*) FROM child WHERE id NOT IN (SELECT child_id FROM source_ref)"),
            0);
  EXPECT_EQ(Query(dir.path(),
                  "SELECT COUNT(*) FROM possible_duplicate WHERE child_id IN"
                  " (SELECT child_id FROM source_ref GROUP BY child_id"
                  " HAVING COUNT(*) > 1)"),
            0);
  // The report has one row per input row; the rows committed before the kill are "updated"
  // (unchanged), the rest new.
  std::ifstream in(report);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "source_ref,outcome,uin,reason");
  int64_t lines = 0;
  int64_t unchanged = 0;
  while (std::getline(in, line)) {
    ++lines;
    if (line.find(",updated,") != std::string::npos &&
        line.find(",unchanged") != std::string::npos) {
      ++unchanged;
    }
  }
  EXPECT_EQ(lines, kChildren);
  EXPECT_EQ(unchanged, committed);

  // And a third run changes nothing at all.
  const int64_t seq = Query(dir.path(), "SELECT COALESCE(MAX(seq), 0) FROM child_change");
  CommandResult third =
      RunContactPoint({"import", "--data", dir.path(), "--source", "LA-FEED", file});
  ASSERT_EQ(third.exit_code, 0) << third.output;
  EXPECT_EQ(Query(dir.path(), "SELECT COALESCE(MAX(seq), 0) FROM child_change"), seq);
}

}  // namespace
}  // namespace cp::testing
