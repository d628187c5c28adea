#include "domain/uin.h"

namespace cp::domain {

char Uin::CheckCharacter(std::string_view ten_digits) {
  // ISO 7064 MOD 11-2: iterate p = (p + digit) * 2 mod 11; check = (12 - p) mod 11.
  int p = 0;
  for (char c : ten_digits) p = ((p + (c - '0')) * 2) % 11;
  int check = (12 - p) % 11;
  return check == 10 ? 'X' : static_cast<char>('0' + check);
}

Uin Uin::Generate(RandomSource& random) {
  std::string digits;
  digits.reserve(11);
  // A leading zero is allowed but avoided, so a UIN never looks shorter when a spreadsheet
  // drops it.
  digits.push_back(static_cast<char>('1' + random.Uniform(9)));
  for (int i = 1; i < 10; ++i) digits.push_back(static_cast<char>('0' + random.Uniform(10)));
  digits.push_back(CheckCharacter(digits));
  return Uin(std::move(digits));
}

Result<Uin> Uin::Parse(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (c == ' ' || c == '-') continue;
    compact.push_back(c == 'x' ? 'X' : c);
  }
  auto bad = [] {
    return Status::InvalidArgument("Enter a UIN of 10 digits and a check character", "uin");
  };
  if (compact.size() != 11) return bad();
  for (size_t i = 0; i < 10; ++i) {
    if (compact[i] < '0' || compact[i] > '9') return bad();
  }
  if (compact[10] != CheckCharacter(std::string_view(compact).substr(0, 10))) {
    return Status::InvalidArgument(
        "The UIN's check character is wrong: check it was typed correctly", "uin");
  }
  return Uin(std::move(compact));
}

}  // namespace cp::domain
