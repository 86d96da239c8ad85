// Tests of cxkit::churn::KaplanMeier: a textbook example worked by hand, lifelines 0.30.3 on
// the same example and on rossi, properties and errors.
//
// lifelines references:
//   t = [6,6,6,6,7,9,10,10,11,13,16,17,19,20,22,23,25,32,32,34,35]
//   e = [1,1,1,0,1,0,1,0,0,1,1,0,0,0,1,1,0,0,0,0,0]
//   k = KaplanMeierFitter().fit(t, e)      # survival_function_, confidence_interval_, median_survival_time_
//   rossi = pd.read_csv("rossi.csv"); k = KaplanMeierFitter().fit(rossi.week, rossi.arrest)
//   k.survival_function_.iloc[[0, 1, 10, 30, 49]]; k.confidence_interval_...; k.event_table
//   KaplanMeierFitter(alpha=0.1).fit(...).confidence_interval_.iloc[-1]; k.percentile(0.8)
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cxkit/churn/kaplan_meier.hpp"
#include "cxkit/core/error.hpp"

using cxkit::churn::KaplanMeier;
using cxkit::churn::Vector;

namespace {

Vector vec(std::initializer_list<double> xs) {
  Vector v(static_cast<Eigen::Index>(xs.size()));
  Eigen::Index i = 0;
  for (double x : xs) v[i++] = x;
  return v;
}

// Freireich et al. (1963) 6-MP leukaemia remission times, treatment arm (censored: e = 0);
// the Kaplan-Meier example of Kleinbaum & Klein, "Survival Analysis", ch. 2.
const Vector kT = vec({6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35});
const Vector kE = vec({1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0});

const std::string kRossi = std::string(CXKIT_SHARED_DATA_DIR) + "/churn/rossi.csv";

void read_rossi(Vector& week, Vector& arrest) {
  std::ifstream in(kRossi);
  std::string line;
  std::getline(in, line);
  std::vector<double> w, a;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::stringstream ss(line);
    std::string c0, c1;
    std::getline(ss, c0, ',');
    std::getline(ss, c1, ',');
    w.push_back(std::stod(c0));
    a.push_back(std::stod(c1));
  }
  week = Eigen::Map<Vector>(w.data(), static_cast<Eigen::Index>(w.size()));
  arrest = Eigen::Map<Vector>(a.data(), static_cast<Eigen::Index>(a.size()));
}

}  // namespace

TEST(ChurnKaplanMeier, TextbookByHand) {
  KaplanMeier km;
  km.fit(kT, kE);
  // Product-limit steps: 21 at risk at 6 (3 events), 17 at 7, 15 at 10, 12 at 13, 11 at 16,
  // 7 at 22, 6 at 23.
  const double s6 = 18.0 / 21, s7 = s6 * 16 / 17, s10 = s7 * 14 / 15, s13 = s10 * 11 / 12, s16 = s13 * 10 / 11,
               s22 = s16 * 6 / 7, s23 = s22 * 5 / 6;
  EXPECT_DOUBLE_EQ(km.survival_at(0), 1.0);
  EXPECT_DOUBLE_EQ(km.survival_at(-1), 1.0);
  EXPECT_NEAR(km.survival_at(6), s6, 1e-15);
  EXPECT_NEAR(km.survival_at(6.5), s6, 1e-15);
  EXPECT_NEAR(km.survival_at(7), s7, 1e-15);
  EXPECT_NEAR(km.survival_at(12), s10, 1e-15);
  EXPECT_NEAR(km.survival_at(13), s13, 1e-15);
  EXPECT_NEAR(km.survival_at(16), s16, 1e-15);
  EXPECT_NEAR(km.survival_at(22), s22, 1e-15);
  EXPECT_NEAR(km.survival_at(100), s23, 1e-15);
  EXPECT_DOUBLE_EQ(km.median_survival_time(), 23.0);  // first time S <= 0.5 (S(22) = 0.538)
  // Greenwood at 7: 3/(21*18) + 1/(17*16).
  EXPECT_NEAR(km.greenwood()[2], 3.0 / (21 * 18) + 1.0 / (17 * 16), 1e-15);
  // Event table: time 0 row (everyone enters), then 6: removed 4, observed 3, censored 1, at risk 21.
  const auto& t = km.table();
  ASSERT_EQ(t.time.size(), 17);
  EXPECT_EQ(t.time[0], 0);
  EXPECT_EQ(t.entrance[0], 21);
  EXPECT_EQ(t.at_risk[0], 21);
  EXPECT_EQ(t.removed[1], 4);
  EXPECT_EQ(t.observed[1], 3);
  EXPECT_EQ(t.censored[1], 1);
  EXPECT_EQ(t.at_risk[1], 21);
  EXPECT_EQ(t.at_risk[2], 17);
  EXPECT_EQ(t.at_risk[3], 16);
}

