#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "audit/audit_log.h"
#include "audit/checkpoint.h"
#include "audit/testing/fake_audit_sink.h"
#include "audit/testing/memory_audit_store.h"
#include "audit/testing/mock_audit_sink.h"
#include "audit/verifier.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cp::audit {
namespace {

using ::testing::HasSubstr;
using testing::MemoryAuditStore;

// 2030-01-02T03:04:05Z: a fixed instant, so no test depends on today's date.
const TimePoint kStart = FromUnixSeconds(1893553445);

crypto::SigningKey TestKey(char fill = 'k') {
  return *crypto::SigningKey::FromSeed(std::string(32, fill));
}

AuditEvent Event(int i) {
  AuditEvent e;
  e.actor = "user-" + std::to_string(i % 7);
  e.organisation = "org-1";
  e.action = i % 2 == 0 ? "auth.sign_in" : "search";
  e.target = "target-" + std::to_string(i);
  e.outcome = "success";
  e.reason = "";
  e.request_id = "req-" + std::to_string(i);
  e.client_address = "192.0.2.1";
  e.details_json = "{\"n\":" + std::to_string(i) + "}";
  return e;
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-audit-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string HeadPath() const { return (dir_ / "audit.head").string(); }

  AuditLogOptions Options(uint64_t every = 1000) const {
    AuditLogOptions options;
    options.head_path = HeadPath();
    options.checkpoint_every = every;
    options.checkpoint_interval = std::chrono::hours(1);
    return options;
  }

  std::unique_ptr<AuditLog> OpenLog(uint64_t every = 1000) {
    auto log = AuditLog::Open(store_, TestKey(), clock_, Options(every));
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    return log.ok() ? std::move(log).value() : nullptr;
  }

  // Records events 1..n through a fresh log and shuts it down.
  void Fill(int n, uint64_t every = 1000) {
    auto log = OpenLog(every);
    for (int i = 1; i <= n; ++i) ASSERT_TRUE(log->Record(Event(i)).ok());
    ASSERT_TRUE(log->Shutdown().ok());
  }

  Result<VerifyReport> Verify() {
    return VerifyAuditTrail(store_, TestKey().public_key(), HeadPath());
  }

  size_t CheckpointCount() {
    size_t n = 0;
    store_.Tamper([&](std::vector<AuditEntry>&, std::vector<AuditCheckpoint>& checkpoints) {
      n = checkpoints.size();
    });
    return n;
  }

  // Expects verification to fail naming `sequence` as the first bad one.
  void ExpectFailsAt(uint64_t sequence, const std::string& what) {
    auto report = Verify();
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.status().code(), StatusCode::kInternal);
    EXPECT_THAT(report.status().message(),
                HasSubstr("failed at sequence " + std::to_string(sequence) + ":"));
    EXPECT_THAT(report.status().message(), HasSubstr(what));
  }

  std::filesystem::path dir_;
  FakeClock clock_{kStart};
  MemoryAuditStore store_;
};

// --- Canonical serialisation -------------------------------------------------------------------

TEST(CanonicalTest, IsLengthPrefixedAndUnambiguous) {
  AuditEntry a;
  a.sequence = 1;
  a.time = kStart;
  a.prev_hash = GenesisHash();
  a.event.actor = "ab";
  a.event.organisation = "c";
  AuditEntry b = a;
  b.event.actor = "a";
  b.event.organisation = "bc";
  EXPECT_NE(CanonicalEntryBytes(a), CanonicalEntryBytes(b));
  EXPECT_NE(EntryHash(a), EntryHash(b));
  EXPECT_EQ(EntryHash(a).size(), kAuditHashSize);
}

TEST(CanonicalTest, MatchesTheDocumentedLayout) {
  AuditEntry e;
  e.sequence = 258;
  e.time = TimePoint(Duration(1));
  e.prev_hash = GenesisHash();
  e.event.action = "x";
  std::string expected;
  auto u32 = [&](uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) expected.push_back(static_cast<char>((v >> s) & 0xFF));
  };
  const std::string domain = "contactpoint.audit.entry.v1";
  u32(static_cast<uint32_t>(domain.size()));
  expected += domain;
  expected += std::string("\0\0\0\0\0\0\x01\x02", 8);  // sequence 258
  expected += std::string("\0\0\0\0\0\0\0\x01", 8);    // time_us 1
  u32(0);                                              // actor
  u32(0);                                              // organisation
  u32(1);
  expected += "x";                     // action
  for (int i = 0; i < 6; ++i) u32(0);  // target .. details_json
  u32(32);
  expected += GenesisHash();
  EXPECT_EQ(crypto::HexEncode(CanonicalEntryBytes(e)), crypto::HexEncode(expected));
  EXPECT_EQ(EntryHash(e), crypto::Sha256(expected));
}

