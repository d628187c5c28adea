// The browser UI's handlers against the real identity, workflow and api services on a
// temporary SQLite database, a fake clock and a fake audit sink. Requests go straight to the
// Router (no network); a tiny cookie jar plays the browser.
#include "web/web_ui.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "audit/testing/fake_audit_sink.h"
#include "auth/totp.h"
#include "crypto/encoding.h"
#include "crypto/secret_box.h"
#include "domain/child_record.h"
#include "identity/session_service.h"
#include "policy/access_reasons.h"
#include "store/sqlite/sqlite_child_store.h"
#include "store/sqlite/sqlite_organisation_store.h"
#include "store/sqlite/sqlite_session_store.h"
#include "store/sqlite/sqlite_shield_store.h"
#include "store/sqlite/sqlite_user_store.h"
#include "store/testing/memory_child_store.h"
#include "web/form.h"
#include "web/testing/page_checks.h"
#include "workflow/directory_index.h"
#include "workflow/directory_service.h"
#include "workflow/shielding_service.h"

namespace cp::web {
namespace {

using domain::Role;
using http::Response;

constexpr char kPassword[] = "a long passphrase for tests";
constexpr char kHost[] = "cp.test";
constexpr char kOrigin[] = "http://cp.test";

// One browser: its cookies, as the server set them.
struct Browser {
  std::map<std::string, std::string> cookies;  // Full names ("__Host-cp_session").
  std::string origin = kOrigin;

  std::string Cookie(std::string_view name) const {
    auto it = cookies.find("__Host-" + std::string(name));
    return it == cookies.end() ? std::string() : it->second;
  }
  void Absorb(const Response& response) {
    for (std::string_view header : response.headers().GetAll("Set-Cookie")) {
      const size_t eq = header.find('=');
      const size_t semi = header.find(';');
      std::string name(header.substr(0, eq));
      std::string value(header.substr(eq + 1, semi - eq - 1));
      if (header.find("Max-Age=0") != std::string_view::npos) {
        cookies.erase(name);
      } else {
        cookies[name] = value;
      }
    }
  }
};

std::string UrlEncode(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string FormBody(const Fields& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += UrlEncode(k) + "=" + UrlEncode(v);
  }
  return out;
}

// The value of the first hidden csrf_token field of `html`, or "".
std::string CsrfIn(const std::string& html) {
  static constexpr std::string_view kMarker = "name=\"csrf_token\" value=\"";
  const size_t at = html.find(kMarker);
  if (at == std::string::npos) return "";
  const size_t start = at + kMarker.size();
  return html.substr(start, html.find('"', start) - start);
}

bool Contains(const Response& r, std::string_view text) {
  return r.body().find(text) != std::string::npos;
}

std::string Location(const Response& r) {
  return std::string(r.headers().Get("Location").value_or(""));
}

class WebUiTest : public ::testing::Test {
 protected:
  WebUiTest()
      : clock_(Date::Parse("2026-06-01")->StartOfDay() + std::chrono::hours(9)),
        random_(99),
        box_(*crypto::SecretBox::FromKey(std::string(32, 'k'))),
        throttle_(clock_) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-webui-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    conn_ = *store::sqlite::OpenMainDatabase((dir_ / "main.db").string());
    orgs_ = std::make_unique<store::sqlite::SqliteOrganisationStore>(conn_);
    users_ = std::make_unique<store::sqlite::SqliteUserStore>(conn_);
    sessions_ = std::make_unique<store::sqlite::SqliteSessionStore>(conn_);
    org_id_ = *orgs_->Create(domain::Organisation{0, "LA-NORTH", "Northshire Council",
                                                  domain::OrganisationType::kLocalAuthority,
                                                  "LA-NORTH", "", true});
    identity::SignInConfig config;
    config.argon2 = crypto::Argon2Params::ForTests();
    sign_in_ = std::make_unique<identity::SignInService>(*users_, *orgs_, *sessions_, audit_,
                                                         clock_, random_, box_, throttle_, config);
    session_service_ =
        std::make_unique<identity::SessionService>(*users_, *orgs_, *sessions_, audit_, clock_);
    gate_ = std::make_unique<api::Gate>(*session_service_, audit_);
    accounts_ = std::make_unique<workflow::AccountAdmin>(
        *users_, *orgs_, *sessions_, audit_, throttle_, random_, crypto::Argon2Params::ForTests());
    directory_index_ = std::make_unique<workflow::DirectoryIndex>(children_);
    directory_ = std::make_unique<workflow::DirectoryService>(children_, *directory_index_, audit_,
                                                              "criteria-key");
    // Shielding runs on the SQLite child store (a shield and the record's flag are one
    // transaction); the directory pages above use the memory store.
    shield_children_ = std::make_unique<store::sqlite::SqliteChildStore>(
        conn_, box_, std::string(32, 'h'), &clock_);
    shields_ = std::make_unique<store::sqlite::SqliteShieldStore>(conn_, box_, clock_);
    named_persons_ = std::make_unique<workflow::StoreNamedPersonDirectory>(*users_, *orgs_);
    shielding_ = std::make_unique<workflow::ShieldingService>(*shield_children_, *shields_,
                                                              *named_persons_, audit_, clock_);
    router_ = std::make_shared<http::Router>();
    ASSERT_TRUE(
        RegisterWebUi(*router_, WebUiDeps{*gate_, *sign_in_, *accounts_, *orgs_, *directory_,
                                          *shielding_, clock_, random_, 900, 120})
            .ok());
    totp_key_ = std::string(20, 'z');
    AddUser("alice", {Role::kPractitioner}, /*enrolled=*/true);
    AddUser("root", {Role::kAdministrator}, /*enrolled=*/true);
    AddUser("newbie", {Role::kPractitioner}, /*enrolled=*/false);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  int64_t AddUser(const std::string& username, domain::RoleSet roles, bool enrolled) {
    domain::User u;
    u.username = username;
    u.display_name = "User " + username;
    u.organisation_id = org_id_;
    u.roles = roles;
    u.vetting = {Date::Parse("2025-01-01").value(), true, Date::Parse("2025-01-02").value(),
                 Date::Parse("2025-01-02").value()};
    domain::Credentials creds;
    creds.password_hash = *crypto::HashPassword(kPassword, crypto::Argon2Params::ForTests());
    int64_t id = *users_->Create(u, creds);
    if (enrolled) {
      EXPECT_TRUE(
          users_->SetTotpSecret(id, box_.Seal(totp_key_, "totp:" + std::to_string(id)), true).ok());
    }
    return id;
  }

  // A fresh code (the clock moves on a step first, so no code is a replay).
  std::string NextCode() {
    clock_.Advance(std::chrono::seconds(30));
    return auth::Totp(totp_key_, clock_.Now());
  }

  Response Send(Browser& browser, std::string method, std::string target, std::string body = {},
                bool form = true) {
    http::RequestInit init;
    init.method = std::move(method);
    init.target = std::move(target);
    init.headers.Add("Host", kHost);
    if (init.method == "POST") {
      if (!browser.origin.empty()) init.headers.Add("Origin", browser.origin);
      if (form) init.headers.Add("Content-Type", "application/x-www-form-urlencoded");
    }
    std::string cookie_header;
    for (const auto& [k, v] : browser.cookies) {
      if (!cookie_header.empty()) cookie_header += "; ";
      cookie_header += k + "=" + v;
    }
    if (!cookie_header.empty()) init.headers.Add("Cookie", cookie_header);
    init.body = std::move(body);
    init.client_ip = "10.1.2.3";
    init.request_id = "req-" + std::to_string(++requests_);
    auto request = http::Request::Create(std::move(init));
    EXPECT_TRUE(request.ok()) << request.status().ToString();
    Response response = router_->Handle(*request);
    browser.Absorb(response);
    if (response.content_type().starts_with("text/html")) {
      auto problems = testing::CheckPage(response.body());
      EXPECT_TRUE(problems.empty()) << target << ": " << problems.front();
    }
    return response;
  }

  Response Get(Browser& b, std::string target) { return Send(b, "GET", std::move(target)); }
  Response Post(Browser& b, std::string target, const Fields& fields) {
    return Send(b, "POST", std::move(target), FormBody(fields));
  }

  // Password step with the page's own pre-session token.
  Response SubmitPassword(Browser& b, const std::string& username,
                          const std::string& password = kPassword) {
    Response page = Get(b, "/sign-in");
    EXPECT_EQ(page.status(), 200);
    return Post(
        b, "/sign-in",
        {{"csrf_token", CsrfIn(page.body())}, {"username", username}, {"password", password}});
  }

  Response SubmitCode(Browser& b, const std::string& code) {
    Response page = Get(b, "/sign-in/code");
    EXPECT_EQ(page.status(), 200);
    return Post(b, "/sign-in/code", {{"csrf_token", CsrfIn(page.body())}, {"code", code}});
  }

