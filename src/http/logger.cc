#include "http/logger.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <string>

namespace cp::http {

void StderrLogger::Write(std::string_view line) {
  // One write(2) per line: stderr is unbuffered, so a separate newline would be a second
  // system call on every request.
  std::string out;
  out.reserve(line.size() + 1);
  out.append(line).push_back('\n');
  std::lock_guard lock(mu_);
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

cp::Result<std::unique_ptr<FileLogger>> FileLogger::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return cp::Status::Unavailable("cannot open log file");
  std::FILE* file = ::fdopen(fd, "a");
  if (file == nullptr) {
    ::close(fd);
    return cp::Status::Unavailable("cannot open log file");
  }
  return std::unique_ptr<FileLogger>(new FileLogger(file));
}

FileLogger::~FileLogger() { std::fclose(file_); }

void FileLogger::Write(std::string_view line) {
  std::lock_guard lock(mu_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fputc('\n', file_);
  std::fflush(file_);
}

void MemoryLogger::Write(std::string_view line) {
  std::lock_guard lock(mu_);
  lines_.emplace_back(line);
}

std::vector<std::string> MemoryLogger::lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

std::string FormatUtcIso8601(cp::TimePoint time) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(time);
  const auto day = std::chrono::floor<std::chrono::days>(ms);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(ms - day);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buf;
}

std::string FormatAccessLogLine(const AccessLogEntry& entry) {
  boost::json::object o;
  o["time"] = FormatUtcIso8601(entry.time);
  o["type"] = "access";
  o["request_id"] = entry.request_id;
  o["method"] = entry.method;
  o["route"] = entry.route.empty() ? std::string("-") : entry.route;
  o["status"] = entry.status;
  o["duration_ms"] = std::round(entry.duration_ms * 1000.0) / 1000.0;
  o["bytes"] = entry.bytes;
  return boost::json::serialize(o);
}

}  // namespace cp::http
