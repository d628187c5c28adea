// Test helper: reads a PDF back with poppler's pdftotext and pdfinfo (poppler-utils, installed
// by scripts/install-deps; a hard dependency of the tests that use this). Header-only, for
// tests only; gtest expectations report a failing tool.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace cp::document::testing {

inline std::string RunTool(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return out;
  }
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  int rc = ::pclose(pipe);
  EXPECT_EQ(rc, 0) << command;
  return out;
}

// The PDF bytes in a temporary file for the life of the object.
class PdfFile {
 public:
  explicit PdfFile(const std::string& bytes) {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("cp-pdf-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".pdf"))
                .string();
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~PdfFile() { std::filesystem::remove(path_); }
  PdfFile(const PdfFile&) = delete;
  PdfFile& operator=(const PdfFile&) = delete;

  // UTF-8 text of page `page` (1-based), or of every page when 0. Without `keep_diagonal`,
  // diagonal text (a watermark) is left out.
  std::string Text(int page = 0, bool keep_diagonal = true) const {
    std::string range =
        page > 0 ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
    return RunTool("pdftotext -q -enc UTF-8" + std::string(keep_diagonal ? "" : " -nodiag") +
                   range + " '" + path_ + "' -");
  }
  std::string Info() const { return RunTool("pdfinfo '" + path_ + "'"); }
  int Pages() const {
    std::string info = Info();
    auto pos = info.find("Pages:");
    if (pos == std::string::npos) return -1;
    return std::stoi(info.substr(pos + 6));
  }

 private:
  std::string path_;
};

// Collapses runs of whitespace to one space, so wrapped text can be searched as one phrase.
inline std::string Squash(const std::string& s) {
  std::string out;
  for (char c : s) {
    bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace cp::document::testing
