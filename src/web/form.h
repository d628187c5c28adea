// FormData: the fields of an HTML form posted as application/x-www-form-urlencoded.
//
// Parsing follows the WHATWG urlencoded parser: the body is split on '&', each part on its
// first '=', '+' is a space and %XX escapes are decoded in names and values. Stricter than
// WHATWG where leniency would only hide a bug or an attack: a malformed escape ("%4", "%zz"),
// a decoded NUL byte, or a body over the limits is refused with InvalidArgument (field
// "form"), so a handler never sees half of a form. Empty parts ("a=1&&b=2") are skipped; a
// part without '=' is a name with an empty value.
//
// Repeated names are kept in order (checkboxes post one pair per ticked box): use All().
// Pure and thread-safe; a FormData is an immutable value once parsed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace cp::web {

struct FormLimits {
  // The whole body, before decoding.
  size_t max_body_bytes = 64 * 1024;
  // Name/value pairs.
  size_t max_fields = 256;
  // One decoded name or value.
  size_t max_value_bytes = 8 * 1024;
};

class FormData {
 public:
  FormData() = default;

  // Parses `body` (see the file comment). InvalidArgument (field "form") when malformed or
  // over `limits`.
  static Result<FormData> Parse(std::string_view body, const FormLimits& limits = {});

  // The first value posted for `name`, or nullopt when the name was not posted.
  std::optional<std::string_view> Get(std::string_view name) const;
  // The first value posted for `name`, or "" when the name was not posted.
  std::string Value(std::string_view name) const;
  // Every value posted for `name`, in order (empty when none).
  std::vector<std::string> All(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// True when `content_type` (a Content-Type header value) is application/x-www-form-urlencoded,
// ignoring case and parameters such as "; charset=UTF-8".
bool IsFormContentType(std::string_view content_type);

}  // namespace cp::web
