#include "linkage/fellegi_sunter_matcher.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "linkage/match_features.h"

namespace cp::linkage {
namespace {

constexpr uint32_t kNoToken = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kNoSlot = std::numeric_limits<uint32_t>::max();
constexpr int32_t kNoDate = std::numeric_limits<int32_t>::min();

uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

uint64_t Key(uint64_t tag, uint64_t a, uint64_t b, uint64_t c = 0) {
  return Mix(Mix(Mix(tag * 0x9e3779b97f4a7c15ULL ^ a) ^ b) ^ c);
}

// One child. `tokens_begin` indexes the token arena, which holds, in order: given tokens, family
// tokens, other given tokens, other family tokens, two ids (first, last name) per carer, address
// tokens, town tokens and the identifier.
struct Record {
  int64_t child_id = 0;
  uint64_t postcode = 0;  // PackPostcode; 0 = unknown.
  uint32_t tokens_begin = 0;
  int32_t dob = kNoDate;  // Days since 1970-01-01.
  uint8_t n_given = 0;
  uint8_t n_family = 0;
  uint8_t n_other_given = 0;
  uint8_t n_other_family = 0;
  uint8_t n_carers = 0;
  uint8_t n_address = 0;
  uint8_t n_town = 0;
  uint8_t n_identifier = 0;  // 0 or 1.
  domain::Gender gender = domain::Gender::kNotKnown;
  bool alive = false;
};

struct TokenInfo {
  NameToken token;
  uint32_t given_count = 0;   // Live children with this token in a given (or other given) name.
  uint32_t family_count = 0;  // ... in a family (or other family) name.
  uint32_t town_count = 0;    // ... in the town.
};

struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// child id -> slot; open addressing with linear probing. Removal keeps the key with kNoSlot.
class IdMap {
 public:
  uint32_t Find(int64_t id) const {
    if (keys_.empty()) return kNoSlot;
    size_t mask = keys_.size() - 1;
    for (size_t i = Mix(static_cast<uint64_t>(id)) & mask;; i = (i + 1) & mask) {
      if (keys_[i] == id && used_[i]) return slots_[i];
      if (!used_[i]) return kNoSlot;
    }
  }
  void Put(int64_t id, uint32_t slot) {
    if ((count_ + 1) * 10 > keys_.size() * 7) Grow(std::max<size_t>(16, keys_.size() * 2));
    size_t i = Probe(id);
    if (!used_[i]) {
      used_[i] = true;
      keys_[i] = id;
      ++count_;
    }
    slots_[i] = slot;
  }
  void Reserve(size_t n) {
    size_t want = 16;
    while (want * 7 < n * 10) want *= 2;
    if (want > keys_.size()) Grow(want);
  }
  size_t Bytes() const { return keys_.capacity() * 8 + slots_.capacity() * 4 + used_.size() / 8; }

 private:
  size_t Probe(int64_t id) const {
    size_t mask = keys_.size() - 1;
    size_t i = Mix(static_cast<uint64_t>(id)) & mask;
    while (used_[i] && keys_[i] != id) i = (i + 1) & mask;
    return i;
  }
  void Grow(size_t size) {
    std::vector<int64_t> keys(size);
    std::vector<uint32_t> slots(size);
    std::vector<bool> used(size);
    keys.swap(keys_);
    slots.swap(slots_);
    used.swap(used_);
    for (size_t i = 0; i < keys.size(); ++i) {
      if (!used[i]) continue;
      size_t j = Probe(keys[i]);
      used_[j] = true;
      keys_[j] = keys[i];
      slots_[j] = slots[i];
    }
  }
  std::vector<int64_t> keys_;
  std::vector<uint32_t> slots_;
  std::vector<bool> used_;
  size_t count_ = 0;
};

// Blocking key -> slots. A chained hash table: `heads_` (a power of two) holds the first entry of
// each bucket; an entry keeps the slot, the next entry and the 32-bit hash of its key, which
// separates the keys sharing a bucket (a rare 32-bit clash only adds a candidate).
class BlockingTable {
 public:
  void Insert(uint64_t key, uint32_t slot) {
    if (entries_.size() >= heads_.size()) Rehash(std::max<size_t>(1024, heads_.size() * 2));
    uint32_t h = Hash32(key);
    uint32_t bucket = h & static_cast<uint32_t>(heads_.size() - 1);
    entries_.push_back(Entry{slot, heads_[bucket], h});
    heads_[bucket] = static_cast<uint32_t>(entries_.size() - 1);
  }
  // Calls f(slot) for the entries of `key`, newest first, at most `limit` of them.
  template <typename F>
  void ForEach(uint64_t key, F&& f, size_t limit = std::numeric_limits<size_t>::max()) const {
    if (heads_.empty()) return;
    uint32_t h = Hash32(key);
    for (uint32_t e = heads_[h & static_cast<uint32_t>(heads_.size() - 1)];
         e != kNoSlot && limit > 0; e = entries_[e].next) {
      if (entries_[e].hash == h) {
        f(entries_[e].slot);
        --limit;
      }
    }
  }
  void Reserve(size_t n) {
    entries_.reserve(n);
    size_t want = 1024;
    while (want < n) want *= 2;
    if (want > heads_.size()) Rehash(want);
  }
  size_t size() const { return entries_.size(); }
  size_t Bytes() const { return heads_.capacity() * 4 + entries_.capacity() * sizeof(Entry); }

