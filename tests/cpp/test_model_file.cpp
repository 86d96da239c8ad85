// Tests of the churn model file (model_file.hpp) and the scoring models it holds
// (saved_model.hpp): hand-computed scores, bit-exact round trips, bit-identical predictions
// against the fitted LogisticRegression / CoxPH, strict validation naming the key path, and
// every truncation and single-byte corruption of a file failing cleanly.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "cxkit/churn/cox.hpp"
#include "cxkit/churn/logistic.hpp"
#include "cxkit/churn/model_file.hpp"
#include "cxkit/churn/saved_model.hpp"
#include "cxkit/core/error.hpp"

using cxkit::InputError;
using cxkit::NotFoundError;
using cxkit::churn::Codes;
using cxkit::churn::CoxModel;
using cxkit::churn::CoxPH;
using cxkit::churn::Label;
using cxkit::churn::LogisticModel;
using cxkit::churn::LogisticRegression;
using cxkit::churn::LogisticSettings;
using cxkit::churn::Matrix;
using cxkit::churn::ModelFile;
using cxkit::churn::Vector;
using cxkit::churn::read_model_file;
using cxkit::churn::write_model_file;
using nlohmann::json;

namespace {

// Same bits, not just ==: -0.0 and 0.0 differ, and "bit-identical" is the promise.
template <class M>
void expect_same_bits(const M& a, const M& b) {
  ASSERT_EQ(a.rows(), b.rows());
  ASSERT_EQ(a.cols(), b.cols());
  EXPECT_EQ(0, std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())));
}

/// The message of the InputError that `f` throws ("" if it throws none).
template <class F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

LogisticModel small_logistic() {
  LogisticModel m;
  m.features = {"logins", "tickets"};
  m.coef = Vector{{2.0, -1.0}};
  m.intercept = 0.5;
  m.classes = {Label("stays"), Label("churns")};
  m.feature_means = Vector{{0.25, 3.0}};
  return m;
}

// Partial hazard 2 per unit of x; baseline H(1) = 0.2, H(3) = 0.6.
CoxModel small_cox() {
  CoxModel m;
  m.covariates = {"x"};
  m.params = Vector{{std::log(2.0)}};
  m.standard_errors = Vector{{0.5}};
  m.means = Vector{{0.0}};
  m.baseline_times = Vector{{1.0, 3.0}};
  m.baseline_cumulative_hazard = Matrix{{0.2}, {0.6}};
  return m;
}

// Training data with a signal, ties in the durations and two strata.
struct Survival {
  Matrix X;
  Vector T, E;
  Codes strata;
};

Survival survival_data(int n) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> z;
  Survival s{Matrix(n, 2), Vector(n), Vector(n), Codes(n)};
  for (int i = 0; i < n; ++i) {
    s.X(i, 0) = z(rng);
    s.X(i, 1) = z(rng);
    s.T[i] = std::round(5 * std::exp(-0.7 * s.X(i, 0) + 0.3 * z(rng)) + 1);
    s.E[i] = (i % 4 == 3) ? 0.0 : 1.0;
    s.strata[i] = 10 + i % 2;  // codes 10 and 11: not 0-based
  }
  return s;
}

ModelFile round_trip(const ModelFile& m, int indent = -1) { return read_model_file(write_model_file(m, indent)); }

}  // namespace

// ---- scoring, against hand-computed values ----

TEST(ModelFile, LogisticScoresByHand) {
  const LogisticModel m = small_logistic();
  const Matrix X{{1.0, 1.0}, {0.0, 3.0}};
  // z = 2 - 1 + 0.5 = 1.5 and 0 - 3 + 0.5 = -2.5
  const Vector p = m.predict_proba(X);
  EXPECT_DOUBLE_EQ(p[0], 1.0 / (1.0 + std::exp(-1.5)));
  EXPECT_DOUBLE_EQ(p[1], 1.0 / (1.0 + std::exp(2.5)));
  EXPECT_EQ(m.predict(X), (Vector{{1.0, 0.0}}));
  EXPECT_THROW(m.predict_proba(Matrix(1, 3)), InputError);
  EXPECT_THROW(m.predict_proba(Matrix{{std::nan(""), 1.0}}), InputError);
}

