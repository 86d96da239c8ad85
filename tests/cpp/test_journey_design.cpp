// Designed journeys: validation and JSON round trip with field-named errors, business
// durations, and conformance checks worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/journey/business_duration.hpp"
#include "cxkit/journey/conformance.hpp"
#include "cxkit/journey/design.hpp"

using namespace cxkit;
using namespace cxkit::journey;

namespace {

constexpr std::int64_t kHour = 3'600'000'000;

Timestamp at(const char* iso) {
  Timestamp t;
  if (!parse_iso8601(iso, t)) throw std::runtime_error(std::string("bad test timestamp ") + iso);
  return t;
}

// The error's field (InputLocation::column), or "" when another error is thrown.
template <class F>
std::string bad_field(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.location().column;
  }
  return "(no InputError)";
}

// signed (target 2D) -> kickoff -> training (optional, 5D) -> live; kickoff -> live.
const char* kDesignJson = R"({
  "name": "onboarding",
  "stages": [
    {"name": "signed", "target": "2D", "next": ["kickoff"]},
    {"name": "kickoff", "next": ["training", "live"]},
    {"name": "training", "mandatory": false, "target": "5D", "next": ["live"]},
    {"name": "live"}
  ],
  "relevant_activities": ["escalation"]
})";

enum : std::uint32_t { kSigned, kKickoff, kTraining, kLive };

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

// Week of Monday 2024-01-01; the check runs as of Friday 2024-01-05 10:00 on Mon-Fri 09-17.
std::vector<Ev> onboarding_events() {
  return {
      // p1: conforming so far, in training since Tue 09:00.
      {"p1", "signed", "2024-01-01T09:00Z"}, {"p1", "kickoff", "2024-01-01T12:00Z"},
      {"p1", "training", "2024-01-02T09:00Z"},
      // p2: skips kickoff (training, optional, is bypassed).
      {"p2", "signed", "2024-01-01T09:00Z"}, {"p2", "live", "2024-01-01T11:00Z"},
      // p3: training before kickoff.
      {"p3", "signed", "2024-01-01T09:00Z"}, {"p3", "training", "2024-01-01T10:00Z"},
      {"p3", "kickoff", "2024-01-01T11:00Z"}, {"p3", "live", "2024-01-01T12:00Z"},
      // p4: an escalation (relevant) and a login (ignored); 17 business hours in signed.
      {"p4", "signed", "2024-01-01T09:00Z"}, {"p4", "login", "2024-01-01T10:00Z"},
      {"p4", "escalation", "2024-01-02T10:00Z"}, {"p4", "kickoff", "2024-01-03T10:00Z"},
      // p5: never enters the design.
      {"p5", "login", "2024-01-01T09:00Z"},
      // p6: starts at live: signed and kickoff skipped.
      {"p6", "live", "2024-01-02T09:00Z"},
      // p7: kickoff before signed, two escalations, stuck in signed.
      {"p7", "kickoff", "2024-01-01T09:00Z"}, {"p7", "signed", "2024-01-01T10:00Z"},
      {"p7", "escalation", "2024-01-01T11:00Z"}, {"p7", "escalation", "2024-01-01T12:00Z"},
      // p8: stuck in signed.
      {"p8", "signed", "2024-01-01T09:00Z"},
      // p9: its kickoff is exactly at as_of, so it is not used.
      {"p9", "signed", "2024-01-01T09:00Z"}, {"p9", "kickoff", "2024-01-05T10:00Z"},
  };
}

CheckOptions week_options() {
  CheckOptions o;
  o.as_of = at("2024-01-05T10:00Z");
  o.calendar = Calendar::business_hours("UTC");
  return o;
}

const CustomerConformance& customer(const ConformanceResult& r, const std::string& name) {
  for (const auto& c : r.customers)
    if (c.customer == name) return c;
  throw std::runtime_error("no customer " + name);
}

using Idx = std::vector<std::uint32_t>;

}  // namespace

