// ParallelFor: splits [0, n) into at most `max_threads` contiguous ranges and runs f(begin, end)
// on each, one on the calling thread and the others on threads of their own, returning when all
// are done. Below `min_parallel` items (or on a single-core machine) it runs f(0, n) on the
// caller's thread only. `f` must be safe to call concurrently on disjoint ranges; it must not
// throw.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace cp {

template <typename F>
void ParallelFor(size_t n, F&& f, size_t min_parallel = 256, size_t max_threads = 4) {
  const size_t threads =
      std::clamp<size_t>(std::thread::hardware_concurrency(), 1, std::max<size_t>(1, max_threads));
  if (n < min_parallel || threads == 1) {
    f(size_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  const size_t per = (n + threads - 1) / threads;
  for (size_t t = 1; t < threads; ++t) {
    const size_t b = std::min(n, t * per);
    const size_t e = std::min(n, b + per);
    if (b < e) pool.emplace_back([&f, b, e] { f(b, e); });
  }
  f(size_t{0}, std::min(n, per));
  for (auto& th : pool) th.join();
}

}  // namespace cp
