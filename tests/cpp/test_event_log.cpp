#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "cxkit/core/event_log.hpp"
#include "cxkit/core/event_log_from_columns.hpp"

using namespace cxkit;

namespace {
Timestamp at(std::int64_t seconds) { return from_micros(seconds * 1000000); }

std::vector<std::string> activities_of(const EventLog& log, std::size_t c) {
  std::vector<std::string> out;
  for (std::size_t i = log.case_begin(c); i < log.case_end(c); ++i)
    out.emplace_back(log.activity_names().name(log.activity_ids()[i]));
  return out;
}
}  // namespace

TEST(EventLog, EmptyBuilderGivesEmptyLog) {
  EventLogBuilder b;
  const EventLog log = b.build();
  EXPECT_EQ(log.size(), 0u);
  EXPECT_EQ(log.n_cases(), 0u);
  EXPECT_EQ(log.case_offsets().size(), 1u);
}

TEST(EventLog, SortsByCaseFirstSeenThenTimeThenInputOrder) {
  EventLogBuilder b;
  b.add_event("b", "x", at(30));
  b.add_event("a", "y", at(10));
  b.add_event("b", "w", at(5));
  b.add_event("a", "z", at(10));  // same time as "y": input order decides
  b.add_event("b", "v", at(30));  // same time as "x"
  const EventLog log = b.build();
  ASSERT_EQ(log.n_cases(), 2u);
  EXPECT_EQ(log.case_names().name(0), "b");  // first seen
  EXPECT_EQ(activities_of(log, 0), (std::vector<std::string>{"w", "x", "v"}));
  EXPECT_EQ(activities_of(log, 1), (std::vector<std::string>{"y", "z"}));
  for (std::size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log.case_ids()[i], i < 3 ? 0u : 1u);
}

TEST(EventLog, PermutesAttributesWithTheirEvents) {
  EventLogBuilder b;
  const auto cost = b.add_attribute("cost", ColumnType::numeric);
  const auto who = b.add_attribute("resource", ColumnType::categorical);
  const auto note = b.add_attribute("note", ColumnType::text);
  b.add_event("c", "second", at(2));
  b.set_number(cost, 2.0);
  b.set_category(who, "Sara");
  b.set_text(note, "later");
  b.add_event("c", "first", at(1));
  b.set_number(cost, 1.0);
  b.add_event("d", "only", at(0));
  b.set_text(note, "hello, world");
  const EventLog log = b.build();
  const auto& c = log.attribute("cost");
  const auto& r = log.attribute("resource");
  const auto& n = log.attribute("note");
  EXPECT_EQ(c.numbers()[0], 1.0);
  EXPECT_EQ(c.numbers()[1], 2.0);
  EXPECT_TRUE(c.is_missing(2));
  EXPECT_TRUE(r.is_missing(0));
  EXPECT_EQ(r.categories().name(r.codes()[1]), "Sara");
  EXPECT_TRUE(n.is_missing(0));
  EXPECT_EQ(n.text(1), "later");
  EXPECT_EQ(n.text(2), "hello, world");
  EXPECT_THROW((void)log.attribute("nope"), NotFoundError);
  EXPECT_THROW((void)c.codes(), TypeMismatchError);
}

