// Integration tests of the foundation: the real server binary, over real HTTP.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/totp.h"
#include "core/clock.h"
#include "crypto/encoding.h"
#include "http/testing/test_client.h"
#include "server_process.h"

namespace cp::testing {
namespace {

namespace json = boost::json;
using http::HeaderMap;
using http::testing::TestClient;
using http::testing::TestResponse;

struct Account {
  std::string username, password, totp_secret, organisation;
  std::vector<std::string> roles;
};

std::vector<Account> ReadAccounts(const std::string& dir) {
  std::ifstream in(std::filesystem::path(dir) / "demo-accounts.json");
  std::stringstream text;
  text << in.rdbuf();
  std::vector<Account> out;
  json::value parsed = json::parse(text.str());
  for (const auto& v : parsed.as_array()) {
    const auto& o = v.as_object();
    Account a{std::string(o.at("username").as_string()),
              std::string(o.at("password").as_string()),
              std::string(o.at("totp_secret").as_string()),
              std::string(o.at("organisation").as_string()),
              {}};
    for (const auto& r : o.at("roles").as_array()) a.roles.emplace_back(r.as_string());
    out.push_back(a);
  }
  return out;
}

std::string CodeFor(const Account& a, Duration offset = Duration::zero()) {
  SystemClock clock;
  return auth::Totp(*crypto::Base32Decode(a.totp_secret), clock.Now() + offset);
}

int64_t CountRows(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  int64_t n = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

class FoundationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto server = ServerProcess::Start("demo", dir_->path());
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = server->release();
    accounts_ = new std::vector<Account>(ReadAccounts(dir_->path()));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete accounts_;
    delete dir_;
  }

  static const Account& AccountWithRole(const std::string& role) {
    for (const auto& a : *accounts_) {
      if (!a.totp_secret.empty() &&
          std::find(a.roles.begin(), a.roles.end(), role) != a.roles.end()) {
        return a;
      }
    }
    std::abort();
  }

  // Signs in; returns the CSRF token. The client keeps the session cookie.
  static std::string SignIn(TestClient& client, const Account& a,
                            Duration offset = Duration::zero()) {
    json::object body{
        {"username", a.username}, {"password", a.password}, {"totp", CodeFor(a, offset)}};
    auto r = client.Post("/api/v1/session", json::serialize(body));
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r->status, 200) << r->body;
    if (r->status != 200) return "";
    return std::string(json::parse(r->body).at("csrf_token").as_string());
  }

  TestClient Client() { return TestClient(server_->port()); }

  static TempDir* dir_;
  static ServerProcess* server_;
  static std::vector<Account>* accounts_;
};

TempDir* FoundationTest::dir_ = nullptr;
ServerProcess* FoundationTest::server_ = nullptr;
std::vector<Account>* FoundationTest::accounts_ = nullptr;

TEST_F(FoundationTest, HealthzAnswersWithSecurityHeaders) {
  auto r = Client().Get("/healthz");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->Header("Content-Security-Policy").value_or("").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(r->Header("X-Content-Type-Options").value_or(""), "nosniff");
  EXPECT_EQ(r->Header("Referrer-Policy").value_or(""), "no-referrer");
}

TEST_F(FoundationTest, DemoAccountsCoverEveryRole) {
  for (const char* role : {"practitioner", "shielder", "management", "break_glass", "dpo",
                           "administrator", "data_source"}) {
    bool found = false;
    for (const auto& a : *accounts_) {
      found |= std::find(a.roles.begin(), a.roles.end(), role) != a.roles.end();
    }
    EXPECT_TRUE(found) << role;
  }
}

