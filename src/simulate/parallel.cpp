// A minimal parallel loop over independent tasks. Results are written to per-task slots
// and combined by the caller in task order, which is what keeps the simulator's output
// independent of the number of threads.
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "model.hpp"

namespace cxkit::simulate::detail {

unsigned resolve_threads(unsigned threads) noexcept {
  if (threads != 0) return threads;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t, unsigned)>& task) {
  const auto workers = static_cast<unsigned>(std::min<std::size_t>(resolve_threads(threads), n));
  if (workers <= 1) {
    for (std::size_t i = 0; i < n; ++i) task(i, 0);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  const auto run = [&](unsigned worker) {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= n || failed.load()) return;
      try {
        task(i, worker);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        failed.store(true);
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  try {
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(run, w);
  } catch (...) {  // no more threads: stop the ones started, then report
    failed.store(true);
    for (auto& t : pool) t.join();
    throw;
  }
  run(0);
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace cxkit::simulate::detail
