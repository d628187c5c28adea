// pg_compare: the same perturbed query set through ContactPoint's in-process SearchIndex and
// through the search a team might write instead on PostgreSQL (pg_trgm + fuzzystrmatch), in
// one run. Prints, per engine: queries/s, p50/p99 latency, and recall@10 overall and per
// perturbation type. Run it through bench/pg_compare.sh, which starts a private PostgreSQL.
//
// Usage: pg_compare [--children N=100000] [--queries Q=2000] [--seed S=20240601]
//                   [--conninfo "host=/tmp/x port=5432 dbname=postgres"] [--reuse] [--explain]
// --reuse keeps an already loaded table (same N and seed) instead of reloading it.
// --explain prints PostgreSQL's plan (EXPLAIN ANALYZE) of the first query with and the first
// without a date of birth.
//
// The population is search::synthetic::MakeChild(seed, 1..N), the same as search_bench; each
// query has a known answer (the child it was made from). Both engines run single-threaded, one
// query at a time, on the same machine; PostgreSQL's figures include the round trip over its
// Unix socket (tens of microseconds), ours do not.
#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "core/random.h"
#include "search/search_index.h"
#include "search/synthetic.h"

namespace {

using cp::search::IndexedChild;
using cp::search::SearchIndex;
using cp::search::SearchOutcome;
using cp::search::synthetic::Perturbation;
using Clock = std::chrono::steady_clock;
constexpr int kTypes = cp::search::synthetic::kPerturbationCount;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

[[noreturn]] void Die(const char* what, PGconn* conn) {
  std::fprintf(stderr, "pg_compare: %s: %s\n", what, conn ? PQerrorMessage(conn) : "");
  std::exit(1);
}

void Exec(PGconn* conn, const std::string& sql) {
  PGresult* r = PQexec(conn, sql.c_str());
  const auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    std::fprintf(stderr, "pg_compare: %s\n  in: %s\n", PQresultErrorMessage(r), sql.c_str());
    PQclear(r);
    std::exit(1);
  }
  PQclear(r);
}

std::string ScalarText(PGconn* conn, const std::string& sql) {
  PGresult* r = PQexec(conn, sql.c_str());
  std::string out;
  if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) {
    out = PQgetvalue(r, 0, 0);
  }
  PQclear(r);
  return out;
}

// COPY text format: escape backslash, tab, newline, carriage return.
void CopyField(std::string& line, const std::string& value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        line += "\\\\";
        break;
      case '\t':
        line += "\\t";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      default:
        line += c;
    }
  }
}

std::string FirstWord(const std::string& s) { return s.substr(0, s.find(' ')); }

// One row per name a child is known by (recorded, known-as, former), as a team would model
// alternative names, with the fields searched on denormalised into it.
void AppendRows(const IndexedChild& c, std::string& out) {
  auto row = [&](int kind, const std::string& given, const std::string& family) {
    std::string line = std::to_string(c.uin) + '\t' + std::to_string(kind) + '\t';
    CopyField(line, given);
    line += '\t';
    CopyField(line, FirstWord(given));
    line += '\t';
    CopyField(line, family);
    line += '\t' + c.date_of_birth.ToString() + '\t' + std::to_string(static_cast<int>(c.gender)) +
            '\t';
    CopyField(line, c.postcode);
    line += '\n';
    out += line;
  };
  row(0, c.given_names, c.family_name);
  for (const auto& a : c.known_as_names) {
    row(1, a.given_names.empty() ? c.given_names : a.given_names,
        a.family_name.empty() ? c.family_name : a.family_name);
  }
  for (const auto& a : c.former_names) {
    row(2, a.given_names.empty() ? c.given_names : a.given_names,
        a.family_name.empty() ? c.family_name : a.family_name);
  }
}

// The search a competent team might write with pg_trgm and fuzzystrmatch: candidate names
// similar by trigrams (the % operator, similarity >= 0.3, GIN index) or equal by Double
// Metaphone (expression index), both names required to agree, in the recorded or the swapped
// order; with a date of birth, the date or its usual slips (day/month swapped, year +-1)
// through a B-tree index; ranked by trigram similarity, an exact date and postcode bonus.
// $1 given name ('' if none), $2 family name, $3 date of birth and its slips (date[]),
// $4 gender code (0 if none), $5 postcode ('' if none).
constexpr char kRankExpr[] = R"(
      greatest(similarity(n.family_name, $2) +
                 CASE WHEN $1 = '' THEN 0 ELSE similarity(n.given_names, $1) END,
               CASE WHEN $1 = '' THEN 0
                    ELSE 0.9 * (similarity(n.family_name, $1) + similarity(n.given_names, $2))
               END)
      + CASE WHEN $4 <> 0 AND n.gender <> $4 THEN -0.2 ELSE 0 END
      + CASE WHEN $5 <> '' AND n.postcode = $5 THEN 0.2 ELSE 0 END)";