 private:
  struct Entry {
    uint32_t slot;
    uint32_t next;
    uint32_t hash;
  };
  static uint32_t Hash32(uint64_t key) { return static_cast<uint32_t>(key ^ (key >> 32)); }
  void Rehash(size_t size) {
    heads_.assign(size, kNoSlot);
    uint32_t mask = static_cast<uint32_t>(size - 1);
    for (size_t e = 0; e < entries_.size(); ++e) {
      uint32_t bucket = entries_[e].hash & mask;
      entries_[e].next = heads_[bucket];
      heads_[bucket] = static_cast<uint32_t>(e);
    }
  }
  std::vector<uint32_t> heads_;
  std::vector<Entry> entries_;
};

// A token of the input: points into the input's MatchFeatures (or to kEmptyToken), which
// outlive the Prepared; no string is copied.
const NameToken kEmptyToken{};

struct PreparedName {
  const NameToken* token = &kEmptyToken;
  uint32_t id = kNoToken;  // Dictionary id, if the population has this token.
};

struct PreparedCarer {
  PreparedName first;
  PreparedName last;  // Empty token for a one-word name.
};

// The grades of (input token, stored token) pairs already computed in one Classify call: the
// candidates of an input share most of their names (family names, towns, carers, streets), and a
// string metric (Jaro-Winkler, the nickname table) costs far more than a lookup. Open
// addressing, exact keys. Not thread-safe: one per call.
class NameMemo {
 public:
  template <typename F>
  NameLevel Get(const NameToken* in, uint32_t stored, bool allow_nickname, F&& compute) {
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    const uint64_t key = (uint64_t{stored} << 1) | (allow_nickname ? 1 : 0);
    const size_t mask = slots_.size() - 1;
    for (size_t i = Hash(in, key) & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.used && slot.in == in && slot.key == key) return slot.level;
      if (!slot.used) {
        slot = Slot{in, key, compute(), true};
        ++count_;
        return slot.level;
      }
    }
  }

 private:
  struct Slot {
    const NameToken* in = nullptr;
    uint64_t key = 0;
    NameLevel level = NameLevel::kMissing;
    bool used = false;
  };
  static size_t Hash(const NameToken* in, uint64_t key) {
    return static_cast<size_t>(
        Mix(reinterpret_cast<uintptr_t>(in) ^ (key * 0x9e3779b97f4a7c15ULL)));
  }
  void Grow() {
    std::vector<Slot> old(std::max<size_t>(64, slots_.size() * 2));
    old.swap(slots_);
    const size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (!slot.used) continue;
      size_t i = Hash(slot.in, slot.key) & mask;
      while (slots_[i].used) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }
  std::vector<Slot> slots_;
  size_t count_ = 0;
};

// The input normalised once per call.
struct Prepared {
  std::vector<PreparedName> given, family, other_given, other_family;
  std::vector<PreparedName> all_given, all_family;  // Names followed by the other names' parts.
  std::vector<PreparedCarer> carers;
  std::vector<PreparedName> address, town;
  PreparedName identifier;  // Empty text when unknown.
  std::optional<Date> dob;
  int32_t dob_days = kNoDate;
  uint64_t postcode = 0;
  domain::Gender gender = domain::Gender::kNotKnown;
  mutable NameMemo memo;  // Token-pair grades of this call (Score is const).
};

struct NameAgreement {
  NameLevel level = NameLevel::kMissing;
  uint32_t token = kNoToken;  // The agreeing stored token (for term frequencies).
};

}  // namespace

struct FellegiSunterMatcher::Impl {
  const MatchModel& model;
  const Thresholds& thresholds;

  std::vector<Record> records;
  std::vector<uint32_t> arena;
  std::vector<TokenInfo> tokens;
  std::unordered_map<std::string, uint32_t, TransparentHash, std::equal_to<>> token_ids;
  std::unordered_map<int32_t, uint32_t> date_counts;
  std::unordered_map<uint64_t, uint32_t> postcode_counts;  // Full, sector and district (tagged).
  IdMap ids;
  BlockingTable blocks;
  size_t live = 0;
  // Scratch space of the writers (Add/Remove are exclusive), kept to avoid allocations.
  std::vector<uint32_t> scratch_given, scratch_family;
  std::vector<uint64_t> scratch_keys;

  Impl(const MatchModel& m, const Thresholds& t) : model(m), thresholds(t) {}

  // ---- Preparation ---------------------------------------------------------------------

  PreparedName PrepareToken(const NameToken& token) const {
    PreparedName p;
    p.token = &token;
    auto it = token_ids.find(std::string_view(token.text));
    if (it != token_ids.end()) p.id = it->second;
    return p;
  }

