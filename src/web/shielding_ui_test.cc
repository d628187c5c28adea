// The shielding lifecycle's handlers (shielding_ui.h) through the real Router, sign-in,
// Gate, ShieldingService and SQLite stores, with a fake clock and audit sink. A tiny cookie
// jar plays the browser, as in web_ui_test.cc.
#include "web/shielding_ui.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <map>
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
#include "store/sqlite/sqlite_session_store.h"
#include "store/sqlite/sqlite_shield_store.h"
#include "store/sqlite/sqlite_user_store.h"
#include "store/testing/memory_child_store.h"
#include "web/testing/page_checks.h"
#include "web/web_ui.h"
#include "workflow/directory_index.h"
#include "workflow/directory_service.h"
#include "workflow/shielding_service.h"

namespace cp::web {
namespace {

using domain::RequestStatus;
using domain::Role;
using http::Response;
using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr char kPassword[] = "a long passphrase for tests";
constexpr char kHost[] = "cp.test";
constexpr char kOrigin[] = "http://cp.test";

struct Browser {
  std::map<std::string, std::string> cookies;
  std::string csrf;  // The session's token, read from the home page after sign-in.
  void Absorb(const Response& response) {
    for (std::string_view header : response.headers().GetAll("Set-Cookie")) {
      const size_t eq = header.find('=');
      const size_t semi = header.find(';');
      std::string name(header.substr(0, eq));
      if (header.find("Max-Age=0") != std::string_view::npos) {
        cookies.erase(name);
      } else {
        cookies[name] = std::string(header.substr(eq + 1, semi - eq - 1));
      }
    }
  }
};

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

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

constexpr std::string_view kPdf = "%PDF-1.4\n% a tiny test document\n";

class ShieldingUiTest : public ::testing::Test {
 protected:
  // Thursday 2 April 2026: Good Friday and Easter Monday follow.
  ShieldingUiTest()
      : clock_(Date::Parse("2026-04-02")->StartOfDay() + std::chrono::hours(9)),
        random_(7),
        box_(*crypto::SecretBox::FromKey(std::string(32, 'k'))),
        throttle_(clock_) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-shieldui-" + std::to_string(::getpid()) + "-" +
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
    directory_index_ = std::make_unique<workflow::DirectoryIndex>(memory_children_);
    directory_ = std::make_unique<workflow::DirectoryService>(memory_children_, *directory_index_,
                                                              audit_, "criteria-key");
    children_ = std::make_unique<store::sqlite::SqliteChildStore>(conn_, box_, std::string(32, 'h'),
                                                                  &clock_);
    shields_ = std::make_unique<store::sqlite::SqliteShieldStore>(conn_, box_, clock_);
    named_persons_ = std::make_unique<workflow::StoreNamedPersonDirectory>(*users_, *orgs_);
    shielding_ = std::make_unique<workflow::ShieldingService>(*children_, *shields_,
                                                              *named_persons_, audit_, clock_);
    router_ = std::make_shared<http::Router>();
    ASSERT_TRUE(
        RegisterWebUi(*router_, WebUiDeps{*gate_, *sign_in_, *accounts_, *orgs_, *directory_,
                                          *shielding_, clock_, random_, 900, 120})
            .ok());
    totp_key_ = std::string(20, 'z');
    // The refuge has a named person (sam) and a practitioner (kim); the school has no named
    // person, so pat's requests go to management (mo). eve manages another authority.
    const int64_t council = Org("LA-NORTH", domain::OrganisationType::kLocalAuthority, "LA-NORTH");
    const int64_t east = Org("LA-EAST", domain::OrganisationType::kLocalAuthority, "LA-EAST");
    const int64_t refuge = Org("VOL-HAVEN", domain::OrganisationType::kVoluntary, "LA-NORTH");
    const int64_t school = Org("SCH-1", domain::OrganisationType::kSchool, "LA-NORTH");
    AddUser("mo", council, {Role::kManagement});
    AddUser("eve", east, {Role::kManagement});
    AddUser("sam", refuge, {Role::kShielder, Role::kPractitioner});
    AddUser("kim", refuge, {Role::kPractitioner});
    AddUser("pat", school, {Role::kPractitioner});
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
    child_id_ = *children_->Create(r);
    uin_ = r.uin.str();
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