TEST_F(FoundationTest, SignInSetsAHostCookieAndMeAnswers) {
  TestClient client = Client();
  const Account& a = AccountWithRole("management");
  json::object body{{"username", a.username}, {"password", a.password}, {"totp", CodeFor(a)}};
  auto r = client.Post("/api/v1/session", json::serialize(body));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << r->body;
  std::string cookie(r->Header("Set-Cookie").value_or(""));
  EXPECT_EQ(cookie.rfind("__Host-cp_session=", 0), 0u) << cookie;
  for (const char* attr : {"Secure", "HttpOnly", "SameSite=Strict", "Path=/"}) {
    EXPECT_NE(cookie.find(attr), std::string::npos) << attr;
  }
  EXPECT_FALSE(json::parse(r->body).at("csrf_token").as_string().empty());
  auto me = client.Get("/api/v1/me");
  ASSERT_TRUE(me.ok());
  ASSERT_EQ(me->status, 200) << me->body;
  auto obj = json::parse(me->body).as_object();
  EXPECT_EQ(obj.at("username").as_string(), a.username);
  EXPECT_EQ(obj.at("organisation").as_string(), a.organisation);
  EXPECT_EQ(obj.at("roles").as_array().at(0).as_string(), "management");
  EXPECT_EQ(me->Header("Cache-Control").value_or(""), "no-store");
}

TEST_F(FoundationTest, EveryWrongFactorGivesTheSame401) {
  const Account& a = AccountWithRole("dpo");
  std::vector<json::object> attempts = {
      {{"username", "no.such.user"}, {"password", a.password}, {"totp", CodeFor(a)}},
      {{"username", a.username}, {"password", "wrong-password-here"}, {"totp", CodeFor(a)}},
      {{"username", a.username}, {"password", a.password}, {"totp", "000000"}},
  };
  std::string first_body;
  for (const auto& attempt : attempts) {
    auto r = Client().Post("/api/v1/session", json::serialize(attempt));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 401);
    EXPECT_FALSE(r->Header("Set-Cookie").has_value());
    if (first_body.empty()) first_body = r->body;
    EXPECT_EQ(r->body, first_body);
  }
}

TEST_F(FoundationTest, MissingFieldsAreA400NamingTheField) {
  auto r = Client().Post("/api/v1/session", R"({"username":"x","password":"y"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(json::parse(r->body).at("field").as_string(), "totp");
  auto bad = Client().Post("/api/v1/session", "not json");
  EXPECT_EQ(bad->status, 400);
}

TEST_F(FoundationTest, ATotpCodeCannotBeReplayed) {
  const Account& a = AccountWithRole("shielder");
  std::string code = CodeFor(a);
  json::object body{{"username", a.username}, {"password", a.password}, {"totp", code}};
  auto first = Client().Post("/api/v1/session", json::serialize(body));
  ASSERT_EQ(first->status, 200);
  auto replay = Client().Post("/api/v1/session", json::serialize(body));
  EXPECT_EQ(replay->status, 401);
}

TEST_F(FoundationTest, SignOutNeedsCsrfAndEndsTheSession) {
  TestClient client = Client();
  std::string csrf = SignIn(client, AccountWithRole("practitioner"));
  auto without = client.Delete("/api/v1/session");
  EXPECT_EQ(without->status, 403);
  HeaderMap wrong;
  wrong.Set("X-CSRF-Token", "forged");
  EXPECT_EQ(client.Delete("/api/v1/session", wrong)->status, 403);
  EXPECT_EQ(client.Get("/api/v1/me")->status, 200);
  HeaderMap headers;
  headers.Set("X-CSRF-Token", csrf);
  auto out = client.Delete("/api/v1/session", headers);
  EXPECT_EQ(out->status, 204);
  EXPECT_EQ(client.Get("/api/v1/me")->status, 401);
}

TEST_F(FoundationTest, AForeignOriginIsRefused) {
  TestClient client = Client();
  std::string csrf = SignIn(client, AccountWithRole("break_glass"));
  HeaderMap headers;
  headers.Set("X-CSRF-Token", csrf);
  headers.Set("Origin", "https://evil.example");
  EXPECT_EQ(client.Delete("/api/v1/session", headers)->status, 403);
}

TEST_F(FoundationTest, AdministratorsManageUsersOthersAreDenied) {
  TestClient admin = Client();
  std::string csrf = SignIn(admin, AccountWithRole("administrator"));
  HeaderMap headers;
  headers.Set("X-CSRF-Token", csrf);
  json::object user{{"username", "new.worker"},
                    {"display_name", "New Worker"},
                    {"organisation", "LA-NORTHSHIRE"},
                    {"roles", json::array{"practitioner"}},
                    {"vetting", {{"crb_check_date", "2026-01-01"}, {"isa_registered", true}}}};
  auto created = admin.Post("/api/v1/users", json::serialize(user), "application/json", headers);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(json::parse(created->body).at("initial_password").as_string().size(), 20u);
  auto dup = admin.Post("/api/v1/users", json::serialize(user), "application/json", headers);
  EXPECT_EQ(dup->status, 409);
  user["username"] = "Bad Name";
  auto bad = admin.Post("/api/v1/users", json::serialize(user), "application/json", headers);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body).at("field").as_string(), "username");

  TestClient practitioner = Client();
  std::string p_csrf = SignIn(practitioner, AccountWithRole("dpo"), std::chrono::seconds(0));
  EXPECT_EQ(practitioner.Get("/api/v1/users")->status, 403);
}