  void PrepareList(const std::vector<NameToken>& in, std::vector<PreparedName>& out) const {
    out.reserve(in.size());
    for (const NameToken& t : in) out.push_back(PrepareToken(t));
  }

  // `f` must outlive the result (it points into it).
  Prepared Prepare(const MatchFeatures& f) const {
    Prepared p;
    PrepareList(f.given, p.given);
    PrepareList(f.family, p.family);
    PrepareList(f.other_given, p.other_given);
    PrepareList(f.other_family, p.other_family);
    p.carers.reserve(f.carers.size());
    for (const MatchFeatures::Carer& c : f.carers) {
      PreparedCarer pc;
      pc.first = PrepareToken(c.first);
      if (!c.last.text.empty()) pc.last = PrepareToken(c.last);
      p.carers.push_back(pc);
    }
    PrepareList(f.address, p.address);
    PrepareList(f.town, p.town);
    if (!f.identifier.text.empty()) p.identifier = PrepareToken(f.identifier);
    p.all_given = p.given;
    p.all_given.insert(p.all_given.end(), p.other_given.begin(), p.other_given.end());
    p.all_family = p.family;
    p.all_family.insert(p.all_family.end(), p.other_family.begin(), p.other_family.end());
    p.dob = f.date_of_birth;
    if (p.dob) p.dob_days = static_cast<int32_t>(p.dob->days());
    p.postcode = f.postcode;
    p.gender = f.gender;
    return p;
  }

  // ---- Dictionary and counts ----------------------------------------------------------

  // The dictionary id of `token`, adding it if new (only then is the token copied).
  uint32_t Intern(const NameToken& token) {
    auto it = token_ids.find(std::string_view(token.text));
    if (it != token_ids.end()) return it->second;
    uint32_t id = static_cast<uint32_t>(tokens.size());
    tokens.push_back(TokenInfo{token, 0, 0, 0});
    token_ids.emplace(token.text, id);
    return id;
  }

  static uint64_t SectorKey(uint64_t postcode) { return PostcodeSector(postcode) | (1ULL << 56); }
  static uint64_t DistrictKey(uint64_t postcode) {
    return PostcodeDistrict(postcode) | (2ULL << 56);
  }

  uint32_t Count(const std::unordered_map<uint64_t, uint32_t>& counts, uint64_t key) const {
    auto it = counts.find(key);
    return it == counts.end() ? 0 : it->second;
  }

  // Adds `delta` (+1/-1) to every count the record contributes to.
  void UpdateCounts(const Record& r, int delta) {
    auto bump = [delta](uint32_t& c) {
      c = static_cast<uint32_t>(static_cast<int64_t>(c) + delta);
    };
    const uint32_t* t = arena.data() + r.tokens_begin;
    auto distinct = [](std::span<const uint32_t> list, auto&& f) {
      for (size_t i = 0; i < list.size(); ++i) {
        if (list[i] == kNoToken) continue;
        if (std::find(list.begin(), list.begin() + static_cast<ptrdiff_t>(i), list[i]) !=
            list.begin() + static_cast<ptrdiff_t>(i)) {
          continue;
        }
        f(list[i]);
      }
    };
    std::vector<uint32_t>& given = scratch_given;
    given.assign(t, t + r.n_given);
    given.insert(given.end(), t + r.n_given + r.n_family,
                 t + r.n_given + r.n_family + r.n_other_given);
    std::vector<uint32_t>& family = scratch_family;
    family.assign(t + r.n_given, t + r.n_given + r.n_family);
    family.insert(family.end(), t + r.n_given + r.n_family + r.n_other_given,
                  t + r.n_given + r.n_family + r.n_other_given + r.n_other_family);
    distinct(given, [&](uint32_t id) { bump(tokens[id].given_count); });
    distinct(family, [&](uint32_t id) { bump(tokens[id].family_count); });
    distinct(std::span<const uint32_t>(t + TownOffset(r), r.n_town),
             [&](uint32_t id) { bump(tokens[id].town_count); });
    if (r.dob != kNoDate) bump(date_counts[r.dob]);
    if (r.postcode != 0) {
      bump(postcode_counts[r.postcode]);
      if (PostcodeSector(r.postcode) != 0) bump(postcode_counts[SectorKey(r.postcode)]);
      if (PostcodeDistrict(r.postcode) != 0) bump(postcode_counts[DistrictKey(r.postcode)]);
    }
  }

  // The u of an agreeing value seen `count` times among the live children.
  double TermFrequencyU(uint32_t count, double prior_u) const {
    double prior = model.term_frequency_prior;
    return (static_cast<double>(count) + prior * prior_u) / (static_cast<double>(live) + prior);
  }

  // ---- Blocking -----------------------------------------------------------------------

