#include "web/form.h"

namespace cp::web {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status Malformed(std::string message) {
  return Status::InvalidArgument(std::move(message), "form");
}

// Decodes one name or value: '+' is a space, %XX a byte.
Result<std::string> Decode(std::string_view in, size_t max_bytes) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return Malformed("The form has a malformed escape");
      const int hi = HexDigit(in[i + 1]);
      const int lo = HexDigit(in[i + 2]);
      if (hi < 0 || lo < 0) return Malformed("The form has a malformed escape");
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return Malformed("The form contains a NUL character");
    out.push_back(c);
    if (out.size() > max_bytes) return Malformed("A form field is too long");
  }
  return out;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

Result<FormData> FormData::Parse(std::string_view body, const FormLimits& limits) {
  if (body.size() > limits.max_body_bytes) return Malformed("The form is too large");
  FormData form;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view part = body.substr(pos, amp - pos);
    pos = amp + 1;
    if (part.empty()) continue;
    if (form.fields_.size() >= limits.max_fields) return Malformed("The form has too many fields");
    const size_t eq = part.find('=');
    const std::string_view raw_name = part.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    CP_ASSIGN_OR_RETURN(std::string name, Decode(raw_name, limits.max_value_bytes));
    CP_ASSIGN_OR_RETURN(std::string value, Decode(raw_value, limits.max_value_bytes));
    form.fields_.emplace_back(std::move(name), std::move(value));
  }
  return form;
}

std::optional<std::string_view> FormData::Get(std::string_view name) const {
  for (const auto& [k, v] : fields_) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::string FormData::Value(std::string_view name) const {
  return std::string(Get(name).value_or(""));
}

std::vector<std::string> FormData::All(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields_) {
    if (k == name) out.push_back(v);
  }
  return out;
}

bool IsFormContentType(std::string_view content_type) {
  static constexpr std::string_view kType = "application/x-www-form-urlencoded";
  const size_t semi = content_type.find(';');
  std::string_view type = content_type.substr(0, semi);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  if (type.size() != kType.size()) return false;
  for (size_t i = 0; i < type.size(); ++i) {
    if (Lower(type[i]) != kType[i]) return false;
  }
  return true;
}

}  // namespace cp::web
