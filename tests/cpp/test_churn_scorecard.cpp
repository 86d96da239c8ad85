// Tests of cxkit::churn::Scorecard: scoring schemes, hand-computed scores and re-weighting,
// bands, the minimum-coverage rule, change since the last score, JSON round trip and the
// validation errors that name the bad field.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "cxkit/churn/scorecard.hpp"
#include "cxkit/core/error.hpp"

using namespace cxkit::churn;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Adoption (group weight 60): logins linear 0..20 (weight 3), seat utilisation linear 0.2..1.0
// (weight 1). Support (group weight 40): open P1 tickets, thresholds, lower is better.
// Full effective weights: logins 60 * 3/4 = 45, seats 60 * 1/4 = 15, p1 40.
const char* kCard = R"({
  "name": "health",
  "min_coverage": 0.5,
  "bands": [{"name": "red", "min": 0, "max": 50}, {"name": "yellow", "min": 51, "max": 75},
            {"name": "green", "min": 76, "max": 100}],
  "groups": [
    {"name": "Adoption", "weight": 60, "measures": [
      {"name": "logins", "feature": "logins_30d", "weight": 3,
       "scheme": {"type": "linear", "lower": 0, "upper": 20}},
      {"name": "seats", "weight": 1, "description": "active seats / licensed",
       "scheme": {"type": "linear", "direction": "higher_is_better", "lower": 0.2, "upper": 1.0}}]},
    {"name": "Support", "weight": 40, "measures": [
      {"name": "p1_open", "scheme": {"type": "thresholds", "direction": "lower_is_better",
       "steps": [{"bound": 0, "points": 100}, {"bound": 2, "points": 50}], "otherwise": 0}}]}
  ]
})";

Scorecard card() { return Scorecard::from_json_text(kCard); }

/// The field path an InputError names, or "" if `f` does not throw one.
template <class F>
std::string bad_field(F&& f) {
  try {
    f();
  } catch (const cxkit::InputError& e) {
    return e.location().column;
  }
  return "";
}

}  // namespace

TEST(ChurnScorecard, ThresholdSchemes) {
  ScoringScheme up;
  up.kind = ScoringScheme::Kind::thresholds;
  up.steps = {{0, 0}, {10, 50}, {30, 100}};
  up.otherwise = 5;
  EXPECT_EQ(up.points(-1), 5);  // below every bound
  EXPECT_EQ(up.points(0), 0);
  EXPECT_EQ(up.points(9.99), 0);
  EXPECT_EQ(up.points(10), 50);
  EXPECT_EQ(up.points(29), 50);
  EXPECT_EQ(up.points(30), 100);
  EXPECT_EQ(up.points(1e9), 100);

  ScoringScheme down = up;
  down.direction = Direction::lower_is_better;
  down.steps = {{0, 100}, {2, 50}};
  down.otherwise = 0;
  EXPECT_EQ(down.points(-1), 100);
  EXPECT_EQ(down.points(0), 100);
  EXPECT_EQ(down.points(0.5), 50);
  EXPECT_EQ(down.points(2), 50);
  EXPECT_EQ(down.points(2.01), 0);  // above every bound
}

TEST(ChurnScorecard, LinearSchemes) {
  ScoringScheme s;
  s.lower = 0;
  s.upper = 10;
  EXPECT_DOUBLE_EQ(s.points(2.5), 25);
  EXPECT_DOUBLE_EQ(s.points(-3), 0);
  EXPECT_DOUBLE_EQ(s.points(11), 100);
  s.direction = Direction::lower_is_better;
  EXPECT_DOUBLE_EQ(s.points(2.5), 75);
  EXPECT_DOUBLE_EQ(s.points(-3), 100);
  EXPECT_DOUBLE_EQ(s.points(11), 0);
}