  static uint64_t NamesOnlyKey(uint64_t lo, uint64_t hi) { return Key(6, lo, hi); }
  // At most this many entries of a names-only block are read ("Oliver Smith" is a large block
  // in 11 million children); such queries are rare (no date of birth, no postcode).
  static constexpr size_t kNamesOnlyScanLimit = 4096;

  // Every blocking key of a child or an input. `given`/`family` are the phonetic blocking codes
  // of the first given token and of the family names (first family token, then the other
  // family names); 0 when unknown.
  static void Keys(uint64_t given, std::span<const uint64_t> family, int32_t dob, uint64_t postcode,
                   uint64_t identifier, bool for_query, std::vector<uint64_t>& out) {
    out.clear();
    uint64_t district = PostcodeDistrict(postcode);
    uint64_t dob_key = static_cast<uint64_t>(static_cast<int64_t>(dob));
    bool has_dob = dob != kNoDate;
    if (has_dob) {
      for (uint64_t f : family) {
        if (f != 0) out.push_back(Key(1, f, dob_key));
      }
      if (given != 0) out.push_back(Key(2, given, dob_key));
    }
    uint64_t f0 = family.empty() ? 0 : family.front();
    if (given != 0 && f0 != 0) {
      uint64_t lo = std::min(given, f0), hi = std::max(given, f0);
      if (has_dob) {
        out.push_back(Key(3, lo, hi, static_cast<uint64_t>(Date::FromDays(dob).year())));
      }
      if (district != 0) out.push_back(Key(4, lo, hi, district));
      // Names only: every child carries it; a query uses it only when it has neither a date of
      // birth nor a postcode (then no other key can find anything), scanning a bounded block.
      if (!for_query || (!has_dob && postcode == 0)) out.push_back(NamesOnlyKey(lo, hi));
    }
    if (has_dob && district != 0) out.push_back(Key(5, dob_key, district));
    if (postcode != 0) {
      if (f0 != 0) out.push_back(Key(7, f0, postcode));
      if (given != 0) out.push_back(Key(8, given, postcode));
    }
    if (identifier != 0) out.push_back(Key(9, identifier, 0));
  }

  static size_t CarersOffset(const Record& r) {
    return size_t{r.n_given} + r.n_family + r.n_other_given + r.n_other_family;
  }
  static size_t AddressOffset(const Record& r) { return CarersOffset(r) + 2 * size_t{r.n_carers}; }
  static size_t TownOffset(const Record& r) { return AddressOffset(r) + r.n_address; }
  static size_t IdentifierOffset(const Record& r) { return TownOffset(r) + r.n_town; }

  void RecordKeys(const Record& r, std::vector<uint64_t>& out) const {
    const uint32_t* t = arena.data() + r.tokens_begin;
    uint64_t given = r.n_given > 0 ? PhoneticBlockingCode(tokens[t[0]].token) : 0;
    std::vector<uint64_t> family;
    if (r.n_family > 0) family.push_back(PhoneticBlockingCode(tokens[t[r.n_given]].token));
    const uint32_t* other_family = t + r.n_given + r.n_family + r.n_other_given;
    for (size_t i = 0; i < r.n_other_family; ++i) {
      family.push_back(PhoneticBlockingCode(tokens[other_family[i]].token));
    }
    if (family.empty()) family.push_back(0);
    uint64_t identifier = 0;
    if (r.n_identifier > 0) {
      identifier = std::hash<std::string_view>{}(tokens[t[IdentifierOffset(r)]].token.text) | 1;
    }
    Keys(given, family, r.dob, r.postcode, identifier, /*for_query=*/false, out);
  }

  uint64_t QueryNamesOnlyKey(const Prepared& p) const {
    if (p.given.empty() || p.family.empty()) return 0;
    uint64_t g = PhoneticBlockingCode(*p.given.front().token);
    uint64_t f = PhoneticBlockingCode(*p.family.front().token);
    return NamesOnlyKey(std::min(g, f), std::max(g, f));
  }

  void QueryKeys(const Prepared& p, std::vector<uint64_t>& out) const {
    uint64_t given = p.given.empty() ? 0 : PhoneticBlockingCode(*p.given.front().token);
    std::vector<uint64_t> family;
    family.push_back(p.family.empty() ? 0 : PhoneticBlockingCode(*p.family.front().token));
    for (const PreparedName& f : p.other_family) family.push_back(PhoneticBlockingCode(*f.token));
    uint64_t identifier = p.identifier.token->text.empty()
                              ? 0
                              : std::hash<std::string_view>{}(p.identifier.token->text) | 1;
    Keys(given, family, p.dob_days, p.postcode, identifier, /*for_query=*/true, out);
  }

  // ---- Scoring ------------------------------------------------------------------------

  // CompareNameTokens(*in.token, stored), remembered for the rest of the call.
  NameLevel CompareCached(const Prepared& p, const PreparedName& in, uint32_t stored,
                          bool allow_nickname) const {
    return p.memo.Get(in.token, stored, allow_nickname, [&] {
      return CompareNameTokens(*in.token, tokens[stored].token, allow_nickname);
    });
  }

