// Absorbing Markov chains checked against closed forms and chains solved by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "cxkit/core/event_log.hpp"
#include "cxkit/core/table.hpp"
#include "cxkit/journey/discover.hpp"
#include "cxkit/journey/markov.hpp"

using namespace cxkit;
using namespace cxkit::journey;

namespace {

Timestamp sec(std::int64_t s) { return from_micros(s * 1000000); }

struct Ev {
  std::string c, a;
  std::int64_t t;
};

EventLog make_log(const std::vector<Ev>& evs) {
  EventLogBuilder b;
  for (const auto& e : evs) b.add_event(e.c, e.a, sec(e.t));
  return b.build();
}

// Gambler's ruin on 0..4 with P(up) = 0.6: from each interior state i, three two-event
// cases step up (1 hour) and two step down (2 hours). Ends are not transitions here.
EventLog gamblers_ruin_log() {
  std::vector<Ev> evs;
  int n = 0;
  for (int i = 1; i <= 3; ++i) {
    for (int k = 0; k < 3; ++k) {
      const std::string c = "u" + std::to_string(n++);
      evs.push_back({c, std::to_string(i), 0});
      evs.push_back({c, std::to_string(i + 1), 3600});
    }
    for (int k = 0; k < 2; ++k) {
      const std::string c = "d" + std::to_string(n++);
      evs.push_back({c, std::to_string(i), 0});
      evs.push_back({c, std::to_string(i - 1), 7200});
    }
  }
  return make_log(evs);
}

// A, B transient; "won" absorbing; END.  A->B 3 (60, 30, 90 s), A->won 1 (10 s),
// B->A 1 (60 s), B->won 1 (120 s), B->END 1.
EventLog three_state_log() {
  return make_log({{"c1", "A", 0}, {"c1", "B", 60}, {"c1", "won", 180},
                   {"c2", "A", 0}, {"c2", "B", 30}, {"c2", "A", 90}, {"c2", "won", 100},
                   {"c3", "A", 0}, {"c3", "B", 90}});
}

const std::vector<std::string> kWon = {"won"};

}  // namespace

TEST(JourneyMarkov, GamblersRuinMatchesTheClosedForm) {
  MarkovOptions o;
  o.end_state = false;
  const std::vector<std::string> absorbing = {"0", "4"};
  const MarkovChain m = markov(gamblers_ruin_log(), absorbing, o);
  ASSERT_EQ(m.n_transient(), 3u);
  ASSERT_EQ(m.n_absorbing(), 2u);
  EXPECT_EQ(m.states(), (std::vector<std::string>{"1", "2", "3", "0", "4"}));
  const double p = 0.6, q = 0.4, r = q / p;
  const int N = 4;
  for (int i = 1; i <= 3; ++i) {
    const auto row = static_cast<Eigen::Index>(i - 1);
    const double win = (1 - std::pow(r, i)) / (1 - std::pow(r, N));
    EXPECT_NEAR(m.absorption_probabilities()(row, 1), win, 1e-12) << i;
    EXPECT_NEAR(m.absorption_probabilities()(row, 0), 1 - win, 1e-12) << i;
    // Expected duration of the game: i/(q-p) - N/(q-p) * (1 - r^i)/(1 - r^N).
    const double steps = i / (q - p) - N / (q - p) * win;
    EXPECT_NEAR(m.expected_steps()(row), steps, 1e-12) << i;
    // Every step lasts 1 h up or 2 h down: 1.4 h on average.
    EXPECT_NEAR(m.step_time()(row), 1.4 * 3600, 1e-9);
    EXPECT_NEAR(m.expected_time()(row), steps * 1.4 * 3600, 1e-7) << i;
  }
  EXPECT_NEAR(m.transition_matrix()(0, 1), 0.6, 1e-15);
  EXPECT_NEAR(m.transition_matrix()(0, 3), 0.4, 1e-15);
  EXPECT_EQ(m.transition_matrix()(3, 3), 1.0);
}