TEST(ModelFile, CoxScoresByHand) {
  const CoxModel m = small_cox();
  const Matrix X{{1.0}, {0.0}};
  EXPECT_DOUBLE_EQ(m.predict_partial_hazard(X)[0], 2.0);
  // survival at t: exp(-ph * H(t)); H interpolates linearly inside [1, 3] and is held outside
  const Matrix S = m.predict_survival_function(X, Vector{{0.5, 2.0, 10.0}});
  EXPECT_DOUBLE_EQ(S(0, 0), std::exp(-2 * 0.2));
  EXPECT_DOUBLE_EQ(S(0, 1), std::exp(-2 * 0.4));
  EXPECT_DOUBLE_EQ(S(0, 2), std::exp(-2 * 0.6));
  EXPECT_DOUBLE_EQ(S(1, 1), std::exp(-0.4));
  const Vector p = m.predict_event_probability(X, Vector{{2.0, 3.0}});
  EXPECT_DOUBLE_EQ(p[0], 1 - std::exp(-0.8));
  EXPECT_DOUBLE_EQ(p[1], 1 - std::exp(-0.6));
  EXPECT_THROW(m.predict_survival_at(X, Vector{{1.0}}), InputError);                 // one time per row
  EXPECT_THROW(m.predict_survival_at(X, Vector{{1.0, 2.0}}, Codes{{0, 0}}), InputError);  // unstratified
}

TEST(ModelFile, StratifiedCoxPicksTheRowsBaseline) {
  CoxModel m = small_cox();
  m.strata_columns = {"plan"};
  m.strata_levels = {{Label("gold")}, {Label("basic")}};
  m.baseline_cumulative_hazard = Matrix{{0.2, 1.0}, {0.6, 3.0}};
  const Matrix X{{0.0}, {0.0}};
  const Vector s = m.predict_survival_at(X, Vector{{3.0, 3.0}}, Codes{{0, 1}});
  EXPECT_DOUBLE_EQ(s[0], std::exp(-0.6));
  EXPECT_DOUBLE_EQ(s[1], std::exp(-3.0));
  EXPECT_EQ(m.stratum_code({Label("basic")}), 1);
  EXPECT_THROW(m.stratum_code({Label("platinum")}), NotFoundError);
  EXPECT_THROW(m.predict_survival_at(X, Vector{{3.0, 3.0}}, Codes{{0, 2}}), NotFoundError);
  EXPECT_THROW(m.predict_survival_at(X, Vector{{3.0, 3.0}}), InputError);  // stratified: codes needed
}

// ---- a loaded model answers exactly what the fitted one does ----

TEST(ModelFile, LogisticFromFitPredictsBitIdenticallyAfterARoundTrip) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> z;
  const int n = 300;
  Matrix X(n, 4);
  Vector y(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 4; ++j) X(i, j) = z(rng) * (j + 1) + 0.1 * j;
    y[i] = (X(i, 0) - 0.5 * X(i, 2) + z(rng) > 0) ? 1.0 : 0.0;
  }
  for (const auto& cw : {cxkit::churn::ClassWeight::none(), cxkit::churn::ClassWeight::balanced(),
                         cxkit::churn::ClassWeight::given(1.0, 3.0)}) {
    LogisticRegression fit({.C = 0.3, .class_weight = cw});
    fit.fit(X, y);
    const LogisticModel m = LogisticModel::from_fit(fit, {"a", "b", "c", "d"}, X.colwise().mean().transpose());
    for (int indent : {-1, 2}) {
      const ModelFile back = round_trip(m, indent);
      ASSERT_TRUE(std::holds_alternative<LogisticModel>(back));
      const auto& lm = std::get<LogisticModel>(back);
      EXPECT_TRUE(lm == m);
      expect_same_bits(lm.predict_proba(X), fit.predict_proba(X));
      expect_same_bits(lm.decision_function(X), fit.decision_function(X));
      expect_same_bits(lm.predict(X), fit.predict(X));
    }
  }
}

TEST(ModelFile, CoxFromFitPredictsBitIdenticallyAfterARoundTrip) {
  const Survival s = survival_data(200);
  const Vector times{{0.0, 1.0, 2.5, 3.0, 4.75, 7.0, 1e6}};  // before, on, between and after baseline times
  for (bool stratified : {false, true}) {
    CoxPH fit({.penalizer = 0.05});
    if (stratified) fit.fit(s.X, s.T, s.E, s.strata);
    else fit.fit(s.X, s.T, s.E);
    const CoxModel m = stratified ? CoxModel::from_fit(fit, {"x0", "x1"}, {"plan"}, {{Label("basic")}, {Label("gold")}})
                                  : CoxModel::from_fit(fit, {"x0", "x1"});
    const CoxModel back = std::get<CoxModel>(round_trip(m));
    EXPECT_TRUE(back == m);
    EXPECT_EQ(back.concordance_index, fit.concordance_index());
    // the file's stratum code k is fit.strata()[k]: codes 10, 11 -> 0, 1
    Codes fit_codes = s.strata, file_codes = s.strata.array() - 10;
    const Matrix Xp = s.X.topRows(50);
    const Vector at = s.T.head(50).array() + 0.5;
    if (stratified) {
      expect_same_bits(back.predict_survival_function(Xp, times, file_codes.head(50)),
                       fit.predict_survival_function(Xp, times, fit_codes.head(50)));
      expect_same_bits(back.predict_event_probability(Xp, at, file_codes.head(50)),
                       fit.predict_event_probability(Xp, at, fit_codes.head(50)));
    } else {
      expect_same_bits(back.predict_survival_function(Xp, times), fit.predict_survival_function(Xp, times));
      expect_same_bits(back.predict_event_probability(Xp, at), fit.predict_event_probability(Xp, at));
    }
    expect_same_bits(back.predict_partial_hazard(Xp), fit.predict_partial_hazard(Xp));
    expect_same_bits(back.baseline_survival(), fit.baseline_survival());
    expect_same_bits(back.confidence_intervals(), fit.confidence_intervals());
    expect_same_bits(back.p_values(), fit.p_values());
  }
}

