// Renders text (typically a TOTP provisioning URI) as a QR code in SVG.
//
// The SVG uses only <svg>, <title>, <rect> and <path> with presentation attributes (fill,
// shape-rendering), so it can be inlined in a page served under a strict Content-Security-Policy
// (no scripts, no style attributes, no 'unsafe-inline'). It carries role="img" and an
// accessible name (aria-label and <title>). Pure and thread-safe; the output is deterministic
// for the same arguments.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace cp::auth {

// Light modules around the symbol, as the QR specification requires.
inline constexpr int kQrQuietZoneModules = 4;

struct QrSvgOptions {
  // Rendered size of one module in CSS pixels (the width/height attributes); the viewBox is
  // always in modules. Must be in [1, 64].
  int module_pixels = 4;
};

// Encodes `text` (bytes, UTF-8 expected) as a QR code with error correction level M and
// returns the SVG document. The viewBox is "0 0 N N" with N = modules + 2 * quiet zone.
// `accessible_label` is the image's accessible name (XML-escaped here).
// InvalidArgument if `text` is empty, contains a NUL byte, is too long for a QR code, or the
// options are out of range; Internal if the encoder fails otherwise.
Result<std::string> RenderQrSvg(std::string_view text, std::string_view accessible_label,
                                const QrSvgOptions& options = {});

// Escapes & < > " ' for use in XML text and attribute values.
std::string XmlEscape(std::string_view text);

}  // namespace cp::auth
