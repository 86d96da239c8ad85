// Journey discovery on tiny logs whose counts and durations are worked out by hand, plus a
// spot check against pm4py on the running example.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/io/csv.hpp"
#include "cxkit/journey/discover.hpp"

using namespace cxkit;
using namespace cxkit::journey;

namespace {

Timestamp sec(std::int64_t s) { return from_micros(s * 1000000); }

Timestamp iso(const char* s) {
  Timestamp t;
  EXPECT_TRUE(parse_iso8601(s, t)) << s;
  return t;
}

struct Ev {
  const char* c;
  const char* a;
  std::int64_t t;
};

EventLog make_log(const std::vector<Ev>& evs) {
  EventLogBuilder b;
  for (const auto& e : evs) b.add_event(e.c, e.a, sec(e.t));
  return b.build();
}

std::vector<std::string> names(const JourneyMap& m, const Variant& v) {
  std::vector<std::string> out;
  for (auto n : m.variant_names(v)) out.emplace_back(n);
  return out;
}

// Case 1: A B C; case 2: A C; case 3: A B B C; case 4: B.
EventLog tiny() {
  return make_log({{"1", "A", 0}, {"1", "B", 10}, {"1", "C", 30}, {"2", "A", 0}, {"2", "C", 5}, {"3", "A", 0},
                   {"3", "B", 1}, {"3", "B", 3}, {"3", "C", 7}, {"4", "B", 100}});
}

}  // namespace

TEST(JourneyDiscover, CountsActivitiesStartsEndsAndRework) {
  const JourneyMap m = discover(tiny());
  EXPECT_EQ(m.n_cases(), 4u);
  EXPECT_EQ(m.n_events(), 10u);
  ASSERT_EQ(m.activities().size(), 3u);
  const ActivityStats& a = m.activities()[m.activity_index("A")];
  const ActivityStats& b = m.activities()[m.activity_index("B")];
  const ActivityStats& c = m.activities()[m.activity_index("C")];
  EXPECT_EQ(a.events, 3u);
  EXPECT_EQ(a.cases, 3u);
  EXPECT_EQ(b.events, 4u);
  EXPECT_EQ(b.cases, 3u);
  EXPECT_EQ(c.events, 3u);
  EXPECT_EQ(c.cases, 3u);
  EXPECT_EQ(a.starts, 3u);
  EXPECT_EQ(b.starts, 1u);
  EXPECT_EQ(c.starts, 0u);
  EXPECT_EQ(c.ends, 3u);
  EXPECT_EQ(b.ends, 1u);
  EXPECT_EQ(a.ends, 0u);
  EXPECT_EQ(b.rework_cases, 1u);
  EXPECT_EQ(b.extra_occurrences(), 1u);
  EXPECT_EQ(a.rework_cases, 0u);
  EXPECT_EQ(b.self_loops, 1u);
  EXPECT_EQ(m.rework_cases(), 1u);
  using P = std::pair<std::string_view, std::uint64_t>;
  EXPECT_EQ(m.start_activities(), (std::vector<P>{{"A", 3}, {"B", 1}}));
  EXPECT_EQ(m.end_activities(), (std::vector<P>{{"B", 1}, {"C", 3}}));
}

