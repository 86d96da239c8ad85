// NPS / CSAT / CES against hand counts; interval values computed independently with mpmath
// (40 digits) from the formulas in nps.hpp, z = 1.959963984540054.
#include "cxkit/moments/nps.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "cxkit/core/error.hpp"

using namespace cxkit;
using namespace cxkit::moments;

TEST(MomentsNps, SymmetricSampleCountedByHand) {
  // promoters 10, 9, 9, 10; passives 8, 7; detractors 6, 5, 0, 3.
  const std::vector<double> s{10, 9, 9, 8, 7, 6, 5, 0, 10, 3};
  const NpsResult r = nps(s);
  EXPECT_EQ(r.n, 10u);
  EXPECT_EQ(r.promoters, 4u);
  EXPECT_EQ(r.passives, 2u);
  EXPECT_EQ(r.detractors, 4u);
  EXPECT_DOUBLE_EQ(r.nps, 0.0);
  // n' = 13, p+ = p- = 4.75/13, NPS' = 0, se = sqrt((9.5/13)/13).
  EXPECT_NEAR(r.se, 23.709284626803756, 1e-9);
  EXPECT_NEAR(r.ci_low, -46.469343967744536, 1e-9);
  EXPECT_NEAR(r.ci_high, 46.469343967744536, 1e-9);
  EXPECT_EQ(r.band, NpsBand::good);
}

TEST(MomentsNps, AsymmetricSampleIsCentredOnTheAdjustedEstimate) {
  // 7 promoters, 3 passives, 2 detractors: NPS = 5/12 = 41.67; n' = 15,
  // p+ = 7.75/15, p- = 2.75/15, NPS' = 1/3.
  const std::vector<double> s{10, 10, 10, 9, 9, 8, 7, 7, 6, 2, 10, 9};
  const NpsResult r = nps(s);
  EXPECT_NEAR(r.nps, 41.666666666666667, 1e-12);
  EXPECT_NEAR(r.se, 19.813949444585564, 1e-9);
  EXPECT_NEAR(r.ci_low, -5.5012939695517792, 1e-9);
  EXPECT_NEAR(r.ci_high, 72.167960636218446, 1e-9);
  EXPECT_EQ(r.band, NpsBand::great);
}

TEST(MomentsNps, IntervalIsClippedTo100) {
  const std::vector<double> s{10, 10, 9, 9, 10};
  const NpsResult r = nps(s);
  EXPECT_DOUBLE_EQ(r.nps, 100.0);
  EXPECT_NEAR(r.ci_low, 17.491453034168971, 1e-9);
  EXPECT_DOUBLE_EQ(r.ci_high, 100.0);
  EXPECT_EQ(r.band, NpsBand::excellent);
}

TEST(MomentsNps, BandsFollowTheDocumentedTable) {
  EXPECT_EQ(nps_band(-0.1), NpsBand::poor);
  EXPECT_EQ(nps_band(0), NpsBand::good);
  EXPECT_EQ(nps_band(29.9), NpsBand::good);
  EXPECT_EQ(nps_band(30), NpsBand::great);
  EXPECT_EQ(nps_band(69.9), NpsBand::great);
  EXPECT_EQ(nps_band(70), NpsBand::excellent);
  EXPECT_STREQ(to_string(NpsBand::great), "great");
}

TEST(MomentsNps, BadScoresAreNamed) {
  const std::vector<double> s{10, 11};
  try {
    nps(s);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.location().value, "11");
    EXPECT_EQ(e.location().line, 1);
  }
  EXPECT_THROW(nps(std::vector<double>{7.5}), InputError);
  EXPECT_THROW(nps(std::vector<double>{-1}), InputError);
  EXPECT_THROW(nps(std::vector<double>{std::nan("")}), InputError);
  EXPECT_THROW(nps(std::vector<double>{9}, 1.0), InputError);
}

TEST(MomentsNps, TalliesMergeToTheWhole) {
  const std::vector<double> a{10, 3, 8}, b{9, 9, 0, 6, 7};
  NpsTally ta, tb, whole;
  for (double x : a) ta.add(x), whole.add(x);
  for (double x : b) tb.add(x), whole.add(x);
  NpsTally merged = tb;
  merged.merge(ta);
  EXPECT_EQ(merged, whole);
  EXPECT_EQ(merged.n(), 8u);
  const NpsResult empty = summarize(NpsTally{});
  EXPECT_TRUE(std::isnan(empty.nps));
}

TEST(MomentsCsat, WilsonIntervalForEightOfTen) {
  const std::vector<double> s{5, 4, 4, 5, 5, 4, 3, 2, 4, 5};
  const ProportionResult r = csat(s);
  EXPECT_EQ(r.n, 10u);
  EXPECT_DOUBLE_EQ(r.value, 80.0);
  EXPECT_NEAR(r.ci_low, 49.016247153664174, 1e-9);
  EXPECT_NEAR(r.ci_high, 94.331784854562474, 1e-9);
  EXPECT_THROW(csat(std::vector<double>{0}), InputError);
  EXPECT_THROW(csat(std::vector<double>{6}), InputError);
}

TEST(MomentsCes, MeanAndNormalInterval) {
  // 1..5: mean 3, sd sqrt(2.5), half-width 1.959963984540054 * sqrt(2.5) / sqrt(5).
  const std::vector<double> s{1, 2, 3, 4, 5};
  const MeanResult r = ces(s);
  EXPECT_DOUBLE_EQ(r.mean, 3.0);
  EXPECT_NEAR(r.sd, std::sqrt(2.5), 1e-12);
  EXPECT_NEAR(r.ci_low, 3 - 1.959963984540054 * std::sqrt(0.5), 1e-9);
  EXPECT_NEAR(r.ci_high, 3 + 1.959963984540054 * std::sqrt(0.5), 1e-9);
  CesTally a, b;
  a.add(1), a.add(2);
  b.add(3), b.add(4), b.add(5);
  a.merge(b);
  const MeanResult m = summarize(a);
  EXPECT_DOUBLE_EQ(m.mean, r.mean);
  EXPECT_DOUBLE_EQ(m.sd, r.sd);
  EXPECT_THROW(ces(std::vector<double>{8}), InputError);
}
