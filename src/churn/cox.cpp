#include "cxkit/churn/cox.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include <Eigen/Cholesky>

#include "concordance.hpp"
#include "cox_efron.hpp"
#include "cox_predict.hpp"
#include "radix_sort.hpp"
#include "cxkit/churn/metrics.hpp"
#include "cxkit/churn/normal.hpp"
#include "cxkit/core/error.hpp"
#include "validate.hpp"

namespace cxkit::churn {

namespace {

/// Adds lifelines' L2 penalty n * c / 2 * ||beta||^2 (c = penalizer) to the terms.
void apply_penalty(detail::EfronTerms& t, const Vector& beta, double n, double penalizer, bool hessian) {
  if (penalizer == 0.0) return;
  const double k = n * penalizer;
  t.loglik -= 0.5 * k * beta.squaredNorm();
  t.gradient -= k * beta;
  if (hessian) t.hessian.diagonal().array() -= k;
}

/// Sorts rows by (stratum, time) and builds the normalised, grouped data.
detail::CoxData prepare(const StridedMatrixRef& X, const VectorRef& durations, const VectorRef& events,
                        const Codes& strata, const Vector& weights, const Vector& mean, const Vector& scale) {
  const Eigen::Index n = X.rows(), p = X.cols();
  const bool has_strata = strata.size() > 0;
  // Order rows by (stratum, time), events before censored rows at equal times (the
  // concordance sweep needs that; the likelihood does not care): stable radix passes from
  // the least significant key up - event flag, then time, then stratum.
  std::vector<Eigen::Index> order;
  order.reserve(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i)
    if (events[i] != 0.0) order.push_back(i);
  for (Eigen::Index i = 0; i < n; ++i)
    if (events[i] == 0.0) order.push_back(i);
  std::vector<std::uint64_t> key(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) key[static_cast<std::size_t>(i)] = detail::sortable_key(durations[i]);
  detail::radix_sort_rows(key, order);
  if (has_strata) {
    for (Eigen::Index i = 0; i < n; ++i) key[static_cast<std::size_t>(i)] = detail::sortable_key(strata[i]);
    detail::radix_sort_rows(key, order);
  }

  detail::CoxData d;
  d.z.resize(n, p);
  d.time.resize(n);
  d.event.resize(n);
  d.weight.resize(n);
  // Gather in the order that reads X's memory best. Column-major X (contiguous columns):
  // column by column, the random reads stay within one column. Row-major X (a C-order NumPy
  // array, a pandas block): row by row, one random row read brings all p values in one or two
  // cache lines; the writes go to p sequential streams.
  const Eigen::Index is = X.innerStride(), os = X.outerStride();
  const Vector inv_scale = scale.cwiseInverse();
  if (is <= os) {
    for (Eigen::Index j = 0; j < p; ++j) {
      const double mj = mean[j], ij = inv_scale[j];
      const double* col = X.data() + j * os;
      double* out = d.z.data() + j * n;
      for (Eigen::Index r = 0; r < n; ++r) out[r] = (col[order[static_cast<std::size_t>(r)] * is] - mj) * ij;
    }
  } else {
    for (Eigen::Index r = 0; r < n; ++r) {
      const double* row = X.data() + order[static_cast<std::size_t>(r)] * is;
      for (Eigen::Index j = 0; j < p; ++j) d.z(r, j) = (row[j * os] - mean[j]) * inv_scale[j];
    }
  }
  for (Eigen::Index r = 0; r < n; ++r) {
    const Eigen::Index i = order[static_cast<std::size_t>(r)];
    d.time[r] = durations[i];
    d.event[r] = events[i];
    d.weight[r] = weights[i];
  }
  for (Eigen::Index r = 0; r < n; ++r) {
    const bool new_stratum =
        r == 0 || (has_strata && strata[order[static_cast<std::size_t>(r)]] != strata[order[static_cast<std::size_t>(r - 1)]]);
    if (new_stratum) d.stratum_group_start.push_back(d.group_start.size());
    if (new_stratum || d.time[r] != d.time[r - 1]) d.group_start.push_back(r);
  }
  d.group_start.push_back(n);
  d.stratum_group_start.push_back(d.group_start.size() - 1);
  return d;
}

/// Column means of X in one pass over its memory. NaN or infinity makes a mean non-finite;
/// only then is X scanned for the first bad cell, which the InputError names (row, column).
Vector column_means(const StridedMatrixRef& X) {
  const Eigen::Index n = X.rows(), p = X.cols(), is = X.innerStride(), os = X.outerStride();
  Vector sum = Vector::Zero(p);
  if (is == 1) {
    for (Eigen::Index j = 0; j < p; ++j) sum[j] = Eigen::Map<const Vector>(X.data() + j * os, n).sum();
  } else {
    for (Eigen::Index i = 0; i < n; ++i) {
      const double* row = X.data() + i * is;
      for (Eigen::Index j = 0; j < p; ++j) sum[j] += row[j * os];
    }
  }
  if (!sum.allFinite()) {
    for (Eigen::Index j = 0; j < p; ++j) {
      for (Eigen::Index i = 0; i < n; ++i) {
        if (!std::isfinite(X(i, j))) {
          throw InputError("X: values must be finite (no NaN or infinity)",
                           {"X", static_cast<std::int64_t>(i), std::to_string(j), detail::format_value(X(i, j)), "row"});
        }
      }
    }
  }
  return sum / static_cast<double>(n);
}

/// sum_i (X(i, j) - mean)^2, the numerator of column j's variance.
double column_sum_sq_dev(const StridedMatrixRef& X, Eigen::Index j, double mean) {
  if (X.innerStride() == 1) {
    return (Eigen::Map<const Vector>(X.data() + j * X.outerStride(), X.rows()).array() - mean).square().sum();
  }
  double s = 0;
  for (Eigen::Index i = 0; i < X.rows(); ++i) s += (X(i, j) - mean) * (X(i, j) - mean);
  return s;
}

constexpr Eigen::Index kWarmRows = 12'500;  // subsample size; fits of >= 4x this start warm

/// The optimum of the penalised partial likelihood on `sub` (same per-row penalty), by plain
/// Newton with step halving to a loose tolerance; zero when the subsample's Hessian is
/// singular (e.g. a rare binary covariate constant in it), so the full fit starts at 0.
Vector warm_start(const detail::CoxData& sub, double penalizer) {
  const Eigen::Index p = sub.z.cols();
  const Vector zero = Vector::Zero(p);
  detail::EfronEvaluator efron(sub);
  const double ns = static_cast<double>(sub.z.rows());
  Vector beta = zero;
  detail::EfronTerms cur, cand;
  efron.evaluate(beta, true, cur);
  apply_penalty(cur, beta, ns, penalizer, true);
  for (int it = 0; it < 30; ++it) {
    const Eigen::LDLT<Matrix> ldlt(-cur.hessian);
    if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().minCoeff() > 0.0)) return zero;
    const Vector delta = ldlt.solve(cur.gradient);
    if (!delta.allFinite()) return zero;
    if (delta.cwiseAbs().maxCoeff() < 1e-6) return beta + delta;
    double step = 1.0;
    bool accepted = false;
    for (int h = 0; h < 30 && !accepted; ++h, step /= 2) {
      const Vector trial = beta + step * delta;
      efron.evaluate(trial, true, cand);
      apply_penalty(cand, trial, ns, penalizer, true);
      if (std::isfinite(cand.loglik) && cand.loglik >= cur.loglik) {
        beta = trial;
        std::swap(cur, cand);
        accepted = true;
      }
    }
    if (!accepted) break;
  }
  return beta.allFinite() ? beta : zero;
}

