#include "search/search_index.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "search/nicknames.h"
#include "search/normalize.h"
#include "search/phonetic.h"
#include "search/string_metrics.h"
#include "search/text.h"

namespace cp::search {
namespace {

// ---------------------------------------------------------------------------------------------
// Small building blocks.

inline uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Blocking-key channels. The second name of a key is keyed three times: by its first two
// letters, its last two letters and its Double Metaphone code. One edit anywhere in a name of
// five or more letters leaves an end whole, and sound-alikes keep the code; the entry filter
// then checks the name itself.
enum Channel : uint64_t {
  kFamilyName = 1,  // (family name, end of given name) -> given name.
  kGivenName = 2,   // (given name or its formal name, end of family name) -> family name.
  kBirthDate = 3,   // (date of birth, kind, first or last letter) -> that name.
};
enum End : uint64_t { kHead = 0, kTail = 1, kSound = 2 };  // kSound: Double Metaphone code.

// Hash for maps keyed by std::string that are looked up by std::string_view.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

inline uint64_t Key(uint64_t channel, uint64_t a, uint64_t b, uint64_t c, uint64_t d = 0) {
  return Mix(Mix(Mix(Mix(channel * 0x9e3779b97f4a7c15ULL ^ a) ^ b) ^ c) ^ d);
}

// A readers-writer lock that prefers writers: once a writer waits, new readers queue behind
// it, so writes cannot be starved by a steady stream of searches.
class RwLock {
 public:
  void LockShared() {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [this] { return !writer_ && waiting_writers_ == 0; });
    ++readers_;
  }
  void UnlockShared() {
    std::lock_guard<std::mutex> l(mu_);
    if (--readers_ == 0) cv_.notify_all();
  }
  void Lock() {
    std::unique_lock<std::mutex> l(mu_);
    ++waiting_writers_;
    cv_.wait(l, [this] { return !writer_ && readers_ == 0; });
    --waiting_writers_;
    writer_ = true;
  }
  void Unlock() {
    std::lock_guard<std::mutex> l(mu_);
    writer_ = false;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int readers_ = 0;
  int waiting_writers_ = 0;
  bool writer_ = false;
};

class ReadGuard {
 public:
  explicit ReadGuard(RwLock& l) : l_(l) { l_.LockShared(); }
  ~ReadGuard() { l_.UnlockShared(); }
  ReadGuard(const ReadGuard&) = delete;
  ReadGuard& operator=(const ReadGuard&) = delete;

 private:
  RwLock& l_;
};

class WriteGuard {
 public:
  explicit WriteGuard(RwLock& l) : l_(l) { l_.Lock(); }
  ~WriteGuard() { l_.Unlock(); }
  WriteGuard(const WriteGuard&) = delete;
  WriteGuard& operator=(const WriteGuard&) = delete;

 private:
  RwLock& l_;
};

// Append-only vector in fixed-size chunks: growth never copies or moves existing elements.
template <typename T, int kBits>
class ChunkedVector {
 public:
  static constexpr size_t kChunk = size_t{1} << kBits;
  size_t size() const { return size_; }
  T& operator[](size_t i) { return chunks_[i >> kBits][i & (kChunk - 1)]; }
  const T& operator[](size_t i) const { return chunks_[i >> kBits][i & (kChunk - 1)]; }
  void push_back(const T& v) {
    if ((size_ >> kBits) == chunks_.size()) chunks_.push_back(std::make_unique<T[]>(kChunk));
    (*this)[size_++] = v;
  }
  // Appends `n` (<= kChunk) contiguous elements, skipping to a new chunk if needed; returns the
  // index of the first.
  size_t AppendContiguous(const T* v, size_t n) {
    const size_t used = size_ & (kChunk - 1);
    if (used != 0 && used + n > kChunk) size_ += kChunk - used;
    const size_t start = size_;
    for (size_t i = 0; i < n; ++i) push_back(v[i]);
    return start;
  }
  const T* Pointer(size_t i) const { return &(*this)[i]; }
  size_t bytes() const { return chunks_.size() * kChunk * sizeof(T) + chunks_.capacity() * 8; }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  size_t size_ = 0;
};

// One posting: a child slot plus a compact description of the name that produced it, so that
// candidates are filtered while scanning a list, before the child record is touched.
struct Entry {
  uint32_t id;
  uint16_t code;  // 16-bit hash of the name's Double Metaphone primary code.
  uint8_t tag;    // 8-bit fingerprint of the posting's key (lists share buckets).
  uint8_t len;    // Length of the name in code points (at most 255).
  uint32_t sig;   // Letter-bigram signature of the name (see Signature()).
};
static_assert(sizeof(Entry) == 12);

inline uint8_t Tag(uint64_t key) { return static_cast<uint8_t>(key >> 56); }

// Posting lists: an immutable base built in bulk plus a delta for later writes. The base has
// no per-key directory: keys hash into a power-of-two array of buckets (about four entries per
// bucket) whose offsets delimit one array of entries; an entry's 8-bit key fingerprint weeds
// out the other keys sharing its bucket. The delta is an ordinary map by full key.
//
// Compaction (see SearchIndex::Compact) rebuilds the base without the entries of dead slots and
// with the delta merged in, mostly outside the index lock: Freeze() moves the delta aside
// (a "frozen" delta, searched like the delta but never written), Compacted() builds a new base
// from the base and the frozen delta, which nothing else writes meanwhile, and Install() swaps
// it in. A base entry's full key is not kept (only its bucket and fingerprint), so a rebuilt
// base keeps its bucket count; an index that started empty gets one sized at its first
// compaction.
class PostingTable {
 public:
  // Bulk staging, one shard per builder thread; FinishStaging lays the shards out in order.
  void SetStageShards(size_t n) {
    if (stages_.size() < n) stages_.resize(n);
  }
  void Stage(size_t shard, uint64_t key, const Entry& e) {
    stages_[shard].keys.push_back(key);
    stages_[shard].entries.push_back(e);
  }
  void FinishStaging() {
    size_t n = 0;
    for (const StageShard& s : stages_) n += s.entries.size();
    int bits = 4;
    while ((size_t{1} << bits) < n / 4) ++bits;
    mask_ = (uint64_t{1} << bits) - 1;
    offsets_.assign((size_t{1} << bits) + 1, 0);
    for (const StageShard& s : stages_) {
      for (uint64_t k : s.keys) ++offsets_[(k & mask_) + 1];
    }
    for (size_t i = 1; i < offsets_.size(); ++i) offsets_[i] += offsets_[i - 1];
    entries_.resize(n);
    std::vector<uint32_t> fill(offsets_.begin(), offsets_.end() - 1);
    for (StageShard& s : stages_) {
      for (size_t i = 0; i < s.entries.size(); ++i)
        entries_[fill[s.keys[i] & mask_]++] = s.entries[i];
      std::vector<uint64_t>().swap(s.keys);
      std::vector<Entry>().swap(s.entries);
    }
    std::vector<StageShard>().swap(stages_);
  }
  void Add(uint64_t key, const Entry& e) {
    delta_[key].push_back(e);
    ++delta_count_;
  }
  template <typename Fn>
  void ForEach(uint64_t key, Fn&& fn) const {
    if (!offsets_.empty()) {
      const size_t b = key & mask_;
      const uint8_t tag = Tag(key);
      for (uint32_t i = offsets_[b]; i < offsets_[b + 1]; ++i) {
        if (entries_[i].tag == tag) fn(entries_[i]);
      }
    }
    for (const DeltaMap* map : {&frozen_, &delta_}) {
      if (map->empty()) continue;
      auto it = map->find(key);
      if (it != map->end()) {
        for (const Entry& e : it->second) fn(e);
      }
    }
  }

