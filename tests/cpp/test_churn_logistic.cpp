// Tests of cxkit::churn::LogisticRegression: hand-derived optima, scikit-learn 1.9.1 on the
// IBM Telco churn data, properties and errors.
//
// Telco design matrix (16 columns, documented in docs/churn_models.md), built identically here
// and in the reference script:
//   tenure, MonthlyCharges, TotalCharges (blank -> 0: those 11 rows all have tenure 0),
//   SeniorCitizen, gender == Male, Partner == Yes, Dependents == Yes, PhoneService == Yes,
//   PaperlessBilling == Yes, Contract == One year, Contract == Two year,
//   InternetService == Fiber optic, InternetService == No, PaymentMethod == Electronic check,
//   PaymentMethod == Mailed check, PaymentMethod == Credit card (automatic);
//   every column standardised: (x - mean) / std with ddof = 0 (StandardScaler); y = Churn == Yes.
// References:
//   LogisticRegression(C=..., tol=1e-12, max_iter=1000, solver="newton-cholesky", **kw).fit(X, y)
//   LogisticRegression(C=..., tol=1e-10, max_iter=10000, **kw).fit(X, y)          # lbfgs
//   for kw in {C=1}, {C=1, class_weight="balanced"}, {C=0.01}, {C=1, fit_intercept=False},
//             {C=1, class_weight={0: 1, 1: 3}}; and with sample_weight = arange(n) % 4 + 1 and
//   class_weight="balanced" (newton-cholesky).
// scikit-learn's newton-cholesky at tol=1e-12 is at the exact optimum; its lbfgs at tol=1e-10
// stops ~5e-7 short (scipy's ftol = 64 eps ends it first), so lbfgs is compared at 1e-6
// relative to the largest coefficient, newton-cholesky at 1e-8 absolute.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cxkit/churn/logistic.hpp"
#include "cxkit/core/error.hpp"

using cxkit::churn::ClassWeight;
using cxkit::churn::LogisticOptions;
using cxkit::churn::LogisticRegression;
using cxkit::churn::LogisticSolver;
using cxkit::churn::Matrix;
using cxkit::churn::Vector;

namespace {

Vector vec(std::initializer_list<double> xs) {
  Vector v(static_cast<Eigen::Index>(xs.size()));
  Eigen::Index i = 0;
  for (double x : xs) v[i++] = x;
  return v;
}

const std::string kTelco = std::string(CXKIT_SHARED_DATA_DIR) + "/churn/telco_customer_churn.csv";

struct Telco {
  Matrix X;
  Vector y;
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

Telco load_telco() {
  std::ifstream in(kTelco);
  std::string line, cell;
  std::getline(in, line);
  std::vector<std::string> names;
  std::stringstream hs(trim(line));
  while (std::getline(hs, cell, ',')) names.push_back(cell);
  std::map<std::string, std::vector<std::string>> c;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty()) continue;
    std::stringstream ss(line);
    for (std::size_t j = 0; j < names.size(); ++j) {
      if (!std::getline(ss, cell, ',')) cell.clear();
      c[names[j]].push_back(trim(cell));
    }
  }
  const auto n = static_cast<Eigen::Index>(c["Churn"].size());
  Telco t;
  t.X.resize(n, 16);
  t.y.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    auto is = [&](const char* col, const char* v) { return c[col][k] == v ? 1.0 : 0.0; };
    const std::string& tc = c["TotalCharges"][k];
    t.X.row(i) << std::stod(c["tenure"][k]), std::stod(c["MonthlyCharges"][k]), tc.empty() ? 0.0 : std::stod(tc),
        std::stod(c["SeniorCitizen"][k]), is("gender", "Male"), is("Partner", "Yes"), is("Dependents", "Yes"),
        is("PhoneService", "Yes"), is("PaperlessBilling", "Yes"), is("Contract", "One year"),
        is("Contract", "Two year"), is("InternetService", "Fiber optic"), is("InternetService", "No"),
        is("PaymentMethod", "Electronic check"), is("PaymentMethod", "Mailed check"),
        is("PaymentMethod", "Credit card (automatic)");
    t.y[i] = is("Churn", "Yes");
  }
  for (Eigen::Index j = 0; j < t.X.cols(); ++j) {
    const double mean = t.X.col(j).mean();
    const double sd = std::sqrt((t.X.col(j).array() - mean).square().mean());
    t.X.col(j) = (t.X.col(j).array() - mean) / sd;
  }
  return t;
}

