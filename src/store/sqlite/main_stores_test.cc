// Tests of the SQLite organisation, user and session stores against a real database file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_organisation_store.h"
#include "store/sqlite/sqlite_session_store.h"
#include "store/sqlite/sqlite_user_store.h"

namespace cp::store::sqlite {
namespace {

using domain::Organisation;
using domain::OrganisationType;
using domain::Role;
using domain::User;

class MainStoresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-main-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto conn = OpenMainDatabase((dir_ / "main.db").string());
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = *conn;
    orgs_ = std::make_unique<SqliteOrganisationStore>(conn_);
    users_ = std::make_unique<SqliteUserStore>(conn_);
    sessions_ = std::make_unique<SqliteSessionStore>(conn_);
    auto id = orgs_->Create(Organisation{0, "LA-NORTH", "Northshire Council",
                                         OrganisationType::kLocalAuthority, "LA-NORTH", "", true});
    ASSERT_TRUE(id.ok());
    org_id_ = *id;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  User NewUser(const std::string& username) {
    User u;
    u.username = username;
    u.display_name = "Sam Example";
    u.organisation_id = org_id_;
    u.roles = {Role::kPractitioner};
    u.vetting.crb_check_date = *Date::Parse("2025-01-01");
    u.vetting.isa_registered = true;
    return u;
  }

  std::filesystem::path dir_;
  std::shared_ptr<SharedConnection> conn_;
  std::unique_ptr<SqliteOrganisationStore> orgs_;
  std::unique_ptr<SqliteUserStore> users_;
  std::unique_ptr<SqliteSessionStore> sessions_;
  int64_t org_id_ = 0;
};

TEST_F(MainStoresTest, OrganisationRoundTripAndUniqueCode) {
  auto org = orgs_->GetByCode("LA-NORTH");
  ASSERT_TRUE(org.ok());
  EXPECT_EQ(org->name, "Northshire Council");
  EXPECT_EQ(org->type, OrganisationType::kLocalAuthority);
  Organisation dup = *org;
  auto again = orgs_->Create(dup);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().field(), "code");
  dup.allowed_networks = "10.0.0.0/8";
  ASSERT_TRUE(orgs_->Update(dup).ok());
  EXPECT_EQ(orgs_->Get(dup.id)->allowed_networks, "10.0.0.0/8");
  EXPECT_EQ(orgs_->Get(999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(orgs_->List()->size(), 1u);
}

TEST_F(MainStoresTest, UserRoundTripKeepsVettingAndRoles) {
  User u = NewUser("sam");
  u.roles.Add(Role::kShielder);
  domain::Credentials creds{"$argon2id$x", true, "sealed", false, -1};
  auto id = users_->Create(u, creds);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto back = users_->GetByUsername("sam");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->id, *id);
  EXPECT_TRUE(back->roles.Has(Role::kShielder));
  EXPECT_EQ(back->vetting.crb_check_date, Date::Parse("2025-01-01").value());
  EXPECT_FALSE(back->vetting.training_completed.has_value());
  auto c = users_->GetCredentials(*id);
  EXPECT_EQ(c->password_hash, "$argon2id$x");
  EXPECT_TRUE(c->must_change_password);
  EXPECT_EQ(c->totp_secret_sealed, "sealed");
}

TEST_F(MainStoresTest, DuplicateUsernameAndUnknownOrganisationAreRefused) {
  ASSERT_TRUE(users_->Create(NewUser("sam"), {}).ok());
  auto dup = users_->Create(NewUser("sam"), {});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "username");
  User orphan = NewUser("orphan");
  orphan.organisation_id = 4242;
  EXPECT_EQ(users_->Create(orphan, {}).status().field(), "organisation");
  EXPECT_FALSE(users_->GetByUsername("orphan").ok());
}

TEST_F(MainStoresTest, OptimisticUpdateDetectsLostRace) {
  int64_t id = *users_->Create(NewUser("sam"), {});
  User a = *users_->Get(id);
  User b = a;
  a.roles.Add(Role::kManagement);
  ASSERT_TRUE(users_->UpdateProfile(a).ok());
  b.display_name = "Someone Else";
  EXPECT_EQ(users_->UpdateProfile(b).code(), StatusCode::kConflict);
  EXPECT_TRUE(users_->Get(id)->roles.Has(Role::kManagement));
}

TEST_F(MainStoresTest, TotpStepCanBeClaimedOnlyOnce) {
  int64_t id = *users_->Create(NewUser("sam"), {});
  EXPECT_TRUE(*users_->ClaimTotpStep(id, 100));
  EXPECT_FALSE(*users_->ClaimTotpStep(id, 100));
  EXPECT_FALSE(*users_->ClaimTotpStep(id, 99));
  EXPECT_TRUE(*users_->ClaimTotpStep(id, 101));
}

TEST_F(MainStoresTest, ConcurrentClaimsOfOneStepHaveOneWinner) {
  int64_t id = *users_->Create(NewUser("sam"), {});
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (*users_->ClaimTotpStep(id, 500)) ++winners;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(winners.load(), 1);
}

TEST_F(MainStoresTest, SessionLifecycle) {
  int64_t id = *users_->Create(NewUser("sam"), {});
  TimePoint t0 = FromUnixSeconds(1'800'000'000);
  domain::Session s{"hash1", id,           t0,          t0,
                    "csrf",  std::nullopt, "127.0.0.1", domain::SessionStage::kEnrolment};
  ASSERT_TRUE(sessions_->Create(s).ok());
  ASSERT_TRUE(sessions_->Touch("hash1", t0 + std::chrono::minutes(5)).ok());
  ASSERT_TRUE(sessions_->SetStepUp("hash1", t0 + std::chrono::minutes(6)).ok());
  auto back = sessions_->Get("hash1");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->last_seen_at, t0 + std::chrono::minutes(5));
  EXPECT_EQ(back->step_up_at, t0 + std::chrono::minutes(6));
  EXPECT_EQ(back->stage, domain::SessionStage::kEnrolment);
  EXPECT_EQ(*sessions_->DeleteIdleBefore(t0 + std::chrono::minutes(1)), 0);
  EXPECT_EQ(*sessions_->DeleteIdleBefore(t0 + std::chrono::minutes(30)), 1);
  EXPECT_EQ(sessions_->Get("hash1").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(sessions_->Create(s).ok());
  ASSERT_TRUE(sessions_->DeleteForUser(id).ok());
  EXPECT_FALSE(sessions_->Get("hash1").ok());
}

TEST_F(MainStoresTest, LockIsStoredAndCleared) {
  int64_t id = *users_->Create(NewUser("sam"), {});
  TimePoint until = FromUnixSeconds(1'900'000'000);
  ASSERT_TRUE(users_->SetLockedUntil(id, until).ok());
  EXPECT_EQ(users_->Get(id)->locked_until, until);
  ASSERT_TRUE(users_->SetLockedUntil(id, std::nullopt).ok());
  EXPECT_FALSE(users_->Get(id)->locked_until.has_value());
}

}  // namespace
}  // namespace cp::store::sqlite