  NameAgreement BestName(const Prepared& p, std::span<const PreparedName> in,
                         std::span<const uint32_t> stored_a, std::span<const uint32_t> stored_b,
                         bool allow_nickname) const {
    NameAgreement best;
    if (in.empty() || (stored_a.empty() && stored_b.empty())) return best;
    for (const PreparedName& n : in) {
      if (n.id == kNoToken) continue;
      for (auto list : {stored_a, stored_b}) {
        for (uint32_t s : list) {
          if (s == n.id) return NameAgreement{NameLevel::kExact, s};
        }
      }
    }
    best.level = NameLevel::kDisagree;
    for (const PreparedName& n : in) {
      for (auto list : {stored_a, stored_b}) {
        for (uint32_t s : list) {
          NameLevel level = CompareCached(p, n, s, allow_nickname);
          if (level < best.level) best = NameAgreement{level, s};
        }
      }
    }
    return best;
  }

  double NameWeight(const NameModel& m, NameAgreement a, bool given_role,
                    bool town_role = false) const {
    switch (a.level) {
      case NameLevel::kExact: {
        const TokenInfo& info = tokens[a.token];
        uint32_t count = town_role    ? info.town_count
                         : given_role ? info.given_count
                                      : info.family_count;
        return std::log2(m.exact.m / TermFrequencyU(count, m.exact.u));
      }
      case NameLevel::kNickname:
        return m.nickname.Weight();
      case NameLevel::kJaroWinkler:
        return m.jaro_winkler.Weight();
      case NameLevel::kPhonetic:
        return m.phonetic.Weight();
      case NameLevel::kDisagree:
        return m.disagree.Weight();
      case NameLevel::kMissing:
        return 0;
    }
    return 0;
  }

  double DateWeight(DateLevel level, int32_t dob) const {
    const DateModel& m = model.date_of_birth;
    switch (level) {
      case DateLevel::kExact: {
        auto it = date_counts.find(dob);
        uint32_t count = it == date_counts.end() ? 0 : it->second;
        return std::log2(m.exact.m / TermFrequencyU(count, m.exact.u));
      }
      case DateLevel::kDayMonthSwap:
        return m.day_month_swap.Weight();
      case DateLevel::kOneComponent:
        return m.one_component.Weight();
      case DateLevel::kDisagree:
        return m.disagree.Weight();
      case DateLevel::kMissing:
        return 0;
    }
    return 0;
  }

  double PostcodeWeight(PostcodeLevel level, uint64_t postcode) const {
    const PostcodeModel& m = model.postcode;
    auto tf = [&](const LevelProbabilities& p, uint64_t key) {
      return std::log2(p.m / TermFrequencyU(Count(postcode_counts, key), p.u));
    };
    switch (level) {
      case PostcodeLevel::kFull:
        return tf(m.full, postcode);
      case PostcodeLevel::kSector:
        return tf(m.sector, SectorKey(postcode));
      case PostcodeLevel::kDistrict:
        return tf(m.district, DistrictKey(postcode));
      case PostcodeLevel::kDisagree:
        return m.disagree.Weight();
      case PostcodeLevel::kMissing:
        return 0;
    }
    return 0;
  }

  double GenderWeight(GenderLevel level) const {
    switch (level) {
      case GenderLevel::kAgree:
        return model.gender.agree.Weight();
      case GenderLevel::kDisagree:
        return model.gender.disagree.Weight();
      case GenderLevel::kMissing:
        return 0;
    }
    return 0;
  }

  static bool NameAgrees(NameLevel level) { return level < NameLevel::kDisagree; }

  CarerLevel CompareCarers(const Prepared& p, std::span<const uint32_t> stored) const {
    if (p.carers.empty() || stored.empty()) return CarerLevel::kMissing;
    CarerLevel best = CarerLevel::kDisagree;
    auto level = [&](const PreparedName& in, uint32_t s) {
      if (in.token->text.empty() || s == kNoToken) return NameLevel::kMissing;
      if (in.id != kNoToken && in.id == s) return NameLevel::kExact;
      return CompareCached(p, in, s, /*allow_nickname=*/true);
    };
    for (const PreparedCarer& c : p.carers) {
      for (size_t i = 0; i + 1 < stored.size(); i += 2) {
        bool first = NameAgrees(level(c.first, stored[i]));
        bool last = NameAgrees(level(c.last, stored[i + 1]));
        if (first && last) return CarerLevel::kFullName;
        if (first || last) best = CarerLevel::kPartial;
      }
    }
    return best;
  }

  double CarerWeight(CarerLevel level) const {
    switch (level) {
      case CarerLevel::kFullName:
        return model.carers.full_name.Weight();
      case CarerLevel::kPartial:
        return model.carers.partial.Weight();
      case CarerLevel::kDisagree:
        return model.carers.disagree.Weight();
      case CarerLevel::kMissing:
        return 0;
    }
    return 0;
  }

