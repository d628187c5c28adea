// PdfWriter: lays out a simple text document (headings, paragraphs, two-column fields, tables)
// on A4 pages and serialises it as PDF 1.4 with the standard Helvetica and Helvetica-Bold
// fonts (WinAnsiEncoding, see win_ansi.h), so `pdftotext` can extract every word.
//
// Every page carries the running header and footer of DocumentOptions and "Page n of m";
// an optional watermark is drawn diagonally across every page, under the text (and is also
// repeated in the header line, so it survives text extraction and black-and-white copies).
//
// Usage: add blocks in reading order, then call Finish() once for the bytes. Text arrives as
// UTF-8; nothing is interpreted as markup. Not thread-safe; a value type.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cp::document {

struct DocumentOptions {
  std::string title;      // The PDF's /Title and the header's first line.
  std::string header;     // Second header line (e.g. the request reference).
  std::string footer;     // Footer line, left (e.g. who produced it and when).
  std::string watermark;  // Empty: none.
  std::string producer = "ContactPoint";
  std::string creation_date;  // PDF date string "D:YYYYMMDDHHmmSSZ", or empty.
};

class PdfWriter {
 public:
  explicit PdfWriter(DocumentOptions options);

  // A heading; level 1 (largest) to 3. Kept on the same page as the next two lines.
  void Heading(std::string_view text, int level = 2);
  // A paragraph, wrapped to the text width. `small` sets it in the smaller size.
  void Paragraph(std::string_view text, bool bold = false, bool small = false);
  // A label (bold, left column) and its value (right column), wrapped in each column. `note`,
  // if any, is a small line under the value (e.g. where the item came from).
  void Field(std::string_view label, std::string_view value, std::string_view note = "");
  // A table with a bold header row; `widths` are the columns' shares of the text width
  // (normalised; equal when empty). Rows are wrapped per cell; the header repeats on every page
  // the table continues on. Cells beyond the header's count are ignored.
  void Table(const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows,
             const std::vector<double>& widths = {});
  // Vertical space.
  void Space(double points = 8);
  // Starts a new page.
  void PageBreak();

  // The PDF bytes. Call once, after the last block.
  std::string Finish();

  // Pages laid out so far (at least 1).
  size_t page_count() const { return pages_.size(); }

 private:
  struct Font {
    bool bold = false;
    double size = 10;
  };
  void Ensure(double height);
  void NewPage();
  void Text(double x, double y, Font font, std::string_view win_ansi);
  std::vector<std::string> Wrap(std::string_view win_ansi, Font font, double width) const;
  void TableHeader(const std::vector<std::string>& header, const std::vector<double>& widths);

  DocumentOptions options_;
  std::vector<std::string> pages_;  // Content stream operators of each page's body.
  double y_ = 0;                    // Current baseline position on the last page.
};

// Width of WinAnsi `text` in points at `size`, with Helvetica (or Helvetica-Bold) metrics.
double TextWidth(std::string_view win_ansi, bool bold, double size);

}  // namespace cp::document