[[noreturn]] void singular() {
  throw InputError(
      "CoxPH: the Hessian is singular - covariates are collinear, or a covariate separates the "
      "events completely; drop a column or set a penalizer");
}

}  // namespace

CoxPH::CoxPH(CoxOptions options) : options_(options) {
  auto bad = [](const char* what, const char* field, double v) {
    throw InputError(what, {"CoxOptions", -1, field, detail::format_value(v)});
  };
  if (!(options_.penalizer >= 0.0 && std::isfinite(options_.penalizer))) bad("penalizer must be finite and >= 0", "penalizer", options_.penalizer);
  if (!(options_.alpha > 0.0 && options_.alpha < 1.0)) bad("alpha must be in (0, 1)", "alpha", options_.alpha);
  if (options_.max_iter < 1) bad("max_iter must be >= 1", "max_iter", options_.max_iter);
  if (!(options_.tol > 0.0)) bad("tol must be > 0", "tol", options_.tol);
}

CoxPH& CoxPH::fit(const StridedMatrixRef& X, const VectorRef& durations, const VectorRef& events) {
  return fit(X, durations, events, Codes(), Vector());
}

CoxPH& CoxPH::fit(const StridedMatrixRef& X, const VectorRef& durations, const VectorRef& events, const CodesRef& strata) {
  return fit(X, durations, events, strata, Vector());
}

