// Sign-in, enrolment and session tests against real SQLite stores, a fake clock and a fake
// audit sink.
#include "identity/sign_in_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "audit/testing/fake_audit_sink.h"
#include "auth/totp.h"
#include "crypto/encoding.h"
#include "identity/session_service.h"
#include "store/sqlite/sqlite_organisation_store.h"
#include "store/sqlite/sqlite_session_store.h"
#include "store/sqlite/sqlite_user_store.h"

namespace cp::identity {
namespace {

using domain::Role;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kPassword[] = "a long passphrase for tests";

class SignInTest : public ::testing::Test {
 protected:
  SignInTest()
      : clock_(Date::Parse("2026-06-01")->StartOfDay() + std::chrono::hours(9)),
        random_(1234),
        box_(*crypto::SecretBox::FromKey(std::string(32, 'k'))),
        throttle_(clock_) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-signin-" + std::to_string(::getpid()) + "-" +
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
    SignInConfig config;
    config.argon2 = crypto::Argon2Params::ForTests();
    service_ = std::make_unique<SignInService>(*users_, *orgs_, *sessions_, audit_, clock_, random_,
                                               box_, throttle_, config);
    session_service_ =
        std::make_unique<SessionService>(*users_, *orgs_, *sessions_, audit_, clock_);
    totp_key_ = std::string(20, 'z');
    alice_id_ = AddUser("alice", /*enrolled=*/true);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  int64_t AddUser(const std::string& username, bool enrolled) {
    domain::User u;
    u.username = username;
    u.display_name = "Test User";
    u.organisation_id = org_id_;
    u.roles = {Role::kPractitioner};
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

  std::string Code(Duration offset = Duration::zero()) {
    return auth::Totp(totp_key_, clock_.Now() + offset);
  }

  ClientInfo client_{"10.1.2.3", "req-1"};
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
  std::unique_ptr<SignInService> service_;
  std::unique_ptr<SessionService> session_service_;
  std::string totp_key_;
  int64_t org_id_ = 0;
  int64_t alice_id_ = 0;
};

TEST_F(SignInTest, AllThreeFactorsSignIn) {
  auto issued = service_->SignIn("alice", kPassword, Code(), client_);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_EQ(issued->token.size(), 43u);  // 32 bytes, base64url.
  EXPECT_FALSE(issued->csrf_token.empty());
  EXPECT_EQ(issued->user.username, "alice");
  auto principal = session_service_->Authenticate(issued->token, client_.address);
  ASSERT_TRUE(principal.ok()) << principal.status().ToString();
  EXPECT_EQ(principal->organisation.code, "LA-NORTH");
  auto event = audit_.last();
  EXPECT_EQ(event.action, "auth.sign_in");
  EXPECT_EQ(event.outcome, "success");
  EXPECT_EQ(event.client_address, "10.1.2.3");
  EXPECT_EQ(event.request_id, "req-1");
}

TEST_F(SignInTest, EveryWrongFactorFailsTheSameWay) {
  auto wrong_user = service_->SignIn("mallory", kPassword, Code(), client_);
  auto wrong_password = service_->SignIn("alice", "not the passphrase", Code(), client_);
  auto wrong_code = service_->SignIn("alice", kPassword, "000000", client_);
  for (const auto* r : {&wrong_user, &wrong_password, &wrong_code}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r->status().message(), kGenericFailure);
  }
  auto events = audit_.EventsWithAction("auth.sign_in");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].reason, "unknown_user");
  EXPECT_EQ(events[1].reason, "bad_password");
  EXPECT_EQ(events[2].reason, "bad_totp");
  for (const auto& e : events) EXPECT_EQ(e.outcome, "failure");
}