TEST(BusinessDuration, ParsesAndPrints) {
  EXPECT_EQ(BusinessDuration::parse("3D"), BusinessDuration::days(3));
  EXPECT_EQ(BusinessDuration::parse("3d"), BusinessDuration::days(3));
  EXPECT_EQ(BusinessDuration::parse("4h"), BusinessDuration::hours(4));
  EXPECT_EQ(BusinessDuration::parse("90m"), BusinessDuration::minutes(90));
  EXPECT_EQ(BusinessDuration::parse("1.5D"), BusinessDuration::days(1.5));
  EXPECT_EQ(BusinessDuration::parse("0h"), BusinessDuration::hours(0));
  for (const char* bad : {"", "D", "3", "-1D", "+1D", "1e3h", " 3D", "3D ", "3.D", ".5D", "3W", "3M", "nanD",
                          "infh", "1.2.3h", "2000000D"})
    EXPECT_FALSE(BusinessDuration::parse(bad)) << bad;
  EXPECT_EQ(BusinessDuration::days(3).to_string(), "3D");
  EXPECT_EQ(BusinessDuration::hours(4).to_string(), "4h");
  EXPECT_EQ(BusinessDuration::days(1.5).to_string(), "1.5D");
  EXPECT_EQ(BusinessDuration::minutes(0.1).to_string(), "0.1m");
  EXPECT_EQ(BusinessDuration::parse(BusinessDuration::minutes(0.1).to_string()), BusinessDuration::minutes(0.1));
}

TEST(BusinessDuration, ResolvesOnTheCalendar) {
  const Calendar office = Calendar::business_hours("UTC");
  EXPECT_EQ(business_day(office), Duration{8 * kHour});
  EXPECT_EQ(business_day(Calendar::always()), Duration{24 * kHour});
  EXPECT_EQ(BusinessDuration::days(3).resolve(office), Duration{24 * kHour});
  EXPECT_EQ(BusinessDuration::days(3).resolve(Calendar::always()), Duration{72 * kHour});
  EXPECT_EQ(BusinessDuration::hours(4).resolve(office), Duration{4 * kHour});
  EXPECT_EQ(BusinessDuration::minutes(90).resolve(office), Duration{kHour * 3 / 2});
  // Monday-Thursday 8 h and Friday 4 h: 36 h over 5 days = 7.2 h.
  Calendar::Week week = office.week();
  week[4] = {WorkingInterval{std::chrono::hours{9}, std::chrono::hours{13}}};
  EXPECT_EQ(business_day(Calendar("UTC", week)), Duration{kHour * 72 / 10});
}

TEST(JourneyDesign, JsonRoundTrip) {
  const JourneyDesign d = JourneyDesign::from_json_text(kDesignJson);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d.name(), "onboarding");
  EXPECT_TRUE(d.stages()[kSigned].mandatory);
  EXPECT_FALSE(d.stages()[kTraining].mandatory);
  EXPECT_EQ(d.stages()[kTraining].target, BusinessDuration::days(5));
  EXPECT_FALSE(d.stages()[kKickoff].target.has_value());
  EXPECT_EQ(d.relevant_activities(), (std::vector<std::string>{"escalation"}));
  EXPECT_EQ(d.stage_index("live"), 3u);
  EXPECT_THROW(d.stage_index("churned"), NotFoundError);
  EXPECT_EQ(d.entry_stages(), (Idx{kSigned}));
  EXPECT_EQ(d.next_indices()[kKickoff], (Idx{kTraining, kLive}));
  EXPECT_EQ(d.previous_indices()[kLive], (Idx{kKickoff, kTraining}));
  // Ancestors are transitive.
  EXPECT_TRUE(d.precedes(kSigned, kLive));
  EXPECT_TRUE(d.precedes(kTraining, kLive));
  EXPECT_FALSE(d.precedes(kLive, kSigned));
  EXPECT_FALSE(d.precedes(kKickoff, kKickoff));

  const nlohmann::json j = d.to_json();
  EXPECT_EQ(JourneyDesign::from_json(j), d);
  // Defaults are left out; the rest is written canonically.
  const nlohmann::json expected = nlohmann::json::parse(R"({
    "name": "onboarding",
    "stages": [{"name": "signed", "target": "2D", "next": ["kickoff"]},
               {"name": "kickoff", "next": ["training", "live"]},
               {"name": "training", "mandatory": false, "target": "5D", "next": ["live"]},
               {"name": "live"}],
    "relevant_activities": ["escalation"]})");
  EXPECT_EQ(j, expected);
  EXPECT_EQ(JourneyDesign::from_json_text(R"({"stages": [{"name": "a", "target": "4H"}]})").to_json().dump(),
            R"({"stages":[{"name":"a","target":"4h"}]})");
}

