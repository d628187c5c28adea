#include "web/html.h"

#include <gtest/gtest.h>

#include <vector>

namespace cp::web {
namespace {

TEST(EscapeTest, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(Escape("a & b < c > d \" e ' f").str(), "a &amp; b &lt; c &gt; d &quot; e &#39; f");
}

TEST(EscapeTest, NeutralisesScriptInjection) {
  const std::string attack = "<script>alert('x')</script>";
  EXPECT_EQ(Escape(attack).str(), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  const std::string attr_break = "\" onmouseover=\"alert(1)";
  EXPECT_EQ(Attr("value", attr_break).str(), " value=\"&quot; onmouseover=&quot;alert(1)\"");
  const std::string single = "' autofocus onfocus='alert(1)";
  EXPECT_EQ(Escape(single).str().find('\''), std::string::npos);
  EXPECT_EQ(Escape("</title><img src=x>").str(), "&lt;/title&gt;&lt;img src=x&gt;");
}

TEST(EscapeTest, AlreadyEscapedTextIsEscapedAgain) { EXPECT_EQ(Escape("&lt;").str(), "&amp;lt;"); }

TEST(EscapeTest, KeepsUtf8NamesAsWritten) {
  for (std::string_view name : {"Zoë", "Ó Súilleabháin", "李小龙", "Siân O'Brien"}) {
    const std::string out = Escape(name).str();
    if (name == "Siân O'Brien") {
      EXPECT_EQ(out, "Siân O&#39;Brien");
    } else {
      EXPECT_EQ(out, name);
    }
  }
}

TEST(EscapeTest, KeepsNulAndControlBytesUnchanged) {
  const std::string s("a\0b\x01", 4);
  EXPECT_EQ(Escape(s).str(), s);
}

TEST(HtmlTest, ConcatenatesAndJoins) {
  Html h = Markup("<p>") + Escape("x<y") + Markup("</p>");
  EXPECT_EQ(h.str(), "<p>x&lt;y</p>");
  h += Markup("<br>");
  EXPECT_EQ(h.str(), "<p>x&lt;y</p><br>");
  std::vector<Html> parts = {Markup("a"), Markup("b"), Markup("c")};
  EXPECT_EQ(Join(parts, Markup(", ")).str(), "a, b, c");
  EXPECT_EQ(Join({}, Markup(", ")).str(), "");
  EXPECT_TRUE(Html().empty());
}

TEST(HtmlTest, BoolAttr) {
  EXPECT_EQ(BoolAttr("checked", true).str(), " checked");
  EXPECT_EQ(BoolAttr("checked", false).str(), "");
}

TEST(EncodePathSegmentTest, EncodesEverythingButUnreserved) {
  EXPECT_EQ(EncodePathSegment("abc-DEF_0.9~"), "abc-DEF_0.9~");
  EXPECT_EQ(EncodePathSegment("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
  EXPECT_EQ(EncodePathSegment("Zoë"), "Zo%C3%AB");
  EXPECT_EQ(EncodePathSegment("\"><script>"), "%22%3E%3Cscript%3E");
}

}  // namespace
}  // namespace cp::web
