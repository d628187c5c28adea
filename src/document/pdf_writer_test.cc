#include "document/pdf_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "document/testing/pdf_text.h"
#include "document/win_ansi.h"

namespace cp::document {
namespace {

using testing::PdfFile;
using testing::Squash;

DocumentOptions Options() {
  DocumentOptions o;
  o.title = "ContactPoint test document";
  o.header = "Request reference DSAR-2026-0007";
  o.footer = "Produced by dana.dpo on 2026-11-22 10:15 UTC";
  o.creation_date = "D:20261122101500Z";
  return o;
}

TEST(WinAnsi, KeepsAsciiAndLatin1AndTransliteratesTheRest) {
  EXPECT_EQ(ToWinAnsi("Plain (text)"), "Plain (text)");
  EXPECT_EQ(ToWinAnsi("Zoë Müller"), "Zo\xEB M\xFCller");
  EXPECT_EQ(ToWinAnsi("a – b ’c’"),
            "a \x96 b \x92"
            "c\x92");
  EXPECT_EQ(ToWinAnsi("Łukasz Dvořák"), "Lukasz Dvor\xE1k");
  EXPECT_EQ(ToWinAnsi("日本"), "??");
  EXPECT_EQ(ToWinAnsi("tab\there\nnew"), "tab here new");
  EXPECT_EQ(ToWinAnsi(std::string("bad\xC3(", 5)), "bad?(");
  EXPECT_EQ(ToWinAnsi(std::string("\x01x", 2)), "x");
}

TEST(PdfWriter, IsAValidPdfWhoseTextExtracts) {
  PdfWriter w(Options());
  w.Heading("Disclosure of a child's record", 1);
  w.Paragraph("Everything held about the child, with its source (and dates) \\ escaped.");
  w.Field("Address line 1", "14 Larch Avenue", "Source: LA-NORTHSHIRE, updated 2026-11-01");
  w.Table({"UIN", "Action", "Date"}, {{"CP-123", "Shielded", "2026-11-20"}});
  std::string bytes = w.Finish();
  ASSERT_TRUE(bytes.starts_with("%PDF-1.4\n"));
  ASSERT_TRUE(bytes.ends_with("%%EOF\n"));
  PdfFile file(bytes);
  EXPECT_EQ(file.Pages(), 1);
  std::string info = file.Info();
  EXPECT_NE(info.find("ContactPoint test document"), std::string::npos);
  EXPECT_NE(Squash(info).find("PDF version: 1.4"), std::string::npos) << info;
  std::string text = Squash(file.Text());
  for (const char* expected :
       {"Disclosure of a child's record", "with its source (and dates) \\ escaped.",
        "Address line 1", "14 Larch Avenue", "Source: LA-NORTHSHIRE, updated 2026-11-01", "CP-123",
        "Shielded", "Request reference DSAR-2026-0007",
        "Produced by dana.dpo on 2026-11-22 10:15 UTC", "Page 1 of 1"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

TEST(PdfWriter, AccentsSurviveExtraction) {
  PdfWriter w(Options());
  w.Paragraph("Zoë Müller – Café “Größe”");
  PdfFile file(w.Finish());
  std::string text = file.Text();
  EXPECT_NE(text.find("Zoë Müller – Café “Größe”"), std::string::npos) << text;
}

TEST(PdfWriter, BreaksPagesAndPutsHeaderAndFooterOnEveryPage) {
  PdfWriter w(Options());
  w.Heading("A long document", 1);
  for (int i = 0; i < 150; ++i) {
    w.Paragraph("Paragraph number " + std::to_string(i) +
                " carries enough words to wrap across the width of the page at least once, so "
                "that the layout has to count lines correctly.");
  }
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 80; ++i) rows.push_back({"row-" + std::to_string(i), "value", "x"});
  w.Table({"Key", "Value", "Other"}, rows, {2, 1, 1});
  size_t pages = w.page_count();
  ASSERT_GT(pages, 5u);
  PdfFile file(w.Finish());
  ASSERT_EQ(file.Pages(), static_cast<int>(pages));
  for (size_t p = 1; p <= pages; ++p) {
    std::string text = Squash(file.Text(static_cast<int>(p)));
    std::string label = "Page " + std::to_string(p) + " of " + std::to_string(pages);
    EXPECT_NE(text.find(label), std::string::npos) << "page " << p;
    EXPECT_NE(text.find("Produced by dana.dpo on 2026-11-22 10:15 UTC"), std::string::npos) << p;
    EXPECT_NE(text.find("Request reference DSAR-2026-0007"), std::string::npos) << p;
    EXPECT_NE(text.find("ContactPoint test document"), std::string::npos) << p;
  }
  // Nothing lost at the page breaks: every paragraph and every row is there, once.
  std::string all = Squash(file.Text());
  for (int i = 0; i < 150; ++i) {
    std::string needle = "Paragraph number " + std::to_string(i) + " carries";
    EXPECT_NE(all.find(needle), std::string::npos) << needle;
  }
  for (int i = 0; i < 80; ++i) {
    std::string needle = "row-" + std::to_string(i) + " ";
    EXPECT_NE(all.find(needle), std::string::npos) << needle;
  }
  // The table's header repeats on the pages it continues on.
  std::string last = Squash(file.Text(static_cast<int>(pages)));
  EXPECT_NE(last.find("Key Value Other"), std::string::npos) << last;
}

TEST(PdfWriter, LongWordsAreBrokenNotLost) {
  PdfWriter w(Options());
  std::string word(300, 'w');
  w.Paragraph(word);
  PdfFile file(w.Finish());
  std::string text = file.Text();
  size_t count = 0;
  for (char c : text) count += c == 'w' ? 1 : 0;
  EXPECT_GE(count, 300u);
}

TEST(PdfWriter, WatermarkOnEveryPage) {
  DocumentOptions o = Options();
  o.watermark = "INTERNAL – NOT FOR DISCLOSURE";
  PdfWriter w(o);
  for (int i = 0; i < 120; ++i) w.Paragraph("Line " + std::to_string(i));
  size_t pages = w.page_count();
  ASSERT_GE(pages, 2u);
  PdfFile file(w.Finish());
  for (size_t p = 1; p <= pages; ++p) {
    // In the header (horizontal text: survives -nodiag) and across the page.
    std::string header_only = file.Text(static_cast<int>(p), /*keep_diagonal=*/false);
    EXPECT_NE(header_only.find("INTERNAL – NOT FOR DISCLOSURE"), std::string::npos) << p;
    // The diagonal copy: extracted (letter by letter) only when diagonal text is kept.
    auto letters = [](const std::string& s) {
      size_t n = 0;
      for (char c : s) n += (c >= 'A' && c <= 'Z') ? 1 : 0;
      return n;
    };
    std::string all = file.Text(static_cast<int>(p));
    EXPECT_GE(letters(all), letters(header_only) + 20)
        << "diagonal watermark missing on page " << p;
  }
}

TEST(PdfWriter, NoWatermarkUnlessAsked) {
  PdfWriter w(Options());
  w.Paragraph("Body");
  PdfFile file(w.Finish());
  EXPECT_EQ(file.Text().find("DISCLOSURE"), std::string::npos);
}

TEST(PdfWriter, EmptyDocumentHasOnePageWithItsFrame) {
  PdfWriter w(Options());
  PdfFile file(w.Finish());
  EXPECT_EQ(file.Pages(), 1);
  EXPECT_NE(file.Text().find("Page 1 of 1"), std::string::npos);
}

}  // namespace
}  // namespace cp::document
