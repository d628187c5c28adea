#include "http/static_files.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>

#include "http/errors.h"
#include "http/security_headers.h"

namespace cp::http {
namespace {

Response NotFound() { return SimpleErrorResponse(404, "not_found", "Not found", false); }

bool SafeRelativePath(std::string_view rel) {
  if (rel.empty() || rel.front() == '/') return false;
  size_t pos = 0;
  while (pos <= rel.size()) {
    size_t end = rel.find('/', pos);
    if (end == std::string_view::npos) end = rel.size();
    std::string_view seg = rel.substr(pos, end - pos);
    if (seg.empty() || seg.front() == '.') return false;  // "", ".", "..", hidden files.
    for (char c : seg) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '\\' || u < 0x20 || u == 0x7f) return false;
    }
    pos = end + 1;
  }
  return true;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::optional<std::string_view> StaticContentType(std::string_view extension) {
  const std::string ext = LowerAscii(extension);
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".gif") return "image/gif";
  if (ext == ".webp") return "image/webp";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff") return "font/woff";
  if (ext == ".woff2") return "font/woff2";
  return std::nullopt;
}

StaticFiles::StaticFiles(std::filesystem::path root, std::string param, uint64_t max_file_bytes)
    : param_(std::move(param)), max_file_bytes_(max_file_bytes) {
  std::error_code ec;
  root_ = std::filesystem::weakly_canonical(root, ec);
  if (ec) root_ = std::move(root);
}

Response StaticFiles::Serve(std::string_view relative_path) const {
  if (!SafeRelativePath(relative_path)) return NotFound();
  const std::filesystem::path requested = root_ / std::filesystem::path(relative_path);
  const auto content_type = StaticContentType(requested.extension().string());
  if (!content_type.has_value()) return NotFound();

  std::error_code ec;
  const std::filesystem::path resolved = std::filesystem::canonical(requested, ec);
  if (ec) return NotFound();
  // The resolved file must still be inside the root (defeats symlinks pointing out).
  auto [root_end, unused] =
      std::mismatch(root_.begin(), root_.end(), resolved.begin(), resolved.end());
  if (root_end != root_.end()) return NotFound();
  if (!std::filesystem::is_regular_file(resolved, ec) || ec) return NotFound();
  const auto size = std::filesystem::file_size(resolved, ec);
  if (ec || size > max_file_bytes_) return NotFound();

  std::ifstream in(resolved, std::ios::binary);
  if (!in) return NotFound();
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return NotFound();

  Response r(200);
  r.set_content_type(std::string(*content_type));
  r.set_body(std::move(body));
  r.set_cacheable(true);
  r.headers().Set("Cache-Control", std::string(kStaticCacheControl));
  return r;
}

Response StaticFiles::Handle(const Request& request) { return Serve(request.PathParam(param_)); }

}  // namespace cp::http