  // Signs `username` in completely; returns the home page's CSRF token.
  std::string SignIn(Browser& b, const std::string& username) {
    Response r = SubmitPassword(b, username);
    EXPECT_EQ(r.status(), 303);
    EXPECT_EQ(Location(r), "/sign-in/code");
    r = SubmitCode(b, NextCode());
    EXPECT_EQ(r.status(), 303);
    EXPECT_EQ(Location(r), "/");
    Response home = Get(b, "/");
    EXPECT_EQ(home.status(), 200);
    return CsrfIn(home.body());
  }

  FakeClock clock_;
  SeededRandom random_;
  crypto::SecretBox box_;
  auth::LoginThrottle throttle_;
  audit::testing::FakeAuditSink audit_;
  std::filesystem::path dir_;
  std::shared_ptr<store::sqlite::SharedConnection> conn_;
  std::unique_ptr<store::sqlite::SqliteOrganisationStore> orgs_;
  std::unique_ptr<store::sqlite::SqliteUserStore> users_;
  std::unique_ptr<store::sqlite::SqliteSessionStore> sessions_;
  std::unique_ptr<identity::SignInService> sign_in_;
  std::unique_ptr<identity::SessionService> session_service_;
  std::unique_ptr<api::Gate> gate_;
  std::unique_ptr<workflow::AccountAdmin> accounts_;
  store::testing::MemoryChildStore children_;
  std::unique_ptr<workflow::DirectoryIndex> directory_index_;
  std::unique_ptr<workflow::DirectoryService> directory_;
  std::unique_ptr<store::sqlite::SqliteChildStore> shield_children_;
  std::unique_ptr<store::sqlite::SqliteShieldStore> shields_;
  std::unique_ptr<workflow::StoreNamedPersonDirectory> named_persons_;
  std::unique_ptr<workflow::ShieldingService> shielding_;
  std::shared_ptr<http::Router> router_;
  std::string totp_key_;
  int64_t org_id_ = 0;
  int requests_ = 0;
};

// ---- Sign-in ------------------------------------------------------------------------------

TEST_F(WebUiTest, FullSignInFlowReachesHome) {
  Browser b;
  Response page = Get(b, "/sign-in");
  ASSERT_EQ(page.status(), 200);
  const std::string presession = b.Cookie(kPreSessionCookie);
  ASSERT_FALSE(presession.empty());
  EXPECT_EQ(CsrfIn(page.body()), presession);  // Double-submit: the form repeats the cookie.

  Response r = Post(b, "/sign-in",
                    {{"csrf_token", presession}, {"username", "alice"}, {"password", kPassword}});
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/sign-in/code");
  EXPECT_FALSE(b.Cookie(api::kPendingCookie).empty());
  EXPECT_TRUE(b.Cookie(api::kSessionCookie).empty());

  page = Get(b, "/sign-in/code");
  ASSERT_EQ(page.status(), 200);
  EXPECT_TRUE(Contains(page, "autocomplete=\"one-time-code\""));
  r = Post(b, "/sign-in/code", {{"csrf_token", CsrfIn(page.body())}, {"code", NextCode()}});
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/");
  EXPECT_TRUE(b.Cookie(api::kPendingCookie).empty());
  const std::string token = b.Cookie(api::kSessionCookie);
  ASSERT_FALSE(token.empty());
  EXPECT_TRUE(session_service_->Authenticate(token, "10.1.2.3").ok());

  Response home = Get(b, "/");
  ASSERT_EQ(home.status(), 200);
  EXPECT_TRUE(Contains(home, "Welcome, User alice"));
  EXPECT_TRUE(Contains(home, "name=\"cp-session-idle-seconds\" content=\"900\""));
  EXPECT_TRUE(Contains(home, "name=\"cp-session-warn-seconds\" content=\"120\""));
  auto principal = session_service_->Authenticate(token, "10.1.2.3");
  EXPECT_EQ(CsrfIn(home.body()), principal->session.csrf_token);
  EXPECT_EQ(audit_.EventsWithAction("auth.sign_in").back().outcome, "success");
}

TEST_F(WebUiTest, WrongPasswordEndsInTheGenericFailure) {
  Browser b;
  Response r = SubmitPassword(b, "alice", "not the passphrase");
  // The password step never says the password was wrong (no enumeration).
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/sign-in/code");
  const std::string pending = b.Cookie(api::kPendingCookie);
  r = SubmitCode(b, NextCode());
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/sign-in?error=failed");
  EXPECT_TRUE(b.Cookie(api::kPendingCookie).empty());
  EXPECT_TRUE(b.Cookie(api::kSessionCookie).empty());
  Response page = Get(b, "/sign-in?error=failed");
  EXPECT_TRUE(Contains(page, "govuk-error-summary"));
  EXPECT_TRUE(Contains(page, std::string(identity::kGenericFailure)));
  EXPECT_TRUE(page.body().find("<title>Error: ") != std::string::npos);

  // The pending token was single-use.
  b.cookies["__Host-cp_pending"] = pending;
  Response code_page = Get(b, "/sign-in/code");
  r = Post(b, "/sign-in/code", {{"csrf_token", CsrfIn(code_page.body())}, {"code", NextCode()}});
  EXPECT_EQ(Location(r), "/sign-in?error=expired");
}

TEST_F(WebUiTest, MissingFieldsAreFieldErrors) {
  Browser b;
  Response page = Get(b, "/sign-in");
  Response r = Post(b, "/sign-in", {{"csrf_token", CsrfIn(page.body())}, {"username", " "}});
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "Enter your username"));
  EXPECT_TRUE(Contains(r, "Enter your password"));
  EXPECT_TRUE(Contains(r, "href=\"#username\""));
  EXPECT_TRUE(audit_.EventsWithAction("auth.sign_in").empty());

  Response pw = SubmitPassword(b, "alice");
  ASSERT_EQ(pw.status(), 303);
  Response code_page = Get(b, "/sign-in/code");
  r = Post(b, "/sign-in/code", {{"csrf_token", CsrfIn(code_page.body())}, {"code", ""}});
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "Enter the code from your authenticator app"));
  r = Post(b, "/sign-in/code", {{"csrf_token", CsrfIn(code_page.body())}, {"code", "12ab"}});
  EXPECT_EQ(r.status(), 400);
  // A malformed code does not use up the pending sign-in.
  r = Post(b, "/sign-in/code", {{"csrf_token", CsrfIn(code_page.body())}, {"code", NextCode()}});
  EXPECT_EQ(Location(r), "/");
}

TEST_F(WebUiTest, TooManyAttemptsIsSaidPlainly) {
  Browser b;
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(SubmitPassword(b, "alice", "wrong").status(), 303);
    ASSERT_EQ(Location(SubmitCode(b, "000000")), "/sign-in?error=failed");
  }
  Response r = SubmitPassword(b, "alice");
  EXPECT_EQ(r.status(), 429);
  EXPECT_TRUE(Contains(r, std::string(kTooManyAttempts)));
}

TEST_F(WebUiTest, VettingProblemIsShownAfterEveryFactor) {
  auto user = *users_->GetByUsername("alice");
  user.vetting.isa_registered = false;
  ASSERT_TRUE(users_->UpdateProfile(user).ok());
  Browser b;
  ASSERT_EQ(SubmitPassword(b, "alice").status(), 303);
  Response r = SubmitCode(b, NextCode());
  EXPECT_EQ(r.status(), 403);
  EXPECT_TRUE(Contains(r, "Your ISA registration is not recorded"));
  EXPECT_TRUE(b.Cookie(api::kSessionCookie).empty());
}

TEST_F(WebUiTest, AuditFailureAtSignInIs503) {
  Browser b;
  Response page = Get(b, "/sign-in");
  audit_.SetFailing(true);
  Response r =
      Post(b, "/sign-in",
           {{"csrf_token", CsrfIn(page.body())}, {"username", "newbie"}, {"password", kPassword}});
  EXPECT_EQ(r.status(), 503);
  EXPECT_TRUE(Contains(r, "Sorry, the service is unavailable"));
  EXPECT_TRUE(b.Cookie(api::kSessionCookie).empty());
}

// ---- Enrolment ----------------------------------------------------------------------------

TEST_F(WebUiTest, EnrolmentFlow) {
  Browser b;
  Response r = SubmitPassword(b, "newbie");
  ASSERT_EQ(r.status(), 303);
  ASSERT_EQ(Location(r), "/enrol");
  const std::string enrol_token = b.Cookie(api::kSessionCookie);
  ASSERT_FALSE(enrol_token.empty());
  // An enrolment-stage session is not signed in.
  EXPECT_EQ(Location(Get(b, "/")), "/sign-in");
  b.cookies["__Host-cp_session"] = enrol_token;

  Response page = Get(b, "/enrol");
  ASSERT_EQ(page.status(), 200);
  EXPECT_TRUE(Contains(page, "aria-label=\"QR code for your authenticator app\""));
  const std::string marker = "id=\"secret-key\">";
  const size_t at = page.body().find(marker);
  ASSERT_NE(at, std::string::npos);
  std::string key_text =
      page.body().substr(at + marker.size(), page.body().find('<', at) - at - marker.size());
  std::erase(key_text, ' ');
  auto key = crypto::Base32Decode(key_text);
  ASSERT_TRUE(key.ok()) << key_text;
  const std::string csrf = CsrfIn(page.body());

  r = Post(b, "/enrol", {{"csrf_token", csrf}, {"code", "000000"}});
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "The code is not right"));
  EXPECT_TRUE(Contains(r, "href=\"#code\""));

  clock_.Advance(std::chrono::seconds(30));
  r = Post(b, "/enrol", {{"csrf_token", csrf}, {"code", auth::Totp(*key, clock_.Now())}});
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/");
  const std::string full_token = b.Cookie(api::kSessionCookie);
  EXPECT_NE(full_token, enrol_token);  // Rotated.
  EXPECT_FALSE(session_service_->Authenticate(enrol_token, "10.1.2.3", true).ok());
  EXPECT_EQ(Get(b, "/").status(), 200);
  // A full session has nothing to enrol.
  EXPECT_EQ(Location(Get(b, "/enrol")), "/");
}

