#include "workflow/account_admin.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "audit/testing/fake_audit_sink.h"
#include "store/sqlite/sqlite_organisation_store.h"
#include "store/sqlite/sqlite_session_store.h"
#include "store/sqlite/sqlite_user_store.h"

namespace cp::workflow {
namespace {

using domain::OrganisationType;
using domain::Role;

class AccountAdminTest : public ::testing::Test {
 protected:
  AccountAdminTest() : clock_(FromUnixSeconds(1'800'000'000)), random_(9), throttle_(clock_) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-admin-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto conn = *store::sqlite::OpenMainDatabase((dir_ / "main.db").string());
    orgs_ = std::make_unique<store::sqlite::SqliteOrganisationStore>(conn);
    users_ = std::make_unique<store::sqlite::SqliteUserStore>(conn);
    sessions_ = std::make_unique<store::sqlite::SqliteSessionStore>(conn);
    admin_ = std::make_unique<AccountAdmin>(*users_, *orgs_, *sessions_, audit_, throttle_, random_,
                                            crypto::Argon2Params::ForTests());
    la_ = *admin_->CreateOrganisation(
        kSystem, {0, "LA-NORTH", "Northshire Council", OrganisationType::kLocalAuthority,
                  "LA-NORTH", "", true});
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  domain::User Practitioner(const std::string& username) {
    domain::User u;
    u.username = username;
    u.display_name = "Pat Example";
    u.organisation_id = la_.id;
    u.roles = {Role::kPractitioner};
    return u;
  }

  const Actor kSystem{"system", "", "", {}, "", "", true};
  const Actor kAdministrator{"ada", "LA-NORTH",  "LA-NORTH", {Role::kAdministrator},
                             "r1",  "127.0.0.1", false};
  const Actor kPractitioner{"pat", "LA-NORTH",  "LA-NORTH", {Role::kPractitioner},
                            "r2",  "127.0.0.1", false};

  FakeClock clock_;
  SeededRandom random_;
  auth::LoginThrottle throttle_;
  audit::testing::FakeAuditSink audit_;
  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteOrganisationStore> orgs_;
  std::unique_ptr<store::sqlite::SqliteUserStore> users_;
  std::unique_ptr<store::sqlite::SqliteSessionStore> sessions_;
  std::unique_ptr<AccountAdmin> admin_;
  domain::Organisation la_;
};

TEST_F(AccountAdminTest, AdministratorCreatesAUserWithAGeneratedPassword) {
  auto created = admin_->CreateUser(kAdministrator, Practitioner("pat"), std::nullopt);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->initial_password.size(), 20u);
  auto creds = users_->GetCredentials(created->user.id);
  EXPECT_TRUE(crypto::VerifyPassword(created->initial_password, creds->password_hash));
  EXPECT_FALSE(creds->totp_enrolled);
  auto event = audit_.last();
  EXPECT_EQ(event.action, "user.create");
  EXPECT_EQ(event.actor, "ada");
  EXPECT_EQ(event.target, "user:pat");
  EXPECT_EQ(event.details_json.find(created->initial_password), std::string::npos);
}

TEST_F(AccountAdminTest, NonAdministratorsAreDeniedAndAudited) {
  auto denied = admin_->CreateUser(kPractitioner, Practitioner("eve"), std::nullopt);
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(audit_.last().outcome, "denied");
  EXPECT_FALSE(users_->GetByUsername("eve").ok());
  EXPECT_EQ(admin_->ListUsers(kPractitioner).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(admin_->CreateOrganisation(kPractitioner, la_).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(AccountAdminTest, WeakOrInvalidInputIsRefusedNamingTheField) {
  auto weak = admin_->CreateUser(kAdministrator, Practitioner("pat"), std::string("password"));
  EXPECT_EQ(weak.status().field(), "password");
  auto bad_name = Practitioner("Bad Name");
  EXPECT_EQ(admin_->CreateUser(kAdministrator, bad_name, std::nullopt).status().field(),
            "username");
  auto no_roles = Practitioner("noroles");
  no_roles.roles = {};
  EXPECT_EQ(admin_->CreateUser(kAdministrator, no_roles, std::nullopt).status().field(), "roles");
  domain::Organisation bad_net{0,          "SCH-1",      "A School", OrganisationType::kSchool,
                               "LA-NORTH", "10.0.0.1/8", true};
  EXPECT_EQ(admin_->CreateOrganisation(kAdministrator, bad_net).status().field(),
            "allowed_networks");
  domain::Organisation bad_area{0,         "SCH-2", "A School", OrganisationType::kSchool,
                                "LA-NOPE", "",      true};
  EXPECT_EQ(admin_->CreateOrganisation(kAdministrator, bad_area).status().field(),
            "local_authority_code");
  EXPECT_EQ(orgs_->List()->size(), 1u);
  EXPECT_EQ(users_->List()->size(), 0u);
}

TEST_F(AccountAdminTest, DuplicateUsernameIsRefused) {
  ASSERT_TRUE(admin_->CreateUser(kAdministrator, Practitioner("pat"), std::nullopt).ok());
  auto dup = admin_->CreateUser(kAdministrator, Practitioner("pat"), std::nullopt);
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "username");
}

TEST_F(AccountAdminTest, AuditFailureChangesNothing) {
  audit_.SetFailing(true);
  auto refused = admin_->CreateUser(kAdministrator, Practitioner("pat"), std::nullopt);
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(users_->GetByUsername("pat").ok());
}

TEST_F(AccountAdminTest, DisablingAUserEndsTheirSessions) {
  auto created = *admin_->CreateUser(kAdministrator, Practitioner("pat"), std::nullopt);
  domain::Session session{"h", created.user.id, clock_.Now(), clock_.Now(),
                          "c", std::nullopt,    "",           domain::SessionStage::kFull};
  ASSERT_TRUE(sessions_->Create(session).ok());
  domain::User user = *users_->Get(created.user.id);
  user.status = domain::AccountStatus::kDisabled;
  user.roles.Add(Role::kShielder);
  auto updated = admin_->UpdateUser(kAdministrator, user);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_TRUE(updated->roles.Has(Role::kShielder));
  EXPECT_FALSE(sessions_->Get("h").ok());
  EXPECT_NE(audit_.last().details_json.find("\"previous_roles\":[\"practitioner\"]"),
            std::string::npos);
}

TEST_F(AccountAdminTest, UnlockClearsTheLockAndTheThrottle) {
  auto created = *admin_->CreateUser(kAdministrator, Practitioner("pat"), std::nullopt);
  ASSERT_TRUE(users_->SetLockedUntil(created.user.id, clock_.Now() + std::chrono::hours(1)).ok());
  for (int i = 0; i < 5; ++i) throttle_.RecordFailure("pat", "");
  ASSERT_FALSE(throttle_.CheckAllowed("pat", "10.0.0.1").ok());
  ASSERT_TRUE(admin_->Unlock(kAdministrator, "pat").ok());
  EXPECT_FALSE(users_->Get(created.user.id)->locked_until.has_value());
  EXPECT_TRUE(throttle_.CheckAllowed("pat", "10.0.0.1").ok());
}

TEST_F(AccountAdminTest, ResetTokenForcesReEnrolment) {
  auto created = *admin_->CreateUser(kAdministrator, Practitioner("pat"), std::nullopt);
  ASSERT_TRUE(users_->SetTotpSecret(created.user.id, "sealed", true).ok());
  ASSERT_TRUE(admin_->ResetToken(kAdministrator, "pat").ok());
  auto creds = users_->GetCredentials(created.user.id);
  EXPECT_FALSE(creds->totp_enrolled);
  EXPECT_TRUE(creds->totp_secret_sealed.empty());
}

}  // namespace
}  // namespace cp::workflow