  // --- Compaction. Freeze and Install need the index's write lock; Compacted needs only that
  // no other compaction runs (it reads the base and the frozen delta, which only the bulk
  // builder and Install write).
  struct Base {
    uint64_t mask = 0;
    std::vector<uint32_t> offsets;
    std::vector<Entry> entries;
  };
  void Freeze() {
    // A previous frozen delta is always installed before the next freeze (one compaction at
    // a time), so frozen_ is empty here.
    frozen_ = std::move(delta_);
    frozen_count_ = delta_count_;
    delta_ = DeltaMap();
    delta_count_ = 0;
  }
  // The base plus the frozen delta, without entries whose slot is set in `dead` (a bitmap).
  Base Compacted(const std::vector<uint64_t>& dead) const {
    auto live = [&dead](const Entry& e) {
      const size_t w = e.id >> 6;
      return w >= dead.size() || ((dead[w] >> (e.id & 63)) & 1) == 0;
    };
    Base out;
    if (offsets_.empty()) {
      size_t n = 0;
      for (const auto& [key, list] : frozen_) n += list.size();
      int bits = 4;
      while ((size_t{1} << bits) < n / 4) ++bits;
      out.mask = (uint64_t{1} << bits) - 1;
    } else {
      out.mask = mask_;
    }
    const size_t buckets = static_cast<size_t>(out.mask) + 1;
    // Frozen entries by bucket (in key order within a bucket, which does not matter: a search
    // collects every entry of the key).
    std::vector<uint32_t> extra(buckets + 1, 0);
    for (const auto& [key, list] : frozen_) {
      for (const Entry& e : list) {
        if (live(e)) ++extra[(key & out.mask) + 1];
      }
    }
    for (size_t i = 1; i <= buckets; ++i) extra[i] += extra[i - 1];
    std::vector<Entry> extra_entries(extra[buckets]);
    {
      std::vector<uint32_t> fill(extra.begin(), extra.end() - 1);
      for (const auto& [key, list] : frozen_) {
        for (const Entry& e : list) {
          if (live(e)) extra_entries[fill[key & out.mask]++] = e;
        }
      }
    }
    out.offsets.assign(buckets + 1, 0);
    size_t n = 0;
    for (size_t b = 0; b < buckets; ++b) {
      if (!offsets_.empty()) {
        for (uint32_t i = offsets_[b]; i < offsets_[b + 1]; ++i) n += live(entries_[i]) ? 1 : 0;
      }
      n += extra[b + 1] - extra[b];
      out.offsets[b + 1] = static_cast<uint32_t>(n);
    }
    out.entries.reserve(n);
    for (size_t b = 0; b < buckets; ++b) {
      if (!offsets_.empty()) {
        for (uint32_t i = offsets_[b]; i < offsets_[b + 1]; ++i) {
          if (live(entries_[i])) out.entries.push_back(entries_[i]);
        }
      }
      out.entries.insert(out.entries.end(), extra_entries.begin() + extra[b],
                         extra_entries.begin() + extra[b + 1]);
    }
    return out;
  }
  void Install(Base&& base) {
    mask_ = base.mask;
    offsets_ = std::move(base.offsets);
    entries_ = std::move(base.entries);
    frozen_ = DeltaMap();
    frozen_count_ = 0;
  }

  size_t postings() const {
    size_t staged = 0;
    for (const StageShard& s : stages_) staged += s.entries.size();
    return entries_.size() + delta_count_ + frozen_count_ + staged;
  }
  size_t directory_bytes() const { return offsets_.capacity() * 4; }
  size_t bytes() const {
    size_t staged = 0;
    for (const StageShard& s : stages_) {
      staged += s.keys.capacity() * 8 + s.entries.capacity() * sizeof(Entry);
    }
    return offsets_.capacity() * 4 + entries_.capacity() * sizeof(Entry) + staged +
           (delta_.size() + frozen_.size()) * 64 + (delta_count_ + frozen_count_) * sizeof(Entry);
  }