TEST_F(WebUiTest, EnrolWithoutSessionRedirects) {
  Browser b;
  EXPECT_EQ(Location(Get(b, "/enrol")), "/sign-in");
  EXPECT_EQ(Location(Post(b, "/enrol", {{"code", "123456"}})), "/sign-in");
}

// ---- CSRF ---------------------------------------------------------------------------------

TEST_F(WebUiTest, SignInPostsNeedTheDoubleSubmitTokenAndOrigin) {
  Browser b;
  Response page = Get(b, "/sign-in");
  const std::string token = CsrfIn(page.body());
  const Fields creds = {{"username", "alice"}, {"password", kPassword}};
  auto with_token = [&](std::string t) {
    Fields f = creds;
    f.emplace_back("csrf_token", std::move(t));
    return f;
  };

  Response r = Post(b, "/sign-in", creds);  // Missing token.
  EXPECT_EQ(r.status(), 403);
  EXPECT_TRUE(Contains(r, "The form had expired"));
  r = Post(b, "/sign-in", with_token("not-the-cookie-value-at-all"));
  EXPECT_EQ(r.status(), 403);
  b.origin = "https://evil.example";
  r = Post(b, "/sign-in", with_token(token));
  EXPECT_EQ(r.status(), 403);
  EXPECT_TRUE(Contains(r, "You do not have access"));
  // (A request with neither Origin nor Referer is the Gate's call: Gate::OriginAllowed.)
  // A token in the form but no cookie (a forged cross-site post).
  Browser other;
  EXPECT_EQ(Post(other, "/sign-in", with_token(token)).status(), 403);

  EXPECT_TRUE(b.Cookie(api::kPendingCookie).empty());
  EXPECT_TRUE(audit_.EventsWithAction("auth.sign_in").empty());
  EXPECT_EQ(audit_.EventsWithAction("access.denied").size(), 4u);

  b.origin = kOrigin;
  EXPECT_EQ(Post(b, "/sign-in", with_token(token)).status(), 303);

  // The code step likewise.
  Response code_page = Get(b, "/sign-in/code");
  const std::string code_token = CsrfIn(code_page.body());
  EXPECT_EQ(Post(b, "/sign-in/code", {{"code", NextCode()}}).status(), 403);
  EXPECT_EQ(
      Post(b, "/sign-in/code", {{"csrf_token", "x" + code_token}, {"code", NextCode()}}).status(),
      403);
  b.origin = "http://cp.test:8443";
  EXPECT_EQ(Post(b, "/sign-in/code", {{"csrf_token", code_token}, {"code", NextCode()}}).status(),
            403);
  b.origin = kOrigin;
  EXPECT_TRUE(b.Cookie(api::kSessionCookie).empty());
  // None of that used up the pending sign-in.
  EXPECT_EQ(Location(Post(b, "/sign-in/code", {{"csrf_token", code_token}, {"code", NextCode()}})),
            "/");
}

TEST_F(WebUiTest, SignedInPostsNeedTheSessionTokenAndOrigin) {
  Browser b;
  const std::string csrf = SignIn(b, "root");
  ASSERT_FALSE(csrf.empty());
  const Fields user = {{"username", "bob"},
                       {"display_name", "Bob Jones"},
                       {"organisation_id", std::to_string(org_id_)},
                       {"roles", "practitioner"}};
  auto with_token = [&](std::string t) {
    Fields f = user;
    f.emplace_back("csrf_token", std::move(t));
    return f;
  };
  EXPECT_EQ(Post(b, "/admin/users", user).status(), 403);
  EXPECT_EQ(Post(b, "/admin/users", with_token("wrong")).status(), 403);
  // The pre-session token is not the session's.
  EXPECT_EQ(Post(b, "/admin/users", with_token(b.Cookie(kPreSessionCookie))).status(), 403);
  b.origin = "https://evil.example";
  EXPECT_EQ(Post(b, "/admin/users", with_token(csrf)).status(), 403);
  EXPECT_EQ(Post(b, "/sign-out", {{"csrf_token", csrf}}).status(), 403);
  EXPECT_EQ(Post(b, "/admin/users/alice/unlock", {{"csrf_token", csrf}}).status(), 403);
  b.origin = kOrigin;
  EXPECT_EQ(Post(b, "/sign-out", {}).status(), 403);
  EXPECT_EQ(Post(b, "/admin/organisations", {{"csrf_token", "nope"}}).status(), 403);
  EXPECT_FALSE(users_->GetByUsername("bob").ok());
  EXPECT_EQ(Get(b, "/").status(), 200);  // Still signed in.

  // Enrolment's post takes the enrolment session's token.
  Browser n;
  ASSERT_EQ(Location(SubmitPassword(n, "newbie")), "/enrol");
  Response page = Get(n, "/enrol");
  EXPECT_EQ(Post(n, "/enrol", {{"code", "123456"}}).status(), 403);
  EXPECT_EQ(Post(n, "/enrol", {{"csrf_token", "wrong"}, {"code", "123456"}}).status(), 403);
  n.origin = "https://evil.example";
  EXPECT_EQ(Post(n, "/enrol", {{"csrf_token", CsrfIn(page.body())}, {"code", "123456"}}).status(),
            403);
  EXPECT_TRUE(audit_.EventsWithAction("auth.enrol").empty());
}

TEST_F(WebUiTest, NonFormBodiesAreRefused) {
  Browser b;
  const std::string csrf = SignIn(b, "root");
  Response r = Send(b, "POST", "/admin/users", "{\"csrf_token\":\"" + csrf + "\"}", false);
  EXPECT_EQ(r.status(), 400);
  r = Send(b, "POST", "/admin/users", "csrf_token=" + csrf + "&username=%zz");
  EXPECT_EQ(r.status(), 400);
}

// ---- Signed-in pages ----------------------------------------------------------------------

TEST_F(WebUiTest, UnauthenticatedRequestsGoToSignIn) {
  Browser b;
  for (const char* path : {"/", "/admin/users", "/admin/users/new", "/admin/users/alice",
                           "/admin/organisations", "/admin/organisations/LA-NORTH"}) {
    Response r = Get(b, path);
    EXPECT_EQ(r.status(), 303) << path;
    EXPECT_EQ(Location(r), "/sign-in") << path;
  }
  EXPECT_EQ(Location(Post(b, "/admin/users", {{"username", "x"}})), "/sign-in");
  b.cookies["__Host-cp_session"] = "forged-or-expired-token";
  EXPECT_EQ(Location(Get(b, "/")), "/sign-in");
  EXPECT_TRUE(b.Cookie(api::kSessionCookie).empty());  // Cleared.
}

TEST_F(WebUiTest, NonAdministratorGets403) {
  Browser b;
  SignIn(b, "alice");
  const std::string csrf = CsrfIn(Get(b, "/").body());
  for (const char* path : {"/admin/users", "/admin/users/new", "/admin/users/root",
                           "/admin/organisations", "/admin/organisations/new"}) {
    Response r = Get(b, path);
    EXPECT_EQ(r.status(), 403) << path;
    EXPECT_TRUE(Contains(r, "You do not have access")) << path;
    EXPECT_TRUE(Contains(r, "Sign out")) << path;  // Still the signed-in layout.
  }
  Response r = Post(b, "/admin/users",
                    {{"csrf_token", csrf},
                     {"username", "bob"},
                     {"display_name", "Bob"},
                     {"organisation_id", std::to_string(org_id_)},
                     {"roles", "administrator"}});
  EXPECT_EQ(r.status(), 403);
  EXPECT_FALSE(users_->GetByUsername("bob").ok());
  auto denied = audit_.EventsWithAction("access.denied");
  ASSERT_FALSE(denied.empty());
  EXPECT_EQ(denied.back().reason,
            "rbac:" + std::string(policy::PermissionName(policy::Permission::kManageUsers)));
}