TEST(ChurnKaplanMeier, TextbookMatchesLifelines) {
  KaplanMeier km;
  km.fit(kT, kE);
  const std::vector<double> S = {1.0, 0.857142857142857, 0.8067226890756299, 0.8067226890756299, 0.7529411764705878,
                                 0.7529411764705878, 0.6901960784313722, 0.6274509803921566, 0.6274509803921566,
                                 0.6274509803921566, 0.6274509803921566, 0.5378151260504199, 0.44817927170868327,
                                 0.44817927170868327, 0.44817927170868327, 0.44817927170868327, 0.44817927170868327};
  const std::vector<double> lo = {1.0, 0.6197179552659838, 0.5631465646222333, 0.5631465646222333,
                                  0.5031995107999564, 0.5031995107999564, 0.4316102224861839, 0.36751085598750194,
                                  0.36751085598750194, 0.36751085598750194, 0.36751085598750194,
                                  0.26777893676713493, 0.18805200595923233, 0.18805200595923233,
                                  0.18805200595923233, 0.18805200595923233, 0.18805200595923233};
  const std::vector<double> hi = {1.0, 0.9515517476469969, 0.9228090192028802, 0.9228090192028802,
                                  0.8893618351692651, 0.8893618351692651, 0.8490659633494505, 0.8049121894718411,
                                  0.8049121894718411, 0.8049121894718411, 0.8049121894718411, 0.7467907176353943,
                                  0.6801426284952412, 0.6801426284952412, 0.6801426284952412, 0.6801426284952412,
                                  0.6801426284952412};
  ASSERT_EQ(km.survival().size(), 17);
  for (std::size_t k = 0; k < S.size(); ++k) {
    const auto i = static_cast<Eigen::Index>(k);
    EXPECT_NEAR(km.survival()[i], S[k], 1e-12) << k;
    EXPECT_NEAR(km.lower()[i], lo[k], 1e-12) << k;
    EXPECT_NEAR(km.upper()[i], hi[k], 1e-12) << k;
  }
}

TEST(ChurnKaplanMeier, RossiMatchesLifelines) {
  if (!std::filesystem::exists(kRossi)) GTEST_SKIP() << "shared data absent: " << kRossi;
  Vector week, arrest;
  read_rossi(week, arrest);
  KaplanMeier km;
  km.fit(week, arrest);
  ASSERT_EQ(km.timeline().size(), 50);
  const std::vector<Eigen::Index> idx = {0, 1, 10, 30, 49};
  const std::vector<double> t = {0.0, 1.0, 10.0, 31.0, 52.0};
  const std::vector<double> S = {1.0, 0.9976851851851845, 0.9652777777777775, 0.8587962962962958, 0.7361111111111108};
  const std::vector<double> lo = {1.0, 0.9836825045751392, 0.9430645979599901, 0.8222657683578719, 0.6918597157964872};
  const std::vector<double> hi = {1.0, 0.9996736025368231, 0.9789209970666007, 0.8883310474687435, 0.7750631833746743};
  for (std::size_t k = 0; k < idx.size(); ++k) {
    EXPECT_EQ(km.timeline()[idx[k]], t[k]);
    EXPECT_NEAR(km.survival()[idx[k]], S[k], 1e-12);
    EXPECT_NEAR(km.lower()[idx[k]], lo[k], 1e-12);
    EXPECT_NEAR(km.upper()[idx[k]], hi[k], 1e-12);
  }
  EXPECT_TRUE(std::isinf(km.median_survival_time()));
  EXPECT_EQ(km.percentile(0.8), 42.0);
  const auto& et = km.table();
  EXPECT_EQ(et.at_risk[10], 418);
  EXPECT_EQ(et.removed[49], 322);
  EXPECT_EQ(et.observed[49], 4);
  EXPECT_EQ(et.censored[49], 318);
  KaplanMeier k90(0.1);
  k90.fit(week, arrest);
  EXPECT_NEAR(k90.lower()[49], 0.6993402343790431, 1e-12);
  EXPECT_NEAR(k90.upper()[49], 0.7691468990024031, 1e-12);
}