TEST(CanonicalTest, EveryFieldIsCovered) {
  AuditEntry base;
  base.sequence = 5;
  base.time = kStart;
  base.prev_hash = std::string(32, 'p');
  base.event = Event(3);
  const std::string h = EntryHash(base);
  std::vector<std::function<void(AuditEntry&)>> edits = {
      [](AuditEntry& e) { e.sequence = 6; },
      [](AuditEntry& e) { e.time += Duration(1); },
      [](AuditEntry& e) { e.prev_hash[0] = 'q'; },
      [](AuditEntry& e) { e.event.actor += "x"; },
      [](AuditEntry& e) { e.event.organisation += "x"; },
      [](AuditEntry& e) { e.event.action += "x"; },
      [](AuditEntry& e) { e.event.target += "x"; },
      [](AuditEntry& e) { e.event.outcome += "x"; },
      [](AuditEntry& e) { e.event.reason += "x"; },
      [](AuditEntry& e) { e.event.request_id += "x"; },
      [](AuditEntry& e) { e.event.client_address += "x"; },
      [](AuditEntry& e) { e.event.details_json += "x"; },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    AuditEntry changed = base;
    edits[i](changed);
    EXPECT_NE(EntryHash(changed), h) << "edit " << i;
  }
}

TEST(CheckpointTest, HeadFileRoundTripsAndRejectsJunk) {
  AuditCheckpoint c = MakeCheckpoint(TestKey(), 42, kStart, std::string(32, '\x07'));
  EXPECT_TRUE(CheckpointSignatureValid(TestKey().public_key(), c));
  EXPECT_FALSE(CheckpointSignatureValid(TestKey('z').public_key(), c));
  std::string text = FormatHeadFile(c);
  auto parsed = ParseHeadFile(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, c);
  EXPECT_FALSE(ParseHeadFile("").ok());
  EXPECT_FALSE(ParseHeadFile(text.substr(0, text.size() - 1)).ok());
  EXPECT_FALSE(ParseHeadFile(text + "extra\n").ok());
  std::string bad_seq = text;
  bad_seq.replace(bad_seq.find("sequence 42"), 11, "sequence 4x");
  EXPECT_FALSE(ParseHeadFile(bad_seq).ok());
}

// --- AuditLog ---------------------------------------------------------------------------------

TEST_F(AuditLogTest, RecordsAChainAndVerifies) {
  auto log = OpenLog();
  for (int i = 1; i <= 5; ++i) {
    clock_.Advance(std::chrono::seconds(1));
    ASSERT_TRUE(log->Record(Event(i)).ok());
  }
  EXPECT_EQ(log->last_sequence(), 5u);
  ASSERT_TRUE(log->Shutdown().ok());

  auto cursor = store_.ScanEntries(1);
  ASSERT_TRUE(cursor.ok());
  AuditEntry entry;
  std::string prev = GenesisHash();
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(*(*cursor)->Next(&entry));
    EXPECT_EQ(entry.sequence, static_cast<uint64_t>(i));
    EXPECT_EQ(entry.event, Event(i));
    EXPECT_EQ(entry.time, kStart + std::chrono::seconds(i));
    EXPECT_EQ(entry.prev_hash, prev);
    EXPECT_EQ(entry.hash, EntryHash(entry));
    prev = entry.hash;
  }
  EXPECT_FALSE(*(*cursor)->Next(&entry));

  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, 5u);
  EXPECT_EQ(report->checkpoints, 2u);  // The empty trail at first start, and at shutdown.
  EXPECT_EQ(report->head_sequence, 5u);
  EXPECT_EQ(report->unsigned_entries, 0u);
}