  Response Send(Browser& b, std::string method, std::string target, std::string body,
                std::string content_type = "application/x-www-form-urlencoded") {
    http::RequestInit init;
    init.method = std::move(method);
    init.target = std::move(target);
    init.headers.Add("Host", kHost);
    if (init.method == "POST") {
      init.headers.Add("Origin", kOrigin);
      init.headers.Add("Content-Type", content_type);
    }
    std::string cookie_header;
    for (const auto& [k, v] : b.cookies) {
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
    b.Absorb(response);
    if (response.content_type().starts_with("text/html")) {
      auto problems = testing::CheckPage(response.body());
      EXPECT_TRUE(problems.empty()) << problems.front();
    }
    return response;
  }

  Response Get(Browser& b, std::string target) { return Send(b, "GET", std::move(target), ""); }
  // POSTs `fields` with the session's CSRF token first (unless `with_token` is false).
  Response Post(Browser& b, std::string target, Fields fields = {}, bool with_token = true) {
    if (with_token) fields.insert(fields.begin(), {"csrf_token", b.csrf});
    std::string body;
    for (const auto& [k, v] : fields) {
      if (!body.empty()) body += '&';
      body += UrlEncode(k) + "=" + UrlEncode(v);
    }
    return Send(b, "POST", std::move(target), std::move(body));
  }

  Browser SignIn(const std::string& username) {
    Browser b;
    Response page = Get(b, "/sign-in");
    Response r =
        Post(b, "/sign-in",
             {{"csrf_token", CsrfIn(page.body())}, {"username", username}, {"password", kPassword}},
             false);
    EXPECT_EQ(Location(r), "/sign-in/code");
    page = Get(b, "/sign-in/code");
    clock_.Advance(std::chrono::seconds(30));
    r = Post(b, "/sign-in/code",
             {{"csrf_token", CsrfIn(page.body())}, {"code", auth::Totp(totp_key_, clock_.Now())}},
             false);
    EXPECT_EQ(Location(r), "/");
    b.csrf = CsrfIn(Get(b, "/").body());
    EXPECT_FALSE(b.csrf.empty());
    return b;
  }

  workflow::Actor ActorOf(const std::string& username, const std::string& org, Role role) {
    return {username, org, "LA-NORTH", {role}, "r", "ip", false};
  }

  // A direct shield by sam (the refuge's named person), through the service.
  int64_t ShieldBySam() {
    workflow::ShieldInput in;
    in.uin = uin_;
    in.criteria = {"child_at_risk"};
    in.category = "refuge";
    auto out = shielding_->RequestShield(
        {"sam", "VOL-HAVEN", "LA-NORTH", {Role::kShielder, Role::kPractitioner}, "r", "ip", false},
        in);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out->request_id;
  }

  domain::ShieldRequest RequestById(int64_t id) { return *shields_->GetRequest(id); }
  bool Shielded() { return children_->Get(child_id_)->shielded; }
  std::string WithdrawPath(int64_t id) {
    return "/children/" + uin_ + "/shields/" + std::to_string(id) + "/withdraw";
  }

  Fields TelephoneFields(std::vector<std::string> criteria) {
    Fields f;
    f.emplace_back("uin", uin_);
    for (auto& c : criteria) f.emplace_back("criteria", std::move(c));
    f.insert(f.end(), {{"category", "domestic_violence"},
                       {"requester_name", "Grace Okafor"},
                       {"requester_contact", "07700 900412"},
                       {"requester_relationship", "mother"},
                       {"comments", ""},
                       {"form_reference", "GO-1"},
                       {"form_surname", "Okafor"},
                       {"form_known_as_surname", "Adebayo"},
                       {"form_forenames", "Amelia Grace"},
                       {"form_date_of_birth", "2015-04-03"},
                       {"form_gender", "female"},
                       {"form_addresses", "14 Larch Avenue, Northtown\r\n3 Birch Way, Southam"},
                       {"form_service", "Northshire children's services"},
                       {"form_caseworker", "Jo Case"},
                       {"form_service_phone", "01632 960 001"},
                       {"form_service_email", "jo.case@example.org"},
                       {"form_office_decision", "Shield"},
                       {"form_decided_by", "Morgan"},
                       {"form_reviewer", "Morgan"},
                       {"form_review_when", "In 7 days"}});
    return f;
  }

  // Records a telephone request as mo; returns its id.
  int64_t Telephone(Browser& mo) {
    Response r = Post(mo, "/management/telephone-requests", TelephoneFields({"child_at_risk"}));
    EXPECT_EQ(r.status(), 303);
    const std::string prefix = "/management/requests/";
    EXPECT_TRUE(Location(r).starts_with(prefix)) << Location(r);
    return std::stoll(Location(r).substr(prefix.size()));
  }

  Response Upload(Browser& b, int64_t id, std::string_view type, std::string_view bytes,
                  bool with_token = true) {
    const std::string boundary = "----cpTestBoundary";
    std::string body;
    if (with_token) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" +
              b.csrf + "\r\n";
    }
    body += "--" + boundary +
            "\r\nContent-Disposition: form-data; name=\"document\"; filename=\"form.bin\"\r\n"
            "Content-Type: " +
            std::string(type) + "\r\n\r\n" + std::string(bytes) + "\r\n--" + boundary + "--\r\n";
    return Send(b, "POST", "/management/requests/" + std::to_string(id) + "/documents",
                std::move(body), "multipart/form-data; boundary=" + boundary);
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
  store::testing::MemoryChildStore memory_children_;
  std::unique_ptr<workflow::DirectoryIndex> directory_index_;
  std::unique_ptr<workflow::DirectoryService> directory_;
  std::unique_ptr<store::sqlite::SqliteChildStore> children_;
  std::unique_ptr<store::sqlite::SqliteShieldStore> shields_;
  std::unique_ptr<workflow::StoreNamedPersonDirectory> named_persons_;
  std::unique_ptr<workflow::ShieldingService> shielding_;
  std::shared_ptr<http::Router> router_;
  std::string totp_key_;
  std::string uin_;
  int64_t child_id_ = 0;
  int requests_ = 0;
};

// ---- Withdrawing, then the final unshield -----------------------------------------------------

TEST_F(ShieldingUiTest, ARequesterWithdrawsAndTheRecordStaysShieldedUntilManagementUnshields) {
  const int64_t id = ShieldBySam();
  Browser sam = SignIn("sam");
  Response list = Get(sam, "/shield-requests");
  ASSERT_EQ(list.status(), 200);
  EXPECT_TRUE(Contains(list, "href=\"" + WithdrawPath(id) + "\""));
  Response page = Get(sam, WithdrawPath(id));
  ASSERT_EQ(page.status(), 200);
  EXPECT_TRUE(Contains(page, "The record stays shielded after you withdraw"));

  // Without the session's token nothing happens.
  EXPECT_EQ(Post(sam, WithdrawPath(id), {}, false).status(), 403);
  EXPECT_EQ(RequestById(id).status, RequestStatus::kActive);

  Response r = Post(sam, WithdrawPath(id));
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/shield-requests");
  EXPECT_EQ(RequestById(id).status, RequestStatus::kWithdrawn);
  EXPECT_TRUE(Shielded());  // §7: only management's decision removes the shield.
  EXPECT_TRUE(Contains(Get(sam, "/shield-requests"), "Shield request withdrawn"));
  // Twice: the request is no longer active.
  r = Post(sam, WithdrawPath(id));
  EXPECT_EQ(r.status(), 409);
  EXPECT_TRUE(Contains(r, "no longer active"));

  Browser mo = SignIn("mo");
  r = Post(mo, "/management/children/" + uin_ + "/unshield");
  ASSERT_EQ(r.status(), 303);
  EXPECT_FALSE(Shielded());
}

TEST_F(ShieldingUiTest, OnlyTheRequesterOrTheRecordsManagementMayWithdraw) {
  const int64_t id = ShieldBySam();
  Browser pat = SignIn("pat");
  EXPECT_EQ(Get(pat, WithdrawPath(id)).status(), 403);
  EXPECT_EQ(Post(pat, WithdrawPath(id)).status(), 403);
  Browser eve = SignIn("eve");  // Management of another authority.
  EXPECT_EQ(Post(eve, WithdrawPath(id)).status(), 403);
  EXPECT_EQ(RequestById(id).status, RequestStatus::kActive);
  // The request must belong to the record in the path.
  Browser sam = SignIn("sam");
  EXPECT_EQ(Get(sam, "/children/" + uin_ + "/shields/999/withdraw").status(), 404);
  EXPECT_EQ(Get(sam, "/children/" + uin_ + "/shields/abc/withdraw").status(), 404);
  EXPECT_EQ(Get(sam, "/children/not-a-uin/shields/1/withdraw").status(), 400);

  // Management withdraws on the requester's behalf and lands on the record's review.
  Browser mo = SignIn("mo");
  EXPECT_EQ(Post(mo, "/management/children/" + uin_ + "/unshield").status(), 409);
  Response r = Post(mo, WithdrawPath(id));
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/management/children/" + uin_ + "/review");
  EXPECT_EQ(Post(mo, "/management/children/" + uin_ + "/unshield").status(), 303);
}

// ---- The named person ---------------------------------------------------------------------

TEST_F(ShieldingUiTest, TheNamedPersonApprovesTheirPractitionersRequest) {
  Browser kim = SignIn("kim");
  Response form = Get(kim, "/children/" + uin_ + "/shield");
  ASSERT_EQ(form.status(), 200);
  Response r = Post(kim, "/children/" + uin_ + "/shield",
                    {{"criteria", "child_at_risk"}, {"category", "refuge"}});
  ASSERT_EQ(r.status(), 200);
  EXPECT_TRUE(Contains(r, "named person"));
  EXPECT_FALSE(Shielded());
  auto pending = *shielding_->Requests(ActorOf("kim", "VOL-HAVEN", Role::kPractitioner));
  ASSERT_EQ(pending.own.size(), 1u);
  const int64_t id = pending.own[0].id;

  // kim sees her own request; she cannot decide it.
  Response mine = Get(kim, "/shield-requests");
  EXPECT_FALSE(Contains(mine, "awaiting your decision"));
  EXPECT_TRUE(Contains(mine, "Awaiting a decision"));
  EXPECT_EQ(Post(kim, "/shield-requests/" + std::to_string(id) + "/approve").status(), 403);
  // pat is no named person; a named person of another organisation has no say.
  Browser pat = SignIn("pat");
  EXPECT_EQ(Post(pat, "/shield-requests/" + std::to_string(id) + "/approve").status(), 403);

  Browser sam = SignIn("sam");
  Response desk = Get(sam, "/shield-requests");
  ASSERT_EQ(desk.status(), 200);
  EXPECT_TRUE(Contains(desk, "Requests awaiting your decision"));
  EXPECT_TRUE(Contains(desk, "action=\"/shield-requests/" + std::to_string(id) + "/approve\""));
  EXPECT_TRUE(Contains(Get(sam, "/"), "href=\"/shield-requests\""));
  EXPECT_EQ(Post(sam, "/shield-requests/" + std::to_string(id) + "/approve", {}, false).status(),
            403);
  EXPECT_FALSE(Shielded());
  r = Post(sam, "/shield-requests/" + std::to_string(id) + "/approve");
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/shield-requests");
  EXPECT_TRUE(Shielded());
  EXPECT_EQ(RequestById(id).status, RequestStatus::kActive);
  // Decided already: the list says so rather than failing.
  r = Post(sam, "/shield-requests/" + std::to_string(id) + "/reject");
  EXPECT_EQ(r.status(), 303);
  EXPECT_EQ(RequestById(id).status, RequestStatus::kActive);
}

TEST_F(ShieldingUiTest, TheShieldFormCarriesTheAppendix4FormSealedForManagement) {
  Browser kim = SignIn("kim");
  Response form = Get(kim, "/children/" + uin_ + "/shield");
  ASSERT_EQ(form.status(), 200);
  EXPECT_TRUE(Contains(form, "The request form (Appendix 4), optional"));
  EXPECT_TRUE(Contains(form, "name=\"form_known_as_surname\""));

  // A malformed date of birth on the form is refused, naming the field, and nothing is stored.
  Fields bad = {{"criteria", "child_at_risk"},
                {"category", "refuge"},
                {"form_surname", "Okafor"},
                {"form_date_of_birth", "3/4/2015"}};
  Response r = Post(kim, "/children/" + uin_ + "/shield", bad);
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "href=\"#form_date_of_birth\""));
  EXPECT_TRUE(shielding_->Requests(ActorOf("kim", "VOL-HAVEN", Role::kPractitioner))->own.empty());

