// PeriodicTask: runs a function once at Start and then every `interval` on one background
// thread, until Stop (or destruction). A run that fails is simply retried at the next tick:
// the function must be idempotent. Start/Stop are thread-safe; the function runs on the task's
// thread only, never twice at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace cp::workflow {

class PeriodicTask {
 public:
  PeriodicTask(std::function<void()> run, std::chrono::milliseconds interval);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  void Start();
  void Stop();

 private:
  std::function<void()> run_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cp::workflow