TEST_F(WebUiTest, SignOutEndsTheSession) {
  Browser b;
  const std::string csrf = SignIn(b, "alice");
  const std::string token = b.Cookie(api::kSessionCookie);
  Response r = Post(b, "/sign-out", {{"csrf_token", csrf}});
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/signed-out");
  EXPECT_TRUE(b.Cookie(api::kSessionCookie).empty());
  EXPECT_EQ(session_service_->Authenticate(token, "10.1.2.3").status().code(),
            StatusCode::kUnauthenticated);
  Response page = Get(b, "/signed-out");
  EXPECT_TRUE(Contains(page, "You have signed out"));
  // The old cookie is worthless.
  b.cookies["__Host-cp_session"] = token;
  EXPECT_EQ(Location(Get(b, "/")), "/sign-in");
  EXPECT_EQ(audit_.EventsWithAction("auth.sign_out").size(), 1u);
}

TEST_F(WebUiTest, IdleTimeoutSignOut) {
  Browser b;
  SignIn(b, "alice");
  const std::string token = b.Cookie(api::kSessionCookie);
  Response r = Get(b, "/sign-out?reason=timeout");
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/signed-out?reason=timeout");
  EXPECT_TRUE(b.Cookie(api::kSessionCookie).empty());
  EXPECT_FALSE(session_service_->Authenticate(token, "10.1.2.3").ok());
  EXPECT_TRUE(Contains(Get(b, "/signed-out?reason=timeout"), "You have been signed out"));

  // Already expired on the server: still a clean redirect.
  Browser c;
  SignIn(c, "root");
  clock_.Advance(std::chrono::minutes(16));
  r = Get(c, "/sign-out?reason=timeout");
  EXPECT_EQ(Location(r), "/signed-out?reason=timeout");
  EXPECT_TRUE(c.Cookie(api::kSessionCookie).empty());
}

TEST_F(WebUiTest, AuditFailureAtSignOutKeepsTheSession) {
  Browser b;
  const std::string csrf = SignIn(b, "alice");
  audit_.SetFailing(true);
  Response r = Post(b, "/sign-out", {{"csrf_token", csrf}});
  EXPECT_EQ(r.status(), 503);
  audit_.SetFailing(false);
  EXPECT_EQ(Get(b, "/").status(), 200);
}

// ---- Administration -----------------------------------------------------------------------

TEST_F(WebUiTest, AdminCreatesAUserAfterAValidationError) {
  Browser b;
  const std::string csrf = SignIn(b, "root");
  Response list = Get(b, "/admin/users");
  ASSERT_EQ(list.status(), 200);
  EXPECT_TRUE(Contains(list, "href=\"/admin/users/alice\""));
  ASSERT_EQ(Get(b, "/admin/users/new").status(), 200);

  // Everything missing: several field errors at once, linked to their fields.
  Response r = Post(b, "/admin/users", {{"csrf_token", csrf}});
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(r.body().find("<title>Error: ") != std::string::npos);
  for (const char* href : {"#username", "#display_name", "#organisation_id", "#roles"}) {
    EXPECT_TRUE(Contains(r, std::string("href=\"") + href + "\"")) << href;
  }

  Fields fields = {{"csrf_token", csrf},
                   {"username", "bob.jones"},
                   {"display_name", "Bob Jones"},
                   {"email", "not an email"},
                   {"organisation_id", std::to_string(org_id_)},
                   {"roles", "practitioner"},
                   {"roles", "shielder"},
                   {"crb_check_date-day", "1"},
                   {"crb_check_date-month", "2"},
                   {"crb_check_date-year", "2026"},
                   {"isa_registered", "yes"},
                   {"training_date-day", "31"},
                   {"training_date-month", "2"},
                   {"training_date-year", "2026"},
                   {"agreement_date-day", "1"},
                   {"agreement_date-month", "4"},
                   {"agreement_date-year", "2026"}};
  r = Post(b, "/admin/users", fields);
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "Date ContactPoint training was completed must be a real date"));
  EXPECT_TRUE(Contains(r, "value=\"Bob Jones\""));  // Re-filled.
  fields[12].second = "3";                          // 31 March.
  r = Post(b, "/admin/users", fields);
  // The workflow layer's own validation (email), mapped to the field.
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "href=\"#email\""));
  EXPECT_FALSE(users_->GetByUsername("bob.jones").ok());

  fields[3].second = "bob@example.org.uk";
  r = Post(b, "/admin/users", fields);
  ASSERT_EQ(r.status(), 200) << r.body();
  EXPECT_TRUE(Contains(r, "id=\"initial-password\">"));
  EXPECT_TRUE(Contains(r, "User bob.jones added"));
  auto bob = users_->GetByUsername("bob.jones");
  ASSERT_TRUE(bob.ok());
  EXPECT_TRUE(bob->roles.Has(Role::kShielder));
  EXPECT_EQ(bob->vetting.training_completed, Date::Parse("2026-03-31").value());
  EXPECT_TRUE(bob->vetting.isa_registered);
  // The password is on that page only.
  const std::string marker = "id=\"initial-password\">";
  const size_t at = r.body().find(marker) + marker.size();
  const std::string password = r.body().substr(at, r.body().find('<', at) - at);
  EXPECT_EQ(password.size(), 20u);
  EXPECT_FALSE(Contains(Get(b, "/admin/users/bob.jones"), password));
  // And it works: bob goes on to enrol.
  Browser bb;
  EXPECT_EQ(Location(SubmitPassword(bb, "bob.jones", password)), "/enrol");

  // A taken username.
  r = Post(b, "/admin/users", fields);
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "That username is already taken"));
}

TEST_F(WebUiTest, AuditFailureMeans503AndNoUser) {
  Browser b;
  const std::string csrf = SignIn(b, "root");
  audit_.SetFailing(true);
  Response r = Post(b, "/admin/users",
                    {{"csrf_token", csrf},
                     {"username", "carol"},
                     {"display_name", "Carol"},
                     {"organisation_id", std::to_string(org_id_)},
                     {"roles", "practitioner"}});
  EXPECT_EQ(r.status(), 503);
  EXPECT_TRUE(Contains(r, "Sorry, the service is unavailable"));
  audit_.SetFailing(false);
  EXPECT_FALSE(users_->GetByUsername("carol").ok());
}

TEST_F(WebUiTest, AdminEditsAUserWithOptimisticVersion) {
  Browser b;
  const std::string csrf = SignIn(b, "root");
  Response page = Get(b, "/admin/users/alice");
  ASSERT_EQ(page.status(), 200);
  EXPECT_TRUE(Contains(page, "name=\"version\" value=\"1\""));
  EXPECT_EQ(Get(b, "/admin/users/nobody").status(), 404);

  const Fields base = {{"csrf_token", csrf},
                       {"display_name", "Alice Smith"},
                       {"organisation_id", std::to_string(org_id_)},
                       {"roles", "practitioner"},
                       {"roles", "management"},
                       {"crb_check_date-day", "1"},
                       {"crb_check_date-month", "1"},
                       {"crb_check_date-year", "2025"},
                       {"isa_registered", "yes"},
                       {"training_date-day", "2"},
                       {"training_date-month", "1"},
                       {"training_date-year", "2025"},
                       {"agreement_date-day", "2"},
                       {"agreement_date-month", "1"},
                       {"agreement_date-year", "2025"},
                       {"status", "active"}};
  Fields stale = base;
  stale.emplace_back("version", "0");
  Response r = Post(b, "/admin/users/alice", stale);
  EXPECT_EQ(r.status(), 409);
  EXPECT_TRUE(Contains(r, "Someone else changed this user"));

  Fields fields = base;
  fields.emplace_back("version", "1");
  r = Post(b, "/admin/users/alice", fields);
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/admin/users/alice");
  auto alice = users_->GetByUsername("alice");
  EXPECT_EQ(alice->display_name, "Alice Smith");
  EXPECT_TRUE(alice->roles.Has(Role::kManagement));
  // The success message is shown once.
  page = Get(b, "/admin/users/alice");
  EXPECT_TRUE(Contains(page, "User details saved"));
  EXPECT_FALSE(Contains(Get(b, "/admin/users/alice"), "User details saved"));

  // Disabling ends the user's sessions.
  Browser a;
  SignIn(a, "alice");
  fields.back().second = "2";
  fields[15].second = "disabled";
  ASSERT_EQ(Post(b, "/admin/users/alice", fields).status(), 303);
  EXPECT_EQ(Location(Get(a, "/")), "/sign-in");
}

TEST_F(WebUiTest, AdminUnlocksAndResetsToken) {
  auto alice = *users_->GetByUsername("alice");
  ASSERT_TRUE(users_->SetLockedUntil(alice.id, clock_.Now() + std::chrono::hours(1)).ok());
  Browser b;
  const std::string csrf = SignIn(b, "root");
  Response page = Get(b, "/admin/users/alice");
  EXPECT_TRUE(Contains(page, "action=\"/admin/users/alice/unlock\""));
  EXPECT_TRUE(Contains(Get(b, "/admin/users"), "Locked"));

  Response r = Post(b, "/admin/users/alice/unlock", {{"csrf_token", csrf}});
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/admin/users/alice");
  EXPECT_FALSE(users_->GetByUsername("alice")->locked_until.has_value());
  EXPECT_TRUE(Contains(Get(b, "/admin/users/alice"), "Account unlocked"));

  r = Post(b, "/admin/users/alice/reset-token", {{"csrf_token", csrf}});
  ASSERT_EQ(r.status(), 303);
  EXPECT_FALSE(users_->GetCredentials(alice.id)->totp_enrolled);
  Browser a;
  EXPECT_EQ(Location(SubmitPassword(a, "alice")), "/enrol");

  EXPECT_EQ(Post(b, "/admin/users/nobody/unlock", {{"csrf_token", csrf}}).status(), 404);
}

