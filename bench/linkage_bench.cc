// linkage_bench: builds a FellegiSunterMatcher over N synthetic children (the demo's population,
// app::SyntheticChildren: households with siblings, twins, shared addresses and carers), then
// classifies perturbed copies of sampled children, the exact copies with the child itself
// excluded (what remains are siblings and namesakes: hard non-matches), and children from
// another population (non-matches).
//
// Usage: linkage_bench [children=1000000] [queries=50000]
// Prints load rate, bytes per child (RSS growth and the matcher's own arrays), Classify rows/s
// with wall and CPU time per row, precision/recall of automatic matches per perturbation, the
// possible-duplicate rate, and weight histograms (used to choose the default thresholds).
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "app/synthetic_children.h"
#include "core/random.h"
#include "linkage/fellegi_sunter_matcher.h"
#include "search/nicknames.h"

namespace {

using cp::linkage::FellegiSunterMatcher;
using cp::linkage::MatchInput;
using cp::linkage::MatchOutcome;
using cp::linkage::MatchResult;
using WallClock = std::chrono::steady_clock;

double Seconds(WallClock::duration d) { return std::chrono::duration<double>(d).count(); }

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

size_t RssBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

MatchInput ToMatchInput(const cp::domain::ChildRecord& r) {
  MatchInput in;
  in.given_names = r.name.given_names;
  in.family_name = r.name.family_name;
  for (const auto& n : r.former_names)
    in.other_names.push_back(n.given_names + " " + n.family_name);
  for (const auto& n : r.known_as) in.other_names.push_back(n.given_names + " " + n.family_name);
  in.gender = r.gender;
  in.date_of_birth = r.date_of_birth;
  in.postcode = r.address.postcode;
  in.address = r.address.line_1 + ", " + r.address.line_2;
  in.town = r.address.town;
  for (const auto& c : r.carers) in.carer_names.push_back(c.name);
  return in;
}

// One random edit (substitution, deletion or adjacent transposition) of an ASCII-ish name.
std::string Typo(std::string s, cp::RandomSource& rng) {
  if (s.size() < 3) return s + "e";
  size_t i = 1 + rng.Uniform(s.size() - 2);
  switch (rng.Uniform(3)) {
    case 0:
      s[i] = static_cast<char>('a' + rng.Uniform(26));
      break;
    case 1:
      s.erase(i, 1);
      break;
    default:
      std::swap(s[i], s[i - 1]);
      break;
  }
  return s;
}

enum class Perturbation {
  kExact,
  kGivenTypo,
  kFamilyTypo,
  kNickname,
  kDobDayMonthSwap,
  kDobOneComponent,
  kMoved,  // New postcode, address and town.
  kNoDobNoPostcode,
  kTypoAndMoved,  // A family-name typo and a new address.
  kCount,
};

const char* Name(Perturbation p) {
  static const char* kNames[] = {"exact",    "given_typo",      "family_typo",
                                 "nickname", "dob_day_month",   "dob_one_component",
                                 "moved",    "no_dob_postcode", "typo_and_moved"};
  return kNames[static_cast<int>(p)];
}

std::optional<MatchInput> Perturb(MatchInput in, Perturbation p, const MatchInput& elsewhere,
                                  cp::RandomSource& rng) {
  switch (p) {
    case Perturbation::kExact:
      break;
    case Perturbation::kGivenTypo:
      in.given_names = Typo(in.given_names, rng);
      break;
    case Perturbation::kFamilyTypo:
      in.family_name = Typo(in.family_name, rng);
      break;
    case Perturbation::kNickname: {
      std::string first = in.given_names.substr(0, in.given_names.find(' '));
      for (char& c : first) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (const auto& pair : cp::search::NicknamePairs()) {
        if (pair.formal == first) {
          in.given_names = std::string(pair.nickname);
          return in;
        }
      }
      return std::nullopt;
    }
    case Perturbation::kDobDayMonthSwap: {
      cp::Date d = *in.date_of_birth;
      if (d.day() > 12 || d.day() == d.month()) return std::nullopt;
      in.date_of_birth = *cp::Date::FromYmd(d.year(), d.day(), d.month());
      break;
    }
    case Perturbation::kDobOneComponent:
      in.date_of_birth = in.date_of_birth->AddDays(rng.Uniform(2) == 0 ? 1 : -1);
      if (in.date_of_birth->month() != 0 && in.date_of_birth->day() == 1) return std::nullopt;
      break;
    case Perturbation::kMoved:
      in.postcode = elsewhere.postcode;
      in.address = elsewhere.address;
      in.town = elsewhere.town;
      break;
    case Perturbation::kNoDobNoPostcode:
      in.date_of_birth.reset();
      in.postcode.clear();
      break;
    case Perturbation::kTypoAndMoved:
      in.family_name = Typo(in.family_name, rng);
      in.postcode = elsewhere.postcode;
      in.address = elsewhere.address;
      in.town = elsewhere.town;
      break;
    case Perturbation::kCount:
      break;
  }
  return in;
}

cp::app::SyntheticOptions Options(uint64_t seed) {
  cp::app::SyntheticOptions o;
  o.seed = seed;
  o.today = *cp::Date::Parse("2026-11-22");
  o.authority_codes = {"E09000033", "E09000030", "E08000025", "E08000035",
                       "E06000023", "E10000017", "E08000003", "E09000028"};
  return o;
}

struct Tally {
  size_t rows = 0, matched_right = 0, matched_wrong = 0, possible = 0, fresh = 0;
};

void Histogram(const char* title, const std::map<int, size_t>& h) {
  std::printf("%s (weight bin: count)\n ", title);
  for (const auto& [bin, n] : h) std::printf(" %d:%zu", bin, n);
  std::printf("\n");
}

int BinOf(double w) { return static_cast<int>(std::floor(w / 2) * 2); }

}  // namespace

