#include "web/form.h"

#include <gtest/gtest.h>

namespace cp::web {
namespace {

TEST(FormTest, DecodesPercentEscapesAndPlus) {
  auto form = FormData::Parse("username=j.smith&password=a+b%2Bc%26d%3D&note=caf%C3%A9");
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(form->Value("username"), "j.smith");
  EXPECT_EQ(form->Value("password"), "a b+c&d=");
  EXPECT_EQ(form->Value("note"), "café");
  EXPECT_EQ(form->fields().size(), 3u);
}

TEST(FormTest, DecodesNamesToo) {
  auto form = FormData::Parse("crb_check_date%2Dday=7&a+b=1");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->Value("crb_check_date-day"), "7");
  EXPECT_EQ(form->Value("a b"), "1");
}

TEST(FormTest, RepeatedNamesKeepEveryValueInOrder) {
  auto form = FormData::Parse("roles=practitioner&x=1&roles=shielder&roles=dpo");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->All("roles"), (std::vector<std::string>{"practitioner", "shielder", "dpo"}));
  EXPECT_EQ(form->Value("roles"), "practitioner");
  EXPECT_TRUE(form->All("missing").empty());
}

TEST(FormTest, MissingEmptyAndBareNames) {
  auto form = FormData::Parse("a=&b&&c=3&");
  ASSERT_TRUE(form.ok());
  EXPECT_TRUE(form->Has("a"));
  EXPECT_EQ(form->Get("a"), std::optional<std::string_view>(""));
  EXPECT_TRUE(form->Has("b"));
  EXPECT_EQ(form->Value("b"), "");
  EXPECT_FALSE(form->Has("d"));
  EXPECT_EQ(form->Get("d"), std::nullopt);
  EXPECT_EQ(form->Value("d"), "");
  EXPECT_EQ(form->fields().size(), 3u);
  EXPECT_TRUE(FormData::Parse("")->fields().empty());
}

TEST(FormTest, ValueMayContainEquals) {
  auto form = FormData::Parse("t=a=b");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->Value("t"), "a=b");
}

TEST(FormTest, KeepsNewlinesFromTextareas) {
  auto form = FormData::Parse("allowed_networks=10.0.0.0%2F8%0D%0A192.0.2.0%2F24");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->Value("allowed_networks"), "10.0.0.0/8\r\n192.0.2.0/24");
}

TEST(FormTest, RefusesMalformedEscapesAndNul) {
  for (std::string_view body : {"a=%", "a=%4", "a=%zz", "a=%4g", "%=1", "a=x%00y", "a%00=1"}) {
    auto form = FormData::Parse(body);
    ASSERT_FALSE(form.ok()) << body;
    EXPECT_EQ(form.status().code(), StatusCode::kInvalidArgument) << body;
    EXPECT_EQ(form.status().field(), "form") << body;
  }
}

TEST(FormTest, EnforcesLimits) {
  FormLimits limits;
  limits.max_body_bytes = 20;
  limits.max_fields = 3;
  limits.max_value_bytes = 5;
  EXPECT_TRUE(FormData::Parse("a=1&b=2&c=3", limits).ok());
  EXPECT_FALSE(FormData::Parse("a=1&b=2&c=3&d=4", limits).ok());     // Too many fields.
  EXPECT_FALSE(FormData::Parse("a=123456", limits).ok());            // Value too long.
  EXPECT_TRUE(FormData::Parse("a=%41%41%41%41%41", limits).ok());    // 5 bytes decoded.
  EXPECT_FALSE(FormData::Parse("abcdef=1", limits).ok());            // Name too long.
  EXPECT_FALSE(FormData::Parse(std::string(21, 'a'), limits).ok());  // Body too long.
  EXPECT_FALSE(FormData::Parse(std::string(70 * 1024, 'a')).ok());   // Default body limit.
}

TEST(FormTest, RecognisesTheContentType) {
  EXPECT_TRUE(IsFormContentType("application/x-www-form-urlencoded"));
  EXPECT_TRUE(IsFormContentType("Application/X-WWW-Form-URLEncoded; charset=UTF-8"));
  EXPECT_TRUE(IsFormContentType(" application/x-www-form-urlencoded ;charset=utf-8"));
  EXPECT_FALSE(IsFormContentType("multipart/form-data; boundary=x"));
  EXPECT_FALSE(IsFormContentType("application/json"));
  EXPECT_FALSE(IsFormContentType(""));
  EXPECT_FALSE(IsFormContentType("application/x-www-form-urlencodedx"));
}

}  // namespace
}  // namespace cp::web