  AddressLevel CompareAddresses(const Prepared& p, std::span<const PreparedName> in,
                                std::span<const uint32_t> stored) const {
    bool in_words = false, stored_words = false;
    for (const PreparedName& n : in) in_words |= !IsHouseNumber(n.token->text);
    for (uint32_t s : stored) stored_words |= !IsHouseNumber(tokens[s].token.text);
    if (!in_words || !stored_words) return AddressLevel::kMissing;
    bool number = false, street = false;
    for (const PreparedName& n : in) {
      bool in_number = IsHouseNumber(n.token->text);
      for (uint32_t s : stored) {
        const NameToken& st = tokens[s].token;
        if (in_number != IsHouseNumber(st.text)) continue;
        if (in_number) {
          number |= n.token->text == st.text;
        } else if (!street) {
          street = (n.id != kNoToken && n.id == s) ||
                   NameAgrees(CompareCached(p, n, s, /*allow_nickname=*/false));
        }
      }
    }
    if (street) return number ? AddressLevel::kFull : AddressLevel::kStreet;
    return AddressLevel::kDisagree;
  }

  IdentifierLevel CompareIdentifier(const PreparedName& in, const Record& r) const {
    if (in.token->text.empty() || r.n_identifier == 0) return IdentifierLevel::kMissing;
    uint32_t s = arena[r.tokens_begin + IdentifierOffset(r)];
    if (in.id != kNoToken && in.id == s) return IdentifierLevel::kExact;
    return CompareIdentifiers(in.token->text, tokens[s].token.text);
  }

  double AddressWeight(AddressLevel level) const {
    switch (level) {
      case AddressLevel::kFull:
        return model.address.full.Weight();
      case AddressLevel::kStreet:
        return model.address.street.Weight();
      case AddressLevel::kDisagree:
        return model.address.disagree.Weight();
      case AddressLevel::kMissing:
        return 0;
    }
    return 0;
  }

  double IdentifierWeight(IdentifierLevel level) const {
    switch (level) {
      case IdentifierLevel::kExact:
        return model.identifier.exact.Weight();
      case IdentifierLevel::kOneEdit:
        return model.identifier.one_edit.Weight();
      case IdentifierLevel::kDisagree:
        return model.identifier.disagree.Weight();
      case IdentifierLevel::kMissing:
        return 0;
    }
    return 0;
  }

  // The most the two name fields can add for this input against any child: the exact weight of
  // its rarest known token in either role (a swap can put any input name in either field), or
  // the best fuzzy level, or 0 (missing).
  double NameWeightBound(const Prepared& p) const {
    double bound = 0;
    auto role = [&](const NameModel& m, bool given_role) {
      double best =
          std::max({0.0, m.nickname.Weight(), m.jaro_winkler.Weight(), m.phonetic.Weight()});
      for (const auto* list : {&p.all_given, &p.all_family}) {
        for (const PreparedName& n : *list) {
          if (n.id != kNoToken) {
            best =
                std::max(best, NameWeight(m, NameAgreement{NameLevel::kExact, n.id}, given_role));
          }
        }
      }
      return best;
    };
    bound += role(model.given, true);
    bound += role(model.family, false);
    return bound;
  }

  // False if the child certainly weighs less than `lower`: the date of birth, gender and
  // identifier as they are, the names at their bound and the household at its cap. Cheap (no
  // string metrics), so blocks of common names cost little.
  bool MayReach(const Prepared& p, const Record& r, double name_bound, double lower) const {
    DateLevel dob = CompareDates(
        p.dob, r.dob == kNoDate ? std::nullopt : std::optional<Date>(Date::FromDays(r.dob)));
    double w = DateWeight(dob, p.dob_days) + GenderWeight(CompareGenders(p.gender, r.gender)) +
               IdentifierWeight(CompareIdentifier(p.identifier, r)) + name_bound +
               std::max(0.0, model.household_cap);
    return w >= lower;
  }

