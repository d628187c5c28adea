#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/key_file.h"
#include "crypto/password_hash.h"
#include "crypto/secret_box.h"
#include "crypto/signing.h"

namespace cp::crypto {
namespace {

TEST(EncodingTest, Rfc4648Base32Vectors) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("fo"), "MZXQ");
  EXPECT_EQ(Base32Encode("foo"), "MZXW6");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(*Base32Decode("mzxw6ytboi======"), "foobar");
  EXPECT_EQ(*Base32Decode("MZXW 6YTB OI"), "foobar");
  EXPECT_FALSE(Base32Decode("MZ1W").ok());
}

TEST(EncodingTest, HexAndBase64UrlRoundTrip) {
  std::string bytes("\x00\xff\x10\x7f", 4);
  EXPECT_EQ(HexEncode(bytes), "00ff107f");
  EXPECT_EQ(*HexDecode("00FF107f"), bytes);
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(bytes)), bytes);
  EXPECT_FALSE(Base64UrlDecode("a+b/").ok());
}

TEST(HashTest, KnownVectors) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 2202 test case 2 and RFC 4231 test case 2.
  EXPECT_EQ(HexEncode(HmacSha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HashTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(SigningTest, SignsAndDetectsTampering) {
  SigningKey key = SigningKey::Generate();
  std::string sig = key.Sign("checkpoint 42");
  EXPECT_TRUE(VerifySignature(key.public_key(), "checkpoint 42", sig));
  EXPECT_FALSE(VerifySignature(key.public_key(), "checkpoint 43", sig));
  SigningKey other = SigningKey::Generate();
  EXPECT_FALSE(VerifySignature(other.public_key(), "checkpoint 42", sig));
}

TEST(PasswordHashTest, Argon2idVerifies) {
  auto hash = HashPassword("correct horse battery staple", Argon2Params::ForTests());
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse battery stapler", *hash));
  EXPECT_FALSE(VerifyPassword("anything", "not-a-hash"));
  // Two hashes of one password differ (random salt).
  EXPECT_NE(*hash, *HashPassword("correct horse battery staple", Argon2Params::ForTests()));
}

TEST(SecretBoxTest, SealsBindsPlaceAndDetectsTampering) {
  auto box = SecretBox::FromKey(std::string(32, 'k'));
  ASSERT_TRUE(box.ok());
  std::string sealed = box->Seal("1 Hidden Lane, AB1 2CD", "child:7/address");
  EXPECT_EQ(sealed.find("Hidden"), std::string::npos);
  EXPECT_EQ(*box->Open(sealed, "child:7/address"), "1 Hidden Lane, AB1 2CD");
  EXPECT_FALSE(box->Open(sealed, "child:8/address").ok());
  std::string tampered = sealed;
  tampered.back() = static_cast<char>(tampered.back() ^ 1);
  EXPECT_FALSE(box->Open(tampered, "child:7/address").ok());
  auto other = SecretBox::FromKey(std::string(32, 'x'));
  EXPECT_FALSE(other->Open(sealed, "child:7/address").ok());
}

TEST(KeyFileTest, CreatesOnceWithPrivateModeThenReloads) {
  auto dir = std::filesystem::temp_directory_path() /
             ("cp-key-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "k.key").string();
  auto first = LoadOrCreateKeyFile(path, 32);
  ASSERT_TRUE(first.ok());
  auto perms = std::filesystem::status(path).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::group_all, std::filesystem::perms::none);
  EXPECT_EQ(perms & std::filesystem::perms::others_all, std::filesystem::perms::none);
  EXPECT_EQ(*LoadOrCreateKeyFile(path, 32), *first);
  EXPECT_FALSE(LoadOrCreateKeyFile(path, 16).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cp::crypto