#define SKIP_WITHOUT_TELCO() \
  if (!std::filesystem::exists(kTelco)) GTEST_SKIP() << "shared data absent: " << kTelco

struct Reference {
  std::vector<double> coef;
  double intercept;
};

void expect_exact(const LogisticRegression& m, const Reference& r, double tol, const char* what) {
  ASSERT_EQ(m.coef().size(), static_cast<Eigen::Index>(r.coef.size())) << what;
  for (std::size_t j = 0; j < r.coef.size(); ++j) EXPECT_NEAR(m.coef()[static_cast<Eigen::Index>(j)], r.coef[j], tol) << what << " coef " << j;
  EXPECT_NEAR(m.intercept(), r.intercept, tol) << what << " intercept";
}

void expect_relative(const LogisticRegression& m, const Reference& r, double rel, const char* what) {
  double scale = std::fabs(r.intercept);
  for (double c : r.coef) scale = std::max(scale, std::fabs(c));
  expect_exact(m, r, rel * scale, what);
}

// scikit-learn newton-cholesky, tol=1e-12 (exact optimum) and lbfgs, tol=1e-10.
const Reference kC1 = {{-1.4301063034571473, 0.1266828233218077, 0.6602969851606916, 0.0991204045907352,
                        -0.00569635559496186, 0.0015015107369899, -0.07986104721290023, -0.20657476923450296,
                        0.1898282859876186, -0.3049974953876831, -0.6717197464161283, 0.42077562168316623,
                        -0.17188087466795005, 0.1746250858725446, -0.03393042651094495, -0.03948063810723089},
                       -1.7324036908677403};
const Reference kC1Lbfgs = {{-1.4301061641839257, 0.12668226381221356, 0.6602970010420078, 0.09912038662099922,
                             -0.00569636201123583, 0.00150136512085573, -0.079861210772673, -0.20657459625309615,
                             0.18982833224648982, -0.30499766367105735, -0.6717198327551356, 0.42077568134521554,
                             -0.1718812290970858, 0.17462530473041535, -0.03393016060554863, -0.03948036432473939},
                            -1.7324034675640634};
const Reference kBalanced = {{-1.3268272974389566, 0.11787963548064762, 0.6117442036679936, 0.09973204644717622,
                              0.00165859047160874, -0.00371900180818166, -0.07883847100904974, -0.19464083818062602,
                              0.17677997049773592, -0.3118350155195804, -0.6907888211675183, 0.41147399417492625,
                              -0.18377340931455266, 0.183018712249581, -0.03585812480513097, -0.03180767264448878},
                             -0.6951239766067321};
const Reference kC001 = {{-0.6374987501768283, 0.23506426375746406, -0.12075788762187988, 0.10078829585803904,
                          -0.00611399258946422, -0.02303492353683333, -0.08657611389130314, -0.14067002748279833,
                          0.18029214053538037, -0.27458945482729913, -0.5018047656428205, 0.4028417739200312,
                          -0.17678592004808416, 0.188572360057609, -0.0157386568054969, -0.04833628016868393},
                         -1.5076614278909093};