int main(int argc, char** argv) {
  size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  size_t queries = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 50000;
  size_t stride = std::max<size_t>(1, n / queries);

  size_t rss0 = RssBytes();
  FellegiSunterMatcher matcher;
  matcher.Reserve(n);
  std::vector<std::pair<int64_t, MatchInput>> sample;
  const bool show = std::getenv("LINKAGE_BENCH_SHOW") != nullptr;
  std::vector<MatchInput> everyone;  // Only with LINKAGE_BENCH_SHOW (small runs).
  cp::app::SyntheticChildren population(Options(1));
  double generate_s = 0, add_s = 0;
  double add_cpu0 = 0, add_cpu = 0;
  for (size_t done = 0; done < n;) {
    auto t0 = WallClock::now();
    std::vector<cp::domain::ChildRecord> batch =
        population.NextBatch(std::min<size_t>(10000, n - done));
    std::vector<MatchInput> inputs;
    inputs.reserve(batch.size());
    for (const auto& r : batch) inputs.push_back(ToMatchInput(r));
    batch.clear();
    batch.shrink_to_fit();
    auto t1 = WallClock::now();
    add_cpu0 = CpuSeconds();
    for (MatchInput& in : inputs) {
      int64_t id = static_cast<int64_t>(++done);
      matcher.Add(id, in);
      if (show) everyone.push_back(in);
      if (done % stride == 0) sample.emplace_back(id, std::move(in));
    }
    add_cpu += CpuSeconds() - add_cpu0;
    generate_s += Seconds(t1 - t0);
    add_s += Seconds(WallClock::now() - t1);
  }
  size_t rss1 = RssBytes();
  cp::linkage::MatcherStats stats = matcher.Stats();
  std::printf("children %zu: generate %.1f s; Add %.1f s wall, %.1f s CPU (%.0f children/s)\n", n,
              generate_s, add_s, add_cpu, static_cast<double>(n) / add_s);
  std::printf(
      "memory: RSS growth %.0f bytes/child (includes %zu sampled inputs); matcher arrays %.0f "
      "bytes/child; %zu distinct tokens; %.2f blocking entries/child\n",
      static_cast<double>(rss1 - rss0) / static_cast<double>(n), sample.size(),
      static_cast<double>(stats.approx_bytes) / static_cast<double>(n), stats.distinct_tokens,
      static_cast<double>(stats.blocking_entries) / static_cast<double>(n));

  // Queries: perturbed copies, exact copies excluding the child itself, other children.
  cp::SeededRandom rng(7);
  std::vector<std::pair<int64_t, MatchInput>> rows;  // id 0: not in the population.
  std::vector<int> kinds;                            // Perturbation, or -1 / -2.
  for (size_t i = 0; i < sample.size(); ++i) {
    auto p = static_cast<Perturbation>(i % static_cast<size_t>(Perturbation::kCount));
    const MatchInput& elsewhere = sample[(i * 7919 + 13) % sample.size()].second;
    if (auto q = Perturb(sample[i].second, p, elsewhere, rng)) {
      rows.emplace_back(sample[i].first, *q);
      kinds.push_back(static_cast<int>(p));
    }
    if (i % 4 == 0) {  // Exact copy with itself excluded: siblings and namesakes remain.
      rows.emplace_back(-sample[i].first, sample[i].second);
      kinds.push_back(-1);
    }
  }
  cp::app::SyntheticChildren others(Options(99));
  for (const auto& r : others.NextBatch(sample.size() / 4)) {
    rows.emplace_back(0, ToMatchInput(r));
    kinds.push_back(-2);
  }

  std::map<int, Tally> tally;
  std::map<int, size_t> true_weights, negative_weights;
  auto w0 = WallClock::now();
  double c0 = CpuSeconds();
  std::vector<MatchResult> results(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    int64_t id = rows[i].first;
    results[i] =
        id < 0 ? matcher.Classify(rows[i].second, {-id}) : matcher.Classify(rows[i].second);
  }
  double wall = Seconds(WallClock::now() - w0), cpu = CpuSeconds() - c0;
  for (size_t i = 0; i < rows.size(); ++i) {
    int64_t id = rows[i].first;
    const MatchResult& r = results[i];
    Tally& t = tally[kinds[i]];
    ++t.rows;
    if (r.outcome == MatchOutcome::kMatch) {
      (id > 0 && r.candidates.front().child_id == id ? t.matched_right : t.matched_wrong)++;
    } else if (r.outcome == MatchOutcome::kPossible) {
      ++t.possible;
    } else {
      ++t.fresh;
    }
    if (show && id <= 0 && r.outcome == MatchOutcome::kMatch) {
      const MatchInput& q = rows[i].second;
      const MatchInput& o = everyone[static_cast<size_t>(r.candidates.front().child_id - 1)];
      std::printf("  candidate %s|%s|%s|%s\n", o.given_names.c_str(), o.family_name.c_str(),
                  o.date_of_birth ? o.date_of_birth->ToString().c_str() : "", o.postcode.c_str());
      auto c = matcher.Compare(q, r.candidates.front().child_id);
      std::printf(
          "false match (row of %lld) %s|%s|%s|%s -> %lld: %.1f [%d %d %d %d %d %d %d %d %d]\n",
          static_cast<long long>(-id), q.given_names.c_str(), q.family_name.c_str(),
          q.date_of_birth ? q.date_of_birth->ToString().c_str() : "", q.postcode.c_str(),
          static_cast<long long>(r.candidates.front().child_id), c->total,
          static_cast<int>(c->given), static_cast<int>(c->family),
          static_cast<int>(c->date_of_birth), static_cast<int>(c->postcode),
          static_cast<int>(c->gender), static_cast<int>(c->carers), static_cast<int>(c->address),
          static_cast<int>(c->town), static_cast<int>(c->identifier));
    }
    if (id > 0) {
      if (auto c = matcher.Compare(rows[i].second, id)) ++true_weights[BinOf(c->total)];
    } else if (!r.candidates.empty()) {
      ++negative_weights[BinOf(r.candidates.front().weight)];
    }
  }
  std::printf(
      "classify %zu rows: %.2f s wall (%.0f rows/s, %.1f us/row), %.2f s CPU (%.1f us/row)\n",
      rows.size(), wall, static_cast<double>(rows.size()) / wall,
      wall * 1e6 / static_cast<double>(rows.size()), cpu,
      cpu * 1e6 / static_cast<double>(rows.size()));
  Tally all_true, all_neg;
  std::printf("%-22s %7s %9s %9s %9s %7s\n", "rows", "n", "match_ok", "match_bad", "possible",
              "new");
  for (const auto& [kind, t] : tally) {
    const char* name = kind == -1   ? "copy_minus_self"
                       : kind == -2 ? "other_population"
                                    : Name(static_cast<Perturbation>(kind));
    std::printf("%-22s %7zu %9zu %9zu %9zu %7zu\n", name, t.rows, t.matched_right, t.matched_wrong,
                t.possible, t.fresh);
    Tally& sum = kind >= 0 ? all_true : all_neg;
    sum.rows += t.rows;
    sum.matched_right += t.matched_right;
    sum.matched_wrong += t.matched_wrong;
    sum.possible += t.possible;
    sum.fresh += t.fresh;
  }
  double automatic =
      static_cast<double>(all_true.matched_right + all_true.matched_wrong + all_neg.matched_wrong);
  std::printf(
      "automatic matches: precision %.4f recall %.4f; possible duplicates: %.2f%% of true rows, "
      "%.2f%% of non-matching rows\n",
      static_cast<double>(all_true.matched_right) / automatic,
      static_cast<double>(all_true.matched_right) / static_cast<double>(all_true.rows),
      100.0 * static_cast<double>(all_true.possible) / static_cast<double>(all_true.rows),
      100.0 * static_cast<double>(all_neg.possible) / static_cast<double>(all_neg.rows));
  Histogram("true pairs", true_weights);
  Histogram("best candidate of non-matching rows (>= lower threshold only)", negative_weights);
  return 0;
}