  Fields good = {
      {"criteria", "child_at_risk"},        {"category", "refuge"},
      {"form_reference", "KK-7"},           {"form_surname", "Okafor"},
      {"form_known_as_surname", "Adebayo"}, {"form_forenames", "Amelia Grace"},
      {"form_date_of_birth", "2015-04-03"}, {"form_addresses", "14 Larch Avenue, Northtown"},
      {"form_caseworker", "Kim Keyworker"}};
  r = Post(kim, "/children/" + uin_ + "/shield", good);
  ASSERT_EQ(r.status(), 200);
  auto pending = *shielding_->Requests(ActorOf("kim", "VOL-HAVEN", Role::kPractitioner));
  ASSERT_EQ(pending.own.size(), 1u);
  const domain::ShieldRequest stored = RequestById(pending.own[0].id);
  EXPECT_EQ(stored.form.requester_reference, "KK-7");
  EXPECT_EQ(stored.form.known_as_surname, "Adebayo");
  ASSERT_EQ(stored.form.recent_addresses.size(), 1u);
  EXPECT_EQ(stored.form.recent_addresses[0], "14 Larch Avenue, Northtown");

  // Management reads it back; the requester's named person's page does not show it.
  Browser mo = SignIn("mo");
  Response detail = Get(mo, "/management/requests/" + std::to_string(pending.own[0].id));
  ASSERT_EQ(detail.status(), 200);
  for (std::string_view text : {"KK-7", "Adebayo", "14 Larch Avenue, Northtown", "Kim Keyworker"}) {
    EXPECT_TRUE(Contains(detail, text)) << text;
  }
  Browser sam = SignIn("sam");
  EXPECT_FALSE(Contains(Get(sam, "/shield-requests"), "14 Larch Avenue"));
}

TEST_F(ShieldingUiTest, TheNamedPersonRejectsARequestAndItIsLogged) {
  workflow::ShieldInput in;
  in.uin = uin_;
  in.criteria = {"child_at_risk"};
  in.category = "refuge";
  auto out = shielding_->RequestShield(ActorOf("kim", "VOL-HAVEN", Role::kPractitioner), in);
  ASSERT_TRUE(out.ok());
  Browser sam = SignIn("sam");
  Response r = Post(sam, "/shield-requests/" + std::to_string(out->request_id) + "/reject");
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(RequestById(out->request_id).status, RequestStatus::kRejected);
  EXPECT_FALSE(Shielded());
  auto log = *shielding_->Log(ActorOf("mo", "LA-NORTH", Role::kManagement));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, domain::LogAction::kRejected);
}

