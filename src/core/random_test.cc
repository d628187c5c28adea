#include "core/random.h"

#include <gtest/gtest.h>

#include <set>

namespace cp {
namespace {

TEST(RandomTest, SeededIsDeterministic) {
  SeededRandom a(42), b(42), c(43);
  EXPECT_EQ(a.NextU64(), b.NextU64());
  EXPECT_NE(a.NextU64(), c.NextU64());
}

TEST(RandomTest, UniformStaysInRangeAndCoversIt) {
  SeededRandom r(7);
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    uint64_t v = r.Uniform(6);
    ASSERT_LT(v, 6u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 6u);
}

TEST(RandomTest, SecureRandomProducesDistinctTokens) {
  SecureRandom r;
  EXPECT_NE(r.Bytes(32), r.Bytes(32));
  EXPECT_EQ(r.Bytes(32).size(), 32u);
}

TEST(RandomTest, NextDoubleInUnitInterval) {
  SeededRandom r(1);
  for (int i = 0; i < 1000; ++i) {
    double d = r.NextDouble();
    ASSERT_GE(d, 0.0);
    ASSERT_LT(d, 1.0);
  }
}

}  // namespace
}  // namespace cp
