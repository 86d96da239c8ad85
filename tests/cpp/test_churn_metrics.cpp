// Tests of cxkit::churn::metrics against hand-computed values, properties, and reference
// values from scikit-learn 1.9.1 and lifelines 0.30.3.
//
// The fixture data/churn_metrics_random.csv (400 rows with ties in scores, probabilities
// on bin edges, integer times) and the reference numbers below were produced by this script
// (run in the project's venv with scikit-learn and lifelines installed):
//
//   rng = np.random.default_rng(20240601); n = 400
//   y = (rng.random(n) < 0.3).astype(int)
//   score = np.round(rng.normal(size=n) + 0.8 * y, 1)
//   prob = np.clip(np.round(1 / (1 + np.exp(-score)), 2), 0, 1); prob[:3] = [0.0, 1.0, 0.5]
//   w = np.round(rng.uniform(0.2, 3.0, size=n), 2)
//   dur = rng.integers(1, 40, size=n).astype(float); event = (rng.random(n) < 0.6).astype(int)
//   pd.DataFrame(dict(y=y, score=score, prob=prob, w=w, duration=dur, event=event)).to_csv(
//       "churn_metrics_random.csv", index=False, float_format="%.17g")
//   roc_auc_score(y, score); roc_auc_score(y, score, sample_weight=w)
//   average_precision_score(y, score[, sample_weight=w]); brier_score_loss(y, prob[, ...])
//   log_loss(y, prob[, sample_weight=w]); calibration_curve(y, prob, n_bins=10, strategy=...)
//   lifelines.utils.concordance_index(dur, score, event); concordance_index(dur, score)
//   Telco: yt = Churn == "Yes"; roc_auc_score(yt, -tenure); average_precision_score(yt, -tenure)
//          mc = MonthlyCharges / 120: roc_auc_score, brier_score_loss, log_loss,
//          calibration_curve(yt, mc, n_bins=8, strategy="quantile")
//   rossi: concordance_index(week, -prio, arrest); concordance_index(week, age, arrest)
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cxkit/churn/metrics.hpp"
#include "cxkit/core/error.hpp"

namespace m = cxkit::churn::metrics;
using cxkit::churn::Vector;

namespace {

/// Minimal reader for the unquoted CSV files used here: column name -> cells.
std::map<std::string, std::vector<std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  std::map<std::string, std::vector<std::string>> out;
  std::string line;
  std::vector<std::string> names;
  auto split = [](const std::string& s) {
    std::vector<std::string> cells;
    std::stringstream ss(s);
    std::string c;
    while (std::getline(ss, c, ',')) cells.push_back(c);
    if (!s.empty() && s.back() == ',') cells.emplace_back();
    return cells;
  };
  if (!std::getline(in, line)) return out;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  names = split(line);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto cells = split(line);
    for (std::size_t j = 0; j < names.size(); ++j) out[names[j]].push_back(j < cells.size() ? cells[j] : "");
  }
  return out;
}

Vector numbers(const std::vector<std::string>& cells) {
  Vector v(static_cast<Eigen::Index>(cells.size()));
  for (std::size_t i = 0; i < cells.size(); ++i) v[static_cast<Eigen::Index>(i)] = std::stod(cells[i]);
  return v;
}

Vector vec(std::initializer_list<double> xs) {
  Vector v(static_cast<Eigen::Index>(xs.size()));
  Eigen::Index i = 0;
  for (double x : xs) v[i++] = x;
  return v;
}

struct RandomFixture {
  Vector y, score, prob, w, duration, event;
};

RandomFixture load_random() {
  auto c = read_csv(std::string(CXKIT_TEST_DATA_DIR) + "/churn_metrics_random.csv");
  return {numbers(c["y"]), numbers(c["score"]), numbers(c["prob"]), numbers(c["w"]), numbers(c["duration"]),
          numbers(c["event"])};
}

/// O(n^2) concordance by lifelines' pair rules (its _naive_concordance_summary_statistics).
double naive_cindex(const Vector& t, const Vector& s, const Vector& e) {
  double pairs = 0, correct = 0, tied = 0;
  for (Eigen::Index a = 0; a < t.size(); ++a) {
    for (Eigen::Index b = a + 1; b < t.size(); ++b) {
      bool valid;
      if (t[a] == t[b]) {
        valid = e[a] != e[b];
      } else {
        valid = (e[a] && e[b]) || (e[a] && t[a] < t[b]) || (e[b] && t[b] < t[a]);
      }
      if (!valid) continue;
      pairs += 1;
      if (s[a] == s[b]) {
        tied += 1;
      } else if (s[a] < s[b]) {
        correct += (t[a] < t[b]) || (t[a] == t[b] && e[a] && !e[b]);
      } else {
        correct += (t[a] > t[b]) || (t[a] == t[b] && !e[a] && e[b]);
      }
    }
  }
  return (correct + tied / 2) / pairs;
}

