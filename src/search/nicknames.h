// A table of common English given-name nicknames ("bill" -> "william", "liz" -> "elizabeth").
//
// Names are normalised tokens (see normalize.h): lower-case ASCII. The table is data in the
// source (nicknames.cc), built once on first use; all functions are thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cp::search {

struct NicknamePair {
  std::string_view nickname;
  std::string_view formal;
};

// Every (nickname, formal name) pair in the table.
std::span<const NicknamePair> NicknamePairs();

// The formal names that `token` is a nickname of, e.g. "alex" -> {"alexander", "alexandra",
// "alexis"}. Empty if `token` is not a known nickname (formal names map to nothing).
std::span<const std::string_view> FormalNamesOf(std::string_view token);

// True if the two tokens are the same, one is a nickname of the other, or both are nicknames
// of one formal name ("bill" / "will").
bool AreNicknameRelated(std::string_view a, std::string_view b);

}  // namespace cp::search
