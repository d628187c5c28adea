#include "web/testing/page_checks.h"

#include <cctype>
#include <set>

namespace cp::web::testing {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' ||
         c == '/';
}

}  // namespace

std::vector<Tag> ScanTags(std::string_view html) {
  std::vector<Tag> tags;
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    if (html.substr(i, 4) == "<!--") {
      size_t end = html.find("-->", i);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    if (i + 1 < html.size() && html[i + 1] == '!') {  // Doctype.
      i = html.find('>', i);
      if (i == std::string_view::npos) break;
      continue;
    }
    ++i;
    size_t start = i;
    while (i < html.size() && IsNameChar(html[i])) ++i;
    Tag tag;
    tag.name = Lower(html.substr(start, i - start));
    if (tag.name.empty()) continue;
    // Attributes.
    while (i < html.size() && html[i] != '>') {
      if (std::isspace(static_cast<unsigned char>(html[i])) || html[i] == '/') {
        ++i;
        continue;
      }
      size_t name_start = i;
      while (i < html.size() && !std::isspace(static_cast<unsigned char>(html[i])) &&
             html[i] != '=' && html[i] != '>') {
        ++i;
      }
      std::string name = Lower(html.substr(name_start, i - name_start));
      std::string value;
      if (i < html.size() && html[i] == '=') {
        ++i;
        if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
          char q = html[i++];
          size_t v = i;
          while (i < html.size() && html[i] != q) ++i;
          value = std::string(html.substr(v, i - v));
          if (i < html.size()) ++i;
        } else {
          size_t v = i;
          while (i < html.size() && !std::isspace(static_cast<unsigned char>(html[i])) &&
                 html[i] != '>') {
            ++i;
          }
          value = std::string(html.substr(v, i - v));
        }
      }
      tag.attrs[name] = value;
    }
    const bool raw_text = tag.name == "script" || tag.name == "textarea";
    const std::string close = "</" + tag.name;
    tags.push_back(std::move(tag));
    if (raw_text) {
      size_t end = html.find(close, i);
      i = end == std::string_view::npos ? html.size() : end;
    }
  }
  return tags;
}

std::string TitleOf(std::string_view html) {
  size_t start = html.find("<title>");
  if (start == std::string_view::npos) return "";
  start += 7;
  size_t end = html.find("</title>", start);
  if (end == std::string_view::npos) return "";
  return std::string(html.substr(start, end - start));
}

size_t Count(std::string_view haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t i = haystack.find(needle); i != std::string_view::npos;
       i = haystack.find(needle, i + needle.size())) {
    ++n;
  }
  return n;
}

std::vector<std::string> CheckPage(std::string_view html) {
  std::vector<std::string> problems;
  const std::vector<Tag> tags = ScanTags(html);

  if (TitleOf(html).empty()) problems.push_back("no <title> or an empty one");
  size_t h1 = 0;
  std::map<std::string, const Tag*> ids;
  std::set<std::string> label_for;
  bool lang_ok = false;
  for (const Tag& t : tags) {
    if (t.name == "h1") ++h1;
    if (t.name == "html" && t.Get("lang") == "en-GB") lang_ok = true;
    if (t.Has("id")) {
      if (!ids.emplace(t.Get("id"), &t).second) problems.push_back("duplicate id " + t.Get("id"));
    }
    if (t.name == "label") {
      if (!t.Has("for")) problems.push_back("label without for");
      label_for.insert(t.Get("for"));
    }
    if (t.name == "script" && !t.Has("src")) problems.push_back("inline <script>");
    if (t.name.starts_with("/")) continue;
    for (const auto& [name, value] : t.attrs) {
      if (name == "style") problems.push_back("style= attribute on <" + t.name + ">");
      if (name.size() > 2 && name.starts_with("on")) {
        problems.push_back(name + "= attribute on <" + t.name + ">");
      }
    }
  }
  if (h1 != 1) problems.push_back("expected exactly one <h1>, found " + std::to_string(h1));
  if (!lang_ok) problems.push_back("<html> lacks lang=\"en-GB\"");

  for (const std::string& f : label_for) {
    auto it = ids.find(f);
    if (it == ids.end()) {
      problems.push_back("label for=\"" + f + "\" names no element");
    } else if (const std::string& n = it->second->name;
               n != "input" && n != "select" && n != "textarea") {
      problems.push_back("label for=\"" + f + "\" names a <" + n + ">");
    }
  }
  bool in_post_form = false;
  bool form_has_csrf = false;
  bool in_error_summary = false;
  int summary_depth = 0;
  for (const Tag& t : tags) {
    const bool control =
        t.name == "select" || t.name == "textarea" ||
        (t.name == "input" && t.Get("type") != "hidden" && t.Get("type") != "submit");
    if (control) {
      if (!t.Has("id")) {
        problems.push_back("<" + t.name + " name=\"" + t.Get("name") + "\"> has no id");
      } else if (!label_for.count(t.Get("id"))) {
        problems.push_back("no label for #" + t.Get("id"));
      }
    }
    if (t.name == "form") {
      in_post_form = Lower(t.Get("method")) == "post";
      form_has_csrf = false;
    }
    if (in_post_form && t.name == "input" && t.Get("type") == "hidden" &&
        t.Get("name") == "csrf_token" && !t.Get("value").empty()) {
      form_has_csrf = true;
    }
    if (t.name == "/form") {
      if (in_post_form && !form_has_csrf) problems.push_back("POST form without csrf_token");
      in_post_form = false;
    }
    if (t.name == "div" && t.Get("class").find("govuk-error-summary") == 0 &&
        t.Get("class").find("__") == std::string::npos) {
      in_error_summary = true;
      summary_depth = 0;
    }
    if (in_error_summary) {
      if (t.name == "div") ++summary_depth;
      if (t.name == "/div" && --summary_depth == 0) in_error_summary = false;
      if (t.name == "a") {
        const std::string href = t.Get("href");
        if (!href.starts_with("#") || !ids.count(href.substr(1))) {
          problems.push_back("error summary link " + href + " names no element");
        }
      }
    }
  }
  return problems;
}

}  // namespace cp::web::testing
