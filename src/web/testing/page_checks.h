// Structural checks on rendered pages, for the web layer's unit tests.
//
// A minimal tag scanner, enough for the markup this layer writes (quoted attribute values,
// no comments with '>' inside, no raw-text elements other than <script>/<textarea>).
// It is not an HTML parser and must not be used on markup from elsewhere.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cp::web::testing {

struct Tag {
  std::string name;                          // Lower case; "/p" for an end tag.
  std::map<std::string, std::string> attrs;  // Values with character references left as is.
  bool Has(std::string_view attr) const { return attrs.count(std::string(attr)) > 0; }
  std::string Get(std::string_view attr) const {
    auto it = attrs.find(std::string(attr));
    return it == attrs.end() ? std::string() : it->second;
  }
};

// Every start and end tag of `html`, in order.
std::vector<Tag> ScanTags(std::string_view html);

// Problems found by the page-structure rules, one sentence each; empty when the page passes:
//   - a non-empty <title>, exactly one <h1>, html lang="en-GB";
//   - unique ids;
//   - every <label for> names an input/select/textarea, and every visible form control has a
//     label bound to its id;
//   - every error-summary link "#id" names an element of the page;
//   - no <script> without src, no style= attributes, no on*= attributes;
//   - every POST form carries the csrf_token hidden field.
std::vector<std::string> CheckPage(std::string_view html);

// The text of <title>...</title>, or empty.
std::string TitleOf(std::string_view html);

// Number of non-overlapping occurrences of `needle`.
size_t Count(std::string_view haystack, std::string_view needle);

}  // namespace cp::web::testing
