#include "web/multipart.h"

#include <gtest/gtest.h>

#include <string>

namespace cp::web {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=----cpBoundary7MA4";

std::string Body(std::string_view file_bytes) {
  return "------cpBoundary7MA4\r\n"
         "Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
         "tok-123\r\n"
         "------cpBoundary7MA4\r\n"
         "Content-Disposition: form-data; name=\"document\"; filename=\"a \\\"b\\\".pdf\"\r\n"
         "Content-Type: application/pdf\r\n\r\n" +
         std::string(file_bytes) +
         "\r\n"
         "------cpBoundary7MA4--\r\n";
}

TEST(MultipartTest, SplitsFieldsAndFilesKeepingBinaryBytes) {
  const std::string bytes("%PDF-1.4\r\n\0\xff--x\r\n--", 19);
  auto parts = ParseMultipart(kType, Body(bytes));
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);
  const MultipartPart* token = FindPart(*parts, "csrf_token");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->data, "tok-123");
  EXPECT_TRUE(token->filename.empty());
  const MultipartPart* file = FindPart(*parts, "document");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->filename, "a \"b\".pdf");
  EXPECT_EQ(file->content_type, "application/pdf");
  EXPECT_EQ(file->data, bytes);
  EXPECT_EQ(FindPart(*parts, "missing"), nullptr);
}

TEST(MultipartTest, AcceptsAQuotedBoundaryAndAnyCase) {
  EXPECT_TRUE(IsMultipartContentType("Multipart/Form-Data; boundary=x"));
  EXPECT_FALSE(IsMultipartContentType("application/x-www-form-urlencoded"));
  auto parts = ParseMultipart("multipart/form-data; boundary=\"----cpBoundary7MA4\"", Body("x"));
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->size(), 2u);
}

TEST(MultipartTest, RefusesMalformedBodies) {
  const std::string good = Body("x");
  // Not multipart, or no boundary.
  EXPECT_EQ(ParseMultipart("text/plain", good).status().field(), "form");
  EXPECT_FALSE(ParseMultipart("multipart/form-data", good).ok());
  EXPECT_FALSE(ParseMultipart("multipart/form-data; boundary=", good).ok());
  // Wrong boundary, no terminator, truncated headers.
  EXPECT_FALSE(ParseMultipart("multipart/form-data; boundary=other", good).ok());
  EXPECT_FALSE(ParseMultipart(kType, good.substr(0, good.size() - 26)).ok());
  EXPECT_FALSE(ParseMultipart(kType, "------cpBoundary7MA4\r\nContent-Disposition: form").ok());
  // A part without a name, or not form-data.
  EXPECT_FALSE(ParseMultipart(kType,
                              "------cpBoundary7MA4\r\nContent-Type: text/plain\r\n\r\nx\r\n"
                              "------cpBoundary7MA4--")
                   .ok());
  EXPECT_FALSE(ParseMultipart(kType,
                              "------cpBoundary7MA4\r\nContent-Disposition: attachment; "
                              "name=\"a\"\r\n\r\nx\r\n------cpBoundary7MA4--")
                   .ok());
  // Too many parts.
  EXPECT_FALSE(ParseMultipart(kType, good, 1).ok());
}

}  // namespace
}  // namespace cp::web