const Reference kNoIntercept = {{-0.19408225715249286, 0.42969050004356324, -0.5889160959805791, 0.1054014141989176,
                                 -0.00539313076088797, 0.00164014956205285, -0.05580037038644655,
                                 -0.11438582199883011, 0.129219109026897, -0.20248244360656073,
                                 -0.15783705323813532, 0.36392137918878853, -0.00391249710974704,
                                 0.18601729627985938, -0.02243668589900881, -0.01462706228016264},
                                0.0};
const Reference kGiven = {{-1.3261547483198357, 0.11541837294104751, 0.6158087868901366, 0.09975819889158005,
                           0.00232698367919724, -0.00412660639147464, -0.07861292802955618, -0.19403967075580444,
                           0.17595839266235053, -0.31253419610692534, -0.693022608594955, 0.41049367966795597,
                           -0.18524691074406005, 0.18336150065476112, -0.03674184906880287, -0.03139089411889757},
                          -0.6149065263561633};
const Reference kBalancedWeighted = {
    {-1.4100199734711931, 0.01566731830289875, 0.6783015837344013, 0.10754095358506682, 0.0179262353408707,
     -0.01244615366651955, -0.05818084873257824, -0.1610956159022798, 0.2124810366180401, -0.30461975143522446,
     -0.6651130816062794, 0.4583249861942951, -0.25285464068365465, 0.14764063861586707, -0.0977285391921978,
     -0.05516809656690174},
    -0.7337298876916907};

}  // namespace

// ---- hand-derived optima ----

TEST(ChurnLogistic, InterceptOnlyIsLogOdds) {
  // No features: the unpenalised intercept is log(positives / negatives).
  const Matrix X(5, 0);
  LogisticRegression m({.tol = 1e-12});
  m.fit(X, vec({1, 0, 0, 1, 0}));
  EXPECT_NEAR(m.intercept(), std::log(2.0 / 3.0), 1e-12);
  EXPECT_TRUE(m.converged());
  EXPECT_NEAR(m.predict_proba(X)[0], 0.4, 1e-12);
  // Nothing to fit at all: converged at once, probability one half.
  LogisticRegression none({.fit_intercept = false});
  none.fit(X, vec({1, 0, 0, 1, 0}));
  EXPECT_TRUE(none.converged());
  EXPECT_DOUBLE_EQ(none.predict_proba(X)[0], 0.5);
}

TEST(ChurnLogistic, OneFeatureStationarity) {
  // One feature, no intercept. Data: x = 1 with y = 1,1,0 and x = -1 with y = 0,0,1, so every
  // row's margin is +-b and four rows are "right" at b > 0, two "wrong".
  // Objective = C * (4 log(1+e^-b) + 2 log(1+e^b)) + b^2/2 -> derivative:
  //   C * (-4 / (1+e^b) + 2 / (1+e^-b)) + b = 0.
  const double C = 0.7;
  auto d = [&](double b) { return C * (-4 / (1 + std::exp(b)) + 2 / (1 + std::exp(-b))) + b; };
  double lo = -10, hi = 10;
  for (int i = 0; i < 200; ++i) ((d(0.5 * (lo + hi)) > 0) ? hi : lo) = 0.5 * (lo + hi);
  const double b = 0.5 * (lo + hi);
  Matrix X(6, 1);
  X << 1, 1, 1, -1, -1, -1;
  for (auto solver : {LogisticSolver::newton, LogisticSolver::lbfgs}) {
    LogisticRegression m({.C = C, .fit_intercept = false, .tol = 1e-12, .solver = solver});
    m.fit(X, vec({1, 1, 0, 0, 0, 1}));
    EXPECT_NEAR(m.coef()[0], b, 1e-10);
    EXPECT_NEAR(m.objective(), C * (4 * std::log1p(std::exp(-b)) + 2 * std::log1p(std::exp(b))) + b * b / 2, 1e-12);
  }
}

// ---- scikit-learn on Telco ----

