// Html: a string of markup that is safe to send to a browser.
//
// The web layer builds every page from Html values. There are only two ways to get one:
//   * Escape(text) turns any text (user data, database values, request parameters) into Html
//     that displays exactly that text, whether used as element content or inside a quoted
//     attribute value;
//   * Html::Trusted(markup) wraps markup written by this codebase (string literals in the
//     renderers) or produced by a trusted generator (e.g. the QR-code SVG from the auth layer).
// Everything that comes from a user or from stored data must pass through Escape. Never pass
// such data to Html::Trusted, not even after checking it.
//
// Html is a plain value type; not thread-safe for concurrent mutation.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace cp::web {

class Html {
 public:
  Html() = default;

  // Markup written by this codebase or by a trusted generator. See the file comment.
  static Html Trusted(std::string markup) {
    Html h;
    h.markup_ = std::move(markup);
    return h;
  }

  const std::string& str() const { return markup_; }
  bool empty() const { return markup_.empty(); }

  Html& operator+=(const Html& other) {
    markup_ += other.markup_;
    return *this;
  }
  friend Html operator+(Html a, const Html& b) {
    a += b;
    return a;
  }
  bool operator==(const Html&) const = default;

 private:
  std::string markup_;
};

// Text escaped for HTML element content and for quoted ("..." or '...') attribute values:
// & < > " ' become character references. Every other byte, including UTF-8 sequences, is kept
// as written. Invalid UTF-8 is not repaired (the caller's data is passed through unchanged).
Html Escape(std::string_view text);

// Shorthand for Html::Trusted on a string literal or other code-authored markup.
inline Html Markup(std::string_view markup) { return Html::Trusted(std::string(markup)); }

// ` name="value"` with `value` escaped. `name` must be a code-authored attribute name.
Html Attr(std::string_view name, std::string_view value);
// ` name` when `on` (a boolean attribute such as checked or hidden); otherwise nothing.
Html BoolAttr(std::string_view name, bool on);

// The concatenation of `parts`, with `separator` between them.
Html Join(std::span<const Html> parts, const Html& separator = Html());

}  // namespace cp::web

namespace cp::web {

// `segment` percent-encoded for use as one path segment of a URL: every byte except ASCII
// letters, digits and - . _ ~ becomes %XX. The result still needs Escape/Attr in markup.
std::string EncodePathSegment(std::string_view segment);

}  // namespace cp::web
