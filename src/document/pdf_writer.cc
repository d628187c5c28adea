#include "document/pdf_writer.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>

#include "document/win_ansi.h"

namespace cp::document {
namespace {

// A4 in points, and the frame the body is laid out in.
constexpr double kPageWidth = 595;
constexpr double kPageHeight = 842;
constexpr double kMarginX = 56;
constexpr double kBodyTop = 766;
constexpr double kBodyBottom = 78;
constexpr double kTextWidth = kPageWidth - 2 * kMarginX;
constexpr double kLeading = 1.35;  // Line height as a multiple of the font size.
constexpr double kCellPadding = 4;

// Advance widths (1/1000 em) of the printable ASCII characters 0x20..0x7E, from Adobe's AFM
// files for the standard 14 fonts. Other WinAnsi bytes use kOtherWidth (a little wide, so
// lines wrap early rather than overflow).
constexpr uint16_t kHelvetica[95] = {
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333,  278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,  611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278,  556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,  500, 334, 260, 334, 584};
constexpr uint16_t kHelveticaBold[95] = {
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584};
constexpr double kOtherWidth = 667;

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

// A PDF literal string: parentheses and backslashes escaped, other bytes outside printable
// ASCII written as octal escapes (so the file stays 7-bit apart from its binary marker).
std::string PdfString(std::string_view win_ansi) {
  std::string out = "(";
  for (char ch : win_ansi) {
    auto c = static_cast<uint8_t>(ch);
    if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c >= 0x7F) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\%03o", c);
      out += buffer;
    } else {
      out += ch;
    }
  }
  return out + ")";
}

std::vector<double> ColumnWidths(size_t columns, const std::vector<double>& shares) {
  std::vector<double> widths(columns, kTextWidth / static_cast<double>(columns));
  if (shares.size() != columns) return widths;
  double total = std::accumulate(shares.begin(), shares.end(), 0.0);
  if (total <= 0) return widths;
  for (size_t i = 0; i < columns; ++i) widths[i] = kTextWidth * shares[i] / total;
  return widths;
}

}  // namespace

double TextWidth(std::string_view win_ansi, bool bold, double size) {
  const uint16_t* table = bold ? kHelveticaBold : kHelvetica;
  double units = 0;
  for (char ch : win_ansi) {
    auto c = static_cast<uint8_t>(ch);
    units += (c >= 0x20 && c <= 0x7E) ? table[c - 0x20] : kOtherWidth;
  }
  return units * size / 1000.0;
}

PdfWriter::PdfWriter(DocumentOptions options) : options_(std::move(options)) { NewPage(); }

void PdfWriter::NewPage() {
  pages_.emplace_back();
  y_ = kBodyTop;
}

void PdfWriter::PageBreak() { NewPage(); }

void PdfWriter::Ensure(double height) {
  if (y_ - height < kBodyBottom && y_ < kBodyTop) NewPage();
}

void PdfWriter::Space(double points) { y_ -= points; }

void PdfWriter::Text(double x, double y, Font font, std::string_view win_ansi) {
  pages_.back() += "BT /" + std::string(font.bold ? "F2 " : "F1 ") + Number(font.size) +
                   " Tf 1 0 0 1 " + Number(x) + " " + Number(y) + " Tm " + PdfString(win_ansi) +
                   " Tj ET\n";
}

std::vector<std::string> PdfWriter::Wrap(std::string_view text, Font font, double width) const {
  std::vector<std::string> lines;
  std::string line;
  auto fits = [&](std::string_view s) { return TextWidth(s, font.bold, font.size) <= width; };
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos >= text.size()) break;
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string word(text.substr(pos, end - pos));
    pos = end;
    std::string candidate = line.empty() ? word : line + " " + word;
    if (fits(candidate)) {
      line = std::move(candidate);
      continue;
    }
    if (!line.empty()) lines.push_back(std::move(line));
    line.clear();
    // A word wider than the column is broken between characters.
    while (!fits(word)) {
      size_t n = 1;
      while (n < word.size() && fits(word.substr(0, n + 1))) ++n;
      lines.push_back(word.substr(0, n));
      word.erase(0, n);
    }
    line = std::move(word);
  }
  if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

