// Playbooks: JSON and validation (cycles named), scheduling over weekends and holidays by
// hand, critical path and slack on a diamond, and progress statuses.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/journey/playbook.hpp"

using namespace cxkit;
using namespace cxkit::journey;

namespace {

constexpr std::int64_t kHour = 3'600'000'000;

Timestamp at(const char* iso) {
  Timestamp t;
  if (!parse_iso8601(iso, t)) throw std::runtime_error(std::string("bad test timestamp ") + iso);
  return t;
}

template <class F>
std::string bad_field(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.location().column;
  }
  return "(no InputError)";
}

// Mon-Fri 09:00-17:00 UTC with Tuesday 2024-01-09 a holiday.
Calendar office() {
  return Calendar("UTC", Calendar::business_hours("UTC").week(), {boost::gregorian::date(2024, 1, 9)});
}

// kickoff -> {setup 3D, training 1D} -> golive 4h: a diamond.
const char* kDiamond = R"({
  "name": "onboarding",
  "tasks": [
    {"name": "kickoff", "duration": "1D", "owner": "CSM"},
    {"name": "setup", "duration": "3D", "depends_on": ["kickoff"], "owner": "SE"},
    {"name": "training", "duration": "1D", "depends_on": ["kickoff"], "owner": "CSM"},
    {"name": "golive", "duration": "4h", "depends_on": ["setup", "training"], "owner": "CSM"}
  ]
})";

enum : std::uint32_t { kKickoff, kSetup, kTraining, kGolive };
using Idx = std::vector<std::uint32_t>;

struct Ev {
  const char* c;
  const char* a;
  const char* t;
};

EventLog make_log(const std::vector<Ev>& evs) {
  EventLogBuilder b;
  for (const auto& e : evs) b.add_event(e.c, e.a, at(e.t));
  return b.build();
}

}  // namespace

TEST(Playbook, JsonRoundTrip) {
  const Playbook p = Playbook::from_json_text(kDiamond);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p.name(), "onboarding");
  EXPECT_EQ(p.tasks()[kSetup].duration, BusinessDuration::days(3));
  EXPECT_EQ(p.tasks()[kGolive].duration, BusinessDuration::hours(4));
  EXPECT_EQ(p.tasks()[kSetup].owner, "SE");
  EXPECT_EQ(p.dependency_indices()[kGolive], (Idx{kSetup, kTraining}));
  EXPECT_EQ(p.dependant_indices()[kKickoff], (Idx{kSetup, kTraining}));
  EXPECT_EQ(p.topological_order(), (Idx{kKickoff, kSetup, kTraining, kGolive}));
  EXPECT_EQ(p.task_index("golive"), 3u);
  EXPECT_THROW(p.task_index("handover"), NotFoundError);
  EXPECT_EQ(Playbook::from_json(p.to_json()), p);
  EXPECT_EQ(p.to_json(), nlohmann::json::parse(kDiamond));
  const Playbook q = Playbook::from_json_text(R"({"tasks": [{"name": "a", "duration": "2d", "offset": "90m"}]})");
  EXPECT_EQ(q.to_json().dump(), R"({"tasks":[{"duration":"2D","name":"a","offset":"90m"}]})");
  // Topological order follows the dependencies, playbook order otherwise.
  const Playbook r = Playbook::from_json_text(R"({"tasks": [{"name": "b", "duration": "1h", "depends_on": ["c"]},
    {"name": "a", "duration": "1h"}, {"name": "c", "duration": "1h"}]})");
  EXPECT_EQ(r.topological_order(), (Idx{1, 2, 0}));
}

TEST(Playbook, ErrorsNameTheField) {
  const auto from = [](const char* text) { return [text] { Playbook::from_json_text(text); }; };
  EXPECT_EQ(bad_field(from(R"({"tasks": [{"name": "a", "duration": "1D"}, {"name": "b", "duration": "1D",
    "depends_on": ["z"]}]})")), "tasks[1].depends_on[0]");
  EXPECT_EQ(bad_field(from(R"({"tasks": [{"name": "a", "duration": "1D"}, {"name": "b", "duration": "1D",
    "depends_on": ["a", "a"]}]})")), "tasks[1].depends_on[1]");
  EXPECT_EQ(bad_field(from(R"({"tasks": [{"name": "a"}]})")), "tasks[0].duration");
  EXPECT_EQ(bad_field(from(R"({"tasks": [{"name": "a", "duration": "3 days"}]})")), "tasks[0].duration");
  EXPECT_EQ(bad_field(from(R"({"tasks": [{"name": "a", "duration": "1D", "offset": "-1D"}]})")), "tasks[0].offset");
  EXPECT_EQ(bad_field(from(R"({"tasks": [{"name": "a", "duration": "1D"}, {"name": "a", "duration": "1D"}]})")),
            "tasks[1].name");
  EXPECT_EQ(bad_field(from(R"({"tasks": [{"name": "a", "duration": "1D", "owner": 7}]})")), "tasks[0].owner");
  EXPECT_EQ(bad_field(from(R"({"tasks": [{"name": "a", "duration": "1D", "dependson": []}]})")), "tasks[0].dependson");
  EXPECT_EQ(bad_field(from(R"({"task": []})")), "task");
  PlaybookTask negative;
  negative.name = "a";
  negative.duration = BusinessDuration::hours(-1);
  EXPECT_EQ(bad_field([&] { Playbook({negative}); }), "tasks[0].duration");
}