const std::string kShared = CXKIT_SHARED_DATA_DIR;

}  // namespace

// ---- hand-computed cases ----

TEST(ChurnMetrics, RocAucHandComputed) {
  // scikit-learn's documented example: positives 0.35, 0.8 vs negatives 0.1, 0.4:
  // 3 of 4 pairs ordered correctly.
  EXPECT_DOUBLE_EQ(m::roc_auc_score(vec({0, 0, 1, 1}), vec({0.1, 0.4, 0.35, 0.8})), 0.75);
  // A tie between a positive and a negative counts one half: pairs (1 vs 0.5) 1, (0.5 vs 0.5) 0.5.
  EXPECT_DOUBLE_EQ(m::roc_auc_score(vec({0, 1, 1}), vec({0.5, 0.5, 1.0})), 0.75);
  // Weights: the positive-negative pair weight is w_pos * w_neg.
  // Pairs: (p=0.9,w=2) vs (n=0.1,w=1) correct 2; (p=0.2,w=1) vs n 0.1 correct 1 -> all correct.
  EXPECT_DOUBLE_EQ(m::roc_auc_score(vec({1, 1, 0}), vec({0.9, 0.2, 0.1}), vec({2, 1, 1})), 1.0);
  // (p=0.9,w=1) correct vs (n=0.5,w=3); (p=0.2,w=1) wrong: 3 / 6.
  EXPECT_DOUBLE_EQ(m::roc_auc_score(vec({1, 1, 0}), vec({0.9, 0.2, 0.5}), vec({1, 1, 3})), 0.5);
}

TEST(ChurnMetrics, AveragePrecisionHandComputed) {
  // scikit-learn's documented example: thresholds 0.8 (P=1, R=.5), 0.4 (P=2/3 ... recall
  // unchanged), 0.35 (P=2/3, R=1): AP = 0.5 * 1 + 0.5 * 2/3.
  EXPECT_DOUBLE_EQ(m::average_precision_score(vec({0, 0, 1, 1}), vec({0.1, 0.4, 0.35, 0.8})),
                   0.5 * 1.0 + 0.5 * (2.0 / 3.0));
  // Tied scores enter together: one threshold with P = 1/2, R = 1.
  EXPECT_DOUBLE_EQ(m::average_precision_score(vec({0, 1}), vec({0.3, 0.3})), 0.5);
}

TEST(ChurnMetrics, BrierAndLogLossHandComputed) {
  EXPECT_DOUBLE_EQ(m::brier_score(vec({1, 0}), vec({0.75, 0.5})), (0.0625 + 0.25) / 2);
  EXPECT_DOUBLE_EQ(m::brier_score(vec({1, 0}), vec({0.75, 0.5}), vec({3, 1})), (3 * 0.0625 + 0.25) / 4);
  EXPECT_DOUBLE_EQ(m::log_loss(vec({1, 0}), vec({0.75, 0.5})), -(std::log(0.75) + std::log(0.5)) / 2);
  // Probabilities 0 and 1 are clipped to [eps, 1 - eps], never infinite (scikit-learn: 24.0291...).
  const double eps = 2.220446049250313e-16;
  const double extreme = m::log_loss(vec({1, 0, 1}), vec({0.0, 1.0, 1.0}));
  EXPECT_DOUBLE_EQ(extreme, (-std::log(eps) * 2 - std::log(1 - eps)) / 3);
  EXPECT_NEAR(extreme, 24.029102259411435, 1e-9);
}