TEST(JourneyDesign, ErrorsNameTheField) {
  using J = nlohmann::json;
  const auto from = [](const char* text) { return [text] { JourneyDesign::from_json_text(text); }; };
  EXPECT_EQ(bad_field(from(R"({"stages": [{"name": "a"}, {"name": "b"}, {"name": "c", "target": "3X"}]})")),
            "stages[2].target");
  EXPECT_EQ(bad_field(from(R"({"stages": [{"name": "a", "target": 3}]})")), "stages[0].target");
  EXPECT_EQ(bad_field(from(R"({"stages": [{"name": "a", "next": ["b", "z"]}, {"name": "b"}]})")), "stages[0].next[1]");
  EXPECT_EQ(bad_field(from(R"({"stages": [{"name": "a", "next": ["b", "b"]}, {"name": "b"}]})")), "stages[0].next[1]");
  EXPECT_EQ(bad_field(from(R"({"stages": [{"name": "a"}, {"name": "a"}]})")), "stages[1].name");
  EXPECT_EQ(bad_field(from(R"({"stages": [{"name": ""}]})")), "stages[0].name");
  EXPECT_EQ(bad_field(from(R"({"stages": [{"next": []}]})")), "stages[0].name");
  EXPECT_EQ(bad_field(from(R"({"stages": [{"name": "a", "mandatroy": false}]})")), "stages[0].mandatroy");
  EXPECT_EQ(bad_field(from(R"({"stages": [{"name": "a", "mandatory": "yes"}]})")), "stages[0].mandatory");
  EXPECT_EQ(bad_field(from(R"({"stages": {}})")), "stages");
  EXPECT_EQ(bad_field(from(R"({"stage": []})")), "stage");
  EXPECT_EQ(bad_field(from(R"({"name": "x"})")), "stages");
  EXPECT_EQ(bad_field(from(R"({"stages": [{"name": "a"}], "relevant_activities": ["a"]})")), "relevant_activities[0]");
  EXPECT_EQ(bad_field(from(R"({"stages": [{"name": "a"}], "relevant_activities": ["x", "x"]})")),
            "relevant_activities[1]");
  EXPECT_THROW(JourneyDesign::from_json_text("{\"stages\": ["), InputError);
  EXPECT_THROW(JourneyDesign::from_json(J::array()), InputError);
  // The message carries the field and the value.
  try {
    JourneyDesign::from_json_text(R"({"stages": [{"name": "a"}, {"name": "b"}, {"name": "c", "target": "3X"}]})");
    FAIL();
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("stages[2].target"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'3X'"), std::string::npos) << msg;
  }
}

TEST(JourneyDesign, CyclesAreNamed) {
  try {
    JourneyDesign::from_json_text(R"({"stages": [{"name": "start", "next": ["a"]},
      {"name": "a", "next": ["b"]}, {"name": "b", "next": ["c"]}, {"name": "c", "next": ["a"]}]})");
    FAIL() << "expected a cycle error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.location().column, "stages");
    EXPECT_NE(std::string(e.what()).find("a -> b -> c -> a"), std::string::npos) << e.what();
  }
  try {
    JourneyDesign({DesignStage{"x", true, {}, {"x"}}});
    FAIL() << "expected a self-loop error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("x -> x"), std::string::npos) << e.what();
  }
}

TEST(JourneyDesign, ValidateAgainstNamesMissingActivities) {
  const JourneyDesign d = JourneyDesign::from_json_text(kDesignJson);
  EXPECT_NO_THROW(d.validate_against(make_log(onboarding_events())));
  const EventLog partial = make_log({{"c", "signed", "2024-01-01T09:00Z"}, {"c", "live", "2024-01-01T10:00Z"}});
  try {
    d.validate_against(partial);
    FAIL();
  } catch (const NotFoundError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'kickoff', 'training', 'escalation'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("known activities: 'live', 'signed'"), std::string::npos) << msg;
  }
}