TEST(ChurnLogistic, TelcoMatchesScikitLearn) {
  SKIP_WITHOUT_TELCO();
  const auto t = load_telco();
  ASSERT_EQ(t.X.rows(), 7043);
  ASSERT_EQ(t.y.sum(), 1869);
  // Newton reaches the exact optimum; L-BFGS, like scikit-learn's, stops within its gradient
  // tolerance, which on these correlated columns (tenure, TotalCharges) leaves ~1e-7.
  LogisticRegression newton({.C = 1.0, .tol = 1e-10, .solver = LogisticSolver::newton});
  newton.fit(t.X, t.y);
  EXPECT_TRUE(newton.converged());
  expect_exact(newton, kC1, 1e-8, "newton vs newton-cholesky");
  expect_relative(newton, kC1Lbfgs, 1e-6, "newton vs lbfgs");
  LogisticRegression lbfgs({.C = 1.0, .tol = 1e-10, .max_iter = 1000, .solver = LogisticSolver::lbfgs});
  lbfgs.fit(t.X, t.y);
  EXPECT_TRUE(lbfgs.converged());
  expect_relative(lbfgs, kC1, 1e-6, "lbfgs vs newton-cholesky");
  expect_relative(lbfgs, kC1Lbfgs, 1e-6, "lbfgs vs lbfgs");
  EXPECT_NEAR(lbfgs.objective(), newton.objective(), 1e-9 * newton.objective());
  // Probabilities: the reference coefficients through a sigmoid written out here, and
  // scikit-learn's lbfgs predict_proba(X[:4])[:, 1] (5e-7 from the optimum, see above).
  const Vector p = newton.predict_proba(t.X.topRows(4));
  const std::vector<double> sk = {0.6533839789731278, 0.05061271557544723, 0.3860679779122891, 0.0537180910543355};
  for (Eigen::Index i = 0; i < 4; ++i) {
    double z = kC1.intercept;
    for (Eigen::Index j = 0; j < 16; ++j) z += t.X(i, j) * kC1.coef[static_cast<std::size_t>(j)];
    EXPECT_NEAR(p[i], 1 / (1 + std::exp(-z)), 1e-9);
    EXPECT_NEAR(p[i], sk[static_cast<std::size_t>(i)], 1e-6);
  }
}

TEST(ChurnLogistic, TelcoOptionsMatchScikitLearn) {
  SKIP_WITHOUT_TELCO();
  const auto t = load_telco();
  LogisticRegression balanced({.C = 1.0, .class_weight = ClassWeight::balanced(), .tol = 1e-10});
  balanced.fit(t.X, t.y);
  expect_exact(balanced, kBalanced, 1e-8, "balanced");
  EXPECT_NEAR(balanced.class_weight_positive(), 7043.0 / (2 * 1869), 1e-12);
  LogisticRegression strong({.C = 0.01, .tol = 1e-10});
  strong.fit(t.X, t.y);
  expect_exact(strong, kC001, 1e-8, "C=0.01");
  LogisticRegression no_intercept({.C = 1.0, .fit_intercept = false, .tol = 1e-10});
  no_intercept.fit(t.X, t.y);
  expect_exact(no_intercept, kNoIntercept, 1e-8, "no intercept");
  LogisticRegression given({.C = 1.0, .class_weight = ClassWeight::given(1.0, 3.0), .tol = 1e-10});
  given.fit(t.X, t.y);
  expect_exact(given, kGiven, 1e-8, "class_weight {0: 1, 1: 3}");
  Vector sw(t.y.size());
  for (Eigen::Index i = 0; i < sw.size(); ++i) sw[i] = static_cast<double>(i % 4 + 1);
  LogisticRegression weighted({.C = 1.0, .class_weight = ClassWeight::balanced(), .tol = 1e-10});
  weighted.fit(t.X, t.y, sw);
  expect_exact(weighted, kBalancedWeighted, 1e-8, "balanced + sample weights");
}

// ---- properties ----

