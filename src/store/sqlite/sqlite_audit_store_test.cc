#include "store/sqlite/sqlite_audit_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "audit/audit_log.h"
#include "audit/checkpoint.h"
#include "audit/verifier.h"

namespace cp::store::sqlite {
namespace {

using audit::AuditEntry;
using audit::AuditEvent;
using audit::AuditLog;
using audit::AuditLogOptions;
using ::testing::HasSubstr;

// 2030-01-02T03:04:05Z: fixed, so no test depends on today's date.
const TimePoint kStart = FromUnixSeconds(1893553445);

crypto::SigningKey TestKey() { return *crypto::SigningKey::FromSeed(std::string(32, 's')); }

AuditEvent Event(int i) {
  AuditEvent e;
  e.actor = "user-" + std::to_string(i % 3);
  e.organisation = "org-" + std::to_string(i % 2);
  e.action = i % 2 == 0 ? "auth.sign_in" : "search.run";
  e.target = "target-" + std::to_string(i % 4);
  e.outcome = "success";
  e.reason = i % 5 == 0 ? "bad_password" : "";
  e.request_id = "req-" + std::to_string(i);
  e.client_address = "198.51.100." + std::to_string(i % 250);
  e.details_json = "{\"i\":" + std::to_string(i) + "}";
  return e;
}

class SqliteAuditStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-audit-db-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string DbPath() const { return (dir_ / "audit.db").string(); }
  std::string HeadPath() const { return (dir_ / "audit.head").string(); }