TEST(Playbook, CyclesAreNamed) {
  // b needs a, c needs b, a needs c: in order of work, a -> b -> c -> a.
  try {
    Playbook::from_json_text(R"({"tasks": [{"name": "a", "duration": "1D", "depends_on": ["c"]},
      {"name": "b", "duration": "1D", "depends_on": ["a"]}, {"name": "c", "duration": "1D", "depends_on": ["b"]},
      {"name": "d", "duration": "1D"}]})");
    FAIL() << "expected a cycle error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.location().column, "tasks");
    EXPECT_NE(std::string(e.what()).find("a -> b -> c -> a"), std::string::npos) << e.what();
  }
  try {
    Playbook::from_json_text(R"({"tasks": [{"name": "a", "duration": "1D", "depends_on": ["a"]}]})");
    FAIL() << "expected a cycle error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("a -> a"), std::string::npos) << e.what();
  }
}

TEST(Playbook, SchedulesOverAWeekendAndAHoliday) {
  const Playbook p = Playbook::from_json_text(kDiamond);
  // Friday 2024-01-05 15:00; Tuesday 2024-01-09 is a holiday.
  const Plan plan = p.instantiate("acme", at("2024-01-05T15:00Z"), office());
  EXPECT_EQ(plan.customer, "acme");
  const auto& t = plan.tasks;
  // kickoff 8 h: Fri 15-17 (2 h) + Mon 09-15 (6 h).
  EXPECT_EQ(t[kKickoff].start, at("2024-01-05T15:00Z"));
  EXPECT_EQ(t[kKickoff].due, at("2024-01-08T15:00Z"));
  EXPECT_EQ(t[kKickoff].owner, "CSM");
  // setup 24 h from Mon 15:00: Mon 2 h, (Tue holiday), Wed 8, Thu 8, Fri 09-15 6 h.
  EXPECT_EQ(t[kSetup].start, at("2024-01-08T15:00Z"));
  EXPECT_EQ(t[kSetup].due, at("2024-01-12T15:00Z"));
  EXPECT_EQ(t[kSetup].duration, Duration{24 * kHour});
  // training 8 h: Mon 2 h + Wed 09-15 6 h.
  EXPECT_EQ(t[kTraining].due, at("2024-01-10T15:00Z"));
  // golive 4 h after setup: Fri 15-17 + Mon 09-11.
  EXPECT_EQ(t[kGolive].start, at("2024-01-12T15:00Z"));
  EXPECT_EQ(t[kGolive].due, at("2024-01-15T11:00Z"));
  EXPECT_EQ(plan.finish, at("2024-01-15T11:00Z"));

  // Slack: training may finish by golive's latest start (Fri 15:00): Wed 15-17, Thu, Fri 09-15 = 16 h = 2 days.
  EXPECT_EQ(t[kTraining].slack, Duration{16 * kHour});
  EXPECT_DOUBLE_EQ(t[kTraining].slack_days, 2.0);
  EXPECT_FALSE(t[kTraining].critical);
  for (std::uint32_t v : {kKickoff, kSetup, kGolive}) {
    EXPECT_EQ(t[v].slack, Duration{0}) << t[v].name;
    EXPECT_TRUE(t[v].critical) << t[v].name;
  }
  EXPECT_EQ(plan.critical_path, (Idx{kKickoff, kSetup, kGolive}));
}

TEST(Playbook, StartOnASaturdayMovesToMonday) {
  const Playbook p = Playbook::from_json_text(R"({"tasks": [{"name": "a", "duration": "1D"},
    {"name": "b", "duration": "2D", "depends_on": ["a"]}]})");
  const Plan plan = p.instantiate("c", at("2024-01-06T10:00Z"), Calendar::business_hours("UTC"));
  EXPECT_EQ(plan.tasks[0].start, at("2024-01-08T09:00Z"));
  EXPECT_EQ(plan.tasks[0].due, at("2024-01-08T17:00Z"));  // a whole working day ends at 17:00
  EXPECT_EQ(plan.tasks[1].start, at("2024-01-09T09:00Z"));
  EXPECT_EQ(plan.tasks[1].due, at("2024-01-10T17:00Z"));
  // On the 24/7 calendar a day is 24 h.
  const Plan always = p.instantiate("c", at("2024-01-06T10:00Z"));
  EXPECT_EQ(always.tasks[1].due, at("2024-01-09T10:00Z"));
}

