// Scoring with saved models. The arithmetic copies LogisticRegression::decision_function /
// predict_proba and CoxPH's predict functions expression for expression (same Eigen products
// on the same types, same scalar order), which is what makes a loaded model's answers
// bit-identical to the fitted one's; tests/cpp/test_model_file.cpp holds them to that.
#include "cxkit/churn/saved_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "cxkit/churn/normal.hpp"
#include "cxkit/core/error.hpp"

#include "cox_predict.hpp"
#include "validate.hpp"

namespace cxkit::churn {

namespace {

[[noreturn]] void bad(const std::string& path, const std::string& reason, const std::string& value = {}) {
  throw InputError(reason, {"model file", -1, path, value});
}

std::string at(const char* name, Eigen::Index i) { return std::string(name) + "[" + std::to_string(i) + "]"; }

void require_finite(const Eigen::Ref<const Vector>& v, const char* name) {
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) bad(at(name, i), "must be a finite number", detail::format_value(v[i]));
  }
}

void require_size(Eigen::Index got, Eigen::Index want, const char* name, const char* of) {
  if (got != want) {
    bad(name, "has " + std::to_string(got) + " entries, expected " + std::to_string(want) + " (one per " + of + ")");
  }
}

// A label must be a scalar the JSON file can carry exactly, or two labels could collide.
void require_label(const Label& l, const std::string& path) {
  const bool ok = l.is_string() || l.is_boolean() || l.is_number_integer() ||
                  (l.is_number_float() && std::isfinite(l.get<double>()));
  if (!ok) bad(path, "a label must be a string, an integer, a finite number or a boolean", l.dump());
}

// Labels are equal when their JSON text is: 1 and 1.0 and true stay three different labels.
bool same_label(const Label& a, const Label& b) { return a.dump() == b.dump(); }