  std::unique_ptr<SqliteAuditStore> OpenStore(
      std::chrono::milliseconds busy = std::chrono::seconds(5)) {
    OpenOptions options;
    options.busy_timeout = busy;
    auto store = SqliteAuditStore::Open(DbPath(), options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::unique_ptr<AuditLog> OpenLog(SqliteAuditStore& store, uint64_t every = 1000) {
    AuditLogOptions options;
    options.head_path = HeadPath();
    options.checkpoint_every = every;
    options.checkpoint_interval = std::chrono::hours(1);
    auto log = AuditLog::Open(store, TestKey(), clock_, options);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    return log.ok() ? std::move(log).value() : nullptr;
  }

  // Writes entries 1..n (checkpoint every `every`) through a real AuditLog, then closes all.
  void Fill(int n, uint64_t every = 1000) {
    auto store = OpenStore();
    auto log = OpenLog(*store, every);
    for (int i = 1; i <= n; ++i) {
      clock_.Advance(std::chrono::seconds(1));
      ASSERT_TRUE(log->Record(Event(i)).ok());
    }
    ASSERT_TRUE(log->Shutdown().ok());
  }

  Result<audit::VerifyReport> Verify() {
    auto store = OpenStore();
    return audit::VerifyAuditTrail(*store, TestKey().public_key(), HeadPath());
  }

  void ExpectFailsAt(uint64_t sequence, const std::string& what) {
    auto report = Verify();
    ASSERT_FALSE(report.ok()) << "verification passed";
    EXPECT_EQ(report.status().code(), StatusCode::kInternal);
    EXPECT_THAT(report.status().message(),
                HasSubstr("failed at sequence " + std::to_string(sequence) + ":"));
    EXPECT_THAT(report.status().message(), HasSubstr(what));
  }

  // Edits the database as an attacker with the file would: first drops the append-only guards.
  void Tamper(std::string_view sql) {
    auto db = Database::Open(DbPath());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE((*db)
                    ->Exec("DROP TRIGGER IF EXISTS audit_entry_no_update;"
                           "DROP TRIGGER IF EXISTS audit_entry_no_delete;"
                           "DROP TRIGGER IF EXISTS audit_checkpoint_no_update;"
                           "DROP TRIGGER IF EXISTS audit_checkpoint_no_delete;")
                    .ok());
    Status s = (*db)->Exec(sql);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  int64_t CountEntries() {
    auto db = Database::Open(DbPath());
    auto stmt = (*db)->Prepare("SELECT count(*) FROM audit_entry");
    EXPECT_TRUE(*stmt->Step());
    return stmt->ColumnInt(0);
  }

  std::filesystem::path dir_;
  FakeClock clock_{kStart};
};

TEST_F(SqliteAuditStoreTest, AppendsAndScansEveryByteBack) {
  auto store = OpenStore();
  AuditEntry e;
  e.sequence = 1;
  e.time = kStart + Duration(123);
  e.event = Event(1);
  e.event.actor = std::string("nul\0inside", 10);
  e.event.target = "Zoë – ünïcode";
  e.prev_hash = audit::GenesisHash();
  e.hash = audit::EntryHash(e);
  audit::AuditCheckpoint c = audit::MakeCheckpoint(TestKey(), 1, kStart, e.hash);
  ASSERT_TRUE(store->AppendBatch({&e, 1}, &c).ok());

  auto entries = store->ScanEntries(1);
  ASSERT_TRUE(entries.ok());
  AuditEntry back;
  ASSERT_TRUE(*(*entries)->Next(&back));
  EXPECT_EQ(back, e);
  EXPECT_FALSE(*(*entries)->Next(&back));
  auto checkpoint = store->ReadLastCheckpoint();
  ASSERT_TRUE(checkpoint.ok() && checkpoint->has_value());
  EXPECT_EQ(**checkpoint, c);
  auto tail = store->ReadTail();
  EXPECT_EQ(tail->sequence, 1u);
  EXPECT_EQ(tail->hash, e.hash);

  // A taken sequence number is refused and nothing of the batch is stored.
  AuditEntry again = e;
  again.sequence = 2;
  AuditEntry dup = e;
  ASSERT_EQ(store->AppendBatch(std::vector<AuditEntry>{again, dup}, nullptr).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store->ReadTail()->sequence, 1u);
}

TEST_F(SqliteAuditStoreTest, EmptyStoreHasGenesisTail) {
  auto store = OpenStore();
  auto tail = store->ReadTail();
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->sequence, 0u);
  EXPECT_EQ(tail->hash, audit::GenesisHash());
  EXPECT_FALSE(store->ReadLastCheckpoint()->has_value());
}

TEST_F(SqliteAuditStoreTest, RefusesUpdatesAndDeletes) {
  Fill(2);
  auto db = Database::Open(DbPath());
  EXPECT_FALSE((*db)->Exec("UPDATE audit_entry SET outcome = 'x' WHERE seq = 1").ok());
  EXPECT_FALSE((*db)->Exec("DELETE FROM audit_entry WHERE seq = 1").ok());
  EXPECT_FALSE((*db)->Exec("DELETE FROM audit_checkpoint").ok());
  EXPECT_EQ(CountEntries(), 2);
}

TEST_F(SqliteAuditStoreTest, QueriesByActorTargetActionAndTime) {
  Fill(12);  // Entry i is at kStart + i s.
  auto store = OpenStore();
  audit::AuditQuery q;
  q.actor = "user-1";  // i = 1, 4, 7, 10
  auto r = store->Query(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].sequence, 10u);  // Newest first.
  EXPECT_EQ((*r)[3].sequence, 1u);

  q.from = kStart + std::chrono::seconds(4);
  q.to = kStart + std::chrono::seconds(10);
  r = store->Query(q);
  ASSERT_EQ(r->size(), 2u);  // 7 and 4.
  EXPECT_EQ((*r)[0].sequence, 7u);

  audit::AuditQuery by_target;
  by_target.target = "target-2";  // i = 2, 6, 10
  by_target.action_prefix = "auth.";
  r = store->Query(by_target);
  ASSERT_EQ(r->size(), 3u);
  for (const AuditEntry& e : *r) EXPECT_EQ(e.event.action, "auth.sign_in");

  audit::AuditQuery by_action;
  by_action.action_prefix = "search";
  by_action.limit = 2;
  r = store->Query(by_action);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].sequence, 11u);
  EXPECT_EQ((*r)[1].sequence, 9u);

  audit::AuditQuery both;
  both.actor = "user-1";
  both.target = "target-3";  // i = 7 only
  r = store->Query(both);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].sequence, 7u);
}