TEST(Conformance, PerCustomerRulesByHand) {
  const JourneyDesign d = JourneyDesign::from_json_text(kDesignJson);
  const ConformanceResult r = d.check(make_log(onboarding_events()), week_options());
  ASSERT_EQ(r.customers.size(), 9u);
  EXPECT_EQ(r.reference, at("2024-01-05T10:00Z"));
  EXPECT_EQ(r.stage_names, (std::vector<std::string>{"signed", "kickoff", "training", "live"}));

  const auto& p1 = customer(r, "p1");
  EXPECT_TRUE(p1.entered);
  EXPECT_DOUBLE_EQ(p1.fitness, 1.0);
  EXPECT_EQ(p1.observed_stages, 3u);
  EXPECT_TRUE(p1.skipped.empty());  // live is not reached yet, which is no skip
  EXPECT_EQ(p1.current_stage, kTraining);
  EXPECT_EQ(p1.entered_current, at("2024-01-02T09:00Z"));
  EXPECT_EQ(p1.time_in_current, Duration{25 * kHour});  // Tue, Wed, Thu 8 h + Fri 1 h
  EXPECT_FALSE(p1.overdue);                              // target 5D = 40 h
  EXPECT_TRUE(p1.over_target.empty());
  EXPECT_EQ(p1.first_deviation, DeviationKind::none);

  const auto& p2 = customer(r, "p2");
  EXPECT_EQ(p2.skipped, (Idx{kKickoff}));  // training is optional: bypassed, not skipped
  EXPECT_DOUBLE_EQ(p2.fitness, 1.0 - 1.0 / 3.0);  // 1 deviation / (2 observed + 1 skipped)
  EXPECT_EQ(p2.first_deviation, DeviationKind::skipped);
  EXPECT_EQ(p2.first_deviation_name, "kickoff");
  EXPECT_EQ(p2.first_deviation_from, kSigned);
  EXPECT_EQ(p2.first_deviation_at, at("2024-01-01T11:00Z"));  // when live showed kickoff was skipped
  EXPECT_EQ(p2.current_stage, kLive);

  const auto& p3 = customer(r, "p3");
  EXPECT_EQ(p3.out_of_order, (Idx{kTraining}));  // done before its ancestor kickoff
  EXPECT_TRUE(p3.skipped.empty());
  EXPECT_DOUBLE_EQ(p3.fitness, 0.75);  // 1 / 4 observed
  EXPECT_EQ(p3.first_deviation, DeviationKind::out_of_order);
  EXPECT_EQ(p3.first_deviation_name, "training");
  EXPECT_EQ(p3.first_deviation_from, kSigned);

  const auto& p4 = customer(r, "p4");
  EXPECT_EQ(p4.unexpected_events, 1u);  // login is not relevant
  EXPECT_EQ(p4.unexpected, (std::vector<std::string>{"escalation"}));
  EXPECT_DOUBLE_EQ(p4.fitness, 1.0 - 1.0 / 3.0);  // 1 / (2 observed + 1 unexpected)
  EXPECT_EQ(p4.first_deviation, DeviationKind::unexpected);
  EXPECT_EQ(p4.first_deviation_name, "escalation");
  EXPECT_EQ(p4.first_deviation_from, kSigned);
  EXPECT_EQ(p4.current_stage, kKickoff);
  EXPECT_EQ(p4.time_in_current, Duration{16 * kHour});  // Wed 10-17, Thu, Fri 9-10
  EXPECT_FALSE(p4.overdue);                              // kickoff has no target
  EXPECT_EQ(p4.over_target, (Idx{kSigned}));             // Mon 9 -> Wed 10 = 17 h > 2D = 16 h

  const auto& p5 = customer(r, "p5");
  EXPECT_FALSE(p5.entered);
  EXPECT_DOUBLE_EQ(p5.fitness, 1.0);
  EXPECT_EQ(p5.current_stage, kNoId);

  const auto& p6 = customer(r, "p6");
  EXPECT_EQ(p6.skipped, (Idx{kSigned, kKickoff}));
  EXPECT_DOUBLE_EQ(p6.fitness, 1.0 / 3.0);  // 2 / (1 observed + 2 skipped)
  EXPECT_EQ(p6.first_deviation, DeviationKind::skipped);
  EXPECT_EQ(p6.first_deviation_name, "signed");  // tie at live's event: lower stage first
  EXPECT_EQ(p6.first_deviation_from, kNoId);

  const auto& p7 = customer(r, "p7");
  EXPECT_EQ(p7.out_of_order, (Idx{kKickoff}));
  EXPECT_EQ(p7.unexpected_events, 2u);
  EXPECT_EQ(p7.unexpected, (std::vector<std::string>{"escalation"}));
  EXPECT_DOUBLE_EQ(p7.fitness, 0.25);  // (1 + 2) / (2 observed + 2 unexpected)
  EXPECT_EQ(p7.first_deviation, DeviationKind::out_of_order);
  EXPECT_EQ(p7.first_deviation_from, kNoId);
  EXPECT_EQ(p7.current_stage, kSigned);
  EXPECT_EQ(p7.time_in_current, Duration{32 * kHour});  // Mon 10-17, Tue-Thu, Fri 9-10
  EXPECT_TRUE(p7.overdue);
  EXPECT_EQ(p7.over_target, (Idx{kSigned}));

  for (const char* name : {"p8", "p9"}) {  // p9's kickoff at as_of itself is not used
    const auto& p = customer(r, name);
    EXPECT_EQ(p.observed_stages, 1u) << name;
    EXPECT_EQ(p.current_stage, kSigned) << name;
    EXPECT_EQ(p.time_in_current, Duration{33 * kHour}) << name;
    EXPECT_TRUE(p.overdue) << name;
    EXPECT_DOUBLE_EQ(p.fitness, 1.0) << name;
  }
}

