// Logger: a sink for structured (one JSON object per line) log records, and the access-log
// record the Server writes for every request.
//
// Access-log lines deliberately hold no personal data: the route PATTERN (never the raw path,
// which may contain a UIN), no query string, no body, no cookies, no header values, no client
// IP. Example:
//   {"time":"2024-05-01T12:00:00.123Z","type":"access","request_id":"9f..","method":"GET",
//    "route":"/api/v1/children/{uin}","status":200,"duration_ms":1.25,"bytes":512}
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace cp::http {

class Logger {
 public:
  virtual ~Logger() = default;
  // Writes one line (`line` carries no trailing newline; the sink adds it). Thread-safe: lines
  // from concurrent callers never interleave. Never throws; failures are dropped.
  virtual void Write(std::string_view line) = 0;
};

// Writes to stderr.
class StderrLogger final : public Logger {
 public:
  void Write(std::string_view line) override;

 private:
  std::mutex mu_;
};

// Appends to a file, flushing every line.
class FileLogger final : public Logger {
 public:
  // Opens `path` for appending (created with mode 0600 if absent). Unavailable on failure.
  static cp::Result<std::unique_ptr<FileLogger>> Open(const std::string& path);
  ~FileLogger() override;
  FileLogger(const FileLogger&) = delete;
  FileLogger& operator=(const FileLogger&) = delete;
  void Write(std::string_view line) override;

 private:
  explicit FileLogger(std::FILE* file) : file_(file) {}
  std::mutex mu_;
  std::FILE* file_;  // Owned.
};

// Keeps lines in memory; for tests.
class MemoryLogger final : public Logger {
 public:
  void Write(std::string_view line) override;
  // A copy of every line written so far.
  std::vector<std::string> lines() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

struct AccessLogEntry {
  cp::TimePoint time;  // When the request started (UTC).
  std::string request_id;
  std::string method;
  std::string route;  // Matched pattern; "-" when no route matched or the request was bad.
  int status = 0;
  double duration_ms = 0;
  uint64_t bytes = 0;  // Response body bytes.
};

// One JSON line for `entry` (no trailing newline).
std::string FormatAccessLogLine(const AccessLogEntry& entry);

// "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string FormatUtcIso8601(cp::TimePoint time);

}  // namespace cp::http
