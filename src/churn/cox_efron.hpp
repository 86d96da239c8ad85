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

/// Every k-th row of `d` (k >= 1), in the same order, grouped again by (stratum, time): a
/// systematic subsample for a warm start. O(n / k * p).
CoxData subsample(const CoxData& d, Eigen::Index k);

/// Log partial likelihood, gradient and Hessian (of the log-likelihood, so negative
/// semi-definite) at beta, summed over strata - lifelines' _get_efron_values_* exactly,
/// reorganised so that one evaluation reads the n x p covariates twice, both times along
/// contiguous columns:
/// 1. eta = z beta (GEMV), phi = w exp(eta - max eta) and phi_e = phi * event;
/// 2. a scalar reverse sweep over the time groups: Efron's denominators
///    d_l = S_R - (l/m) S_D depend only on the risk-set and tie sums of phi, so the
///    log-likelihood and, per event group, s1 = sum 1/d_l, s2 = sum f_l/d_l,
///    q0 = sum 1/d_l^2, q1 = sum f_l/d_l^2, q2 = sum f_l^2/d_l^2 (f_l = l/m) come first;
/// 3. a reverse sweep over z in chunks of whole time groups (~1000 rows, cache-sized). Per
///    chunk, the risk-set second moments sum_{j in R(t)} phi_j z_j z_j^T enter through
///    sum_i v_i z_i z_i^T with a per-row weight v_i (a forward cumulative sum of the groups'
///    coefficients, known after step 2): one rank update of the chunk's rows sqrt(v_i) z_i
///    (GEMM speed). Then, from cache, per group the risk-set sums r = sum phi z and tie sums
///    t = sum phi_e z (two GEMVs), the gradient term -wavg (s1 r - s2 t), and the first Hessian
///    term sum_l wavg (r - f_l t)(r - f_l t)^T / d_l^2 expanded as
///    wavg (q0 r r^T - q1 (r t^T + t r^T) + q2 t t^T): one p x p update per event group.
/// The sum of w z over events (gradient) and its dot with beta (log-likelihood) are constant
/// or one dot product.
struct EfronTerms {
  double loglik = 0;
  Vector gradient;
  Matrix hessian;
};

class EfronEvaluator {
 public:
  explicit EfronEvaluator(const CoxData& data);
  /// Fills out; want_hessian = false computes the log-likelihood only (line search): one
  /// pass over z instead of two, and the gradient is left at zero.
  void evaluate(const Vector& beta, bool want_hessian, EfronTerms& out);

 private:
  /// Per group scalars of step 2 (zero for groups without an event).
  struct GroupTerms {
    double s1, s2, q0, q1, q2;
  };
  /// Consecutive groups swept together: [group_begin, group_end), in one stratum.
  struct Chunk {
    std::size_t group_begin, group_end;
    bool stratum_end;  ///< the last groups of their stratum: the sweep starts a new risk set here
  };

  const CoxData& d_;
  Vector eta_, phi_, phie_, v_;
  Vector x_death_;                   ///< sum over events of w z (constant)
  std::vector<int> events_;          ///< per group: number of events m
  std::vector<double> wavg_;         ///< per group: mean event weight
  std::vector<GroupTerms> group_;
  std::vector<Chunk> chunks_;        ///< in sweep (reverse time) order
  Matrix block_;                     ///< scratch rows sqrt(v_i) z_i of one chunk part
};

}  // namespace cxkit::churn::detail