TEST_F(SqliteAuditStoreTest, QueriesUseTheActorAndTargetIndexes) {
  Fill(1);
  auto db = Database::Open(DbPath());
  auto plan = [&](std::string_view sql) {
    auto stmt = (*db)->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
    std::string all;
    while (*stmt->Step()) all += stmt->ColumnText(3) + "\n";
    return all;
  };
  EXPECT_THAT(plan("EXPLAIN QUERY PLAN SELECT seq FROM audit_entry WHERE actor = 'a' AND "
                   "time_us >= 0 AND time_us < 9 ORDER BY time_us DESC, seq DESC LIMIT 5"),
              HasSubstr("audit_entry_actor_time"));
  EXPECT_THAT(plan("EXPLAIN QUERY PLAN SELECT seq FROM audit_entry WHERE target = 'a' AND "
                   "time_us >= 0 AND time_us < 9 ORDER BY time_us DESC, seq DESC LIMIT 5"),
              HasSubstr("audit_entry_target_time"));
}

TEST_F(SqliteAuditStoreTest, ChainContinuesAcrossRestart) {
  Fill(3);
  {
    auto store = OpenStore();
    auto log = OpenLog(*store);
    EXPECT_EQ(log->last_sequence(), 3u);
    ASSERT_TRUE(log->Record(Event(4)).ok());
    ASSERT_TRUE(log->Record(Event(5)).ok());
  }
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, 5u);
  EXPECT_EQ(report->head_sequence, 5u);
  EXPECT_EQ(report->checkpoints, 3u);  // 0 at first start, 3 and 5 at the two shutdowns.
}

TEST_F(SqliteAuditStoreTest, VerifyPassesOnAnIntactTrail) {
  Fill(25, /*every=*/4);
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, 25u);
  EXPECT_EQ(report->checkpoints, 8u);  // 0, 4, 8, ..., 24, and 25 at shutdown.
  EXPECT_EQ(report->unsigned_entries, 0u);
}

TEST_F(SqliteAuditStoreTest, VerifyNamesAnEditedEntry) {
  Fill(10, /*every=*/4);
  Tamper("UPDATE audit_entry SET outcome = 'failure' WHERE seq = 6");
  ExpectFailsAt(6, "edited");
}

TEST_F(SqliteAuditStoreTest, VerifyNamesAnEditedTime) {
  Fill(10, /*every=*/4);
  Tamper("UPDATE audit_entry SET time_us = time_us - 1000000 WHERE seq = 2");
  ExpectFailsAt(2, "edited");
}

TEST_F(SqliteAuditStoreTest, VerifyNamesADeletedEntry) {
  Fill(10, /*every=*/4);
  Tamper("DELETE FROM audit_entry WHERE seq = 7");
  ExpectFailsAt(7, "missing");
}

TEST_F(SqliteAuditStoreTest, VerifyNamesSwappedEntries) {
  Fill(10, /*every=*/4);
  Tamper(
      "UPDATE audit_entry SET seq = -1 WHERE seq = 5;"
      "UPDATE audit_entry SET seq = 5 WHERE seq = 6;"
      "UPDATE audit_entry SET seq = 6 WHERE seq = -1;");
  ExpectFailsAt(5, "reordered");
}

TEST_F(SqliteAuditStoreTest, VerifyNamesATruncatedTailWhenCheckpointsAreGoneToo) {
  Fill(10, /*every=*/4);
  Tamper("DELETE FROM audit_entry WHERE seq > 6; DELETE FROM audit_checkpoint WHERE seq > 6;");
  ExpectFailsAt(7, "head file");
  // And the log refuses to start on it (fail closed) rather than re-sign the shorter trail.
  auto store = OpenStore();
  AuditLogOptions options;
  options.head_path = HeadPath();
  EXPECT_EQ(AuditLog::Open(*store, TestKey(), clock_, options).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(SqliteAuditStoreTest, VerifyNamesAForgedCheckpointSignature) {
  Fill(10, /*every=*/4);
  Tamper("UPDATE audit_checkpoint SET signature = zeroblob(64) WHERE seq = 8");
  ExpectFailsAt(8, "signature");
}

TEST_F(SqliteAuditStoreTest, ConcurrentRecordsAreGroupCommittedWithoutGaps) {
  auto store = OpenStore();
  auto log = OpenLog(*store, /*every=*/100);
  constexpr int kThreads = 16, kEach = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!log->Record(Event(t * kEach + i)).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(log->Shutdown().ok());
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CountEntries(), kThreads * kEach);
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, static_cast<uint64_t>(kThreads * kEach));
}