TEST(Conformance, AllActivitiesRelevant) {
  const JourneyDesign d = JourneyDesign::from_json_text(kDesignJson);
  CheckOptions o = week_options();
  o.all_activities_relevant = true;
  const ConformanceResult r = d.check(make_log(onboarding_events()), o);
  const auto& p4 = customer(r, "p4");
  EXPECT_EQ(p4.unexpected_events, 2u);
  EXPECT_EQ(p4.unexpected, (std::vector<std::string>{"login", "escalation"}));
  EXPECT_DOUBLE_EQ(p4.fitness, 0.5);  // 2 / (2 + 2)
  EXPECT_EQ(p4.first_deviation_name, "login");
  const auto& p5 = customer(r, "p5");
  EXPECT_FALSE(p5.entered);
  EXPECT_DOUBLE_EQ(p5.fitness, 0.0);  // 1 unexpected / 1
}

TEST(Conformance, AggregateByHand) {
  const JourneyDesign d = JourneyDesign::from_json_text(kDesignJson);
  const std::vector<double> churned = {0, 1, 0, 1, 1, 1, 1, 0, std::nan("")};  // p1..p9
  CheckOptions o = week_options();
  o.outcome = churned;
  const ConformanceResult r = d.check(make_log(onboarding_events()), o);
  const ConformanceSummary& s = r.summary;
  EXPECT_EQ(s.n_customers, 9u);
  EXPECT_EQ(s.n_entered, 8u);
  EXPECT_EQ(s.n_conforming, 3u);  // p1, p8, p9
  EXPECT_EQ(s.n_overdue, 3u);     // p7, p8, p9
  EXPECT_NEAR(s.mean_fitness, 17.0 / 24.0, 1e-12);

  struct Row { std::uint64_t reached, skipped, bypassed, not_reached, out_of_order, current, overdue, over_target; };
  const std::vector<Row> want = {
      {7, 1, 0, 0, 0, 3, 3, 4},  // signed: p6 skips; p7-p9 current and overdue; + p4 over target
      {4, 2, 0, 2, 1, 1, 0, 0},  // kickoff: p2, p6 skip; p8, p9 not yet; p7 out of order
      {2, 0, 2, 4, 1, 1, 0, 0},  // training: p2, p6 bypass; p3 out of order; p1 current
      {3, 0, 0, 5, 0, 3, 0, 0},  // live
  };
  ASSERT_EQ(s.stages.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& g = s.stages[i];
    SCOPED_TRACE(g.stage);
    EXPECT_EQ(g.reached, want[i].reached);
    EXPECT_EQ(g.skipped, want[i].skipped);
    EXPECT_EQ(g.bypassed, want[i].bypassed);
    EXPECT_EQ(g.not_reached, want[i].not_reached);
    EXPECT_EQ(g.out_of_order, want[i].out_of_order);
    EXPECT_EQ(g.current, want[i].current);
    EXPECT_EQ(g.overdue, want[i].overdue);
    EXPECT_EQ(g.over_target, want[i].over_target);
  }
  // Closed stays in signed: p1 3 h, p2 2 h, p3 1 h, p4 17 h (business).
  EXPECT_EQ(s.stages[kSigned].stay_summary.count, 4u);
  EXPECT_DOUBLE_EQ(s.stages[kSigned].stay_summary.median, 2.5 * 3600);
  EXPECT_DOUBLE_EQ(s.stages[kSigned].stay_summary.max, 17 * 3600.0);

  const std::vector<DeviationCount> first = {
      {DeviationKind::skipped, "kickoff", "signed", 1},
      {DeviationKind::skipped, "signed", "", 1},
      {DeviationKind::out_of_order, "kickoff", "", 1},
      {DeviationKind::out_of_order, "training", "signed", 1},
      {DeviationKind::unexpected, "escalation", "signed", 1},
  };
  EXPECT_EQ(s.first_deviations, first);
  EXPECT_EQ(s.unexpected, (std::vector<UnexpectedCount>{{"escalation", 2, 3}}));

  // Outcome: entered with a known outcome p1-p4, p6-p8 (7), churned p2, p4, p6, p7 (4).
  EXPECT_EQ(s.n_with_outcome, 7u);
  EXPECT_EQ(s.n_positive, 4u);
  struct Eff { DeviationKind kind; const char* name; std::uint64_t n_with, pos_with; double with, without; };
  const std::vector<Eff> effects = {
      {DeviationKind::any, "", 5, 4, 0.8, 0.0},
      {DeviationKind::skipped, "kickoff", 2, 2, 1.0, 0.4},
      {DeviationKind::unexpected, "escalation", 2, 2, 1.0, 0.4},
      {DeviationKind::skipped, "signed", 1, 1, 1.0, 0.5},
      {DeviationKind::out_of_order, "kickoff", 1, 1, 1.0, 0.5},
      {DeviationKind::over_target, "signed", 3, 2, 2.0 / 3.0, 0.5},  // p4, p7, p8 (p9 unknown)
      {DeviationKind::out_of_order, "training", 1, 0, 0.0, 4.0 / 6.0},
  };
  ASSERT_EQ(s.outcome_effects.size(), effects.size());
  for (std::size_t i = 0; i < effects.size(); ++i) {
    const auto& e = s.outcome_effects[i];
    SCOPED_TRACE(i);
    EXPECT_EQ(e.kind, effects[i].kind);
    EXPECT_EQ(e.name, effects[i].name);
    EXPECT_EQ(e.n_with, effects[i].n_with);
    EXPECT_EQ(e.positive_with, effects[i].pos_with);
    EXPECT_EQ(e.n_without, 7 - effects[i].n_with);
    EXPECT_NEAR(e.rate_with, effects[i].with, 1e-12);
    EXPECT_NEAR(e.rate_without, effects[i].without, 1e-12);
    EXPECT_NEAR(e.difference, effects[i].with - effects[i].without, 1e-12);
  }
}

