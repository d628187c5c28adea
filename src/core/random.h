// RandomSource: the one source of randomness for the whole product.
//
// Components take a RandomSource at construction. Production uses SecureRandom (libsodium's
// CSPRNG). Tests and the synthetic-data generator use SeededRandom, which is deterministic for
// a given seed and must never be used for secrets in production.
// SecureRandom is thread-safe; SeededRandom is not (give each thread its own).
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace cp {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills `out` with random bytes.
  virtual void Fill(std::span<uint8_t> out) = 0;

  uint64_t NextU64();
  // Uniform in [0, bound). `bound` must be > 0. Unbiased (rejection sampling).
  uint64_t Uniform(uint64_t bound);
  // Uniform double in [0, 1).
  double NextDouble();
  // `n` random bytes.
  std::string Bytes(size_t n);
};

// Cryptographically secure (libsodium randombytes_buf).
class SecureRandom final : public RandomSource {
 public:
  SecureRandom();
  void Fill(std::span<uint8_t> out) override;
};

// Deterministic xoshiro256** generator seeded with SplitMix64. Not for secrets.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed);
  void Fill(std::span<uint8_t> out) override;
  uint64_t Next();

 private:
  uint64_t s_[4];
};

}  // namespace cp