TEST_F(SqliteAuditStoreTest, FailsClosedWhileTheDatabaseIsLockedAndRecovers) {
  auto store = OpenStore(std::chrono::milliseconds(50));
  auto log = OpenLog(*store);
  ASSERT_TRUE(log->Record(Event(1)).ok());
  ASSERT_TRUE(log->Record(Event(2)).ok());

  auto locker = Database::Open(DbPath());
  ASSERT_TRUE(locker.ok());
  ASSERT_TRUE((*locker)->Exec("BEGIN EXCLUSIVE").ok());
  Status refused = log->Record(Event(3));
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable) << refused.ToString();
  EXPECT_EQ(log->Checkpoint().code(), StatusCode::kUnavailable);
  EXPECT_EQ(log->last_sequence(), 2u);
  ASSERT_TRUE((*locker)->Exec("ROLLBACK").ok());

  EXPECT_EQ(CountEntries(), 2);  // Nothing half-written.
  ASSERT_TRUE(log->Record(Event(4)).ok());
  EXPECT_EQ(log->last_sequence(), 3u);
  ASSERT_TRUE(log->Shutdown().ok());
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, 3u);
  auto check = OpenStore();
  auto cursor = check->ScanEntries(3);
  AuditEntry third;
  ASSERT_TRUE(*(*cursor)->Next(&third));
  EXPECT_EQ(third.event, Event(4));
}

TEST_F(SqliteAuditStoreTest, VerifyWhileAppendingSeesAConsistentPrefix) {
  auto store = OpenStore();
  auto log = OpenLog(*store, /*every=*/8);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) ASSERT_TRUE(log->Record(Event(i)).ok());
  });
  for (int round = 0; round < 5; ++round) {
    auto report = audit::VerifyAuditTrail(*store, TestKey().public_key(), HeadPath());
    ASSERT_TRUE(report.ok()) << report.status().ToString();
  }
  stop = true;
  writer.join();
}

// --- Several writers on one trail (the server and `contactpoint import`) -----------------------
// Each AuditLog has its own SqliteAuditStore, i.e. its own SQLite connection, exactly as two
// processes would: only SQLite's write lock and the tail read under it keep the chain single.

// Reads every entry back and checks that the sequences run 1..n with no gap or repeat and that
// each request id (one per Record call) is there exactly once.
void ExpectOneGapFreeChainHolding(SqliteAuditStore& store,
                                  const std::set<std::string>& request_ids) {
  auto cursor = store.ScanEntries(1);
  ASSERT_TRUE(cursor.ok()) << cursor.status().ToString();
  std::set<std::string> seen;
  uint64_t expected = 1;
  AuditEntry entry;
  while (*(*cursor)->Next(&entry)) {
    EXPECT_EQ(entry.sequence, expected) << "gap or repeat in the sequence";
    expected = entry.sequence + 1;
    EXPECT_TRUE(seen.insert(entry.event.request_id).second)
        << "recorded twice: " << entry.event.request_id;
  }
  EXPECT_EQ(expected - 1, request_ids.size());
  EXPECT_EQ(seen, request_ids);
}

TEST_F(SqliteAuditStoreTest, TwoLogsOnOneFileInterleaveIntoOneVerifiableChain) {
  auto store_a = OpenStore();
  auto store_b = OpenStore();
  auto log_a = OpenLog(*store_a, /*every=*/5);
  auto log_b = OpenLog(*store_b, /*every=*/5);
  ASSERT_TRUE(log_a && log_b);
  std::set<std::string> ids;
  // Strictly alternating: each log must continue from the other's entry, not its own memory.
  for (int i = 0; i < 12; ++i) {
    AuditLog& log = i % 2 == 0 ? *log_a : *log_b;
    AuditEvent e = Event(i);
    ASSERT_TRUE(log.Record(e).ok());
    ids.insert(e.request_id);
    EXPECT_EQ(log.last_sequence(), static_cast<uint64_t>(i + 1));
  }
  ASSERT_TRUE(log_a->Checkpoint().ok());
  ASSERT_TRUE(log_b->Shutdown().ok());
  ASSERT_TRUE(log_a->Shutdown().ok());
  ExpectOneGapFreeChainHolding(*store_a, ids);
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, 12u);
  EXPECT_EQ(report->head_sequence, 12u);
  EXPECT_EQ(report->unsigned_entries, 0u);
}