TEST(ChurnKaplanMeier, IntegerWeightsEqualReplicatedRows) {
  // Weight 2 on a row is the same as the row twice.
  const Vector t = vec({3, 1, 4, 1, 5, 9, 2, 6});
  const Vector e = vec({1, 0, 1, 1, 0, 1, 1, 0});
  const Vector w = vec({2, 1, 3, 1, 1, 2, 1, 1});
  std::vector<double> tt, ee;
  for (Eigen::Index i = 0; i < t.size(); ++i)
    for (int r = 0; r < static_cast<int>(w[i]); ++r) {
      tt.push_back(t[i]);
      ee.push_back(e[i]);
    }
  KaplanMeier a, b;
  a.fit(t, e, w);
  b.fit(Eigen::Map<Vector>(tt.data(), static_cast<Eigen::Index>(tt.size())),
        Eigen::Map<Vector>(ee.data(), static_cast<Eigen::Index>(ee.size())));
  ASSERT_EQ(a.survival().size(), b.survival().size());
  EXPECT_LT((a.survival() - b.survival()).cwiseAbs().maxCoeff(), 1e-15);
  EXPECT_LT((a.lower() - b.lower()).cwiseAbs().maxCoeff(), 1e-15);
  EXPECT_LT((a.upper() - b.upper()).cwiseAbs().maxCoeff(), 1e-15);
}

TEST(ChurnKaplanMeier, Properties) {
  KaplanMeier km;
  km.fit(kT, kE);
  const Vector& s = km.survival();
  for (Eigen::Index k = 1; k < s.size(); ++k) EXPECT_LE(s[k], s[k - 1]);
  EXPECT_TRUE((km.lower().array() <= s.array() + 1e-15).all());
  EXPECT_TRUE((km.upper().array() >= s.array() - 1e-15).all());
  // No censoring: S is the empirical survival 1 - F, and everyone dying ends at 0 with bounds 0.
  KaplanMeier all;
  all.fit(vec({1, 2, 2, 4}), vec({1, 1, 1, 1}));
  EXPECT_DOUBLE_EQ(all.survival_at(1), 0.75);
  EXPECT_DOUBLE_EQ(all.survival_at(2), 0.25);
  EXPECT_DOUBLE_EQ(all.survival_at(4), 0.0);
  EXPECT_DOUBLE_EQ(all.lower()[3], 0.0);
  EXPECT_DOUBLE_EQ(all.upper()[3], 0.0);
  EXPECT_DOUBLE_EQ(all.median_survival_time(), 2.0);
  // Durations of 0 are allowed: an event at 0 lowers S at time 0.
  KaplanMeier zero;
  zero.fit(vec({0, 1}), vec({1, 0}));
  EXPECT_DOUBLE_EQ(zero.survival()[0], 0.5);
}

TEST(ChurnKaplanMeier, Errors) {
  KaplanMeier km;
  EXPECT_THROW(km.survival(), cxkit::Error);
  EXPECT_THROW(km.fit(vec({1, 2}), vec({1})), cxkit::InputError);
  EXPECT_THROW(km.fit(vec({1, -2}), vec({1, 1})), cxkit::InputError);
  EXPECT_THROW(km.fit(vec({1, NAN}), vec({1, 1})), cxkit::InputError);
  EXPECT_THROW(km.fit(vec({1, 2}), vec({1, 0.5})), cxkit::InputError);
  EXPECT_THROW(km.fit(vec({1, 2}), vec({1, 1}), vec({1, 0})), cxkit::InputError);
  EXPECT_THROW(km.fit(Vector(), Vector()), cxkit::InputError);
  EXPECT_THROW(KaplanMeier(0.0), cxkit::InputError);
  km.fit(vec({1, 2}), vec({1, 1}));
  EXPECT_THROW(km.percentile(1.5), cxkit::InputError);
}