TEST(ChurnScorecard, FullWeightsAreNormalisedTo100) {
  const Scorecard c = card();
  ASSERT_EQ(c.measure_count(), 3u);
  EXPECT_EQ(c.measure(0).input(), "logins_30d");
  EXPECT_EQ(c.measure(1).input(), "seats");
  EXPECT_EQ(c.measure_group(2), 1u);
  EXPECT_DOUBLE_EQ(c.full_weights()[0], 45);
  EXPECT_DOUBLE_EQ(c.full_weights()[1], 15);
  EXPECT_DOUBLE_EQ(c.full_weights()[2], 40);
}

TEST(ChurnScorecard, HandComputedScoresAndReweighting) {
  const Scorecard c = card();
  Matrix v(5, 3);
  v << 10, 0.6, 1,      // 50, 50, 50 points -> 50
      30, 1.0, 0,       // 100 (clamped), 100, 100 -> 100
      kNaN, 0.8, 3,     // logins missing: seats carries Adoption's 60 -> 75 * 0.6 + 0 * 0.4 = 45
      16, kNaN, kNaN,   // Support missing: Adoption gets 100, logins all of it -> 80; coverage 0.45
      kNaN, kNaN, kNaN;  // nothing present
  const Vector previous = (Vector(5) << 60, kNaN, 40, 70, 10).finished();
  const ScoreResult r = c.score(v, previous);

  EXPECT_NEAR(r.score[0], 50, 1e-12);
  EXPECT_NEAR(r.contribution(0, 0), 22.5, 1e-12);
  EXPECT_NEAR(r.contribution(0, 1), 7.5, 1e-12);
  EXPECT_NEAR(r.contribution(0, 2), 20, 1e-12);
  EXPECT_EQ(c.bands()[static_cast<std::size_t>(r.band[0])].name, "red");
  EXPECT_NEAR(r.change[0], -10, 1e-12);

  EXPECT_NEAR(r.score[1], 100, 1e-12);
  EXPECT_EQ(c.bands()[static_cast<std::size_t>(r.band[1])].name, "green");
  EXPECT_TRUE(std::isnan(r.change[1]));  // no previous score

  EXPECT_NEAR(r.score[2], 45, 1e-12);
  EXPECT_NEAR(r.weight(2, 1), 60, 1e-12);
  EXPECT_NEAR(r.weight(2, 2), 40, 1e-12);
  EXPECT_EQ(r.weight(2, 0), 0);
  EXPECT_TRUE(std::isnan(r.points(2, 0)));
  EXPECT_TRUE(std::isnan(r.contribution(2, 0)));
  EXPECT_NEAR(r.coverage[2], 0.55, 1e-12);
  EXPECT_NEAR(r.change[2], 5, 1e-12);

  // Coverage 0.45 < min_coverage 0.5: no score, though the re-weighted points are known.
  EXPECT_NEAR(r.coverage[3], 0.45, 1e-12);
  EXPECT_TRUE(std::isnan(r.score[3]));
  EXPECT_EQ(r.band[3], -1);
  EXPECT_NEAR(r.points(3, 0), 80, 1e-12);
  EXPECT_NEAR(r.weight(3, 0), 100, 1e-12);
  EXPECT_TRUE(std::isnan(r.change[3]));

  EXPECT_TRUE(std::isnan(r.score[4]));
  EXPECT_EQ(r.coverage[4], 0);
  EXPECT_EQ(r.band[4], -1);

  // Without the coverage rule row 3 scores 80 (green).
  Scorecard lenient(c.groups(), c.bands(), 0.0, "lenient");
  const ScoreResult l = lenient.score(v);
  EXPECT_NEAR(l.score[3], 80, 1e-12);
  EXPECT_EQ(lenient.bands()[static_cast<std::size_t>(l.band[3])].name, "green");
  EXPECT_TRUE(std::isnan(l.score[4]));  // nothing present is never a score
}