TEST_F(WebUiTest, AdminManagesOrganisations) {
  Browser b;
  const std::string csrf = SignIn(b, "root");
  Response list = Get(b, "/admin/organisations");
  ASSERT_EQ(list.status(), 200);
  EXPECT_TRUE(Contains(list, "Northshire Council"));
  Response form = Get(b, "/admin/organisations/new");
  EXPECT_TRUE(Contains(form, "<option value=\"LA-NORTH\">Northshire Council</option>"));

  Fields fields = {
      {"csrf_token", csrf},          {"code", "SCH-1"},
      {"name", "St Mary's Primary"}, {"type", "school"},
      {"area", "LA-NORTH"},          {"allowed_networks", "10.0.0.0/8\r\nnot-a-network"}};
  Response r = Post(b, "/admin/organisations", fields);
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "href=\"#allowed_networks\""));
  fields[5].second = "10.0.0.0/8\r\n192.0.2.0/24\r\n";
  r = Post(b, "/admin/organisations", fields);
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/admin/organisations");
  auto school = orgs_->GetByCode("SCH-1");
  ASSERT_TRUE(school.ok());
  EXPECT_EQ(school->allowed_networks, "10.0.0.0/8,192.0.2.0/24");
  EXPECT_TRUE(Contains(Get(b, "/admin/organisations"), "Organisation added"));

  // A local authority's area defaults to itself.
  r = Post(b, "/admin/organisations",
           {{"csrf_token", csrf},
            {"code", "LA-SOUTH"},
            {"name", "Southshire"},
            {"type", "local_authority"}});
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(orgs_->GetByCode("LA-SOUTH")->local_authority_code, "LA-SOUTH");

  Response edit = Get(b, "/admin/organisations/SCH-1");
  ASSERT_EQ(edit.status(), 200);
  EXPECT_TRUE(Contains(edit, "10.0.0.0/8\n192.0.2.0/24</textarea>"));
  r = Post(b, "/admin/organisations/SCH-1",
           {{"csrf_token", csrf},
            {"name", "St Mary's School"},
            {"type", "school"},
            {"area", "LA-SOUTH"},
            {"allowed_networks", ""}});
  ASSERT_EQ(r.status(), 303);
  school = orgs_->GetByCode("SCH-1");
  EXPECT_EQ(school->name, "St Mary's School");
  EXPECT_EQ(school->local_authority_code, "LA-SOUTH");
  EXPECT_EQ(Get(b, "/admin/organisations/NOPE").status(), 404);

  r = Post(
      b, "/admin/organisations/SCH-1",
      {{"csrf_token", csrf}, {"name", "St Mary's School"}, {"type", "school"}, {"area", "SCH-1"}});
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "href=\"#area\""));
}

// ---- HTML errors --------------------------------------------------------------------------

TEST_F(WebUiTest, HtmlErrorWrapper) {
  ASSERT_TRUE(
      router_->Get("/api/v1/thing", [](const http::Request&) { return Response::Text("ok"); })
          .ok());
  auto handler = WithHtmlErrors(router_);
  auto send = [&](std::string method, std::string target) {
    http::RequestInit init;
    init.method = std::move(method);
    init.target = std::move(target);
    return handler->Handle(*http::Request::Create(std::move(init)));
  };
  Response r = send("GET", "/no/such/page");
  EXPECT_EQ(r.status(), 404);
  EXPECT_TRUE(r.content_type().starts_with("text/html"));
  EXPECT_TRUE(Contains(r, "Page not found"));
  EXPECT_TRUE(testing::CheckPage(r.body()).empty());

  r = send("DELETE", "/sign-in");
  EXPECT_EQ(r.status(), 405);
  EXPECT_TRUE(r.content_type().starts_with("text/html"));
  EXPECT_TRUE(r.headers().Get("Allow").has_value());

  r = send("GET", "/api/v1/nothing");
  EXPECT_EQ(r.status(), 404);
  EXPECT_TRUE(r.content_type().starts_with("application/json"));
  EXPECT_EQ(send("GET", "/api/v1/thing").body(), "ok");
  EXPECT_EQ(send("GET", "/signed-out").status(), 200);
}

// ---- Directory: search and records --------------------------------------------------------

class DirectoryWebTest : public WebUiTest {
 protected:
  void SetUp() override {
    WebUiTest::SetUp();
    AddUser("mona", {Role::kManagement}, /*enrolled=*/true);
    amelia_ = AddChild(Amelia());
    ruby_ = AddChild(Ruby());
  }