 private:
  using DeltaMap = std::unordered_map<uint64_t, std::vector<Entry>>;
  struct StageShard {
    std::vector<uint64_t> keys;
    std::vector<Entry> entries;
  };
  uint64_t mask_ = 0;
  std::vector<uint32_t> offsets_;
  std::vector<Entry> entries_;
  std::vector<StageShard> stages_;
  DeltaMap delta_;
  size_t delta_count_ = 0;
  DeltaMap frozen_;
  size_t frozen_count_ = 0;
};

// Double Metaphone code packed into 20 bits (5 bits per character), 0 for an empty code.
uint32_t PackCode(std::string_view code) {
  uint32_t v = 0;
  for (char c : code) {
    const uint32_t d = c == '0' ? 27u : static_cast<uint32_t>(c - 'A' + 1);
    v = (v << 5) | d;
  }
  return v;
}

// Bigram signature: one of 32 bits per adjacent pair of code points of "^name$". Names one or
// two edits apart differ in few bits; unrelated names in many.
uint32_t Signature(std::u32string_view cps) {
  uint32_t sig = 0;
  char32_t prev = U'^';
  for (size_t i = 0; i <= cps.size(); ++i) {
    const char32_t c = i < cps.size() ? cps[i] : U'$';
    sig |= 1u << (Mix((uint64_t{prev} << 32) | c) & 31);
    prev = c;
  }
  return sig;
}

// True if a stored name (signature `b`, length `b_len`) may be within two edits of a query
// name: lengths differ by at most two and the signatures by few bits. One substitution changes
// up to four bits, a transposition six; names of six or more letters are allowed two edits
// (as in the credit rules).
inline bool SigClose(uint32_t a, size_t a_len, uint32_t b, size_t b_len) {
  if (a_len > b_len + 2 || b_len > a_len + 2) return false;
  const int limit = std::max(a_len, b_len) >= 6 ? 8 : 6;
  return std::popcount(a ^ b) <= limit;
}

uint16_t Code16(uint32_t packed) { return static_cast<uint16_t>(Mix(packed) >> 48); }

// Phonetic description of a token, shared by stored and query tokens.
struct TokenCodes {
  uint32_t dm1 = 0;  // Packed primary code; for names without Latin letters, a hash of the name.
  uint32_t dm2 = 0;  // Packed alternate code.
  uint32_t sig = 0;
  uint32_t first = 0;  // First and last code point.
  uint32_t last = 0;
  uint32_t len = 0;        // Code points.
  uint64_t head = 0;       // First two code points.
  uint64_t tail = 0;       // Last two code points.
  uint64_t text_hash = 0;  // Hash of the normalised text.
};

TokenCodes ComputeCodes(std::string_view text) {
  TokenCodes c;
  const std::u32string cps = DecodeUtf8(text);
  const DoubleMetaphoneCodes dm = DoubleMetaphone(text);
  c.dm1 = PackCode(dm.primary);
  c.dm2 = PackCode(dm.alternate);
  if (c.dm1 == 0) {
    c.dm1 = 0x80000000u | static_cast<uint32_t>(Mix(std::hash<std::string_view>()(text)) >> 33);
    c.dm2 = c.dm1;
  }
  c.sig = Signature(cps);
  c.text_hash = Mix(std::hash<std::string_view>()(text));
  c.first = cps.empty() ? 0 : cps.front();
  c.last = cps.empty() ? 0 : cps.back();
  c.len = static_cast<uint32_t>(cps.size());
  if (!cps.empty()) {
    c.head = (uint64_t{cps[0]} << 32) | (cps.size() > 1 ? cps[1] : 0);
    c.tail = (uint64_t{cps.size() > 1 ? cps[cps.size() - 2] : 0} << 32) | cps.back();
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Stored children.

// Name word flags (high bits of a word in the name arena; the low 24 bits are a token id).
constexpr uint32_t kTokenMask = 0x00FFFFFF;
constexpr uint32_t kFamilyBit = 1u << 24;  // Family name (else given name).
constexpr uint32_t kFirstBit = 1u << 25;   // First given name of its name.
constexpr uint32_t kAltBit = 1u << 26;     // From a former or known-as name (hidden if shielded).
constexpr uint32_t kJoinedBit = 1u << 27;  // All parts of a multi-part family name joined.

constexpr uint8_t kShieldedFlag = 1;
constexpr uint8_t kDeadFlag = 2;
// A dead slot whose postings compaction has removed: free for reuse (kDeadFlag stays set until
// then).
constexpr uint8_t kFreeFlag = 4;

struct ChildRec {
  uint64_t uin;
  uint64_t postcode;  // PackPostcode(); 0 if none.
  uint32_t names;     // Offset of the name words in the arena (a count, then the words).
  int32_t dob;        // Days since 1970-01-01.
  uint16_t authority;
  uint8_t gender;
  uint8_t flags;
  uint32_t pad;
};
static_assert(sizeof(ChildRec) == 32);

uint64_t PackPostcode(std::string_view normalized) {
  if (normalized.empty()) return 0;
  if (normalized.size() > 10) {
    return (uint64_t{1} << 63) | (Mix(std::hash<std::string_view>()(normalized)) >> 1);
  }
  uint64_t v = 0;
  for (char c : normalized) {
    const uint64_t d =
        c <= '9' ? static_cast<uint64_t>(c - '0' + 1) : static_cast<uint64_t>(c - 'A' + 11);
    v = (v << 6) | d;
  }
  return v;
}

// The outward code of a packed postcode, or 0 if unknown.
uint64_t PackedOutward(uint64_t packed) {
  if (packed == 0 || (packed >> 63) != 0) return 0;
  const auto chars = static_cast<int>((std::bit_width(packed) + 5) / 6);
  if (chars < 5) return 0;
  return packed >> 18;
}

// A name word before interning.
struct PreparedWord {
  std::string text;
  uint32_t flags;
  uint32_t token = UINT32_MAX;  // Its dictionary id if already looked up (bulk loading).
};

struct PreparedChild {
  uint64_t uin;
  std::vector<PreparedWord> words;
  uint64_t postcode;
  int32_t dob;
  uint8_t gender;
  bool shielded;
  std::string authority;
};

void AddNameWords(std::string_view given, std::string_view family, bool alt,
                  std::vector<PreparedWord>& out) {
  const uint32_t alt_bit = alt ? kAltBit : 0;
  const std::vector<std::string> g = NameTokens(given);
  for (size_t i = 0; i < g.size(); ++i) {
    out.push_back({g[i], alt_bit | (i == 0 ? kFirstBit : 0)});
  }
  const std::vector<std::string> f = NameTokens(family);
  std::string joined;
  for (const std::string& t : f) {
    out.push_back({t, alt_bit | kFamilyBit});
    joined += t;
  }
  if (f.size() > 1) out.push_back({joined, alt_bit | kFamilyBit | kJoinedBit});
}

PreparedChild Prepare(const IndexedChild& child) {
  PreparedChild p;
  p.uin = child.uin;
  AddNameWords(child.given_names, child.family_name, false, p.words);
  for (const AlternativeName& n : child.former_names) {
    AddNameWords(n.given_names, n.family_name, true, p.words);
  }
  for (const AlternativeName& n : child.known_as_names) {
    AddNameWords(n.given_names, n.family_name, true, p.words);
  }
  // At most 255 words per child (far beyond real names).
  if (p.words.size() > 255) p.words.resize(255);
  p.postcode = PackPostcode(NormalizePostcode(child.postcode));
  p.dob = static_cast<int32_t>(child.date_of_birth.days());
  p.gender = static_cast<uint8_t>(child.gender);
  p.shielded = child.shielded;
  p.authority = child.authority;
  return p;
}

// ---------------------------------------------------------------------------------------------
// Queries.

struct QueryToken {
  std::string text;
  std::u32string cps;
  TokenCodes codes;
  uint16_t c1 = 0;  // Code16 of primary and alternate codes.
  uint16_t c2 = 0;
  uint32_t dict_id = UINT32_MAX;  // Interned id, if the index knows this token.
};

QueryToken MakeQueryToken(std::string text) {
  QueryToken t;
  t.cps = DecodeUtf8(text);
  t.codes = ComputeCodes(text);
  t.c1 = Code16(t.codes.dm1);
  t.c2 = Code16(t.codes.dm2);
  t.text = std::move(text);
  return t;
}

// All tokens of a query, in one array so a memo can index them. Family variants are the family
// tokens plus their join; given variants for lookups are the first given name plus the formal
// names it is a nickname of.
struct PreparedQuery {
  std::vector<QueryToken> tokens;
  std::vector<size_t> family;           // Family tokens and the joined family name.
  std::vector<size_t> given;            // All given tokens (first first).
  std::vector<size_t> given_first;      // First given token and its formal names.
  std::vector<size_t> family_as_given;  // Swapped reading: family tokens + their formals.
  bool has_given = false;
  bool has_dob = false;
  int32_t dob = 0;
  std::vector<std::pair<int32_t, float>> dob_variants;  // (days, credit).
  uint8_t gender = 0;
  uint64_t postcode = 0;
};

size_t AddToken(PreparedQuery& q, std::string text) {
  for (size_t i = 0; i < q.tokens.size(); ++i) {
    if (q.tokens[i].text == text) return i;
  }
  q.tokens.push_back(MakeQueryToken(std::move(text)));
  return q.tokens.size() - 1;
}

void AddUnique(std::vector<size_t>& v, size_t i) {
  if (std::find(v.begin(), v.end(), i) == v.end()) v.push_back(i);
}

PreparedQuery PrepareQuery(const SearchCriteria& c) {
  PreparedQuery q;
  const std::vector<std::string> f = NameTokens(c.family_name);
  std::string joined;
  for (const std::string& t : f) {
    AddUnique(q.family, AddToken(q, t));
    joined += t;
  }
  if (f.size() > 1) AddUnique(q.family, AddToken(q, joined));
  const std::vector<std::string> g = NameTokens(c.given_name);
  for (const std::string& t : g) AddUnique(q.given, AddToken(q, t));
  q.has_given = !g.empty();
  if (q.has_given) {
    AddUnique(q.given_first, q.given[0]);
    for (std::string_view formal : FormalNamesOf(g[0])) {
      AddUnique(q.given_first, AddToken(q, std::string(formal)));
    }
    for (const std::string& t : f) {
      AddUnique(q.family_as_given, AddToken(q, t));
      for (std::string_view formal : FormalNamesOf(t)) {
        AddUnique(q.family_as_given, AddToken(q, std::string(formal)));
      }
    }
  }
  if (c.date_of_birth.has_value()) {
    const cp::Date d = *c.date_of_birth;
    q.has_dob = true;
    q.dob = static_cast<int32_t>(d.days());
    q.dob_variants.push_back({q.dob, 1.0f});
    auto add = [&q](cp::Result<cp::Date> v) {
      if (!v.ok()) return;
      const auto days = static_cast<int32_t>(v->days());
      for (const auto& existing : q.dob_variants) {
        if (existing.first == days) return;
      }
      q.dob_variants.push_back({days, 0.85f});
    };
    if (d.day() <= 12 && d.day() != d.month()) add(cp::Date::FromYmd(d.year(), d.day(), d.month()));
    add(cp::Date::FromYmd(d.year() - 1, d.month(), d.day()));
    add(cp::Date::FromYmd(d.year() + 1, d.month(), d.day()));
  }
  q.gender = static_cast<uint8_t>(c.gender);
  q.postcode = PackPostcode(NormalizePostcode(c.postcode));
  return q;
}

// Score weights (see docs/search.md).
constexpr double kFamilyWeight = 30;
constexpr double kGivenWeight = 30;
constexpr double kDobWeight = 40;
constexpr double kSwappedFactor = 0.95;
constexpr double kNotFirstGivenFactor = 0.95;
constexpr double kGenderPenalty = 10;
constexpr double kPostcodeBonus = 5;
constexpr double kOutwardBonus = 2;
constexpr double kPostcodePenalty = 5;

bool IsMaleOrFemale(uint8_t g) {
  return g == static_cast<uint8_t>(Gender::kMale) || g == static_cast<uint8_t>(Gender::kFemale);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct SearchIndex::Impl {
  struct TokenInfo {
    uint32_t text_off;
    uint32_t text_len;
    uint32_t cps_off;  // Decoded code points, for the string metrics.
    TokenCodes codes;
    uint16_t code16;
    uint16_t formal_count;  // Formal names this token is a nickname of ("bill" -> "william"),
    uint32_t formal_off;    // as token ids in `formal_ids`.
  };

  mutable RwLock lock;

  // Dictionary of normalised tokens.
  std::vector<char> text;
  std::vector<char32_t> cps;
  std::vector<TokenInfo> tokens;
  std::vector<uint32_t> formal_ids;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> token_ids;
  std::vector<std::string> authorities;
  std::unordered_map<std::string, uint16_t> authority_ids;

  ChunkedVector<ChildRec, 16> records;
  ChunkedVector<uint32_t, 20> names;
  // uin -> slot: open addressing over slot numbers (0 empty, kTombstone removed, else slot+1).
  std::vector<uint32_t> uin_slots;
  size_t uin_used = 0;  // Occupied or tombstoned.
  size_t live = 0;
  static constexpr uint32_t kTombstone = UINT32_MAX;
  // Garbage: slots killed since the last compaction began (their postings are still in the
  // tables), and slots compaction has cleared, which Append reuses.
  std::vector<uint32_t> killed;
  std::vector<uint32_t> free_slots;
  std::mutex compact_mu;  // One compaction at a time.

  // Posting tables: [channel][0 = visible to all, 1 = hidden fields of shielded children].
  PostingTable tables[3][2];
  bool bulk = false;

  std::string_view TokenText(uint32_t id) const {
    const TokenInfo& t = tokens[id];
    return std::string_view(text.data() + t.text_off, t.text_len);
  }
  std::u32string_view TokenCodePoints(uint32_t id) const {
    const TokenInfo& t = tokens[id];
    return std::u32string_view(cps.data() + t.cps_off, t.codes.len);
  }
  std::span<const uint32_t> FormalsOf(uint32_t id) const {
    const TokenInfo& t = tokens[id];
    return std::span<const uint32_t>(formal_ids.data() + t.formal_off, t.formal_count);
  }

  uint32_t Intern(std::string_view s) {
    auto it = token_ids.find(s);
    if (it != token_ids.end()) return it->second;
    const auto id = static_cast<uint32_t>(tokens.size());
    TokenInfo info{};
    info.text_off = static_cast<uint32_t>(text.size());
    info.text_len = static_cast<uint32_t>(s.size());
    text.insert(text.end(), s.begin(), s.end());
    info.cps_off = static_cast<uint32_t>(cps.size());
    const std::u32string decoded = DecodeUtf8(s);
    cps.insert(cps.end(), decoded.begin(), decoded.end());
    info.codes = ComputeCodes(s);
    info.code16 = Code16(info.codes.dm1);
    tokens.push_back(info);
    token_ids.emplace(std::string(s), id);
    // Its formal names, interned once here so that building postings needs no lookups (and can
    // run in parallel). Interning them may recurse; a token already present returns at once.
    std::vector<uint32_t> formals;
    for (std::string_view formal : FormalNamesOf(s)) formals.push_back(Intern(formal));
    tokens[id].formal_off = static_cast<uint32_t>(formal_ids.size());
    tokens[id].formal_count = static_cast<uint16_t>(formals.size());
    formal_ids.insert(formal_ids.end(), formals.begin(), formals.end());
    return id;
  }

  uint16_t InternAuthority(const std::string& a) {
    auto it = authority_ids.find(a);
    if (it != authority_ids.end()) return it->second;
    const auto id = static_cast<uint16_t>(std::min<size_t>(authorities.size(), 65535));
    if (authorities.size() < 65535) authorities.push_back(a);
    authority_ids.emplace(a, id);
    return id;
  }

  // --- uin map.
  size_t UinProbe(uint64_t uin) const { return Mix(uin) & (uin_slots.size() - 1); }
  // Slot holding `uin`, or SIZE_MAX.
  size_t FindUinSlot(uint64_t uin) const {
    if (uin_slots.empty()) return SIZE_MAX;
    const size_t mask = uin_slots.size() - 1;
    for (size_t i = UinProbe(uin);; i = (i + 1) & mask) {
      const uint32_t v = uin_slots[i];
      if (v == 0) return SIZE_MAX;
      if (v != kTombstone && records[v - 1].uin == uin) return i;
    }
  }
  // Looks the child's words up in the dictionary without changing it (so several threads may
  // do this while nothing writes the index); AppendRecord interns only the words not found.
  void LookUpTokens(PreparedChild& p) const {
    for (PreparedWord& w : p.words) {
      auto it = token_ids.find(std::string_view(w.text));
      if (it != token_ids.end()) w.token = it->second;
    }
  }
  // True if `uin` is present; otherwise reserves its place in the uin map for the slot that
  // `make_slot` returns (one probe sequence for both). Caller holds the write lock or builds.
  template <typename MakeSlot>
  bool FindOrInsertUin(uint64_t uin, MakeSlot&& make_slot) {
    if ((uin_used + 1) * 5 > uin_slots.size() * 4) RehashUins();  // Load <= 0.8.
    const size_t mask = uin_slots.size() - 1;
    for (size_t i = UinProbe(uin);; i = (i + 1) & mask) {
      const uint32_t v = uin_slots[i];
      if (v == 0) {
        uin_slots[i] = make_slot() + 1;
        ++uin_used;
        return false;
      }
      if (v != kTombstone && records[v - 1].uin == uin) return true;
    }
  }
  void InsertUin(uint64_t uin, uint32_t id) {
    if ((uin_used + 1) * 5 > uin_slots.size() * 4) RehashUins();  // Load <= 0.8.
    const size_t mask = uin_slots.size() - 1;
    for (size_t i = UinProbe(uin);; i = (i + 1) & mask) {
      if (uin_slots[i] == 0) {
        uin_slots[i] = id + 1;
        ++uin_used;
        return;
      }
    }
  }
  void RehashUins() {
    std::vector<uint32_t> old = std::move(uin_slots);
    size_t cap = 1024;
    while (cap < (live + 1) * 3 / 2) cap *= 2;  // Load after rehash <= 2/3.
    uin_slots.assign(cap, 0);
    uin_used = 0;
    for (uint32_t v : old) {
      if (v != 0 && v != kTombstone) InsertUin(records[v - 1].uin, v - 1);
    }
  }

  // Stores a child's record and name words (reusing a free slot if there is one) and returns
  // its slot; its postings come from EmitPostings. Caller holds the write lock (or is the
  // single-threaded builder).
  uint32_t AppendRecord(const PreparedChild& p);
  // Appends a child and its postings (to the delta, or to stage shard 0 while bulk loading).
  uint32_t Append(const PreparedChild& p) {
    const uint32_t id = AppendRecord(p);
    EmitPostings(id, [this](int table, uint64_t key, const Entry& e) {
      if (bulk) {
        tables[table / 2][table % 2].SetStageShards(1);
        tables[table / 2][table % 2].Stage(0, key, e);
      } else {
        tables[table / 2][table % 2].Add(key, e);
      }
    });
    return id;
  }
  // Calls emit(table = channel * 2 + hidden, key, entry) for each distinct posting of the child
  // in `slot`. Reads only the dictionary and the child's record and words, so the builder runs
  // it on several threads at once (nothing is written meanwhile).
  template <typename Emit>
  void EmitPostings(uint32_t slot, Emit&& emit) const;
  void Kill(size_t uin_slot) {
    const uint32_t id = uin_slots[uin_slot] - 1;
    records[id].flags |= kDeadFlag;
    uin_slots[uin_slot] = kTombstone;
    killed.push_back(id);
    --live;
  }

  SearchResponse Run(const PreparedQuery& q, size_t limit, const HiddenFieldAccess& access) const;
};

uint32_t SearchIndex::Impl::AppendRecord(const PreparedChild& p) {
  thread_local std::vector<uint32_t> words;
  words.clear();
  words.push_back(static_cast<uint32_t>(p.words.size()));
  for (const PreparedWord& w : p.words) {
    words.push_back((w.token != UINT32_MAX ? w.token : Intern(w.text)) | w.flags);
  }
  ChildRec rec{};
  rec.uin = p.uin;
  rec.postcode = p.postcode;
  rec.dob = p.dob;
  rec.authority = InternAuthority(p.authority);
  rec.gender = p.gender;
  rec.flags = p.shielded ? kShieldedFlag : 0;
  ++live;
  if (!free_slots.empty()) {
    // No posting refers to a free slot any more (compaction removed them), so it can take a
    // new child. Its old words are overwritten in place if the new ones fit.
    const uint32_t id = free_slots.back();
    free_slots.pop_back();
    const uint32_t old_names = records[id].names;
    if (names[old_names] >= words.size() - 1) {
      for (size_t i = 0; i < words.size(); ++i) names[old_names + i] = words[i];
      rec.names = old_names;
    } else {
      rec.names = static_cast<uint32_t>(names.AppendContiguous(words.data(), words.size()));
    }
    records[id] = rec;
    return id;
  }
  const auto id = static_cast<uint32_t>(records.size());
  rec.names = static_cast<uint32_t>(names.AppendContiguous(words.data(), words.size()));
  records.push_back(rec);
  return id;
}

template <typename Emit>
void SearchIndex::Impl::EmitPostings(uint32_t id, Emit&& emit) const {
  const ChildRec& rec = records[id];
  const uint32_t* words = names.Pointer(rec.names);
  const uint32_t word_count = words[0];
  const bool shielded = (rec.flags & kShieldedFlag) != 0;
  // Name variants: (token id, is alternative). Given variants for the phonetic channels are
  // first given names and their formal names; the birth-date channel takes every given name.
  struct Variant {
    uint32_t token;
    bool alt;
  };
  struct Posting {
    int table;
    uint64_t key;
    Entry entry;
  };
  // Scratch reused per thread: this runs once per child.
  thread_local std::vector<Variant> family, given_first, given_all;
  thread_local std::vector<Posting> postings;
  family.clear();
  given_first.clear();
  given_all.clear();
  postings.clear();
  auto add = [](std::vector<Variant>& v, uint32_t t, bool alt) {
    for (Variant& e : v) {
      if (e.token == t) {
        e.alt = e.alt && alt;
        return;
      }
    }
    v.push_back({t, alt});
  };
  for (uint32_t i = 1; i <= word_count; ++i) {
    const uint32_t w = words[i];
    const uint32_t t = w & kTokenMask;
    const bool alt = (w & kAltBit) != 0;
    if (w & kFamilyBit) {
      add(family, t, alt);
      continue;
    }
    add(given_all, t, alt);
    if (w & kFirstBit) add(given_first, t, alt);
    for (uint32_t ft : FormalsOf(t)) {
      add(given_all, ft, alt);
      if (w & kFirstBit) add(given_first, ft, alt);
    }
  }

  auto entry = [this, id](uint32_t token) {
    const TokenInfo& t = tokens[token];
    return Entry{id, t.code16, 0, static_cast<uint8_t>(std::min<uint32_t>(t.codes.len, 255)),
                 t.codes.sig};
  };
  const auto dob = static_cast<uint32_t>(rec.dob);
  for (const Variant& f : family) {
    const TokenCodes& fc = tokens[f.token].codes;
    for (const Variant& g : given_first) {
      const TokenCodes& gc = tokens[g.token].codes;
      const int hidden = shielded && (f.alt || g.alt) ? 1 : 0;
      for (End end : {kHead, kTail, kSound}) {
        const uint64_t g_end = end == kHead ? gc.head : end == kTail ? gc.tail : gc.dm1;
        const uint64_t f_end = end == kHead ? fc.head : end == kTail ? fc.tail : fc.dm1;
        postings.push_back(
            {0 + hidden, Key(kFamilyName, fc.text_hash, end, g_end), entry(g.token)});
        postings.push_back({2 + hidden, Key(kGivenName, gc.text_hash, end, f_end), entry(f.token)});
      }
    }
    const int hidden = shielded && f.alt ? 1 : 0;
    postings.push_back({4 + hidden, Key(kBirthDate, dob, 0, kHead, fc.first), entry(f.token)});
    postings.push_back({4 + hidden, Key(kBirthDate, dob, 0, kTail, fc.last), entry(f.token)});
  }
  for (const Variant& g : given_all) {
    const TokenCodes& gc = tokens[g.token].codes;
    const int hidden = shielded && g.alt ? 1 : 0;
    postings.push_back({4 + hidden, Key(kBirthDate, dob, 1, kHead, gc.first), entry(g.token)});
    postings.push_back({4 + hidden, Key(kBirthDate, dob, 1, kTail, gc.last), entry(g.token)});
  }
  for (Posting& x : postings) x.entry.tag = Tag(x.key);
  for (size_t i = 0; i < postings.size(); ++i) {
    const Posting& x = postings[i];
    bool dup = false;
    for (size_t j = 0; j < i && !dup; ++j) {
      const Posting& y = postings[j];
      dup = x.table == y.table && x.key == y.key && x.entry.code == y.entry.code &&
            x.entry.sig == y.entry.sig && x.entry.len == y.entry.len;
    }
    if (!dup) emit(x.table, x.key, x.entry);
  }
}

namespace {

// Memo of token credits for one query, keyed by (query token, role, stored token). One per
// thread, reused: starting a query bumps a generation instead of clearing the slots.
class CreditMemo {
 public:
  static constexpr size_t kSlots = 16384;
  CreditMemo() : slots_(kSlots) {}
  void NewQuery() {
    if (++generation_ == 0) {
      std::fill(slots_.begin(), slots_.end(), Slot{});
      generation_ = 1;
    }
  }
  // True with `*value` if cached; otherwise `*slot` is where to Store (SIZE_MAX: do not).
  bool Lookup(uint64_t key, float* value, size_t* slot) const {
    size_t i = Mix(key) & (kSlots - 1);
    for (size_t probes = 0; probes < 16; ++probes, i = (i + 1) & (kSlots - 1)) {
      const Slot& s = slots_[i];
      if (s.generation != generation_) {
        *slot = i;
        return false;
      }
      if (s.key == key) {
        *value = s.value;
        return true;
      }
    }
    *slot = SIZE_MAX;
    return false;
  }
  void Store(size_t slot, uint64_t key, float v) {
    if (slot != SIZE_MAX) slots_[slot] = Slot{key, generation_, v};
  }

 private:
  struct Slot {
    uint64_t key = 0;
    uint32_t generation = 0;
    float value = 0;
  };
  std::vector<Slot> slots_;
  uint32_t generation_ = 0;
};

}  // namespace

SearchResponse SearchIndex::Impl::Run(const PreparedQuery& q, size_t limit,
                                      const HiddenFieldAccess& access) const {
  // Resolve query tokens against the dictionary (exact-token fast path when scoring).
  std::vector<uint32_t> dict_ids(q.tokens.size(), UINT32_MAX);
  for (size_t i = 0; i < q.tokens.size(); ++i) {
    auto it = token_ids.find(q.tokens[i].text);
    if (it != token_ids.end()) dict_ids[i] = it->second;
  }

  // ---- Candidate generation. Each hit carries flags saying which names it agreed on.
  constexpr uint8_t kNamePair = 1;  // Name channels: both names agree (normal or swapped).
  constexpr uint8_t kFamN = 2;      // Birth-date channel, normal reading: family name agrees.
  constexpr uint8_t kGivN = 4;      //   ... given name agrees.
  constexpr uint8_t kFamS = 8;      // Swapped reading: a stored family name agrees with a
  constexpr uint8_t kGivS = 16;     //   query given name / a stored given name with the family.
  struct Hit {
    uint32_t id;
    uint8_t flags;
    bool hidden;  // From a hidden-field table.
  };
  std::vector<Hit> hits;
  // True if entry `e` may be within reach of one of the query names in `wanted`. A query
  // initial (one letter) agrees with every name in the list keyed by that first letter.
  auto passes = [&q](const Entry& e, const std::vector<size_t>& wanted, End end, uint32_t letter) {
    for (size_t i : wanted) {
      const QueryToken& t = q.tokens[i];
      if (e.code == t.c1 || e.code == t.c2) return true;
      if (SigClose(t.codes.sig, t.cps.size(), e.sig, e.len)) return true;
      if (t.cps.size() == 1 && end == kHead && letter == t.codes.first) return true;
    }
    return false;
  };
  auto scan = [&](int channel, uint64_t key, auto&& flags_of) {
    for (int hidden = 0; hidden < 2; ++hidden) {
      tables[channel][hidden].ForEach(key, [&](const Entry& e) {
        const uint8_t f = flags_of(e);
        if (f != 0) hits.push_back({e.id, f, hidden != 0});
      });
    }
  };
  // Name channels for one reading: `fam` as family names, `giv` (first given name and its
  // formal names) as given names.
  auto name_lookups = [&](const std::vector<size_t>& fam, const std::vector<size_t>& giv) {
    for (size_t fi : fam) {
      const QueryToken& f = q.tokens[fi];
      for (size_t gi : giv) {
        const QueryToken& g = q.tokens[gi];
        for (End end : {kHead, kTail, kSound}) {
          const uint64_t g_end = end == kHead   ? g.codes.head
                                 : end == kTail ? g.codes.tail
                                                : g.codes.dm1;
          const uint64_t f_end = end == kHead   ? f.codes.head
                                 : end == kTail ? f.codes.tail
                                                : f.codes.dm1;
          scan(0, Key(kFamilyName, f.codes.text_hash, end, g_end),
               [&](const Entry& e) { return passes(e, giv, kTail, 0) ? kNamePair : uint8_t{0}; });
          scan(1, Key(kGivenName, g.codes.text_hash, end, f_end),
               [&](const Entry& e) { return passes(e, fam, kTail, 0) ? kNamePair : uint8_t{0}; });
          if (end == kSound) {
            if (g.codes.dm2 != g.codes.dm1) {
              scan(0, Key(kFamilyName, f.codes.text_hash, end, g.codes.dm2), [&](const Entry& e) {
                return passes(e, giv, kTail, 0) ? kNamePair : uint8_t{0};
              });
            }
            if (f.codes.dm2 != f.codes.dm1) {
              scan(1, Key(kGivenName, g.codes.text_hash, end, f.codes.dm2), [&](const Entry& e) {
                return passes(e, fam, kTail, 0) ? kNamePair : uint8_t{0};
              });
            }
          }
        }
      }
    }
  };
  // With a date of birth in the query, names alone score at most
  // 100 * (kFamilyWeight + kGivenWeight) / 100 + kPostcodeBonus = 65 < kMatchThreshold: only a
  // child whose date of birth is one of the accepted variants can match, and those are all in
  // the birth-date channel. The name channels serve queries without a date of birth.
  static_assert(kFamilyWeight + kGivenWeight + kPostcodeBonus < kMatchThreshold);
  if (q.has_given && !q.has_dob) {
    name_lookups(q.family, q.given_first);
    name_lookups(q.given, q.family_as_given);
  }
  std::vector<size_t> giv_normal = q.given;
  for (size_t i : q.given_first) AddUnique(giv_normal, i);
  if (q.has_dob) {
    // Distinct (kind, end, letter) keys over the names of both readings.
    struct DobKey {
      uint64_t kind;
      End end;
      uint32_t letter;
      bool operator==(const DobKey&) const = default;
    };
    std::vector<DobKey> keys;
    // Names as typed get both first- and last-letter keys (a typo may hit either end); the
    // swapped reading, where names are exchanged rather than misspelt, only the first letter.
    auto add_keys = [&](uint64_t kind, const std::vector<size_t>& list, bool both_ends) {
      for (size_t i : list) {
        const DobKey head{kind, kHead, q.tokens[i].codes.first};
        const DobKey tail{kind, kTail, q.tokens[i].codes.last};
        if (std::find(keys.begin(), keys.end(), head) == keys.end()) keys.push_back(head);
        if (both_ends && std::find(keys.begin(), keys.end(), tail) == keys.end()) {
          keys.push_back(tail);
        }
      }
    };
    add_keys(0, q.family, true);
    if (q.has_given) {
      add_keys(1, giv_normal, true);
      add_keys(0, q.given, false);
      add_keys(1, q.family_as_given, false);
    }
    for (const auto& [days, credit] : q.dob_variants) {
      (void)credit;
      const auto d = static_cast<uint32_t>(days);
      for (const DobKey& k : keys) {
        scan(2, Key(kBirthDate, d, k.kind, k.end, k.letter), [&](const Entry& e) -> uint8_t {
          uint8_t f = 0;
          if (k.kind == 0) {
            if (passes(e, q.family, k.end, k.letter)) f |= kFamN;
            if (q.has_given && passes(e, q.given, k.end, k.letter)) f |= kFamS;
          } else {
            if (passes(e, giv_normal, k.end, k.letter)) f |= kGivN;
            if (passes(e, q.family_as_given, k.end, k.letter)) f |= kGivS;
          }
          return f;
        });
      }
    }
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.id < b.id; });

  auto can_see = [&](const ChildRec& r) {
    if ((r.flags & kShieldedFlag) == 0) return true;
    return access.CanSeeHidden(r.uin, authorities[r.authority]);
  };
  // A hit is a candidate if the names it agreed on could reach the threshold: from the name
  // channels always; from the birth-date channel, with a given name in the query, both names
  // must agree in one reading (with the date worth at most 40, family alone gives at most 70).
  auto enough = [&q](uint8_t f) {
    if (f & kNamePair) return true;
    if (!q.has_given) return (f & kFamN) != 0;
    return ((f & kFamN) && (f & kGivN)) || ((f & kFamS) && (f & kGivS));
  };
  struct Candidate {
    uint32_t id;
    bool sees;
  };
  std::vector<Candidate> candidates;
  // The loops below touch one child record per hit and then its name words: random reads
  // across hundreds of megabytes at national scale, so each costs a cache miss. Prefetching a
  // few hits ahead overlaps those misses instead of paying them one after another.
  constexpr size_t kPrefetchAhead = 8;
  for (size_t i = 0; i < hits.size();) {
    if (i + kPrefetchAhead < hits.size()) __builtin_prefetch(&records[hits[i + kPrefetchAhead].id]);
    const uint32_t id = hits[i].id;
    uint8_t visible = 0;
    uint8_t hidden = 0;
    for (; i < hits.size() && hits[i].id == id; ++i) {
      (hits[i].hidden ? hidden : visible) |= hits[i].flags;
    }
    const ChildRec& r = records[id];
    if ((r.flags & kDeadFlag) != 0) continue;
    // Hidden-table hits count only for a viewer allowed to see the child's hidden fields; the
    // decision for anyone else depends on visible fields alone.
    if (enough(visible)) {
      candidates.push_back({id, can_see(r)});
    } else if (hidden != 0 && enough(visible | hidden) && can_see(r)) {
      candidates.push_back({id, true});
    }
  }

  // ---- Scoring.
  thread_local CreditMemo memo;
  memo.NewQuery();
  auto credit = [&](size_t qi, uint32_t token, bool given_role) -> float {
    const uint64_t key = (uint64_t{qi} << 32) | (given_role ? (1ull << 31) : 0) | token;
    float v;
    size_t slot;
    if (memo.Lookup(key, &v, &slot)) return v;
    const QueryToken& qt = q.tokens[qi];
    if (dict_ids[qi] == token) {
      v = 1.0f;
    } else {
      const std::string_view rt = TokenText(token);
      const TokenCodes& rc = tokens[token].codes;
      const std::u32string_view rcps = TokenCodePoints(token);
      const size_t min_len = std::min(qt.cps.size(), rcps.size());
      const size_t max_len = std::max(qt.cps.size(), rcps.size());
      const bool phonetic =
          qt.codes.dm1 == rc.dm1 || qt.codes.dm1 == rc.dm2 || qt.codes.dm2 == rc.dm1;
      // Each edit changes at most three letter pairs on each side, so names whose bigram
      // signatures differ in more than 12 bits are more than two edits apart and, unless they
      // sound alike, not worth the metrics. Nor is a pair more than twice as long as the other.
      const bool near = std::popcount(qt.codes.sig ^ rc.sig) <= 12 && 2 * min_len >= max_len;
      const double jw = (near || phonetic) ? JaroWinklerSimilarity(qt.cps, rcps) : 0.0;
      if (given_role && AreNicknameRelated(qt.text, rt)) {
        v = 0.9f;
      } else if (!near && !(qt.cps.size() == 1 && min_len == 1)) {
        v = phonetic && jw >= 0.75                                          ? 0.85f
            : (qt.cps.size() == 1 && !rcps.empty() && rcps[0] == qt.cps[0]) ? 0.5f
                                                                            : 0.0f;
      } else if (phonetic && jw >= 0.75) {
        v = 0.85f;
      } else {
        const size_t d = OsaDistance(qt.cps, rcps);
        if (d == 1 && min_len >= 4) {
          v = 0.85f;
        } else if (d == 2 && max_len >= 6) {
          v = 0.7f;
        } else if (jw >= 0.9) {
          v = 0.7f;
        } else if (d == 1) {
          v = 0.6f;
        } else if (d == 2 && max_len == 5) {
          v = 0.5f;
        } else if (qt.cps.size() == 1 && !rcps.empty() && rcps[0] == qt.cps[0]) {
          v = 0.5f;  // An initial.
        } else {
          v = 0.0f;
        }
      }
    }
    memo.Store(slot, key, v);
    return v;
  };

  std::vector<SearchMatch> matches;
  const double denominator =
      kFamilyWeight + (q.has_given ? kGivenWeight : 0) + (q.has_dob ? kDobWeight : 0);
  for (size_t ci = 0; ci < candidates.size(); ++ci) {
    if (ci + kPrefetchAhead < candidates.size()) {
      __builtin_prefetch(&records[candidates[ci + kPrefetchAhead].id]);
    }
    // The record two steps ahead has been fetched by now: fetch its name words.
    if (ci + 2 < candidates.size()) {
      __builtin_prefetch(names.Pointer(records[candidates[ci + 2].id].names));
    }
    const Candidate& c = candidates[ci];
    const ChildRec& r = records[c.id];
    const uint32_t* w = names.Pointer(r.names);
    const uint32_t n = w[0];
    double fam = 0, giv = 0, fam_swapped = 0, giv_swapped = 0;
    for (uint32_t i = 1; i <= n; ++i) {
      const uint32_t word = w[i];
      if ((word & kAltBit) && !c.sees) continue;  // Hidden: absent for this viewer.
      const uint32_t t = word & kTokenMask;
      if (word & kFamilyBit) {
        for (size_t qi : q.family) fam = std::max<double>(fam, credit(qi, t, false));
        for (size_t qi : q.given) fam_swapped = std::max<double>(fam_swapped, credit(qi, t, false));
      } else {
        const bool record_first = (word & kFirstBit) != 0;
        for (size_t k = 0; k < q.given.size(); ++k) {
          double v = credit(q.given[k], t, true);
          if (!(k == 0 && record_first)) v *= kNotFirstGivenFactor;
          giv = std::max(giv, v);
        }
        for (size_t qi : q.family) giv_swapped = std::max<double>(giv_swapped, credit(qi, t, true));
      }
    }
    double names_score = kFamilyWeight * fam + (q.has_given ? kGivenWeight * giv : 0);
    if (q.has_given) {
      names_score = std::max(
          names_score, kSwappedFactor * (kFamilyWeight * fam_swapped + kGivenWeight * giv_swapped));
    }
    double dob = 0;
    if (q.has_dob) {
      for (const auto& [days, cr] : q.dob_variants) {
        if (r.dob == days) dob = std::max<double>(dob, cr);
      }
    }
    double score = 100.0 * (names_score + kDobWeight * dob) / denominator;
    if (IsMaleOrFemale(q.gender) && IsMaleOrFemale(r.gender) && q.gender != r.gender) {
      score -= kGenderPenalty;
    }
    const bool postcode_visible = (r.flags & kShieldedFlag) == 0 || c.sees;
    if (q.postcode != 0 && r.postcode != 0 && postcode_visible) {
      if (q.postcode == r.postcode) {
        score += kPostcodeBonus;
      } else if (PackedOutward(q.postcode) != 0 &&
                 PackedOutward(q.postcode) == PackedOutward(r.postcode)) {
        score += kOutwardBonus;
      } else {
        score -= kPostcodePenalty;
      }
    }
    const int s = static_cast<int>(std::lround(std::clamp(score, 0.0, 100.0)));
    if (s < kMatchThreshold) continue;
    matches.push_back({r.uin, s, ConfidenceBandForScore(s)});
    // Refused already: the response is fixed, whatever the remaining candidates score.
    if (matches.size() > limit) break;
  }

  SearchResponse response;
  if (matches.size() > limit) {
    response.outcome = SearchOutcome::kTooManyMatches;
    return response;
  }
  std::sort(matches.begin(), matches.end(), [](const SearchMatch& a, const SearchMatch& b) {
    return a.score != b.score ? a.score > b.score : a.uin < b.uin;
  });
  response.matches = std::move(matches);
  return response;
}

// ---------------------------------------------------------------------------------------------

SearchIndex::SearchIndex() : impl_(std::make_unique<Impl>()) {}
SearchIndex::~SearchIndex() = default;

void SearchIndex::Upsert(const IndexedChild& child) {
  const PreparedChild p = Prepare(child);  // Outside the lock: normalising is the slow part.
  WriteGuard guard(impl_->lock);
  const size_t slot = impl_->FindUinSlot(child.uin);
  if (slot != SIZE_MAX) impl_->Kill(slot);
  const uint32_t id = impl_->Append(p);
  impl_->InsertUin(child.uin, id);
}

bool SearchIndex::Remove(uint64_t uin) {
  WriteGuard guard(impl_->lock);
  const size_t slot = impl_->FindUinSlot(uin);
  if (slot == SIZE_MAX) return false;
  impl_->Kill(slot);
  return true;
}

cp::Result<SearchResponse> SearchIndex::Search(const SearchCriteria& criteria, size_t limit,
                                               const HiddenFieldAccess& access) const {
  CP_RETURN_IF_ERROR(ValidateCriteria(criteria));
  const PreparedQuery q = PrepareQuery(criteria);  // Outside the lock.
  ReadGuard guard(impl_->lock);
  return impl_->Run(q, limit, access);
}

size_t SearchIndex::Compact() {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> one_at_a_time(m.compact_mu);
  // 1. Under the write lock (microseconds): take the slots killed so far and set the deltas
  // aside. Every posting of those slots is now in a base or a frozen delta: postings are only
  // written when a child is appended, and a killed slot is not reused until step 3.
  std::vector<uint32_t> purge;
  size_t slots = 0;
  {
    WriteGuard guard(m.lock);
    if (m.killed.empty()) return 0;
    purge.swap(m.killed);
    slots = m.records.size();
    for (auto& channel : m.tables) {
      for (PostingTable& t : channel) t.Freeze();
    }
  }
  std::vector<uint64_t> dead((slots + 63) / 64, 0);
  for (uint32_t id : purge) dead[id >> 6] |= uint64_t{1} << (id & 63);
  // 2. Without the lock (searches and writes go on): rebuild each table's base without those
  // slots and with its frozen delta merged in; only the base and the frozen delta are read,
  // and nothing else writes them. Then install it under the write lock (a move).
  for (auto& channel : m.tables) {
    for (PostingTable& t : channel) {
      PostingTable::Base base = t.Compacted(dead);
      WriteGuard guard(m.lock);
      t.Install(std::move(base));
    }
  }
  // 3. No posting refers to the purged slots any more: they may take new children.
  WriteGuard guard(m.lock);
  for (uint32_t id : purge) {
    m.records[id].flags |= kFreeFlag;
    m.free_slots.push_back(id);
  }
  return purge.size();
}

size_t SearchIndex::garbage_slots() const {
  ReadGuard guard(impl_->lock);
  return impl_->killed.size();
}

size_t SearchIndex::size() const {
  ReadGuard guard(impl_->lock);
  return impl_->live;
}

IndexStats SearchIndex::Stats() const {
  ReadGuard guard(impl_->lock);
  const Impl& m = *impl_;
  IndexStats s;
  s.live_children = m.live;
  s.slots = m.records.size();
  s.distinct_tokens = m.tokens.size();
  s.child_table_bytes = m.records.bytes();
  s.name_bytes = m.names.bytes();
  for (const auto& channel : m.tables) {
    for (const PostingTable& t : channel) {
      s.postings += t.postings();
      s.posting_bytes += t.bytes();
      s.posting_directory_bytes += t.directory_bytes();
    }
  }
  // Dictionary: token text, token info, and the hash map (about 64 bytes per node).
  s.dictionary_bytes = m.text.capacity() + m.cps.capacity() * sizeof(char32_t) +
                       m.tokens.capacity() * sizeof(Impl::TokenInfo) + m.token_ids.size() * 64 +
                       m.token_ids.bucket_count() * 8 + m.authorities.size() * 64;
  s.uin_map_bytes = m.uin_slots.capacity() * 4;
  s.free_slots = m.free_slots.size();
  s.garbage_slots = m.records.size() - m.live - m.free_slots.size();
  s.dictionary_bytes += m.formal_ids.capacity() * 4;
  s.total_bytes =
      s.child_table_bytes + s.name_bytes + s.posting_bytes + s.dictionary_bytes + s.uin_map_bytes;
  return s;
}

// ---------------------------------------------------------------------------------------------

SearchIndex::Builder::Builder() : index_(std::make_unique<SearchIndex>()) {
  index_->impl_->bulk = true;
}
SearchIndex::Builder::~Builder() = default;

cp::Status SearchIndex::Builder::Add(const IndexedChild& child) {
  Impl& m = *index_->impl_;
  if (m.FindUinSlot(child.uin) != SIZE_MAX) {
    return cp::Status::AlreadyExists("duplicate uin", "uin");
  }
  const uint32_t id = m.Append(Prepare(child));
  m.InsertUin(child.uin, id);
  return cp::Status::Ok();
}

cp::Status SearchIndex::Builder::AddBatch(std::span<const IndexedChild> children, int threads) {
  const size_t workers = static_cast<size_t>(std::clamp(threads, 1, 16));
  // Runs fn(w) for w in [0, workers), on `workers` threads.
  auto parallel = [workers](auto&& fn) {
    std::vector<std::thread> pool;
    for (size_t w = 1; w < workers; ++w) pool.emplace_back(fn, w);
    fn(size_t{0});
    for (std::thread& t : pool) t.join();
  };
  // 1. Normalise (parallel).
  std::vector<PreparedChild> prepared(children.size());
  Impl& m = *index_->impl_;
  parallel([&](size_t w) {
    for (size_t i = w; i < children.size(); i += workers) {
      prepared[i] = Prepare(children[i]);
      m.LookUpTokens(prepared[i]);  // Read-only: the dictionary changes only in step 2.
    }
  });
  // 2. Intern new words and store the records (sequential: one dictionary, one uin map).
  bool duplicates = false;
  std::vector<uint32_t> slots;
  slots.reserve(prepared.size());
  for (const PreparedChild& p : prepared) {
    uint32_t id = 0;
    if (m.FindOrInsertUin(p.uin, [&] { return id = m.AppendRecord(p); })) {
      duplicates = true;
      continue;
    }
    slots.push_back(id);
  }
  // 3. Postings (parallel): each thread stages a contiguous share of the children into its own
  // shard of every table; nothing else is written meanwhile.
  for (auto& channel : m.tables) {
    for (PostingTable& t : channel) t.SetStageShards(workers);
  }
  parallel([&](size_t w) {
    const size_t begin = slots.size() * w / workers;
    const size_t end = slots.size() * (w + 1) / workers;
    for (size_t i = begin; i < end; ++i) {
      m.EmitPostings(slots[i], [&m, w](int table, uint64_t key, const Entry& e) {
        m.tables[table / 2][table % 2].Stage(w, key, e);
      });
    }
  });
  return duplicates ? cp::Status::AlreadyExists("duplicate uin", "uin") : cp::Status::Ok();
}

std::unique_ptr<SearchIndex> SearchIndex::Builder::Finish() {
  Impl& m = *index_->impl_;
  // The tables are independent: lay them out on two threads.
  std::thread helper([&m] {
    m.tables[0][0].FinishStaging();
    m.tables[0][1].FinishStaging();
    m.tables[2][1].FinishStaging();
  });
  m.tables[1][0].FinishStaging();
  m.tables[1][1].FinishStaging();
  m.tables[2][0].FinishStaging();
  helper.join();
  m.bulk = false;
  std::unique_ptr<SearchIndex> out = std::move(index_);
  index_ = std::make_unique<SearchIndex>();
  index_->impl_->bulk = true;
  return out;
}

}  // namespace cp::search
