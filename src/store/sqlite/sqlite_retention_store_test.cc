// Tests of SqliteRetentionStore against a real database file: lifecycle round trip, optimistic
// versions, the change feed, the purge (nothing of the child left in the file, only the UIN and
// dates), identity changes in one transaction, and the restricted links.
#include "store/sqlite/sqlite_retention_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/random.h"
#include "store/sqlite/main_schema.h"

namespace cp::store::sqlite {
namespace {

using domain::ChildRecord;
using domain::RecordState;

Date D(const char* s) { return *Date::Parse(s); }
TimePoint T(int64_t seconds) { return FromUnixSeconds(seconds); }

class SqliteRetentionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-retention-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto conn = OpenMainDatabase((dir_ / "main.db").string());
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = *conn;
    children_ = std::make_unique<SqliteChildStore>(conn_, box_, std::string(32, 'h'), &clock_);
    store_ = std::make_unique<SqliteRetentionStore>(conn_, *children_, &clock_);
  }
  void TearDown() override {
    store_.reset();
    children_.reset();
    conn_.reset();
    std::filesystem::remove_all(dir_);
  }

  ChildRecord Child(const std::string& given, const std::string& family) {
    ChildRecord r;
    r.uin = domain::Uin::Generate(random_);
    r.name = {given, family, {"LA-NORTH", T(1700000000)}};
    r.former_names = {{given, "Quarrendon", {"COURT-7", T(1600000000)}}};
    r.known_as = {{"Zed", family, {"SCH-1", T(1650000000)}}};
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = D("2008-03-04");
    r.core_provenance = {"LA-NORTH", T(1700000001)};
    r.address = {domain::AddressStatus::kCurrent,
                 "27 Quillington Mews",
                 "",
                 "Grimsworth",
                 "ZX9 8QJ",
                 {},
                 {"LA-NORTH", T(1)}};
    r.carers = {{"Hermione Fenwick", "mother", "01632 960 001", "", {"SCH-1", T(2)}}};
    r.responsible_authority = "LA-NORTH";
    r.id = *children_->Create(r);
    r.version = 1;
    return r;
  }

  // Every text value stored in the child's row (clear columns and all), to look for names.
  std::string RowText(int64_t id) {
    return *conn_->With([&](Database& db) -> Result<std::string> {
      CP_ASSIGN_OR_RETURN(
          Statement s,
          db.Prepare("SELECT uin, given_names, family_name, gender, date_of_birth,"
                     " responsible_authority, core_source, core_updated_at, name_source,"
                     " name_updated_at, COALESCE(address_key, ''), record_state, archive_reason,"
                     " COALESCE(archived_on, ''), COALESCE(purged_on, '') FROM child WHERE id=?"));
      s.Bind(1, id);
      CP_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) return std::string();
      std::string out;
      for (int c = 0; c < 15; ++c) out += s.ColumnText(c) + "|";
      return out;
    });
  }

  std::filesystem::path dir_;
  SeededRandom random_{7};
  FakeClock clock_{T(1790000000)};
  crypto::SecretBox box_ = *crypto::SecretBox::FromKey(std::string(32, 'k'));
  std::shared_ptr<SharedConnection> conn_;
  std::unique_ptr<SqliteChildStore> children_;
  std::unique_ptr<SqliteRetentionStore> store_;
};

