// Search index benchmark: builds an index of N synthetic children and prints build time,
// memory per child (RSS delta and the index's own accounting), search latency percentiles
// over a mixed set of perturbed queries, and recall@10 per perturbation type.
//
//   search_bench [children (default 1000000)] [queries (default 20000)] [seed]

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include "search/search_index.h"
#include "search/synthetic.h"

namespace {

using cp::search::IndexedChild;
using cp::search::SearchIndex;
using cp::search::SearchOutcome;
using cp::search::synthetic::Perturbation;
using Clock = std::chrono::steady_clock;

double ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0;
  long pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
  const uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const int queries = argc > 2 ? std::atoi(argv[2]) : 20000;
  const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 20240601;
  std::printf("search_bench: %llu children, %d queries, seed %llu\n",
              static_cast<unsigned long long>(n), queries, static_cast<unsigned long long>(seed));

  // ---- Build. Children are generated in batches outside the timed region.
  malloc_trim(0);
  const double rss_before = ResidentBytes();
  SearchIndex::Builder builder;
  Clock::duration build_time{};
  constexpr uint64_t kBatch = 100000;
  std::vector<IndexedChild> batch;
  batch.reserve(kBatch);
  for (uint64_t start = 1; start <= n; start += kBatch) {
    batch.clear();
    for (uint64_t uin = start; uin < start + kBatch && uin <= n; ++uin) {
      batch.push_back(cp::search::synthetic::MakeChild(seed, uin));
    }
    const auto t0 = Clock::now();
    for (const IndexedChild& c : batch) {
      if (!builder.Add(c).ok()) {
        std::fprintf(stderr, "duplicate uin\n");
        return 1;
      }
    }
    build_time += Clock::now() - t0;
  }
  std::vector<IndexedChild>().swap(batch);
  const auto t0 = Clock::now();
  std::unique_ptr<SearchIndex> index = builder.Finish();
  const auto finish_time = Clock::now() - t0;
  build_time += finish_time;
  malloc_trim(0);  // Return the benchmark's own freed batches to the system before measuring.
  const double rss_after = ResidentBytes();
  const cp::search::IndexStats stats = index->Stats();
  const double dn = static_cast<double>(n);
  std::printf("build: %.1f s (adding %.1f s, finishing %.1f s)\n", Seconds(build_time),
              Seconds(build_time - finish_time), Seconds(finish_time));
  std::printf("memory: RSS delta %.1f bytes/child (%.0f MB); index accounting %.1f bytes/child\n",
              (rss_after - rss_before) / dn, (rss_after - rss_before) / 1e6,
              static_cast<double>(stats.total_bytes) / dn);
  std::printf("  children %.1f, names %.1f, postings %.1f (%.2f per child; directory %.1f), "
              "dictionary %.1f (%zu tokens), uin map %.1f bytes/child\n",
              static_cast<double>(stats.child_table_bytes) / dn,
              static_cast<double>(stats.name_bytes) / dn,
              static_cast<double>(stats.posting_bytes) / dn,
              static_cast<double>(stats.postings) / dn,
              static_cast<double>(stats.posting_directory_bytes) / dn,
              static_cast<double>(stats.dictionary_bytes) / dn, stats.distinct_tokens,
              static_cast<double>(stats.uin_map_bytes) / dn);

  // ---- Queries: a mix of every perturbation type, about equally often.
  cp::SeededRandom rng(seed ^ 0x5eed);
  cp::search::AllHiddenAccess viewer;
  struct Tally {
    int asked = 0, found = 0, refused = 0;
  };
  std::array<Tally, cp::search::synthetic::kPerturbationCount> tally{};
  std::vector<double> latencies;
  latencies.reserve(static_cast<size_t>(queries));
  int made = 0;
  for (int attempt = 0; made < queries && attempt < queries * 50; ++attempt) {
    const auto type = static_cast<Perturbation>(attempt % cp::search::synthetic::kPerturbationCount);
    const uint64_t uin = 1 + rng.Uniform(n);
    const IndexedChild child = cp::search::synthetic::MakeChild(seed, uin);
    auto q = cp::search::synthetic::MakeQuery(child, type, rng);
    if (!q) continue;
    ++made;
    const auto s0 = Clock::now();
    auto r = index->Search(*q, cp::search::kOrdinaryUserLimit, viewer);
    latencies.push_back(Seconds(Clock::now() - s0) * 1e3);
    Tally& t = tally[static_cast<size_t>(type)];
    if (!r.ok()) continue;
    if (r->outcome == SearchOutcome::kTooManyMatches) {
      ++t.refused;
      continue;
    }
    ++t.asked;
    for (size_t i = 0; i < r->matches.size() && i < 10; ++i) {
      if (r->matches[i].uin == uin) {
        ++t.found;
        break;
      }
    }
  }
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&latencies](double p) {
    return latencies.empty() ? 0.0
                             : latencies[std::min(latencies.size() - 1,
                                                  static_cast<size_t>(p * static_cast<double>(
                                                                              latencies.size())))];
  };
  double sum = 0;
  for (double l : latencies) sum += l;
  std::printf("latency over %zu queries: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms, "
              "mean %.3f ms\n",
              latencies.size(), pct(0.50), pct(0.90), pct(0.99),
              latencies.empty() ? 0.0 : latencies.back(),
              latencies.empty() ? 0.0 : sum / static_cast<double>(latencies.size()));
  int asked = 0, found = 0, refused = 0;
  std::printf("%-26s %8s %8s %8s\n", "perturbation", "recall", "answered", "refused");
  for (int type = 0; type < cp::search::synthetic::kPerturbationCount; ++type) {
    const Tally& t = tally[static_cast<size_t>(type)];
    asked += t.asked;
    found += t.found;
    refused += t.refused;
    std::printf("%-26s %8.4f %8d %8d\n",
                std::string(cp::search::synthetic::PerturbationName(static_cast<Perturbation>(type)))
                    .c_str(),
                t.asked ? static_cast<double>(t.found) / t.asked : 0.0, t.asked, t.refused);
  }
  std::printf("%-26s %8.4f %8d %8d\n", "overall", asked ? static_cast<double>(found) / asked : 0.0,
              asked, refused);
  return 0;
}