CoxPH& CoxPH::fit(const StridedMatrixRef& X, const VectorRef& durations, const VectorRef& events, const CodesRef& strata_in,
                  const VectorRef& weights_in) {
  const Eigen::Index n = X.rows(), p = X.cols();
  detail::check_same_length(n, durations.size(), "X rows", "durations");
  detail::check_same_length(n, events.size(), "X rows", "events");
  if (strata_in.size() != 0) detail::check_same_length(n, strata_in.size(), "X rows", "strata");
  if (weights_in.size() != 0) detail::check_same_length(n, weights_in.size(), "X rows", "weights");
  if (n < 2) throw InputError("CoxPH.fit needs at least 2 rows");
  if (p < 1) throw InputError("CoxPH.fit needs at least one covariate column");
  detail::check_finite(durations, "durations");
  detail::check_binary(events, "events");
  if (events.sum() == 0) throw InputError("CoxPH.fit needs at least one observed event");
  const Vector weights = weights_in.size() ? Vector(weights_in) : Vector::Ones(n);
  if (weights_in.size()) detail::check_positive(weights_in, "weights");
  const Codes strata = strata_in;

  // lifelines normalises with pandas' mean and std (ddof = 1), unweighted.
  const Vector mean = column_means(X);
  Vector scale(p);
  for (Eigen::Index j = 0; j < p; ++j) {
    scale[j] = std::sqrt(column_sum_sq_dev(X, j, mean[j]) / static_cast<double>(n - 1));
    if (!(scale[j] > 0.0)) {
      throw InputError("CoxPH.fit: covariate column is constant (standard deviation 0)",
                       {"X", -1, std::to_string(j), detail::format_value(X(0, j))});
    }
  }

  const detail::CoxData data = prepare(X, durations, events, strata, weights, mean, scale);
  detail::EfronEvaluator efron(data);
  const double nd = static_cast<double>(n);

  Vector beta = Vector::Zero(p);
  detail::EfronTerms cur, cand;
  efron.evaluate(beta, false, cur);  // the null model: log-likelihood only
  loglik_null_ = cur.loglik;
  // Large fits start Newton from the optimum of a systematic subsample: it lies within
  // ~1/sqrt(kWarmRows) of the full optimum, where Newton converges quadratically, so the full
  // data pays for ~3 Hessians instead of ~6. The stopping rule below is unchanged, so the
  // result is the same optimum to within tol. Deterministic (every k-th sorted row).
  if (n >= 4 * kWarmRows) beta = warm_start(detail::subsample(data, n / kWarmRows), options_.penalizer);
  efron.evaluate(beta, true, cur);
  apply_penalty(cur, beta, nd, options_.penalizer, true);
  if (cur.loglik < loglik_null_) {  // never start worse than beta = 0 (a safeguard; not seen)
    beta.setZero();
    efron.evaluate(beta, true, cur);
    apply_penalty(cur, beta, nd, options_.penalizer, true);
  }

  bool converged = false;
  int iter = 0;
  Eigen::LDLT<Matrix> ldlt;
  while (iter < options_.max_iter) {
    ++iter;
    ldlt.compute(-cur.hessian);
    if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().minCoeff() > 0.0)) singular();
    const Vector delta = ldlt.solve(cur.gradient);
    if (!delta.allFinite()) singular();
    if (delta.cwiseAbs().maxCoeff() < options_.tol) {
      converged = true;  // beta is within ~tol of the optimum (the next step would be < tol)
      break;
    }
    // Step halving: accept the first step that does not lower the objective (beyond rounding).
    // The full step is tried with the Hessian, as it is almost always taken.
    double step = 1.0;
    bool accepted = false;
    const double slack = 1e-12 * (1.0 + std::fabs(cur.loglik));
    for (int h = 0; h < 60; ++h, step /= 2) {
      const Vector trial = beta + step * delta;
      efron.evaluate(trial, h == 0, cand);
      apply_penalty(cand, trial, nd, options_.penalizer, h == 0);
      if (std::isfinite(cand.loglik) && cand.loglik >= cur.loglik - slack) {
        beta = trial;
        accepted = true;
        if (h == 0) {
          std::swap(cur, cand);
        } else {
          efron.evaluate(beta, true, cur);
          apply_penalty(cur, beta, nd, options_.penalizer, true);
        }
        break;
      }
    }
    if (!accepted) break;  // no progress possible: report as not converged
  }
  // cur holds the terms at the returned coefficients.
  if (!converged) ldlt.compute(-cur.hessian);
  if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().minCoeff() > 0.0)) singular();

  params_ = beta.cwiseQuotient(scale);
  const Matrix inv = ldlt.solve(Matrix::Identity(p, p));
  variance_ = inv.array() / (scale * scale.transpose()).array();
  se_ = variance_.diagonal().cwiseSqrt();
  loglik_ = cur.loglik;
  n_iter_ = iter;
  converged_ = converged;
  means_ = mean;
  scales_ = scale;

  // Breslow baseline per stratum from partial hazards exp(z . beta) = exp((x - mean) . params).
  // One time per (stratum, time) group is enough to find the distinct times.
  std::vector<double> times;
  times.reserve(data.group_start.size() - 1);
  for (std::size_t g = 0; g + 1 < data.group_start.size(); ++g) times.push_back(data.time[data.group_start[g]]);
  if (data.stratum_group_start.size() > 2) std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  baseline_times_ = Eigen::Map<const Vector>(times.data(), static_cast<Eigen::Index>(times.size()));
  const std::size_t n_strata = data.stratum_group_start.size() - 1;
  strata_.resize(strata.size() ? static_cast<Eigen::Index>(n_strata) : 0);
  baseline_hazard_.setZero(baseline_times_.size(), static_cast<Eigen::Index>(n_strata));
  const Vector partial = (data.z * beta).array().exp();
  // Strata were sorted by code, so stratum s has the s-th smallest code.
  std::vector<std::int64_t> codes(strata.data(), strata.data() + strata.size());
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  for (std::size_t s = 0; s < n_strata; ++s) {
    const std::size_t g0 = data.stratum_group_start[s], g1 = data.stratum_group_start[s + 1];
    if (strata.size()) strata_[static_cast<Eigen::Index>(s)] = codes[s];
    double risk = 0;
    for (std::size_t g = g1; g-- > g0;) {
      double died = 0;
      for (Eigen::Index i = data.group_start[g]; i < data.group_start[g + 1]; ++i) {
        risk += data.weight[i] * partial[i];
        died += data.weight[i] * data.event[i];
      }
      const auto k = std::lower_bound(times.begin(), times.end(), data.time[data.group_start[g]]) - times.begin();
      baseline_hazard_(k, static_cast<Eigen::Index>(s)) = died / risk;
    }
  }
  baseline_cumhaz_ = baseline_hazard_;
  for (Eigen::Index k = 1; k < baseline_cumhaz_.rows(); ++k) baseline_cumhaz_.row(k) += baseline_cumhaz_.row(k - 1);
  // Kept for concordance_index(), which lifelines also computes on demand: -partial hazard
  // in time order (events first at ties), with each stratum's first row.
  train_time_ = data.time;
  train_event_ = data.event;
  train_score_ = -partial;
  stratum_rows_.clear();
  for (const std::size_t g : data.stratum_group_start) stratum_rows_.push_back(data.group_start[g]);
  fitted_ = true;
  return *this;
}

