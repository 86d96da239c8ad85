#include "cox_efron.hpp"

#include <algorithm>
#include <cmath>

namespace cxkit::churn::detail {

namespace {
constexpr Eigen::Index kOuterBlock = 256;  // summand rows per rank update
constexpr Eigen::Index kGramBlock = 2048;  // covariate rows per Gram block (fits L2 for p <= 50)
}  // namespace

EfronEvaluator::EfronEvaluator(const CoxData& data) : d_(data) {
  const Eigen::Index n = d_.z.rows(), p = d_.z.cols();
  eta_.resize(n);
  phi_.resize(n);
  v_.resize(n);
  group_coef_.resize(d_.group_start.size() - 1);
  tie_coef_.resize(d_.group_start.size() - 1);
  outer_buf_.resize(kOuterBlock, p);
  block_.resize(std::min(kGramBlock, std::max<Eigen::Index>(n, 1)), p);
}

void EfronEvaluator::flush_outer(Matrix& hessian) {
  if (outer_rows_ == 0) return;
  hessian.selfadjointView<Eigen::Lower>().rankUpdate(outer_buf_.topRows(outer_rows_).transpose(), 1.0);
  outer_rows_ = 0;
}

void EfronEvaluator::evaluate(const Vector& beta, bool want_hessian, EfronTerms& out) {
  const Eigen::Index n = d_.z.rows(), p = d_.z.cols();
  out.loglik = 0;
  out.gradient.setZero(p);
  if (want_hessian) out.hessian.setZero(p, p);

  // Shift the linear predictor by its maximum so exp() cannot overflow; every ratio below is
  // invariant to the shift and the log terms add it back.
  eta_.noalias() = d_.z * beta;
  const double shift = n ? eta_.maxCoeff() : 0.0;
  phi_ = d_.weight.array() * (eta_.array() - shift).exp();

  Vector risk_x(p), tie_x(p), x_death(p), numer(p), summand_sum(p);
  for (std::size_t s = 0; s + 1 < d_.stratum_group_start.size(); ++s) {
    const std::size_t g_begin = d_.stratum_group_start[s], g_end = d_.stratum_group_start[s + 1];
    double risk_phi = 0;
    risk_x.setZero();
    // Reverse sweep: risk sets grow as time decreases.
    for (std::size_t g = g_end; g-- > g_begin;) {
      const Eigen::Index r0 = d_.group_start[g], r1 = d_.group_start[g + 1];
      double tie_phi = 0, wsum = 0;
      int m = 0;
      tie_x.setZero();
      x_death.setZero();
      // Plain loops over p: for the usual p of 5-50 they beat Eigen's dynamic-size expressions,
      // whose per-call overhead dominates at this length.
      double* rx = risk_x.data();
      double* tx = tie_x.data();
      double* xd = x_death.data();
      for (Eigen::Index i = r0; i < r1; ++i) {
        const double ph = phi_[i];
        const double* zi = d_.z.data() + i;  // z(i, j) = zi[j * n]
        risk_phi += ph;
        for (Eigen::Index j = 0; j < p; ++j) rx[j] += ph * zi[j * n];
        if (d_.event[i] != 0.0) {
          const double wi = d_.weight[i];
          tie_phi += ph;
          for (Eigen::Index j = 0; j < p; ++j) {
            tx[j] += ph * zi[j * n];
            xd[j] += wi * zi[j * n];
          }
          wsum += wi;
          ++m;
        }
      }
      if (m == 0) {
        group_coef_[g] = 0;
        tie_coef_[g] = 0;
        continue;
      }
      const double wavg = wsum / m;
      const double sqrt_wavg = std::sqrt(wavg);
      double s1 = 0, s2 = 0, log_sum = 0;
      summand_sum.setZero();
      for (int l = 0; l < m; ++l) {
        const double frac = static_cast<double>(l) / m;
        const double denom = risk_phi - frac * tie_phi;
        const double inv = 1.0 / denom;
        numer = risk_x - frac * tie_x;
        summand_sum.noalias() += inv * numer;
        log_sum += std::log(denom) + shift;
        s1 += inv;
        s2 += frac * inv;
        if (want_hessian) {
          outer_buf_.row(outer_rows_++) = (sqrt_wavg * inv) * numer.transpose();
          if (outer_rows_ == kOuterBlock) flush_outer(out.hessian);
        }
      }
      out.loglik += x_death.dot(beta) - wavg * log_sum;
      out.gradient.noalias() += x_death - wavg * summand_sum;
      group_coef_[g] = wavg * s1;
      tie_coef_[g] = wavg * s2;
    }
    if (!want_hessian) continue;
    // Forward pass: row i is in the risk set of every event group at or before its time.
    double cum = 0;
    for (std::size_t g = g_begin; g < g_end; ++g) {
      cum += group_coef_[g];
      for (Eigen::Index i = d_.group_start[g]; i < d_.group_start[g + 1]; ++i) {
        v_[i] = phi_[i] * (cum - (d_.event[i] != 0.0 ? tie_coef_[g] : 0.0));
      }
    }
  }
  if (!want_hessian) return;
  flush_outer(out.hessian);
  // H = sum_groups wavg * sum_l s_l s_l^T - sum_i v_i z_i z_i^T, in row blocks.
  v_ = v_.array().max(0.0).sqrt();  // one sqrt per row, not per coefficient
  for (Eigen::Index r0 = 0; r0 < n; r0 += kGramBlock) {
    const Eigen::Index b = std::min(kGramBlock, n - r0);
    block_.topRows(b) = v_.segment(r0, b).asDiagonal() * d_.z.middleRows(r0, b);
    out.hessian.selfadjointView<Eigen::Lower>().rankUpdate(block_.topRows(b).transpose(), -1.0);
  }
  out.hessian.triangularView<Eigen::StrictlyUpper>() = out.hessian.transpose();
}

}  // namespace cxkit::churn::detail
