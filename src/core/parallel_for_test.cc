#include "core/parallel_for.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace cp {
namespace {

// Every index is visited exactly once, whatever the size and the split.
TEST(ParallelForTest, VisitsEveryIndexExactlyOnce) {
  for (size_t n : {0u, 1u, 5u, 255u, 256u, 257u, 1000u, 4099u}) {
    std::vector<std::atomic<int>> seen(n);
    ParallelFor(n, [&](size_t begin, size_t end) {
      ASSERT_LE(begin, end);
      for (size_t i = begin; i < end; ++i) seen[i].fetch_add(1);
    });
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(seen[i].load(), 1) << "n=" << n << " i=" << i;
  }
}

TEST(ParallelForTest, SmallInputsRunOnTheCallersThreadInOneRange) {
  int calls = 0;
  ParallelFor(10, [&](size_t begin, size_t end) {
    ++calls;  // No other thread: a plain int is safe.
    EXPECT_EQ(begin, 0u);
    EXPECT_EQ(end, 10u);
  });
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace cp
