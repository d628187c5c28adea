#include "auth/csrf.h"

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cp::auth {
namespace {

const std::string kKey(32, 'k');
constexpr std::string_view kOrigin = "https://contactpoint.example.gov.uk";

TEST(CsrfTokenTest, DeterministicPerSessionAndKey) {
  const std::string token = CsrfTokenFor("session-hash-1", kKey);
  EXPECT_EQ(token, CsrfTokenFor("session-hash-1", kKey));
  EXPECT_NE(token, CsrfTokenFor("session-hash-2", kKey));
  EXPECT_NE(token, CsrfTokenFor("session-hash-1", std::string(32, 'j')));
  EXPECT_EQ(token.size(), 43u);  // 32 bytes, base64url without padding.
  ASSERT_TRUE(crypto::Base64UrlDecode(token).ok());
  // Domain-separated: not the bare HMAC of the binding.
  EXPECT_NE(*crypto::Base64UrlDecode(token), crypto::HmacSha256(kKey, "session-hash-1"));
}

TEST(CsrfTokenTest, Check) {
  const std::string token = CsrfTokenFor("s", kKey);
  EXPECT_TRUE(CheckCsrf(token, token));
  EXPECT_FALSE(CheckCsrf(token, ""));
  EXPECT_FALSE(CheckCsrf("", ""));
  EXPECT_FALSE(CheckCsrf(token, token.substr(1)));
  EXPECT_FALSE(CheckCsrf(token, token + "x"));
  std::string altered = token;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(CheckCsrf(token, altered));
}

TEST(OriginTest, Normalizes) {
  EXPECT_EQ(NormalizeOrigin("https://example.com"), "https://example.com");
  EXPECT_EQ(NormalizeOrigin("HTTPS://Example.COM"), "https://example.com");
  EXPECT_EQ(NormalizeOrigin("https://example.com:443"), "https://example.com");
  EXPECT_EQ(NormalizeOrigin("http://example.com:80"), "http://example.com");
  EXPECT_EQ(NormalizeOrigin("https://example.com:8443"), "https://example.com:8443");
  EXPECT_EQ(NormalizeOrigin("https://example.com/path?q=1#f"), "https://example.com");
  EXPECT_EQ(NormalizeOrigin("https://example.com?q"), "https://example.com");
  EXPECT_EQ(NormalizeOrigin("http://127.0.0.1:8080/x"), "http://127.0.0.1:8080");
  EXPECT_EQ(NormalizeOrigin("http://[::1]:8080"), "http://[::1]:8080");
  EXPECT_EQ(NormalizeOrigin("http://[::1]"), "http://[::1]");
}

TEST(OriginTest, RejectsMalformed) {
  for (std::string_view bad : {"",
                               "null",
                               "example.com",
                               "//example.com",
                               "ftp://example.com",
                               "javascript://x",
                               "https://",
                               "https://:443",
                               "https://example.com:",
                               "https://example.com:0",
                               "https://example.com:65536",
                               "https://example.com:12a",
                               "https://user@example.com",
                               "https://example.com@evil.com",
                               "https://example.com.",
                               "https://.example.com",
                               "https://exa mple.com",
                               "https://example.com\t",
                               " https://example.com",
                               "https://exa_mple.com",
                               "https://example.com\\@evil.com",
                               "https://-a.com",
                               "https://a-.com",
                               "https://[::1",
                               "https://[zz]"}) {
    EXPECT_EQ(NormalizeOrigin(bad), std::nullopt) << bad;
  }
}

TEST(OriginTest, AllowsOnlyTheExactOrigin) {
  EXPECT_TRUE(OriginAllowed("https://contactpoint.example.gov.uk", kOrigin));
  EXPECT_TRUE(OriginAllowed("https://contactpoint.example.gov.uk:443", kOrigin));
  EXPECT_TRUE(OriginAllowed("https://ContactPoint.Example.gov.uk/search?q=x", kOrigin));
  // Missing and opaque origins.
  EXPECT_FALSE(OriginAllowed("", kOrigin));
  EXPECT_FALSE(OriginAllowed("null", kOrigin));
  // Lookalike hosts.
  EXPECT_FALSE(OriginAllowed("https://contactpoint.example.gov.uk.evil.com", kOrigin));
  EXPECT_FALSE(OriginAllowed("https://evil-contactpoint.example.gov.uk", kOrigin));
  EXPECT_FALSE(OriginAllowed("https://evil.com/https://contactpoint.example.gov.uk", kOrigin));
  EXPECT_FALSE(OriginAllowed("https://contactpoint.example.gov.uk@evil.com", kOrigin));
  EXPECT_FALSE(OriginAllowed("https://example.gov.uk", kOrigin));
  EXPECT_FALSE(OriginAllowed("https://sub.contactpoint.example.gov.uk", kOrigin));
  // Different scheme or port.
  EXPECT_FALSE(OriginAllowed("http://contactpoint.example.gov.uk", kOrigin));
  EXPECT_FALSE(OriginAllowed("https://contactpoint.example.gov.uk:8443", kOrigin));
  EXPECT_TRUE(OriginAllowed("https://localhost:8443", "https://localhost:8443"));
  EXPECT_FALSE(OriginAllowed("https://localhost:8444", "https://localhost:8443"));
  EXPECT_FALSE(OriginAllowed("https://localhost", "https://localhost:8443"));
  // A broken expected origin allows nothing.
  EXPECT_FALSE(OriginAllowed("null", "null"));
  EXPECT_FALSE(OriginAllowed("", ""));
}

TEST(OriginTest, RequestRule) {
  // Origin decides when present, even if Referer would match.
  EXPECT_TRUE(RequestOriginAllowed(kOrigin, std::nullopt, kOrigin));
  EXPECT_FALSE(RequestOriginAllowed("null", std::string(kOrigin) + "/x", kOrigin));
  EXPECT_FALSE(RequestOriginAllowed("https://evil.com", std::string(kOrigin) + "/x", kOrigin));
  // Otherwise Referer.
  EXPECT_TRUE(RequestOriginAllowed(std::nullopt, std::string(kOrigin) + "/children/1", kOrigin));
  EXPECT_FALSE(RequestOriginAllowed(std::nullopt, "https://evil.com/", kOrigin));
  EXPECT_FALSE(RequestOriginAllowed(std::nullopt, "", kOrigin));
  // Neither.
  EXPECT_FALSE(RequestOriginAllowed(std::nullopt, std::nullopt, kOrigin));
}

}  // namespace
}  // namespace cp::auth
