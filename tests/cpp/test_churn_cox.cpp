// Tests of cxkit::churn::CoxPH: hand-written partial likelihoods, lifelines 0.30.3 and R's
// coxph on the rossi recidivism data, properties and errors.
//
// lifelines reference values (params_, standard_errors_, log_likelihood_, ...) come from
// (rossi = pd.read_csv("rossi.csv"), covariates fin age race wexp mar paro prio):
//
//   fo = dict(precision=1e-14, r_precision=1e-15)   # run Newton to the exact optimum
//   c = CoxPHFitter().fit(rossi, "week", "arrest", fit_options=fo)
//   s = CoxPHFitter().fit(rossi, "week", "arrest", strata=["wexp"], fit_options=fo)
//   p = CoxPHFitter(penalizer=0.1).fit(rossi, "week", "arrest", fit_options=fo)
//   ...and print(repr(...)) of params_, standard_errors_, log_likelihood_, _ll_null_,
//   concordance_index_, confidence_intervals_, summary["z"], summary["p"],
//   baseline_survival_.loc[[...]], predict_log_partial_hazard(X), predict_survival_function(X, times=...)
//
// Without a penalty lifelines' default stopping rule agrees with the exact optimum to 5e-9;
// with penalizer=0.1 it stops about 7e-6 short of it (default precision 1e-7 on its step),
// which is why the references are computed with tight fit_options.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cxkit/churn/cox.hpp"
#include "cxkit/churn/metrics.hpp"
#include "cxkit/core/error.hpp"

using cxkit::churn::Codes;
using cxkit::churn::CoxOptions;
using cxkit::churn::CoxPH;
using cxkit::churn::Matrix;
using cxkit::churn::Vector;

namespace {

std::map<std::string, std::vector<double>> read_numeric_csv(const std::string& path) {
  std::ifstream in(path);
  std::map<std::string, std::vector<double>> out;
  std::string line, cell;
  std::vector<std::string> names;
  std::getline(in, line);
  std::stringstream hs(line);
  while (std::getline(hs, cell, ',')) names.push_back(cell);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::stringstream ss(line);
    for (std::size_t j = 0; j < names.size() && std::getline(ss, cell, ','); ++j) out[names[j]].push_back(std::stod(cell));
  }
  return out;
}

Vector vec(std::initializer_list<double> xs) {
  Vector v(static_cast<Eigen::Index>(xs.size()));
  Eigen::Index i = 0;
  for (double x : xs) v[i++] = x;
  return v;
}

Vector col(const std::vector<double>& v) { return Eigen::Map<const Vector>(v.data(), static_cast<Eigen::Index>(v.size())); }

struct Rossi {
  Vector week, arrest;
  std::map<std::string, std::vector<double>> cols;
  Matrix X(const std::vector<std::string>& names) const {
    Matrix m(static_cast<Eigen::Index>(cols.at("week").size()), static_cast<Eigen::Index>(names.size()));
    for (std::size_t j = 0; j < names.size(); ++j) m.col(static_cast<Eigen::Index>(j)) = col(cols.at(names[j]));
    return m;
  }
  Codes codes(const std::string& name) const {
    const auto& v = cols.at(name);
    Codes c(static_cast<Eigen::Index>(v.size()));
    for (std::size_t i = 0; i < v.size(); ++i) c[static_cast<Eigen::Index>(i)] = static_cast<std::int64_t>(v[i]);
    return c;
  }
};

const std::string kRossi = std::string(CXKIT_SHARED_DATA_DIR) + "/churn/rossi.csv";
const std::vector<std::string> kAll = {"fin", "age", "race", "wexp", "mar", "paro", "prio"};

Rossi load_rossi() {
  Rossi r;
  r.cols = read_numeric_csv(kRossi);
  r.week = col(r.cols["week"]);
  r.arrest = col(r.cols["arrest"]);
  return r;
}