TEST(JourneyMarkov, ThreeStateChainSolvedByHand) {
  const MarkovChain m = markov(three_state_log(), kWon);
  EXPECT_EQ(m.states(), (std::vector<std::string>{"A", "B", "won", "(end)"}));
  // Q = [0 3/4; 1/3 0], R = [1/4 0; 1/3 1/3].
  EXPECT_NEAR(m.q()(0, 1), 0.75, 1e-15);
  EXPECT_NEAR(m.q()(1, 0), 1.0 / 3, 1e-15);
  EXPECT_NEAR(m.r()(0, 0), 0.25, 1e-15);
  EXPECT_NEAR(m.r()(1, 1), 1.0 / 3, 1e-15);
  EXPECT_EQ(m.transition_counts()(1, 3), 1.0);
  // N = (I-Q)^-1 = [4/3 1; 4/9 4/3].
  EXPECT_NEAR(m.fundamental_matrix()(0, 0), 4.0 / 3, 1e-14);
  EXPECT_NEAR(m.fundamental_matrix()(0, 1), 1.0, 1e-14);
  EXPECT_NEAR(m.fundamental_matrix()(1, 0), 4.0 / 9, 1e-14);
  EXPECT_NEAR(m.fundamental_matrix()(1, 1), 4.0 / 3, 1e-14);
  // B = N R = [2/3 1/3; 5/9 4/9].
  EXPECT_NEAR(m.absorption_probabilities()(0, 0), 2.0 / 3, 1e-14);
  EXPECT_NEAR(m.absorption_probabilities()(0, 1), 1.0 / 3, 1e-14);
  EXPECT_NEAR(m.absorption_probabilities()(1, 0), 5.0 / 9, 1e-14);
  EXPECT_NEAR(m.absorption_probabilities()(1, 1), 4.0 / 9, 1e-14);
  // t = N 1 = [7/3, 16/9].
  EXPECT_NEAR(m.expected_steps()(0), 7.0 / 3, 1e-14);
  EXPECT_NEAR(m.expected_steps()(1), 16.0 / 9, 1e-14);
  // r_A = (60+30+90+10)/4 = 47.5 s; r_B = (60+120+0)/3 = 60 s; T = N r.
  EXPECT_NEAR(m.step_time()(0), 47.5, 1e-12);
  EXPECT_NEAR(m.step_time()(1), 60.0, 1e-12);
  EXPECT_NEAR(m.expected_time()(0), 4.0 / 3 * 47.5 + 60.0, 1e-10);
  EXPECT_NEAR(m.expected_time()(1), 4.0 / 9 * 47.5 + 4.0 / 3 * 60.0, 1e-10);
  // Holding time leaves END out: A 190/4, B (60+120)/2.
  EXPECT_NEAR(m.holding_time()(0), 47.5, 1e-12);
  EXPECT_NEAR(m.holding_time()(1), 90.0, 1e-12);
  // Every case starts at A.
  EXPECT_EQ(m.start_distribution()(0), 1.0);
  EXPECT_NEAR(m.absorption_from_start()(0), 2.0 / 3, 1e-14);
  EXPECT_NEAR(m.expected_steps_from_start(), 7.0 / 3, 1e-14);
  EXPECT_NEAR(m.expected_time_from_start(), 4.0 / 3 * 47.5 + 60.0, 1e-10);
  EXPECT_EQ(m.state_index("won"), 2u);
  EXPECT_THROW(m.state_index("lost"), NotFoundError);
}

TEST(JourneyMarkov, EventsAfterAbsorptionAreIgnoredAndStartsCount) {
  // c4 starts at the absorbing state and goes on: won -> A is not a transition.
  const EventLog log = make_log({{"c1", "A", 0}, {"c1", "won", 5}, {"c2", "A", 0}, {"c2", "B", 5},
                                 {"c4", "won", 0}, {"c4", "A", 9}});
  const MarkovChain m = markov(log, kWon);
  const auto won = static_cast<Eigen::Index>(m.state_index("won"));
  EXPECT_EQ(m.transition_counts().row(won).sum(), 0.0);
  EXPECT_NEAR(m.start_distribution()(won), 1.0 / 3, 1e-15);
  // From A: 1/3 won directly (c1), 1/3 to B then END, 1/3 END (c4's A is its last event).
  EXPECT_NEAR(m.absorption_probabilities()(0, 0), 1.0 / 3, 1e-15);
  // From the start: 2/3 start at A (1/3 of those win) + 1/3 already won.
  EXPECT_NEAR(m.absorption_from_start()(0), 2.0 / 3 * 1.0 / 3 + 1.0 / 3, 1e-15);
}

TEST(JourneyMarkov, WithoutDurationsTimesAreNaN) {
  DiscoverOptions d;
  d.durations = DurationMode::none;
  const MarkovChain m = markov(discover(three_state_log(), d), kWon);
  EXPECT_TRUE(std::isnan(m.expected_time()(0)));
  EXPECT_NEAR(m.expected_steps()(0), 7.0 / 3, 1e-14);
}

