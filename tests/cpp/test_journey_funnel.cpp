// Funnels on a small log counted by hand: strict vs any order, first vs best entry, window
// edges, what dropped customers did next, segments, merging, business time and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/core/table.hpp"
#include "cxkit/journey/funnel.hpp"

using namespace cxkit;
using namespace cxkit::journey;

namespace {

constexpr std::int64_t kMin = 60'000'000, kHour = 60 * kMin;

struct Ev {
  std::string c, a;
  std::int64_t t;  // microseconds after 2024-01-01T00:00Z (a Monday)
};

constexpr std::int64_t kBase = 1'704'067'200'000'000;  // 2024-01-01T00:00:00Z

EventLog make_log(const std::vector<Ev>& evs) {
  EventLogBuilder b;
  for (const auto& e : evs) b.add_event(e.c, e.a, from_micros(kBase + e.t));
  return b.build();
}

// Nine customers; comments give what each does for steps A -> B -> C with a 2 h window.
std::vector<Ev> funnel_events() {
  return {
      {"c1", "A", 0}, {"c1", "B", 1 * kHour}, {"c1", "C", 2 * kHour},  // all three
      {"c2", "A", 0}, {"c2", "X", 30 * kMin}, {"c2", "B", kHour}, {"c2", "Y", 90 * kMin},  // A, B; then Y
      {"c3", "A", 0}, {"c3", "C", kHour},                              // C without B
      {"c4", "A", 0}, {"c4", "C", kHour}, {"c4", "B", 90 * kMin},      // any order: all three
      {"c5", "B", 0}, {"c5", "A", kHour},                              // B before entry: ignored
      {"c6", "X", 0},                                                  // never enters
      {"c7", "A", 0}, {"c7", "A", 5 * kHour}, {"c7", "B", 6 * kHour},  // second attempt converts
      {"c8", "A", 0}, {"c8", "B", 2 * kHour},                          // B exactly at the window's end
      {"c9", "A", 0}, {"c9", "B", 2 * kHour + 1},                      // B 1 µs too late
  };
}

FunnelOptions abc(FunnelOrder order = FunnelOrder::strict, FunnelEntry entry = FunnelEntry::first) {
  FunnelOptions o;
  o.steps = {"A", "B", "C"};
  o.within = Duration{2 * kHour};
  o.order = order;
  o.entry = entry;
  return o;
}

std::vector<std::uint64_t> reached(const FunnelGroup& g) {
  std::vector<std::uint64_t> out;
  for (const auto& s : g.steps) out.push_back(s.customers);
  return out;
}

using Next = std::vector<NextActivityCount>;

}  // namespace

TEST(Funnel, StrictFirstEntryCountsByHand) {
  const EventLog log = make_log(funnel_events());
  const FunnelResult r = funnel(log, abc());
  const FunnelGroup& g = r.overall;
  EXPECT_EQ(g.n_customers, 9u);
  // Entered: all but c6. B: c1, c2, c4 (B at 1.5 h after C), c8 (inclusive edge). C: c1.
  EXPECT_EQ(reached(g), (std::vector<std::uint64_t>{8, 4, 1}));
  EXPECT_EQ(g.steps[0].dropped, 4u);
  EXPECT_EQ(g.steps[1].dropped, 3u);
  EXPECT_EQ(g.steps[2].dropped, 0u);
  EXPECT_DOUBLE_EQ(g.steps[0].conversion_from_previous, 1.0);
  EXPECT_DOUBLE_EQ(g.steps[1].conversion_from_previous, 0.5);
  EXPECT_DOUBLE_EQ(g.steps[2].conversion_from_previous, 0.25);
  EXPECT_DOUBLE_EQ(g.steps[2].conversion_from_first, 1.0 / 8.0);

  // Times to B from entry: c1 1 h, c2 1 h, c4 1.5 h, c8 2 h.
  const DurationSummary& b = g.steps[1].from_entry;
  EXPECT_EQ(b.count, 4u);
  EXPECT_DOUBLE_EQ(b.median, 1.25 * 3600);
  EXPECT_DOUBLE_EQ(b.mean, 5.5 / 4 * 3600);
  EXPECT_DOUBLE_EQ(b.min, 3600);
  EXPECT_DOUBLE_EQ(b.max, 7200);
  // Quantile 0.25 of {1, 1, 1.5, 2} h: h = 0.75 -> 1 h; 0.9: h = 2.7 -> 1.5 + 0.7 * 0.5 = 1.85 h.
  ASSERT_EQ(b.quantiles.size(), 3u);
  EXPECT_DOUBLE_EQ(b.quantiles[0], 3600);
  EXPECT_NEAR(b.quantiles[2], 1.85 * 3600, 1e-6);
  // Step C (c1 only): 2 h from entry, 1 h from B.
  EXPECT_DOUBLE_EQ(g.steps[2].from_entry.median, 7200);
  EXPECT_DOUBLE_EQ(g.steps[2].from_previous.median, 3600);
  EXPECT_EQ(g.steps[0].from_entry.count, 0u);

  // Dropped at A: c3 -> C, c5 -> (end), c7 -> A (its second A), c9 -> B (too late).
  EXPECT_EQ(g.steps[0].next_after_drop, (Next{{"(end)", 1}, {"A", 1}, {"B", 1}, {"C", 1}}));
  // Dropped at B: c2 -> Y, c4 -> (end), c8 -> (end).
  EXPECT_EQ(g.steps[1].next_after_drop, (Next{{"(end)", 2}, {"Y", 1}}));
  EXPECT_TRUE(g.steps[2].next_after_drop.empty());
  EXPECT_EQ(r.top_next(1, 1), (Next{{"(end)", 2}}));
  EXPECT_THROW(r.top_next(3), InputError);
}