TEST(ChurnScorecard, BandsUseTheRoundedScore) {
  const Scorecard c = card();
  EXPECT_EQ(c.band_of(0), 0);
  EXPECT_EQ(c.band_of(50.49), 0);
  EXPECT_EQ(c.band_of(50.5), 1);  // displayed as 51
  EXPECT_EQ(c.band_of(75.49), 1);
  EXPECT_EQ(c.band_of(75.5), 2);
  EXPECT_EQ(c.band_of(100), 2);
  EXPECT_EQ(c.band_of(kNaN), -1);
}

TEST(ChurnScorecard, ContributionsSumToScoreUnderRandomMissingness) {
  const Scorecard c(card().groups(), Scorecard::default_bands(), 0.0);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-5, 40);
  std::bernoulli_distribution missing(0.3);
  Matrix v(500, 3);
  for (Eigen::Index i = 0; i < v.rows(); ++i)
    for (Eigen::Index j = 0; j < 3; ++j) v(i, j) = missing(rng) ? kNaN : u(rng);
  const ScoreResult r = c.score(v);
  for (Eigen::Index i = 0; i < v.rows(); ++i) {
    if (std::isnan(r.score[i])) {
      EXPECT_EQ(r.coverage[i], 0);
      continue;
    }
    double s = 0, w = 0;
    for (Eigen::Index j = 0; j < 3; ++j) {
      if (std::isnan(v(i, j))) continue;
      s += r.contribution(i, j);
      w += r.weight(i, j);
    }
    EXPECT_NEAR(s, r.score[i], 1e-9);
    EXPECT_NEAR(w, 100, 1e-9);
    EXPECT_GE(r.score[i], 0);
    EXPECT_LE(r.score[i], 100);
  }
}

TEST(ChurnScorecard, JsonRoundTrip) {
  const Scorecard c = card();
  const Scorecard back = Scorecard::from_json(c.to_json());
  EXPECT_EQ(back, c);
  EXPECT_EQ(back.to_json(), c.to_json());
  EXPECT_EQ(back.measure(1).description, "active seats / licensed");
  EXPECT_EQ(back.min_coverage(), 0.5);
  // The flat form is one group named "all"; bands default to red/yellow/green.
  const Scorecard flat = Scorecard::from_json_text(
      R"({"measures": [{"name": "nps", "scheme": {"type": "linear", "lower": -100, "upper": 100}}]})");
  ASSERT_EQ(flat.groups().size(), 1u);
  EXPECT_EQ(flat.groups()[0].name, "all");
  EXPECT_EQ(flat.bands(), Scorecard::default_bands());
  EXPECT_EQ(Scorecard::from_json(flat.to_json()), flat);
  EXPECT_NEAR(flat.score((Matrix(1, 1) << 50).finished()).score[0], 75, 1e-12);
}

