#include "linkage/comparison.h"

#include <gtest/gtest.h>

namespace cp::linkage {
namespace {

TEST(MatcherTest, Placeholder) { EXPECT_EQ(NameLevelName(NameLevel::kExact), "exact"); }

}  // namespace
}  // namespace cp::linkage