void require_names(const std::vector<std::string>& names, Eigen::Index p, const char* name, const char* of) {
  if (!names.empty()) require_size(static_cast<Eigen::Index>(names.size()), p, name, of);
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

template <class M>
bool same_bits(const M& a, const M& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  return a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

template <class Labels>
bool same_labels(const Labels& a, const Labels& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same_label);
}

/// sigmoid(z) without overflow: LogisticRegression's formula.
double sigmoid(double z) noexcept {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// LogisticModel

LogisticModel LogisticModel::from_fit(const LogisticRegression& fit, std::vector<std::string> features,
                                      Vector feature_means, std::array<Label, 2> classes) {
  LogisticModel m;
  m.coef = fit.coef();  // throws before fit
  m.intercept = fit.intercept();
  m.features = std::move(features);
  m.feature_means = std::move(feature_means);
  m.classes = std::move(classes);
  const LogisticOptions& o = fit.options();
  m.settings.C = o.C;
  m.settings.fit_intercept = o.fit_intercept;
  m.settings.tol = o.tol;
  m.settings.max_iter = o.max_iter;
  m.settings.solver = o.solver;
  switch (o.class_weight.kind) {
    case ClassWeight::Kind::none: m.settings.class_weight = LogisticSettings::Weighting::none; break;
    case ClassWeight::Kind::balanced: m.settings.class_weight = LogisticSettings::Weighting::balanced; break;
    case ClassWeight::Kind::given:
      m.settings.class_weight = LogisticSettings::Weighting::given;
      m.settings.class_weights = {{m.classes[0], o.class_weight.negative}, {m.classes[1], o.class_weight.positive}};
      break;
  }
  m.n_iter = fit.n_iter();
  m.converged = fit.converged();
  m.objective = fit.objective();
  m.validate();
  return m;
}

void LogisticModel::validate() const {
  const Eigen::Index p = coef.size();
  require_names(features, p, "features", "coefficient");
  require_finite(coef, "coef");
  if (!std::isfinite(intercept)) bad("intercept", "must be a finite number", detail::format_value(intercept));
  require_size(feature_means.size(), p, "feature_means", "coefficient");
  require_finite(feature_means, "feature_means");
  for (std::size_t i = 0; i < 2; ++i) require_label(classes[i], at("classes", static_cast<Eigen::Index>(i)));
  if (same_label(classes[0], classes[1])) bad("classes", "the two class labels are equal", classes[0].dump());
  if (!(settings.C > 0)) bad("settings.C", "must be > 0 (Infinity: no penalty)", detail::format_value(settings.C));
  if (!(settings.tol > 0) || !std::isfinite(settings.tol)) {
    bad("settings.tol", "must be a finite number > 0", detail::format_value(settings.tol));
  }
  if (settings.max_iter < 1) bad("settings.max_iter", "must be >= 1", std::to_string(settings.max_iter));
  if (settings.class_weight != LogisticSettings::Weighting::given && !settings.class_weights.empty()) {
    bad("settings.class_weight", "weights are given only with a label -> weight list");
  }
  for (std::size_t i = 0; i < settings.class_weights.size(); ++i) {
    const std::string path = "settings.class_weight[" + std::to_string(i) + "]";
    require_label(settings.class_weights[i].first, path + "[0]");
    const double w = settings.class_weights[i].second;
    if (!(w > 0) || !std::isfinite(w)) bad(path + "[1]", "a class weight must be finite and > 0", detail::format_value(w));
    for (std::size_t j = 0; j < i; ++j) {
      if (same_label(settings.class_weights[j].first, settings.class_weights[i].first)) {
        bad(path + "[0]", "this label already has a weight", settings.class_weights[i].first.dump());
      }
    }
  }
  if (n_iter < 0) bad("fit.n_iter", "must be >= 0", std::to_string(n_iter));
}

Vector LogisticModel::decision_function(const MatrixRef& X) const {
  validate();
  if (X.cols() != coef.size()) {
    throw InputError("LogisticModel: X has " + std::to_string(X.cols()) + " columns, the model has " +
                     std::to_string(coef.size()));
  }
  detail::check_finite(X, "X");
  Vector z = coef.size() > 0 ? Vector(X * coef) : Vector(Vector::Zero(X.rows()));
  z.array() += intercept;
  return z;
}

Vector LogisticModel::predict_proba(const MatrixRef& X) const {
  Vector z = decision_function(X);
  for (Eigen::Index i = 0; i < z.size(); ++i) z[i] = sigmoid(z[i]);
  return z;
}

Vector LogisticModel::predict(const MatrixRef& X) const {
  Vector z = decision_function(X);
  for (Eigen::Index i = 0; i < z.size(); ++i) z[i] = z[i] > 0 ? 1.0 : 0.0;
  return z;
}

bool operator==(const LogisticModel& a, const LogisticModel& b) {
  const auto& s = a.settings;
  const auto& t = b.settings;
  const bool same_weights =
      s.class_weights.size() == t.class_weights.size() &&
      std::equal(s.class_weights.begin(), s.class_weights.end(), t.class_weights.begin(),
                 [](const auto& x, const auto& y) { return same_label(x.first, y.first) && same_bits(x.second, y.second); });
  return a.features == b.features && same_bits(a.coef, b.coef) && same_bits(a.intercept, b.intercept) &&
         same_labels(a.classes, b.classes) && same_bits(a.feature_means, b.feature_means) && same_bits(s.C, t.C) &&
         s.fit_intercept == t.fit_intercept && s.class_weight == t.class_weight && same_weights &&
         same_bits(s.tol, t.tol) && s.max_iter == t.max_iter && s.solver == t.solver && a.n_iter == b.n_iter &&
         a.converged == b.converged && same_bits(a.objective, b.objective);
}

// ---------------------------------------------------------------------------------------------
// CoxModel

CoxModel CoxModel::from_fit(const CoxPH& fit, std::vector<std::string> covariates,
                            std::vector<std::string> strata_columns, std::vector<std::vector<Label>> strata_levels) {
  CoxModel m;
  m.params = fit.params();  // throws before fit
  m.standard_errors = fit.standard_errors();
  m.means = fit.means();
  m.baseline_times = fit.baseline_times();
  m.baseline_cumulative_hazard = fit.baseline_cumulative_hazard();
  m.covariates = std::move(covariates);
  const Codes& codes = fit.strata();
  if (codes.size() > 0) {
    m.strata_columns = strata_columns.empty() ? std::vector<std::string>{"stratum"} : std::move(strata_columns);
    if (strata_levels.empty()) {
      for (Eigen::Index k = 0; k < codes.size(); ++k) m.strata_levels.push_back({Label(codes[k])});
    } else {
      m.strata_levels = std::move(strata_levels);
    }
  } else if (!strata_columns.empty() || !strata_levels.empty()) {
    bad("strata", "the model was fitted without strata");
  }
  m.settings = fit.options();
  m.n_iter = fit.n_iter();
  m.converged = fit.converged();
  m.log_likelihood = fit.log_likelihood();
  m.log_likelihood_null = fit.log_likelihood_null();
  m.concordance_index = fit.concordance_index();
  m.validate();
  return m;
}

void CoxModel::validate() const {
  const Eigen::Index p = params.size();
  require_names(covariates, p, "covariates", "coefficient");
  require_finite(params, "params");
  require_size(standard_errors.size(), p, "standard_errors", "coefficient");
  require_size(means.size(), p, "means", "coefficient");
  require_finite(means, "means");
  const Eigen::Index T = baseline_times.size();
  if (T < 1) bad("baseline.times", "needs at least one time");
  require_finite(baseline_times, "baseline.times");
  for (Eigen::Index t = 1; t < T; ++t) {
    if (!(baseline_times[t] > baseline_times[t - 1])) {
      bad(at("baseline.times", t), "times must be strictly increasing", detail::format_value(baseline_times[t]));
    }
  }
  const Matrix& H = baseline_cumulative_hazard;
  const Eigen::Index K = strata_columns.empty() ? 1 : static_cast<Eigen::Index>(strata_levels.size());
  if (H.cols() != K) {
    bad("baseline.cumulative_hazard", "has " + std::to_string(H.cols()) + " columns, expected " + std::to_string(K) +
                                          (strata_columns.empty() ? " (unstratified)" : " (one per stratum level)"));
  }
  for (Eigen::Index k = 0; k < H.cols(); ++k) {
    const std::string col = at("baseline.cumulative_hazard", k);
    if (H.rows() != T) {
      bad(col, "has " + std::to_string(H.rows()) + " entries, expected " + std::to_string(T) + " (one per time)");
    }
    for (Eigen::Index t = 0; t < T; ++t) {
      const double h = H(t, k);
      if (!std::isfinite(h) || h < 0) bad(col + at("", t), "must be a finite number >= 0", detail::format_value(h));
      if (t > 0 && h < H(t - 1, k)) {
        bad(col + at("", t), "a cumulative hazard cannot decrease", detail::format_value(h));
      }
    }
  }
  if (strata_columns.empty()) {
    if (!strata_levels.empty()) bad("strata.levels", "levels are given only with strata columns");
  } else {
    if (strata_levels.empty()) bad("strata.levels", "a stratified model needs at least one level");
    for (std::size_t k = 0; k < strata_levels.size(); ++k) {
      const std::string path = "strata.levels[" + std::to_string(k) + "]";
      if (strata_levels[k].size() != strata_columns.size()) {
        bad(path, "has " + std::to_string(strata_levels[k].size()) + " values, expected " +
                      std::to_string(strata_columns.size()) + " (one per strata column)");
      }
      for (std::size_t c = 0; c < strata_levels[k].size(); ++c) {
        require_label(strata_levels[k][c], path + "[" + std::to_string(c) + "]");
      }
      for (std::size_t j = 0; j < k; ++j) {
        if (same_labels(strata_levels[j], strata_levels[k])) bad(path, "this level is listed twice");
      }
    }
  }
  if (!(settings.penalizer >= 0) || !std::isfinite(settings.penalizer)) {
    bad("settings.penalizer", "must be a finite number >= 0", detail::format_value(settings.penalizer));
  }
  if (!(settings.alpha > 0 && settings.alpha < 1)) {
    bad("settings.alpha", "must be in (0, 1)", detail::format_value(settings.alpha));
  }
  if (settings.max_iter < 1) bad("settings.max_iter", "must be >= 1", std::to_string(settings.max_iter));
  if (!(settings.tol > 0) || !std::isfinite(settings.tol)) {
    bad("settings.tol", "must be a finite number > 0", detail::format_value(settings.tol));
  }
  if (n_iter < 0) bad("fit.n_iter", "must be >= 0", std::to_string(n_iter));
}

std::int64_t CoxModel::stratum_code(const std::vector<Label>& level) const {
  for (std::size_t k = 0; k < strata_levels.size(); ++k) {
    if (same_labels(strata_levels[k], level)) return static_cast<std::int64_t>(k);
  }
  std::string shown;
  for (const auto& l : level) shown += (shown.empty() ? "" : ", ") + l.dump();
  throw NotFoundError("CoxModel: stratum (" + shown + ") was not in the training data");
}

Matrix CoxModel::baseline_survival() const {
  validate();
  return (-baseline_cumulative_hazard.array()).exp();
}

Matrix CoxModel::confidence_intervals() const {
  validate();
  const double z = normal_quantile(1 - settings.alpha / 2);
  Matrix ci(params.size(), 2);
  ci.col(0) = params - z * standard_errors;
  ci.col(1) = params + z * standard_errors;
  return ci;
}

Vector CoxModel::z_scores() const {
  validate();
  return params.cwiseQuotient(standard_errors);
}

Vector CoxModel::p_values() const {
  Vector z = z_scores();
  for (Eigen::Index j = 0; j < z.size(); ++j) z[j] = two_sided_p_value(z[j]);
  return z;
}

void CoxModel::check_X(const MatrixRef& X) const {
  validate();
  if (X.cols() != params.size()) {
    throw InputError("CoxModel: X has " + std::to_string(X.cols()) + " columns, the model has " +
                     std::to_string(params.size()));
  }
  detail::check_finite(X, "X");
}

Vector CoxModel::predict_log_partial_hazard(const MatrixRef& X) const {
  check_X(X);
  return (X.rowwise() - means.transpose()) * params;
}

Vector CoxModel::predict_partial_hazard(const MatrixRef& X) const {
  return predict_log_partial_hazard(X).array().exp();
}

std::vector<Eigen::Index> CoxModel::stratum_columns(const CodesRef& strata, Eigen::Index n) const {
  std::vector<Eigen::Index> col(static_cast<std::size_t>(n), 0);
  if (strata_columns.empty()) {
    if (strata.size() != 0) throw InputError("CoxModel: the model was fitted without strata; pass none");
    return col;
  }
  if (strata.size() != n) throw InputError("CoxModel: the model is stratified; pass one stratum code per row");
  for (Eigen::Index i = 0; i < n; ++i) {
    if (strata[i] < 0 || strata[i] >= n_strata()) {
      throw NotFoundError("CoxModel: stratum code " + std::to_string(strata[i]) + " (row " + std::to_string(i) +
                          ") is not one of the model's " + std::to_string(n_strata()) + " strata");
    }
    col[static_cast<std::size_t>(i)] = static_cast<Eigen::Index>(strata[i]);
  }
  return col;
}

Matrix CoxModel::predict_cumulative_hazard(const MatrixRef& X, const VectorRef& times, const CodesRef& strata) const {
  const Vector ph = predict_partial_hazard(X);
  detail::check_finite(times, "times");
  return detail::cumulative_hazard(ph, stratum_columns(strata, X.rows()), times, baseline_times,
                                   baseline_cumulative_hazard);
}

Matrix CoxModel::predict_survival_function(const MatrixRef& X, const VectorRef& times, const CodesRef& strata) const {
  return (-predict_cumulative_hazard(X, times, strata).array()).exp();
}

Vector CoxModel::predict_survival_at(const MatrixRef& X, const VectorRef& times, const CodesRef& strata) const {
  const Vector ph = predict_partial_hazard(X);
  detail::check_same_length(X.rows(), times.size(), "X rows", "times");
  detail::check_finite(times, "times");
  return detail::survival_at(ph, stratum_columns(strata, X.rows()), times, baseline_times, baseline_cumulative_hazard);
}

Vector CoxModel::predict_event_probability(const MatrixRef& X, const VectorRef& times, const CodesRef& strata) const {
  return (1.0 - predict_survival_at(X, times, strata).array()).matrix();
}

bool operator==(const CoxModel& a, const CoxModel& b) {
  const bool same_levels =
      std::equal(a.strata_levels.begin(), a.strata_levels.end(), b.strata_levels.begin(), b.strata_levels.end(),
                 [](const auto& x, const auto& y) { return same_labels(x, y); });
  const auto& s = a.settings;
  const auto& t = b.settings;
  return a.covariates == b.covariates && same_bits(a.params, b.params) &&
         same_bits(a.standard_errors, b.standard_errors) && same_bits(a.means, b.means) &&
         same_bits(a.baseline_times, b.baseline_times) &&
         same_bits(a.baseline_cumulative_hazard, b.baseline_cumulative_hazard) &&
         a.strata_columns == b.strata_columns && same_levels && same_bits(s.penalizer, t.penalizer) &&
         same_bits(s.alpha, t.alpha) && s.max_iter == t.max_iter && same_bits(s.tol, t.tol) && a.n_iter == b.n_iter &&
         a.converged == b.converged && same_bits(a.log_likelihood, b.log_likelihood) &&
         same_bits(a.log_likelihood_null, b.log_likelihood_null) &&
         same_bits(a.concordance_index, b.concordance_index);
}

}  // namespace cxkit::churn
