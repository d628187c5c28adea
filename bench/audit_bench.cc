// audit_bench: durable audit appends per second through AuditLog + SqliteAuditStore
// (WAL, synchronous=FULL, group commit), with many concurrent recording threads.
//
// Usage: audit_bench [threads=32] [records_per_thread=2000] [dir=<temp>]
// NOSYNC=1 in the environment turns off the per-commit fsync, to show how much of a
// transaction's time is the fsync (never a production setting).
// Prints throughput, transactions (= fsync'd batches), mean batch size and Record latency.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_log.h"
#include "audit/verifier.h"
#include "core/clock.h"
#include "store/sqlite/sqlite_audit_store.h"

namespace {

using cp::audit::AuditCheckpoint;
using cp::audit::AuditEntry;

// Counts transactions and entries on the way to the real store.
class CountingStore : public cp::audit::AuditStore {
 public:
  explicit CountingStore(cp::audit::AuditStore& inner) : inner_(inner) {}
  cp::Status AppendBatch(std::span<const AuditEntry> entries,
                         const AuditCheckpoint* checkpoint) override {
    ++batches_;
    entries_ += entries.size();
    const auto t0 = std::chrono::steady_clock::now();
    cp::Status s = inner_.AppendBatch(entries, checkpoint);
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    append_us_ += static_cast<uint64_t>(us);
    max_append_us_ = std::max(max_append_us_.load(), static_cast<uint64_t>(us));
    return s;
  }
  // What the AuditLog calls: counts the plan it builds and times the whole transaction.
  cp::Status AppendAtTail(const AppendBuilder& build) override {
    const auto t0 = std::chrono::steady_clock::now();
    size_t planned = 0;
    cp::Status s = inner_.AppendAtTail([&](const cp::audit::AuditAppendContext& context)
                                           -> cp::Result<cp::audit::AuditAppendPlan> {
      auto plan = build(context);
      if (plan.ok()) planned = plan->entries.size();
      return plan;
    });
    if (s.ok() && planned > 0) {
      ++batches_;
      entries_ += planned;
    }
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    append_us_ += static_cast<uint64_t>(us);
    max_append_us_ = std::max(max_append_us_.load(), static_cast<uint64_t>(us));
    return s;
  }
  cp::Result<cp::audit::AuditTail> ReadTail() override { return inner_.ReadTail(); }
  cp::Result<std::optional<AuditCheckpoint>> ReadLastCheckpoint() override {
    return inner_.ReadLastCheckpoint();
  }
  cp::Result<std::unique_ptr<cp::audit::AuditCursor<AuditEntry>>> ScanEntries(
      uint64_t from) override {
    return inner_.ScanEntries(from);
  }
  cp::Result<std::unique_ptr<cp::audit::AuditCursor<AuditCheckpoint>>> ScanCheckpoints() override {
    return inner_.ScanCheckpoints();
  }
  cp::Result<std::vector<AuditEntry>> Query(const cp::audit::AuditQuery& q) override {
    return inner_.Query(q);
  }
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> entries_{0};
  std::atomic<uint64_t> append_us_{0};  // Time inside AppendBatch (writer thread only).
  std::atomic<uint64_t> max_append_us_{0};

