#include "store/sqlite/database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace cp::store::sqlite {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-db-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path() const { return (dir_ / "t.db").string(); }
  std::filesystem::path dir_;
};

const std::vector<Migration> kMigrations = {
    {1, "people", "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)"},
    {2, "ages", "ALTER TABLE person ADD COLUMN age INTEGER"},
};

TEST_F(DatabaseTest, MigratesOnceAndIsIdempotent) {
  auto db = Database::Open(Path());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE(Migrate(**db, kMigrations).ok());
  ASSERT_TRUE(Migrate(**db, kMigrations).ok());
  auto stmt = (*db)->Prepare("PRAGMA user_version");
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->ColumnInt(0), 2);
}

TEST_F(DatabaseTest, RefusesANewerSchema) {
  auto db = Database::Open(Path());
  ASSERT_TRUE(Migrate(**db, kMigrations).ok());
  std::vector<Migration> older(kMigrations.begin(), kMigrations.begin() + 1);
  EXPECT_EQ(Migrate(**db, older).code(), StatusCode::kFailedPrecondition);
}

TEST_F(DatabaseTest, UsesWalAndForeignKeys) {
  auto db = Database::Open(Path());
  auto mode = (*db)->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "wal");
  auto fk = (*db)->Prepare("PRAGMA foreign_keys");
  ASSERT_TRUE(*fk->Step());
  EXPECT_EQ(fk->ColumnInt(0), 1);
}

TEST_F(DatabaseTest, UniqueViolationIsAlreadyExists) {
  auto db = Database::Open(Path());
  ASSERT_TRUE(Migrate(**db, kMigrations).ok());
  auto insert = (*db)->Prepare("INSERT INTO person(name) VALUES (?)");
  ASSERT_TRUE(insert->Bind(1, "Ada").Run().ok());
  insert->Reset();
  EXPECT_EQ(insert->Bind(1, "Ada").Run().code(), StatusCode::kAlreadyExists);
}

TEST_F(DatabaseTest, TransactionRollsBackUnlessCommitted) {
  auto db = Database::Open(Path());
  ASSERT_TRUE(Migrate(**db, kMigrations).ok());
  {
    auto tx = Transaction::Begin(**db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO person(name) VALUES ('Lost')").ok());
  }
  {
    auto tx = Transaction::Begin(**db);
    ASSERT_TRUE((*db)->Exec("INSERT INTO person(name) VALUES ('Kept')").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto count = (*db)->Prepare("SELECT group_concat(name) FROM person");
  ASSERT_TRUE(*count->Step());
  EXPECT_EQ(count->ColumnText(0), "Kept");
}

TEST_F(DatabaseTest, LockedDatabaseIsUnavailable) {
  OpenOptions quick;
  quick.busy_timeout = std::chrono::milliseconds(50);
  auto writer = Database::Open(Path(), quick);
  ASSERT_TRUE(Migrate(**writer, kMigrations).ok());
  auto holder = Database::Open(Path(), quick);
  ASSERT_TRUE((*holder)->Exec("BEGIN EXCLUSIVE").ok());
  Status s = (*writer)->Exec("INSERT INTO person(name) VALUES ('Blocked')");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  ASSERT_TRUE((*holder)->Exec("ROLLBACK").ok());
}

TEST_F(DatabaseTest, CachedStatementsAreReused) {
  auto db = Database::Open(Path());
  ASSERT_TRUE(Migrate(**db, kMigrations).ok());
  auto a = (*db)->Cached("SELECT count(*) FROM person");
  auto b = (*db)->Cached("SELECT count(*) FROM person");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, *b);
  ASSERT_TRUE(*(*a)->Step());
  EXPECT_EQ((*a)->ColumnInt(0), 0);
}

}  // namespace
}  // namespace cp::store::sqlite