// ---- Telephone requests, the sealed form, documents -----------------------------------------

TEST_F(ShieldingUiTest, ATelephoneRequestShieldsAtOnceWithItsWorkingDayDeadline) {
  Browser mo = SignIn("mo");
  Response form = Get(mo, "/management/telephone-requests/new?uin=" + uin_);
  ASSERT_EQ(form.status(), 200);
  // Thursday 2 April 2026 + 7 working days, Good Friday and Easter Monday excluded.
  EXPECT_TRUE(Contains(form, "Wednesday 15 April 2026"));
  EXPECT_TRUE(Contains(form, "value=\"" + uin_ + "\""));

  const int64_t id = Telephone(mo);
  EXPECT_TRUE(Shielded());
  const domain::ShieldRequest stored = RequestById(id);
  EXPECT_TRUE(stored.telephone);
  EXPECT_EQ(stored.form_due, Date::Parse("2026-04-15").value());
  EXPECT_EQ(stored.form.recent_addresses.size(), 2u);

  Response detail = Get(mo, "/management/requests/" + std::to_string(id));
  ASSERT_EQ(detail.status(), 200);
  EXPECT_TRUE(Contains(detail, "Telephone request recorded"));
  EXPECT_TRUE(Contains(detail, "Completed form due by Wednesday 15 April 2026"));
  for (std::string_view text :
       {"GO-1", "Adebayo", "Amelia Grace", "3 April 2015",
        "14 Larch Avenue, Northtown<br>3 Birch "
        "Way, Southam",
        "Northshire children&#39;s services", "Jo Case", "01632 960 001", "jo.case@example.org",
        "In 7 days", "Grace Okafor", "07700 900412"}) {
    EXPECT_TRUE(Contains(detail, text)) << text;
  }
  EXPECT_EQ(audit_.EventsWithAction("shield.request_read").back().outcome, "success");

  Response r = Post(mo, "/management/requests/" + std::to_string(id) + "/form-received");
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(RequestById(id).form_received, Date::Parse("2026-04-02").value());
  detail = Get(mo, "/management/requests/" + std::to_string(id));
  EXPECT_TRUE(Contains(detail, "Completed form received on 2 April 2026"));
}