TEST_F(SqliteAuditStoreTest, TwoLogsAppendingConcurrentlyFromTwoThreadsKeepTheChainGapFree) {
  auto store_a = OpenStore();
  auto store_b = OpenStore();
  auto log_a = OpenLog(*store_a, /*every=*/16);
  auto log_b = OpenLog(*store_b, /*every=*/16);
  ASSERT_TRUE(log_a && log_b);
  constexpr int kEach = 300;
  // Each log also gets concurrent callers of its own, so both group-commit batches.
  constexpr int kCallersPerLog = 3;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2 * kCallersPerLog; ++t) {
    threads.emplace_back([&, t] {
      AuditLog& log = t % 2 == 0 ? *log_a : *log_b;
      for (int i = 0; i < kEach; ++i) {
        if (!log.Record(Event(t * kEach + i)).ok()) ++failures;
      }
    });
  }
  // A verifier reading alongside both writers sees a consistent prefix every time.
  for (int round = 0; round < 3; ++round) {
    auto store = OpenStore();
    auto report = audit::VerifyAuditTrail(*store, TestKey().public_key(), HeadPath());
    ASSERT_TRUE(report.ok()) << report.status().ToString();
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(log_a->Shutdown().ok());
  ASSERT_TRUE(log_b->Shutdown().ok());

  std::set<std::string> ids;
  for (int n = 0; n < 2 * kCallersPerLog * kEach; ++n) ids.insert(Event(n).request_id);
  ExpectOneGapFreeChainHolding(*store_a, ids);
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, static_cast<uint64_t>(2 * kCallersPerLog * kEach));
  EXPECT_EQ(report->last_sequence, report->entries);
  // Whichever log stopped last signed the common tail; the head file never went back.
  EXPECT_EQ(report->head_sequence, report->last_sequence);
  EXPECT_EQ(report->unsigned_entries, 0u);
}

TEST_F(SqliteAuditStoreTest, ASecondLogOpensWhileAnotherIsAppending) {
  // Open checks the head file against the store; with another writer committing and moving
  // the head file meanwhile, that check must never mistake it for a truncated trail.
  auto store_a = OpenStore();
  auto log_a = OpenLog(*store_a, /*every=*/3);
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      if (!log_a->Record(Event(i)).ok()) ++failures;
    }
  });
  for (int round = 0; round < 8; ++round) {
    auto store_b = OpenStore();
    auto log_b = OpenLog(*store_b, /*every=*/3);
    ASSERT_TRUE(log_b != nullptr);
    ASSERT_TRUE(log_b->Record(Event(100000 + round)).ok());
    ASSERT_TRUE(log_b->Shutdown().ok());
  }
  stop = true;
  writer.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(log_a->Shutdown().ok());
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->head_sequence, report->last_sequence);
}

TEST_F(SqliteAuditStoreTest, AnotherWritersLockMakesABatchFailClosedThenTheChainContinues) {
  // Another process holding the write lock past the busy timeout: the batch fails closed and
  // the next one continues from the stored tail (the other writer's entries included).
  auto store_a = OpenStore(std::chrono::milliseconds(50));
  auto log_a = OpenLog(*store_a);
  ASSERT_TRUE(log_a->Record(Event(1)).ok());
  auto store_b = OpenStore();
  auto log_b = OpenLog(*store_b);
  ASSERT_TRUE(log_b->Record(Event(2)).ok());
  {
    auto blocker = Database::Open(DbPath());
    ASSERT_TRUE((*blocker)->Exec("BEGIN EXCLUSIVE").ok());
    EXPECT_EQ(log_a->Record(Event(3)).code(), StatusCode::kUnavailable);
    ASSERT_TRUE((*blocker)->Exec("ROLLBACK").ok());
  }
  ASSERT_TRUE(log_a->Record(Event(4)).ok());
  EXPECT_EQ(log_a->last_sequence(), 3u);
  ASSERT_TRUE(log_b->Shutdown().ok());
  ASSERT_TRUE(log_a->Shutdown().ok());
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, 3u);
}

}  // namespace
}  // namespace cp::store::sqlite
