#include "crypto/secret_box.h"

#include <sodium.h>

#include "crypto/key_file.h"

namespace cp::crypto {

Result<SecretBox> SecretBox::FromKey(std::string_view key) {
  if (key.size() != kKeySize) return Status::InvalidArgument("an encryption key is 32 bytes");
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  return SecretBox(std::string(key));
}

Result<SecretBox> SecretBox::LoadOrCreate(const std::string& key_path) {
  CP_ASSIGN_OR_RETURN(std::string key, LoadOrCreateKeyFile(key_path, kKeySize));
  return FromKey(key);
}

std::string SecretBox::Seal(std::string_view plaintext, std::string_view associated_data) const {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string out(kNonce + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(bytes, kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      bytes + kNonce, &written, reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(), reinterpret_cast<const unsigned char*>(associated_data.data()),
      associated_data.size(), nullptr, bytes, reinterpret_cast<const unsigned char*>(key_.data()));
  out.resize(kNonce + written);
  return out;
}

Result<std::string> SecretBox::Open(std::string_view sealed,
                                    std::string_view associated_data) const {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < kNonce + kTag) return Status::InvalidArgument("sealed value is too short");
  std::string out(sealed.size() - kNonce - kTag, '\0');
  unsigned long long written = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &written, nullptr, bytes + kNonce,
          sealed.size() - kNonce, reinterpret_cast<const unsigned char*>(associated_data.data()),
          associated_data.size(), bytes,
          reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    return Status::InvalidArgument("sealed value failed authentication");
  }
  out.resize(written);
  return out;
}

}  // namespace cp::crypto
