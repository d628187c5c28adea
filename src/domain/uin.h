// Uin: a child's ContactPoint unique identification number.
//
// Ten random decimal digits followed by an ISO 7064 MOD 11-2 check character (0-9 or X), e.g.
// "4820175396X". Random rather than sequential, so a UIN says nothing about when or where a
// record was made and neighbouring numbers cannot be guessed. The check character catches every
// single-character error and every transposition of adjacent characters on input.
#pragma once

#include <string>
#include <string_view>

#include "core/random.h"
#include "core/result.h"

namespace cp::domain {

class Uin {
 public:
  // A new random UIN (the caller retries on the rare collision with an existing one).
  static Uin Generate(RandomSource& random);
  // Accepts the 11 characters with optional spaces or hyphens and a lower-case 'x';
  // InvalidArgument (field "uin") on a wrong length, a non-digit, or a failed check character.
  static Result<Uin> Parse(std::string_view text);
  // The check character for ten digits.
  static char CheckCharacter(std::string_view ten_digits);

  // An empty UIN: a record not yet stored.
  Uin() = default;
  bool empty() const { return value_.empty(); }
  const std::string& str() const { return value_; }
  bool operator==(const Uin&) const = default;
  auto operator<=>(const Uin&) const = default;

 private:
  explicit Uin(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

}  // namespace cp::domain
