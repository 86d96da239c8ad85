// Cox predictions from a fitted model's numbers, shared by CoxPH (after fit) and CoxModel (read
// from a model file), so that a saved model predicts bit for bit what the fitted one does.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "cxkit/churn/arrays.hpp"

namespace cxkit::churn::detail {

/// Stratum k's cumulative baseline hazard at t, as numpy.interp (lifelines' choice): clamped
/// outside [t_0, t_last], else slope * (t - t_j) + H_j. Pre: xs sorted, non-empty, H.rows() == xs.size().
inline double interp_baseline(const Vector& xs, const Matrix& H, Eigen::Index k, double t) noexcept {
  const Eigen::Index m = xs.size();
  if (t <= xs[0]) return H(0, k);
  if (t >= xs[m - 1]) return H(m - 1, k);
  const Eigen::Index j = (std::upper_bound(xs.data(), xs.data() + m, t) - xs.data()) - 1;
  if (t == xs[j]) return H(j, k);
  const double slope = (H(j + 1, k) - H(j, k)) / (xs[j + 1] - xs[j]);
  return slope * (t - xs[j]) + H(j, k);
}

/// H(t | x_i) for every row i (partial hazard ph[i], stratum column col[i]) and every time:
/// each (stratum, time) is interpolated once, then scaled by each row's partial hazard.
inline Matrix cumulative_hazard(const Vector& ph, const std::vector<Eigen::Index>& col, const VectorRef& times,
                                const Vector& xs, const Matrix& H) {
  Matrix base(H.cols(), times.size());
  for (Eigen::Index k = 0; k < base.rows(); ++k) {
    for (Eigen::Index t = 0; t < times.size(); ++t) base(k, t) = interp_baseline(xs, H, k, times[t]);
  }
  Matrix out(ph.size(), times.size());
  for (Eigen::Index i = 0; i < ph.size(); ++i) out.row(i) = ph[i] * base.row(col[static_cast<std::size_t>(i)]);
  return out;
}

/// S(times[i] | x_i) for every row i: one time per row.
inline Vector survival_at(const Vector& ph, const std::vector<Eigen::Index>& col, const VectorRef& times,
                          const Vector& xs, const Matrix& H) {
  Vector out(ph.size());
  for (Eigen::Index i = 0; i < ph.size(); ++i) {
    out[i] = std::exp(-ph[i] * interp_baseline(xs, H, col[static_cast<std::size_t>(i)], times[i]));
  }
  return out;
}

}  // namespace cxkit::churn::detail