TEST_F(AuditLogTest, ContinuesTheChainAcrossRestart) {
  Fill(3);
  {
    auto log = OpenLog();
    EXPECT_EQ(log->last_sequence(), 3u);
    ASSERT_TRUE(log->Record(Event(4)).ok());
    ASSERT_TRUE(log->Record(Event(5)).ok());
  }  // Destructor shuts down and flushes.
  auto cursor = store_.ScanEntries(3);
  AuditEntry third, fourth;
  ASSERT_TRUE(*(*cursor)->Next(&third));
  ASSERT_TRUE(*(*cursor)->Next(&fourth));
  EXPECT_EQ(fourth.sequence, 4u);
  EXPECT_EQ(fourth.prev_hash, third.hash);
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, 5u);
}

TEST_F(AuditLogTest, ChecksPointsEveryNEntries) {
  Fill(7, /*every=*/3);
  auto cursor = store_.ScanCheckpoints();
  std::vector<uint64_t> seqs;
  AuditCheckpoint c;
  while (*(*cursor)->Next(&c)) seqs.push_back(c.sequence);
  EXPECT_EQ(seqs, (std::vector<uint64_t>{0, 3, 6, 7}));
  auto head = ReadHeadFile(HeadPath());
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->sequence, 7u);
}

TEST_F(AuditLogTest, ChecksPointsAfterTheIntervalByTheInjectedClock) {
  AuditLogOptions options = Options();
  options.checkpoint_interval = std::chrono::seconds(60);
  auto log = *AuditLog::Open(store_, TestKey(), clock_, options);
  ASSERT_TRUE(log->Record(Event(1)).ok());
  EXPECT_EQ((*store_.ReadLastCheckpoint())->sequence, 0u);
  clock_.Advance(std::chrono::seconds(61));
  ASSERT_TRUE(log->Record(Event(2)).ok());
  auto last = *store_.ReadLastCheckpoint();
  EXPECT_EQ(last->sequence, 2u);
  EXPECT_EQ(last->time, kStart + std::chrono::seconds(61));
  EXPECT_EQ((*ReadHeadFile(HeadPath()))->sequence, 2u);
}

TEST_F(AuditLogTest, ExplicitCheckpointUpdatesHead) {
  auto log = OpenLog();
  ASSERT_TRUE(log->Record(Event(1)).ok());
  EXPECT_EQ((*ReadHeadFile(HeadPath()))->sequence, 0u);
  ASSERT_TRUE(log->Checkpoint().ok());
  EXPECT_EQ((*ReadHeadFile(HeadPath()))->sequence, 1u);
  ASSERT_TRUE(log->Checkpoint().ok());  // Nothing new: no duplicate checkpoint.
  EXPECT_EQ((*store_.ReadLastCheckpoint())->sequence, 1u);
}

TEST_F(AuditLogTest, FailsClosedAndRecovers) {
  auto log = OpenLog();
  ASSERT_TRUE(log->Record(Event(1)).ok());
  store_.SetFailing(true);
  Status failed = log->Record(Event(2));
  EXPECT_EQ(failed.code(), StatusCode::kUnavailable) << failed.ToString();
  EXPECT_EQ(log->Checkpoint().code(), StatusCode::kUnavailable);
  EXPECT_EQ((*store_.ReadTail()).sequence, 1u);
  store_.SetFailing(false);
  ASSERT_TRUE(log->Record(Event(3)).ok());
  EXPECT_EQ(log->last_sequence(), 2u);  // The failed entry's number is reused: no gap.
  ASSERT_TRUE(log->Shutdown().ok());
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, 2u);
}

TEST_F(AuditLogTest, RefusesAfterShutdown) {
  auto log = OpenLog();
  ASSERT_TRUE(log->Shutdown().ok());
  EXPECT_EQ(log->Record(Event(1)).code(), StatusCode::kUnavailable);
  EXPECT_EQ(log->Checkpoint().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(log->Shutdown().ok());
}

TEST_F(AuditLogTest, RejectsOversizedFields) {
  auto log = OpenLog();
  AuditEvent e = Event(1);
  e.details_json.assign(kMaxAuditFieldSize + 1, 'x');
  Status s = log->Record(e);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "details_json");
  EXPECT_EQ(log->last_sequence(), 0u);
}

