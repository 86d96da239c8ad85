// The Cox partial likelihood with Efron's tie correction: value, gradient and Hessian in
// O(n p^2) per evaluation. Internal to cox.cpp.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "cxkit/churn/arrays.hpp"

namespace cxkit::churn::detail {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Survival data sorted by (stratum, time), covariates normalised. Column-major: building it
/// is a gather that then writes each column sequentially, and the sweep reads p sequential
/// streams (row-major made the gather's writes strided, which cost more than the sweep gained).
struct CoxData {
  Matrix z;         ///< n x p normalised covariates (x - mean) / std
  Vector time;      ///< n, increasing within each stratum
  Vector event;     ///< n, 0/1
  Vector weight;    ///< n, > 0
  /// Start row of each group of rows sharing (stratum, time), then n: size groups + 1.
  std::vector<Eigen::Index> group_start;
  /// First group of each stratum, then the number of groups: size strata + 1.
  std::vector<std::size_t> stratum_group_start;
};

/// Log partial likelihood, gradient and Hessian (of the log-likelihood, so negative
/// semi-definite) at beta, summed over strata - lifelines' _get_efron_values_* exactly,
/// reorganised: the per-risk-set second moments sum_{j in R(t)} phi_j z_j z_j^T enter the
/// Hessian only through sum_i v_i z_i z_i^T with a per-row weight v_i (a forward cumulative
/// sum of the event groups' coefficients), so one blocked GEMM replaces n outer products.
struct EfronTerms {
  double loglik = 0;
  Vector gradient;
  Matrix hessian;
};

class EfronEvaluator {
 public:
  explicit EfronEvaluator(const CoxData& data);
  /// Fills out; want_hessian = false skips the O(n p^2) part (line search).
  void evaluate(const Vector& beta, bool want_hessian, EfronTerms& out);

 private:
  void flush_outer(Matrix& hessian);

  const CoxData& d_;
  Vector eta_, phi_, v_;
  std::vector<double> group_coef_, tie_coef_;
  RowMatrix outer_buf_;  // sqrt(wavg) * summand rows awaiting one rank update
  Eigen::Index outer_rows_ = 0;
  Matrix block_;         // scratch rows sqrt(v_i) z_i
};

}  // namespace cxkit::churn::detail