TEST_F(FoundationTest, MalformedRequestsGetA400) {
  auto raw = Client().SendRaw("GARBAGE\r\n\r\n");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->rfind("HTTP/1.1 400", 0), 0u) << *raw;
}

// Fail closed: while the audit database cannot be written, sign-in is refused with 503 and
// no session is created.
TEST(FoundationAuditTest, UnwritableAuditRefusesSignInAndChangesNothing) {
  TempDir dir;
  auto server = ServerProcess::Start("demo", dir.path());
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto accounts = ReadAccounts(dir.path());
  const Account& a = accounts.front();
  std::string main_db = (std::filesystem::path(dir.path()) / "contactpoint.db").string();
  std::string audit_db = (std::filesystem::path(dir.path()) / "audit.db").string();
  int64_t sessions_before = CountRows(main_db, "SELECT count(*) FROM session");
  int64_t entries_before = CountRows(audit_db, "SELECT count(*) FROM audit_entry");

  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(audit_db.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  TestClient client((*server)->port());
  json::object body{{"username", a.username}, {"password", a.password}, {"totp", CodeFor(a)}};
  auto refused = client.Post("/api/v1/session", json::serialize(body));
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 503) << refused->body;
  EXPECT_FALSE(refused->Header("Set-Cookie").has_value());
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);

  EXPECT_EQ(CountRows(main_db, "SELECT count(*) FROM session"), sessions_before);
  EXPECT_EQ(CountRows(audit_db, "SELECT count(*) FROM audit_entry"), entries_before);
  // Once the audit can be written again, the same code signs in (it was not consumed).
  auto ok = client.Post("/api/v1/session", json::serialize(body));
  EXPECT_EQ(ok->status, 200) << ok->body;
}

TEST(FoundationAuditTest, VerifyPassesThenDetectsATamperedEntry) {
  TempDir dir;
  {
    auto server = ServerProcess::Start("demo", dir.path());
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    TestClient client((*server)->port());
    (void)client.Post("/api/v1/session", R"({"username":"nobody","password":"x","totp":"1"})");
    EXPECT_EQ((*server)->Stop(), 0);
  }
  auto intact = RunContactPoint({"audit", "verify", "--data", dir.path()});
  EXPECT_EQ(intact.exit_code, 0) << intact.output;
  EXPECT_NE(intact.output.find("intact"), std::string::npos);

  std::string audit_db = (std::filesystem::path(dir.path()) / "audit.db").string();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(audit_db.c_str(), &db), SQLITE_OK);
  // Someone with the file drops the guard triggers and rewrites history.
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='trigger'", -1, &stmt, nullptr);
  std::vector<std::string> triggers;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    triggers.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  for (const auto& t : triggers) {
    ASSERT_EQ(sqlite3_exec(db, ("DROP TRIGGER " + t).c_str(), nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  ASSERT_EQ(sqlite3_exec(db, "UPDATE audit_entry SET actor='someone.else' WHERE seq=3", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto tampered = RunContactPoint({"audit", "verify", "--data", dir.path()});
  EXPECT_NE(tampered.exit_code, 0);
  EXPECT_NE(tampered.output.find("sequence 3"), std::string::npos) << tampered.output;
}

}  // namespace
}  // namespace cp::testing