TEST_F(ShieldingUiTest, TelephoneRequestsAreValidatedAndOneMeetingNoCriterionIsRejected) {
  Browser mo = SignIn("mo");
  Response r = Post(mo, "/management/telephone-requests",
                    {{"uin", "nonsense"}, {"category", "refuge"}, {"criteria", "bogus"}});
  ASSERT_EQ(r.status(), 400);
  for (std::string_view target :
       {"#uin", "#criteria", "#requester_name", "#requester_contact", "#requester_relationship"}) {
    EXPECT_TRUE(Contains(r, "href=\"" + std::string(target) + "\"")) << target;
  }
  Fields bad_dob = TelephoneFields({"child_at_risk"});
  for (auto& [k, v] : bad_dob) {
    if (k == "form_date_of_birth") v = "3/4/15";
  }
  r = Post(mo, "/management/telephone-requests", bad_dob);
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "href=\"#form_date_of_birth\""));
  EXPECT_FALSE(Shielded());

  // No criterion: rejected and logged (§3), and the §2.8 notice.
  r = Post(mo, "/management/telephone-requests", TelephoneFields({}));
  ASSERT_EQ(r.status(), 422);
  EXPECT_TRUE(Contains(r, "Objection to ContactPoint in principle"));
  EXPECT_FALSE(Shielded());
  EXPECT_EQ((*shielding_->Log(ActorOf("mo", "LA-NORTH", Role::kManagement)))[0].action,
            domain::LogAction::kRejected);

  // Only management records calls.
  Browser pat = SignIn("pat");
  EXPECT_EQ(Get(pat, "/management/telephone-requests/new").status(), 403);
  EXPECT_EQ(
      Post(pat, "/management/telephone-requests", TelephoneFields({"child_at_risk"})).status(),
      403);
  EXPECT_FALSE(Shielded());
}

