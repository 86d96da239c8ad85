// Test helpers shared by the progress tests (test_progress, test_journey_progress,
// test_feedback_progress, test_progress_pillars): a cxkit::Progress callback that records its
// calls, and the one check of the callback contract documented in cxkit/core/progress.hpp.
// Header-only and included by several test executables, so everything here is inline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "cxkit/core/progress.hpp"

namespace cxkit_test {

/// The (done, total) pairs a callback received, in call order.
using Calls = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

/// A callback recording its calls and whether any came from a thread other than the one that
/// created the Recorder (the contract allows calls only on the calling thread).
/// Not thread-safe by design: a call from a worker is exactly what the tests must detect, and
/// `other_thread` is set by that call before anything else can go wrong.
struct Recorder {
  Calls calls;
  std::thread::id caller = std::this_thread::get_id();
  bool other_thread = false;
  /// The 0-based call on which the callback returns false (asking to cancel); none by default.
  std::size_t stop_at_call = std::numeric_limits<std::size_t>::max();

  /// A Progress pointing at this Recorder: the Recorder must outlive every use of it.
  cxkit::Progress progress() {
    return {[this](std::uint64_t done, std::uint64_t total) {
      other_thread |= std::this_thread::get_id() != caller;
      calls.emplace_back(done, total);
      return calls.size() - 1 != stop_at_call;
    }};
  }
};

/// The callback contract: at least one call, every call on the calling thread with the same
/// `total`, `done` non-decreasing and never above `total`, and the last call at done == total.
/// Complexity: O(calls). Failures are reported through gtest, nothing is thrown.
inline void expect_contract(const Recorder& r, std::uint64_t total) {
  ASSERT_FALSE(r.calls.empty()) << "the callback was never called";
  EXPECT_FALSE(r.other_thread) << "the callback ran on a worker thread";
  std::uint64_t prev = 0;
  for (const auto& [done, t] : r.calls) {
    EXPECT_EQ(t, total);
    EXPECT_LE(done, total);
    EXPECT_GE(done, prev);
    prev = done;
  }
  EXPECT_EQ(r.calls.back().first, total);
}

}  // namespace cxkit_test
