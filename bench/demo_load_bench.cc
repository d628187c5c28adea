// demo_load_bench: generates synthetic children and loads them into a fresh main database
// through SqliteChildStore (WAL, synchronous=FULL, one transaction per batch), then scans them
// all back (decrypting every protected part) as the search index build at start does.
//
// Usage: demo_load_bench [children=1000000] [batch=10000] [dir=<temp>]
// Prints the load's elapsed time and rows/s (split into generation + validation and store
// time), the database size, and the ScanAll rate with its extrapolation to 11 million.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/synthetic_children.h"
#include "store/sqlite/sqlite_child_store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Times CreateBatch on the way to the real store.
class TimingStore final : public cp::store::ChildStore {
 public:
  explicit TimingStore(cp::store::ChildStore& inner) : inner_(inner) {}
  cp::Result<int64_t> Create(const cp::domain::ChildRecord& r) override { return inner_.Create(r); }
  cp::Status CreateBatch(std::vector<cp::domain::ChildRecord>& records) override {
    const auto t0 = Clock::now();
    cp::Status s = inner_.CreateBatch(records);
    store_time_ += Clock::now() - t0;
    return s;
  }
  cp::Status Update(const cp::domain::ChildRecord& r) override { return inner_.Update(r); }
  cp::Result<cp::domain::ChildRecord> Get(int64_t id) override { return inner_.Get(id); }
  cp::Result<cp::domain::ChildRecord> GetByUin(const cp::domain::Uin& uin) override {
    return inner_.GetByUin(uin);
  }
  cp::Result<int64_t> Count() override { return inner_.Count(); }
  cp::Status ScanAll(
      const std::function<cp::Status(const cp::domain::ChildRecord&)>& visit) override {
    return inner_.ScanAll(visit);
  }
  cp::Result<Changes> ChangesSince(int64_t after, size_t limit) override {
    return inner_.ChangesSince(after, limit);
  }
  cp::Result<int64_t> LatestChangeSequence() override { return inner_.LatestChangeSequence(); }
  cp::Result<std::vector<int64_t>> FindCoResidents(const cp::domain::ChildRecord& r) override {
    return inner_.FindCoResidents(r);
  }
  Clock::duration store_time() const { return store_time_; }

 private:
  cp::store::ChildStore& inner_;
  Clock::duration store_time_{};
};

uint64_t FileSize(const std::filesystem::path& p) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : static_cast<uint64_t>(n);
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const size_t batch = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 10000;
  const bool own_dir = argc <= 3;
  const std::filesystem::path dir = own_dir
                                        ? std::filesystem::temp_directory_path() /
                                              ("cp-demo-load-bench-" + std::to_string(::getpid()))
                                        : std::filesystem::path(argv[3]);
  std::filesystem::create_directories(dir);
  const std::filesystem::path db_path = dir / "contactpoint.db";
  std::filesystem::remove(db_path);
  std::filesystem::remove(db_path.string() + "-wal");
  std::filesystem::remove(db_path.string() + "-shm");

  int rc = 0;
  {
    auto conn = cp::store::sqlite::OpenMainDatabase(db_path.string());
    if (!conn.ok()) {
      std::fprintf(stderr, "open: %s\n", conn.status().ToString().c_str());
      return 1;
    }
    auto box = cp::crypto::SecretBox::FromKey(std::string(32, '\x11'));
    cp::store::sqlite::SqliteChildStore store(*conn, *box, std::string(32, '\x22'));
    TimingStore timed(store);

    cp::app::SyntheticOptions options;
    options.seed = 20250630;
    options.today = *cp::Date::Parse("2025-06-30");
    options.authority_codes = {"E09000033", "E09000030", "E08000025", "E08000035",
                               "E06000023", "E10000016", "E10000030", "E10000014"};

    const auto t0 = Clock::now();
    cp::Status st = cp::app::LoadSyntheticChildren(timed, n, options, batch);
    const auto load = Clock::now() - t0;
    if (!st.ok()) {
      std::fprintf(stderr, "load: %s\n", st.ToString().c_str());
      rc = 1;
    } else {
      const double secs = Seconds(load);
      const double store_secs = Seconds(timed.store_time());
      std::printf("load: %zu children in %.2f s = %.0f rows/s (batch %zu, synchronous=FULL)\n", n,
                  secs, static_cast<double>(n) / secs, batch);
      std::printf("  generate + validate: %.2f s; store (seal, hash, insert, commit): %.2f s\n",
                  secs - store_secs, store_secs);
      const uint64_t bytes = FileSize(db_path) + FileSize(db_path.string() + "-wal");
      std::printf("  database + wal: %.1f MB (%.0f bytes/child)\n",
                  static_cast<double>(bytes) / 1e6,
                  static_cast<double>(bytes) / static_cast<double>(std::max<size_t>(n, 1)));

      size_t scanned = 0;
      size_t shielded = 0;
      const auto s0 = Clock::now();
      st = store.ScanAll([&](const cp::domain::ChildRecord& r) {
        ++scanned;
        shielded += r.shielded ? 1 : 0;
        return cp::Status::Ok();
      });
      const double scan_secs = Seconds(Clock::now() - s0);
      if (!st.ok()) {
        std::fprintf(stderr, "scan: %s\n", st.ToString().c_str());
        rc = 1;
      } else {
        std::printf(
            "scan: %zu children (%zu shielded) in %.2f s = %.0f rows/s;"
            " 11M would take ~%.0f s\n",
            scanned, shielded, scan_secs, static_cast<double>(scanned) / scan_secs,
            11e6 * scan_secs / static_cast<double>(std::max<size_t>(scanned, 1)));
      }
    }
  }
  if (own_dir) std::filesystem::remove_all(dir);
  return rc;
}
