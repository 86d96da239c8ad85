// Milestone triggers on a hand-made log and accounts table; every due time is worked out by hand.
#include "cxkit/moments/milestones.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace cxkit;
using namespace cxkit::moments;
using namespace std::chrono_literals;

namespace {

Timestamp at(const char* iso) {
  Timestamp t;
  if (!parse_iso8601(iso, t)) throw std::runtime_error(iso);
  return t;
}

struct Ev {
  const char* case_name;
  const char* activity;
  const char* time;
  double seats;  // NaN: missing
  double score;  // NaN: missing
};

EventLog make_log(std::initializer_list<Ev> events) {
  EventLogBuilder b("test");
  const auto seats = b.add_attribute("seats", ColumnType::numeric);
  const auto score = b.add_attribute("score", ColumnType::numeric);
  for (const auto& e : events) {
    b.add_event(e.case_name, e.activity, at(e.time));
    if (!std::isnan(e.seats)) b.set_number(seats, e.seats);
    if (!std::isnan(e.score)) b.set_number(score, e.score);
  }
  return b.build();
}

Table accounts(std::initializer_list<std::pair<const char*, const char*>> rows) {
  TableBuilder b("account");
  const auto signup = b.add_column("signup", ColumnType::timestamp);
  for (const auto& [name, when] : rows) {
    b.add_row(name);
    if (when) b.set_time(signup, at(when));
  }
  return b.build();
}

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

DueOptions window(const char* a, const char* b) {
  DueOptions o;
  o.start = at(a);
  o.end = at(b);
  return o;
}

MilestoneRule rule(const char* json) { return MilestoneRule::from_json_text(json); }

}  // namespace

TEST(MomentsMilestones, DaysAfterSignupAndAnniversariesInTheWindow) {
  const EventLog log = make_log({});
  const Table acc = accounts({{"A", "2024-01-10T09:00:00Z"}, {"B", "2020-02-29T12:00:00Z"}, {"C", nullptr}});
  const std::vector<MilestoneRule> rules = {rule(R"({"name": "30 days", "kind": "days_after_signup", "days": 30})"),
                                            rule(R"({"name": "anniversary", "kind": "anniversary"})")};
  // Window 2025-01-01 .. 2025-03-01: A's first anniversary 2025-01-10 09:00; B (leap-day signup)
  // has its 5th anniversary on 2025-02-28 12:00 (2025 is a common year); A's 30 days
  // (2024-02-09) lies before the window; C has no signup.
  const auto items = due(log, acc, rules, window("2025-01-01T00:00:00Z", "2025-03-01T00:00:00Z"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].account, "A");
  EXPECT_EQ(items[0].rule, 1u);
  EXPECT_EQ(items[0].due, at("2025-01-10T09:00:00Z"));
  EXPECT_EQ(items[0].reason, "1 year since signup on 2024-01-10");
  EXPECT_EQ(items[1].account, "B");
  EXPECT_EQ(items[1].due, at("2025-02-28T12:00:00Z"));
  EXPECT_EQ(items[1].reason, "5 years since signup on 2020-02-29");
  // 30 days after 2024-01-10 09:00 is 2024-02-09 09:00; the window end is exclusive.
  const auto early = due(log, acc, rules, window("2024-02-09T09:00:00Z", "2024-02-09T09:00:01Z"));
  ASSERT_EQ(early.size(), 1u);
  EXPECT_EQ(early[0].reason, "30 days since signup on 2024-01-10");
  EXPECT_TRUE(due(log, acc, rules, window("2024-02-09T08:00:00Z", "2024-02-09T09:00:00Z")).empty());
  // A window covering B's leap years: 2024-02-29 is an anniversary date again.
  const auto leap = due(log, acc, std::vector<MilestoneRule>{rules[1]},
                        window("2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"));
  ASSERT_EQ(leap.size(), 1u);
  EXPECT_EQ(leap[0].due, at("2024-02-29T12:00:00Z"));
  // Several anniversaries in one long window, in order.
  const auto many = due(log, acc, std::vector<MilestoneRule>{rules[1]},
                        window("2020-01-01T00:00:00Z", "2023-12-31T00:00:00Z"));
  ASSERT_EQ(many.size(), 3u);  // B 2021, 2022, 2023 (28 Feb each)
  EXPECT_EQ(many[2].due, at("2023-02-28T12:00:00Z"));
}

