// Gender as ContactPoint records it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cp::domain {

enum class Gender : uint8_t { kMale = 0, kFemale = 1, kNotKnown = 2, kNotSpecified = 3 };

// "male", "female", "not_known", "not_specified".
std::string_view GenderName(Gender g);
std::optional<Gender> ParseGender(std::string_view name);

}  // namespace cp::domain
