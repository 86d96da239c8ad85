// Progress and cancellation in journey discovery (DiscoverOptions::progress). Checked: the
// callback contract (done non-decreasing, done <= total, total = events of the cases
// discovered, last call at total, calling thread only, coarse blocks), results identical with
// and without a callback for 1, 2 and 4 threads, and a false return throwing Cancelled (from
// the scan and from the last report) with every worker thread joined.
#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "cxkit/core/event_log.hpp"
#include "cxkit/core/progress.hpp"
#include "cxkit/journey/discover.hpp"
#include "progress_recorder.hpp"

using namespace cxkit;
using namespace cxkit::journey;
using cxkit_test::expect_contract;
using cxkit_test::Recorder;

namespace {

// `n_cases` cases of 3-12 events over 9 activities, times increasing: ~7.5 events per case.
EventLog log_of(std::size_t n_cases) {
  EventLogBuilder b;
  std::uint64_t x = 88172645463325252ULL;
  const char* acts[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
  for (std::size_t c = 0; c < n_cases; ++c) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    const std::size_t len = 3 + x % 10;
    std::int64_t t = 1'700'000'000'000'000 + static_cast<std::int64_t>(c) * 1'000'000;
    const std::string id = "c" + std::to_string(c);
    for (std::size_t i = 0; i < len; ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      b.add_event(id, acts[x % 9 < 6 ? i % 6 : x % 9], from_micros(t));
      t += static_cast<std::int64_t>(x % 100'000) * 1'000'000;
    }
  }
  return b.build();
}

DiscoverOptions options(unsigned threads) {
  DiscoverOptions o;
  o.threads = threads;
  return o;
}

}  // namespace

TEST(JourneyProgress, ContractAndSameResultForAnyThreadCount) {
  const EventLog log = log_of(40'000);  // ~300k events: 4 threads get >= 64k events each
  ASSERT_GT(log.size(), 4u * 65536u);
  const JourneyMap plain = discover(log, options(1));
  for (unsigned threads : {1u, 2u, 4u}) {
    Recorder r;
    DiscoverOptions o = options(threads);
    o.progress = r.progress();
    const JourneyMap m = discover(log, o);
    EXPECT_TRUE(m == plain) << threads << " threads";
    expect_contract(r, log.size());  // includes: no call from a worker thread
    // Coarse: one report per 65,536 events of the calling thread's range at most, plus a
    // few around the end; never per case or per event.
    EXPECT_LE(r.calls.size(), log.size() / 65536 + 8 + (threads > 1 ? 2000 : 0));
    if (threads == 1) EXPECT_GE(r.calls.size(), log.size() / 65536);
  }
}

TEST(JourneyProgress, SingleThreadReportsEveryBlockOfEvents) {
  const EventLog log = log_of(40'000);
  Recorder r;
  DiscoverOptions o = options(1);
  o.progress = r.progress();
  discover(log, o);
  // Scan reports come at the first case boundary after each 65,536 events: consecutive
  // reports differ by at least 65,536 and by less than 65,536 + the longest case (12).
  std::vector<std::uint64_t> scan;
  for (const auto& [done, total] : r.calls)
    if (scan.empty() || done != scan.back()) scan.push_back(done);
  ASSERT_GE(scan.size(), 2u);
  for (std::size_t i = 1; i + 1 < scan.size(); ++i) {
    EXPECT_GE(scan[i] - scan[i - 1], 65536u);
    EXPECT_LT(scan[i] - scan[i - 1], 65536u + 12u);
  }
}

TEST(JourneyProgress, TotalIsTheEventsOfTheListedCases) {
  const EventLog log = log_of(2'000);
  std::vector<std::uint32_t> cases;
  std::uint64_t events = 0;
  const auto off = log.case_offsets();
  for (std::uint32_t c = 0; c < log.n_cases(); c += 3) {
    cases.push_back(c);
    events += off[c + 1] - off[c];
  }
  Recorder r;
  DiscoverOptions o = options(1);
  o.progress = r.progress();
  const JourneyMap m = discover_cases(log, cases, o);
  expect_contract(r, events);
  EXPECT_EQ(m.n_events(), events);
  EXPECT_TRUE(m == discover_cases(log, cases, options(1)));
}

TEST(JourneyProgress, FalseCancelsFromTheScanWithAnyThreadCount) {
  const EventLog log = log_of(40'000);
  for (unsigned threads : {1u, 3u}) {
    Recorder r;
    r.stop_at_call = 0;
    DiscoverOptions o = options(threads);
    o.progress = r.progress();
    EXPECT_THROW(discover(log, o), Cancelled) << threads << " threads";
    ASSERT_EQ(r.calls.size(), 1u);  // no call after the one that cancelled
    EXPECT_LT(r.calls[0].first, log.size());
  }
}

TEST(JourneyProgress, FalseOnTheLastReportStillCancels) {
  const EventLog log = log_of(3'000);
  Recorder counting;
  DiscoverOptions o = options(2);
  o.progress = counting.progress();
  discover(log, o);
  Recorder r;
  r.stop_at_call = counting.calls.size() - 1;
  o.progress = r.progress();
  EXPECT_THROW(discover(log, o), Cancelled);
  EXPECT_EQ(r.calls.back().first, log.size());
}

TEST(JourneyProgress, CancelledIsACxkitErrorAndTheNextCallWorks) {
  const EventLog log = log_of(20'000);
  DiscoverOptions o = options(4);
  o.progress = {[](std::uint64_t, std::uint64_t) { return false; }};
  try {
    discover(log, o);
    FAIL() << "not cancelled";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cancelled"), std::string::npos);
  }
  o.progress = {};
  EXPECT_EQ(discover(log, o).n_events(), log.size());
}

TEST(JourneyProgress, EmptyLogReportsZeroOfZero) {
  Recorder r;
  DiscoverOptions o = options(1);
  o.progress = r.progress();
  const JourneyMap m = discover(EventLog{}, o);
  EXPECT_EQ(m.n_cases(), 0u);
  EXPECT_EQ(r.calls.back(), (std::pair<std::uint64_t, std::uint64_t>{0, 0}));
}