// A store whose appends block while the gate is closed, to make batching deterministic.
class GatedStore : public MemoryAuditStore {
 public:
  Status AppendBatch(std::span<const AuditEntry> entries,
                     const AuditCheckpoint* checkpoint) override {
    {
      std::unique_lock lock(gate_mu_);
      ++arrived_;
      arrived_cv_.notify_all();
      gate_cv_.wait(lock, [&] { return open_; });
    }
    sizes_.push_back(entries.size());
    return MemoryAuditStore::AppendBatch(entries, checkpoint);
  }
  void Open() {
    std::lock_guard lock(gate_mu_);
    open_ = true;
    gate_cv_.notify_all();
  }
  void Close() {
    std::lock_guard lock(gate_mu_);
    open_ = false;
  }
  void WaitForArrivals(int n) {
    std::unique_lock lock(gate_mu_);
    arrived_cv_.wait(lock, [&] { return arrived_ >= n; });
  }
  std::vector<size_t> sizes_;  // Written by the writer thread only.

 private:
  std::mutex gate_mu_;
  std::condition_variable gate_cv_, arrived_cv_;
  bool open_ = true;
  int arrived_ = 0;
};

TEST_F(AuditLogTest, GroupCommitsWaitingCallersIntoOneBatch) {
  GatedStore store;
  auto log = *AuditLog::Open(store, TestKey(), clock_, Options());  // Checkpoint 0: arrival 1.
  store.Close();
  std::thread first([&] { EXPECT_TRUE(log->Record(Event(0)).ok()); });
  store.WaitForArrivals(2);  // The writer is now blocked inside the first batch.
  constexpr int kThreads = 10;
  std::vector<std::thread> threads;
  for (int i = 1; i <= kThreads; ++i) {
    threads.emplace_back([&, i] { EXPECT_TRUE(log->Record(Event(i)).ok()); });
  }
  while (log->pending() < kThreads) std::this_thread::yield();
  store.Open();
  first.join();
  for (auto& t : threads) t.join();
  ASSERT_TRUE(log->Shutdown().ok());
  // Checkpoint 0, the first entry alone, the ten waiting callers together, final checkpoint.
  EXPECT_EQ(store.sizes_, (std::vector<size_t>{0, 1, kThreads, 0}));
  auto report = VerifyAuditTrail(store, TestKey().public_key(), HeadPath());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, static_cast<uint64_t>(kThreads + 1));
}

TEST_F(AuditLogTest, ConcurrentRecordersGetAGapFreeChain) {
  auto log = OpenLog(/*every=*/50);
  constexpr int kThreads = 16, kEach = 100;
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
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(log->last_sequence(), static_cast<uint64_t>(kThreads * kEach));
  ASSERT_TRUE(log->Shutdown().ok());
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, static_cast<uint64_t>(kThreads * kEach));
}

// --- Deferred durability ----------------------------------------------------------------------

// Waits for a DeferredDurability's outcome.
class Outcome {
 public:
  std::function<void(Status)> Callback() {
    return [this](Status s) {
      std::lock_guard lock(mu_);
      status_ = std::move(s);
      ++calls_;
      cv_.notify_all();
    };
  }
  Status Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return calls_ > 0; });
    return status_;
  }
  int calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  Status status_;
  int calls_ = 0;
};

TEST_F(AuditLogTest, DeferredRecordReturnsAtOnceAndReportsWhenDurable) {
  GatedStore store;
  auto log = *AuditLog::Open(store, TestKey(), clock_, Options());
  store.Close();  // Nothing can become durable yet.
  auto deferral = std::make_shared<DeferredDurability>(std::vector<std::string>{"child.search"});
  AuditEvent search = Event(1);
  search.action = "child.search";
  {
    DeferredDurability::Scope scope(deferral);
    ASSERT_TRUE(log->Record(search).ok());  // Returns although the store is shut.
    search.action = "child.search";
    search.request_id = "req-2";
    ASSERT_TRUE(log->Record(search).ok());
  }
  EXPECT_EQ(DeferredDurability::Current(), nullptr);
  EXPECT_TRUE(deferral->pending());
  Outcome outcome;
  deferral->Await(outcome.Callback());
  store.WaitForArrivals(2);       // The writer is inside the batch, blocked.
  EXPECT_EQ(outcome.calls(), 0);  // Not durable yet: not reported.
  EXPECT_EQ(log->last_sequence(), 0u);
  store.Open();
  EXPECT_TRUE(outcome.Wait().ok());
  EXPECT_EQ(log->last_sequence(), 2u);  // Reported only after both entries were committed.
  EXPECT_FALSE(deferral->pending());
  ASSERT_TRUE(log->Shutdown().ok());
  auto report = VerifyAuditTrail(store, TestKey().public_key(), HeadPath());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, 2u);
  EXPECT_EQ(outcome.calls(), 1);
}