// ---- numbers ----

TEST(ModelFile, AwkwardDoublesRoundTripBitExactly) {
  LogisticModel m = small_logistic();
  const double awkward[] = {0.1, -0.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1.0 / 3.0,
                            -123456789.98765432, 9007199254740993.0, 1e-300, 0.30000000000000004};
  for (double v : awkward) {
    m.coef = Vector{{v, -v}};
    m.intercept = v;
    const LogisticModel back = std::get<LogisticModel>(round_trip(m));
    EXPECT_TRUE(back == m) << v;
    EXPECT_EQ(std::signbit(back.intercept), std::signbit(v)) << v;
  }
}

TEST(ModelFile, NonFiniteValuesAreStringsWhereAllowedAndRefusedElsewhere) {
  LogisticModel m = small_logistic();
  m.settings.C = std::numeric_limits<double>::infinity();
  m.objective = std::nan("");
  const std::string text = write_model_file(m);
  const json j = json::parse(text);
  EXPECT_EQ(j["settings"]["C"], "Infinity");
  EXPECT_EQ(j["fit"]["objective"], "NaN");
  const LogisticModel back = std::get<LogisticModel>(read_model_file(text));
  EXPECT_TRUE(std::isinf(back.settings.C) && std::isnan(back.objective));

  CoxModel c = small_cox();
  c.standard_errors[0] = -std::numeric_limits<double>::infinity();
  EXPECT_TRUE(std::get<CoxModel>(round_trip(c)) == c);

  m.coef[1] = std::numeric_limits<double>::infinity();  // never written
  EXPECT_NE(input_error([&] { write_model_file(m); }).find("column 'coef[1]'"), std::string::npos);
  json bad = j;
  bad["coef"][0] = "NaN";  // nor read
  EXPECT_NE(input_error([&] { read_model_file(bad.dump()); }).find("column 'coef[0]'"), std::string::npos);
  std::string huge = text;  // beyond the largest double: refused when parsed, not read as inf
  huge.replace(huge.find("\"intercept\":0.5"), 15, "\"intercept\":1e400");
  EXPECT_NE(input_error([&] { read_model_file(huge); }), "");
}

// ---- versioning and strict validation ----

TEST(ModelFile, NewerVersionIsRefusedWithAClearMessage) {
  json j = json::parse(write_model_file(small_logistic()));
  j["version"] = 2;
  j["a_field_from_the_future"] = true;  // version is checked before keys
  EXPECT_NE(input_error([&] { read_model_file(j.dump()); })
                .find("model file version 2 is newer than this cxkit reads (1); upgrade cxkit"),
            std::string::npos);
  j["version"] = 18446744073709551615ULL;
  EXPECT_NE(input_error([&] { read_model_file(j.dump()); }).find("is newer than"), std::string::npos);
  for (const json& v : {json(0), json(-1), json("1"), json(1.0), json(nullptr)}) {
    j["version"] = v;
    EXPECT_NE(input_error([&] { read_model_file(j.dump()); }).find("column 'version'"), std::string::npos) << v;
  }
}