void PdfWriter::Heading(std::string_view text, int level) {
  Font font{true, level <= 1 ? 16.0 : level == 2 ? 13.0 : 11.0};
  auto lines = Wrap(ToWinAnsi(text), font, kTextWidth);
  double line_height = font.size * kLeading;
  if (y_ < kBodyTop) y_ -= font.size * 0.6;  // Space above, except at the top of a page.
  // Keep the heading with the two lines that follow it.
  Ensure(line_height * static_cast<double>(lines.size()) + 2 * 10 * kLeading);
  for (const auto& line : lines) {
    y_ -= font.size;
    Text(kMarginX, y_, font, line);
    y_ -= line_height - font.size;
  }
  y_ -= 2;
}

void PdfWriter::Paragraph(std::string_view text, bool bold, bool small) {
  Font font{bold, small ? 8.0 : 10.0};
  double line_height = font.size * kLeading;
  for (const auto& line : Wrap(ToWinAnsi(text), font, kTextWidth)) {
    Ensure(line_height);
    y_ -= font.size;
    Text(kMarginX, y_, font, line);
    y_ -= line_height - font.size;
  }
  y_ -= 4;
}

void PdfWriter::Field(std::string_view label, std::string_view value, std::string_view note) {
  const double label_width = kTextWidth * 0.34;
  const double value_x = kMarginX + label_width + 8;
  const double value_width = kTextWidth - label_width - 8;
  Font label_font{true, 10};
  Font value_font{false, 10};
  Font note_font{false, 8};
  auto label_lines = Wrap(ToWinAnsi(label), label_font, label_width);
  auto value_lines = Wrap(ToWinAnsi(value), value_font, value_width);
  std::vector<std::string> note_lines;
  if (!note.empty()) note_lines = Wrap(ToWinAnsi(note), note_font, value_width);
  double lh = 10 * kLeading;
  double nh = 8 * kLeading;
  double height = std::max(
      static_cast<double>(label_lines.size()) * lh,
      static_cast<double>(value_lines.size()) * lh + static_cast<double>(note_lines.size()) * nh);
  Ensure(std::min(height, kBodyTop - kBodyBottom));
  double top = y_;
  for (size_t i = 0; i < label_lines.size(); ++i) {
    Text(kMarginX, top - 10 - static_cast<double>(i) * lh, label_font, label_lines[i]);
  }
  double y = top;
  for (const auto& line : value_lines) {
    Text(value_x, y - 10, value_font, line);
    y -= lh;
  }
  for (const auto& line : note_lines) {
    pages_.back() += "0.35 g\n";
    Text(value_x, y - 8, note_font, line);
    pages_.back() += "0 g\n";
    y -= nh;
  }
  y_ = top - height - 4;
}

void PdfWriter::TableHeader(const std::vector<std::string>& header,
                            const std::vector<double>& widths) {
  Font font{true, 9};
  double lh = 9 * kLeading;
  std::vector<std::vector<std::string>> cells;
  size_t rows = 1;
  for (size_t c = 0; c < header.size(); ++c) {
    cells.push_back(Wrap(ToWinAnsi(header[c]), font, widths[c] - kCellPadding));
    rows = std::max(rows, cells.back().size());
  }
  Ensure(static_cast<double>(rows) * lh + 3 * lh);
  for (size_t r = 0; r < rows; ++r) {
    double x = kMarginX;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (r < cells[c].size()) Text(x, y_ - 9, font, cells[c][r]);
      x += widths[c];
    }
    y_ -= lh;
  }
  pages_.back() += "0.5 G 0.75 w " + Number(kMarginX) + " " + Number(y_ + 2) + " m " +
                   Number(kMarginX + kTextWidth) + " " + Number(y_ + 2) + " l S 0 G\n";
  y_ -= 2;
}

void PdfWriter::Table(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows,
                      const std::vector<double>& shares) {
  if (header.empty()) return;
  auto widths = ColumnWidths(header.size(), shares);
  Font font{false, 9};
  double lh = 9 * kLeading;
  TableHeader(header, widths);
  for (const auto& row : rows) {
    std::vector<std::vector<std::string>> cells;
    size_t lines = 1;
    for (size_t c = 0; c < header.size(); ++c) {
      std::string text = c < row.size() ? ToWinAnsi(row[c]) : std::string();
      cells.push_back(Wrap(text, font, widths[c] - kCellPadding));
      lines = std::max(lines, cells.back().size());
    }
    double height = static_cast<double>(lines) * lh;
    size_t page_before = pages_.size();
    Ensure(std::min(height, kBodyTop - kBodyBottom - 3 * lh));
    if (pages_.size() != page_before) TableHeader(header, widths);
    for (size_t r = 0; r < lines; ++r) {
      page_before = pages_.size();
      Ensure(lh);
      if (pages_.size() != page_before) TableHeader(header, widths);
      double x = kMarginX;
      for (size_t c = 0; c < cells.size(); ++c) {
        if (r < cells[c].size()) Text(x, y_ - 9, font, cells[c][r]);
        x += widths[c];
      }
      y_ -= lh;
    }
    pages_.back() += "0.8 G 0.5 w " + Number(kMarginX) + " " + Number(y_ + 2) + " m " +
                     Number(kMarginX + kTextWidth) + " " + Number(y_ + 2) + " l S 0 G\n";
    y_ -= 2;
  }
  y_ -= 6;
}