TEST(ChurnMetrics, ConcordanceHandComputed) {
  // Times 1,2,3 all events; scores say the opposite order: every pair wrong.
  EXPECT_DOUBLE_EQ(m::concordance_index(vec({1, 2, 3}), vec({3, 2, 1}), vec({1, 1, 1})), 0.0);
  EXPECT_DOUBLE_EQ(m::concordance_index(vec({1, 2, 3}), vec({1, 2, 3})), 1.0);
  // Censored at 1 is comparable with nobody earlier; event at 2 vs censored at 3: comparable.
  // Pairs: (2e, 3c) correct, (2e, 3e)... times 1c, 2e, 3c: only (2e,3c): score 5 > 4 correct.
  EXPECT_DOUBLE_EQ(m::concordance_index(vec({1, 2, 3}), vec({9, 4, 5}), vec({0, 1, 0})), 1.0);
  // Tied times: event + censored at 2 comparable (censored treated as longer); two events not.
  // Rows: (2,e,s=1) (2,c,s=1) (2,e,s=3): pairs (e1,c) tie score -> 0.5; (e3,c): c score 1 < 3 wrong.
  EXPECT_DOUBLE_EQ(m::concordance_index(vec({2, 2, 2}), vec({1, 1, 3}), vec({1, 0, 1})), 0.25);
  const auto counts = m::concordance_counts(vec({2, 2, 2}), vec({1, 1, 3}), vec({1, 0, 1}));
  EXPECT_EQ(counts.pairs, 2);
  EXPECT_EQ(counts.tied, 1);
  EXPECT_EQ(counts.correct, 0);
  // All censored: no pairs; the index throws (lifelines raises ZeroDivisionError).
  EXPECT_EQ(m::concordance_counts(vec({1, 2}), vec({1, 2}), vec({0, 0})).pairs, 0);
  EXPECT_THROW(m::concordance_index(vec({1, 2}), vec({1, 2}), vec({0, 0})), cxkit::InputError);
}

TEST(ChurnMetrics, LiftAtKHandComputed) {
  // Scores rank rows 3, 0, 1, 2, 4; positives are rows 0 and 2 (base rate 2/5).
  const auto r = m::lift_at_k(vec({1, 0, 1, 0, 0}), vec({0.8, 0.5, 0.3, 0.9, 0.1}), 2);
  EXPECT_EQ(r.k, 2);
  EXPECT_DOUBLE_EQ(r.positives_in_top, 1);
  EXPECT_DOUBLE_EQ(r.precision, 0.5);
  EXPECT_DOUBLE_EQ(r.base_rate, 0.4);
  EXPECT_DOUBLE_EQ(r.lift, 1.25);
  EXPECT_DOUBLE_EQ(r.capture, 0.5);
  // Ties at the cut: input order decides (row 0 before row 1).
  const auto t = m::lift_at_k(vec({1, 0, 0}), vec({0.5, 0.5, 0.1}), 1);
  EXPECT_DOUBLE_EQ(t.positives_in_top, 1);
  EXPECT_DOUBLE_EQ(m::lift_at_k(vec({1, 0, 0}), vec({0.5, 0.5, 0.1}), 3).capture, 1.0);
}

TEST(ChurnMetrics, CalibrationHandComputed) {
  // Uniform 2 bins: edges 0, .5, 1; 0.5 falls in the lower bin (searchsorted left).
  const auto t = m::calibration_table(vec({0, 1, 1, 0}), vec({0.2, 0.5, 0.9, 0.7}), 2);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].count, 2);
  EXPECT_DOUBLE_EQ(t[0].mean_predicted, 0.35);
  EXPECT_DOUBLE_EQ(t[0].observed_rate, 0.5);
  EXPECT_EQ(t[1].count, 2);
  EXPECT_DOUBLE_EQ(t[1].mean_predicted, 0.8);
  EXPECT_DOUBLE_EQ(t[0].upper, 0.5);
  // An empty bin is kept with count 0 and NaN means.
  const auto e = m::calibration_table(vec({0, 1}), vec({0.1, 0.2}), 4);
  EXPECT_EQ(e[3].count, 0);
  EXPECT_TRUE(std::isnan(e[3].mean_predicted));
}

// ---- properties ----

TEST(ChurnMetrics, ConcordanceMatchesNaiveOnRandomData) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> time(1, 15), score(0, 9), coin(0, 1);
  for (int rep = 0; rep < 20; ++rep) {
    const int n = 50 + rep * 7;
    Vector t(n), s(n), e(n);
    for (int i = 0; i < n; ++i) {
      t[i] = time(rng);
      s[i] = score(rng);
      e[i] = coin(rng);
    }
    e[0] = 1;
    EXPECT_NEAR(m::concordance_index(t, s, e), naive_cindex(t, s, e), 1e-15) << "rep " << rep;
  }
}

