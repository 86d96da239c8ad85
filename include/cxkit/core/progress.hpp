// Progress reporting and cancellation for long operations.
//
//   cxkit::simulate::CompanyOptions o;
//   o.progress.callback = [](std::uint64_t done, std::uint64_t total) {
//     std::fprintf(stderr, "\r%llu / %llu", (unsigned long long)done, (unsigned long long)total);
//     return !stop_requested;  // false cancels: the operation throws cxkit::Cancelled
//   };
//
// Thread rules. An operation reports through a ProgressReporter created on the thread that
// called it (the "owner"). Worker threads only add to an atomic counter; the callback runs
// on the owner thread alone, never concurrently with itself, so it needs no locking and may
// use thread-affine state (the Python bindings take the GIL and check for Ctrl-C there).
// It is called at coarse intervals (per block of work, never per event), with `done`
// non-decreasing, done <= total, and a last call with done == total when the work succeeds.
//
// Progress never changes an operation's result: the same inputs give the same output with
// or without a callback. A cancelled operation returns nothing (no partial result).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>

#include "cxkit/core/error.hpp"

namespace cxkit {

/// Thrown by a long operation when its progress callback returned false.
class Cancelled : public Error {
 public:
  Cancelled() : Error("operation cancelled by its progress callback") {}
};

/// An optional progress callback; empty means "no reporting" (and costs nothing).
struct Progress {
  /// Called with (units done, units in total); return false to cancel the operation.
  /// Must not throw through cxkit unless the caller is prepared to catch that exception
  /// in place of the result (it propagates like any error of the operation).
  std::function<bool(std::uint64_t done, std::uint64_t total)> callback;

  explicit operator bool() const noexcept { return static_cast<bool>(callback); }
};

/// Drives a Progress for one operation of `total` units. Construct it on the calling thread.
/// advance() may be called from any thread; only calls on the owner thread invoke the
/// callback (with the counter's current value, so work done by other threads shows up).
/// Throws Cancelled from advance()/finish() on the owner thread when the callback returns false.
class ProgressReporter {
 public:
  ProgressReporter(const Progress& progress, std::uint64_t total)
      : progress_(progress), total_(total), owner_(std::this_thread::get_id()) {}

  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  /// Adds `units` of completed work. O(1); calls the callback only on the owner thread.
  void advance(std::uint64_t units) {
    const std::uint64_t now = done_.fetch_add(units, std::memory_order_relaxed) + units;
    if (!progress_ || std::this_thread::get_id() != owner_) return;
    report(std::min(now, total_));
  }

  /// Reports done == total. Call on the owner thread once the work has succeeded.
  void finish() {
    if (progress_) report(total_);
  }

  std::uint64_t total() const noexcept { return total_; }

 private:
  void report(std::uint64_t done) {
    // The counter can be read after a later fetch_add than another owner call saw, never
    // before: done only grows. Clamp anyway so a caller's over-count cannot break the contract.
    done = std::max(done, last_);
    last_ = done;
    if (!progress_.callback(done, total_)) throw Cancelled();
  }

  const Progress& progress_;
  const std::uint64_t total_;
  const std::thread::id owner_;
  std::atomic<std::uint64_t> done_{0};
  std::uint64_t last_ = 0;  // owner thread only
};

}  // namespace cxkit