  static domain::Provenance Src(std::string code) {
    return {std::move(code), FromUnixSeconds(1'780'000'000)};
  }

  domain::ChildRecord AddChild(domain::ChildRecord r) {
    r.uin = domain::Uin::Generate(random_);
    r.id = *children_.Create(r);
    EXPECT_TRUE(directory_index_->SyncNow().ok());
    return r;
  }

  static domain::ChildRecord Basic(std::string given, std::string family, std::string dob) {
    domain::ChildRecord r;
    r.name = {std::move(given), std::move(family), Src("SCH-OAK")};
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = *Date::Parse(dob);
    r.core_provenance = Src("SCH-OAK");
    r.address = {domain::AddressStatus::kCurrent,
                 "14 Larch Avenue",
                 "",
                 "Northtown",
                 "NT4 7QP",
                 {},
                 Src("LA-NORTH")};
    r.responsible_authority = "LA-NORTH";
    return r;
  }

  static domain::ChildRecord Amelia() {
    domain::ChildRecord r = Basic("Amelia", "Okafor", "2015-04-03");
    r.known_as.push_back({"Millie", "Okafor", Src("SCH-OAK")});
    r.carers.push_back({"Grace Okafor", "mother", "07700 900412", "", Src("SCH-OAK")});
    r.education = domain::EducationSetting{"Oakfield Primary School",
                                           Date::Parse("2020-09-01").value(), Src("SCH-OAK")};
    r.gp = domain::GpPractice{"Elm Tree Medical Practice", "01632 960 114", Src("HLT-ELM")};
    r.involvements.push_back({0,
                              "education",
                              "Pat Teacher",
                              "Oakfield Primary School",
                              "01632 960 201",
                              "pat.teacher@example.org.uk",
                              Date::Parse("2025-09-01").value(),
                              {},
                              false,
                              false,
                              domain::SensitiveBasis::kNone,
                              Src("SCH-OAK")});
    r.involvements.push_back({0,
                              "family_support",
                              "Dev Mistry",
                              "Northshire Council",
                              "01632 960 450",
                              "dev.mistry@example.org.uk",
                              Date::Parse("2026-02-01").value(),
                              {},
                              true,
                              true,
                              domain::SensitiveBasis::kNone,
                              Src("LA-NORTH")});
    return r;
  }

  // A shielded child whose every hidden item is a distinctive string (kRubyHidden).
  static domain::ChildRecord Ruby() {
    domain::ChildRecord r = Basic("Ruby", "Stone", "2018-06-06");
    r.former_names.push_back({"Ruby", "Marshwood", Src("VOL-HAVEN")});
    r.known_as.push_back({"Rubes", "Stone", Src("VOL-HAVEN")});
    r.address = {domain::AddressStatus::kCurrent,
                 "Flat 3, 9 Willow Court",
                 "",
                 "Hiddenford",
                 "ZZ9 8QX",
                 {},
                 Src("VOL-HAVEN")};
    r.carers.push_back(
        {"Laura Stonebridge", "mother", "07700 900733", "laura@example.org", Src("VOL-HAVEN")});
    r.education = domain::EducationSetting{"Quietwater Academy", {}, Src("VOL-HAVEN")};
    r.gp = domain::GpPractice{"Lantern Surgery", "01632 960 777", Src("VOL-HAVEN")};
    r.involvements.push_back({0,
                              "social_care",
                              "Sally Warden",
                              "Haven Refuge Trust",
                              "01632 960 512",
                              "sally.warden@example.org",
                              Date::Parse("2026-01-01").value(),
                              {},
                              true,
                              false,
                              domain::SensitiveBasis::kNone,
                              Src("VOL-HAVEN")});
    r.shielded = true;
    return r;
  }

  static constexpr std::string_view kRubyHidden[] = {"Marshwood",
                                                     "Rubes",
                                                     "Willow Court",
                                                     "Hiddenford",
                                                     "ZZ9 8QX",
                                                     "Stonebridge",
                                                     "07700 900733",
                                                     "laura@example.org",
                                                     "Quietwater Academy",
                                                     "Lantern Surgery",
                                                     "01632 960 777",
                                                     "Sally Warden",
                                                     "Haven Refuge Trust",
                                                     "01632 960 512",
                                                     "sally.warden",
                                                     "VOL-HAVEN",
                                                     "Northshire Council",
                                                     "Lead professional",
                                                     "Who else is working"};

  static Fields SearchFields(const std::string& csrf, std::string given, std::string family,
                             std::string day = "", std::string month = "", std::string year = "",
                             std::string postcode = "") {
    return {{"csrf_token", csrf},
            {"given_name", std::move(given)},
            {"family_name", std::move(family)},
            {"date_of_birth-day", std::move(day)},
            {"date_of_birth-month", std::move(month)},
            {"date_of_birth-year", std::move(year)},
            {"gender", ""},
            {"postcode", std::move(postcode)}};
  }

  // Opens the record with `uin` with a reason, as the browser would: reason page, then POST.
  Response Open(Browser& b, const std::string& uin, std::string reason = "assessment",
                std::string text = "") {
    Response page = Get(b, "/children/" + uin);
    EXPECT_EQ(page.status(), 200);
    return Post(b, "/children/" + uin,
                {{"csrf_token", CsrfIn(page.body())},
                 {"reason", std::move(reason)},
                 {"reason_text", std::move(text)}});
  }

  domain::ChildRecord amelia_;
  domain::ChildRecord ruby_;
};

TEST_F(DirectoryWebTest, SearchFormNeedsTheSearchPermission) {
  Browser b;
  SignIn(b, "alice");
  Response form = Get(b, "/search");
  ASSERT_EQ(form.status(), 200);
  EXPECT_TRUE(Contains(form, "<form method=\"post\" action=\"/search\""));
  EXPECT_TRUE(Contains(form, "Enter a family name and either a given name or a date of birth"));
  EXPECT_TRUE(Contains(form, "name=\"date_of_birth-day\""));
  EXPECT_TRUE(Contains(form, "<option value=\"not_specified\">Not specified</option>"));
  EXPECT_TRUE(Contains(form, "href=\"/search\" aria-current=\"page\""));  // Navigation.

  Browser admin;
  const std::string csrf = SignIn(admin, "root");
  EXPECT_EQ(Get(admin, "/search").status(), 403);
  EXPECT_EQ(Post(admin, "/search", SearchFields(csrf, "Amelia", "Okafor")).status(), 403);
  EXPECT_EQ(Get(admin, "/children/" + amelia_.uin.str()).status(), 403);
  EXPECT_EQ(Post(admin, "/children/" + amelia_.uin.str(),
                 {{"csrf_token", csrf}, {"reason", "assessment"}})
                .status(),
            403);
  EXPECT_TRUE(audit_.EventsWithAction("child.search").empty());
  EXPECT_TRUE(audit_.EventsWithAction("child.view").empty());
  EXPECT_EQ(audit_.EventsWithAction("access.denied").back().reason,
            "rbac:" + std::string(policy::PermissionName(policy::Permission::kViewChildRecord)));

  Browser none;
  EXPECT_EQ(Location(Get(none, "/search")), "/sign-in");
  EXPECT_EQ(Location(Get(none, "/children/" + amelia_.uin.str())), "/sign-in");
}

TEST_F(DirectoryWebTest, SearchShowsResultsOnThePostResponse) {
  Browser b;
  const std::string csrf = SignIn(b, "alice");
  Response r = Post(b, "/search", SearchFields(csrf, "Amelia", "Okafor"));
  ASSERT_EQ(r.status(), 200);
  EXPECT_TRUE(Location(r).empty());
  EXPECT_TRUE(Contains(r, "1 child found"));
  EXPECT_TRUE(Contains(r, "href=\"/children/" + amelia_.uin.str() + "\">Amelia Okafor</a>"));
  EXPECT_TRUE(Contains(r, "3 April 2015"));
  EXPECT_TRUE(Contains(r, "govuk-tag--green\">High<"));
  EXPECT_FALSE(Contains(r, "Shielded"));
  EXPECT_TRUE(Contains(r, "value=\"Okafor\""));  // The form keeps what was typed.
  // The results show only what a search hit holds.
  EXPECT_FALSE(Contains(r, "Larch Avenue"));
  EXPECT_FALSE(Contains(r, "Pat Teacher"));
  EXPECT_EQ(audit_.EventsWithAction("child.search").back().outcome, "success");

  // A date of birth alone with the family name; the shielded child shows its tag only.
  r = Post(b, "/search", SearchFields(csrf, "", "Stone", "6", "6", "2018"));
  ASSERT_EQ(r.status(), 200);
  EXPECT_TRUE(Contains(r, "1 child found"));
  EXPECT_TRUE(Contains(r, "govuk-tag--red\">Shielded<"));
  for (std::string_view hidden : kRubyHidden) {
    EXPECT_FALSE(Contains(r, hidden)) << hidden;
  }

  r = Post(b, "/search", SearchFields(csrf, "Zebedee", "Nobody"));
  ASSERT_EQ(r.status(), 200);
  EXPECT_TRUE(Contains(r, "No children match"));
  EXPECT_FALSE(Contains(r, "govuk-table"));
}

TEST_F(DirectoryWebTest, CriteriaNeverTravelInAUrl) {
  for (int i = 0; i < 11; ++i) AddChild(Basic("Jack", "Smith", "2014-01-01"));
  Browser b;
  const std::string csrf = SignIn(b, "alice");
  const std::vector<Fields> searches = {
      SearchFields(csrf, "Amelia", "Okafor"), SearchFields(csrf, "Amelia", ""),
      SearchFields(csrf, "", "Okafor", "31", "2", "2015"),
      SearchFields(csrf, "Jack", "Smith", "1", "1", "2014"),
      SearchFields(csrf, "Amelia", "Okafor", "", "", "", "NT4 7QP")};
  for (const Fields& f : searches) {
    Response r = Post(b, "/search", f);
    EXPECT_FALSE(r.status() >= 300 && r.status() < 400) << r.status();  // Never a redirect.
    EXPECT_TRUE(Location(r).empty());
    // Every link and form target on the page is free of the criteria.
    for (const testing::Tag& tag : testing::ScanTags(r.body())) {
      for (const char* attr : {"href", "action"}) {
        const std::string url = tag.Get(attr);
        for (const auto& [name, value] : f) {
          if (name == "csrf_token" || value.size() < 2) continue;
          EXPECT_EQ(url.find(value), std::string::npos) << url;
          EXPECT_EQ(url.find(UrlEncode(value)), std::string::npos) << url;
        }
        EXPECT_EQ(url.find('?'), std::string::npos) << url;
      }
    }
  }
}

TEST_F(DirectoryWebTest, InsufficientOrBadCriteriaAreFieldErrors) {
  Browser b;
  const std::string csrf = SignIn(b, "alice");
  Response r = Post(b, "/search", SearchFields(csrf, "", "Okafor"));
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "govuk-error-summary"));
  EXPECT_TRUE(Contains(r, "<a href=\"#given_name\">Enter a given name or a date of birth</a>"));
  EXPECT_TRUE(Contains(r, "id=\"given_name-error\""));
  EXPECT_TRUE(r.body().find("<title>Error: ") != std::string::npos);
  EXPECT_FALSE(Contains(r, "govuk-table"));

  r = Post(b, "/search", SearchFields(csrf, "Amelia", ""));
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "<a href=\"#family_name\">Enter a family name</a>"));

  r = Post(b, "/search", SearchFields(csrf, "", "Okafor", "31", "2", "2015"));
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "<a href=\"#date_of_birth-day\">Date of birth must be a real date</a>"));
  EXPECT_TRUE(Contains(r, "value=\"31\""));

  r = Post(b, "/search", SearchFields(csrf, "Amelia", "Okafor", "", "", "", "not a postcode"));
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "href=\"#postcode\""));

  Fields bad_gender = SearchFields(csrf, "Amelia", "Okafor");
  bad_gender[6].second = "robot";
  r = Post(b, "/search", bad_gender);
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "href=\"#gender\""));
}

TEST_F(DirectoryWebTest, TooManyMatchesGivesTheCapButNoCount) {
  for (int i = 0; i < 13; ++i) AddChild(Basic("Jack", "Smith", "2014-01-01"));
  Browser b;
  const std::string csrf = SignIn(b, "alice");
  Response r = Post(b, "/search", SearchFields(csrf, "Jack", "Smith", "1", "1", "2014"));
  EXPECT_EQ(r.status(), 422);
  EXPECT_TRUE(Contains(r, "govuk-error-summary"));
  EXPECT_TRUE(Contains(r,
                       "More than 10 children match. Add more detail, such as a date of "
                       "birth or a postcode."));
  for (std::string_view count : {"13 children", ">13<", " 13 ", "(13)"}) {
    EXPECT_FALSE(Contains(r, count)) << count;
  }
  EXPECT_FALSE(Contains(r, "govuk-table"));
  EXPECT_FALSE(Contains(r, "/children/"));
  EXPECT_EQ(audit_.EventsWithAction("child.search").back().reason, "too_many_matches");
}