TEST(ChurnLogistic, ProbabilitiesInRangeAndMonotone) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> nd;
  const int n = 2000, p = 5;
  Matrix X(n, p);
  Vector y(n);
  for (int i = 0; i < n; ++i) {
    double z = 0.3;
    for (int j = 0; j < p; ++j) {
      X(i, j) = nd(rng);
      z += (j + 1) * 0.4 * X(i, j) * (j % 2 ? -1 : 1);
    }
    y[i] = std::uniform_real_distribution<double>(0, 1)(rng) < 1 / (1 + std::exp(-z));
  }
  LogisticRegression m({.tol = 1e-10});
  m.fit(X, y);
  const Vector pr = m.predict_proba(X);
  EXPECT_TRUE((pr.array() >= 0).all() && (pr.array() <= 1).all());
  // Monotone in the decision function, and predict = proba > 1/2.
  const Vector dfun = m.decision_function(X);
  const Vector pred = m.predict(X);
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(pred[i], pr[i] > 0.5 ? 1.0 : 0.0);
    for (int k : {i + 1, i + 7}) {
      if (k < n && dfun[i] < dfun[k]) {
        EXPECT_LE(pr[i], pr[k]);
      }
    }
  }
  // Extreme inputs neither overflow nor give NaN.
  const Matrix big = Matrix::Constant(2, p, 1e6);
  const Vector pb = m.predict_proba(big);
  EXPECT_TRUE(pb.allFinite());
  // Both solvers reach the same optimum; weights 2 equal duplicated rows.
  LogisticRegression lb({.tol = 1e-10, .max_iter = 1000, .solver = LogisticSolver::lbfgs});
  lb.fit(X, y);
  EXPECT_LT((lb.coef() - m.coef()).cwiseAbs().maxCoeff(), 1e-7);
  Matrix X2(2 * n, p);
  X2 << X, X;
  Vector y2(2 * n);
  y2 << y, y;
  LogisticRegression dup({.C = 0.5, .tol = 1e-12}), wtd({.C = 0.5, .tol = 1e-12});
  dup.fit(X2, y2);
  wtd.fit(X, y, Vector::Constant(n, 2.0));
  EXPECT_LT((dup.coef() - wtd.coef()).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_NEAR(dup.intercept(), wtd.intercept(), 1e-10);
}

TEST(ChurnLogistic, Errors) {
  Matrix X(4, 1);
  X << 1, 2, 3, 4;
  LogisticRegression m;
  EXPECT_THROW(m.coef(), cxkit::Error);
  EXPECT_THROW(m.fit(X, vec({1, 1, 1, 1})), cxkit::InputError);  // a single class
  EXPECT_THROW(m.fit(X, vec({1, 0, 1})), cxkit::InputError);     // sizes
  EXPECT_THROW(m.fit(X, vec({1, 0, 2, 0})), cxkit::InputError);  // label 2
  EXPECT_THROW(m.fit(X, vec({1, 0, NAN, 0})), cxkit::InputError);
  Matrix Xn = X;
  Xn(2, 0) = NAN;
  try {
    m.fit(Xn, vec({1, 0, 1, 0}));
    FAIL() << "expected InputError";
  } catch (const cxkit::InputError& e) {
    EXPECT_EQ(e.location().line, 2);
    EXPECT_EQ(e.location().column, "0");
  }
  EXPECT_THROW(m.fit(X, vec({1, 0, 1, 0}), vec({1, 1, -1, 1})), cxkit::InputError);
  EXPECT_THROW(LogisticRegression({.C = 0}), cxkit::InputError);
  EXPECT_THROW(LogisticRegression({.class_weight = ClassWeight::given(0, 1)}), cxkit::InputError);
  m.fit(X, vec({1, 0, 1, 0}));
  EXPECT_THROW(m.predict_proba(Matrix::Zero(2, 3)), cxkit::InputError);
  Matrix bad(1, 1);
  bad << INFINITY;
  EXPECT_THROW(m.predict_proba(bad), cxkit::InputError);
}
