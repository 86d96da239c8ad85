// Cox proportional-hazards model with lifelines' conventions (CoxPHFitter, Breslow baseline).
//
//   CoxPH cox({.penalizer = 0.1});
//   cox.fit(X, durations, events);                 // or fit(X, durations, events, strata)
//   cox.params(); cox.standard_errors(); cox.log_likelihood(); cox.concordance_index();
//   Matrix s = cox.predict_survival_function(X_new, times);   // rows x times
//
// What "lifelines' conventions" means (each checked against lifelines 0.30 in the tests):
// - Ties: Efron's approximation, with weights as lifelines applies them.
// - Covariates are normalised internally, z = (x - mean) / std (std with ddof = 1, over all
//   rows); the model is fitted on z and the coefficients are reported on x's scale:
//   params = beta_z / std. Without a penalty this changes nothing; with one it does, because
// - the penalty is on the normalised coefficients and scaled by the number of rows n:
//   maximised objective = log partial likelihood(beta_z) - n * penalizer / 2 * ||beta_z||^2
//   (lifelines' penalizer with l1_ratio = 0). log_likelihood() reports this penalised value,
//   as lifelines' log_likelihood_ does.
// - variance_matrix = inverse of minus the Hessian of that objective, rescaled to x's scale
//   (V_x = V_z / (std std^T)); standard errors = sqrt(diag); intervals params +- z_(1-alpha/2) se.
// - Baseline: Breslow's estimator with the partial hazards exp((x - mean) . params), i.e.
//   relative to the training means; one baseline per stratum, coefficients shared.
// - Predictions of the cumulative hazard at arbitrary times interpolate the baseline
//   LINEARLY between its times and hold it constant outside (numpy.interp, as lifelines does).
#pragma once

#include <cstdint>
#include <vector>

#include "cxkit/churn/arrays.hpp"

namespace cxkit::churn {

struct CoxOptions {
  /// lifelines' penalizer (L2 only, l1_ratio = 0): >= 0.
  double penalizer = 0.0;
  /// Confidence intervals are at level 1 - alpha.
  double alpha = 0.05;
  /// Newton-Raphson iterations at most.
  int max_iter = 100;
  /// Converged when the next Newton step would move no normalised coefficient by tol or more;
  /// Newton's quadratic convergence puts the result within ~tol of the exact optimum.
  double tol = 1e-9;
};

class CoxPH {
 public:
  /// Throws InputError for penalizer < 0, alpha outside (0, 1), max_iter < 1 or tol <= 0.
  explicit CoxPH(CoxOptions options = {});

  /// Fit on X (n x p, one row per subject), durations (n, finite), events (n, 0/1: 1 =
  /// event observed, 0 = censored); optional strata codes (n; empty = no strata) and
  /// weights (n, finite > 0; empty = all 1).
  /// Throws InputError on NaN/inf, events not 0/1, non-positive weights, mismatched sizes,
  /// fewer than 2 rows, a constant covariate column (its std is 0: lifelines would divide by
  /// it), no observed event, or a singular Hessian (collinear covariates).
  /// X is read in place with any strides (column-major, C-order, a pandas block): the fit
  /// gathers it once, sorted and normalised, and keeps no reference to it.
  /// Complexity: O(n log n) to sort once, then O(n p^2) per Newton iteration.
  CoxPH& fit(const StridedMatrixRef& X, const VectorRef& durations, const VectorRef& events);
  CoxPH& fit(const StridedMatrixRef& X, const VectorRef& durations, const VectorRef& events, const CodesRef& strata);
  CoxPH& fit(const StridedMatrixRef& X, const VectorRef& durations, const VectorRef& events, const CodesRef& strata,
             const VectorRef& weights);

  const CoxOptions& options() const noexcept { return options_; }
  bool fitted() const noexcept { return fitted_; }