TEST_F(DirectoryWebTest, FullRecordShowsWhoElseIsWorkingWithTheChild) {
  Browser b;
  SignIn(b, "alice");
  Response reason = Get(b, "/children/" + amelia_.uin.str());
  ASSERT_EQ(reason.status(), 200);
  EXPECT_TRUE(Contains(reason, "Why are you opening this record?"));
  EXPECT_FALSE(Contains(reason, "Amelia"));  // Nothing of the record before the reason.
  EXPECT_TRUE(audit_.EventsWithAction("child.view").empty());

  Response r = Open(b, amelia_.uin.str(), "contact_practitioner");
  ASSERT_EQ(r.status(), 200);
  EXPECT_TRUE(Location(r).empty());
  EXPECT_TRUE(Contains(r, "<title>Child record – ContactPoint</title>"));
  EXPECT_TRUE(Contains(r, "Who else is working with this child"));
  EXPECT_TRUE(Contains(r, "govuk-summary-card"));
  EXPECT_TRUE(Contains(r, "Pat Teacher"));
  EXPECT_TRUE(Contains(r, "href=\"tel:01632960201\">01632 960 201</a>"));
  EXPECT_TRUE(Contains(r, "href=\"mailto:pat.teacher@example.org.uk\""));
  EXPECT_TRUE(Contains(r, "href=\"tel:01632960450\""));
  EXPECT_TRUE(Contains(r, ">Lead professional<"));
  EXPECT_TRUE(Contains(r, ">CAF complete<"));
  EXPECT_TRUE(Contains(r, "1 February 2026"));
  EXPECT_TRUE(Contains(r, "Millie Okafor"));
  EXPECT_TRUE(Contains(r, "3 April 2015"));
  EXPECT_TRUE(Contains(r, "14 Larch Avenue, Northtown, NT4 7QP"));
  EXPECT_TRUE(Contains(r, "Grace Okafor"));
  EXPECT_TRUE(Contains(r, "href=\"tel:07700900412\""));
  EXPECT_TRUE(Contains(r, "Oakfield Primary School"));
  EXPECT_TRUE(Contains(r, "Elm Tree Medical Practice"));
  EXPECT_TRUE(Contains(r, "href=\"tel:01632960114\""));
  EXPECT_TRUE(Contains(r, "Northshire Council"));  // The authority, by name.
  EXPECT_TRUE(Contains(r, "Source: SCH-OAK."));    // Unknown codes as codes.
  EXPECT_TRUE(Contains(r, "Updated "));
  auto view = audit_.EventsWithAction("child.view").back();
  EXPECT_EQ(view.outcome, "success");
  EXPECT_NE(view.details_json.find("\"reason_code\":\"contact_practitioner\""), std::string::npos);

  // No caching of the view: opening again asks again and audits again.
  r = Open(b, amelia_.uin.str(), "assessment");
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(audit_.EventsWithAction("child.view").size(), 2u);
}

TEST_F(DirectoryWebTest, APractitionerSeesNothingHiddenOfAShieldedChild) {
  Browser b;
  SignIn(b, "alice");
  Response r = Open(b, ruby_.uin.str(), "safeguarding");
  ASSERT_EQ(r.status(), 200);
  EXPECT_TRUE(Contains(r, "Ruby Stone"));
  EXPECT_TRUE(Contains(r, ruby_.uin.str()));
  EXPECT_TRUE(Contains(r, "6 June 2018"));
  EXPECT_TRUE(Contains(r, "Female"));
  EXPECT_TRUE(Contains(r, "This record is shielded"));
  EXPECT_TRUE(Contains(r, "govuk-warning-text"));
  EXPECT_TRUE(Contains(r, "broker"));
  for (std::string_view hidden : kRubyHidden) {
    EXPECT_FALSE(Contains(r, hidden)) << hidden;
  }
  EXPECT_NE(
      audit_.EventsWithAction("child.view").back().details_json.find("\"view_level\":\"shielded\""),
      std::string::npos);
}

TEST_F(DirectoryWebTest, AManagerOfTheAuthoritySeesTheShieldedDetails) {
  Browser b;
  SignIn(b, "mona");
  Response r = Open(b, ruby_.uin.str(), "record_accuracy");
  ASSERT_EQ(r.status(), 200);
  for (std::string_view shown : kRubyHidden) {
    EXPECT_TRUE(Contains(r, shown)) << shown;
  }
  EXPECT_TRUE(Contains(r, "This record is shielded"));  // Reminded not to share.
}

TEST_F(DirectoryWebTest, TheReasonIsRequired) {
  Browser b;
  SignIn(b, "alice");
  const std::string path = "/children/" + amelia_.uin.str();
  Response page = Get(b, path);
  ASSERT_EQ(page.status(), 200);
  const std::string csrf = CsrfIn(page.body());
  for (const auto& reason : policy::AllAccessReasons()) {
    EXPECT_TRUE(Contains(page, "value=\"" + std::string(reason.code) + "\"")) << reason.code;
  }
  EXPECT_TRUE(Contains(page, "id=\"conditional-reason-7\""));
  EXPECT_TRUE(Contains(page, "govuk-radios__conditional--hidden"));

  Response r = Post(b, path, {{"csrf_token", csrf}});
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "<a href=\"#reason\">Choose why you are opening this record</a>"));
  EXPECT_FALSE(Contains(r, "Amelia"));

  r = Post(b, path, {{"csrf_token", csrf}, {"reason", "curiosity"}});
  EXPECT_EQ(r.status(), 400);

  r = Post(b, path, {{"csrf_token", csrf}, {"reason", "other"}, {"reason_text", "  "}});
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "<a href=\"#reason_text\">Explain why you are opening this record</a>"));
  EXPECT_FALSE(Contains(r, "govuk-radios__conditional--hidden"));  // Open, with its error.
  EXPECT_FALSE(Contains(r, "Amelia"));
  EXPECT_TRUE(audit_.EventsWithAction("child.view").empty());

  r = Post(b, path,
           {{"csrf_token", csrf}, {"reason", "other"}, {"reason_text", "Checking a referral"}});
  EXPECT_EQ(r.status(), 200);
  EXPECT_TRUE(Contains(r, "Who else is working with this child"));
  EXPECT_NE(audit_.EventsWithAction("child.view").back().details_json.find("Checking a referral"),
            std::string::npos);
}

TEST_F(DirectoryWebTest, BadAndUnknownUins) {
  Browser b;
  const std::string csrf = SignIn(b, "alice");
  Response r = Get(b, "/children/12345");
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "Enter a UIN of 10 digits and a check character"));
  r = Post(b, "/children/12345", {{"csrf_token", csrf}, {"reason", "assessment"}});
  EXPECT_EQ(r.status(), 400);

  const std::string unknown = domain::Uin::Generate(random_).str();
  ASSERT_EQ(Get(b, "/children/" + unknown).status(), 200);  // The UIN itself is well formed.
  r = Post(b, "/children/" + unknown, {{"csrf_token", csrf}, {"reason", "assessment"}});
  EXPECT_EQ(r.status(), 404);
  EXPECT_TRUE(Contains(r, "Page not found"));
}

TEST_F(DirectoryWebTest, DirectoryPostsNeedTheSessionTokenAndOrigin) {
  Browser b;
  const std::string csrf = SignIn(b, "alice");
  const std::string path = "/children/" + amelia_.uin.str();
  EXPECT_EQ(Post(b, "/search", SearchFields("wrong", "Amelia", "Okafor")).status(), 403);
  Fields no_token = SearchFields(csrf, "Amelia", "Okafor");
  no_token.erase(no_token.begin());
  EXPECT_EQ(Post(b, "/search", no_token).status(), 403);
  EXPECT_EQ(Post(b, path, {{"csrf_token", "wrong"}, {"reason", "assessment"}}).status(), 403);
  EXPECT_EQ(Post(b, path, {{"reason", "assessment"}}).status(), 403);
  b.origin = "https://evil.example";
  Response r = Post(b, "/search", SearchFields(csrf, "Amelia", "Okafor"));
  EXPECT_EQ(r.status(), 403);
  EXPECT_FALSE(Contains(r, "Amelia"));
  r = Post(b, path, {{"csrf_token", csrf}, {"reason", "assessment"}});
  EXPECT_EQ(r.status(), 403);
  EXPECT_FALSE(Contains(r, "Pat Teacher"));
  EXPECT_TRUE(audit_.EventsWithAction("child.search").empty());
  EXPECT_TRUE(audit_.EventsWithAction("child.view").empty());
  EXPECT_FALSE(audit_.EventsWithAction("access.denied").empty());
}

TEST_F(DirectoryWebTest, UnavailableAuditOrStoreIs503) {
  Browser b;
  const std::string csrf = SignIn(b, "alice");
  const std::string path = "/children/" + amelia_.uin.str();
  Response page = Get(b, path);
  audit_.SetFailing(true);
  Response r = Post(b, "/search", SearchFields(csrf, "Amelia", "Okafor"));
  EXPECT_EQ(r.status(), 503);
  EXPECT_FALSE(Contains(r, amelia_.uin.str()));
  r = Post(b, path, {{"csrf_token", csrf}, {"reason", "assessment"}});
  EXPECT_EQ(r.status(), 503);
  EXPECT_FALSE(Contains(r, "Pat Teacher"));
  audit_.SetFailing(false);
  children_.SetFailing(true);
  EXPECT_EQ(Post(b, "/search", SearchFields(csrf, "Amelia", "Okafor")).status(), 503);
  EXPECT_EQ(Post(b, path, {{"csrf_token", csrf}, {"reason", "assessment"}}).status(), 503);
}

