// Search index benchmark: builds an index of N synthetic children and prints build time,
// memory per child (RSS delta and the index's own accounting), search latency percentiles
// over a mixed set of perturbed queries, and recall@10 per perturbation type.
//
//   search_bench [children (default 1000000)] [queries (default 20000)] [seed]

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
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

// CPU time of this thread: unlike wall time, not inflated when other processes preempt us.
double ThreadCpuMs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double ProcessCpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0.0;
  return sorted[std::min(sorted.size() - 1,
                         static_cast<size_t>(p * static_cast<double>(sorted.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const int queries = argc > 2 ? std::atoi(argv[2]) : 20000;
  const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 20240601;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::printf("search_bench: %llu children, %d queries, seed %llu\n",
              static_cast<unsigned long long>(n), queries, static_cast<unsigned long long>(seed));

  // ---- Build. Children are generated in batches outside the timed region.
  malloc_trim(0);
  const double rss_before = ResidentBytes();
  SearchIndex::Builder builder;
  Clock::duration build_time{};
  double build_cpu = 0;
  constexpr uint64_t kBatch = 100000;
  std::vector<IndexedChild> batch;
  batch.reserve(kBatch);
  for (uint64_t start = 1; start <= n; start += kBatch) {
    batch.clear();
    for (uint64_t uin = start; uin < start + kBatch && uin <= n; ++uin) {
      batch.push_back(cp::search::synthetic::MakeChild(seed, uin));
    }
    const auto t0 = Clock::now();
    const double cpu0 = ProcessCpuSeconds();
    if (!builder.AddBatch(batch, 2).ok()) {
      std::fprintf(stderr, "duplicate uin\n");
      return 1;
    }
    build_time += Clock::now() - t0;
    build_cpu += ProcessCpuSeconds() - cpu0;
  }
  std::vector<IndexedChild>().swap(batch);
  const auto t0 = Clock::now();
  const double cpu0 = ProcessCpuSeconds();
  std::unique_ptr<SearchIndex> index = builder.Finish();
  const auto finish_time = Clock::now() - t0;
  build_cpu += ProcessCpuSeconds() - cpu0;
  build_time += finish_time;
  malloc_trim(0);  // Return the benchmark's own freed batches to the system before measuring.
  const double rss_after = ResidentBytes();
  const cp::search::IndexStats stats = index->Stats();
  const double dn = static_cast<double>(n);
  std::printf("build: %.1f s wall (adding %.1f s, finishing %.1f s), %.1f s CPU on 2 threads\n",
              Seconds(build_time), Seconds(build_time - finish_time), Seconds(finish_time),
              build_cpu);
  std::printf("memory: RSS delta %.1f bytes/child (%.0f MB); index accounting %.1f bytes/child\n",
              (rss_after - rss_before) / dn, (rss_after - rss_before) / 1e6,
              static_cast<double>(stats.total_bytes) / dn);
  std::printf(
      "  children %.1f, names %.1f, postings %.1f (%.2f per child; directory %.1f), "
      "dictionary %.1f (%zu tokens), uin map %.1f bytes/child\n",
      static_cast<double>(stats.child_table_bytes) / dn, static_cast<double>(stats.name_bytes) / dn,
      static_cast<double>(stats.posting_bytes) / dn, static_cast<double>(stats.postings) / dn,
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
  std::vector<double> cpu_latencies;
  struct Slow {
    double ms;
    cp::search::SearchCriteria q;
    bool refused;
  };
  std::vector<Slow> slowest;
  latencies.reserve(static_cast<size_t>(queries));
  int made = 0;
  for (int attempt = 0; made < queries && attempt < queries * 50; ++attempt) {
    const auto type =
        static_cast<Perturbation>(attempt % cp::search::synthetic::kPerturbationCount);
    const uint64_t uin = 1 + rng.Uniform(n);
    const IndexedChild child = cp::search::synthetic::MakeChild(seed, uin);
    auto q = cp::search::synthetic::MakeQuery(child, type, rng);
    if (!q) continue;
    ++made;
    const double c0 = ThreadCpuMs();
    const auto s0 = Clock::now();
    auto r = index->Search(*q, cp::search::kOrdinaryUserLimit, viewer);
    latencies.push_back(Seconds(Clock::now() - s0) * 1e3);
    cpu_latencies.push_back(ThreadCpuMs() - c0);
    slowest.push_back(
        {latencies.back(), *q, r.ok() && r->outcome == SearchOutcome::kTooManyMatches});
    std::sort(slowest.begin(), slowest.end(),
              [](const Slow& a, const Slow& b) { return a.ms > b.ms; });
    if (slowest.size() > 5) slowest.pop_back();
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
  std::sort(cpu_latencies.begin(), cpu_latencies.end());
  auto pct = [&latencies](double p) {
    return latencies.empty() ? 0.0
                             : latencies[std::min(
                                   latencies.size() - 1,
                                   static_cast<size_t>(p * static_cast<double>(latencies.size())))];
  };
  double sum = 0;
  for (double l : latencies) sum += l;
  std::printf("thread CPU time per query: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms\n",
              Percentile(cpu_latencies, 0.5), Percentile(cpu_latencies, 0.9),
              Percentile(cpu_latencies, 0.99), cpu_latencies.empty() ? 0.0 : cpu_latencies.back());
  std::printf(
      "wall-clock latency over %zu queries: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms, "
      "mean %.3f ms\n",
      latencies.size(), pct(0.50), pct(0.90), pct(0.99), latencies.empty() ? 0.0 : latencies.back(),
      latencies.empty() ? 0.0 : sum / static_cast<double>(latencies.size()));
  for (const Slow& s : slowest) {
    std::printf("  slow %.3f ms: '%s' '%s' dob %s%s\n", s.ms, s.q.given_name.c_str(),
                s.q.family_name.c_str(),
                s.q.date_of_birth ? s.q.date_of_birth->ToString().c_str() : "-",
                s.refused ? " (refused)" : "");
  }
  int asked = 0, found = 0, refused = 0;
  std::printf("%-26s %8s %8s %8s\n", "perturbation", "recall", "answered", "refused");
  for (int type = 0; type < cp::search::synthetic::kPerturbationCount; ++type) {
    const Tally& t = tally[static_cast<size_t>(type)];
    asked += t.asked;
    found += t.found;
    refused += t.refused;
    std::printf(
        "%-26s %8.4f %8d %8d\n",
        std::string(cp::search::synthetic::PerturbationName(static_cast<Perturbation>(type)))
            .c_str(),
        t.asked ? static_cast<double>(t.found) / t.asked : 0.0, t.asked, t.refused);
  }
  std::printf("%-26s %8.4f %8d %8d\n", "overall", asked ? static_cast<double>(found) / asked : 0.0,
              asked, refused);
  return 0;
}