TEST_F(SignInTest, ACodeIsAcceptedOnlyOnce) {
  std::string code = Code();
  ASSERT_TRUE(service_->SignIn("alice", kPassword, code, client_).ok());
  auto replay = service_->SignIn("alice", kPassword, code, client_);
  EXPECT_EQ(replay.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(replay.status().message(), kGenericFailure);
  auto replays = audit_.EventsWithAction("auth.totp_replay");
  ASSERT_EQ(replays.size(), 1u);
  EXPECT_EQ(replays[0].reason, "totp_replay");
  // The next time step's code works.
  clock_.Advance(seconds(30));
  EXPECT_TRUE(service_->SignIn("alice", kPassword, Code(), client_).ok());
}

TEST_F(SignInTest, CodesOneStepAwayAreAcceptedTwoAreNot) {
  EXPECT_TRUE(service_->SignIn("alice", kPassword, Code(-seconds(30)), client_).ok());
  clock_.Advance(minutes(5));
  EXPECT_TRUE(service_->SignIn("alice", kPassword, Code(seconds(30)), client_).ok());
  clock_.Advance(minutes(5));
  EXPECT_FALSE(service_->SignIn("alice", kPassword, Code(seconds(60)), client_).ok());
}

TEST_F(SignInTest, FiveFailuresLockTheAccount) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(service_->SignIn("alice", "wrong passphrase!", Code(), client_).ok());
  }
  EXPECT_EQ(audit_.EventsWithAction("auth.lockout").size(), 1u);
  auto user = users_->Get(alice_id_);
  ASSERT_TRUE(user->locked_until.has_value());
  EXPECT_EQ(*user->locked_until, clock_.Now() + minutes(30));
  // Even the right factors are refused, with the same message, while locked.
  auto locked = service_->SignIn("alice", kPassword, Code(), client_);
  EXPECT_FALSE(locked.ok());
  // After the lock period and a fresh throttle window, the account works again.
  clock_.Advance(minutes(31));
  throttle_.ResetAccount("alice");
  EXPECT_TRUE(service_->SignIn("alice", kPassword, Code(), client_).ok());
}

TEST_F(SignInTest, AnAddressIsThrottledAcrossAccounts) {
  for (int i = 0; i < 20; ++i) {
    (void)service_->SignIn("user" + std::to_string(i), "wrong passphrase!", "123456", client_);
  }
  auto throttled = service_->SignIn("alice", kPassword, Code(), client_);
  EXPECT_EQ(throttled.status().code(), StatusCode::kResourceExhausted);
  ClientInfo elsewhere{"10.9.9.9", "req-2"};
  EXPECT_TRUE(service_->SignIn("alice", kPassword, Code(), elsewhere).ok());
}