TEST_F(ShieldingUiTest, DocumentsAreUploadedAndReadOnlyByTheRecordsManagement) {
  Browser mo = SignIn("mo");
  const int64_t id = Telephone(mo);
  const std::string base = "/management/requests/" + std::to_string(id);

  // Without the token, or with a body that is no file of an allowed type: refused.
  EXPECT_EQ(Upload(mo, id, "application/pdf", kPdf, false).status(), 403);
  Response r = Upload(mo, id, "text/plain", "hello");
  ASSERT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "href=\"#document\""));
  r = Upload(mo, id, "application/pdf", "not a pdf at all");
  EXPECT_EQ(r.status(), 400);
  r = Upload(mo, id, "application/pdf", "");
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "Choose a file to upload"));
  EXPECT_TRUE(shielding_->Documents(ActorOf("mo", "LA-NORTH", Role::kManagement), id)->empty());

  r = Upload(mo, id, "application/pdf", kPdf);
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), base);
  auto docs = *shielding_->Documents(ActorOf("mo", "LA-NORTH", Role::kManagement), id);
  ASSERT_EQ(docs.size(), 1u);
  const std::string doc_path = base + "/documents/" + std::to_string(docs[0].id);
  Response detail = Get(mo, base);
  EXPECT_TRUE(Contains(detail, "href=\"" + doc_path + "\""));
  Response file = Get(mo, doc_path);
  ASSERT_EQ(file.status(), 200);
  EXPECT_EQ(file.body(), kPdf);
  EXPECT_EQ(file.content_type(), "application/pdf");
  EXPECT_TRUE(file.headers().Get("Content-Disposition")->starts_with("attachment"));
  EXPECT_EQ(file.headers().Get("Cache-Control").value_or(""), "no-store");

  Browser sam = SignIn("sam");
  EXPECT_EQ(Get(sam, doc_path).status(), 403);
  EXPECT_EQ(Get(sam, base).status(), 403);
  EXPECT_EQ(Upload(sam, id, "application/pdf", kPdf).status(), 403);
  Browser eve = SignIn("eve");
  EXPECT_EQ(Get(eve, doc_path).status(), 403);
  EXPECT_EQ(Get(eve, base).status(), 403);
  EXPECT_EQ(Get(mo, base + "/documents/999").status(), 404);
  EXPECT_EQ(Get(mo, "/management/requests/999").status(), 404);
}