  FieldComparison Score(const Prepared& p, const Record& r) const {
    FieldComparison c;
    const uint32_t* t = arena.data() + r.tokens_begin;
    std::span<const uint32_t> given(t, r.n_given);
    std::span<const uint32_t> family(t + r.n_given, r.n_family);
    std::span<const uint32_t> other_given(t + r.n_given + r.n_family, r.n_other_given);
    std::span<const uint32_t> other_family(t + r.n_given + r.n_family + r.n_other_given,
                                           r.n_other_family);
    std::span<const uint32_t> carers(t + CarersOffset(r), 2 * size_t{r.n_carers});
    std::span<const uint32_t> address(t + AddressOffset(r), r.n_address);
    std::span<const uint32_t> town(t + TownOffset(r), r.n_town);

    c.date_of_birth = CompareDates(
        p.dob, r.dob == kNoDate ? std::nullopt : std::optional<Date>(Date::FromDays(r.dob)));
    c.postcode = ComparePackedPostcodes(p.postcode, r.postcode);
    c.gender = CompareGenders(p.gender, r.gender);
    c.carers = CompareCarers(p, carers);
    c.address = CompareAddresses(p, p.address, address);
    NameAgreement town_agreement = BestName(p, p.town, town, {}, /*allow_nickname=*/false);
    c.town = town_agreement.level;
    c.identifier = CompareIdentifier(p.identifier, r);

    // Input given names and the given parts of its other names, against the child's.
    NameAgreement g = BestName(p, p.all_given, given, other_given, /*allow_nickname=*/true);
    NameAgreement f = BestName(p, p.all_family, family, other_family, /*allow_nickname=*/false);
    double gw = NameWeight(model.given, g, true);
    double fw = NameWeight(model.family, f, false);
    // A name that agrees only with the other field (given and family name exchanged, in full
    // or in part: "Lodge Adele" for "Gillian Lodge") counts, less the swap penalty.
    double half_penalty = model.swapped_names_penalty / 2;
    if (!NameAgrees(g.level) && !p.family.empty()) {
      NameAgreement cross = BestName(p, p.family, given, other_given, /*allow_nickname=*/true);
      double cw = NameWeight(model.given, cross, true) - half_penalty;
      if (NameAgrees(cross.level) && cw > gw) {
        g = cross;
        gw = cw;
        c.swapped_names = true;
      }
    }
    if (!NameAgrees(f.level) && !p.given.empty()) {
      NameAgreement cross = BestName(p, p.given, family, other_family, /*allow_nickname=*/false);
      double cw = NameWeight(model.family, cross, false) - half_penalty;
      if (NameAgrees(cross.level) && cw > fw) {
        f = cross;
        fw = cw;
        c.swapped_names = true;
      }
    }
    c.given = g.level;
    c.family = f.level;
    c.weights = {gw,
                 fw,
                 DateWeight(c.date_of_birth, p.dob_days),
                 PostcodeWeight(c.postcode, p.postcode),
                 GenderWeight(c.gender),
                 CarerWeight(c.carers),
                 AddressWeight(c.address),
                 town_agreement.level == NameLevel::kMissing
                     ? 0
                     : NameWeight(model.town, town_agreement, /*given_role=*/false, true),
                 IdentifierWeight(c.identifier)};
    // Postcode, address, town and carers all describe the household: agreeing together they
    // are one piece of evidence, not four (siblings share them all), so their positive weights
    // count up to model.household_cap only.
    double total = 0, household = 0;
    for (size_t i = 0; i < c.weights.size(); ++i) {
      bool household_field = i == 3 || i == 5 || i == 6 || i == 7;
      if (household_field && c.weights[i] > 0) {
        household += c.weights[i];
      } else {
        total += c.weights[i];
      }
    }
    total += std::min(household, model.household_cap);
    // Siblings share names (often), the household and carers; twins their birthday too. Without
    // an agreeing identifier, a contradicting date of birth, or (twins) a contradicting given
    // name with the same birthday and family name, keeps the pair below the upper threshold.
    bool identifier_agrees =
        c.identifier == IdentifierLevel::kExact || c.identifier == IdentifierLevel::kOneEdit;
    bool twin_like = c.given == NameLevel::kDisagree && NameAgrees(c.family) &&
                     c.date_of_birth == DateLevel::kExact;
    bool sibling_like = c.date_of_birth == DateLevel::kDisagree;
    if (model.given_name_disagreement_prevents_match && !identifier_agrees &&
        (twin_like || sibling_like)) {
      double cap = std::nextafter(thresholds.upper, -1e300);
      c.twin_capped = total > cap;
      total = std::min(total, cap);
    }
    c.total = total;
    return c;
  }

  // ---- Writes -------------------------------------------------------------------------

  void RemoveSlot(uint32_t slot) {
    Record& r = records[slot];
    if (!r.alive) return;
    UpdateCounts(r, -1);
    r.alive = false;
    --live;
  }

  void Add(int64_t child_id, const MatchFeatures& f) {
    uint32_t old = ids.Find(child_id);
    if (old != kNoSlot) RemoveSlot(old);

    Record r;
    r.child_id = child_id;
    r.tokens_begin = static_cast<uint32_t>(arena.size());
    auto push_names = [&](const std::vector<NameToken>& names) {
      size_t n = std::min(names.size(), kMaxTokensPerList);
      for (size_t i = 0; i < n; ++i) arena.push_back(Intern(names[i]));
      return static_cast<uint8_t>(n);
    };
    r.n_given = push_names(f.given);
    r.n_family = push_names(f.family);
    r.n_other_given = push_names(f.other_given);
    r.n_other_family = push_names(f.other_family);
    for (const MatchFeatures::Carer& c : f.carers) {
      if (r.n_carers == kMaxTokensPerList) break;
      arena.push_back(Intern(c.first));
      arena.push_back(c.last.text.empty() ? kNoToken : Intern(c.last));
      ++r.n_carers;
    }
    r.n_address = push_names(f.address);
    r.n_town = push_names(f.town);
    if (!f.identifier.text.empty()) {
      arena.push_back(Intern(f.identifier));
      r.n_identifier = 1;
    }
    if (f.date_of_birth) r.dob = static_cast<int32_t>(f.date_of_birth->days());
    r.postcode = f.postcode;
    r.gender = f.gender;
    r.alive = true;

    uint32_t slot = static_cast<uint32_t>(records.size());
    records.push_back(r);
    UpdateCounts(r, +1);
    ++live;
    ids.Put(child_id, slot);
    std::vector<uint64_t>& keys = scratch_keys;
    RecordKeys(r, keys);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (uint64_t k : keys) blocks.Insert(k, slot);
  }
};