TEST(JourneyDiscover, DirectlyFollowsEdgesAndTheirDurations) {
  const JourneyMap m = discover(tiny());
  ASSERT_EQ(m.edges().size(), 4u);
  // Sorted by (source, target) name: A->B, A->C, B->B, B->C.
  EXPECT_EQ(m.activity_name(m.edges()[0].source), "A");
  EXPECT_EQ(m.activity_name(m.edges()[0].target), "B");
  EXPECT_EQ(m.activity_name(m.edges()[2].target), "B");
  const Edge* ab = m.find_edge("A", "B");
  const Edge* bc = m.find_edge("B", "C");
  const Edge* ac = m.find_edge("A", "C");
  const Edge* bb = m.find_edge("B", "B");
  ASSERT_TRUE(ab && bc && ac && bb);
  EXPECT_EQ(m.find_edge("C", "A"), nullptr);
  EXPECT_EQ(m.find_edge("A", "nope"), nullptr);
  EXPECT_EQ(ab->count, 2u);  // case 1 (10 s), case 3 (1 s)
  EXPECT_EQ(bc->count, 2u);  // case 1 (20 s), case 3 (4 s)
  EXPECT_EQ(ac->count, 1u);  // case 2 (5 s)
  EXPECT_EQ(bb->count, 1u);  // case 3 (2 s)
  EXPECT_DOUBLE_EQ(ab->summary.sum, 11.0);
  EXPECT_DOUBLE_EQ(ab->summary.mean, 5.5);
  EXPECT_DOUBLE_EQ(ab->summary.median, 5.5);
  EXPECT_DOUBLE_EQ(ab->summary.min, 1.0);
  EXPECT_DOUBLE_EQ(ab->summary.max, 10.0);
  EXPECT_NEAR(ab->summary.stdev, std::sqrt(40.5), 1e-12);  // ((4.5^2)*2)/1
  EXPECT_DOUBLE_EQ(bc->summary.mean, 12.0);
  EXPECT_DOUBLE_EQ(ac->summary.median, 5.0);
  EXPECT_TRUE(std::isnan(ac->summary.stdev));  // one duration: pandas gives NaN
  ASSERT_EQ(m.self_loop_edges().size(), 1u);
  EXPECT_EQ(m.self_loop_edges()[0], bb);
}

