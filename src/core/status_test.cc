#include "core/status.h"

#include <gtest/gtest.h>

#include "core/result.h"

namespace cp {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, CarriesCodeMessageAndField) {
  Status s = Status::InvalidArgument("must not be empty", "family_name");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "must not be empty");
  EXPECT_EQ(s.field(), "family_name");
  EXPECT_EQ(s.ToString(), "invalid_argument: must not be empty [family_name]");
}

Result<int> Half(int v) {
  if (v % 2 != 0) return Status::InvalidArgument("odd", "v");
  return v / 2;
}

Result<int> Quarter(int v) {
  CP_ASSIGN_OR_RETURN(int h, Half(v));
  CP_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(ResultTest, PropagatesValueAndError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> bad = Quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "v");
}

TEST(ResultTest, OkStatusWithoutValueBecomesInternal) {
  Result<int> r{Status::Ok()};
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace cp
