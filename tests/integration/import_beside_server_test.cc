// `contactpoint import` while `contactpoint serve` runs on the same data directory (issues 3
// and 7): the import is not refused, both processes append to one audit chain that
// `contactpoint audit verify` accepts, and a child the importer writes reaches the server's
// search by the change feed without a restart. Commands that cannot run beside a server
// (a second server, `user`) are still refused; `maintenance` may run beside it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <string>

#include "demo_server.h"
#include "http/testing/test_client.h"
#include "server_process.h"

namespace cp::testing {
namespace {

namespace json = boost::json;

// A child no demo record resembles, so the import creates it and a search finds only it.
constexpr char kSentinelRef[] = "BESIDE-SERVER-1";
constexpr char kSentinelGiven[] = "Ottoline";
constexpr char kSentinelFamily[] = "Quenby-Marchbanks";
constexpr char kSentinelBirth[] = "2017-06-15";

// One integer from a database of the data directory (read-only; WAL lets it run beside the
// writers).
int64_t QueryInt(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
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

http::testing::TestResponse Search(DemoSession& s, const json::object& criteria) {
  return *s.client->Post("/api/v1/children/search", json::serialize(criteria), "application/json",
                         s.headers);
}

// The UIN of the sentinel in a search response, or "" if it is not among the results.
std::string SentinelUin(const http::testing::TestResponse& r) {
  if (r.status != 200) return "";
  const json::value parsed = json::parse(r.body);
  for (const auto& hit : parsed.at("results").as_array()) {
    if (hit.at("given_names").as_string() == kSentinelGiven &&
        hit.at("family_name").as_string() == kSentinelFamily) {
      return std::string(hit.at("uin").as_string());
    }
  }
  return "";
}

const json::object kSentinelCriteria{{"given_name", kSentinelGiven},
                                     {"family_name", kSentinelFamily},
                                     {"date_of_birth", kSentinelBirth}};

TEST(ImportBesideServer, ImportRunsBesideTheServerReachesSearchAndKeepsOneAuditChain) {
  auto demo = DemoServer::Start(200);
  ASSERT_TRUE(demo.ok()) << demo.status().ToString();
  DemoServer& server = **demo;
  const std::string dir = server.data_dir();
  DemoSession& pat = server.SignIn("pat.teacher");
  ASSERT_EQ(SentinelUin(Search(pat, kSentinelCriteria)), "") << "the sentinel exists already";

  // A feed of the demo's population (so rows match, update and create) plus the sentinel.
  const std::string file = dir + "/beside.csv";
  CommandResult generated = RunContactPoint({"generate", "--children", "1500", "--out", file});
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  {
    std::ofstream out(file, std::ios::app);
    out << kSentinelRef << "," << kSentinelGiven << "," << kSentinelFamily << ",,female,"
        << kSentinelBirth << ",3 Weir Row,,Northtown,NT2 5RB,,,,,,,,,\n";
  }

  // The import runs in its own process while this thread keeps the server busy with audited
  // searches, so the two processes append to the audit trail at the same time.
  const std::string report = dir + "/beside-report.csv";
  auto import = std::async(std::launch::async, [&] {
    return RunContactPoint({"import", "--data", dir, "--source", "LA-NORTHSHIRE", "--batch", "150",
                            "--report", report, file});
  });
  int searches_during_import = 0;
  while (import.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    auto r = Search(pat, {{"given_name", "Ruby"}, {"family_name", "Stone"}});
    ASSERT_EQ(r.status, 200) << r.body;
    ++searches_during_import;
  }
  CommandResult imported = import.get();
  const auto import_finished = std::chrono::steady_clock::now();
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  EXPECT_EQ(imported.output.find("server is running"), std::string::npos) << imported.output;
  EXPECT_NE(imported.output.find("rows per second"), std::string::npos) << imported.output;

  // The sentinel was created, and the report names its UIN.
  std::string reported_uin;
  {
    std::ifstream in(report);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind(std::string(kSentinelRef) + ",", 0) != 0) continue;
      std::istringstream fields(line);
      std::string ref, outcome;
      std::getline(fields, ref, ',');
      std::getline(fields, outcome, ',');
      std::getline(fields, reported_uin, ',');
      EXPECT_EQ(outcome, "created") << line;
    }
  }
  ASSERT_FALSE(reported_uin.empty()) << "the sentinel is not in the report";