TEST(Funnel, BestEntryIsAmplitudesEarliestLongest) {
  const EventLog log = make_log(funnel_events());
  FunnelOptions o = abc(FunnelOrder::strict, FunnelEntry::best);
  o.customers = true;
  const FunnelResult r = funnel(log, o);
  // c7's second A (5 h) reaches B at 6 h: B gains one customer.
  EXPECT_EQ(reached(r.overall), (std::vector<std::uint64_t>{8, 5, 1}));
  // Its time to B is measured from the second A: 1 h. Times: 1, 1, 1.5, 1, 2 h.
  EXPECT_DOUBLE_EQ(r.overall.steps[1].from_entry.median, 3600);
  ASSERT_EQ(r.customers.size(), 8u);
  const FunnelCustomer& c7 = r.customers[5];
  EXPECT_EQ(c7.customer, "c7");
  EXPECT_EQ(c7.steps_reached, 2u);
  ASSERT_EQ(c7.reached_at.size(), 2u);
  EXPECT_EQ(to_micros(c7.reached_at[0]), kBase + 5 * kHour);
  EXPECT_EQ(to_micros(c7.reached_at[1]), kBase + 6 * kHour);
}

TEST(Funnel, BestEntryPrefersTheEarliestAttemptOnATie) {
  // Both attempts reach B; the first one (time to B 3 h) is kept, not the faster second one.
  const EventLog log = make_log({{"c", "A", 0}, {"c", "A", 2 * kHour}, {"c", "B", 3 * kHour}});
  FunnelOptions o;
  o.steps = {"A", "B"};
  o.entry = FunnelEntry::best;
  const FunnelResult r = funnel(log, o);
  EXPECT_EQ(reached(r.overall), (std::vector<std::uint64_t>{1, 1}));
  EXPECT_DOUBLE_EQ(r.overall.steps[1].from_entry.median, 3 * 3600.0);
}

TEST(Funnel, AnyOrderCountsStepsDoneInAnyOrderAfterEntry) {
  const EventLog log = make_log(funnel_events());
  const FunnelResult r = funnel(log, abc(FunnelOrder::any));
  // c4 did C then B: it now reaches C. c5's B came before entry: still only A.
  EXPECT_EQ(reached(r.overall), (std::vector<std::uint64_t>{8, 4, 2}));
  // Completion of step C for c4 is max(B 1.5 h, C 1 h) = 1.5 h, so its time from B is 0.
  const DurationStats& from_prev = r.overall.steps[2].time_from_previous;
  std::vector<std::int64_t> v(from_prev.values().begin(), from_prev.values().end());
  std::sort(v.begin(), v.end());
  EXPECT_EQ(v, (std::vector<std::int64_t>{0, kHour}));
  const DurationSummary& c = r.overall.steps[2].from_entry;
  EXPECT_DOUBLE_EQ(c.min, 1.5 * 3600);
  EXPECT_DOUBLE_EQ(c.max, 2 * 3600);
  // Dropped at B: c2 -> Y, c8 -> (end).
  EXPECT_EQ(r.overall.steps[1].next_after_drop, (Next{{"(end)", 1}, {"Y", 1}}));
}

TEST(Funnel, WithoutAWindowEveryLaterStepCounts) {
  const EventLog log = make_log(funnel_events());
  FunnelOptions o = abc();
  o.within.reset();
  const FunnelResult r = funnel(log, o);
  // c7 (B at 6 h) and c9 (2 h + 1 µs) now reach B.
  EXPECT_EQ(reached(r.overall), (std::vector<std::uint64_t>{8, 6, 1}));
}

