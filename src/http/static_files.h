// StaticFiles: serves files below one directory, for CSS, JavaScript, images and fonts.
//
// Only regular files whose extension is on a fixed whitelist are served, with the matching
// Content-Type; everything else is a 404 (the reason is not revealed). Relative paths with
// "..", ".", empty segments, hidden names (leading '.'), backslashes or NUL are refused, and a
// file that resolves (through symlinks) outside the root is refused. Responses are marked
// cacheable (Cache-Control: public, max-age=3600 unless configured otherwise).
//
// Thread safety: immutable after construction; Serve/Handle are safe to call concurrently.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "http/handler.h"

namespace cp::http {

// The Content-Type for a whitelisted extension (".css" -> "text/css; charset=utf-8"), or
// nullopt when the extension (compared case-insensitively) is not served.
std::optional<std::string_view> StaticContentType(std::string_view extension);

class StaticFiles final : public Handler {
 public:
  // `root`: the directory served. `param`: the Router parameter holding the relative path
  // when used as a route handler, e.g. Add("GET", "/static/{path...}", files).
  explicit StaticFiles(std::filesystem::path root, std::string param = "path",
                       uint64_t max_file_bytes = 16 * 1024 * 1024);

  // Serves `relative_path` (forward slashes, no leading '/'): 200 with the file, or 404.
  Response Serve(std::string_view relative_path) const;
  // Serve(request.PathParam(param)).
  Response Handle(const Request& request) override;

 private:
  std::filesystem::path root_;
  std::string param_;
  uint64_t max_file_bytes_;
};

}  // namespace cp::http