TEST_F(AuditLogTest, DeferredRecordReportsAFailedBatch) {
  auto log = OpenLog();
  store_.SetFailing(true);
  auto deferral = std::make_shared<DeferredDurability>(std::vector<std::string>{"child.search"});
  AuditEvent search = Event(1);
  search.action = "child.search";
  {
    DeferredDurability::Scope scope(deferral);
    ASSERT_TRUE(log->Record(search).ok());
  }
  Outcome outcome;
  deferral->Await(outcome.Callback());
  EXPECT_EQ(outcome.Wait().code(), StatusCode::kUnavailable);  // The caller must refuse.
  EXPECT_EQ((*store_.ReadTail()).sequence, 0u);
  store_.SetFailing(false);
  ASSERT_TRUE(log->Shutdown().ok());
}

TEST_F(AuditLogTest, DeferralOnlyAppliesToAcceptedActionsAndOpenLogs) {
  auto log = OpenLog();
  auto deferral = std::make_shared<DeferredDurability>(std::vector<std::string>{"child.search"});
  {
    DeferredDurability::Scope scope(deferral);
    // Another action is recorded synchronously: durable when Record returns.
    ASSERT_TRUE(log->Record(Event(1)).ok());
    EXPECT_EQ(log->last_sequence(), 1u);
    EXPECT_FALSE(deferral->pending());
    // Malformed events are refused at once, deferred or not.
    AuditEvent bad = Event(2);
    bad.action = "child.search";
    bad.details_json.assign(kMaxAuditFieldSize + 1, 'x');
    EXPECT_EQ(log->Record(bad).code(), StatusCode::kInvalidArgument);
  }
  // Nothing deferred: Await reports at once, on this thread.
  Outcome outcome;
  deferral->Await(outcome.Callback());
  EXPECT_EQ(outcome.calls(), 1);
  ASSERT_TRUE(log->Shutdown().ok());
  // After shutdown a deferred record is refused like any other.
  AuditEvent search = Event(3);
  search.action = "child.search";
  DeferredDurability::Scope scope(deferral);
  EXPECT_EQ(log->Record(search).code(), StatusCode::kUnavailable);
}

TEST_F(AuditLogTest, ShutdownWritesDeferredEntries) {
  auto log = OpenLog();
  constexpr int kThreads = 8, kEach = 50;
  std::atomic<int> durable{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto deferral =
            std::make_shared<DeferredDurability>(std::vector<std::string>{"child.search"});
        AuditEvent e = Event(t * kEach + i);
        e.action = "child.search";
        {
          DeferredDurability::Scope scope(deferral);
          ASSERT_TRUE(log->Record(e).ok());
        }
        deferral->Await([&](Status s) {
          if (s.ok()) ++durable;
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(log->Shutdown().ok());  // Writes whatever is still queued.
  EXPECT_EQ(durable.load(), kThreads * kEach);
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, static_cast<uint64_t>(kThreads * kEach));
}

// --- Open refuses a store that does not match its head file ------------------------------------

// --- Several writers on one store (docs/audit-log.md, "Several writers") ---------------------

TEST_F(AuditLogTest, TwoLogsOnOneStoreContinueEachOthersChain) {
  auto first = OpenLog(/*every=*/4);
  auto second = OpenLog(/*every=*/4);
  ASSERT_TRUE(first && second);
  for (int i = 1; i <= 10; ++i) {
    AuditLog& log = i % 2 == 1 ? *first : *second;
    ASSERT_TRUE(log.Record(Event(i)).ok());
    // The sequence comes from the stored tail, which the other log moved.
    EXPECT_EQ(log.last_sequence(), static_cast<uint64_t>(i));
  }
  ASSERT_TRUE(first->Shutdown().ok());
  ASSERT_TRUE(second->Shutdown().ok());
  auto report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, 10u);
  EXPECT_EQ(report->head_sequence, 10u);
}

TEST_F(AuditLogTest, CheckpointThresholdCountsEveryWritersUnsignedEntries) {
  auto first = OpenLog(/*every=*/4);
  auto second = OpenLog(/*every=*/4);
  const size_t before = CheckpointCount();
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(first->Record(Event(i)).ok());
  EXPECT_EQ(CheckpointCount(), before);
  // The fourth unsigned entry is the second log's: it signs all four.
  ASSERT_TRUE(second->Record(Event(4)).ok());
  EXPECT_EQ(CheckpointCount(), before + 1);
  auto head = ReadHeadFile(HeadPath());
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->sequence, 4u);
}