TEST_F(SqliteRetentionStoreTest, NewRecordsAreLive) {
  auto r = Child("Ann", "Brook");
  EXPECT_EQ(children_->Get(r.id)->retention, domain::Retention{});
  std::vector<RetentionRow> rows;
  ASSERT_TRUE(store_
                  ->ScanRetention([&](const RetentionRow& row) {
                    rows.push_back(row);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].uin, r.uin);
  EXPECT_EQ(rows[0].date_of_birth, D("2008-03-04"));
  EXPECT_EQ(rows[0].version, 1);
}

TEST_F(SqliteRetentionStoreTest, SetRetentionRoundTripsChecksTheVersionAndFeedsTheIndex) {
  auto r = Child("Ann", "Brook");
  const int64_t seq = *children_->LatestChangeSequence();
  domain::Retention archived;
  archived.state = RecordState::kArchived;
  archived.archive_reason = domain::ArchiveReason::kDeath;
  archived.archived_on = D("2026-11-22");
  archived.death_notified_on = D("2025-11-22");
  archived.date_of_death = D("2025-11-20");
  EXPECT_EQ(store_->SetRetention(r.id, 7, archived).code(), StatusCode::kConflict);
  EXPECT_EQ(store_->SetRetention(999, 1, archived).code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->SetRetention(r.id, 1, archived).ok());
  auto stored = *children_->Get(r.id);
  EXPECT_EQ(stored.retention, archived);
  EXPECT_EQ(stored.version, 2);
  EXPECT_EQ(stored.name.family_name, "Brook");  // Personal data untouched.
  auto changes = *children_->ChangesSince(seq, 10);
  EXPECT_EQ(changes.child_ids, std::vector<int64_t>{r.id});
  // An ordinary update keeps the lifecycle.
  stored.name.given_names = "Anne";
  ASSERT_TRUE(children_->Update(stored).ok());
  EXPECT_EQ(children_->Get(r.id)->retention, archived);
}

TEST_F(SqliteRetentionStoreTest, PurgeLeavesOnlyTheUinAndDatesInTheFile) {
  auto r = Child("Ann", "Brook");
  domain::Retention archived;
  archived.state = RecordState::kArchived;
  archived.archive_reason = domain::ArchiveReason::kAge18;
  archived.archived_on = D("2026-03-04");
  ASSERT_TRUE(store_->SetRetention(r.id, 1, archived).ok());
  // A superseded feed item about the child (as the feed store keeps them).
  ASSERT_TRUE(conn_
                  ->With([&](Database& db) -> Status {
                    CP_ASSIGN_OR_RETURN(
                        Statement s,
                        db.Prepare("INSERT INTO source_item_history(source, ref, child_id,"
                                   " superseded_at, sealed) VALUES ('SCH-1', 'r1', ?, 1, x'00')"));
                    return s.Bind(1, r.id).Run();
                  })
                  .ok());
  EXPECT_EQ(store_->Purge(r.id, 1, D("2032-03-04")).code(), StatusCode::kConflict);
  ASSERT_TRUE(store_->Purge(r.id, 2, D("2032-03-04")).ok());

  auto purged = *children_->Get(r.id);
  EXPECT_EQ(purged.uin, r.uin);
  EXPECT_EQ(purged.retention.state, RecordState::kPurged);
  EXPECT_EQ(purged.retention.archived_on, D("2026-03-04"));
  EXPECT_EQ(purged.retention.purged_on, D("2032-03-04"));
  EXPECT_TRUE(purged.name.given_names.empty());
  EXPECT_TRUE(purged.former_names.empty());
  EXPECT_TRUE(purged.known_as.empty());
  EXPECT_TRUE(purged.carers.empty());
  EXPECT_EQ(purged.address.status, domain::AddressStatus::kNoKnownAddress);
  const std::string row = RowText(r.id);
  for (const char* gone : {"Ann", "Brook", "female"}) {
    EXPECT_EQ(row.find(gone), std::string::npos) << gone << " in " << row;
  }
  EXPECT_NE(row.find("|not_known|"), std::string::npos) << row;
  EXPECT_NE(row.find(r.uin.str()), std::string::npos);
  auto history = conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Statement s,
                        db.Prepare("SELECT COUNT(*) FROM source_item_history WHERE child_id=?"));
    s.Bind(1, r.id);
    CP_ASSIGN_OR_RETURN(bool row_found, s.Step());
    return row_found ? s.ColumnInt(0) : -1;
  });
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(*history, 0);
  // Purged records are no longer scanned by the job.
  int scanned = 0;
  ASSERT_TRUE(store_
                  ->ScanRetention([&](const RetentionRow&) {
                    ++scanned;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(scanned, 0);
  // No co-residence key left either.
  auto other = Child("Cy", "Dale");
  EXPECT_TRUE(children_->FindCoResidents(other)->empty());
}

TEST_F(SqliteRetentionStoreTest, IdentityChangeIsOneTransactionAndTheLinkIsReadByUinOnly) {
  auto former = Child("Ann", "Brook");
  ChildRecord fresh;
  fresh.uin = domain::Uin::Generate(random_);
  fresh.name = {"Nora", "Quill", {"manual:mo", T(3)}};
  fresh.date_of_birth = former.date_of_birth;
  fresh.responsible_authority = "LA-NORTH";
  fresh.shielded = true;
  domain::Retention archived;
  archived.state = RecordState::kArchived;
  archived.archive_reason = domain::ArchiveReason::kIdentityChange;
  archived.archived_on = D("2026-11-22");
  IdentityLink link{0, former.uin, {}, "LA-NORTH", "adoption", "mo", T(1790000000)};

  // A stale version: nothing happens, not even the new record.
  EXPECT_EQ(store_->CreateWithIdentityChange(fresh, former.id, 9, archived, link).status().code(),
            StatusCode::kConflict);
  EXPECT_EQ(children_->GetByUin(fresh.uin).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->IdentityLinksFor(former.uin)->empty());
  // A taken UIN: nothing happens either.
  ChildRecord clash = fresh;
  clash.uin = former.uin;
  EXPECT_EQ(store_->CreateWithIdentityChange(clash, former.id, 1, archived, link).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(children_->Get(former.id)->retention.state, RecordState::kLive);

  auto id = store_->CreateWithIdentityChange(fresh, former.id, 1, archived, link);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(children_->Get(former.id)->retention, archived);
  auto created = *children_->Get(*id);
  EXPECT_TRUE(created.shielded);
  EXPECT_EQ(created.retention.state, RecordState::kLive);
  for (const domain::Uin& uin : {former.uin, fresh.uin}) {
    auto links = *store_->IdentityLinksFor(uin);
    ASSERT_EQ(links.size(), 1u);
    EXPECT_EQ(links[0].former_uin, former.uin);
    EXPECT_EQ(links[0].new_uin, fresh.uin);
    EXPECT_EQ(links[0].reason, "adoption");
    EXPECT_EQ(links[0].authority, "LA-NORTH");
  }
  // The new record's own row holds nothing of the former identity.
  const std::string row = RowText(*id);
  EXPECT_EQ(row.find(former.uin.str()), std::string::npos);
  EXPECT_EQ(row.find("Brook"), std::string::npos);
}

}  // namespace
}  // namespace cp::store::sqlite