 private:
  cp::audit::AuditStore& inner_;
};

int Fail(const cp::Status& s) {
  std::fprintf(stderr, "audit_bench: %s\n", s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 32;
  const int per_thread = argc > 2 ? std::atoi(argv[2]) : 2000;
  std::filesystem::path dir = argc > 3 ? std::filesystem::path(argv[3])
                                       : std::filesystem::temp_directory_path() /
                                             ("cp-audit-bench-" + std::to_string(::getpid()));
  const bool own_dir = argc <= 3;
  std::filesystem::create_directories(dir);

  cp::store::sqlite::OpenOptions db_options;
  db_options.synchronous_full = std::getenv("NOSYNC") == nullptr;
  auto sqlite = cp::store::sqlite::SqliteAuditStore::Open((dir / "audit.db").string(), db_options);
  if (!sqlite.ok()) return Fail(sqlite.status());
  CountingStore store(**sqlite);
  cp::SystemClock clock;
  cp::audit::AuditLogOptions options;
  options.head_path = (dir / "audit.head").string();
  auto key = cp::crypto::SigningKey::Generate();
  const std::string public_key = key.public_key();
  auto log = cp::audit::AuditLog::Open(store, std::move(key), clock, options);
  if (!log.ok()) return Fail(log.status());
  const uint64_t start_batches = store.batches_.load();

  std::vector<std::vector<double>> latencies(static_cast<size_t>(threads));
  std::atomic<int> failures{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      auto& mine = latencies[static_cast<size_t>(t)];
      mine.reserve(static_cast<size_t>(per_thread));
      for (int i = 0; i < per_thread; ++i) {
        cp::audit::AuditEvent e;
        e.actor = "user-" + std::to_string(t);
        e.organisation = "org-" + std::to_string(t % 5);
        e.action = "search";
        e.target = "";
        e.outcome = "success";
        e.request_id = "req-" + std::to_string(t) + "-" + std::to_string(i);
        e.client_address = "203.0.113." + std::to_string(t);
        e.details_json =
            "{\"criteria\":\"6f1ed002ab5595859014ebf0951522d9\",\"results\":3,"
            "\"uins\":[\"AB123456\",\"CD234567\",\"EF345678\"]}";
        const auto t0 = std::chrono::steady_clock::now();
        if (!(*log)->Record(e).ok()) ++failures;
        mine.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
      }
    });
  }
  for (auto& w : workers) w.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  cp::Status shutdown = (*log)->Shutdown();
  if (!shutdown.ok()) return Fail(shutdown);

  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[static_cast<size_t>(p * static_cast<double>(all.size() - 1))];
  };
  const double total = static_cast<double>(threads) * per_thread;
  const uint64_t batches = store.batches_.load() - start_batches;
  std::printf("audit_bench: %d threads x %d Records (WAL, %s)\n", threads, per_thread,
              db_options.synchronous_full ? "synchronous=FULL, durable"
                                          : "synchronous=NORMAL: NOT durable, diagnostic only");
  std::printf("  elapsed          %.3f s\n", seconds);
  std::printf("  throughput       %.0f appends/s\n", total / seconds);
  std::printf("  transactions     %llu (mean batch %.1f entries)\n",
              static_cast<unsigned long long>(batches),
              batches ? total / static_cast<double>(batches) : 0.0);
  std::printf(
      "  transaction time mean %.2f ms, max %.2f ms (writer busy %.0f%%)\n",
      batches ? static_cast<double>(store.append_us_.load()) / 1000.0 / static_cast<double>(batches)
              : 0.0,
      static_cast<double>(store.max_append_us_.load()) / 1000.0,
      100.0 * static_cast<double>(store.append_us_.load()) / 1e6 / seconds);
  std::printf("  Record latency   p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", pct(0.5), pct(0.99),
              pct(1.0));
  std::printf("  failures         %d\n", failures.load());

  const auto v0 = std::chrono::steady_clock::now();
  auto report = cp::audit::VerifyAuditTrail(**sqlite, public_key, options.head_path);
  const double vsec = std::chrono::duration<double>(std::chrono::steady_clock::now() - v0).count();
  if (!report.ok()) return Fail(report.status());
  std::printf("  verify           %llu entries, %llu checkpoints in %.3f s (%.0f entries/s)\n",
              static_cast<unsigned long long>(report->entries),
              static_cast<unsigned long long>(report->checkpoints), vsec,
              static_cast<double>(report->entries) / vsec);

  log->reset();
  sqlite->reset();
  if (own_dir) std::filesystem::remove_all(dir);
  return failures.load() == 0 ? 0 : 1;
}