TEST(Funnel, WindowEdgeIsInclusive) {
  const EventLog log = make_log({{"in", "A", 0}, {"in", "B", kHour}, {"out", "A", 0}, {"out", "B", kHour + 1}});
  FunnelOptions o;
  o.steps = {"A", "B"};
  o.within = Duration{kHour};
  EXPECT_EQ(reached(funnel(log, o).overall), (std::vector<std::uint64_t>{2, 1}));
  o.within = Duration{0};  // only events at the entry instant
  const EventLog same = make_log({{"c", "A", 0}, {"c", "B", 0}});
  EXPECT_EQ(reached(funnel(same, o).overall), (std::vector<std::uint64_t>{1, 1}));
}

TEST(Funnel, RepeatedStepsNeedSeparateEvents) {
  const EventLog log = make_log({{"once", "A", 0}, {"once", "B", 1},
                                 {"twice", "A", 0}, {"twice", "A", 1}, {"twice", "B", 2}});
  FunnelOptions o;
  o.steps = {"A", "A", "B"};
  EXPECT_EQ(reached(funnel(log, o).overall), (std::vector<std::uint64_t>{2, 1, 1}));
  o.order = FunnelOrder::any;
  EXPECT_EQ(reached(funnel(log, o).overall), (std::vector<std::uint64_t>{2, 1, 1}));
}

TEST(Funnel, EqualTimestampsCountInLogOrder) {
  // B and A at the same instant, B first in the input: B is before entry, so it does not count.
  const EventLog log = make_log({{"c", "B", 0}, {"c", "A", 0}});
  FunnelOptions o;
  o.steps = {"A", "B"};
  EXPECT_EQ(reached(funnel(log, o).overall), (std::vector<std::uint64_t>{1, 0}));
  o.order = FunnelOrder::any;
  EXPECT_EQ(reached(funnel(log, o).overall), (std::vector<std::uint64_t>{1, 0}));
}

TEST(Funnel, SegmentsFromLabelsAndFromATable) {
  const EventLog log = make_log(funnel_events());
  // c1..c4 gold, c5..c8 silver, c9 none.
  Dictionary labels;
  const std::uint32_t gold = labels.intern("gold"), silver = labels.intern("silver");
  labels.intern("bronze");  // no case: left out
  std::vector<std::uint32_t> seg(log.n_cases(), kNoId);
  for (std::uint32_t c = 0; c < log.n_cases(); ++c) {
    const std::string name(log.case_names().name(c));
    if (name <= "c4") seg[c] = gold;
    else if (name <= "c8") seg[c] = silver;
  }
  const FunnelResult r = funnel(log, abc(), seg, labels);
  EXPECT_EQ(reached(r.overall), (std::vector<std::uint64_t>{8, 4, 1}));
  ASSERT_EQ(r.segments.size(), 2u);
  EXPECT_EQ(r.segments[0].segment, "gold");
  EXPECT_EQ(r.segments[0].n_customers, 4u);
  EXPECT_EQ(reached(r.segments[0]), (std::vector<std::uint64_t>{4, 3, 1}));  // c1..c4; B: c1 c2 c4
  EXPECT_EQ(r.segments[1].segment, "silver");
  EXPECT_EQ(r.segments[1].n_customers, 4u);
  EXPECT_EQ(reached(r.segments[1]), (std::vector<std::uint64_t>{3, 1, 0}));  // c5 c7 c8; B: c8
  EXPECT_DOUBLE_EQ(r.segments[1].steps[2].conversion_from_previous, 0.0);

  TableBuilder tb("account");
  const std::size_t tier = tb.add_column("tier", ColumnType::categorical);
  for (const char* name : {"c1", "c2", "c3", "c4"}) {
    tb.add_row(name);
    tb.set_category(tier, "gold");
  }
  for (const char* name : {"c5", "c6", "c7", "c8"}) {
    tb.add_row(name);
    tb.set_category(tier, "silver");
  }
  tb.add_row("c9");  // missing tier
  const Table accounts = tb.build();
  const FunnelResult t = funnel(log, abc(), accounts, "tier");
  ASSERT_EQ(t.segments.size(), 2u);
  EXPECT_EQ(reached(t.segments[0]), (std::vector<std::uint64_t>{4, 3, 1}));
  EXPECT_EQ(reached(t.segments[1]), (std::vector<std::uint64_t>{3, 1, 0}));
  EXPECT_THROW(funnel(log, abc(), accounts, "plan"), NotFoundError);

  std::vector<std::uint32_t> short_seg(3, gold);
  EXPECT_THROW(funnel(log, abc(), short_seg, labels), InputError);
  seg[0] = 7;
  EXPECT_THROW(funnel(log, abc(), seg, labels), InputError);
}

