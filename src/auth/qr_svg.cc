#include "auth/qr_svg.h"

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <mutex>

namespace cp::auth {
namespace {

struct QrcodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

// libqrencode is only thread-safe when built with pthread support; serialise calls so the
// result does not depend on how the system library was built. Encoding takes microseconds.
std::mutex& EncoderMutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

Result<std::string> RenderQrSvg(std::string_view text, std::string_view accessible_label,
                                const QrSvgOptions& options) {
  if (text.empty()) return Status::InvalidArgument("nothing to encode in the QR code");
  if (text.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("QR code text must not contain NUL bytes");
  }
  if (options.module_pixels < 1 || options.module_pixels > 64) {
    return Status::InvalidArgument("QR module size must be between 1 and 64 pixels");
  }
  const std::string terminated(text);
  std::unique_ptr<QRcode, QrcodeDeleter> code;
  int saved_errno = 0;
  {
    std::lock_guard<std::mutex> lock(EncoderMutex());
    errno = 0;
    code.reset(QRcode_encodeString(terminated.c_str(), /*version=*/0, QR_ECLEVEL_M, QR_MODE_8,
                                   /*casesensitive=*/1));
    saved_errno = errno;
  }
  if (code == nullptr) {
    if (saved_errno == ERANGE) return Status::InvalidArgument("text is too long for a QR code");
    return Status::Internal("QR encoding failed");
  }

  const int width = code->width;
  const int size = width + 2 * kQrQuietZoneModules;
  const std::string size_text = std::to_string(size);
  const std::string pixels = std::to_string(size * options.module_pixels);
  const std::string label = XmlEscape(accessible_label);

  std::string svg;
  svg.reserve(static_cast<size_t>(width) * static_cast<size_t>(width) * 4 + 512);
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size_text + " " + size_text +
         "\" width=\"" + pixels + "\" height=\"" + pixels + "\" role=\"img\" aria-label=\"" +
         label + "\" shape-rendering=\"crispEdges\">";
  svg += "<title>" + label + "</title>";
  svg += "<rect x=\"0\" y=\"0\" width=\"" + size_text + "\" height=\"" + size_text +
         "\" fill=\"#fff\"/>";
  svg += "<path fill=\"#000\" d=\"";
  // One closed sub-path per horizontal run of dark modules. Bit 0 of each data byte is the
  // module's colour (1 = dark); the other bits are encoder bookkeeping.
  const unsigned char* data = code->data;
  for (int y = 0; y < width; ++y) {
    int x = 0;
    while (x < width) {
      if ((data[y * width + x] & 1) == 0) {
        ++x;
        continue;
      }
      const int start = x;
      while (x < width && (data[y * width + x] & 1) != 0) ++x;
      const int run = x - start;
      svg += "M" + std::to_string(start + kQrQuietZoneModules) + " " +
             std::to_string(y + kQrQuietZoneModules) + "h" + std::to_string(run) + "v1h-" +
             std::to_string(run) + "z";
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace cp::auth