TEST(JourneyMarkov, Errors) {
  const EventLog log = three_state_log();
  try {
    const std::vector<std::string> bad = {"lost"};
    markov(log, bad);
    FAIL();
  } catch (const NotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find("'A', 'B', 'won'"), std::string::npos) << e.what();
  }
  const std::vector<std::string> twice = {"won", "won"};
  EXPECT_THROW(markov(log, twice), InputError);
  MarkovOptions o;
  o.end_name = "A";
  EXPECT_THROW(markov(log, kWon, o), InputError);
  // Without END, "stuck" only ever ends cases: it cannot reach "won".
  const EventLog stuck = make_log({{"c1", "A", 0}, {"c1", "won", 1}, {"c2", "A", 0}, {"c2", "stuck", 1}});
  MarkovOptions no_end;
  no_end.end_state = false;
  try {
    markov(stuck, kWon, no_end);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'stuck'"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("'A'"), std::string::npos) << e.what();  // A can reach won
  }
  // With END every state reaches absorption.
  EXPECT_NO_THROW(markov(stuck, kWon));
}

TEST(JourneyMarkov, PerSegmentChainsEqualChainsOfTheSegmentsCases) {
  // Cases c1, c3 are "gold"; c2 is "basic"; a fourth case has no segment.
  EventLog log = make_log({{"c1", "A", 0}, {"c1", "won", 10}, {"c2", "A", 0}, {"c2", "B", 10},
                           {"c3", "A", 0}, {"c3", "B", 5}, {"c3", "won", 7}, {"c4", "B", 0}});
  Dictionary labels;
  const std::uint32_t gold = labels.intern("gold"), basic = labels.intern("basic");
  labels.intern("empty");
  const std::vector<std::uint32_t> seg = {gold, basic, gold, kNoId};
  const auto chains = markov_by_segment(log, seg, labels, kWon);
  ASSERT_EQ(chains.size(), 2u);  // "empty" has no cases
  EXPECT_EQ(chains[0].segment, "gold");
  EXPECT_EQ(chains[0].n_cases, 2u);
  EXPECT_EQ(chains[1].segment, "basic");
  // gold: A -> won (1), A -> B (1), B -> won (1): from A, 1/2 + 1/2 * 1 = 1.
  EXPECT_NEAR(chains[0].chain.absorption_probabilities()(0, 0), 1.0, 1e-15);
  // basic never wins: "won" is there with a zero column.
  const MarkovChain& b = chains[1].chain;
  EXPECT_EQ(b.absorbing_states()[0], "won");
  EXPECT_EQ(b.absorption_probabilities()(0, 0), 0.0);
  EXPECT_NEAR(b.absorption_probabilities()(0, 1), 1.0, 1e-15);
  // Same as the chain of those cases on their own.
  const std::vector<std::uint32_t> gold_cases = {0, 2};
  const MarkovChain direct = markov(discover_cases(log, gold_cases), kWon);
  EXPECT_EQ(direct.states(), chains[0].chain.states());
  EXPECT_TRUE(direct.absorption_probabilities().isApprox(chains[0].chain.absorption_probabilities()));
  EXPECT_TRUE(direct.expected_time().isApprox(chains[0].chain.expected_time()));

  // From a Table column.
  TableBuilder tb("account");
  const auto tier = tb.add_column("tier", ColumnType::categorical);
  tb.add_row("c2");
  tb.set_category(tier, "basic");
  tb.add_row("c1");
  tb.set_category(tier, "gold");
  tb.add_row("c3");
  tb.set_category(tier, "gold");
  tb.add_row("c4");  // tier missing: left out
  const Table accounts = tb.build();
  const auto by_table = markov_by_segment(log, accounts, "tier", kWon);
  ASSERT_EQ(by_table.size(), 2u);
  EXPECT_EQ(by_table[0].segment, "basic");
  EXPECT_EQ(by_table[1].segment, "gold");
  EXPECT_EQ(by_table[1].n_cases, 2u);
  EXPECT_TRUE(by_table[1].chain.absorption_probabilities().isApprox(direct.absorption_probabilities()));

  EXPECT_THROW(markov_by_segment(log, accounts, "plan", kWon), NotFoundError);
  const std::vector<std::uint32_t> short_labels = {gold};
  EXPECT_THROW(markov_by_segment(log, short_labels, labels, kWon), InputError);
  const std::vector<std::string> unknown = {"lost"};
  EXPECT_THROW(markov_by_segment(log, seg, labels, unknown), NotFoundError);
}