TEST(Conformance, AsOfUsesOnlyEarlierEvents) {
  const JourneyDesign d = JourneyDesign::from_json_text(kDesignJson);
  const EventLog log = make_log(onboarding_events());
  CheckOptions o = week_options();
  o.as_of = at("2024-01-01T10:30Z");  // Monday 10:30
  const ConformanceResult r = d.check(log, o);
  // p3 has done signed and training so far: kickoff, gone past, counts as skipped; training
  // is not out of order (that needs kickoff to come later, which as of now it has not).
  const auto& p3 = customer(r, "p3");
  EXPECT_EQ(p3.observed_stages, 2u);
  EXPECT_TRUE(p3.out_of_order.empty());
  EXPECT_EQ(p3.skipped, (Idx{kKickoff}));
  EXPECT_EQ(p3.time_in_current, Duration{kHour / 2});
  // p6 has no event yet.
  EXPECT_FALSE(customer(r, "p6").entered);
  // Without as_of, the reference is the latest event: p9's kickoff counts.
  CheckOptions latest;
  latest.calendar = Calendar::business_hours("UTC");
  const ConformanceResult all = d.check(log, latest);
  EXPECT_EQ(all.reference, at("2024-01-05T10:00Z"));
  EXPECT_EQ(customer(all, "p9").current_stage, kKickoff);
  EXPECT_EQ(customer(all, "p9").time_in_current, Duration{0});
}