TEST(ModelFile, ValidationNamesTheKeyPath) {
  const json good = json::parse(write_model_file(small_cox()));
  struct Case {
    const char* pointer;  // JSON pointer to change
    json value;
    const char* expect;   // in the message
  };
  const std::vector<Case> cases = {
      {"/format", "cxkit.journey", "column 'format'"},
      {"/kind", "random_forest", "column 'kind'"},
      {"/params/0", "0.5", "column 'params[0]', value '0.5': expected a number"},
      {"/means", json::array({0.0, 1.0}), "column 'means': has 2 entries, expected 1"},
      {"/settings/colour", "blue", "column 'settings.colour': unknown field"},
      {"/settings/max_iter", 2.5, "column 'settings.max_iter'"},
      {"/settings/alpha", 1.5, "column 'settings.alpha'"},
      {"/baseline/times", json::array({3.0, 1.0}), "column 'baseline.times[1]'"},
      {"/baseline/cumulative_hazard/0/1", 0.1, "column 'baseline.cumulative_hazard[0][1]'"},
      {"/baseline/cumulative_hazard/0", json::array({0.1}), "column 'baseline.cumulative_hazard[0]': has 1"},
      {"/strata", json{{"columns", {"plan"}}, {"levels", {{"a"}, {"a"}}}}, "column 'strata.levels[1]'"},
      {"/strata", json{{"columns", {"plan"}}, {"levels", {{json::array()}}}}, "column 'strata.levels[0][0]'"},
      {"/strata", json{{"columns", {"plan"}}, {"levels", {{"a"}, {"b"}}}}, "column 'baseline.cumulative_hazard': has 1"},
  };
  for (const auto& c : cases) {
    json j = good;
    j[json::json_pointer(c.pointer)] = c.value;
    if (std::string(c.pointer) == "/strata" && std::string(c.expect).find("baseline") == std::string::npos) {
      j["baseline"]["cumulative_hazard"].push_back(j["baseline"]["cumulative_hazard"][0]);
    }
    const std::string msg = input_error([&] { read_model_file(j.dump()); });
    EXPECT_NE(msg.find(c.expect), std::string::npos) << c.pointer << ": " << msg;
  }
  json j = good;
  j.erase("params");
  EXPECT_NE(input_error([&] { read_model_file(j.dump()); }).find("column 'params': required field is missing"),
            std::string::npos);
  j = json::parse(write_model_file(small_logistic()));
  j["classes"] = {"a", "a"};
  EXPECT_NE(input_error([&] { read_model_file(j.dump()); }).find("column 'classes'"), std::string::npos);
  j["classes"] = {1, 1.5, 2};
  EXPECT_NE(input_error([&] { read_model_file(j.dump()); }).find("exactly 2"), std::string::npos);
  EXPECT_NE(input_error([&] { read_model_file("[1, 2]"); }).find("column '<root>'"), std::string::npos);
  EXPECT_NE(input_error([&] { read_model_file(""); }).find("invalid JSON"), std::string::npos);
}

TEST(ModelFile, ClassesKeepTheirJsonTypes) {
  LogisticModel m = small_logistic();
  m.classes = {Label(false), Label(true)};
  m.settings.class_weight = LogisticSettings::Weighting::given;
  m.settings.class_weights = {{Label(true), 4.0}};
  const LogisticModel back = std::get<LogisticModel>(round_trip(m));
  EXPECT_TRUE(back == m);
  EXPECT_TRUE(back.classes[1].is_boolean());
  m.classes = {Label(1), Label(1.0)};  // an integer and a real are different labels, as in the JSON
  EXPECT_TRUE(std::get<LogisticModel>(round_trip(m)) == m);
  m.classes = {Label("a"), json::object()};
  EXPECT_THROW(m.validate(), InputError);
}

// ---- damaged files ----

// Every strict prefix of a file is refused, and every single-byte change is either refused
// or reads as a model that survives its own round trip (a digit changed in a coefficient is
// a valid, different file; JSON has no checksum).
TEST(ModelFile, TruncatedOrCorruptedFilesFailCleanly) {
  Survival s = survival_data(40);
  CoxPH fit;
  fit.fit(s.X, s.T, s.E, s.strata);
  const std::vector<std::string> files = {write_model_file(CoxModel::from_fit(fit, {"x0", "x1"})),
                                          write_model_file(small_logistic(), 1)};
  const char replacements[] = {'\0', ' ', '"', '0', '9', '-', 'e', '.', ',', ']', '}', '\xff', 'x'};
  int accepted = 0;
  for (const std::string& text : files) {
    for (std::size_t cut = 0; cut < text.size(); ++cut) {
      EXPECT_THROW(read_model_file(std::string_view(text).substr(0, cut)), InputError) << cut;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
      for (char r : replacements) {
        if (text[i] == r) continue;
        std::string bad = text;
        bad[i] = r;
        try {
          const ModelFile m = read_model_file(bad);
          ++accepted;
          EXPECT_TRUE(read_model_file(write_model_file(m)) == m) << i;
        } catch (const InputError&) {
        }
      }
    }
  }
  EXPECT_GT(accepted, 0);  // some digit changes are valid files; the loop did test that case
}
