// Properties: maps of disjoint case sets merge into the map of the whole log, exactly
// (medians and quantiles included), whatever the dictionaries' order; results do not
// depend on the thread count.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/journey/discover.hpp"

using namespace cxkit;
using namespace cxkit::journey;

namespace {

struct RawEvent {
  std::string c, a;
  std::int64_t t;
};

// Random cases: 1-12 events, activities from a skewed set of 8 (so variants repeat), times
// increasing within a case with ties, spread over weeks so business time matters.
std::vector<std::vector<RawEvent>> random_cases(std::size_t n_cases, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const char* acts[] = {"signup", "onboard", "call", "ticket", "renew", "churn", "upgrade", "nps \"survey\""};
  std::vector<std::vector<RawEvent>> cases(n_cases);
  for (std::size_t c = 0; c < n_cases; ++c) {
    const std::size_t len = 1 + rng() % 12;
    std::int64_t t = 1'700'000'000'000'000 + static_cast<std::int64_t>(rng() % 1'000'000) * 1'000'000;
    for (std::size_t i = 0; i < len; ++i) {
      const std::size_t a = std::min<std::size_t>(rng() % 8, rng() % 8);
      cases[c].push_back({"case" + std::to_string(c), acts[a], t});
      if (rng() % 4 != 0) t += static_cast<std::int64_t>(rng() % 400'000) * 1'000'000;
    }
  }
  return cases;
}

// Events of the chosen cases. `reverse_cases` feeds the cases back to front, which gives
// other case and activity dictionary orders; each case's events keep their order.
EventLog build(const std::vector<std::vector<RawEvent>>& cases, const std::vector<std::size_t>& which,
               bool reverse_cases) {
  EventLogBuilder b;
  std::vector<std::size_t> order = which;
  if (reverse_cases) std::reverse(order.begin(), order.end());
  for (std::size_t c : order)
    for (const RawEvent& e : cases[c]) b.add_event(e.c, e.a, from_micros(e.t));
  return b.build();
}

bool same(double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; }

void expect_same_summaries(const JourneyMap& x, const JourneyMap& y) {
  ASSERT_EQ(x.edges().size(), y.edges().size());
  for (std::size_t i = 0; i < x.edges().size(); ++i) {
    const DurationSummary &a = x.edges()[i].summary, &b = y.edges()[i].summary;
    EXPECT_EQ(a.count, b.count);
    EXPECT_TRUE(same(a.sum, b.sum));
    EXPECT_TRUE(same(a.mean, b.mean));
    EXPECT_TRUE(same(a.median, b.median));
    EXPECT_TRUE(same(a.min, b.min));
    EXPECT_TRUE(same(a.max, b.max));
    EXPECT_TRUE(same(a.stdev, b.stdev)) << a.stdev << " vs " << b.stdev;
    ASSERT_EQ(a.quantiles.size(), b.quantiles.size());
    for (std::size_t k = 0; k < a.quantiles.size(); ++k) EXPECT_TRUE(same(a.quantiles[k], b.quantiles[k]));
  }
  ASSERT_EQ(x.variants().size(), y.variants().size());
  for (std::size_t i = 0; i < x.variants().size(); ++i) {
    EXPECT_EQ(x.variants()[i].share, y.variants()[i].share);
    EXPECT_TRUE(same(x.variants()[i].summary.median, y.variants()[i].summary.median));
    EXPECT_TRUE(same(x.variants()[i].summary.stdev, y.variants()[i].summary.stdev));
  }
}

void check_merge_property(const DiscoverOptions& opt, std::uint64_t seed) {
  const auto cases = random_cases(400, seed);
  std::mt19937_64 rng(seed + 1);
  std::vector<std::size_t> all, part[3];
  for (std::size_t c = 0; c < cases.size(); ++c) {
    all.push_back(c);
    part[rng() % 3].push_back(c);
  }
  const JourneyMap whole = discover(build(cases, all, false), opt);
  // Partitions built with different dictionary orders.
  const JourneyMap m0 = discover(build(cases, part[0], true), opt);
  const JourneyMap m1 = discover(build(cases, part[1], false), opt);
  const JourneyMap m2 = discover(build(cases, part[2], true), opt);

  JourneyMap left;  // empty: adopts the first map's settings
  left.merge(m0);
  left.merge(m1);
  left.merge(m2);
  EXPECT_EQ(left, whole);
  expect_same_summaries(left, whole);

  JourneyMap right = m2;  // another association and order
  JourneyMap mid = m1;
  mid.merge(m0);
  right.merge(mid);
  EXPECT_EQ(right, whole);
  expect_same_summaries(right, whole);
  EXPECT_EQ(right.n_cases(), 400u);
}

}  // namespace

TEST(JourneyMerge, ExactDurationsMergeExactly) { check_merge_property(DiscoverOptions{}, 1); }

TEST(JourneyMerge, SketchAndMomentsMergeExactly) {
  DiscoverOptions o;
  o.durations = DurationMode::sketch;
  check_merge_property(o, 2);
  o.durations = DurationMode::moments;
  check_merge_property(o, 3);
  o.durations = DurationMode::none;
  o.variants = false;
  check_merge_property(o, 4);
}

TEST(JourneyMerge, BusinessTimeMapsMergeExactly) {
  DiscoverOptions o;
  o.calendar = Calendar::business_hours("Europe/Amsterdam");
  o.quantiles = {0.1, 0.5, 0.95};
  check_merge_property(o, 5);
}

TEST(JourneyMerge, IncompatibleSettingsAreRejected) {
  const auto cases = random_cases(20, 9);
  const EventLog log = build(cases, {0, 1, 2, 3, 4}, false);
  DiscoverOptions sketch;
  sketch.durations = DurationMode::sketch;
  JourneyMap a = discover(log);
  EXPECT_THROW(a.merge(discover(log, sketch)), InputError);
  DiscoverOptions business;
  business.calendar = Calendar::business_hours("UTC");
  EXPECT_THROW(a.merge(discover(log, business)), InputError);
  DiscoverOptions q;
  q.quantiles = {0.5};
  EXPECT_THROW(a.merge(discover(log, q)), InputError);
  // An empty map is neutral on either side.
  const JourneyMap before = a;
  a.merge(JourneyMap{});
  EXPECT_EQ(a, before);
}

TEST(JourneyMerge, SameResultForAnyThreadCount) {
  // Enough events (> 4 * 65536) for several threads to engage.
  const auto cases = random_cases(50'000, 21);
  std::vector<std::size_t> all(cases.size());
  for (std::size_t c = 0; c < all.size(); ++c) all[c] = c;
  const EventLog log = build(cases, all, false);
  ASSERT_GT(log.size(), 4u * 65536u);
  for (DurationMode mode : {DurationMode::exact, DurationMode::sketch}) {
    DiscoverOptions o;
    o.durations = mode;
    o.threads = 1;
    const JourneyMap one = discover(log, o);
    for (unsigned t : {2u, 3u, 4u, 7u}) {
      o.threads = t;
      const JourneyMap many = discover(log, o);
      EXPECT_EQ(many, one) << t << " threads";
      expect_same_summaries(many, one);
      // Bit-identical down to the order of stored durations.
      for (std::size_t i = 0; i < one.edges().size(); ++i) {
        const auto x = one.edges()[i].durations.values(), y = many.edges()[i].durations.values();
        ASSERT_TRUE(std::equal(x.begin(), x.end(), y.begin(), y.end())) << t << " threads, edge " << i;
      }
    }
  }
}