void CoxPH::require_fitted() const {
  if (!fitted_) throw Error("CoxPH: call fit() first");
}

const Vector& CoxPH::params() const { return require_fitted(), params_; }
Vector CoxPH::hazard_ratios() const { return params().array().exp(); }
const Vector& CoxPH::standard_errors() const { return require_fitted(), se_; }
const Matrix& CoxPH::variance_matrix() const { return require_fitted(), variance_; }
double CoxPH::log_likelihood() const { return require_fitted(), loglik_; }
double CoxPH::log_likelihood_null() const { return require_fitted(), loglik_null_; }
double CoxPH::concordance_index() const {
  require_fitted();
  // Per stratum, pooled counts (lifelines; a stratum of one row has no pairs).
  metrics::ConcordanceCounts counts;
  for (std::size_t s = 0; s + 1 < stratum_rows_.size(); ++s) {
    const Eigen::Index r0 = stratum_rows_[s], r1 = stratum_rows_[s + 1];
    counts.merge(detail::concordance_sorted(train_time_.data() + r0, train_score_.data() + r0,
                                            train_event_.data() + r0, static_cast<std::size_t>(r1 - r0)));
  }
  return counts.pairs ? counts.index() : std::numeric_limits<double>::quiet_NaN();
}
int CoxPH::n_iter() const { return require_fitted(), n_iter_; }
bool CoxPH::converged() const { return require_fitted(), converged_; }
const Vector& CoxPH::means() const { return require_fitted(), means_; }
const Vector& CoxPH::scales() const { return require_fitted(), scales_; }
const Codes& CoxPH::strata() const { return require_fitted(), strata_; }
const Vector& CoxPH::baseline_times() const { return require_fitted(), baseline_times_; }
const Matrix& CoxPH::baseline_hazard() const { return require_fitted(), baseline_hazard_; }
const Matrix& CoxPH::baseline_cumulative_hazard() const { return require_fitted(), baseline_cumhaz_; }
Matrix CoxPH::baseline_survival() const { return (-baseline_cumulative_hazard().array()).exp(); }