TEST(MomentsMilestones, UsageMilestonesAndSuccessMilestones) {
  const EventLog log = make_log({
      {"A", "report", "2024-03-01T10:00:00Z", NaN, NaN},
      {"A", "seats", "2024-03-02T10:00:00Z", 400, NaN},
      {"A", "report", "2024-03-03T10:00:00Z", NaN, NaN},
      {"A", "seats", "2024-03-04T10:00:00Z", NaN, NaN},  // missing value adds nothing
      {"A", "seats", "2024-03-05T10:00:00Z", 700, NaN},  // 1100 >= 1000
      {"A", "report", "2024-03-06T10:00:00Z", NaN, NaN},  // 3rd report
      {"A", "first value", "2024-03-07T10:00:00Z", NaN, NaN},
      {"A", "first value", "2024-03-08T10:00:00Z", NaN, NaN},  // only the first counts
      {"B", "report", "2024-03-01T11:00:00Z", NaN, NaN},
      {"B", "report", "2024-03-09T11:00:00Z", NaN, NaN},
      {"B", "report", "2024-04-01T11:00:00Z", NaN, NaN},  // 3rd, after the window
  });
  const Table acc = accounts({});
  const std::vector<MilestoneRule> rules = {
      rule(R"({"name": "3 reports", "kind": "nth_activity", "event": "report", "count": 3})"),
      rule(R"({"name": "1000 seats", "kind": "cumulative", "attribute": "seats", "threshold": 1000})"),
      rule(R"({"name": "value", "kind": "activity", "event": "first value"})"),
      rule(R"({"name": "unknown", "kind": "activity", "event": "no such activity"})")};
  const auto items = due(log, acc, rules, window("2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z"));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].rule, 1u);
  EXPECT_EQ(items[0].due, at("2024-03-05T10:00:00Z"));
  EXPECT_EQ(items[0].reason, "cumulative seats reached 1000 (1100)");
  EXPECT_EQ(items[1].rule, 0u);
  EXPECT_EQ(items[1].due, at("2024-03-06T10:00:00Z"));
  EXPECT_EQ(items[1].reason, "3rd 'report'");
  EXPECT_EQ(items[2].rule, 2u);
  EXPECT_EQ(items[2].due, at("2024-03-07T10:00:00Z"));
  // A milestone reached before the window is not due again inside it.
  EXPECT_TRUE(due(log, acc, std::vector<MilestoneRule>{rules[2]}, window("2024-03-08T00:00:00Z", "2024-05-01T00:00:00Z"))
                  .empty());
}

TEST(MomentsMilestones, BadExperienceRecovered) {
  // 24/7 clock, 1h target. A: opened 10:00, fixed 13:00 (breached, 3h), NPS 9 at 15:00 ->
  // recovered by the late fix at 13:00, and by the positive survey at 15:00.
  // B: opened 10:00, fixed 10:30 (met): never missed. C: opened 10:00, NPS 4 at 12:00
  // (not positive), NPS 10 at 16:00, still open (overdue): the survey at 16:00 recovers.
  const EventLog log = make_log({
      {"A", "open", "2024-03-01T10:00:00Z", NaN, NaN},
      {"A", "fixed", "2024-03-01T13:00:00Z", NaN, NaN},
      {"A", "nps", "2024-03-01T15:00:00Z", NaN, 9},
      {"B", "open", "2024-03-01T10:00:00Z", NaN, NaN},
      {"B", "fixed", "2024-03-01T10:30:00Z", NaN, NaN},
      {"B", "nps", "2024-03-01T11:00:00Z", NaN, 10},
      {"C", "open", "2024-03-01T10:00:00Z", NaN, NaN},
      {"C", "nps", "2024-03-01T12:00:00Z", NaN, 4},
      {"C", "nps", "2024-03-01T16:00:00Z", NaN, 10},
  });
  const char* moment = R"({"name": "fix", "trigger": "open", "fulfil": "fixed", "within": "1h"})";
  const std::vector<MilestoneRule> rules = {
      rule((std::string(R"({"name": "late fix", "kind": "recovered", "moment": )") + moment + "}").c_str()),
      rule((std::string(R"({"name": "happy again", "kind": "recovered", "moment": )") + moment +
            R"(, "then": "nps", "then_attribute": "score", "at_least": 9})")
               .c_str())};
  const auto items = due(log, accounts({}), rules, window("2024-03-01T00:00:00Z", "2024-03-02T00:00:00Z"));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].account, "A");
  EXPECT_EQ(items[0].rule, 0u);
  EXPECT_EQ(items[0].due, at("2024-03-01T13:00:00Z"));
  EXPECT_EQ(items[1].account, "A");
  EXPECT_EQ(items[1].rule, 1u);
  EXPECT_EQ(items[1].due, at("2024-03-01T15:00:00Z"));
  EXPECT_EQ(items[1].reason, "'fix' missed, then 'nps' with score 9");
  EXPECT_EQ(items[2].account, "C");
  EXPECT_EQ(items[2].due, at("2024-03-01T16:00:00Z"));
}

TEST(MomentsMilestones, ValidationNamesTheField) {
  try {
    rule(R"({"name": "x", "kind": "nth_activity", "event": "report", "count": 0})");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.location().column, "count");
  }
  EXPECT_THROW(rule(R"({"name": "x", "kind": "sometime"})"), InputError);
  EXPECT_THROW(rule(R"({"name": "x", "kind": "anniversary", "colour": 1})"), InputError);
  EXPECT_THROW(rule(R"({"name": "x", "kind": "recovered"})"), InputError);
  const MilestoneRule r = rule(R"({"name": "s", "kind": "cumulative", "attribute": "seats", "threshold": 10,
                                   "event": {"activity": "seats", "where": {"plan": "pro"}}})");
  EXPECT_EQ(MilestoneRule::from_json(r.to_json()), r);
  // A signup rule needs the signup column; a cumulative rule a numeric attribute.
  const EventLog log = make_log({{"A", "report", "2024-03-01T10:00:00Z", NaN, NaN}});
  TableBuilder tb("account");
  tb.add_row("A");
  const Table no_signup = tb.build();
  const std::vector<MilestoneRule> ann = {rule(R"({"name": "a", "kind": "anniversary"})")};
  EXPECT_THROW(due(log, no_signup, ann, window("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")), NotFoundError);
  const std::vector<MilestoneRule> cum = {rule(R"({"name": "c", "kind": "cumulative", "attribute": "nope", "threshold": 1})")};
  EXPECT_THROW(due(log, no_signup, cum, window("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")), NotFoundError);
  EXPECT_THROW(due(log, no_signup, {}, window("2025-01-01T00:00:00Z", "2024-01-01T00:00:00Z")), InputError);
}