TEST(JourneyDiscover, VariantsSortedByCountThenNames) {
  const EventLog log = make_log({{"1", "A", 0}, {"1", "B", 10}, {"2", "A", 0}, {"2", "B", 4}, {"3", "B", 0},
                                 {"3", "A", 1}, {"4", "A", 0}, {"4", "B", 2}, {"5", "B", 0}, {"5", "A", 6},
                                 {"6", "C", 0}});
  const JourneyMap m = discover(log);
  ASSERT_EQ(m.variants().size(), 3u);
  EXPECT_EQ(names(m, m.variants()[0]), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(m.variants()[0].count, 3u);
  EXPECT_DOUBLE_EQ(m.variants()[0].share, 0.5);
  EXPECT_EQ(names(m, m.variants()[1]), (std::vector<std::string>{"B", "A"}));
  EXPECT_EQ(m.variants()[1].count, 2u);
  EXPECT_EQ(names(m, m.variants()[2]), (std::vector<std::string>{"C"}));
  // Case durations of A,B: 10, 4, 2 seconds.
  EXPECT_DOUBLE_EQ(m.variants()[0].summary.median, 4.0);
  EXPECT_DOUBLE_EQ(m.variants()[0].summary.mean, 16.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.variants()[2].summary.max, 0.0);  // a one-event case lasts 0

  EXPECT_EQ(m.top_variants(2).size(), 2u);
  EXPECT_EQ(m.top_variants(10).size(), 3u);
  EXPECT_EQ(m.variants_covering(0.5).size(), 1u);   // 3 of 6 cases
  EXPECT_EQ(m.variants_covering(0.51).size(), 2u);  // needs 4 cases
  EXPECT_EQ(m.variants_covering(1.0).size(), 3u);
  EXPECT_EQ(m.variants_covering(0.0).size(), 0u);
  EXPECT_THROW(m.variants_covering(1.5), InputError);
}

TEST(JourneyDiscover, VariantsDistinguishSequencesNotSets) {
  // Same multiset of activities, different order and length.
  const EventLog log = make_log({{"1", "A", 0}, {"1", "B", 1}, {"1", "A", 2}, {"2", "A", 0}, {"2", "A", 1},
                                 {"2", "B", 2}, {"3", "A", 0}, {"3", "B", 1}, {"4", "A", 0}, {"4", "B", 1},
                                 {"4", "A", 2}});
  const JourneyMap m = discover(log);
  ASSERT_EQ(m.variants().size(), 3u);
  EXPECT_EQ(names(m, m.variants()[0]), (std::vector<std::string>{"A", "B", "A"}));
  EXPECT_EQ(m.variants()[0].count, 2u);
}

TEST(JourneyDiscover, EqualTimestampsKeepInputOrder) {
  // As pm4py (stable sort): events at the same instant follow the input order.
  const EventLog log = make_log({{"1", "X", 5}, {"1", "Y", 5}, {"2", "Y", 5}, {"2", "X", 5}});
  const JourneyMap m = discover(log);
  ASSERT_NE(m.find_edge("X", "Y"), nullptr);
  ASSERT_NE(m.find_edge("Y", "X"), nullptr);
  EXPECT_EQ(m.find_edge("X", "Y")->count, 1u);
  EXPECT_DOUBLE_EQ(m.find_edge("X", "Y")->summary.max, 0.0);
}

// Three cases: A->B lasts 10 and 100 s in case 1, 20 s in case 2, 40 s in case 3.
TEST(JourneyDiscover, DurationStatisticsOnThreeCases) {
  const EventLog log = make_log({{"c1", "A", 0}, {"c1", "B", 10}, {"c1", "A", 40}, {"c1", "B", 140},
                                 {"c2", "A", 0}, {"c2", "B", 20}, {"c3", "A", 1000}, {"c3", "B", 1040}});
  DiscoverOptions o;
  o.quantiles = {0.25, 0.75, 0.9};
  const JourneyMap m = discover(log, o);
  const Edge* ab = m.find_edge("A", "B");
  ASSERT_NE(ab, nullptr);
  const DurationSummary& s = ab->summary;
  EXPECT_EQ(s.count, 4u);
  EXPECT_DOUBLE_EQ(s.sum, 170.0);
  EXPECT_DOUBLE_EQ(s.mean, 42.5);
  EXPECT_DOUBLE_EQ(s.median, 30.0);  // (20 + 40) / 2
  EXPECT_DOUBLE_EQ(s.min, 10.0);
  EXPECT_DOUBLE_EQ(s.max, 100.0);
  // Sample variance: (32.5² + 22.5² + 2.5² + 57.5²) / 3 = 4875 / 3 = 1625.
  EXPECT_NEAR(s.stdev, std::sqrt(1625.0), 1e-12);
  ASSERT_EQ(s.quantiles.size(), 3u);
  EXPECT_DOUBLE_EQ(s.quantiles[0], 17.5);  // h = 0.75: 10 + 0.75 * 10
  EXPECT_DOUBLE_EQ(s.quantiles[1], 55.0);  // h = 2.25: 40 + 0.25 * 60
  EXPECT_DOUBLE_EQ(s.quantiles[2], 82.0);  // h = 2.7: 40 + 0.7 * 60
  const Edge* ba = m.find_edge("B", "A");
  ASSERT_NE(ba, nullptr);
  EXPECT_EQ(ba->count, 1u);
  EXPECT_DOUBLE_EQ(ba->summary.median, 30.0);
  // Variants: A,B (20 s and 40 s) twice; A,B,A,B (140 s) once.
  ASSERT_EQ(m.variants().size(), 2u);
  EXPECT_EQ(m.variants()[0].count, 2u);
  EXPECT_DOUBLE_EQ(m.variants()[0].summary.mean, 30.0);
  EXPECT_NEAR(m.variants()[0].summary.stdev, std::sqrt(200.0), 1e-12);
  EXPECT_DOUBLE_EQ(m.variants()[1].summary.sum, 140.0);
  EXPECT_EQ(m.rework_cases(), 1u);
}

TEST(JourneyDiscover, DurationModes) {
  const EventLog log = make_log({{"c1", "A", 0}, {"c1", "B", 10}, {"c2", "A", 0}, {"c2", "B", 30}});
  DiscoverOptions o;
  o.durations = DurationMode::none;
  JourneyMap m = discover(log, o);
  EXPECT_EQ(m.find_edge("A", "B")->count, 2u);
  EXPECT_EQ(m.find_edge("A", "B")->summary.count, 2u);
  EXPECT_TRUE(std::isnan(m.find_edge("A", "B")->summary.mean));
  o.durations = DurationMode::moments;
  m = discover(log, o);
  EXPECT_DOUBLE_EQ(m.find_edge("A", "B")->summary.mean, 20.0);
  EXPECT_TRUE(std::isnan(m.find_edge("A", "B")->summary.median));
  o.durations = DurationMode::sketch;
  m = discover(log, o);
  EXPECT_NEAR(m.find_edge("A", "B")->summary.median, 20.0, 20.0 * m.find_edge("A", "B")->durations.sketch_relative_error());
  o.variants = false;
  m = discover(log, o);
  EXPECT_TRUE(m.variants().empty());
}

TEST(JourneyDiscover, BusinessTimeOnANineToFiveCalendar) {
  // 2024-03-01 is a Friday. Mon-Fri 09:00-17:00 UTC.
  EventLogBuilder b;
  b.add_event("w", "A", iso("2024-03-01T16:00:00Z"));
  b.add_event("w", "B", iso("2024-03-04T10:00:00Z"));  // Fri 16-17 + Mon 9-10 = 2 h (66 h elapsed)
  b.add_event("w", "C", iso("2024-03-05T08:00:00Z"));  // Mon 10-17 = 7 h
  b.add_event("x", "A", iso("2024-03-05T08:00:00Z"));
  b.add_event("x", "B", iso("2024-03-05T12:00:00Z"));  // Tue 9-12 = 3 h
  b.add_event("y", "A", iso("2024-03-02T10:00:00Z"));  // Saturday
  b.add_event("y", "B", iso("2024-03-03T10:00:00Z"));  // Sunday: 0 h
  const EventLog log = b.build();
  DiscoverOptions o;
  o.calendar = Calendar::business_hours("UTC");
  const JourneyMap m = discover(log, o);
  const Edge* ab = m.find_edge("A", "B");
  ASSERT_NE(ab, nullptr);
  EXPECT_DOUBLE_EQ(ab->summary.sum, 5 * 3600.0);
  EXPECT_DOUBLE_EQ(ab->summary.min, 0.0);
  EXPECT_DOUBLE_EQ(ab->summary.median, 2 * 3600.0);
  EXPECT_DOUBLE_EQ(m.find_edge("B", "C")->summary.max, 7 * 3600.0);
  // Case durations in business time: w = 9 h (variant A,B,C); x = 3 h and y = 0 (A,B).
  std::vector<double> case_hours;
  for (const Variant& v : m.variants()) case_hours.push_back(v.summary.sum / 3600.0);
  std::sort(case_hours.begin(), case_hours.end());
  EXPECT_EQ(case_hours, (std::vector<double>{3.0, 9.0}));
  for (const Variant& v : m.variants()) {
    if (v.count == 2) {
      EXPECT_DOUBLE_EQ(v.summary.max, 3 * 3600.0);
    }
  }
  // Without the calendar, elapsed time.
  EXPECT_DOUBLE_EQ(discover(log).find_edge("A", "B")->summary.max, 66 * 3600.0);
}

TEST(JourneyDiscover, CaseSubsets) {
  const EventLog log = tiny();
  const std::vector<std::uint32_t> some = {2, 0};  // cases "3" and "1"
  const JourneyMap m = discover_cases(log, some);
  EXPECT_EQ(m.n_cases(), 2u);
  EXPECT_EQ(m.find_edge("A", "B")->count, 2u);
  EXPECT_EQ(m.find_edge("A", "C"), nullptr);
  const std::vector<std::uint32_t> bad = {7};
  EXPECT_THROW(discover_cases(log, bad), InputError);
  const std::vector<std::uint32_t> twice = {1, 1};
  EXPECT_THROW(discover_cases(log, twice), InputError);
}

TEST(JourneyDiscover, EmptyLogAndErrors) {
  EventLogBuilder b;
  const JourneyMap m = discover(b.build());
  EXPECT_EQ(m.n_cases(), 0u);
  EXPECT_TRUE(m.activities().empty());
  EXPECT_TRUE(m.edges().empty());
  EXPECT_TRUE(m.variants_covering(1.0).empty());
  DiscoverOptions o;
  o.quantiles = {1.5};
  EXPECT_THROW(discover(tiny(), o), InputError);
  o.quantiles = {0.5};
  o.sketch_bits = 0;
  EXPECT_THROW(discover(tiny(), o), InputError);
  try {
    discover(tiny()).activity_index("Z");
    FAIL();
  } catch (const NotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find("'A', 'B', 'C'"), std::string::npos) << e.what();
  }
}