#define SKIP_WITHOUT_ROSSI() \
  if (!std::filesystem::exists(kRossi)) GTEST_SKIP() << "shared data absent: " << kRossi

void expect_all_near(const Vector& got, const std::vector<double>& want, double tol, const char* what) {
  ASSERT_EQ(got.size(), static_cast<Eigen::Index>(want.size())) << what;
  for (std::size_t j = 0; j < want.size(); ++j) {
    EXPECT_NEAR(got[static_cast<Eigen::Index>(j)], want[j], tol) << what << "[" << j << "]";
  }
}

/// Root of a decreasing function on [lo, hi] by bisection (independent of the library).
double bisect(const std::function<double(double)>& f, double lo, double hi) {
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (f(mid) > 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

// ---- hand-written partial likelihoods ----

TEST(ChurnCox, ThreeSubjectsNoTies) {
  // Deaths at t = 1, 2, 3 with x = 2, 0, 1. Partial likelihood:
  //   L = e^{2b} / (e^{2b} + 1 + e^b) * 1 / (1 + e^b) * e^b / e^b
  auto ll = [](double b) { return 2 * b - std::log(std::exp(2 * b) + 1 + std::exp(b)) - std::log(1 + std::exp(b)); };
  auto score = [](double b) {
    const double s = std::exp(2 * b) + 1 + std::exp(b);
    return 2 - (2 * std::exp(2 * b) + std::exp(b)) / s - std::exp(b) / (1 + std::exp(b));
  };
  auto info = [](double b) {
    const double s = std::exp(2 * b) + 1 + std::exp(b);
    const double m1 = (2 * std::exp(2 * b) + std::exp(b)) / s, m2 = (4 * std::exp(2 * b) + std::exp(b)) / s;
    const double q = std::exp(b) / (1 + std::exp(b));
    return (m2 - m1 * m1) + (q - q * q);
  };
  const double b = bisect(score, -20, 20);
  CoxPH cox;
  Matrix X(3, 1);
  X << 2, 0, 1;
  cox.fit(X, vec({1, 2, 3}), vec({1, 1, 1}));
  EXPECT_TRUE(cox.converged());
  EXPECT_NEAR(cox.params()[0], b, 1e-10);
  EXPECT_NEAR(cox.log_likelihood(), ll(b), 1e-12);
  EXPECT_NEAR(cox.log_likelihood_null(), ll(0), 1e-12);
  EXPECT_NEAR(cox.standard_errors()[0], 1 / std::sqrt(info(b)), 1e-9);
  // Breslow baseline relative to the mean x = 1: h0(t) = 1 / sum_{risk} exp((x - 1) b).
  const double e = std::exp(-b), f = std::exp(b);
  ASSERT_EQ(cox.baseline_times().size(), 3);
  EXPECT_NEAR(cox.baseline_hazard()(0, 0), 1 / (f + e + 1), 1e-12);
  EXPECT_NEAR(cox.baseline_hazard()(1, 0), 1 / (e + 1), 1e-12);
  EXPECT_NEAR(cox.baseline_hazard()(2, 0), 1.0, 1e-12);
  EXPECT_NEAR(cox.baseline_survival()(1, 0), std::exp(-(1 / (f + e + 1) + 1 / (e + 1))), 1e-12);
}

TEST(ChurnCox, EfronTiesHandWritten) {
  // Two deaths tie at t = 1 (x = 1 and 0) among {x = 1, 0, 2}; the x = 2 subject dies at t = 2.
  // Efron: L = e^b * 1 / [(e^b + 1 + e^{2b}) * (0.5 e^b + 0.5 + e^{2b})] * (e^{2b} / e^{2b}).
  auto ll = [](double b) {
    return b - std::log(std::exp(b) + 1 + std::exp(2 * b)) - std::log(0.5 * std::exp(b) + 0.5 + std::exp(2 * b));
  };
  auto score = [](double b) {
    const double a = std::exp(b) + 1 + std::exp(2 * b), c = 0.5 * std::exp(b) + 0.5 + std::exp(2 * b);
    return 1 - (std::exp(b) + 2 * std::exp(2 * b)) / a - (0.5 * std::exp(b) + 2 * std::exp(2 * b)) / c;
  };
  const double b = bisect(score, -20, 20);
  CoxPH cox;
  Matrix X(3, 1);
  X << 1, 0, 2;
  cox.fit(X, vec({1, 1, 2}), vec({1, 1, 1}));
  EXPECT_NEAR(cox.params()[0], b, 1e-10);
  EXPECT_NEAR(cox.log_likelihood(), ll(b), 1e-12);
  // Information by central differences of the hand-written log-likelihood.
  const double h = 1e-4;
  const double info = -(ll(b + h) - 2 * ll(b) + ll(b - h)) / (h * h);
  EXPECT_NEAR(cox.standard_errors()[0], 1 / std::sqrt(info), 1e-6);
}

TEST(ChurnCox, PenaltyIsOnNormalisedCoefficientsTimesN) {
  // lifelines' convention: maximise ll(beta_z) - n * c / 2 * beta_z^2 with beta_z = beta * std.
  // With one covariate the optimum solves ll'(b) * 1 - n c std^2 b = 0 on x's scale.
  Matrix X(3, 1);
  X << 2, 0, 1;
  const double sd = 1.0;  // std (ddof = 1) of {2, 0, 1}
  const double n = 3, c = 0.5;
  auto score = [&](double b) {
    const double s = std::exp(2 * b) + 1 + std::exp(b);
    return 2 - (2 * std::exp(2 * b) + std::exp(b)) / s - std::exp(b) / (1 + std::exp(b)) - n * c * sd * sd * b;
  };
  const double b = bisect(score, -20, 20);
  CoxPH cox({.penalizer = c});
  cox.fit(X, vec({1, 2, 3}), vec({1, 1, 1}));
  EXPECT_NEAR(cox.params()[0], b, 1e-10);
  const double ll = 2 * b - std::log(std::exp(2 * b) + 1 + std::exp(b)) - std::log(1 + std::exp(b));
  EXPECT_NEAR(cox.log_likelihood(), ll - n * c / 2 * b * b, 1e-12);  // penalty included, as lifelines
}

// ---- lifelines and R on rossi ----

TEST(ChurnCox, RossiMatchesLifelines) {
  SKIP_WITHOUT_ROSSI();
  const auto r = load_rossi();
  CoxPH cox;
  cox.fit(r.X(kAll), r.week, r.arrest);
  EXPECT_TRUE(cox.converged());
  expect_all_near(cox.params(),
                  {-0.3794221668712079, -0.05743774301376123, 0.3138997859492935, -0.14979569722278546,
                   -0.43370387669025234, -0.08487108299083596, 0.09149707935112089},
                  1e-8, "params");
  expect_all_near(cox.standard_errors(),
                  {0.1913794807128091, 0.02199947062795379, 0.30799277639293715, 0.21222429615816354,
                   0.3818680574649219, 0.1957566719208232, 0.0286485500734706},
                  1e-8, "se");
  EXPECT_NEAR(cox.log_likelihood(), -658.7476594460859, 1e-8);
  EXPECT_NEAR(cox.log_likelihood_null(), -675.3806323468705, 1e-8);
  EXPECT_NEAR(cox.concordance_index(), 0.6403292470997135, 1e-12);
  const Matrix ci = cox.confidence_intervals();
  expect_all_near(ci.col(0),
                  {-0.7545190564482916, -0.10055591312349743, -0.2897549632793615, -0.5657476743371481,
                   -1.182151516167771, -0.4685471096892687, 0.03534695299782619},
                  1e-8, "ci lower");
  expect_all_near(ci.col(1),
                  {-0.00432527729412413, -0.014319572904025031, 0.9175545351779486, 0.26615627989157725,
                   0.31474376278726635, 0.2988049437075968, 0.14764720570441559},
                  1e-8, "ci upper");
  expect_all_near(cox.z_scores(),
                  {-1.982564512444165, -2.610869324318083, 1.0191790522671875, -0.7058367017089685,
                   -1.135742747297192, -0.43355397370629606, 3.1937769665994327},
                  1e-7, "z");
  expect_all_near(cox.p_values(),
                  {0.04741609463983344, 0.009031239594139664, 0.30811796963662463, 0.48028969512237896,
                   0.2560642444939299, 0.6646123638825792, 0.0014042456183277425},
                  1e-8, "p");
  // R's survival::coxph(Surv(week, arrest) ~ ., rossi) (Efron), published to 4 decimals.
  expect_all_near(cox.params(), {-0.3794, -0.0574, 0.3139, -0.1498, -0.4337, -0.0849, 0.0915}, 6e-5, "R coef");
}

TEST(ChurnCox, RossiBaselineAndPredictionsMatchLifelines) {
  SKIP_WITHOUT_ROSSI();
  const auto r = load_rossi();
  CoxPH cox;
  const Matrix X = r.X(kAll);
  cox.fit(X, r.week, r.arrest);
  ASSERT_EQ(cox.baseline_times().size(), 49);
  const Matrix bs = cox.baseline_survival();
  auto at = [&](double t) {
    for (Eigen::Index k = 0; k < cox.baseline_times().size(); ++k)
      if (cox.baseline_times()[k] == t) return bs(k, 0);
    return -1.0;
  };
  EXPECT_NEAR(at(1), 0.9980438341433764, 1e-9);
  EXPECT_NEAR(at(10), 0.9705575143504962, 1e-9);
  EXPECT_NEAR(at(20), 0.9196382237314471, 1e-9);
  EXPECT_NEAR(at(52), 0.7600486482990292, 1e-9);
  EXPECT_NEAR(cox.baseline_cumulative_hazard()(48, 0), 0.2743728368305966, 1e-9);

  Matrix rows(4, 7);
  rows << X.row(0), X.row(1), X.row(2), X.row(100);
  expect_all_near(cox.predict_log_partial_hazard(rows),
                  {0.1981344745180338, 1.1725595583974893, 1.1089117289672537, -1.0195999332898136}, 1e-8, "log ph");
  // Survival at 0.5 (before the first time: held at t = 1), 10, 10.5 (linear in the
  // cumulative hazard), 52 and 60 (held at the last time), as lifelines interpolates.
  const Matrix s = cox.predict_survival_function(rows, vec({0.5, 10, 10.5, 52, 60}));
  const std::vector<double> want = {
      0.9976156980921667, 0.9642225775148259, 0.9618138146993447, 0.715699317369515,  0.715699317369515,
      0.9936948678956661, 0.9079783160085494, 0.9019806214436866, 0.41218092893391506, 0.41218092893391506,
      0.994082518654174,  0.9133994297244558, 0.9077368236294854, 0.4353347610192872, 0.4353347610192872,
      0.9992938925432705, 0.9892773486779546, 0.9885454317409945, 0.9057634985140304, 0.9057634985140304};
  for (Eigen::Index i = 0; i < 4; ++i)
    for (Eigen::Index t = 0; t < 5; ++t) EXPECT_NEAR(s(i, t), want[static_cast<std::size_t>(i * 5 + t)], 1e-9);
  // Each row at its own time; event probability is the complement.
  const Vector own = cox.predict_survival_at(rows, vec({0.5, 10, 10.5, 52}));
  EXPECT_NEAR(own[1], 0.9079783160085494, 1e-9);
  EXPECT_NEAR(own[3], 0.9057634985140304, 1e-9);
  EXPECT_NEAR(cox.predict_event_probability(rows, vec({0.5, 10, 10.5, 52}))[2], 1 - 0.9077368236294854, 1e-9);
}

TEST(ChurnCox, RossiStrataMatchesLifelines) {
  SKIP_WITHOUT_ROSSI();
  const auto r = load_rossi();
  const std::vector<std::string> names = {"fin", "age", "race", "mar", "paro", "prio"};
  const Matrix X = r.X(names);
  CoxPH cox;
  cox.fit(X, r.week, r.arrest, r.codes("wexp"));
  expect_all_near(cox.params(),
                  {-0.3801540987348131, -0.05821347910981761, 0.30656944930661917, -0.45387162968490646,
                   -0.0827389104985658, 0.09074364230370222},
                  1e-8, "params");
  expect_all_near(cox.standard_errors(),
                  {0.19127255031675486, 0.02206465864121289, 0.3080298040663057, 0.38173697920439403,
                   0.19568598516425295, 0.02868358840553011},
                  1e-8, "se");
  EXPECT_NEAR(cox.log_likelihood(), -580.8857465137021, 1e-8);
  EXPECT_NEAR(cox.concordance_index(), 0.6124492234169654, 1e-12);
  ASSERT_EQ(cox.strata().size(), 2);
  EXPECT_EQ(cox.strata()[0], 0);
  EXPECT_EQ(cox.strata()[1], 1);
  const Matrix bs = cox.baseline_survival();
  ASSERT_EQ(bs.rows(), 49);
  // Rows for t = 1, 2, 10, 52 are indices 0, 1, 9, 48 (weeks 1..52 minus 3 without an exit).
  std::vector<Eigen::Index> ks;
  for (double t : {1.0, 2.0, 10.0, 52.0})
    for (Eigen::Index k = 0; k < 49; ++k)
      if (cox.baseline_times()[k] == t) ks.push_back(k);
  ASSERT_EQ(ks.size(), 4u);
  const std::vector<double> s0 = {0.9963338362615909, 0.9963338362615909, 0.9667557805183481, 0.7482139236804463};
  const std::vector<double> s1 = {1.0, 0.9956466745423533, 0.9739464236664532, 0.7694884569271274};
  for (std::size_t j = 0; j < 4; ++j) {
    EXPECT_NEAR(bs(ks[j], 0), s0[j], 1e-9) << j;
    EXPECT_NEAR(bs(ks[j], 1), s1[j], 1e-9) << j;
  }
  Matrix rows(4, 6);
  rows << X.row(0), X.row(1), X.row(2), X.row(100);
  Codes st(4);
  st << 0, 0, 1, 1;
  const Matrix s = cox.predict_survival_function(rows, vec({3.5, 20, 52}), st);
  const std::vector<double> want = {0.9917851647414138, 0.8802561834921916, 0.7226092812917039,
                                    0.978311992130285,  0.712461323844988,  0.4216392263977132,
                                    0.978917448099498,  0.8400038044291673, 0.4262660964713105,
                                    0.9975134686968771, 0.979835120803896,  0.9051734525054437};
  for (Eigen::Index i = 0; i < 4; ++i)
    for (Eigen::Index t = 0; t < 3; ++t) EXPECT_NEAR(s(i, t), want[static_cast<std::size_t>(i * 3 + t)], 1e-9);
  Codes unknown(4);
  unknown << 0, 0, 1, 7;
  EXPECT_THROW(cox.predict_survival_function(rows, vec({3.5}), unknown), cxkit::NotFoundError);
  EXPECT_THROW(cox.predict_survival_function(rows, vec({3.5})), cxkit::InputError);  // strata required
}

TEST(ChurnCox, RossiStrataRaceMatchesLifelines) {
  SKIP_WITHOUT_ROSSI();
  const auto r = load_rossi();
  CoxPH cox;
  cox.fit(r.X({"fin", "age", "wexp", "mar", "paro", "prio"}), r.week, r.arrest, r.codes("race"));
  expect_all_near(cox.params(),
                  {-0.3787673746404829, -0.05763974556829531, -0.14274992541998205, -0.4388166856383053,
                   -0.08576395460007454, 0.09221383943096811},
                  1e-8, "params");
  expect_all_near(cox.standard_errors(),
                  {0.1913036943310981, 0.02200209737940838, 0.2127937706925159, 0.3821276265154465,
                   0.19580735288490844, 0.02872606388784796},
                  1e-8, "se");
  EXPECT_NEAR(cox.log_likelihood(), -620.5636085143757, 1e-8);
  EXPECT_NEAR(cox.concordance_index(), 0.6312036845679194, 1e-12);
}

TEST(ChurnCox, RossiPenalizedMatchesLifelines) {
  SKIP_WITHOUT_ROSSI();
  const auto r = load_rossi();
  CoxPH cox({.penalizer = 0.1});
  cox.fit(r.X(kAll), r.week, r.arrest);
  expect_all_near(cox.params(),
                  {-0.27334245573906996, -0.0359955883072443, 0.20320720038388743, -0.20177840162178706,
                   -0.31323335378821693, -0.05786287617350459, 0.07084896487186967},
                  1e-8, "params");
  expect_all_near(cox.standard_errors(),
                  {0.16084218143749165, 0.01539059909031402, 0.2500537537575852, 0.1702812233615834,
                   0.27953164681900455, 0.16526817820757017, 0.02570857436608397},
                  1e-8, "se");
  EXPECT_NEAR(cox.log_likelihood(), -662.7830828496678, 1e-8);
  EXPECT_NEAR(cox.concordance_index(), 0.6452843924663003, 1e-9);
  EXPECT_NEAR(cox.baseline_survival()(48, 0), 0.748092202301313, 1e-7);

  CoxPH strat({.penalizer = 0.1});
  strat.fit(r.X({"fin", "age", "race", "mar", "paro", "prio"}), r.week, r.arrest, r.codes("wexp"));
  expect_all_near(strat.params(),
                  {-0.27433198523093294, -0.03458508775637602, 0.1971000864898616, -0.30385804927551097,
                   -0.05433634764981438, 0.06744405753183164},
                  1e-8, "strata params");
  expect_all_near(strat.standard_errors(),
                  {0.16080965978085193, 0.01557595498421239, 0.2502620505787843, 0.2813515707675018,
                   0.16523323203745646, 0.02589652951976947},
                  1e-8, "strata se");
  EXPECT_NEAR(strat.log_likelihood(), -584.6488203679165, 1e-8);
}

TEST(ChurnCox, RossiWeightsMatchLifelines) {
  SKIP_WITHOUT_ROSSI();
  // lifelines: dfw["w"] = np.arange(len(df)) % 3 + 1; CoxPHFitter().fit(dfw, ..., weights_col="w")
  const auto r = load_rossi();
  Vector w(r.week.size());
  for (Eigen::Index i = 0; i < w.size(); ++i) w[i] = static_cast<double>(i % 3 + 1);
  CoxPH cox;
  cox.fit(r.X(kAll), r.week, r.arrest, Codes(), w);
  expect_all_near(cox.params(),
                  {-0.336556823230346, -0.06350673935785839, 0.17340604324450426, -0.053347024104534076,
                   -0.8856093423444821, -0.1361536253020236, 0.1045680031496303},
                  1e-8, "params");
  expect_all_near(cox.standard_errors(),
                  {0.13555369394061217, 0.015734233431203486, 0.21432380291052763, 0.14808146972563388,
                   0.31796691183865466, 0.13860842538505944, 0.019898140621679702},
                  1e-8, "se");
  EXPECT_NEAR(cox.log_likelihood(), -1474.5352082048018, 1e-8);
  EXPECT_NEAR(cox.baseline_survival()(48, 0), 0.7652525906894118, 1e-9);
}

// ---- properties ----

TEST(ChurnCox, InvariantToRowOrderAndCovariateShift) {
  SKIP_WITHOUT_ROSSI();
  const auto r = load_rossi();
  const Matrix X = r.X(kAll);
  CoxPH a;
  a.fit(X, r.week, r.arrest);
  // Reverse the rows and shift every covariate: coefficients and fit are unchanged.
  const Eigen::Index n = X.rows();
  Matrix Xr = X.colwise().reverse();
  Xr.array() += 100.0;
  CoxPH b;
  b.fit(Xr, r.week.reverse(), r.arrest.reverse());
  EXPECT_LT((a.params() - b.params()).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_NEAR(a.log_likelihood(), b.log_likelihood(), 1e-9);
  EXPECT_NEAR(a.concordance_index(), b.concordance_index(), 1e-15);
  // Only the order of times matters: shifting them below zero changes nothing.
  CoxPH c;
  c.fit(X, (r.week.array() - 100.0).matrix(), r.arrest);
  EXPECT_LT((a.params() - c.params()).cwiseAbs().maxCoeff(), 1e-12);
  // One stratum holding every row is the unstratified model.
  CoxPH d;
  d.fit(X, r.week, r.arrest, Codes::Constant(n, 42));
  EXPECT_LT((a.params() - d.params()).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_NEAR(a.log_likelihood(), d.log_likelihood(), 1e-9);
  EXPECT_EQ(d.strata()[0], 42);
  // The training concordance is the metric on -partial hazard.
  EXPECT_NEAR(a.concordance_index(),
              cxkit::churn::metrics::concordance_index(r.week, Vector(-a.predict_partial_hazard(X)), r.arrest), 1e-15);
  // Survival curves are decreasing in time and in [0, 1].
  const Matrix s = a.predict_survival_function(X.topRows(20), Vector::LinSpaced(30, 0, 60));
  EXPECT_TRUE((s.array() >= 0).all() && (s.array() <= 1).all());
  for (Eigen::Index t = 1; t < s.cols(); ++t) EXPECT_TRUE((s.col(t).array() <= s.col(t - 1).array()).all());
}

TEST(ChurnCox, Errors) {
  Matrix X(3, 1);
  X << 2, 0, 1;
  CoxPH cox;
  EXPECT_THROW(cox.params(), cxkit::Error);  // not fitted
  EXPECT_THROW(cox.fit(X, vec({1, 2}), vec({1, 1, 1})), cxkit::InputError);       // sizes
  EXPECT_THROW(cox.fit(X, vec({1, NAN, 3}), vec({1, 1, 1})), cxkit::InputError);  // NaN duration
  EXPECT_THROW(cox.fit(X, vec({1, 2, 3}), vec({1, 2, 1})), cxkit::InputError);    // event 2
  EXPECT_THROW(cox.fit(X, vec({1, 2, 3}), vec({0, 0, 0})), cxkit::InputError);    // no event
  Matrix Xc(3, 1);
  Xc << 1, 1, 1;
  EXPECT_THROW(cox.fit(Xc, vec({1, 2, 3}), vec({1, 1, 1})), cxkit::InputError);  // constant column
  Matrix Xn(3, 1);
  Xn << 1, INFINITY, 1;
  EXPECT_THROW(cox.fit(Xn, vec({1, 2, 3}), vec({1, 1, 1})), cxkit::InputError);
  Matrix Xd(4, 2);  // collinear columns
  Xd << 1, 2, 2, 4, 3, 6, 5, 10;
  EXPECT_THROW(cox.fit(Xd, vec({1, 2, 3, 4}), vec({1, 1, 1, 1})), cxkit::InputError);
  EXPECT_THROW(CoxPH({.penalizer = -1}), cxkit::InputError);
  EXPECT_THROW(CoxPH({.alpha = 1.5}), cxkit::InputError);
  cox.fit(X, vec({1, 2, 3}), vec({1, 1, 1}));
  EXPECT_THROW(cox.predict_partial_hazard(Matrix::Zero(2, 2)), cxkit::InputError);  // wrong columns
}
