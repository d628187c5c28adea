// Synthetic children for the demo, tests and benchmarks: realistic, deterministic, fictional.
//
// Children come in households: siblings share an address (and so a co-residence key), their
// carers, their GP practice, usually their family name, and the household's shielding. Names
// follow British and international frequencies (search/synthetic.h, names in several scripts);
// ages are 0-17 on `today`; postcodes are valid UK postcodes; each local authority has its own
// towns, postcode area, schools, early-years settings and GP practices; a minority of children
// have involvements (a sensitive service only with a recorded basis). Every item's provenance
// names an organisation code and a time before `today`. Every record passes
// domain::ValidateChildRecord(record, today). UINs are distinct within one generator.
//
// Deterministic for given options. Not thread-safe (one generator per thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/date.h"
#include "core/random.h"
#include "core/status.h"
#include "domain/child_record.h"
#include "store/child_store.h"

namespace cp::app {

struct SyntheticOptions {
  uint64_t seed = 1;
  Date today;                                // Ages and dates are relative to this day.
  std::vector<std::string> authority_codes;  // Responsible authorities (at least one).
  double shielded_fraction = 0.002;          // Share of households (so of children) shielded.
};

class SyntheticChildren {
 public:
  // An empty `authority_codes` gets one code, "LA-SYNTHETIC".
  explicit SyntheticChildren(SyntheticOptions options);
  ~SyntheticChildren();
  SyntheticChildren(const SyntheticChildren&) = delete;
  SyntheticChildren& operator=(const SyntheticChildren&) = delete;

  // The next `n` children (ids 0, versions 0). A household may straddle two batches.
  std::vector<domain::ChildRecord> NextBatch(size_t n);
  // A UIN not yet handed out by this generator (to replace one that clashes with a stored
  // record).
  domain::Uin NextUin();

 private:
  struct Authority;
  void MakeHousehold();
  const Authority& AuthorityFor(size_t index);

  SyntheticOptions options_;
  SeededRandom rng_;
  uint64_t name_key_ = 0;  // Next key for search::synthetic::MakeChild.
  std::vector<Authority> authorities_;
  std::unordered_set<uint64_t> uins_;
  std::deque<domain::ChildRecord> pending_;
};

// Generates `n` children and stores them with CreateBatch, `batch` at a time. Each record is
// validated first (Internal if the generator made an invalid one). A UIN that clashes with a
// stored child is replaced and the batch retried. Stops at the first other error; batches
// already stored stay stored.
Status LoadSyntheticChildren(store::ChildStore& store, size_t n, SyntheticOptions options,
                             size_t batch = 10000);

}  // namespace cp::app