  // ---- fitted model (each throws cxkit::Error before fit) ----
  /// Coefficients on the original covariate scale (lifelines' params_).
  const Vector& params() const;
  /// exp(params): hazard ratios per unit of each covariate.
  Vector hazard_ratios() const;
  const Vector& standard_errors() const;
  /// p x p covariance of params (lifelines' variance_matrix_).
  const Matrix& variance_matrix() const;
  /// p x 2: lower and upper bound of params at level 1 - alpha.
  Matrix confidence_intervals() const;
  /// Wald z = params / se, and two-sided p-values (lifelines' summary columns z and p).
  Vector z_scores() const;
  Vector p_values() const;
  /// Log partial likelihood at the optimum, minus the penalty (lifelines' log_likelihood_).
  double log_likelihood() const;
  /// Log partial likelihood at beta = 0 (lifelines' _ll_null_), for likelihood-ratio tests.
  double log_likelihood_null() const;
  /// Harrell's C of the fit on its training data (per stratum, counts pooled), lifelines'
  /// concordance_index_; NaN if no pair is comparable. Computed on each call, as lifelines
  /// does on first access: O(n log n), so a fit does not pay for it unless asked.
  double concordance_index() const;
  int n_iter() const;
  bool converged() const;
  /// Training means (the reference point of partial hazards and the baseline) and stds.
  const Vector& means() const;
  const Vector& scales() const;

  /// Distinct stratum codes, increasing (empty when fitted without strata). Column k of the
  /// baseline matrices belongs to strata()[k]; an unstratified fit has one column.
  const Codes& strata() const;
  /// Distinct durations of all training rows, increasing: the rows of the baseline matrices.
  const Vector& baseline_times() const;
  /// Breslow baseline hazard (times x strata): sum of weighted events at t / sum over the risk
  /// set of weight * partial hazard; 0 at times with no row of that stratum.
  const Matrix& baseline_hazard() const;
  const Matrix& baseline_cumulative_hazard() const;
  /// exp(-cumulative): lifelines' baseline_survival_.
  Matrix baseline_survival() const;

  // ---- prediction (X with the training columns; throws InputError on NaN/inf or a wrong
  //      column count, NotFoundError for a stratum code not seen in training) ----
  /// (x - means) . params, lifelines' predict_log_partial_hazard. O(n p).
  Vector predict_log_partial_hazard(const MatrixRef& X) const;
  /// exp of the above, lifelines' predict_partial_hazard.
  Vector predict_partial_hazard(const MatrixRef& X) const;
  /// Cumulative hazard of each row at each time: n x m (rows = subjects, the transpose of
  /// lifelines' DataFrame). Stratified models need each row's stratum code. O(n m + m log T).
  Matrix predict_cumulative_hazard(const MatrixRef& X, const VectorRef& times) const;
  Matrix predict_cumulative_hazard(const MatrixRef& X, const VectorRef& times, const CodesRef& strata) const;
  /// exp(-cumulative hazard): n x m.
  Matrix predict_survival_function(const MatrixRef& X, const VectorRef& times) const;
  Matrix predict_survival_function(const MatrixRef& X, const VectorRef& times, const CodesRef& strata) const;
  /// Each row's survival at its own time (e.g. days to its renewal date): n values.
  Vector predict_survival_at(const MatrixRef& X, const VectorRef& times) const;
  Vector predict_survival_at(const MatrixRef& X, const VectorRef& times, const CodesRef& strata) const;
  /// 1 - predict_survival_at: probability of the event (churn) before each row's time.
  Vector predict_event_probability(const MatrixRef& X, const VectorRef& times) const;
  Vector predict_event_probability(const MatrixRef& X, const VectorRef& times, const CodesRef& strata) const;

 private:
  void require_fitted() const;
  void check_predict_input(const MatrixRef& X) const;
  std::vector<Eigen::Index> stratum_columns(const CodesRef& strata, Eigen::Index n) const;

  CoxOptions options_;
  bool fitted_ = false;
  Vector params_, se_, means_, scales_;
  Matrix variance_;
  double loglik_ = 0, loglik_null_ = 0;
  int n_iter_ = 0;
  bool converged_ = false;
  Codes strata_;
  Vector baseline_times_;
  Matrix baseline_hazard_, baseline_cumhaz_;
  Vector train_time_, train_event_, train_score_;  // sorted as fitted, for concordance_index()
  std::vector<Eigen::Index> stratum_rows_;        // first row of each stratum, then n
};

}  // namespace cxkit::churn
