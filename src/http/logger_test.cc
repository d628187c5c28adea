#include "http/logger.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace cp::http {
namespace {

TEST(LoggerTest, FormatsIso8601Utc) {
  // 2024-02-29T13:45:06.789Z
  const cp::TimePoint t = cp::FromUnixSeconds(1709214306) + std::chrono::microseconds(789'456);
  EXPECT_EQ(FormatUtcIso8601(t), "2024-02-29T13:45:06.789Z");
  EXPECT_EQ(FormatUtcIso8601(cp::FromUnixSeconds(0)), "1970-01-01T00:00:00.000Z");
}

TEST(LoggerTest, AccessLineIsJsonWithExactFields) {
  AccessLogEntry e;
  e.time = cp::FromUnixSeconds(0);
  e.request_id = "0123456789abcdef0123456789abcdef";
  e.method = "GET";
  e.route = "/api/v1/children/{uin}";
  e.status = 200;
  e.duration_ms = 1.23456;
  e.bytes = 42;
  const std::string line = FormatAccessLogLine(e);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto o = boost::json::parse(line).as_object();
  EXPECT_EQ(o.size(), 8u);
  EXPECT_EQ(o["time"].as_string(), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(o["type"].as_string(), "access");
  EXPECT_EQ(o["request_id"].as_string(), e.request_id);
  EXPECT_EQ(o["method"].as_string(), "GET");
  EXPECT_EQ(o["route"].as_string(), "/api/v1/children/{uin}");
  EXPECT_EQ(o["status"].to_number<int>(), 200);
  EXPECT_DOUBLE_EQ(o["duration_ms"].to_number<double>(), 1.235);
  EXPECT_EQ(o["bytes"].to_number<int>(), 42);

  e.route.clear();
  EXPECT_EQ(boost::json::parse(FormatAccessLogLine(e)).at("route").as_string(), "-");
}

TEST(LoggerTest, MemoryAndFileLoggers) {
  MemoryLogger m;
  m.Write("a");
  m.Write("b");
  EXPECT_EQ(m.lines(), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(FileLogger::Open("/nonexistent-dir/x.log").ok());
}

}  // namespace
}  // namespace cp::http