constexpr char kNameMatch[] = R"(
      ((n.family_name % $2 OR dmetaphone(n.family_name) = dmetaphone($2))
        AND ($1 = '' OR n.given_names % $1 OR
             dmetaphone(n.first_given) = dmetaphone(split_part($1, ' ', 1))))
      OR ($1 <> '' AND
          (n.family_name % $1 OR dmetaphone(n.family_name) = dmetaphone($1)) AND
          (n.given_names % $2 OR dmetaphone(n.first_given) = dmetaphone($2))))";

// With a date of birth the few hundred rows born on the date or its slips are filtered
// directly: the MATERIALIZED fence stops the planner from AND-ing the date index with trigram
// index scans, which it underestimates (at 1M children a long-tail surname's trigram scan
// matched 27,000 rows and took 50 ms, against 1 ms for filtering the 600 rows of the dates).
std::string WithDobSql() {
  return std::string(
             "WITH born AS MATERIALIZED (SELECT * FROM child_names "
             "WHERE date_of_birth = ANY($3::date[])) "
             "SELECT uin FROM (SELECT n.uin, max(") +
         kRankExpr +
         " + CASE WHEN n.date_of_birth = ($3::date[])[1] THEN 0.5 ELSE 0.3 END) AS score"
         " FROM born n WHERE (" +
         kNameMatch + ") GROUP BY n.uin) m ORDER BY score DESC, uin LIMIT 11";
}

std::string WithoutDobSql() {
  return std::string("SELECT uin FROM (SELECT n.uin, max(") + kRankExpr +
         ") AS score FROM child_names n WHERE (" + kNameMatch +
         ") AND $3::date[] IS NULL GROUP BY n.uin) m ORDER BY score DESC, uin LIMIT 11";
}

// The date and the slips a team would allow: day/month swapped, year +-1 (same day).
std::string DobArray(cp::Date d) {
  std::vector<cp::Date> dates{d};
  auto add = [&](cp::Result<cp::Date> x) {
    if (x.ok() && std::find(dates.begin(), dates.end(), *x) == dates.end()) dates.push_back(*x);
  };
  add(cp::Date::FromYmd(d.year(), d.day(), d.month()));
  add(cp::Date::FromYmd(d.year() - 1, d.month(), d.day()));
  add(cp::Date::FromYmd(d.year() + 1, d.month(), d.day()));
  std::string out = "{";
  for (size_t i = 0; i < dates.size(); ++i) out += (i ? "," : "") + dates[i].ToString();
  return out + "}";
}

struct Query {
  cp::search::SearchCriteria criteria;
  uint64_t answer;
  Perturbation type;
};

struct Tally {
  int asked = 0;           // Queries of this type.
  int answered = 0;        // Ours: not refused. PostgreSQL: fewer than 11 rows.
  int found = 0;           // Answer in the top 10 (any outcome; refused counts as not found).
  int found_answered = 0;  // Answer in the top 10 among answered queries.
  int found_where_ours_answered = 0;  // PostgreSQL only: on the queries ours answered.
};

struct EngineResult {
  std::vector<double> wall_ms;
  std::vector<double> with_dob_ms;
  std::vector<double> without_dob_ms;
  std::array<Tally, kTypes> tally{};
  int errors = 0;
};

