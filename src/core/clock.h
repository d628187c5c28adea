// Clock: the one source of "now" for the whole product.
//
// Every component that needs the time takes a `const Clock&` (or a shared pointer to one) at
// construction, so tests drive time with FakeClock and never sleep or depend on today's date.
// Implementations must be thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace cp {

using TimePoint = std::chrono::sys_time<std::chrono::microseconds>;
using Duration = std::chrono::microseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  // Current UTC wall-clock time.
  virtual TimePoint Now() const = 0;
};

// The real system clock.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// A clock that moves only when told. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : micros_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(Duration(micros_.load())); }
  void Advance(Duration d) { micros_ += d.count(); }
  void Set(TimePoint t) { micros_ = t.time_since_epoch().count(); }

 private:
  std::atomic<int64_t> micros_;
};

// Seconds since the Unix epoch.
inline int64_t ToUnixSeconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline TimePoint FromUnixSeconds(int64_t s) {
  return TimePoint(std::chrono::duration_cast<Duration>(std::chrono::seconds(s)));
}

}  // namespace cp