TEST(Playbook, DiamondTieGoesToTheTaskListedFirst) {
  const Playbook p = Playbook::from_json_text(R"({"tasks": [{"name": "kickoff", "duration": "1D"},
    {"name": "left", "duration": "2D", "depends_on": ["kickoff"]},
    {"name": "right", "duration": "16h", "depends_on": ["kickoff"]},
    {"name": "end", "duration": "1h", "depends_on": ["right", "left"]}]})");
  const Plan plan = p.instantiate("c", at("2024-01-01T09:00Z"), Calendar::business_hours("UTC"));
  EXPECT_EQ(plan.tasks[1].due, plan.tasks[2].due);  // both Wed 17:00
  EXPECT_TRUE(plan.tasks[1].critical);
  EXPECT_TRUE(plan.tasks[2].critical);
  EXPECT_EQ(plan.critical_path, (Idx{0, 1, 3}));  // "left" is listed before "right"
  EXPECT_EQ(plan.tasks[3].start, at("2024-01-04T09:00Z"));
  EXPECT_EQ(plan.finish, at("2024-01-04T10:00Z"));
}

TEST(Playbook, FixedOffsetIsAStartNoEarlierThan) {
  const Playbook p = Playbook::from_json_text(R"({"tasks": [{"name": "welcome", "duration": "1h"},
    {"name": "review", "duration": "1h", "offset": "5D"},
    {"name": "survey", "duration": "1h", "depends_on": ["welcome"], "offset": "0h"}]})");
  const Plan plan = p.instantiate("c", at("2024-01-01T09:00Z"), Calendar::business_hours("UTC"));
  // 5 business days after Monday 09:00 is Friday 17:00; work starts the next Monday.
  EXPECT_EQ(plan.tasks[1].start, at("2024-01-08T09:00Z"));
  EXPECT_EQ(plan.tasks[1].due, at("2024-01-08T10:00Z"));
  EXPECT_EQ(plan.critical_path, (Idx{1}));  // its start was set by the offset, not a dependency
  EXPECT_EQ(plan.tasks[2].start, at("2024-01-01T10:00Z"));
  // survey (due Mon 11:00) may finish as late as the plan's finish, Monday 2024-01-08 10:00:
  // Mon 11-17, Tue-Fri, Mon 09-10 = 39 business hours; welcome by survey's latest start.
  EXPECT_EQ(plan.tasks[2].slack, Duration{39 * kHour});
  EXPECT_DOUBLE_EQ(plan.tasks[2].slack_days, 4.875);
  EXPECT_EQ(plan.tasks[0].slack, Duration{39 * kHour});
}