TEST_F(SignInTest, LapsedVettingIsExplainedOnlyAfterCorrectFactors) {
  clock_.Set(Date::Parse("2028-01-01")->StartOfDay());  // CRB from 2025-01-01 has lapsed.
  auto wrong = service_->SignIn("alice", "wrong passphrase!", Code(), client_);
  EXPECT_EQ(wrong.status().message(), kGenericFailure);
  auto right = service_->SignIn("alice", kPassword, Code(), client_);
  EXPECT_EQ(right.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(right.status().message().find("CRB"), std::string::npos);
  EXPECT_EQ(audit_.last().reason, "vetting");
}

TEST_F(SignInTest, OrganisationNetworkAllowListIsEnforced) {
  auto org = *orgs_->Get(org_id_);
  org.allowed_networks = "10.0.0.0/8";
  ASSERT_TRUE(orgs_->Update(org).ok());
  ClientInfo outside{"192.168.1.20", "r"};
  auto refused = service_->SignIn("alice", kPassword, Code(), outside);
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(audit_.last().reason, "network");
  auto issued = service_->SignIn("alice", kPassword, Code(), client_);
  ASSERT_TRUE(issued.ok());
  // A session used from outside the allow-list is refused too.
  EXPECT_EQ(session_service_->Authenticate(issued->token, "192.168.1.20").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(session_service_->Authenticate(issued->token, "10.200.0.1").ok());
}

TEST_F(SignInTest, AuditFailureRefusesAndChangesNothing) {
  audit_.SetFailing(true);
  std::string code = Code();
  auto refused = service_->SignIn("alice", kPassword, code, client_);
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(users_->GetCredentials(alice_id_)->totp_last_step, -1);
  auto none = conn_->With([](store::sqlite::Database& db) {
    auto s = db.Prepare("SELECT count(*) FROM session");
    (void)s->Step();
    return s->ColumnInt(0);
  });
  EXPECT_EQ(none, 0);
  // Failures are not counted either while the audit is down.
  for (int i = 0; i < 6; ++i) (void)service_->SignIn("alice", "wrong passphrase!", code, client_);
  EXPECT_FALSE(users_->Get(alice_id_)->locked_until.has_value());
  audit_.SetFailing(false);
  EXPECT_TRUE(service_->SignIn("alice", kPassword, code, client_).ok());
}

TEST_F(SignInTest, TokenRotatesOnEverySignIn) {
  auto a = service_->SignIn("alice", kPassword, Code(), client_);
  clock_.Advance(seconds(30));
  auto b = service_->SignIn("alice", kPassword, Code(), client_);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->token, b->token);
  EXPECT_NE(a->csrf_token, b->csrf_token);
}

TEST_F(SignInTest, BrowserTwoStepFlow) {
  auto step = service_->SubmitPassword("alice", kPassword, client_);
  ASSERT_TRUE(step.ok());
  ASSERT_TRUE(step->pending_token.has_value());
  auto issued = service_->SubmitCode(*step->pending_token, Code(), client_);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  // The pending token is single-use.
  EXPECT_EQ(service_->SubmitCode(*step->pending_token, Code(), client_).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(SignInTest, BrowserFlowRevealsAWrongPasswordOnlyAtTheEnd) {
  auto step = service_->SubmitPassword("alice", "wrong passphrase!", client_);
  ASSERT_TRUE(step.ok());
  ASSERT_TRUE(step->pending_token.has_value());  // Same as a right password.
  auto unknown = service_->SubmitPassword("nobody", "wrong passphrase!", client_);
  ASSERT_TRUE(unknown->pending_token.has_value());
  auto issued = service_->SubmitCode(*step->pending_token, Code(), client_);
  EXPECT_EQ(issued.status().message(), kGenericFailure);
  EXPECT_EQ(audit_.last().reason, "bad_password");
}

TEST_F(SignInTest, PendingSignInExpires) {
  auto step = service_->SubmitPassword("alice", kPassword, client_);
  clock_.Advance(minutes(6));
  EXPECT_EQ(service_->SubmitCode(*step->pending_token, Code(), client_).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(SignInTest, FirstSignInEnrolsAToken) {
  AddUser("bob", /*enrolled=*/false);
  // The JSON API cannot sign in an account with no token.
  EXPECT_FALSE(service_->SignIn("bob", kPassword, "123456", client_).ok());
  auto step = service_->SubmitPassword("bob", kPassword, client_);
  ASSERT_TRUE(step.ok()) << step.status().ToString();
  ASSERT_TRUE(step->enrolment.has_value());
  EXPECT_EQ(step->enrolment->stage, domain::SessionStage::kEnrolment);
  // An enrolment session opens nothing but enrolment.
  EXPECT_FALSE(session_service_->Authenticate(step->enrolment->token, client_.address).ok());
  auto principal = session_service_->Authenticate(step->enrolment->token, client_.address, true);
  ASSERT_TRUE(principal.ok());
  auto key = service_->BeginEnrolment(principal->user);
  ASSERT_TRUE(key.ok());
  EXPECT_NE(key->provisioning_uri.find("secret=" + key->base32_secret), std::string::npos);
  // Showing the page again shows the same key.
  EXPECT_EQ(service_->BeginEnrolment(principal->user)->base32_secret, key->base32_secret);
  std::string raw = *crypto::Base32Decode(key->base32_secret);
  auto wrong = service_->CompleteEnrolment(principal->session, principal->user, "000000", client_);
  EXPECT_EQ(wrong.status().field(), "code");
  auto full = service_->CompleteEnrolment(principal->session, principal->user,
                                          auth::Totp(raw, clock_.Now()), client_);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_EQ(full->stage, domain::SessionStage::kFull);
  EXPECT_FALSE(session_service_->Authenticate(step->enrolment->token, client_.address, true).ok());
  EXPECT_TRUE(session_service_->Authenticate(full->token, client_.address).ok());
  // The enrolled key now signs in, and the enrolment code cannot be replayed.
  EXPECT_FALSE(service_->SignIn("bob", kPassword, auth::Totp(raw, clock_.Now()), client_).ok());
  clock_.Advance(seconds(30));
  EXPECT_TRUE(service_->SignIn("bob", kPassword, auth::Totp(raw, clock_.Now()), client_).ok());
}

TEST_F(SignInTest, SessionsEndAfterFifteenIdleMinutes) {
  auto issued = *service_->SignIn("alice", kPassword, Code(), client_);
  clock_.Advance(minutes(14) + seconds(59));
  ASSERT_TRUE(session_service_->Authenticate(issued.token, client_.address).ok());
  clock_.Advance(minutes(15));
  EXPECT_EQ(session_service_->Authenticate(issued.token, client_.address).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(SignInTest, SessionsEndAfterTwelveHoursEvenWhenActive) {
  auto issued = *service_->SignIn("alice", kPassword, Code(), client_);
  for (int i = 0; i < 71; ++i) {
    clock_.Advance(minutes(10));
    ASSERT_TRUE(session_service_->Authenticate(issued.token, client_.address).ok()) << i;
  }
  clock_.Advance(minutes(10));  // 12 h.
  EXPECT_FALSE(session_service_->Authenticate(issued.token, client_.address).ok());
}

TEST_F(SignInTest, ExtendKeepsTheSessionAlive) {
  auto issued = *service_->SignIn("alice", kPassword, Code(), client_);
  clock_.Advance(minutes(14));
  auto principal = *session_service_->Authenticate(issued.token, client_.address);
  ASSERT_TRUE(session_service_->Extend(principal).ok());
  clock_.Advance(minutes(14));
  EXPECT_TRUE(session_service_->Authenticate(issued.token, client_.address).ok());
}

TEST_F(SignInTest, RoleChangesApplyOnTheNextRequest) {
  auto issued = *service_->SignIn("alice", kPassword, Code(), client_);
  auto user = *users_->Get(alice_id_);
  user.roles = {Role::kManagement};
  ASSERT_TRUE(users_->UpdateProfile(user).ok());
  auto principal = session_service_->Authenticate(issued.token, client_.address);
  ASSERT_TRUE(principal.ok());
  EXPECT_TRUE(principal->user.roles.Has(Role::kManagement));
  EXPECT_FALSE(principal->user.roles.Has(Role::kPractitioner));
  user = *users_->Get(alice_id_);
  user.status = domain::AccountStatus::kDisabled;
  ASSERT_TRUE(users_->UpdateProfile(user).ok());
  EXPECT_FALSE(session_service_->Authenticate(issued.token, client_.address).ok());
}

TEST_F(SignInTest, SignOutEndsTheSessionOnTheServer) {
  auto issued = *service_->SignIn("alice", kPassword, Code(), client_);
  auto principal = *session_service_->Authenticate(issued.token, client_.address);
  ASSERT_TRUE(session_service_->SignOut(principal, client_).ok());
  EXPECT_EQ(audit_.last().action, "auth.sign_out");
  EXPECT_FALSE(session_service_->Authenticate(issued.token, client_.address).ok());
}

TEST_F(SignInTest, SignOutIsRefusedWhenTheAuditIsDown) {
  auto issued = *service_->SignIn("alice", kPassword, Code(), client_);
  auto principal = *session_service_->Authenticate(issued.token, client_.address);
  audit_.SetFailing(true);
  EXPECT_EQ(session_service_->SignOut(principal, client_).code(), StatusCode::kUnavailable);
  audit_.SetFailing(false);
  EXPECT_TRUE(session_service_->Authenticate(issued.token, client_.address).ok());
}

TEST_F(SignInTest, StepUpNeedsAFreshCodeAndRecordsTheTime) {
  auto issued = *service_->SignIn("alice", kPassword, Code(), client_);
  auto principal = *session_service_->Authenticate(issued.token, client_.address);
  EXPECT_FALSE(session_service_->HasFreshStepUp(principal, std::chrono::minutes(5)));
  // The sign-in code cannot be reused for the step-up.
  EXPECT_EQ(service_->StepUp(principal.session, principal.user, Code(), client_).field(), "totp");
  EXPECT_EQ(service_->StepUp(principal.session, principal.user, "000000", client_).field(), "totp");
  EXPECT_EQ(audit_.last().action, "auth.step_up");
  EXPECT_EQ(audit_.last().outcome, "failure");
  clock_.Advance(seconds(30));
  ASSERT_TRUE(service_->StepUp(principal.session, principal.user, Code(), client_).ok());
  principal = *session_service_->Authenticate(issued.token, client_.address);
  EXPECT_TRUE(session_service_->HasFreshStepUp(principal, std::chrono::minutes(5)));
  clock_.Advance(minutes(6));
  principal = *session_service_->Authenticate(issued.token, client_.address);
  EXPECT_FALSE(session_service_->HasFreshStepUp(principal, std::chrono::minutes(5)));
}

// ---- Principals cached while the database is unchanged (SessionService::CachePrincipals).

class CachedSessionTest : public SignInTest {
 protected:
  void SetUp() override {
    SignInTest::SetUp();
    session_service_->CachePrincipals();
  }
};

TEST_F(CachedSessionTest, ChangesApplyOnTheNextRequest) {
  auto issued = *service_->SignIn("alice", kPassword, Code(), client_);
  ASSERT_TRUE(session_service_->Authenticate(issued.token, client_.address).ok());
  ASSERT_TRUE(session_service_->Authenticate(issued.token, client_.address).ok());  // Cached.
  auto user = *users_->Get(alice_id_);
  user.roles = {Role::kManagement};
  ASSERT_TRUE(users_->UpdateProfile(user).ok());
  auto principal = session_service_->Authenticate(issued.token, client_.address);
  ASSERT_TRUE(principal.ok());
  EXPECT_TRUE(principal->user.roles.Has(Role::kManagement));
  EXPECT_FALSE(principal->user.roles.Has(Role::kPractitioner));
  user = *users_->Get(alice_id_);
  user.status = domain::AccountStatus::kDisabled;
  ASSERT_TRUE(users_->UpdateProfile(user).ok());
  EXPECT_FALSE(session_service_->Authenticate(issued.token, client_.address).ok());
}

TEST_F(CachedSessionTest, ChangesByAnotherConnectionApplyOnTheNextRequest) {
  auto issued = *service_->SignIn("alice", kPassword, Code(), client_);
  ASSERT_TRUE(session_service_->Authenticate(issued.token, client_.address).ok());
  ASSERT_TRUE(session_service_->Authenticate(issued.token, client_.address).ok());
  // Another process (here: another connection to the same file) ends the user's sessions.
  auto other = *store::sqlite::OpenMainDatabase((dir_ / "main.db").string());
  store::sqlite::SqliteSessionStore other_sessions(other);
  ASSERT_TRUE(other_sessions.DeleteForUser(alice_id_).ok());
  EXPECT_EQ(session_service_->Authenticate(issued.token, client_.address).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(CachedSessionTest, OrganisationChangesAndTheRequestAddressAreCheckedEveryTime) {
  auto org = *orgs_->Get(org_id_);
  org.allowed_networks = "10.1.0.0/16";
  ASSERT_TRUE(orgs_->Update(org).ok());
  auto issued = *service_->SignIn("alice", kPassword, Code(), client_);
  ASSERT_TRUE(session_service_->Authenticate(issued.token, "10.1.2.3").ok());
  ASSERT_TRUE(session_service_->Authenticate(issued.token, "10.1.2.3").ok());
  // The cached principal does not let a request from outside the allow-list through.
  EXPECT_EQ(session_service_->Authenticate(issued.token, "192.0.2.9").status().code(),
            StatusCode::kPermissionDenied);
  ASSERT_TRUE(session_service_->Authenticate(issued.token, "10.1.2.3").ok());
  org.active = false;
  ASSERT_TRUE(orgs_->Update(org).ok());
  EXPECT_FALSE(session_service_->Authenticate(issued.token, "10.1.2.3").ok());
}

TEST_F(CachedSessionTest, TimeoutsAndSignOutStillApply) {
  auto issued = *service_->SignIn("alice", kPassword, Code(), client_);
  ASSERT_TRUE(session_service_->Authenticate(issued.token, client_.address).ok());
  clock_.Advance(std::chrono::seconds(5));  // Within the touch interval: nothing written.
  ASSERT_TRUE(session_service_->Authenticate(issued.token, client_.address).ok());
  clock_.Advance(std::chrono::minutes(15));  // Idle: ended although nothing changed.
  EXPECT_EQ(session_service_->Authenticate(issued.token, client_.address).status().code(),
            StatusCode::kUnauthenticated);
  auto again = *service_->SignIn("alice", kPassword, Code(), client_);
  auto principal = *session_service_->Authenticate(again.token, client_.address);
  ASSERT_TRUE(session_service_->Authenticate(again.token, client_.address).ok());
  ASSERT_TRUE(session_service_->SignOut(principal, client_).ok());
  EXPECT_FALSE(session_service_->Authenticate(again.token, client_.address).ok());
}

}  // namespace
}  // namespace cp::identity
