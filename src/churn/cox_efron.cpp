#include "cox_efron.hpp"

#include <algorithm>
#include <cmath>

namespace cxkit::churn::detail {

namespace {
constexpr Eigen::Index kChunkRows = 1024;  // rows per sweep chunk: 80 KB at p = 10, stays in L2
constexpr Eigen::Index kSmallGroup = 8;    // below this, plain loops beat Eigen's per-call overhead
}  // namespace

CoxData subsample(const CoxData& d, Eigen::Index k) {
  std::vector<Eigen::Index> rows;
  CoxData s;
  for (std::size_t st = 0; st + 1 < d.stratum_group_start.size(); ++st) {
    bool stratum_open = false;
    for (std::size_t g = d.stratum_group_start[st]; g < d.stratum_group_start[st + 1]; ++g) {
      const Eigen::Index first = (d.group_start[g] + k - 1) / k * k;
      if (first >= d.group_start[g + 1]) continue;
      if (!stratum_open) s.stratum_group_start.push_back(s.group_start.size());
      stratum_open = true;
      s.group_start.push_back(static_cast<Eigen::Index>(rows.size()));
      for (Eigen::Index i = first; i < d.group_start[g + 1]; i += k) rows.push_back(i);
    }
  }
  const auto m = static_cast<Eigen::Index>(rows.size());
  s.group_start.push_back(m);
  s.stratum_group_start.push_back(s.group_start.size() - 1);
  s.z.resize(m, d.z.cols());
  for (Eigen::Index j = 0; j < d.z.cols(); ++j)
    for (Eigen::Index r = 0; r < m; ++r) s.z(r, j) = d.z(rows[static_cast<std::size_t>(r)], j);
  s.time.resize(m);
  s.event.resize(m);
  s.weight.resize(m);
  for (Eigen::Index r = 0; r < m; ++r) {
    const Eigen::Index i = rows[static_cast<std::size_t>(r)];
    s.time[r] = d.time[i];
    s.event[r] = d.event[i];
    s.weight[r] = d.weight[i];
  }
  return s;
}

EfronEvaluator::EfronEvaluator(const CoxData& data) : d_(data) {
  const Eigen::Index n = d_.z.rows(), p = d_.z.cols();
  const std::size_t G = d_.group_start.size() - 1;
  eta_.resize(n);
  phi_.resize(n);
  phie_.resize(n);
  v_.resize(n);
  group_.resize(G);
  events_.assign(G, 0);
  wavg_.assign(G, 0.0);
  x_death_.setZero(p);
  for (std::size_t g = 0; g < G; ++g) {
    double wsum = 0;
    for (Eigen::Index i = d_.group_start[g]; i < d_.group_start[g + 1]; ++i) {
      if (d_.event[i] == 0.0) continue;
      ++events_[g];
      wsum += d_.weight[i];
      x_death_ += d_.weight[i] * d_.z.row(i).transpose();
    }
    if (events_[g] > 0) wavg_[g] = wsum / events_[g];
  }
  // Chunks of whole groups, walking each stratum from its last group back.
  Eigen::Index widest = 1;
  for (std::size_t s = d_.stratum_group_start.size() - 1; s-- > 0;) {
    const std::size_t g_first = d_.stratum_group_start[s];
    std::size_t g_end = d_.stratum_group_start[s + 1];
    bool last = true;
    while (g_end > g_first) {
      std::size_t g_begin = g_end - 1;
      while (g_begin > g_first && d_.group_start[g_end] - d_.group_start[g_begin - 1] <= kChunkRows) --g_begin;
      chunks_.push_back({g_begin, g_end, last});
      widest = std::max(widest, d_.group_start[g_end] - d_.group_start[g_begin]);
      last = false;
      g_end = g_begin;
    }
  }
  block_.resize(std::min(widest, kChunkRows), p);
}

void EfronEvaluator::evaluate(const Vector& beta, bool want_hessian, EfronTerms& out) {
  const Eigen::Index n = d_.z.rows(), p = d_.z.cols();
  const std::size_t n_strata = d_.stratum_group_start.size() - 1;
  out.gradient.setZero(p);
  if (want_hessian) out.hessian.setZero(p, p);

  // Step 1. Shift the linear predictor by its maximum so exp() cannot overflow; every ratio
  // below is invariant to the shift and the log terms add it back.
  eta_.noalias() = d_.z * beta;
  const double shift = n ? eta_.maxCoeff() : 0.0;
  phi_ = d_.weight.array() * (eta_.array() - shift).exp();
  phie_ = phi_.cwiseProduct(d_.event);

  // Step 2. Scalars only: risk-set and tie sums of phi give Efron's denominators.
  double loglik = x_death_.dot(beta);  // sum over events of w x . beta
  for (std::size_t s = 0; s < n_strata; ++s) {
    double risk_phi = 0;
    for (std::size_t g = d_.stratum_group_start[s + 1]; g-- > d_.stratum_group_start[s];) {
      const Eigen::Index r0 = d_.group_start[g], len = d_.group_start[g + 1] - r0;
      const int m = events_[g];
      double tie_phi = 0;
      if (len >= kSmallGroup) {
        risk_phi += phi_.segment(r0, len).sum();
        if (m > 0) tie_phi = phie_.segment(r0, len).sum();
      } else {
        for (Eigen::Index i = r0; i < r0 + len; ++i) {
          risk_phi += phi_[i];
          tie_phi += phie_[i];
        }
      }
      GroupTerms& t = group_[g];
      t = GroupTerms{0, 0, 0, 0, 0};
      if (m == 0) continue;
      double log_sum = 0;
      for (int l = 0; l < m; ++l) {
        const double f = static_cast<double>(l) / m;
        const double d = risk_phi - f * tie_phi;
        const double inv = 1.0 / d;
        log_sum += std::log(d);
        t.s1 += inv;
        t.s2 += f * inv;
        t.q0 += inv * inv;
        t.q1 += f * inv * inv;
        t.q2 += f * f * inv * inv;
      }
      loglik -= wavg_[g] * (log_sum + m * shift);
    }
  }
  out.loglik = loglik;
  if (!want_hessian) return;

  // Row weights of the second-moment term: row i is in the risk set of every event group at or
  // before its time (a forward cumulative sum), minus the tie fraction for its own group.
  for (std::size_t s = 0; s < n_strata; ++s) {
    double cum = 0;
    for (std::size_t g = d_.stratum_group_start[s]; g < d_.stratum_group_start[s + 1]; ++g) {
      cum += wavg_[g] * group_[g].s1;
      const double tie = wavg_[g] * group_[g].s2;
      for (Eigen::Index i = d_.group_start[g]; i < d_.group_start[g + 1]; ++i) {
        const double v = phi_[i] * (cum - (d_.event[i] != 0.0 ? tie : 0.0));
        v_[i] = std::sqrt(std::max(v, 0.0));  // >= 0 exactly; max() guards rounding
      }
    }
  }

  // Step 3. Reverse sweep in cache-sized chunks.
  Vector risk_x = Vector::Zero(p), tie_x(p);
  Matrix& H = out.hessian;
  out.gradient = x_death_;
  double* rx = risk_x.data();
  double* tx = tie_x.data();
  for (const Chunk& c : chunks_) {
    if (c.stratum_end) risk_x.setZero();
    const Eigen::Index c0 = d_.group_start[c.group_begin], c1 = d_.group_start[c.group_end];
    // - sum_i v_i z_i z_i^T over the chunk's rows (parts of at most kChunkRows: one huge tie
    //   group is a chunk of its own).
    for (Eigen::Index r0 = c0; r0 < c1; r0 += block_.rows()) {
      const Eigen::Index b = std::min(block_.rows(), c1 - r0);
      block_.topRows(b).noalias() = v_.segment(r0, b).asDiagonal() * d_.z.middleRows(r0, b);
      H.selfadjointView<Eigen::Lower>().rankUpdate(block_.topRows(b).transpose(), -1.0);
    }
    for (std::size_t g = c.group_end; g-- > c.group_begin;) {
      const Eigen::Index r0 = d_.group_start[g], len = d_.group_start[g + 1] - r0;
      const bool has_event = events_[g] > 0;
      if (len >= kSmallGroup) {
        const auto zg = d_.z.middleRows(r0, len);
        risk_x.noalias() += zg.transpose() * phi_.segment(r0, len);
        if (has_event) tie_x.noalias() = zg.transpose() * phie_.segment(r0, len);
      } else {
        tie_x.setZero();
        for (Eigen::Index i = r0; i < r0 + len; ++i) {
          const double* zi = d_.z.data() + i;  // z(i, j) = zi[j * n]
          const double ph = phi_[i], pe = phie_[i];
          for (Eigen::Index j = 0; j < p; ++j) {
            rx[j] += ph * zi[j * n];
            tx[j] += pe * zi[j * n];
          }
        }
      }
      if (!has_event) continue;
      const GroupTerms& t = group_[g];
      const double w = wavg_[g];
      for (Eigen::Index a = 0; a < p; ++a) out.gradient[a] -= w * (t.s1 * rx[a] - t.s2 * tx[a]);
      // sum_l wavg (r - f_l t)(r - f_l t)^T / d_l^2, lower triangle.
      const double c0w = w * t.q0, c1w = w * t.q1, c2w = w * t.q2;
      for (Eigen::Index b = 0; b < p; ++b) {
        double* hb = H.data() + b * p;  // column b
        for (Eigen::Index a = b; a < p; ++a) {
          hb[a] += c0w * rx[a] * rx[b] - c1w * (rx[a] * tx[b] + tx[a] * rx[b]) + c2w * tx[a] * tx[b];
        }
      }
    }
  }
  H.triangularView<Eigen::StrictlyUpper>() = H.transpose();
}

}  // namespace cxkit::churn::detail