TEST_F(ShieldingUiTest, TheFormIsNotShownWhenTheAuditCannotBeWritten) {
  Browser mo = SignIn("mo");
  const int64_t id = Telephone(mo);
  audit_.SetFailing(true);
  Response r = Get(mo, "/management/requests/" + std::to_string(id));
  EXPECT_EQ(r.status(), 503);
  EXPECT_FALSE(Contains(r, "Adebayo"));
  EXPECT_FALSE(Contains(r, "Larch"));
}

// ---- Appeals, the log's confirmation ---------------------------------------------------------

TEST_F(ShieldingUiTest, ManagementRecordsAnAppealAndItsOutcome) {
  Browser mo = SignIn("mo");
  EXPECT_EQ(Get(mo, "/management/appeals").status(), 200);
  EXPECT_EQ(Get(mo, "/management/appeals/new?uin=" + uin_).status(), 200);
  Response r = Post(mo, "/management/appeals", {{"uin", uin_}, {"appellant", ""}, {"grounds", ""}});
  ASSERT_EQ(r.status(), 400);
  EXPECT_TRUE(Contains(r, "href=\"#appellant\""));
  EXPECT_TRUE(Contains(r, "href=\"#grounds\""));
  r = Post(mo, "/management/appeals",
           {{"uin", "4820175396X"}, {"appellant", "Mr Marsh"}, {"grounds", "Wants access"}});
  EXPECT_EQ(r.status(), 400);  // No such record (or not a UIN).
  r = Post(mo, "/management/appeals",
           {{"uin", uin_}, {"appellant", "Mr Marsh, 07700 900999"}, {"grounds", "Disputes it"}});
  ASSERT_EQ(r.status(), 303);
  const std::string page = Location(r);
  ASSERT_TRUE(page.starts_with("/management/appeals/"));
  Response appeal = Get(mo, page);
  ASSERT_EQ(appeal.status(), 200);
  EXPECT_TRUE(Contains(appeal, "Mr Marsh, 07700 900999"));
  EXPECT_TRUE(Contains(Get(mo, "/management/appeals"), "href=\"" + page + "\""));

  EXPECT_EQ(Post(mo, page, {{"outcome", "maybe"}}).status(), 400);
  r = Post(mo, page, {{"outcome", "not_upheld"}, {"notes", "Criteria still met"}});
  ASSERT_EQ(r.status(), 303);
  appeal = Get(mo, page);
  EXPECT_TRUE(Contains(appeal, "Not upheld"));
  EXPECT_TRUE(Contains(appeal, "Criteria still met"));
  EXPECT_EQ(Post(mo, page, {{"outcome", "upheld"}}).status(), 409);

  Browser eve = SignIn("eve");
  EXPECT_EQ(Get(eve, page).status(), 404);  // Not among her authority's appeals.
  Browser pat = SignIn("pat");
  EXPECT_EQ(Get(pat, "/management/appeals").status(), 403);
  EXPECT_EQ(Post(pat, "/management/appeals", {{"uin", uin_}, {"appellant", "x"}, {"grounds", "y"}})
                .status(),
            403);
}

TEST_F(ShieldingUiTest, ConfirmationSentIsRecordedOnTheLog) {
  ShieldBySam();
  Browser mo = SignIn("mo");
  auto log = *shielding_->Log(ActorOf("mo", "LA-NORTH", Role::kManagement));
  ASSERT_EQ(log.size(), 1u);
  const std::string action =
      "/management/shielding-log/" + std::to_string(log[0].id) + "/confirmation-sent";
  Response page = Get(mo, "/management/shielding-log");
  EXPECT_TRUE(Contains(page, "action=\"" + action + "\""));
  Browser pat = SignIn("pat");
  EXPECT_EQ(Post(pat, action).status(), 403);
  EXPECT_EQ(Post(mo, action, {}, false).status(), 403);
  Response r = Post(mo, action);
  ASSERT_EQ(r.status(), 303);
  EXPECT_EQ(Location(r), "/management/shielding-log");
  page = Get(mo, "/management/shielding-log");
  EXPECT_TRUE(Contains(page, "Confirmation recorded as sent today"));
  EXPECT_FALSE(Contains(page, "action=\"" + action + "\""));
  log = *shielding_->Log(ActorOf("mo", "LA-NORTH", Role::kManagement));
  EXPECT_EQ(log[0].confirmation_sent, Date::Parse("2026-04-02").value());
}

}  // namespace
}  // namespace cp::web
