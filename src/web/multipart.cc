#include "web/multipart.h"

#include <algorithm>
#include <cctype>

namespace cp::web {
namespace {

Status Malformed(std::string_view why) {
  return Status::InvalidArgument("Malformed multipart form: " + std::string(why), "form");
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of parameter `key` in a header value like `form-data; name="x"; filename="y"`
// (quoted or not), or nullopt. Parameter names are case-insensitive.
std::optional<std::string> HeaderParam(std::string_view value, std::string_view key) {
  size_t pos = value.find(';');
  while (pos != std::string_view::npos) {
    std::string_view rest = TrimSpaces(value.substr(pos + 1));
    size_t eq = rest.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view name = TrimSpaces(rest.substr(0, eq));
    std::string_view tail = rest.substr(eq + 1);
    std::string parsed;
    size_t consumed = 0;
    if (!tail.empty() && tail.front() == '"') {
      size_t i = 1;
      for (; i < tail.size() && tail[i] != '"'; ++i) {
        if (tail[i] == '\\' && i + 1 < tail.size()) ++i;
        parsed += tail[i];
      }
      if (i >= tail.size()) return std::nullopt;
      consumed = i + 1;
    } else {
      consumed = std::min(tail.find(';'), tail.size());
      parsed = std::string(TrimSpaces(tail.substr(0, consumed)));
    }
    if (Lower(name) == key) return parsed;
    size_t next = tail.find(';', consumed);
    if (next == std::string_view::npos) return std::nullopt;
    pos = static_cast<size_t>(tail.data() + next - value.data());
  }
  return std::nullopt;
}

}  // namespace

bool IsMultipartContentType(std::string_view content_type) {
  std::string type = Lower(TrimSpaces(content_type.substr(0, content_type.find(';'))));
  return type == "multipart/form-data";
}

Result<std::vector<MultipartPart>> ParseMultipart(std::string_view content_type,
                                                  std::string_view body, size_t max_parts) {
  if (!IsMultipartContentType(content_type)) return Malformed("not multipart/form-data");
  auto boundary = HeaderParam(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70) return Malformed("boundary");
  const std::string delimiter = "--" + *boundary;
  const std::string separator = "\r\n" + delimiter;
  if (!body.starts_with(delimiter)) return Malformed("no opening boundary");
  size_t pos = delimiter.size();
  std::vector<MultipartPart> parts;
  while (true) {
    if (body.substr(pos).starts_with("--")) return parts;  // The closing delimiter.
    if (!body.substr(pos).starts_with("\r\n")) return Malformed("boundary line");
    pos += 2;
    if (parts.size() == max_parts) return Malformed("too many parts");
    const size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return Malformed("part headers");
    MultipartPart part;
    bool named = false;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      const size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) return Malformed("part header");
      const std::string header = Lower(TrimSpaces(line.substr(0, colon)));
      const std::string_view value = TrimSpaces(line.substr(colon + 1));
      if (header == "content-disposition") {
        if (Lower(TrimSpaces(value.substr(0, value.find(';')))) != "form-data") {
          return Malformed("content-disposition");
        }
        auto name = HeaderParam(value, "name");
        if (!name || name->empty()) return Malformed("part name");
        part.name = *name;
        part.filename = HeaderParam(value, "filename").value_or("");
        named = true;
      } else if (header == "content-type") {
        part.content_type = std::string(value);
      }
    }
    if (!named) return Malformed("part name");
    const size_t data_start = headers_end + 4;
    const size_t data_end = body.find(separator, data_start);
    if (data_end == std::string_view::npos) return Malformed("no closing boundary");
    part.data = std::string(body.substr(data_start, data_end - data_start));
    parts.push_back(std::move(part));
    pos = data_end + separator.size();
  }
}

const MultipartPart* FindPart(const std::vector<MultipartPart>& parts, std::string_view name) {
  for (const MultipartPart& p : parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace cp::web