Matrix CoxPH::confidence_intervals() const {
  require_fitted();
  const double z = normal_quantile(1 - options_.alpha / 2);
  Matrix ci(params_.size(), 2);
  ci.col(0) = params_ - z * se_;
  ci.col(1) = params_ + z * se_;
  return ci;
}

Vector CoxPH::z_scores() const { return params().cwiseQuotient(se_); }

Vector CoxPH::p_values() const {
  Vector z = z_scores();
  for (Eigen::Index j = 0; j < z.size(); ++j) z[j] = two_sided_p_value(z[j]);
  return z;
}

void CoxPH::check_predict_input(const MatrixRef& X) const {
  require_fitted();
  if (X.cols() != params_.size()) {
    throw InputError("CoxPH: X has " + std::to_string(X.cols()) + " columns, the model was fitted on " +
                     std::to_string(params_.size()));
  }
  detail::check_finite(X, "X");
}

Vector CoxPH::predict_log_partial_hazard(const MatrixRef& X) const {
  check_predict_input(X);
  return (X.rowwise() - means_.transpose()) * params_;
}

Vector CoxPH::predict_partial_hazard(const MatrixRef& X) const { return predict_log_partial_hazard(X).array().exp(); }

std::vector<Eigen::Index> CoxPH::stratum_columns(const CodesRef& strata, Eigen::Index n) const {
  std::vector<Eigen::Index> col(static_cast<std::size_t>(n), 0);
  if (strata_.size() == 0) {
    if (strata.size() != 0) throw InputError("CoxPH: the model was fitted without strata; pass none");
    return col;
  }
  if (strata.size() != n) throw InputError("CoxPH: the model is stratified; pass one stratum code per row");
  const std::int64_t* b = strata_.data();
  const std::int64_t* e = b + strata_.size();
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto it = std::lower_bound(b, e, strata[i]);
    if (it == e || *it != strata[i]) {
      throw NotFoundError("CoxPH: stratum " + std::to_string(strata[i]) + " (row " + std::to_string(i) +
                          ") was not in the training data");
    }
    col[static_cast<std::size_t>(i)] = it - b;
  }
  return col;
}

Matrix CoxPH::predict_cumulative_hazard(const MatrixRef& X, const VectorRef& times) const {
  return predict_cumulative_hazard(X, times, Codes());
}

Matrix CoxPH::predict_cumulative_hazard(const MatrixRef& X, const VectorRef& times, const CodesRef& strata) const {
  const Vector ph = predict_partial_hazard(X);
  detail::check_finite(times, "times");
  return detail::cumulative_hazard(ph, stratum_columns(strata, X.rows()), times, baseline_times_, baseline_cumhaz_);
}

Matrix CoxPH::predict_survival_function(const MatrixRef& X, const VectorRef& times) const {
  return predict_survival_function(X, times, Codes());
}

Matrix CoxPH::predict_survival_function(const MatrixRef& X, const VectorRef& times, const CodesRef& strata) const {
  return (-predict_cumulative_hazard(X, times, strata).array()).exp();
}

Vector CoxPH::predict_survival_at(const MatrixRef& X, const VectorRef& times) const {
  return predict_survival_at(X, times, Codes());
}

Vector CoxPH::predict_survival_at(const MatrixRef& X, const VectorRef& times, const CodesRef& strata) const {
  const Vector ph = predict_partial_hazard(X);
  detail::check_same_length(X.rows(), times.size(), "X rows", "times");
  detail::check_finite(times, "times");
  return detail::survival_at(ph, stratum_columns(strata, X.rows()), times, baseline_times_, baseline_cumhaz_);
}

Vector CoxPH::predict_event_probability(const MatrixRef& X, const VectorRef& times) const {
  return predict_event_probability(X, times, Codes());
}

Vector CoxPH::predict_event_probability(const MatrixRef& X, const VectorRef& times, const CodesRef& strata) const {
  return (1.0 - predict_survival_at(X, times, strata).array()).matrix();
}

}  // namespace cxkit::churn