  // The server's index follows the change feed: poll search until the child appears (the
  // index syncs every 250 ms; the deadline only bounds a failure).
  std::string found_uin;
  const auto deadline = import_finished + std::chrono::seconds(5);
  while (found_uin.empty() && std::chrono::steady_clock::now() < deadline) {
    found_uin = SentinelUin(Search(pat, kSentinelCriteria));
  }
  const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - import_finished);
  ASSERT_EQ(found_uin, reported_uin) << "the imported child never reached the server's search";
  std::cout << "[ measured ] imported child searchable " << latency.count()
            << " ms after the import exited; " << searches_during_import
            << " searches ran during the import\n";

  // One chain holding both processes' entries, interleaved: server searches were committed
  // between the importer's first and last batch.
  const std::string audit_db = dir + "/audit.db";
  const int64_t first_batch =
      QueryInt(audit_db, "SELECT MIN(seq) FROM audit_entry WHERE action='feed.import_batch'");
  const int64_t last_batch =
      QueryInt(audit_db, "SELECT MAX(seq) FROM audit_entry WHERE action='feed.import_batch'");
  ASSERT_GT(first_batch, 0);
  EXPECT_GT(last_batch, first_batch) << "the import should have run in several batches";
  EXPECT_GT(QueryInt(audit_db,
                     "SELECT COUNT(*) FROM audit_entry WHERE action='child.search' AND "
                     "seq BETWEEN " +
                         std::to_string(first_batch) + " AND " + std::to_string(last_batch)),
            0)
      << "no server entry between the importer's entries";
  EXPECT_EQ(QueryInt(audit_db, "SELECT MAX(seq) - COUNT(*) FROM audit_entry"), 0)
      << "a gap in the sequence";

  // Verified while the server still runs, and after it stops.
  CommandResult live = RunContactPoint({"audit", "verify", "--data", dir});
  EXPECT_EQ(live.exit_code, 0) << live.output;
  EXPECT_NE(live.output.find("audit trail intact"), std::string::npos) << live.output;
  ASSERT_EQ(server.process().Stop(), 0);
  CommandResult verified = RunContactPoint({"audit", "verify", "--data", dir});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("audit trail intact"), std::string::npos) << verified.output;
}

TEST(ImportBesideServer, ASecondServerAndUserCommandsAreStillRefusedMaintenanceIsNot) {
  auto demo = DemoServer::Start(20);
  ASSERT_TRUE(demo.ok()) << demo.status().ToString();
  const std::string dir = (*demo)->data_dir();

  // Two servers on one directory: refused (per-process sign-in throttle, periodic jobs).
  CommandResult second = RunContactPoint({"serve", "--data", dir, "--port", "0"});
  EXPECT_NE(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("a ContactPoint server is running"), std::string::npos)
      << second.output;
  // `user`, `org` and `token` keep the lock too (the server would not see e.g. an unlock).
  CommandResult users = RunContactPoint({"user", "list", "--data", dir});
  EXPECT_NE(users.exit_code, 0) << users.output;
  EXPECT_NE(users.output.find("a ContactPoint server is running"), std::string::npos)
      << users.output;
  CommandResult tokens =
      RunContactPoint({"token", "list", "--data", dir, "--source", "SCH-NS-OAKFIELD"});
  EXPECT_NE(tokens.exit_code, 0) << tokens.output;

  // The daily retention run may run beside the server; its entries join the same chain.
  CommandResult maintenance = RunContactPoint({"maintenance", "--data", dir});
  EXPECT_EQ(maintenance.exit_code, 0) << maintenance.output;
  ASSERT_EQ((*demo)->process().Stop(), 0);
  CommandResult verified = RunContactPoint({"audit", "verify", "--data", dir});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

}  // namespace
}  // namespace cp::testing