TEST(JourneyDiscover, ManyActivitiesUseTheHashedEdgeTable) {
  // 3000 activities (> 1024): one case walks them all, another repeats a pair.
  EventLogBuilder b;
  for (int i = 0; i < 3000; ++i) b.add_event("long", "act" + std::to_string(i), sec(i));
  b.add_event("short", "act5", sec(0));
  b.add_event("short", "act6", sec(7));
  const JourneyMap m = discover(b.build());
  EXPECT_EQ(m.edges().size(), 2999u);
  EXPECT_EQ(m.find_edge("act5", "act6")->count, 2u);
  EXPECT_DOUBLE_EQ(m.find_edge("act5", "act6")->summary.mean, 4.0);
  EXPECT_EQ(m.find_edge("act2998", "act2999")->count, 1u);
}

// pm4py 2.7 on the running example (discover_dfg, discover_performance_dfg, get_variants):
// reference values printed by pm4py itself.
TEST(JourneyDiscover, AgreesWithPm4pyOnTheRunningExample) {
  const std::string path = std::string(CXKIT_SHARED_DATA_DIR) + "/journeys/running-example.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data not found: " << path;
  io::CsvOptions co;
  co.keep_other_columns = false;
  const JourneyMap m = discover(io::read_csv(path, co));
  EXPECT_EQ(m.edges().size(), 16u);
  EXPECT_EQ(m.find_edge("check ticket", "decide")->count, 6u);
  EXPECT_EQ(m.find_edge("examine casually", "check ticket")->count, 4u);
  EXPECT_EQ(m.find_edge("register request", "examine casually")->count, 3u);
  EXPECT_EQ(m.activities()[m.activity_index("register request")].starts, 6u);
  EXPECT_EQ(m.activities()[m.activity_index("pay compensation")].ends, 3u);
  EXPECT_EQ(m.activities()[m.activity_index("reject request")].ends, 3u);
  const DurationSummary& s = m.find_edge("check ticket", "decide")->summary;
  EXPECT_DOUBLE_EQ(s.mean, 181960.0);
  EXPECT_DOUBLE_EQ(s.median, 129300.0);
  EXPECT_DOUBLE_EQ(s.max, 578640.0);
  EXPECT_DOUBLE_EQ(s.min, 1800.0);
  EXPECT_DOUBLE_EQ(s.sum, 1091760.0);
  EXPECT_NEAR(s.stdev, 206034.11756308711, 1e-7);
  EXPECT_NEAR(m.find_edge("decide", "pay compensation")->summary.stdev, 248839.00578486486, 1e-7);
  EXPECT_DOUBLE_EQ(m.find_edge("register request", "examine casually")->summary.median, 3840.0);
  EXPECT_EQ(m.variants().size(), 6u);
  for (const Variant& v : m.variants()) EXPECT_EQ(v.count, 1u);
}
