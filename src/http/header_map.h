// HeaderMap: an ordered list of HTTP header fields with case-insensitive name lookup.
//
// Field order is preserved and repeated names are allowed (e.g. several Set-Cookie fields).
// Not thread-safe for mutation; concurrent const access is safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cp::http {

// ASCII case-insensitive equality, as HTTP field names require.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

class HeaderMap {
 public:
  using Field = std::pair<std::string, std::string>;

  // Appends a field, keeping any existing fields of the same name.
  void Add(std::string name, std::string value);
  // Replaces every field named `name` with one field (appended at the end).
  void Set(std::string name, std::string value);
  // Removes every field named `name`. Returns how many were removed.
  size_t Remove(std::string_view name);

  // The value of the first field named `name`, or nullopt. The view is valid until the map is
  // next modified.
  std::optional<std::string_view> Get(std::string_view name) const;
  // The values of every field named `name`, in order.
  std::vector<std::string_view> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }

  const std::vector<Field>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace cp::http