TEST(Playbook, ProgressStatuses) {
  const Playbook p = Playbook::from_json_text(kDiamond);
  // Plan due times: kickoff Mon 01-08 15:00, training Wed 01-10 15:00, setup Fri 01-12 15:00,
  // golive Mon 01-15 11:00. As of Wednesday 2024-01-10 12:00.
  const std::vector<std::string> customers = {"acme", "beta", "gamma", "delta", "epsilon", "zeta", "eta"};
  const std::vector<Timestamp> starts(customers.size(), at("2024-01-05T15:00Z"));
  const std::vector<Plan> plans = p.instantiate(customers, starts, office());
  const EventLog log = make_log({
      {"acme", "kickoff", "2024-01-08T14:00Z"},
      {"beta", "kickoff", "2024-01-10T09:00Z"},
      {"delta", "kickoff", "2024-01-08T10:00Z"}, {"delta", "training", "2024-01-08T16:00Z"},
      {"delta", "setup", "2024-01-10T11:00Z"}, {"delta", "golive", "2024-01-10T11:30Z"},
      {"epsilon", "kickoff", "2024-01-05T14:00Z"},  // before the plan started: not counted
      {"zeta", "Kickoff call", "2024-01-08T10:00Z"},
      {"eta", "kickoff", "2024-01-10T12:00Z"},  // at as_of: not counted
  });
  ProgressOptions opt;
  opt.activities["kickoff"] = "kickoff";
  const auto pr = p.progress(plans, log, at("2024-01-10T12:00Z"), opt);
  ASSERT_EQ(pr.size(), customers.size());

  // acme: kickoff on time; the rest re-projected from Mon 14:00 finishes 1 h early.
  EXPECT_EQ(pr[0].status, PlanStatus::on_track);
  EXPECT_EQ(pr[0].done, 1u);
  EXPECT_EQ(pr[0].pending, 3u);
  EXPECT_EQ(pr[0].tasks[kSetup].projected_finish, at("2024-01-12T14:00Z"));
  EXPECT_EQ(pr[0].tasks[kTraining].projected_finish, at("2024-01-10T14:00Z"));
  EXPECT_EQ(pr[0].projected_finish, at("2024-01-15T10:00Z"));
  EXPECT_EQ(pr[0].slip, Duration{-kHour});
  EXPECT_DOUBLE_EQ(pr[0].slip_days, -0.125);

  // beta: kickoff done late (Wed 09:00): setup runs to Fri 17:00, golive to Mon 13:00.
  EXPECT_EQ(pr[1].status, PlanStatus::at_risk);
  EXPECT_EQ(pr[1].done_late, 1u);
  EXPECT_EQ(pr[1].tasks[kKickoff].status, TaskStatus::done_late);
  EXPECT_EQ(pr[1].projected_finish, at("2024-01-15T13:00Z"));
  EXPECT_DOUBLE_EQ(pr[1].slip_days, 0.25);

  // gamma: nothing done, kickoff past due. Re-projected from as_of: kickoff "now", setup
  // Wed 12:00 + 24 h = Mon 12:00, golive Mon 16:00.
  EXPECT_EQ(pr[2].status, PlanStatus::overdue);
  EXPECT_EQ(pr[2].overdue, 1u);
  EXPECT_EQ(pr[2].pending, 3u);
  EXPECT_EQ(pr[2].tasks[kKickoff].status, TaskStatus::overdue);
  EXPECT_EQ(pr[2].tasks[kKickoff].projected_finish, at("2024-01-10T12:00Z"));
  EXPECT_EQ(pr[2].projected_finish, at("2024-01-15T16:00Z"));
  EXPECT_DOUBLE_EQ(pr[2].slip_days, 0.625);

  // delta: everything done early; finished 23.5 business hours ahead.
  EXPECT_EQ(pr[3].status, PlanStatus::complete);
  EXPECT_EQ(pr[3].done, 4u);
  EXPECT_EQ(pr[3].projected_finish, at("2024-01-10T11:30Z"));
  EXPECT_EQ(pr[3].slip, Duration{-23 * kHour - kHour / 2});
  ASSERT_TRUE(pr[3].tasks[kGolive].completed.has_value());
  EXPECT_EQ(*pr[3].tasks[kGolive].completed, at("2024-01-10T11:30Z"));

  // epsilon: its kickoff predates the plan, so it is overdue like gamma.
  EXPECT_EQ(pr[4].status, PlanStatus::overdue);
  EXPECT_FALSE(pr[4].tasks[kKickoff].completed.has_value());

  // zeta: kickoff is completed by "Kickoff call" only through the mapping.
  EXPECT_EQ(pr[5].status, PlanStatus::overdue);  // the mapping above says kickoff = "kickoff"
  ProgressOptions mapped;
  mapped.activities["kickoff"] = "Kickoff call";
  const auto z = p.progress(std::span<const Plan>(&plans[5], 1), log, at("2024-01-10T12:00Z"), mapped);
  EXPECT_EQ(z[0].tasks[kKickoff].status, TaskStatus::done);
  EXPECT_EQ(z[0].status, PlanStatus::on_track);

  // eta: an event exactly at as_of is not used.
  EXPECT_EQ(pr[6].tasks[kKickoff].status, TaskStatus::overdue);

  // Pending before any due date: on track with no slip.
  const auto early = p.progress(std::span<const Plan>(&plans[2], 1), log, at("2024-01-08T10:00Z"));
  EXPECT_EQ(early[0].status, PlanStatus::on_track);
  EXPECT_EQ(early[0].pending, 4u);
  EXPECT_EQ(early[0].slip, Duration{0});
}

TEST(Playbook, ProgressRejectsForeignPlansAndUnknownTasks) {
  const Playbook p = Playbook::from_json_text(kDiamond);
  const Playbook other = Playbook::from_json_text(R"({"tasks": [{"name": "x", "duration": "1D"}]})");
  const std::vector<Plan> plans = {p.instantiate("a", at("2024-01-01T09:00Z")),
                                   other.instantiate("b", at("2024-01-01T09:00Z"))};
  const EventLog log = make_log({{"a", "kickoff", "2024-01-01T10:00Z"}});
  EXPECT_EQ(bad_field([&] { p.progress(plans, log, at("2024-01-02T00:00Z")); }), "plans[1]");
  ProgressOptions opt;
  opt.activities["kick-off"] = "kickoff";
  EXPECT_THROW(p.progress(std::span<const Plan>(plans.data(), 1), log, at("2024-01-02T00:00Z"), opt), NotFoundError);
  const std::vector<std::string> two = {"a", "b"};
  const std::vector<Timestamp> one = {at("2024-01-01T09:00Z")};
  EXPECT_THROW(p.instantiate(two, one), InputError);
}