TEST(ChurnMetrics, AucIsInvariantToMonotoneTransformAndFlips) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> nd;
  const int n = 300;
  Vector y(n), s(n);
  for (int i = 0; i < n; ++i) {
    y[i] = i % 3 == 0;
    s[i] = std::round(nd(rng) * 4 + y[i]) / 4;
  }
  const double auc = m::roc_auc_score(y, s);
  EXPECT_NEAR(m::roc_auc_score(y, Vector(s.array().exp())), auc, 1e-15);
  EXPECT_NEAR(m::roc_auc_score(y, Vector(-s)), 1 - auc, 1e-15);
  // Equals the Mann-Whitney statistic by brute force.
  double u = 0, pn = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (y[i] == 1 && y[j] == 0) {
        pn += 1;
        u += s[i] > s[j] ? 1.0 : (s[i] == s[j] ? 0.5 : 0.0);
      }
  EXPECT_NEAR(auc, u / pn, 1e-14);
}

// ---- references: scikit-learn and lifelines on the random fixture ----

TEST(ChurnMetrics, MatchScikitLearnOnRandomFixture) {
  const auto f = load_random();
  ASSERT_EQ(f.y.size(), 400);
  EXPECT_NEAR(m::roc_auc_score(f.y, f.score), 0.7147624656458578, 1e-12);
  EXPECT_NEAR(m::roc_auc_score(f.y, f.score, f.w), 0.7235244447072273, 1e-12);
  EXPECT_NEAR(m::average_precision_score(f.y, f.score), 0.5734101190942748, 1e-12);
  EXPECT_NEAR(m::average_precision_score(f.y, f.score, f.w), 0.5764996600621513, 1e-12);
  EXPECT_NEAR(m::brier_score(f.y, f.prob), 0.265313, 1e-12);
  EXPECT_NEAR(m::brier_score(f.y, f.prob, f.w), 0.2670637897874796, 1e-12);
  EXPECT_NEAR(m::log_loss(f.y, f.prob), 0.8149236208551204, 1e-12);
  EXPECT_NEAR(m::log_loss(f.y, f.prob, f.w), 0.8668532134154897, 1e-12);
}

TEST(ChurnMetrics, CalibrationMatchesScikitLearnOnRandomFixture) {
  const auto f = load_random();
  const std::vector<double> uni_true = {0.0, 0.0625, 0.12121212121212122, 0.20408163265306123, 0.19148936170212766,
                                        0.20634920634920634, 0.32727272727272727, 0.32857142857142857,
                                        0.5957446808510638, 0.8461538461538461};
  const std::vector<double> uni_pred = {0.07285714285714286, 0.156875, 0.2524242424242425, 0.3546938775510204,
                                        0.4714893617021276, 0.5612698412698415, 0.661818181818182,
                                        0.7528571428571424, 0.8587234042553192, 0.9315384615384615};
  const std::vector<double> q_true = {0.04878048780487805, 0.17777777777777778, 0.23076923076923078,
                                      0.2558139534883721, 0.14893617021276595, 0.2571428571428571, 0.46875,
                                      0.3023255813953488, 0.36585365853658536, 0.8235294117647058};
  const std::vector<double> q_pred = {0.17463414634146343, 0.31444444444444436, 0.4164102564102565,
                                      0.503720930232558, 0.5753191489361705, 0.6457142857142857,
                                      0.6975000000000002, 0.75, 0.824390243902439, 0.9};
  auto check = [&](m::BinStrategy st, const std::vector<double>& pt, const std::vector<double>& pp) {
    const auto bins = m::calibration_table(f.y, f.prob, 10, st);
    std::size_t k = 0;
    std::int64_t total = 0;
    for (const auto& b : bins) {
      total += b.count;
      if (b.count == 0) continue;
      ASSERT_LT(k, pt.size());
      EXPECT_NEAR(b.observed_rate, pt[k], 1e-12);
      EXPECT_NEAR(b.mean_predicted, pp[k], 1e-12);
      ++k;
    }
    EXPECT_EQ(k, pt.size());
    EXPECT_EQ(total, 400);
  };
  check(m::BinStrategy::uniform, uni_true, uni_pred);
  check(m::BinStrategy::quantile, q_true, q_pred);
}

TEST(ChurnMetrics, ConcordanceMatchesLifelinesOnRandomFixture) {
  const auto f = load_random();
  EXPECT_NEAR(m::concordance_index(f.duration, f.score, f.event), 0.5113435578486112, 1e-12);
  EXPECT_NEAR(m::concordance_index(f.duration, f.score), 0.519400624831257, 1e-12);
  EXPECT_NEAR(m::concordance_index(f.duration, f.score, f.event), naive_cindex(f.duration, f.score, f.event), 1e-15);
}

// ---- references on the real data ----

