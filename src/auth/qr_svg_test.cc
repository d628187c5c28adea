#include "auth/qr_svg.h"

#include <gtest/gtest.h>
#include <qrencode.h>

#include <regex>

namespace cp::auth {
namespace {

// The module count libqrencode chooses for `text`, and its number of dark modules.
struct Symbol {
  int width = 0;
  int dark = 0;
};
Symbol Encode(const std::string& text) {
  QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  Symbol s;
  if (code == nullptr) return s;
  s.width = code->width;
  for (int i = 0; i < code->width * code->width; ++i) s.dark += code->data[i] & 1;
  QRcode_free(code);
  return s;
}

// Sum of the run lengths of the path, i.e. the number of dark modules drawn.
int DarkModulesDrawn(const std::string& svg) {
  static const std::regex kRun("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
  int total = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), kRun); it != std::sregex_iterator();
       ++it) {
    EXPECT_EQ((*it)[3].str(), (*it)[4].str());
    total += std::stoi((*it)[3].str());
  }
  return total;
}

const char kUri[] =
    "otpauth://totp/ContactPoint:jsmith?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    "&issuer=ContactPoint&algorithm=SHA1&digits=6&period=30";

TEST(QrSvgTest, ProducesAccessibleSvgSizedToTheSymbol) {
  Result<std::string> svg = RenderQrSvg(kUri, "QR code for your authenticator app");
  ASSERT_TRUE(svg.ok()) << svg.status().ToString();
  const Symbol symbol = Encode(kUri);
  ASSERT_GT(symbol.width, 21);
  const std::string n = std::to_string(symbol.width + 8);
  const std::string px = std::to_string((symbol.width + 8) * 4);
  EXPECT_EQ(svg->rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n + " " + n +
                           "\" width=\"" + px + "\" height=\"" + px + "\" role=\"img\"",
                       0),
            0u)
      << *svg;
  EXPECT_NE(svg->find("aria-label=\"QR code for your authenticator app\""), std::string::npos);
  EXPECT_NE(svg->find("<title>QR code for your authenticator app</title>"), std::string::npos);
  EXPECT_NE(
      svg->find("<rect x=\"0\" y=\"0\" width=\"" + n + "\" height=\"" + n + "\" fill=\"#fff\"/>"),
      std::string::npos);
  EXPECT_TRUE(svg->ends_with("\"/></svg>"));
  EXPECT_EQ(DarkModulesDrawn(*svg), symbol.dark);
}

TEST(QrSvgTest, UsesOnlyCspSafeMarkup) {
  Result<std::string> svg = RenderQrSvg(kUri, "QR");
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(svg->find("style"), std::string::npos);
  EXPECT_EQ(svg->find("script"), std::string::npos);
  EXPECT_EQ(svg->find("href"), std::string::npos);
  EXPECT_EQ(svg->find(" on"), std::string::npos);  // No event-handler attributes.
  // Every element is one of the four allowed.
  static const std::regex kTag("<([a-zA-Z]+)");
  for (auto it = std::sregex_iterator(svg->begin(), svg->end(), kTag); it != std::sregex_iterator();
       ++it) {
    const std::string tag = (*it)[1].str();
    EXPECT_TRUE(tag == "svg" || tag == "title" || tag == "rect" || tag == "path") << tag;
  }
}

TEST(QrSvgTest, ModulesStayInsideTheQuietZone) {
  Result<std::string> svg = RenderQrSvg("HELLO", "QR");
  ASSERT_TRUE(svg.ok());
  const int width = Encode("HELLO").width;
  EXPECT_EQ(width, 21);  // Version 1.
  static const std::regex kRun("M(\\d+) (\\d+)h(\\d+)");
  int runs = 0;
  for (auto it = std::sregex_iterator(svg->begin(), svg->end(), kRun); it != std::sregex_iterator();
       ++it, ++runs) {
    const int x = std::stoi((*it)[1].str());
    const int y = std::stoi((*it)[2].str());
    const int len = std::stoi((*it)[3].str());
    EXPECT_GE(x, 4);
    EXPECT_GE(y, 4);
    EXPECT_LE(x + len, 4 + width);
    EXPECT_LT(y, 4 + width);
  }
  EXPECT_GT(runs, 0);
  // The top-left finder pattern starts with a 7-module dark run at the quiet zone's edge.
  EXPECT_NE(svg->find("M4 4h7v1h-7z"), std::string::npos);
}

TEST(QrSvgTest, IsDeterministic) {
  EXPECT_EQ(*RenderQrSvg(kUri, "QR"), *RenderQrSvg(kUri, "QR"));
  EXPECT_NE(*RenderQrSvg(kUri, "QR"), *RenderQrSvg(std::string(kUri) + "x", "QR"));
}

TEST(QrSvgTest, EscapesTheLabel) {
  Result<std::string> svg = RenderQrSvg("x", "a<b>&\"c'");
  ASSERT_TRUE(svg.ok());
  EXPECT_NE(svg->find("aria-label=\"a&lt;b&gt;&amp;&quot;c&#39;\""), std::string::npos);
  EXPECT_NE(svg->find("<title>a&lt;b&gt;&amp;&quot;c&#39;</title>"), std::string::npos);
}

TEST(QrSvgTest, ModulePixelsScaleOnlyTheRenderedSize) {
  Result<std::string> svg = RenderQrSvg("HELLO", "QR", {.module_pixels = 10});
  ASSERT_TRUE(svg.ok());
  EXPECT_NE(svg->find("viewBox=\"0 0 29 29\" width=\"290\" height=\"290\""), std::string::npos);
  EXPECT_EQ(RenderQrSvg("HELLO", "QR", {.module_pixels = 0}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RenderQrSvg("HELLO", "QR", {.module_pixels = 65}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(QrSvgTest, RefusesUnencodableText) {
  EXPECT_EQ(RenderQrSvg("", "QR").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RenderQrSvg(std::string_view("a\0b", 3), "QR").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RenderQrSvg(std::string(5000, 'x'), "QR").status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cp::auth