TEST(EventLog, MatchesAReferenceSortOnRandomInput) {
  // Property: the result equals std::stable_sort of the input by (first-seen case, time).
  std::mt19937_64 rng(42);
  struct Ev { int c; std::int64_t t; int a; std::size_t row; };
  std::vector<Ev> input;
  EventLogBuilder b;
  for (std::size_t i = 0; i < 5000; ++i) {
    Ev e{static_cast<int>(rng() % 300), static_cast<std::int64_t>(rng() % 50), static_cast<int>(rng() % 7), i};
    input.push_back(e);
    b.add_event("case" + std::to_string(e.c), "act" + std::to_string(e.a), at(e.t));
  }
  std::vector<int> first_seen(300, -1);
  int next = 0;
  for (const auto& e : input)
    if (first_seen[e.c] < 0) first_seen[e.c] = next++;
  auto expected = input;
  std::stable_sort(expected.begin(), expected.end(), [&](const Ev& x, const Ev& y) {
    if (first_seen[x.c] != first_seen[y.c]) return first_seen[x.c] < first_seen[y.c];
    return x.t < y.t;
  });
  const EventLog log = b.build();
  ASSERT_EQ(log.size(), expected.size());
  for (std::size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log.case_names().name(log.case_ids()[i]), "case" + std::to_string(expected[i].c));
    EXPECT_EQ(log.activity_names().name(log.activity_ids()[i]), "act" + std::to_string(expected[i].a));
    EXPECT_EQ(log.timestamps()[i], expected[i].t * 1000000);
  }
  for (std::size_t c = 0; c < log.n_cases(); ++c)
    for (std::size_t i = log.case_begin(c); i < log.case_end(c); ++i) EXPECT_EQ(log.case_ids()[i], c);
}

TEST(EventLog, CoreColumnsFitIn24BytesPerEvent) {
  EventLogBuilder b;
  const std::size_t n = 100000;
  b.reserve(n);
  for (std::size_t i = 0; i < n; ++i) b.add_event("c" + std::to_string(i / 10), "a", at(static_cast<std::int64_t>(i)));
  const EventLog log = b.build();
  const double per_event = static_cast<double>(log.core_memory_bytes()) / static_cast<double>(n);
  EXPECT_LE(per_event, 24.0);
  EXPECT_GE(per_event, 16.0);  // 4 + 8 + 4 bytes cannot be undercut
}

TEST(EventLog, CopiesShareData) {
  EventLogBuilder b;
  b.add_event("a", "x", at(1));
  const EventLog log = b.build();
  const EventLog copy = log;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.timestamps().data(), log.timestamps().data());
}

TEST(EventLog, BuilderRejectsBadInput) {
  EventLogBuilder b("events.csv");
  EXPECT_THROW(b.add_event("a", "x", from_micros(kMaxTimestampMicros + 1)), InputError);
  b.add_attribute("x", ColumnType::numeric);
  EXPECT_THROW(b.add_attribute("x", ColumnType::numeric), InputError);
  b.add_event("a", "x", at(1));
  Column short_col("y", ColumnType::numeric);
  EXPECT_THROW(b.add_column(std::move(short_col)), InputError);
}

TEST(EventLog, DropsInternedCasesWithoutEvents) {
  EventLogBuilder b;
  b.intern_case("ghost");
  b.add_event("real", "x", at(1));
  const EventLog log = b.build();
  EXPECT_EQ(log.n_cases(), 1u);
  EXPECT_EQ(log.case_names().name(0), "real");
  EXPECT_EQ(log.case_ids()[0], 0u);
}

TEST(EventLogFromColumns, BuildsAndReportsMissingValuesByRow) {
  const std::vector<std::int64_t> cases{0, 1, 0}, acts{0, 0, 1}, times{30, 20, 10};
  EventColumns in;
  in.cases = {cases, {"c1", "c2"}};
  in.activities = {acts, {"open", "close"}};
  in.timestamps = times;
  const EventLog log = event_log_from_columns(in);
  EXPECT_EQ(log.size(), 3u);
  EXPECT_EQ(activities_of(log, 0), (std::vector<std::string>{"close", "open"}));

  const std::vector<std::int64_t> bad_cases{0, -1, 0};
  in.cases = {bad_cases, {"c1"}};
  in.case_column = "account";
  try {
    (void)event_log_from_columns(in);
    FAIL();
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("row 1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("account"), std::string::npos) << msg;
  }
  const std::vector<std::int64_t> nat{30, kMissingTime, 10};
  in.cases = {cases, {"c1", "c2"}};
  in.timestamps = nat;
  EXPECT_THROW((void)event_log_from_columns(in), InputError);
}
