// Validation of single input fields, shared by every layer (the presentation layers use it to
// check search criteria). Each function returns InvalidArgument naming the field (e.g.
// "address.postcode", "carers[1].phone") with a message a person can act on. Names in any
// script are accepted and kept exactly as written (apostrophes, hyphens, accents). Pure.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace cp::domain {

// A personal name: at most 100 characters of valid UTF-8, no control characters, at least one
// letter (of any script); trimmed of spaces at either end, otherwise kept as written. An empty
// name is an error only when `required`.
Result<std::string> ValidatePersonName(std::string_view name, std::string_view field,
                                       bool required = true);
// A UK postcode, normalised to upper case with one space ("sw1a1aa" -> "SW1A 1AA").
Result<std::string> NormalisePostcode(std::string_view postcode, std::string_view field);
// A telephone number: UK (starting 0, 10-11 digits) or international starting "+" (8-15
// digits); spaces, hyphens and brackets allowed.
Status ValidatePhone(std::string_view phone, std::string_view field);
Status ValidateEmail(std::string_view email, std::string_view field);
// Free text such as an address line: at most `max` bytes of valid UTF-8, no control characters.
Result<std::string> ValidateText(std::string_view text, std::string_view field, size_t max = 200);

}  // namespace cp::domain