namespace {

// The input's features: its own if it carries them, else computed into `scratch`.
const MatchFeatures& FeaturesOf(const MatchInput& input, MatchFeatures& scratch) {
  if (input.features != nullptr) return *input.features;
  scratch = ComputeMatchFeatures(input);
  return scratch;
}

}  // namespace

FellegiSunterMatcher::FellegiSunterMatcher(MatchModel model, Thresholds thresholds)
    : model_(std::move(model)),
      thresholds_(thresholds),
      impl_(std::make_unique<Impl>(model_, thresholds_)) {}

FellegiSunterMatcher::~FellegiSunterMatcher() = default;

MatchResult FellegiSunterMatcher::Classify(const MatchInput& input,
                                           const std::vector<int64_t>& exclude) const {
  const Impl& impl = *impl_;
  MatchFeatures scratch;
  Prepared p = impl.Prepare(FeaturesOf(input, scratch));
  std::vector<uint64_t> keys;
  impl.QueryKeys(p, keys);
  std::vector<uint32_t> slots;
  uint64_t names_only = impl.QueryNamesOnlyKey(p);
  for (uint64_t k : keys) {
    impl.blocks.ForEach(
        k, [&](uint32_t slot) { slots.push_back(slot); },
        k == names_only ? Impl::kNamesOnlyScanLimit : std::numeric_limits<size_t>::max());
  }
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());

  MatchResult result;
  double name_bound = impl.NameWeightBound(p);
  for (uint32_t slot : slots) {
    const Record& r = impl.records[slot];
    if (!r.alive) continue;
    if (std::find(exclude.begin(), exclude.end(), r.child_id) != exclude.end()) continue;
    if (!impl.MayReach(p, r, name_bound, thresholds_.lower)) continue;
    FieldComparison c = impl.Score(p, r);
    if (c.total >= thresholds_.lower) result.candidates.push_back(Candidate{r.child_id, c.total});
  }
  std::sort(result.candidates.begin(), result.candidates.end(),
            [](const Candidate& a, const Candidate& b) {
              return a.weight != b.weight ? a.weight > b.weight : a.child_id < b.child_id;
            });
  if (result.candidates.size() > kMaxCandidates) result.candidates.resize(kMaxCandidates);
  if (result.candidates.empty()) {
    result.outcome = MatchOutcome::kNew;
  } else if (result.candidates.front().weight >= thresholds_.upper) {
    result.outcome = MatchOutcome::kMatch;
  } else {
    result.outcome = MatchOutcome::kPossible;
  }
  return result;
}

void FellegiSunterMatcher::PrepareInput(MatchInput& input) const { AttachMatchFeatures(input); }

void FellegiSunterMatcher::Add(int64_t child_id, const MatchInput& input) {
  MatchFeatures scratch;
  impl_->Add(child_id, FeaturesOf(input, scratch));
}

void FellegiSunterMatcher::Remove(int64_t child_id) {
  uint32_t slot = impl_->ids.Find(child_id);
  if (slot != kNoSlot) impl_->RemoveSlot(slot);
}

size_t FellegiSunterMatcher::Size() const { return impl_->live; }

std::optional<FieldComparison> FellegiSunterMatcher::Compare(const MatchInput& input,
                                                             int64_t child_id) const {
  uint32_t slot = impl_->ids.Find(child_id);
  if (slot == kNoSlot || !impl_->records[slot].alive) return std::nullopt;
  MatchFeatures scratch;
  return impl_->Score(impl_->Prepare(FeaturesOf(input, scratch)), impl_->records[slot]);
}

void FellegiSunterMatcher::Reserve(size_t children) {
  impl_->records.reserve(children);
  impl_->arena.reserve(children * 6);
  impl_->ids.Reserve(children);
  impl_->blocks.Reserve(children * 6);
}

MatcherStats FellegiSunterMatcher::Stats() const {
  const Impl& impl = *impl_;
  MatcherStats s;
  s.children = impl.live;
  s.slots = impl.records.size();
  s.distinct_tokens = impl.tokens.size();
  s.blocking_entries = impl.blocks.size();
  s.approx_bytes = impl.records.capacity() * sizeof(Record) + impl.arena.capacity() * 4 +
                   impl.ids.Bytes() + impl.blocks.Bytes() +
                   impl.tokens.capacity() * sizeof(TokenInfo) +
                   (impl.date_counts.size() + impl.postcode_counts.size()) * 32;
  return s;
}

}  // namespace cp::linkage