std::string PdfWriter::Finish() {
  const size_t page_count = pages_.size();
  std::string title = ToWinAnsi(options_.title);
  std::string header = ToWinAnsi(options_.header);
  std::string footer = ToWinAnsi(options_.footer);
  std::string watermark = ToWinAnsi(options_.watermark);

  std::vector<std::string> objects;  // Object n is objects[n - 1].
  std::string kids;
  for (size_t i = 0; i < page_count; ++i) {
    kids += std::to_string(6 + 2 * i) + " 0 R ";
  }
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(page_count) +
                    " >>");
  objects.push_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  objects.push_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
  std::string info = "<< /Title " + PdfString(title) + " /Producer " +
                     PdfString(ToWinAnsi(options_.producer)) + " /Creator " +
                     PdfString(ToWinAnsi(options_.producer));
  if (!options_.creation_date.empty()) {
    info += " /CreationDate " + PdfString(options_.creation_date);
  }
  objects.push_back(info + " >>");

  for (size_t i = 0; i < page_count; ++i) {
    std::string content;
    if (!watermark.empty()) {
      // Diagonal, light grey, centred, under the text.
      double size = 46;
      double width = TextWidth(watermark, true, size);
      if (width > 680) {
        size = size * 680 / width;
        width = 680;
      }
      const double c = 0.70710678;
      double x = kPageWidth / 2 - (width / 2) * c + (size / 3) * c;
      double y = kPageHeight / 2 - (width / 2) * c - (size / 3) * c;
      content += "q 0.82 g BT /F2 " + Number(size) + " Tf " + Number(c) + " " + Number(c) + " " +
                 Number(-c) + " " + Number(c) + " " + Number(x) + " " + Number(y) + " Tm " +
                 PdfString(watermark) + " Tj ET Q\n";
    }
    auto line = [&](double x, double y, bool bold, double size, const std::string& text) {
      content += "BT /" + std::string(bold ? "F2 " : "F1 ") + Number(size) + " Tf 1 0 0 1 " +
                 Number(x) + " " + Number(y) + " Tm " + PdfString(text) + " Tj ET\n";
    };
    // Running header: title (and the watermark's words, right), the header line, a rule.
    line(kMarginX, 812, true, 9, title);
    if (!watermark.empty()) {
      line(kMarginX + kTextWidth - TextWidth(watermark, true, 9), 812, true, 9, watermark);
    }
    line(kMarginX, 800, false, 9, header);
    content += "0.5 G 0.75 w " + Number(kMarginX) + " 792 m " + Number(kMarginX + kTextWidth) +
               " 792 l S 0 G\n";
    // Running footer: a rule, the footer line (wrapped to two lines at most), page n of m.
    std::string page_label = "Page " + std::to_string(i + 1) + " of " + std::to_string(page_count);
    double label_width = TextWidth(page_label, false, 8);
    content += "0.5 G 0.75 w " + Number(kMarginX) + " 62 m " + Number(kMarginX + kTextWidth) +
               " 62 l S 0 G\n";
    auto footer_lines = Wrap(footer, Font{false, 8}, kTextWidth - label_width - 16);
    for (size_t l = 0; l < footer_lines.size() && l < 2; ++l) {
      line(kMarginX, 50 - 10 * static_cast<double>(l), false, 8, footer_lines[l]);
    }
    line(kMarginX + kTextWidth - label_width, 50, false, 8, page_label);
    content += pages_[i];

    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + Number(kPageWidth) + " " +
                      Number(kPageHeight) +
                      "] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents " +
                      std::to_string(7 + 2 * i) + " 0 R >>");
    objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
                      "endstream");
  }

  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t n = 0; n < objects.size(); ++n) {
    offsets.push_back(out.size());
    out += std::to_string(n + 1) + " 0 obj\n" + objects[n] + "\nendobj\n";
  }
  size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    char entry[24];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    out += entry;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R /Info 5 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

}  // namespace cp::document
