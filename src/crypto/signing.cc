#include "crypto/signing.h"

#include <sodium.h>

#include <cstdlib>

#include "crypto/key_file.h"

namespace cp::crypto {

SigningKey::SigningKey(std::string seed, std::string public_key, std::string secret_key)
    : seed_(std::move(seed)),
      public_key_(std::move(public_key)),
      secret_key_(std::move(secret_key)) {}

Result<SigningKey> SigningKey::FromSeed(std::string_view seed) {
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return Status::InvalidArgument("an Ed25519 seed is 32 bytes");
  }
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  std::string pk(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string sk(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(pk.data()),
                           reinterpret_cast<unsigned char*>(sk.data()),
                           reinterpret_cast<const unsigned char*>(seed.data()));
  return SigningKey(std::string(seed), std::move(pk), std::move(sk));
}

SigningKey SigningKey::Generate() {
  if (sodium_init() < 0) std::abort();
  std::string seed(crypto_sign_SEEDBYTES, '\0');
  randombytes_buf(seed.data(), seed.size());
  return *FromSeed(seed);
}

Result<SigningKey> SigningKey::LoadOrCreate(const std::string& path) {
  CP_ASSIGN_OR_RETURN(std::string seed, LoadOrCreateKeyFile(path, crypto_sign_SEEDBYTES));
  return FromSeed(seed);
}

std::string SigningKey::Sign(std::string_view message) const {
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(secret_key_.data()));
  return sig;
}

bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(signature.data()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
             reinterpret_cast<const unsigned char*>(public_key.data())) == 0;
}

}  // namespace cp::crypto
