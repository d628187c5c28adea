// make_search_queries: realistic search bodies for the HTTP benchmark (bench/http_search_bench.sh).
//
// Regenerates the children `contactpoint demo` seeds (app::SyntheticChildren with the demo's
// seed, authority codes and "today"), and for children drawn at random from the first
// `--population` of them writes one perturbed query per line (search::synthetic::MakeQuery,
// cycling through the 12 perturbation types) as the JSON body of POST /api/v1/children/search.
//
// Usage: make_search_queries --today YYYY-MM-DD [--population N=100000] [--queries Q=10000]
//                            [--seed S=20261122] [--answers FILE]
// --today must be the UTC day the demo was seeded (dates of birth are relative to it).
// --answers writes "<uin>\t<perturbation>" per line, in the same order, for recall checks.
// The JSON bodies go to stdout; a summary goes to stderr.
#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "app/synthetic_children.h"
#include "core/random.h"
#include "domain/child_record.h"
#include "search/synthetic.h"

namespace {

using cp::search::synthetic::Perturbation;

cp::search::Gender IndexGender(cp::domain::Gender g) {
  switch (g) {
    case cp::domain::Gender::kMale:
      return cp::search::Gender::kMale;
    case cp::domain::Gender::kFemale:
      return cp::search::Gender::kFemale;
    case cp::domain::Gender::kNotSpecified:
      return cp::search::Gender::kNotSpecified;
    case cp::domain::Gender::kNotKnown:
      return cp::search::Gender::kNotKnown;
  }
  return cp::search::Gender::kNotKnown;
}

// The fields the search index sees (as workflow::DirectoryIndex maps them).
cp::search::IndexedChild Indexed(const cp::domain::ChildRecord& r, uint64_t key) {
  cp::search::IndexedChild c;
  c.uin = key;
  c.given_names = r.name.given_names;
  c.family_name = r.name.family_name;
  for (const auto& n : r.former_names) c.former_names.push_back({n.given_names, n.family_name});
  for (const auto& n : r.known_as) c.known_as_names.push_back({n.given_names, n.family_name});
  c.gender = IndexGender(r.gender);
  c.date_of_birth = r.date_of_birth;
  c.postcode = r.address.postcode;
  c.authority = r.responsible_authority;
  c.shielded = r.shielded;
  return c;
}

const char* GenderJson(cp::search::Gender g) {
  switch (g) {
    case cp::search::Gender::kMale:
      return "male";
    case cp::search::Gender::kFemale:
      return "female";
    case cp::search::Gender::kNotSpecified:
      return "not_specified";
    case cp::search::Gender::kNotKnown:
      return "";
  }
  return "";
}

int Usage() {
  std::cerr << "usage: make_search_queries --today YYYY-MM-DD [--population N] [--queries Q]"
               " [--seed S] [--answers FILE]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string today_text;
  size_t population = 100000;
  size_t queries = 10000;
  uint64_t seed = 20261122;  // app/demo.cc: SeedDemoChildren.
  std::string answers_path;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--today") {
      today_text = value;
    } else if (flag == "--population") {
      population = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--queries") {
      queries = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--seed") {
      seed = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--answers") {
      answers_path = value;
    } else {
      return Usage();
    }
  }
  if (argc % 2 == 0) return Usage();
  auto today = cp::Date::Parse(today_text);
  if (!today.ok() || population == 0) return Usage();

  cp::app::SyntheticOptions options;  // As app/demo.cc seeds the demo.
  options.seed = seed;
  options.today = *today;
  options.authority_codes = {"LA-NORTHSHIRE", "LA-EASTBOROUGH", "LA-WESTMERE"};
  cp::app::SyntheticChildren generator(options);
  std::vector<cp::domain::ChildRecord> children = generator.NextBatch(population);

  std::ofstream answers;
  if (!answers_path.empty()) answers.open(answers_path);
  cp::SeededRandom rng(seed ^ 0x9b5eedULL);
  std::array<size_t, cp::search::synthetic::kPerturbationCount> made{};
  size_t written = 0;
  for (size_t i = 0; i < queries; ++i) {
    // Types take turns; a type that does not apply to the child drawn (no hyphen, no known-as
    // name, ...) draws another child, so every type has about the same number of queries.
    const auto type = static_cast<Perturbation>(i % cp::search::synthetic::kPerturbationCount);
    std::optional<cp::search::SearchCriteria> q;
    size_t pick = 0;
    for (int attempt = 0; !q && attempt < 1000; ++attempt) {
      pick = rng.Uniform(children.size());
      q = cp::search::synthetic::MakeQuery(Indexed(children[pick], pick), type, rng);
    }
    if (!q) continue;
    boost::json::object body{{"family_name", q->family_name}};
    if (!q->given_name.empty()) body["given_name"] = q->given_name;
    if (q->date_of_birth) body["date_of_birth"] = q->date_of_birth->ToString();
    if (const char* g = GenderJson(q->gender); *g != '\0') body["gender"] = g;
    if (!q->postcode.empty()) body["postcode"] = q->postcode;
    std::cout << boost::json::serialize(body) << '\n';
    if (answers.is_open()) {
      answers << children[pick].uin.str() << '\t' << cp::search::synthetic::PerturbationName(type)
              << '\n';
    }
    ++made[static_cast<size_t>(type)];
    ++written;
  }
  std::cerr << "make_search_queries: " << written << " queries from the first " << population
            << " demo children (seed " << seed << ", today " << today_text << "):";
  for (int t = 0; t < cp::search::synthetic::kPerturbationCount; ++t) {
    std::cerr << ' ' << cp::search::synthetic::PerturbationName(static_cast<Perturbation>(t)) << '='
              << made[static_cast<size_t>(t)];
  }
  std::cerr << '\n';
  return written == queries ? 0 : 1;
}
