// Fitted churn models as plain data that score: what a model file holds (model_file.hpp).
//
//   LogisticModel m = LogisticModel::from_fit(fitted, {"logins_30d", "tickets_90d"}, means);
//   Vector p = m.predict_proba(X);           // bit-identical to fitted.predict_proba(X)
//   CoxModel c = CoxModel::from_fit(cox, {"x"});
//   Vector s = c.predict_survival_at(X, days_to_renewal);
//
// A model trained in a notebook is scored inside a C++ product without the training data: a
// LogisticModel keeps coefficients, intercept, class labels and feature means (the reference
// of explain()); a CoxModel keeps coefficients, training means and the Breslow baseline
// cumulative hazard per stratum. Scoring runs the same floating-point operations, in the same
// order, as LogisticRegression / CoxPH do, so the answers are identical to the last bit.
//
// The fields are public (a plain aggregate is what a file round trip needs); validate() checks
// that they fit together and every scoring function calls it first, so an inconsistent
// hand-built model is an InputError, never an out-of-bounds read.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cxkit/churn/arrays.hpp"
#include "cxkit/churn/cox.hpp"
#include "cxkit/churn/logistic.hpp"

namespace cxkit::churn {

/// A class label or stratum level as the training data had it: a JSON string, integer,
/// finite real or boolean (validate() rejects anything else).
using Label = nlohmann::json;

/// How LogisticRegression was configured (kept so a loaded model can be refitted alike).
struct LogisticSettings {
  enum class Weighting { none, balanced, given };
  double C = 1.0;  ///< > 0; +infinity = no penalty
  bool fit_intercept = true;
  Weighting class_weight = Weighting::none;
  /// Weighting::given: label -> weight (scikit-learn's class_weight dict; labels need not be
  /// classes of the fit, weights finite > 0).
  std::vector<std::pair<Label, double>> class_weights;
  double tol = 1e-4;
  int max_iter = 100;
  LogisticSolver solver = LogisticSolver::automatic;
};

/// Binary logistic regression: P(classes[1] | x) = sigmoid(x . coef + intercept).
struct LogisticModel {
  /// One name per coefficient, or empty when the training columns had no names.
  std::vector<std::string> features;
  Vector coef;                   ///< finite, one per feature
  double intercept = 0.0;        ///< finite
  /// Two distinct labels (binary by type); classes[1] is the one predict_proba scores.
  std::array<Label, 2> classes = {Label(0), Label(1)};
  Vector feature_means;          ///< finite, one per feature: explain()'s reference account
  LogisticSettings settings;
  // How the fit went (diagnostics; scoring does not use them).
  int n_iter = 0;
  bool converged = true;
  double objective = 0.0;        ///< may be NaN (unknown)

  /// The fitted C++ model with its column names (empty: unnamed) and training means.
  /// Throws cxkit::Error if `fit` is not fitted, InputError if the sizes differ.
  static LogisticModel from_fit(const LogisticRegression& fit, std::vector<std::string> features,
                                Vector feature_means, std::array<Label, 2> classes = {Label(0), Label(1)});

  /// Throws InputError naming the field ("coef[2]", "classes") when the parts do not fit
  /// together: sizes, non-finite numbers, duplicate or non-scalar labels, bad settings. O(p).
  void validate() const;

  // ---- scoring: X is n x p with the training columns in order; throws InputError on a wrong
  //      column count or NaN/inf in X. O(n p). ----
  /// X . coef + intercept.
  Vector decision_function(const MatrixRef& X) const;
  /// P(y = classes[1]) = sigmoid(decision), as LogisticRegression::predict_proba.
  Vector predict_proba(const MatrixRef& X) const;
  /// Index of the predicted class: 1 where decision > 0, else 0.
  Vector predict(const MatrixRef& X) const;
};

/// Cox proportional hazards: partial hazard exp((x - means) . params) times the Breslow
/// baseline cumulative hazard of the row's stratum, interpolated as CoxPH does (numpy.interp).
struct CoxModel {
  std::vector<std::string> covariates;  ///< one name per coefficient (may be empty: unnamed)
  Vector params;                        ///< finite
  Vector standard_errors;               ///< one per coefficient; may hold NaN/inf (diagnostic)
  Vector means;                         ///< finite training means, the reference point
  Vector baseline_times;                ///< >= 1 finite times, strictly increasing
  /// times x strata, finite, >= 0 and non-decreasing down each column.
  Matrix baseline_cumulative_hazard;
  /// Names of the stratifying columns; empty = unstratified (then one baseline column).
  std::vector<std::string> strata_columns;
  /// Stratified models: level k (one Label per strata column) owns baseline column k and is
  /// stratum code k in the predict functions. Distinct.
  std::vector<std::vector<Label>> strata_levels;
  CoxOptions settings;
  // How the fit went (diagnostics; scoring does not use them; NaN = unknown).
  int n_iter = 0;
  bool converged = true;
  double log_likelihood = 0.0, log_likelihood_null = 0.0, concordance_index = 0.0;

  /// The fitted C++ model with its covariate names (empty: unnamed). Stratum k of the file is
  /// fit.strata()[k]; levels default to those codes (pass the labels they stand for, and the
  /// strata column names, to keep them). Computes the concordance index: O(n log n).
  /// Throws cxkit::Error if `fit` is not fitted, InputError if the sizes differ.
  static CoxModel from_fit(const CoxPH& fit, std::vector<std::string> covariates,
                           std::vector<std::string> strata_columns = {},
                           std::vector<std::vector<Label>> strata_levels = {});

  /// Throws InputError naming the field when the parts do not fit together. O(p + T K).
  void validate() const;

  /// Number of strata (1 when unstratified).
  Eigen::Index n_strata() const noexcept { return baseline_cumulative_hazard.cols(); }
  /// The stratum code of a level (its index in strata_levels). Throws NotFoundError. O(K).
  std::int64_t stratum_code(const std::vector<Label>& level) const;

  /// exp(-baseline_cumulative_hazard): times x strata.
  Matrix baseline_survival() const;
  /// p x 2 interval of params at level 1 - settings.alpha, z = params / se, two-sided p.
  Matrix confidence_intervals() const;
  Vector z_scores() const;
  Vector p_values() const;

  // ---- scoring, as the same-named CoxPH functions (strata: one code per row, stratified
  //      models only; NotFoundError for a code outside [0, n_strata)) ----
  Vector predict_log_partial_hazard(const MatrixRef& X) const;
  Vector predict_partial_hazard(const MatrixRef& X) const;
  /// n x m. O(n m + K m log T).
  Matrix predict_cumulative_hazard(const MatrixRef& X, const VectorRef& times, const CodesRef& strata = Codes()) const;
  Matrix predict_survival_function(const MatrixRef& X, const VectorRef& times, const CodesRef& strata = Codes()) const;
  /// Each row's survival at its own time: n values. O(n (p + log T)).
  Vector predict_survival_at(const MatrixRef& X, const VectorRef& times, const CodesRef& strata = Codes()) const;
  Vector predict_event_probability(const MatrixRef& X, const VectorRef& times, const CodesRef& strata = Codes()) const;

 private:
  void check_X(const MatrixRef& X) const;
  std::vector<Eigen::Index> stratum_columns(const CodesRef& strata, Eigen::Index n) const;
};

/// Bit-exact equality (doubles compared by their bits: -0.0 != 0.0, NaN == the same NaN):
/// what "a file round trip gives the same model" means.
bool operator==(const LogisticModel& a, const LogisticModel& b);
bool operator==(const CoxModel& a, const CoxModel& b);

}  // namespace cxkit::churn