TEST_F(AuditLogTest, HeadFileNeverMovesBackwards) {
  const crypto::SigningKey key = TestKey();
  const AuditCheckpoint newer = MakeCheckpoint(key, 9, kStart, std::string(32, 'n'));
  const AuditCheckpoint older = MakeCheckpoint(key, 5, kStart, std::string(32, 'o'));
  ASSERT_TRUE(AdvanceHeadFile(HeadPath(), newer, key.public_key()).ok());
  // A writer that checkpointed earlier but writes its head file later changes nothing.
  ASSERT_TRUE(AdvanceHeadFile(HeadPath(), older, key.public_key()).ok());
  auto head = ReadHeadFile(HeadPath());
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->sequence, 9u);
  // A head file that is not validly signed with our key does not hold the head back.
  const crypto::SigningKey other = TestKey('x');
  ASSERT_TRUE(
      WriteHeadFile(HeadPath(), MakeCheckpoint(other, 50, kStart, std::string(32, 'f'))).ok());
  ASSERT_TRUE(AdvanceHeadFile(HeadPath(), older, key.public_key()).ok());
  head = ReadHeadFile(HeadPath());
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->sequence, 5u);
  EXPECT_TRUE(CheckpointSignatureValid(key.public_key(), **head));
}

TEST_F(AuditLogTest, OpenRefusesATruncatedStore) {
  Fill(5, /*every=*/2);
  store_.Tamper([](auto& entries, auto& checkpoints) {
    entries.resize(3);
    std::erase_if(checkpoints, [](const AuditCheckpoint& c) { return c.sequence > 3; });
  });
  auto log = AuditLog::Open(store_, TestKey(), clock_, Options());
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(AuditLogTest, OpenRefusesAMissingHeadFileWhenThereAreEntries) {
  Fill(2);
  std::filesystem::remove(HeadPath());
  EXPECT_EQ(AuditLog::Open(store_, TestKey(), clock_, Options()).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(AuditLogTest, OpenRefusesAnotherKey) {
  Fill(2);
  EXPECT_EQ(AuditLog::Open(store_, TestKey('o'), clock_, Options()).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(AuditLogTest, OpenSignsAnUncheckpointedTail) {
  Fill(4, /*every=*/2);
  // As if the process died after entries 5..6 were committed but before any checkpoint.
  store_.Tamper([](auto& entries, auto&) {
    for (int i = 5; i <= 6; ++i) {
      AuditEntry e;
      e.sequence = static_cast<uint64_t>(i);
      e.time = kStart;
      e.event = Event(i);
      e.prev_hash = entries.back().hash;
      e.hash = EntryHash(e);
      entries.push_back(e);
    }
  });
  auto log = OpenLog();
  ASSERT_NE(log, nullptr);
  EXPECT_EQ((*store_.ReadLastCheckpoint())->sequence, 6u);
  EXPECT_EQ((*ReadHeadFile(HeadPath()))->sequence, 6u);
}

// --- Verifier ---------------------------------------------------------------------------------

TEST_F(AuditLogTest, VerifyDetectsAnEditedEntry) {
  Fill(6);
  store_.Tamper([](auto& entries, auto&) { entries[3].event.outcome = "failure"; });  // seq 4
  ExpectFailsAt(4, "edited");
}

TEST_F(AuditLogTest, VerifyDetectsADeletedEntry) {
  Fill(6);
  store_.Tamper([](auto& entries, auto&) { entries.erase(entries.begin() + 2); });  // seq 3
  ExpectFailsAt(3, "missing");
}

TEST_F(AuditLogTest, VerifyDetectsADeletedAndRenumberedEntry) {
  Fill(6);
  store_.Tamper([](auto& entries, auto&) {
    entries.erase(entries.begin() + 2);
    for (size_t i = 2; i < entries.size(); ++i) entries[i].sequence = i + 1;
  });
  ExpectFailsAt(3, "prev_hash");
}

TEST_F(AuditLogTest, VerifyDetectsReorderedEntries) {
  Fill(6);
  store_.Tamper([](auto& entries, auto&) {  // Swap the contents of seq 4 and seq 5.
    std::swap(entries[3], entries[4]);
    std::swap(entries[3].sequence, entries[4].sequence);
  });
  ExpectFailsAt(4, "");
}

TEST_F(AuditLogTest, VerifyDetectsATruncatedTailViaTheHeadFile) {
  Fill(6, /*every=*/2);
  store_.Tamper([](auto& entries, auto& checkpoints) {
    entries.resize(3);
    std::erase_if(checkpoints, [](const AuditCheckpoint& c) { return c.sequence > 3; });
  });
  ExpectFailsAt(4, "head file");
}

TEST_F(AuditLogTest, VerifyDetectsATruncatedTailViaACheckpoint) {
  Fill(6, /*every=*/2);
  store_.Tamper([](auto& entries, auto&) { entries.resize(3); });
  ExpectFailsAt(4, "truncated");
}

TEST_F(AuditLogTest, VerifyDetectsAForgedCheckpoint) {
  Fill(6, /*every=*/2);
  store_.Tamper([](auto&, auto& checkpoints) {
    for (auto& c : checkpoints) {
      if (c.sequence == 4) c.signature[10] ^= 1;
    }
  });
  ExpectFailsAt(4, "signature");
}

TEST_F(AuditLogTest, VerifyDetectsACheckpointSignedByAnotherKey) {
  Fill(6, /*every=*/2);
  store_.Tamper([](auto&, auto& checkpoints) {
    for (auto& c : checkpoints) {
      if (c.sequence == 2) c = MakeCheckpoint(TestKey('x'), c.sequence, c.time, c.hash);
    }
  });
  ExpectFailsAt(2, "signature");
}

TEST_F(AuditLogTest, VerifyDetectsARewrittenChainAgainstCheckpoints) {
  Fill(6, /*every=*/2);
  // Edit entry 3 and recompute every hash from there: internally consistent, but it no longer
  // matches the signed checkpoint at 4. The first bad entry is after the last good checkpoint.
  store_.Tamper([](auto& entries, auto&) {
    entries[2].event.actor = "someone-else";
    for (size_t i = 2; i < entries.size(); ++i) {
      entries[i].prev_hash = entries[i - 1].hash;
      entries[i].hash = EntryHash(entries[i]);
    }
  });
  ExpectFailsAt(3, "rewritten");
}

TEST_F(AuditLogTest, VerifyDetectsAMissingHeadFile) {
  Fill(2);
  std::filesystem::remove(HeadPath());
  auto report = Verify();
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), HasSubstr("missing"));
}

TEST_F(AuditLogTest, VerifyDetectsAForgedHeadFile) {
  Fill(2);
  AuditCheckpoint head = **ReadHeadFile(HeadPath());
  head.signature[0] ^= 1;
  ASSERT_TRUE(WriteHeadFile(HeadPath(), head).ok());
  ExpectFailsAt(2, "head file");
}

TEST_F(AuditLogTest, VerifyReportsUnsignedEntries) {
  auto log = OpenLog();
  ASSERT_TRUE(log->Record(Event(1)).ok());
  ASSERT_TRUE(log->Record(Event(2)).ok());
  auto report = Verify();  // While the log is open: entries 1..2 not yet checkpointed.
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, 2u);
  EXPECT_EQ(report->unsigned_entries, 2u);
}

// --- Test doubles -----------------------------------------------------------------------------

TEST(FakeAuditSinkTest, RecordsAndFails) {
  testing::FakeAuditSink sink;
  ASSERT_TRUE(sink.Record(Event(1)).ok());
  sink.SetFailing(true);
  EXPECT_EQ(sink.Record(Event(2)).code(), StatusCode::kUnavailable);
  sink.SetFailing(false);
  sink.FailNext(1);
  EXPECT_EQ(sink.Record(Event(3)).code(), StatusCode::kUnavailable);
  ASSERT_TRUE(sink.Record(Event(4)).ok());
  EXPECT_EQ(sink.size(), 2u);
  EXPECT_EQ(sink.refused(), 2);
  EXPECT_EQ(sink.last(), Event(4));
  EXPECT_EQ(sink.EventsWithAction("auth.sign_in").size(), 1u);  // Event(4); Event(1) is a search.
}

TEST(MockAuditSinkTest, CanExpectEvents) {
  testing::MockAuditSink sink;
  EXPECT_CALL(sink, Record(::testing::Field(&AuditEvent::action, "search")))
      .WillOnce(::testing::Return(Status::Unavailable("down")));
  EXPECT_EQ(sink.Record(Event(1)).code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace cp::audit
