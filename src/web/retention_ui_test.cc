// The identity-change pages (retention_ui.h) through the real Router, sign-in, Gate,
// RetentionService and SQLite stores, with a fake clock and audit sink: management of the
// record's own authority changes the identity; other roles and other authorities are refused;
// bad input gives a 400 naming the field and changes nothing; a POST without the CSRF token
// changes nothing.
#include "web/retention_ui.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "audit/testing/fake_audit_sink.h"
#include "auth/totp.h"
#include "crypto/secret_box.h"
#include "domain/child_record.h"
#include "identity/session_service.h"
#include "store/sqlite/sqlite_child_store.h"
#include "store/sqlite/sqlite_organisation_store.h"
#include "store/sqlite/sqlite_retention_store.h"
#include "store/sqlite/sqlite_session_store.h"
#include "store/sqlite/sqlite_shield_store.h"
#include "store/sqlite/sqlite_user_store.h"
#include "web/testing/page_checks.h"
#include "web/testing/ui_client.h"
#include "web/web_ui.h"
#include "workflow/directory_index.h"
#include "workflow/directory_service.h"
#include "workflow/retention_service.h"
#include "workflow/shielding_service.h"

namespace cp::web {
namespace {

using domain::Role;
using http::Response;
using testing::CookieJar;
using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr char kPassword[] = "a long passphrase for tests";

bool Contains(const Response& r, std::string_view text) {
  return r.body().find(text) != std::string::npos;
}

class RetentionUiTest : public ::testing::Test {
 protected:
  RetentionUiTest()
      : clock_(Date::Parse("2026-11-23")->StartOfDay() + std::chrono::hours(9)),
        random_(17),
        box_(*crypto::SecretBox::FromKey(std::string(32, 'k'))),
        throttle_(clock_) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-retentionui-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    conn_ = *store::sqlite::OpenMainDatabase((dir_ / "main.db").string());
    orgs_ = std::make_unique<store::sqlite::SqliteOrganisationStore>(conn_);
    users_ = std::make_unique<store::sqlite::SqliteUserStore>(conn_);
    sessions_ = std::make_unique<store::sqlite::SqliteSessionStore>(conn_);
    identity::SignInConfig config;
    config.argon2 = crypto::Argon2Params::ForTests();
    sign_in_ = std::make_unique<identity::SignInService>(*users_, *orgs_, *sessions_, audit_,
                                                         clock_, random_, box_, throttle_, config);
    session_service_ =
        std::make_unique<identity::SessionService>(*users_, *orgs_, *sessions_, audit_, clock_);
    gate_ = std::make_unique<api::Gate>(*session_service_, audit_);
    accounts_ = std::make_unique<workflow::AccountAdmin>(
        *users_, *orgs_, *sessions_, audit_, throttle_, random_, crypto::Argon2Params::ForTests());
    children_ = std::make_unique<store::sqlite::SqliteChildStore>(conn_, box_, std::string(32, 'h'),
                                                                  &clock_);
    index_ = std::make_unique<workflow::DirectoryIndex>(*children_);
    directory_ =
        std::make_unique<workflow::DirectoryService>(*children_, *index_, audit_, "criteria-key");
    shields_ = std::make_unique<store::sqlite::SqliteShieldStore>(conn_, box_, clock_);
    named_persons_ = std::make_unique<workflow::StoreNamedPersonDirectory>(*users_, *orgs_);
    shielding_ = std::make_unique<workflow::ShieldingService>(*children_, *shields_,
                                                              *named_persons_, audit_, clock_);
    retention_store_ =
        std::make_unique<store::sqlite::SqliteRetentionStore>(conn_, *children_, &clock_);
    retention_store_->AddPurgeParticipant(*shields_);  // As the application wires it.
    retention_ = std::make_unique<workflow::RetentionService>(
        *children_, *retention_store_, shielding_.get(), audit_, clock_, random_);
    router_ = std::make_shared<http::Router>();
    ASSERT_TRUE(
        RegisterRetentionUi(*router_, RetentionUiDeps{*gate_, *retention_, 900, 120, nullptr})
            .ok());
    ASSERT_TRUE(
        RegisterWebUi(*router_, WebUiDeps{*gate_, *sign_in_, *accounts_, *orgs_, *directory_,
                                          *shielding_, clock_, random_, 900, 120})
            .ok());
    totp_key_ = std::string(20, 'z');
    const int64_t north = Org("LA-NORTH", domain::OrganisationType::kLocalAuthority, "LA-NORTH");
    const int64_t east = Org("LA-EAST", domain::OrganisationType::kLocalAuthority, "LA-EAST");
    const int64_t school = Org("SCH-1", domain::OrganisationType::kSchool, "LA-NORTH");
    AddUser("mo", north, {Role::kManagement});
    AddUser("eve", east, {Role::kManagement});
    AddUser("pat", school, {Role::kPractitioner});
    AddUser("dana", north, {Role::kDpo});
    AddUser("ari", north, {Role::kArchiveReader});
    AddUser("sam", school, {Role::kShielder, Role::kPractitioner});
    domain::ChildRecord r;
    r.uin = domain::Uin::Generate(random_);
    domain::Provenance p{"LA-NORTH", clock_.Now()};
    r.name = {"Amelia", "Okafor", p};
    r.former_names.push_back({"Amelia", "Adebayo", p});
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = *Date::Parse("2015-04-03");
    r.core_provenance = p;
    r.address = {
        domain::AddressStatus::kCurrent, "14 Larch Avenue", "", "Northtown", "NT4 7QP", {}, p};
    r.responsible_authority = "LA-NORTH";
    child_id_ = *children_->Create(r);
    uin_ = r.uin.str();
    ASSERT_TRUE(index_->SyncNow().ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  int64_t Org(const std::string& code, domain::OrganisationType type, const std::string& la) {
    return *orgs_->Create(domain::Organisation{0, code, code + " name", type, la, "", true});
  }

  void AddUser(const std::string& username, int64_t org, domain::RoleSet roles) {
    domain::User u;
    u.username = username;
    u.display_name = "User " + username;
    u.organisation_id = org;
    u.roles = roles;
    u.vetting = {Date::Parse("2025-01-01").value(), true, Date::Parse("2025-01-02").value(),
                 Date::Parse("2025-01-02").value()};
    domain::Credentials creds;
    creds.password_hash = *crypto::HashPassword(kPassword, crypto::Argon2Params::ForTests());
    const int64_t id = *users_->Create(u, creds);
    ASSERT_TRUE(
        users_->SetTotpSecret(id, box_.Seal(totp_key_, "totp:" + std::to_string(id)), true).ok());
  }

  Response Send(CookieJar& b, std::string method, std::string target, std::string body) {
    http::RequestInit init;
    init.method = std::move(method);
    init.target = std::move(target);
    init.headers.Add("Host", "cp.test");
    if (init.method == "POST") {
      init.headers.Add("Origin", "http://cp.test");
      init.headers.Add("Content-Type", "application/x-www-form-urlencoded");
    }
    if (const std::string cookie = b.CookieHeader(); !cookie.empty()) {
      init.headers.Add("Cookie", cookie);
    }
    init.body = std::move(body);
    init.client_ip = "10.1.2.3";
    init.request_id = "req-" + std::to_string(++requests_);
    auto request = http::Request::Create(std::move(init));
    EXPECT_TRUE(request.ok()) << request.status().ToString();
    Response response = router_->Handle(*request);
    b.Absorb(response);
    if (response.content_type().starts_with("text/html")) {
      auto problems = testing::CheckPage(response.body());
      EXPECT_TRUE(problems.empty()) << problems.front();
    }
    return response;
  }
  Response Get(CookieJar& b, std::string target) { return Send(b, "GET", std::move(target), ""); }
  // POSTs `fields` with the session's CSRF token first (unless `with_token` is false).
  Response Post(CookieJar& b, std::string target, Fields fields, bool with_token = true) {
    if (with_token) fields.insert(fields.begin(), {"csrf_token", b.csrf});
    std::string body;
    for (const auto& [k, v] : fields) {
      if (!body.empty()) body += '&';
      body += testing::FormEncode(k) + "=" + testing::FormEncode(v);
    }
    return Send(b, "POST", std::move(target), std::move(body));
  }

  CookieJar SignIn(const std::string& username) {
    CookieJar b;
    Response page = Get(b, "/sign-in");
    Response r = Post(b, "/sign-in",
                      {{"csrf_token", testing::CsrfTokenIn(page.body())},
                       {"username", username},
                       {"password", kPassword}},
                      false);
    EXPECT_EQ(r.headers().Get("Location").value_or(""), "/sign-in/code");
    page = Get(b, "/sign-in/code");
    clock_.Advance(std::chrono::seconds(30));
    r = Post(b, "/sign-in/code",
             {{"csrf_token", testing::CsrfTokenIn(page.body())},
              {"code", auth::Totp(totp_key_, clock_.Now())}},
             false);
    EXPECT_EQ(r.headers().Get("Location").value_or(""), "/");
    b.csrf = testing::CsrfTokenIn(Get(b, "/").body());
    EXPECT_FALSE(b.csrf.empty());
    return b;
  }

  std::string Path() const { return "/management/children/" + uin_ + "/identity-change"; }
  static Fields NewIdentity() {
    return {{"reason", "witness_protection"}, {"given_names", "Rose"},
            {"family_name", "Tamsin-Vale"},   {"address_line_1", "4 Orchard Row"},
            {"address_line_2", ""},           {"town", "Easthaven"},
            {"postcode", "EH3 4RW"}};
  }
  static Fields Without(Fields fields, const std::string& name) {
    for (auto& [k, v] : fields) {
      if (k == name) v.clear();
    }
    return fields;
  }

  // The record is untouched: still live, and no other record was created.
  void ExpectUnchanged() {
    auto record = children_->Get(child_id_);
    ASSERT_TRUE(record.ok());
    EXPECT_EQ(record->retention.state, domain::RecordState::kLive);
    EXPECT_EQ(record->name.family_name, "Okafor");
    EXPECT_EQ(*children_->Count(), 1);
    EXPECT_TRUE(audit_.EventsWithAction("child.create").empty());
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
  std::unique_ptr<store::sqlite::SqliteChildStore> children_;
  std::unique_ptr<workflow::DirectoryIndex> index_;
  std::unique_ptr<workflow::DirectoryService> directory_;
  std::unique_ptr<store::sqlite::SqliteShieldStore> shields_;
  std::unique_ptr<workflow::StoreNamedPersonDirectory> named_persons_;
  std::unique_ptr<workflow::ShieldingService> shielding_;
  std::unique_ptr<store::sqlite::SqliteRetentionStore> retention_store_;
  std::unique_ptr<workflow::RetentionService> retention_;
  std::shared_ptr<http::Router> router_;
  std::string totp_key_;
  std::string uin_;
  int64_t child_id_ = 0;
  int requests_ = 0;
};

TEST_F(RetentionUiTest, ManagementOfTheOwnAuthorityChangesTheIdentity) {
  CookieJar mo = SignIn("mo");
  Response form = Get(mo, Path());
  ASSERT_EQ(form.status(), 200) << form.body();
  EXPECT_TRUE(Contains(form, "Change this child&#39;s identity") ||
              Contains(form, "Change this child's identity"));
  EXPECT_TRUE(Contains(form, "action=\"" + Path() + "\""));
  EXPECT_FALSE(Contains(form, "Okafor"));  // The form shows the UIN only.

  Response done = Post(mo, Path(), NewIdentity());
  ASSERT_EQ(done.status(), 200) << done.body();
  EXPECT_TRUE(Contains(done, "Identity changed"));
  for (const char* old : {"Amelia", "Okafor", "Adebayo", "Larch"}) {
    EXPECT_FALSE(Contains(done, old)) << old;
  }
  // The former record is archived; the new one is shielded and holds only the new identity.
  auto former = children_->Get(child_id_);
  ASSERT_TRUE(former.ok());
  EXPECT_EQ(former->retention.state, domain::RecordState::kArchived);
  EXPECT_EQ(former->retention.archive_reason, domain::ArchiveReason::kIdentityChange);
  auto events = audit_.EventsWithAction("child.create");
  ASSERT_EQ(events.size(), 1u);
  const std::string new_uin = events[0].target.substr(std::string("child:").size());
  EXPECT_TRUE(Contains(done, new_uin));
  auto fresh = children_->GetByUin(*domain::Uin::Parse(new_uin));
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(fresh->shielded);
  EXPECT_EQ(fresh->name.family_name, "Tamsin-Vale");
  EXPECT_TRUE(fresh->former_names.empty());
  // A search for the former name finds nothing, even for management.
  ASSERT_TRUE(index_->SyncNow().ok());
  Response found = Post(mo, "/search", {{"given_name", "Rose"}, {"family_name", "Tamsin-Vale"}});
  ASSERT_EQ(found.status(), 200);
  EXPECT_TRUE(Contains(found, new_uin));  // The search works: the new identity is found.
  for (const auto& [given, family] :
       {std::pair{"Amelia", "Okafor"}, std::pair{"Amelia", "Adebayo"}}) {
    Response search = Post(mo, "/search", {{"given_name", given}, {"family_name", family}});
    EXPECT_FALSE(Contains(search, uin_)) << family;
    EXPECT_FALSE(Contains(search, new_uin)) << family;
  }
  // The record can no longer be changed: the form says so.
  Response again = Get(mo, Path());
  EXPECT_EQ(again.status(), 422);
  EXPECT_TRUE(Contains(again, "no longer live"));
  EXPECT_EQ(Post(mo, Path(), NewIdentity()).status(), 422);
}

TEST_F(RetentionUiTest, OtherRolesAreRefused) {
  for (const char* username : {"pat", "sam", "dana", "ari"}) {
    CookieJar b = SignIn(username);
    EXPECT_EQ(Get(b, Path()).status(), 403) << username;
    Response r = Post(b, Path(), NewIdentity());
    EXPECT_EQ(r.status(), 403) << username;
    EXPECT_FALSE(Contains(r, "Identity changed")) << username;
  }
  ExpectUnchanged();
}

TEST_F(RetentionUiTest, AnotherAuthoritysManagementIsRefused) {
  CookieJar eve = SignIn("eve");
  EXPECT_EQ(Get(eve, Path()).status(), 403);
  EXPECT_EQ(Post(eve, Path(), NewIdentity()).status(), 403);
  ExpectUnchanged();
  // Both refusals are audited.
  EXPECT_EQ(audit_.EventsWithAction("child.lifecycle_read").back().outcome, "denied");
}

TEST_F(RetentionUiTest, AnUnknownOrMalformedUinIsNotFound) {
  CookieJar mo = SignIn("mo");
  EXPECT_EQ(Get(mo, "/management/children/not-a-uin/identity-change").status(), 404);
  const std::string unknown = domain::Uin::Generate(random_).str();
  EXPECT_EQ(Get(mo, "/management/children/" + unknown + "/identity-change").status(), 404);
  EXPECT_EQ(
      Post(mo, "/management/children/" + unknown + "/identity-change", NewIdentity()).status(),
      404);
  ExpectUnchanged();
}

TEST_F(RetentionUiTest, BadInputNamesTheFieldAndChangesNothing) {
  CookieJar mo = SignIn("mo");
  for (const char* field : {"reason", "given_names", "family_name"}) {
    Response r = Post(mo, Path(), Without(NewIdentity(), field));
    EXPECT_EQ(r.status(), 400) << field;
    EXPECT_TRUE(Contains(r, "There is a problem")) << field;
    EXPECT_TRUE(Contains(r, std::string("href=\"#") + field + "\"")) << field;
    EXPECT_TRUE(Contains(r, "<title>Error: ")) << field;
  }
  Fields unknown_reason = NewIdentity();
  unknown_reason[0].second = "holiday";
  Response reason = Post(mo, Path(), unknown_reason);
  EXPECT_EQ(reason.status(), 400);
  EXPECT_TRUE(Contains(reason, "href=\"#reason\""));
  Fields postcode = NewIdentity();
  postcode.back().second = "NOT A POSTCODE!";
  Response bad_postcode = Post(mo, Path(), postcode);
  EXPECT_EQ(bad_postcode.status(), 400) << bad_postcode.body();
  EXPECT_TRUE(Contains(bad_postcode, "href=\"#postcode\""));
  // What was typed is kept in the form.
  EXPECT_TRUE(Contains(bad_postcode, "value=\"Tamsin-Vale\""));
  ExpectUnchanged();
}

TEST_F(RetentionUiTest, APostWithoutTheCsrfTokenChangesNothing) {
  CookieJar mo = SignIn("mo");
  Response r = Post(mo, Path(), NewIdentity(), /*with_token=*/false);
  EXPECT_EQ(r.status(), 403);
  Fields wrong = NewIdentity();
  wrong.insert(wrong.begin(), {"csrf_token", "not-the-token"});
  EXPECT_EQ(Post(mo, Path(), wrong, false).status(), 403);
  ExpectUnchanged();
}

// The purge (docs/retention.md) leaves the shielding pages readable: the desk, the log, the
// request with its (now empty) Appendix 4 form, and the appeals show the blanked rows and
// nothing of the child.
TEST_F(RetentionUiTest, AfterThePurgeTheShieldingDeskLogRequestAndAppealPagesStillWork) {
  const workflow::Actor manager{"mo", "LA-NORTH", "LA-NORTH", {Role::kManagement},
                                "r",  "ip",       false};
  workflow::ShieldInput in;
  in.uin = uin_;
  in.criteria = {"child_at_risk"};
  in.category = "refuge";
  in.requester = {"Havenhold Refuge", "01632 960417", "keyworkerish"};
  in.comments = "Calledbyphone";
  in.telephone = true;
  in.form.forenames = "Formforename";
  in.form.surname = "Okafor";
  in.form.recent_addresses = {"14 Larch Avenue, NT4 7QP"};
  auto shield = shielding_->RequestShield(manager, in);
  ASSERT_TRUE(shield.ok()) << shield.status().ToString();
  auto appeal = shielding_->RecordAppeal(manager, uin_, "Appellantia", "Groundsworth");
  ASSERT_TRUE(appeal.ok()) << appeal.status().ToString();

  // Before: the pages show what the purge must remove.
  CookieJar mo = SignIn("mo");
  EXPECT_TRUE(
      Contains(Get(mo, "/management/requests/" + std::to_string(shield->request_id)), "Havenhold"));
  EXPECT_TRUE(Contains(Get(mo, "/management/appeals/" + std::to_string(*appeal)), "Appellantia"));

  auto record = children_->Get(child_id_);
  ASSERT_TRUE(record.ok());
  ASSERT_TRUE(
      retention_store_->Purge(child_id_, record->version, Date::FromTime(clock_.Now())).ok());

  for (const std::string& path :
       {std::string("/management"), std::string("/management/shielding-log"),
        "/management/requests/" + std::to_string(shield->request_id),
        std::string("/management/appeals"), "/management/appeals/" + std::to_string(*appeal)}) {
    Response page = Get(mo, path);
    EXPECT_EQ(page.status(), 200) << path << ": " << page.body();
    for (const char* personal : {"Havenhold", "01632 960417", "Calledbyphone", "Formforename",
                                 "Okafor", "Larch", "Appellantia", "Groundsworth"}) {
      EXPECT_FALSE(Contains(page, personal)) << path << " shows " << personal;
    }
  }
  // The log keeps the entry, by UIN.
  EXPECT_TRUE(Contains(Get(mo, "/management/shielding-log"), uin_));
}

}  // namespace
}  // namespace cp::web