void PrintEngine(const char* name, const EngineResult& e, double total_seconds, bool pg,
                 const EngineResult* ours) {
  const double n = static_cast<double>(e.wall_ms.size());
  std::printf(
      "\n== %s: %.0f queries/s (one client, %.2f s for %zu queries); latency p50 %.3f ms, "
      "p90 %.3f ms, p99 %.3f ms, max %.3f ms%s\n",
      name, n / total_seconds, total_seconds, e.wall_ms.size(), Percentile(e.wall_ms, 0.5),
      Percentile(e.wall_ms, 0.9), Percentile(e.wall_ms, 0.99), Percentile(e.wall_ms, 1.0),
      e.errors ? (" — " + std::to_string(e.errors) + " errors/timeouts").c_str() : "");
  std::printf(
      "   with a date of birth (%zu): p50 %.3f ms, p99 %.3f ms; without (%zu): p50 %.3f ms, "
      "p99 %.3f ms\n",
      e.with_dob_ms.size(), Percentile(e.with_dob_ms, 0.5), Percentile(e.with_dob_ms, 0.99),
      e.without_dob_ms.size(), Percentile(e.without_dob_ms, 0.5),
      Percentile(e.without_dob_ms, 0.99));
  std::printf("%-26s %7s %9s %9s %10s%s\n", "perturbation", "queries", pg ? "11 rows" : "refused",
              "recall@10", "(answered)", pg ? "  (where ours answered)" : "");
  Tally all{};
  int ours_answered_all = 0;
  for (int t = 0; t < kTypes; ++t) {
    const Tally& x = e.tally[static_cast<size_t>(t)];
    all.asked += x.asked;
    all.answered += x.answered;
    all.found += x.found;
    all.found_answered += x.found_answered;
    all.found_where_ours_answered += x.found_where_ours_answered;
    const int ours_answered = ours ? ours->tally[static_cast<size_t>(t)].answered : 0;
    ours_answered_all += ours_answered;
    std::printf(
        "%-26s %7d %9d %9.4f %10.4f",
        std::string(cp::search::synthetic::PerturbationName(static_cast<Perturbation>(t))).c_str(),
        x.asked, x.asked - x.answered, x.asked ? static_cast<double>(x.found) / x.asked : 0.0,
        x.answered ? static_cast<double>(x.found_answered) / x.answered : 0.0);
    if (pg && ours_answered) {
      std::printf("  %10.4f", static_cast<double>(x.found_where_ours_answered) / ours_answered);
    }
    std::printf("\n");
  }
  std::printf("%-26s %7d %9d %9.4f %10.4f", "overall", all.asked, all.asked - all.answered,
              all.asked ? static_cast<double>(all.found) / all.asked : 0.0,
              all.answered ? static_cast<double>(all.found_answered) / all.answered : 0.0);
  if (pg && ours_answered_all) {
    std::printf("  %10.4f", static_cast<double>(all.found_where_ours_answered) / ours_answered_all);
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t n = 100000;
  int queries = 2000;
  uint64_t seed = 20240601;  // As search_bench.
  std::string conninfo = "dbname=postgres";
  bool reuse = false;
  bool explain = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : "";
    if (flag == "--reuse" || flag == "--explain") {
      (flag == "--reuse" ? reuse : explain) = true;
      continue;
    }
    if (flag == "--children")
      n = std::strtoull(value, nullptr, 10);
    else if (flag == "--queries")
      queries = std::atoi(value);
    else if (flag == "--seed")
      seed = std::strtoull(value, nullptr, 10);
    else if (flag == "--conninfo")
      conninfo = value;
    else {
      std::fprintf(stderr,
                   "usage: pg_compare [--children N] [--queries Q] [--seed S] "
                   "[--conninfo STR] [--reuse] [--explain]\n");
      return 2;
    }
    ++i;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::printf("pg_compare: %llu children, %d queries, seed %llu\n",
              static_cast<unsigned long long>(n), queries, static_cast<unsigned long long>(seed));

  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) Die("connect", conn);
  std::printf("PostgreSQL %s\n", ScalarText(conn, "SHOW server_version").c_str());

  // ---- Load: our index and the PostgreSQL table from the same generated children.
  const std::string population_tag = std::to_string(n) + "/" + std::to_string(seed);
  const bool loaded =
      reuse &&
      ScalarText(conn, "SELECT obj_description('child_names'::regclass)") == population_tag;
  if (!loaded) {
    Exec(conn, "CREATE EXTENSION IF NOT EXISTS pg_trgm");
    Exec(conn, "CREATE EXTENSION IF NOT EXISTS fuzzystrmatch");
    Exec(conn, "DROP TABLE IF EXISTS child_names");
    Exec(conn,
         "CREATE TABLE child_names (uin bigint NOT NULL, kind smallint NOT NULL, "
         "given_names text NOT NULL, first_given text NOT NULL, family_name text NOT NULL, "
         "date_of_birth date NOT NULL, gender smallint NOT NULL, postcode text NOT NULL)");
  }
  SearchIndex::Builder builder;
  Clock::duration ours_build{};
  Clock::duration pg_copy{};
  constexpr uint64_t kBatch = 100000;
  std::vector<IndexedChild> batch;
  std::string copy;
  for (uint64_t start = 1; start <= n; start += kBatch) {
    batch.clear();
    copy.clear();
    for (uint64_t uin = start; uin < start + kBatch && uin <= n; ++uin) {
      batch.push_back(cp::search::synthetic::MakeChild(seed, uin));
      if (!loaded) AppendRows(batch.back(), copy);
    }
    auto t0 = Clock::now();
    if (!builder.AddBatch(batch, 2).ok()) Die("duplicate uin", nullptr);
    ours_build += Clock::now() - t0;
    if (!loaded) {
      t0 = Clock::now();
      PGresult* r = PQexec(conn, "COPY child_names FROM STDIN");
      if (PQresultStatus(r) != PGRES_COPY_IN) Die("copy", conn);
      PQclear(r);
      if (PQputCopyData(conn, copy.data(), static_cast<int>(copy.size())) != 1 ||
          PQputCopyEnd(conn, nullptr) != 1) {
        Die("copy data", conn);
      }
      r = PQgetResult(conn);
      if (PQresultStatus(r) != PGRES_COMMAND_OK) Die("copy end", conn);
      PQclear(r);
      pg_copy += Clock::now() - t0;
    }
  }
  auto t0 = Clock::now();
  std::unique_ptr<SearchIndex> index = builder.Finish();
  ours_build += Clock::now() - t0;
  std::printf("ours: index built in %.1f s\n", Seconds(ours_build));
  if (!loaded) {
    t0 = Clock::now();
    Exec(conn, "SET maintenance_work_mem = '1GB'");
    Exec(conn,
         "CREATE INDEX child_names_family_trgm ON child_names "
         "USING gin (family_name gin_trgm_ops)");
    Exec(conn,
         "CREATE INDEX child_names_given_trgm ON child_names "
         "USING gin (given_names gin_trgm_ops)");
    Exec(conn, "CREATE INDEX child_names_family_dm ON child_names (dmetaphone(family_name))");
    Exec(conn, "CREATE INDEX child_names_given_dm ON child_names (dmetaphone(first_given))");
    Exec(conn, "CREATE INDEX child_names_dob ON child_names (date_of_birth)");
    Exec(conn, "VACUUM ANALYZE child_names");
    Exec(conn, "COMMENT ON TABLE child_names IS '" + population_tag + "'");
    std::printf("postgresql: COPY %.1f s, indexes + analyze %.1f s\n", Seconds(pg_copy),
                Seconds(Clock::now() - t0));
  } else {
    std::printf("postgresql: reused the loaded table\n");
  }
  std::printf("postgresql: table %s, indexes %s (%s rows)\n",
              ScalarText(conn, "SELECT pg_size_pretty(pg_table_size('child_names'))").c_str(),
              ScalarText(conn, "SELECT pg_size_pretty(pg_indexes_size('child_names'))").c_str(),
              ScalarText(conn, "SELECT count(*) FROM child_names").c_str());
  Exec(conn, "SET statement_timeout = '5s'");

  // ---- The query set: every perturbation type in turn, children drawn at random.
  cp::SeededRandom rng(seed ^ 0x5eed);
  std::vector<Query> set;
  // Types take turns; a type that does not apply to the child drawn (no hyphen, no known-as
  // name, ...) draws another child, so every type has about the same number of queries.
  for (int i = 0; i < queries; ++i) {
    const auto type = static_cast<Perturbation>(i % kTypes);
    for (int attempt = 0; attempt < 1000; ++attempt) {
      const uint64_t uin = 1 + rng.Uniform(n);
      auto q =
          cp::search::synthetic::MakeQuery(cp::search::synthetic::MakeChild(seed, uin), type, rng);
      if (q) {
        set.push_back({*q, uin, type});
        break;
      }
    }
  }

  // ---- Ours (viewer who may see hidden fields, ordinary user's limit of 10, as search_bench).
  cp::search::AllHiddenAccess viewer;
  EngineResult ours;
  std::vector<bool> ours_answered(set.size(), false);
  t0 = Clock::now();
  for (size_t i = 0; i < set.size(); ++i) {
    const Query& q = set[i];
    const auto s0 = Clock::now();
    auto r = index->Search(q.criteria, cp::search::kOrdinaryUserLimit, viewer);
    ours.wall_ms.push_back(Seconds(Clock::now() - s0) * 1e3);
    (q.criteria.date_of_birth ? ours.with_dob_ms : ours.without_dob_ms)
        .push_back(ours.wall_ms.back());
    Tally& t = ours.tally[static_cast<size_t>(q.type)];
    ++t.asked;
    if (!r.ok()) {
      ++ours.errors;
      continue;
    }
    if (r->outcome == SearchOutcome::kTooManyMatches) continue;
    ++t.answered;
    ours_answered[i] = true;
    for (size_t k = 0; k < r->matches.size() && k < 10; ++k) {
      if (r->matches[k].uin == q.answer) {
        ++t.found;
        ++t.found_answered;
        break;
      }
    }
  }
  const double ours_seconds = Seconds(Clock::now() - t0);

  // ---- PostgreSQL, same queries, same order.
  const std::string with_dob = WithDobSql();
  const std::string without_dob = WithoutDobSql();
  EngineResult pg;
  t0 = Clock::now();
  for (size_t i = 0; i < set.size(); ++i) {
    const Query& q = set[i];
    const std::string dobs = q.criteria.date_of_birth ? DobArray(*q.criteria.date_of_birth) : "";
    const std::string gender =
        std::to_string(q.criteria.gender == cp::search::Gender::kMale ||
                               q.criteria.gender == cp::search::Gender::kFemale
                           ? static_cast<int>(q.criteria.gender)
                           : 0);
    const char* params[5] = {q.criteria.given_name.c_str(), q.criteria.family_name.c_str(),
                             q.criteria.date_of_birth ? dobs.c_str() : nullptr, gender.c_str(),
                             q.criteria.postcode.c_str()};
    const auto s0 = Clock::now();
    PGresult* r =
        PQexecParams(conn, q.criteria.date_of_birth ? with_dob.c_str() : without_dob.c_str(), 5,
                     nullptr, params, nullptr, nullptr, 0);
    pg.wall_ms.push_back(Seconds(Clock::now() - s0) * 1e3);
    (q.criteria.date_of_birth ? pg.with_dob_ms : pg.without_dob_ms).push_back(pg.wall_ms.back());
    Tally& t = pg.tally[static_cast<size_t>(q.type)];
    ++t.asked;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      if (pg.errors++ < 3) std::fprintf(stderr, "postgresql: %s", PQresultErrorMessage(r));
      PQclear(r);
      continue;
    }
    const int rows = PQntuples(r);
    const bool answered = rows <= 10;
    if (answered) ++t.answered;
    for (int k = 0; k < rows && k < 10; ++k) {
      if (std::strtoull(PQgetvalue(r, k, 0), nullptr, 10) == q.answer) {
        ++t.found;
        if (answered) ++t.found_answered;
        if (ours_answered[i]) ++t.found_where_ours_answered;
        break;
      }
    }
    PQclear(r);
  }
  const double pg_seconds = Seconds(Clock::now() - t0);

  for (bool dob : {true, false}) {
    if (!explain) break;
    auto it = std::find_if(set.begin(), set.end(), [dob](const Query& q) {
      return q.criteria.date_of_birth.has_value() == dob;
    });
    if (it == set.end()) continue;
    const std::string dobs = dob ? DobArray(*it->criteria.date_of_birth) : "";
    const char* params[5] = {it->criteria.given_name.c_str(), it->criteria.family_name.c_str(),
                             dob ? dobs.c_str() : nullptr, "0", it->criteria.postcode.c_str()};
    PGresult* r =
        PQexecParams(conn, ("EXPLAIN (ANALYZE, BUFFERS) " + (dob ? with_dob : without_dob)).c_str(),
                     5, nullptr, params, nullptr, nullptr, 0);
    std::printf("\nplan for '%s' '%s'%s:\n", it->criteria.given_name.c_str(),
                it->criteria.family_name.c_str(), dob ? (" " + dobs).c_str() : "");
    for (int k = 0; k < PQntuples(r); ++k) std::printf("  %s\n", PQgetvalue(r, k, 0));
    PQclear(r);
  }

  PrintEngine("ours (SearchIndex, in process)", ours, ours_seconds, false, nullptr);
  PrintEngine("postgresql (pg_trgm + fuzzystrmatch)", pg, pg_seconds, true, &ours);
  std::printf("\nspeed ratio (PostgreSQL time / ours): mean %.0fx, p50 %.0fx, p99 %.0fx\n",
              pg_seconds / ours_seconds,
              Percentile(pg.wall_ms, 0.5) / std::max(Percentile(ours.wall_ms, 0.5), 1e-6),
              Percentile(pg.wall_ms, 0.99) / std::max(Percentile(ours.wall_ms, 0.99), 1e-6));
  std::printf(
      "recall@10 columns: 'recall@10' counts a refused (ours) query as not found; "
      "'(answered)' is over queries not refused / with at most 10 rows.\n");
  PQfinish(conn);
  return 0;
}