TEST(ChurnMetrics, MatchScikitLearnOnTelco) {
  const std::string path = kShared + "/churn/telco_customer_churn.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent: " << path;
  auto c = read_csv(path);
  const auto n = static_cast<Eigen::Index>(c["Churn"].size());
  ASSERT_EQ(n, 7043);
  Vector y(n);
  for (Eigen::Index i = 0; i < n; ++i) y[i] = c["Churn"][static_cast<std::size_t>(i)] == "Yes";
  const Vector neg_tenure = -numbers(c["tenure"]);
  const Vector mc = numbers(c["MonthlyCharges"]) / 120.0;
  EXPECT_NEAR(m::roc_auc_score(y, neg_tenure), 0.7398671755286288, 1e-12);
  EXPECT_NEAR(m::average_precision_score(y, neg_tenure), 0.4837368870121712, 1e-12);
  EXPECT_NEAR(m::roc_auc_score(y, mc), 0.6207856895706255, 1e-12);
  EXPECT_NEAR(m::brier_score(y, mc), 0.290250591357455, 1e-12);
  EXPECT_NEAR(m::log_loss(y, mc), 0.8217045664786218, 1e-12);
  const std::vector<double> q_true = {0.09151785714285714, 0.13394919168591224, 0.280225988700565,
                                      0.21112372304199772, 0.3890784982935154,  0.36104783599088835,
                                      0.38235294117647056, 0.2745995423340961};
  const std::vector<double> q_pred = {0.1645210193452377, 0.20670227097767513, 0.39882909604519756,
                                      0.5302913356034805, 0.6307518012893435,  0.7082066249050868,
                                      0.7915837104072407, 0.890629290617849};
  const auto bins = m::calibration_table(y, mc, 8, m::BinStrategy::quantile);
  ASSERT_EQ(bins.size(), 8u);
  for (std::size_t k = 0; k < 8; ++k) {
    EXPECT_NEAR(bins[k].observed_rate, q_true[k], 1e-12) << k;
    EXPECT_NEAR(bins[k].mean_predicted, q_pred[k], 1e-12) << k;
  }
}

TEST(ChurnMetrics, ConcordanceMatchesLifelinesOnRossi) {
  const std::string path = kShared + "/churn/rossi.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent: " << path;
  auto c = read_csv(path);
  const Vector week = numbers(c["week"]), arrest = numbers(c["arrest"]);
  EXPECT_NEAR(m::concordance_index(week, Vector(-numbers(c["prio"])), arrest), 0.5879362171809684, 1e-12);
  EXPECT_NEAR(m::concordance_index(week, numbers(c["age"]), arrest), 0.6136395660138086, 1e-12);
}

// ---- errors ----

TEST(ChurnMetrics, Errors) {
  EXPECT_THROW(m::roc_auc_score(vec({1, 1}), vec({0.1, 0.2})), cxkit::InputError);            // one class
  EXPECT_THROW(m::roc_auc_score(vec({1, 0}), vec({0.1})), cxkit::InputError);                 // lengths
  EXPECT_THROW(m::roc_auc_score(vec({1, 2}), vec({0.1, 0.2})), cxkit::InputError);            // label 2
  EXPECT_THROW(m::roc_auc_score(vec({1, 0}), vec({NAN, 0.2})), cxkit::InputError);            // NaN
  EXPECT_THROW(m::average_precision_score(vec({0, 0}), vec({0.1, 0.2})), cxkit::InputError);  // no positive
  EXPECT_THROW(m::log_loss(vec({1, 0}), vec({1.5, 0.2})), cxkit::InputError);                 // not a probability
  EXPECT_THROW(m::brier_score(vec({1, 0}), vec({0.5, 0.2}), vec({1, 0})), cxkit::InputError); // zero weight
  EXPECT_THROW(m::calibration_table(vec({1, 0}), vec({0.5, 0.2}), 0), cxkit::InputError);
  EXPECT_THROW(m::lift_at_k(vec({1, 0}), vec({0.5, 0.2}), 3), cxkit::InputError);
  EXPECT_THROW(m::concordance_index(vec({1, NAN}), vec({0.5, 0.2}), vec({1, 1})), cxkit::InputError);
  try {
    m::roc_auc_score(vec({1, 0, 0}), vec({0.1, 0.2, INFINITY}));
    FAIL() << "expected InputError";
  } catch (const cxkit::InputError& e) {
    EXPECT_EQ(e.location().line, 2);
    EXPECT_EQ(e.location().source, "y_score");
  }
}