TEST(Funnel, MergingPartitionsEqualsTheWholeLog) {
  const auto evs = funnel_events();
  std::vector<Ev> first, second;
  for (const auto& e : evs) (e.c <= "c4" ? first : second).push_back(e);
  for (FunnelOrder order : {FunnelOrder::strict, FunnelOrder::any}) {
    FunnelOptions o = abc(order, FunnelEntry::best);
    o.customers = true;
    o.require_activities = false;  // the second partition has no C
    const FunnelResult whole = funnel(make_log(evs), o);
    FunnelResult merged;
    merged.merge(funnel(make_log(first), o));
    merged.merge(funnel(make_log(second), o));
    EXPECT_EQ(merged.overall.n_customers, whole.overall.n_customers);
    for (std::size_t j = 0; j < 3; ++j) {
      const FunnelStep &a = merged.overall.steps[j], &b = whole.overall.steps[j];
      EXPECT_EQ(a.customers, b.customers);
      EXPECT_EQ(a.dropped, b.dropped);
      EXPECT_EQ(a.conversion_from_first, b.conversion_from_first);
      EXPECT_TRUE(a.time_from_entry == b.time_from_entry);
      EXPECT_TRUE(a.time_from_previous == b.time_from_previous);
      if (j > 0) {  // step 0 has no times (NaN)
        EXPECT_EQ(a.from_entry.median, b.from_entry.median);
      }
      EXPECT_EQ(a.next_after_drop, b.next_after_drop);
    }
    ASSERT_EQ(merged.customers.size(), whole.customers.size());
    for (std::size_t i = 0; i < whole.customers.size(); ++i) {
      EXPECT_EQ(merged.customers[i].customer, whole.customers[i].customer);
      EXPECT_EQ(merged.customers[i].steps_reached, whole.customers[i].steps_reached);
    }
  }
  EXPECT_THROW(funnel(make_log(second), abc()), NotFoundError);
  FunnelOptions lenient = abc();
  lenient.require_activities = false;
  const FunnelResult no_c = funnel(make_log(second), lenient);
  EXPECT_EQ(reached(no_c.overall), (std::vector<std::uint64_t>{4, 1, 0}));  // c5 c7 c8 c9 enter; B: c8
  FunnelResult a = funnel(make_log(first), lenient);
  lenient.order = FunnelOrder::any;
  EXPECT_THROW(a.merge(funnel(make_log(second), lenient)), InputError);
}

TEST(Funnel, BusinessTimeWindowSkipsTheWeekend) {
  // Friday 16:00 -> Monday 10:00 is 66 h elapsed but 2 business hours (Mon-Fri 09-17).
  const std::int64_t fri_16 = 4 * 24 * kHour + 16 * kHour, mon_10 = 7 * 24 * kHour + 10 * kHour;
  const EventLog log = make_log({{"c", "A", fri_16}, {"c", "B", mon_10}});
  FunnelOptions o;
  o.steps = {"A", "B"};
  o.within = Duration{2 * kHour};
  EXPECT_EQ(reached(funnel(log, o).overall), (std::vector<std::uint64_t>{1, 0}));
  o.calendar = Calendar::business_hours("UTC");
  const FunnelResult r = funnel(log, o);
  EXPECT_EQ(reached(r.overall), (std::vector<std::uint64_t>{1, 1}));
  EXPECT_DOUBLE_EQ(r.overall.steps[1].from_entry.median, 7200);
}

TEST(Funnel, ErrorsNameTheProblem) {
  const EventLog log = make_log(funnel_events());
  FunnelOptions o;
  EXPECT_THROW(funnel(log, o), InputError);  // no steps
  o.steps = {"A", "Signup"};
  try {
    funnel(log, o);
    FAIL() << "expected NotFoundError";
  } catch (const NotFoundError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'Signup'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("steps[1]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'A', 'B', 'C', 'X', 'Y'"), std::string::npos) << msg;
  }
  o.steps = {"A", "B"};
  o.within = Duration{-1};
  EXPECT_THROW(funnel(log, o), InputError);
  o.within.reset();
  o.quantiles = {1.5};
  EXPECT_THROW(funnel(log, o), InputError);
  o.quantiles = {};
  o.end_name = "X";
  EXPECT_THROW(funnel(log, o), InputError);
}

TEST(Funnel, EmptyLogAndSingleStep) {
  FunnelOptions o;
  o.steps = {"A"};
  EXPECT_THROW(funnel(EventLog{}, o), NotFoundError);
  const EventLog log = make_log({{"c1", "A", 0}, {"c2", "B", 0}});
  const FunnelResult r = funnel(log, o);
  EXPECT_EQ(reached(r.overall), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(r.overall.steps[0].dropped, 0u);
  FunnelOptions none;
  none.steps = {"B", "A"};
  const FunnelResult z = funnel(log, none);
  EXPECT_EQ(reached(z.overall), (std::vector<std::uint64_t>{1, 0}));
  EXPECT_TRUE(std::isnan(z.overall.steps[1].from_entry.median));
}