TEST(Conformance, MergedPartitionsEqualTheWhole) {
  const JourneyDesign d = JourneyDesign::from_json_text(kDesignJson);
  const auto evs = onboarding_events();
  std::vector<Ev> a, b;
  for (const auto& e : evs) (std::string(e.c) <= "p4" ? a : b).push_back(e);
  const std::vector<double> churn_all = {0, 1, 0, 1, 1, 1, 1, 0, std::nan("")};
  const std::vector<double> churn_a(churn_all.begin(), churn_all.begin() + 4), churn_b(churn_all.begin() + 4, churn_all.end());
  CheckOptions o = week_options();
  o.outcome = churn_all;
  const ConformanceSummary whole = d.check(make_log(evs), o).summary;
  ConformanceSummary merged;
  o.outcome = churn_a;
  merged.merge(d.check(make_log(a), o).summary);
  o.outcome = churn_b;
  merged.merge(d.check(make_log(b), o).summary);
  EXPECT_EQ(merged.n_customers, whole.n_customers);
  EXPECT_EQ(merged.n_entered, whole.n_entered);
  EXPECT_EQ(merged.n_conforming, whole.n_conforming);
  EXPECT_NEAR(merged.mean_fitness, whole.mean_fitness, 1e-12);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(merged.stages[i].reached, whole.stages[i].reached);
    EXPECT_EQ(merged.stages[i].skipped, whole.stages[i].skipped);
    EXPECT_EQ(merged.stages[i].not_reached, whole.stages[i].not_reached);
    EXPECT_EQ(merged.stages[i].over_target, whole.stages[i].over_target);
    EXPECT_TRUE(merged.stages[i].stay == whole.stages[i].stay);
  }
  EXPECT_EQ(merged.first_deviations, whole.first_deviations);
  EXPECT_EQ(merged.unexpected, whole.unexpected);
  ASSERT_EQ(merged.outcome_effects.size(), whole.outcome_effects.size());
  for (std::size_t i = 0; i < whole.outcome_effects.size(); ++i) {
    EXPECT_EQ(merged.outcome_effects[i].kind, whole.outcome_effects[i].kind);
    EXPECT_EQ(merged.outcome_effects[i].name, whole.outcome_effects[i].name);
    EXPECT_EQ(merged.outcome_effects[i].n_with, whole.outcome_effects[i].n_with);
    EXPECT_EQ(merged.outcome_effects[i].positive_without, whole.outcome_effects[i].positive_without);
  }
  ConformanceSummary other;
  DesignStage x;
  x.name = "x";
  other.merge(JourneyDesign({x}).check(make_log(evs)).summary);
  EXPECT_THROW(merged.merge(other), InputError);
}

TEST(Conformance, BadOutcomeIsRejected) {
  const JourneyDesign d = JourneyDesign::from_json_text(kDesignJson);
  const EventLog log = make_log(onboarding_events());
  CheckOptions o;
  const std::vector<double> short_outcome = {0, 1};
  o.outcome = short_outcome;
  EXPECT_THROW(d.check(log, o), InputError);
  std::vector<double> bad(9, 0.0);
  bad[2] = 0.5;
  o.outcome = bad;
  try {
    d.check(log, o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'p3'"), std::string::npos) << e.what();
  }
}

TEST(Conformance, EmptyDesignAndEmptyLog) {
  const ConformanceResult r = JourneyDesign().check(make_log(onboarding_events()));
  EXPECT_EQ(r.summary.n_customers, 9u);
  EXPECT_EQ(r.summary.n_entered, 0u);
  EXPECT_TRUE(std::isnan(r.summary.mean_fitness));
  const ConformanceResult e = JourneyDesign::from_json_text(kDesignJson).check(EventLog{});
  EXPECT_EQ(e.summary.n_customers, 0u);
  EXPECT_TRUE(e.customers.empty());
}