TEST(ChurnScorecard, ValidationNamesTheBadField) {
  const auto with = [](const std::string& bands, const std::string& measure) {
    return [=] {
      Scorecard::from_json_text(R"({"bands": )" + bands + R"(, "groups": [{"name": "g", "measures": [)" + measure +
                                "]}]}");
    };
  };
  const std::string ok_bands = R"([{"name": "low", "min": 0, "max": 49}, {"name": "high", "min": 50, "max": 100}])";
  const std::string ok_measure = R"({"name": "m", "scheme": {"type": "linear", "lower": 0, "upper": 1}})";
  EXPECT_NO_THROW(with(ok_bands, ok_measure)());
  EXPECT_EQ(bad_field(with(R"([{"name": "a", "min": 0, "max": 49}, {"name": "b", "min": 51, "max": 100}])", ok_measure)),
            "bands[1].min");  // gap at 50
  EXPECT_EQ(bad_field(with(R"([{"name": "a", "min": 0, "max": 50}, {"name": "b", "min": 50, "max": 100}])", ok_measure)),
            "bands[1].min");  // overlap at 50
  EXPECT_EQ(bad_field(with(R"([{"name": "a", "min": 1, "max": 100}])", ok_measure)), "bands[0].min");
  EXPECT_EQ(bad_field(with(R"([{"name": "a", "min": 0, "max": 90}])", ok_measure)), "bands[0].max");
  EXPECT_EQ(bad_field(with(R"([{"name": "a", "min": 0, "max": 100.5}])", ok_measure)), "bands[0].max");
  EXPECT_EQ(bad_field(with(ok_bands, R"({"name": "m", "weight": 0, "scheme": {"type": "linear", "lower": 0, "upper": 1}})")),
            "groups[0].measures[0].weight");
  EXPECT_EQ(bad_field(with(ok_bands, R"({"name": "m", "wieght": 2, "scheme": {"type": "linear", "lower": 0, "upper": 1}})")),
            "groups[0].measures[0].wieght");
  EXPECT_EQ(bad_field(with(ok_bands, R"({"name": "m", "scheme": {"type": "linear", "lower": 1, "upper": 1}})")),
            "groups[0].measures[0].scheme.upper");
  EXPECT_EQ(bad_field(with(ok_bands, R"({"name": "m", "scheme": {"type": "linear", "lower": 0}})")),
            "groups[0].measures[0].scheme.upper");
  EXPECT_EQ(bad_field(with(ok_bands, R"({"name": "m", "scheme": {"type": "curve"}})")),
            "groups[0].measures[0].scheme.type");
  EXPECT_EQ(bad_field(with(ok_bands, R"({"name": "m", "scheme": {"type": "linear", "direction": "up", "lower": 0, "upper": 1}})")),
            "groups[0].measures[0].scheme.direction");
  EXPECT_EQ(bad_field(with(ok_bands, R"({"name": "m", "scheme": {"type": "thresholds",
              "steps": [{"bound": 5, "points": 10}, {"bound": 5, "points": 20}]}})")),
            "groups[0].measures[0].scheme.steps[1].bound");
  EXPECT_EQ(bad_field(with(ok_bands, R"({"name": "m", "scheme": {"type": "thresholds", "steps": [{"bound": 5, "points": 120}]}})")),
            "groups[0].measures[0].scheme.steps[0].points");
  EXPECT_EQ(bad_field(with(ok_bands, R"({"name": "m", "scheme": {"type": "thresholds", "steps": []}})")),
            "groups[0].measures[0].scheme.steps");
  EXPECT_EQ(bad_field(with(ok_bands, ok_measure + "," + ok_measure)), "groups[0].measures[1].name");  // duplicate
  EXPECT_EQ(bad_field([] { Scorecard::from_json_text(R"({"min_coverage": 2, "measures": []})"); }), "min_coverage");
  EXPECT_EQ(bad_field([] { Scorecard::from_json_text(R"({"groups": []})"); }), "groups");
  EXPECT_EQ(bad_field([] {
              Scorecard::from_json_text(R"({"measures": [{"name": "m", "weight": -1, "scheme": {"type": "linear", "lower": 0, "upper": 1}}]})");
            }),
            "measures[0].weight");  // the flat form is named as written
  EXPECT_THROW(Scorecard::from_json_text("{not json"), cxkit::InputError);
  try {
    with(ok_bands, R"({"name": "m", "weight": 0, "scheme": {"type": "linear", "lower": 0, "upper": 1}})")();
    FAIL() << "expected InputError";
  } catch (const cxkit::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("groups[0].measures[0].weight"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Scorecard"), std::string::npos) << e.what();
  }
}

TEST(ChurnScorecard, BadValuesAreRejected) {
  const Scorecard c = card();
  EXPECT_THROW(c.score(Matrix::Zero(2, 2)), cxkit::InputError);  // 2 columns for 3 measures
  Matrix v = Matrix::Zero(2, 3);
  v(1, 2) = std::numeric_limits<double>::infinity();
  try {
    c.score(v);
    FAIL() << "expected InputError";
  } catch (const cxkit::InputError& e) {
    EXPECT_EQ(e.location().line, 1);
    EXPECT_EQ(e.location().column, "p1_open");
  }
  EXPECT_THROW(c.score(Matrix::Zero(2, 3), Vector::Zero(3)), cxkit::InputError);
}
