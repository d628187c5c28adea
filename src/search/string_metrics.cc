#include "search/string_metrics.h"

#include <algorithm>
#include <map>
#include <memory>
#include <numeric>
#include <vector>

#include "search/text.h"

namespace cp::search {

size_t LevenshteinDistance(std::u32string_view a, std::u32string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  // One row of the DP table over the shorter string.
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[b.size()];
}

size_t DamerauLevenshteinDistance(std::u32string_view a, std::u32string_view b) {
  // Lowrance-Wagner: table with a sentinel row/column holding "infinity" (len(a) + len(b)),
  // and for each character the last row in which it occurred in `a`.
  const size_t n = a.size();
  const size_t m = b.size();
  const size_t inf = n + m;
  const size_t w = m + 2;
  std::vector<size_t> d((n + 2) * w);
  auto at = [&d, w](size_t i, size_t j) -> size_t& { return d[i * w + j]; };
  at(0, 0) = inf;
  for (size_t i = 0; i <= n; ++i) {
    at(i + 1, 0) = inf;
    at(i + 1, 1) = i;
  }
  for (size_t j = 0; j <= m; ++j) {
    at(0, j + 1) = inf;
    at(1, j + 1) = j;
  }
  std::map<char32_t, size_t> last_row;
  for (size_t i = 1; i <= n; ++i) {
    size_t last_match_col = 0;
    for (size_t j = 1; j <= m; ++j) {
      auto it = last_row.find(b[j - 1]);
      const size_t i1 = it == last_row.end() ? 0 : it->second;
      const size_t j1 = last_match_col;
      size_t cost = 1;
      if (a[i - 1] == b[j - 1]) {
        cost = 0;
        last_match_col = j;
      }
      at(i + 1, j + 1) = std::min({at(i, j) + cost, at(i + 1, j) + 1, at(i, j + 1) + 1,
                                   at(i1, j1) + (i - i1 - 1) + 1 + (j - j1 - 1)});
    }
    last_row[a[i - 1]] = i;
  }
  return at(n + 1, m + 1);
}

size_t OsaDistance(std::u32string_view a, std::u32string_view b) {
  const size_t n = a.size();
  const size_t m = b.size();
  // Three rolling rows: i-2, i-1, i. On the stack for names; the heap for long text.
  constexpr size_t kStack = 64;
  size_t stack[3][kStack + 1];
  std::vector<size_t> heap;
  size_t* r0;
  size_t* r1;
  size_t* r2;
  if (m <= kStack) {
    r0 = stack[0];
    r1 = stack[1];
    r2 = stack[2];
  } else {
    heap.resize(3 * (m + 1));
    r0 = heap.data();
    r1 = r0 + m + 1;
    r2 = r1 + m + 1;
  }
  for (size_t j = 0; j <= m; ++j) r1[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    r2[0] = i;
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t v = std::min({r1[j] + 1, r2[j - 1] + 1, r1[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, r0[j - 2] + 1);
      }
      r2[j] = v;
    }
    std::swap(r0, r1);
    std::swap(r1, r2);
  }
  return r1[m];
}

double JaroSimilarity(std::u32string_view a, std::u32string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const size_t longer = std::max(a.size(), b.size());
  const size_t window = longer / 2 >= 1 ? longer / 2 - 1 : 0;
  // Match flags on the stack for names; the heap for long text.
  constexpr size_t kStack = 64;
  bool stack_a[kStack] = {};
  bool stack_b[kStack] = {};
  std::unique_ptr<bool[]> heap;
  bool* a_matched = stack_a;
  bool* b_matched = stack_b;
  if (longer > kStack) {
    heap = std::make_unique<bool[]>(a.size() + b.size());  // Value-initialised (false).
    a_matched = heap.get();
    b_matched = a_matched + a.size();
  }
  size_t matches = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(b.size(), i + window + 1);
    for (size_t j = lo; j < hi; ++j) {
      if (!b_matched[j] && a[i] == b[j]) {
        a_matched[i] = b_matched[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  // Half the number of matched characters that appear in a different order.
  size_t transposed = 0;
  size_t j = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[j]) ++j;
    if (a[i] != b[j]) ++transposed;
    ++j;
  }
  // Half the out-of-order count, rounded down (integer division, as in Winkler's strcmp95).
  const double m = static_cast<double>(matches);
  const double t = static_cast<double>(transposed / 2);
  return (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) + (m - t) / m) /
         3.0;
}

double JaroWinklerSimilarity(std::u32string_view a, std::u32string_view b) {
  const double jaro = JaroSimilarity(a, b);
  if (jaro <= 0.7) return jaro;
  size_t prefix = 0;
  const size_t max_prefix = std::min({a.size(), b.size(), size_t{4}});
  while (prefix < max_prefix && a[prefix] == b[prefix]) ++prefix;
  return jaro + 0.1 * static_cast<double>(prefix) * (1.0 - jaro);
}

size_t LevenshteinDistance(std::string_view a, std::string_view b) {
  return LevenshteinDistance(DecodeUtf8(a), DecodeUtf8(b));
}
size_t DamerauLevenshteinDistance(std::string_view a, std::string_view b) {
  return DamerauLevenshteinDistance(DecodeUtf8(a), DecodeUtf8(b));
}
size_t OsaDistance(std::string_view a, std::string_view b) {
  return OsaDistance(DecodeUtf8(a), DecodeUtf8(b));
}
double JaroSimilarity(std::string_view a, std::string_view b) {
  return JaroSimilarity(DecodeUtf8(a), DecodeUtf8(b));
}
double JaroWinklerSimilarity(std::string_view a, std::string_view b) {
  return JaroWinklerSimilarity(DecodeUtf8(a), DecodeUtf8(b));
}

}  // namespace cp::search