// ---- Shielding ------------------------------------------------------------------------------

class ShieldingWebTest : public WebUiTest {
 protected:
  void SetUp() override {
    WebUiTest::SetUp();
    // The shielder works for a refuge: alice's council has no named person, so her requests
    // go to management.
    const int64_t council = org_id_;
    org_id_ = *orgs_->Create(domain::Organisation{0, "VOL-HAVEN", "Haven Refuge",
                                                  domain::OrganisationType::kVoluntary, "LA-NORTH",
                                                  "", true});
    AddUser("sam", {Role::kShielder, Role::kPractitioner}, /*enrolled=*/true);
    org_id_ = council;
    AddUser("mo", {Role::kManagement}, /*enrolled=*/true);
    domain::ChildRecord r;
    r.uin = domain::Uin::Generate(random_);
    domain::Provenance p{"LA-NORTH", clock_.Now()};
    r.name = {"Amelia", "Okafor", p};
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = *Date::Parse("2015-04-03");
    r.core_provenance = p;
    r.address = {
        domain::AddressStatus::kCurrent, "14 Larch Avenue", "", "Northtown", "NT4 7QP", {}, p};
    r.responsible_authority = "LA-NORTH";
    child_id_ = *shield_children_->Create(r);
    uin_ = r.uin.str();
  }

  Fields ShieldFields(const std::string& csrf, std::vector<std::string> criteria,
                      std::string category = "refuge") {
    Fields f = {{"csrf_token", csrf}};
    for (auto& c : criteria) f.emplace_back("criteria", std::move(c));
    f.emplace_back("category", std::move(category));
    f.emplace_back("requester_name", "Safe Haven Refuge");
    f.emplace_back("requester_contact", "01632 960 700");
    f.emplace_back("requester_relationship", "refuge key worker");
    f.emplace_back("comments", "");
    return f;
  }

  Response Shield(Browser& b, std::vector<std::string> criteria, std::string category = "refuge") {
    Response form = Get(b, "/children/" + uin_ + "/shield");
    EXPECT_EQ(form.status(), 200);
    return Post(b, "/children/" + uin_ + "/shield",
                ShieldFields(CsrfIn(form.body()), std::move(criteria), std::move(category)));
  }

  bool Shielded() { return shield_children_->Get(child_id_)->shielded; }

  std::string uin_;
  int64_t child_id_ = 0;
};

TEST_F(ShieldingWebTest, AShielderShieldsARecord) {
  Browser b;
  SignIn(b, "sam");
  Response form = Get(b, "/children/" + uin_ + "/shield");
  ASSERT_EQ(form.status(), 200);
  EXPECT_TRUE(Contains(form, "Shield this record"));
  EXPECT_TRUE(Contains(form, "value=\"placement_at_risk\""));
  EXPECT_TRUE(Contains(form, "value=\"domestic_violence\""));
  EXPECT_TRUE(Contains(form, "Objection to ContactPoint in principle"));
  Response r = Shield(b, {"child_at_risk"});
  ASSERT_EQ(r.status(), 200);
  EXPECT_TRUE(Contains(r, "govuk-panel"));
  EXPECT_TRUE(Contains(r, "Shield applied"));
  EXPECT_TRUE(Shielded());
}

TEST_F(ShieldingWebTest, TheFormNeedsTheSessionToken) {
  Browser b;
  SignIn(b, "sam");
  Response r = Post(b, "/children/" + uin_ + "/shield", ShieldFields("wrong", {"child_at_risk"}));
  EXPECT_EQ(r.status(), 403);
  EXPECT_FALSE(Shielded());
}

TEST_F(ShieldingWebTest, ValidationErrorsReRenderTheForm) {
  Browser b;
  SignIn(b, "sam");
  Response r = Shield(b, {"child_at_risk"}, "");
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "govuk-error-summary"));
  EXPECT_TRUE(Contains(r, "Choose a category"));
  EXPECT_TRUE(Contains(r, "checked"));  // The ticked criterion is kept.
  r = Shield(b, {"made_up"});
  EXPECT_EQ(r.status(), 400);
  EXPECT_FALSE(Shielded());
}

TEST_F(ShieldingWebTest, NoCriterionIsRejectedAndLogged) {
  Browser b;
  SignIn(b, "sam");
  Response r = Shield(b, {});
  EXPECT_EQ(r.status(), 422);
  EXPECT_TRUE(Contains(r, "Shield request rejected"));
  EXPECT_TRUE(Contains(r, "recorded in the shielding log"));
  EXPECT_FALSE(Shielded());
}

TEST_F(ShieldingWebTest, APractitionersRequestIsPending) {
  Browser b;
  SignIn(b, "alice");
  Response form = Get(b, "/children/" + uin_ + "/shield");
  EXPECT_TRUE(Contains(form, "Send shield request"));
  Response r = Shield(b, {"child_at_risk"});
  ASSERT_EQ(r.status(), 200);
  EXPECT_TRUE(Contains(r, "Shield request sent"));
  EXPECT_FALSE(Shielded());

  // The management desk shows it, and approving shields the record.
  Browser m;
  SignIn(m, "mo");
  Response desk = Get(m, "/management");
  ASSERT_EQ(desk.status(), 200);
  EXPECT_TRUE(Contains(desk, "Shield requests awaiting a decision"));
  const size_t at = desk.body().find("/management/requests/");
  ASSERT_NE(at, std::string::npos);
  const std::string action = desk.body().substr(at, desk.body().find('"', at) - at);  // .../approve
  Response done = Post(m, action, {{"csrf_token", CsrfIn(desk.body())}});
  EXPECT_EQ(done.status(), 303);
  EXPECT_TRUE(Shielded());
}

TEST_F(ShieldingWebTest, TheDeskIsForManagementOnly) {
  Browser b;
  SignIn(b, "alice");
  EXPECT_EQ(Get(b, "/management").status(), 403);
  EXPECT_EQ(Get(b, "/management/shielding-log").status(), 403);
  EXPECT_EQ(Get(b, "/management/children/" + uin_ + "/review").status(), 403);
}

TEST_F(ShieldingWebTest, TheDeskShowsDueReviewsAndRecordsOne) {
  Browser s;
  SignIn(s, "sam");
  ASSERT_EQ(Shield(s, {"child_at_risk"}).status(), 200);
  Browser m;
  SignIn(m, "mo");
  Response desk = Get(m, "/management");
  ASSERT_EQ(desk.status(), 200);
  EXPECT_TRUE(Contains(desk, uin_));
  EXPECT_TRUE(Contains(desk, "/management/children/" + uin_ + "/review"));
  EXPECT_FALSE(Contains(desk, "Overdue"));
  clock_.Advance(std::chrono::hours(24 * 10));
  SignIn(m, "mo");  // The session has long timed out.
  desk = Get(m, "/management");
  EXPECT_TRUE(Contains(desk, "Overdue"));
  Response page = Get(m, "/management/children/" + uin_ + "/review");
  ASSERT_EQ(page.status(), 200);
  Response bad = Post(m, "/management/children/" + uin_ + "/review",
                      {{"csrf_token", CsrfIn(page.body())}, {"consulted", ""}});
  EXPECT_EQ(bad.status(), 400);
  EXPECT_TRUE(Contains(bad, "Enter who you consulted"));
  Response ok = Post(m, "/management/children/" + uin_ + "/review",
                     {{"csrf_token", CsrfIn(page.body())},
                      {"consulted", "Safe Haven Refuge"},
                      {"outcome", "continue"},
                      {"notes", ""}});
  EXPECT_EQ(ok.status(), 303);
  EXPECT_EQ(Location(ok), "/management");
  Response log = Get(m, "/management/shielding-log");
  ASSERT_EQ(log.status(), 200);
  EXPECT_TRUE(Contains(log, uin_));
  EXPECT_TRUE(Contains(log, "/api/v1/shielding-log?format=csv"));
}

TEST_F(ShieldingWebTest, UnshieldIsRefusedWhileARequestIsActive) {
  Browser s;
  SignIn(s, "sam");
  ASSERT_EQ(Shield(s, {"child_at_risk"}).status(), 200);
  Browser m;
  SignIn(m, "mo");
  Response page = Get(m, "/management/children/" + uin_ + "/review");
  Response r =
      Post(m, "/management/children/" + uin_ + "/unshield", {{"csrf_token", CsrfIn(page.body())}});
  EXPECT_EQ(r.status(), 409);
  EXPECT_TRUE(Contains(r, "govuk-error-summary"));
  EXPECT_TRUE(Contains(r, "This record still has 1 active shield request"));
  EXPECT_TRUE(Contains(r, "Safe Haven Refuge"));
  EXPECT_TRUE(Shielded());
}

}  // namespace
}  // namespace cp::web
