#include "workflow/periodic_task.h"

#include <utility>

namespace cp::workflow {

PeriodicTask::PeriodicTask(std::function<void()> run, std::chrono::milliseconds interval)
    : run_(std::move(run)), interval_(interval) {}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> held(mu_);
    while (!stopping_) {
      held.unlock();
      run_();
      held.lock();
      wake_.wait_for(held, interval_, [this] { return stopping_; });
    }
  });
}

void PeriodicTask::Stop() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

}  // namespace cp::workflow
