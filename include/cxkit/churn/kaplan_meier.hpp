// Kaplan-Meier survival curve with lifelines' conventions.
//
//   KaplanMeier km;
//   km.fit(durations, events);          // events: 1 = churned, 0 = still a customer (censored)
//   km.survival();                       // S(t) at km.timeline()
//   km.median_survival_time();
#pragma once

#include <cstdint>
#include <vector>

#include "cxkit/churn/arrays.hpp"

namespace cxkit::churn {

/// lifelines' event_table: one row per distinct time (plus time 0), in increasing time.
struct KaplanMeierTable {
  Vector time;      ///< 0 and every distinct duration, increasing
  Vector removed;   ///< (weighted) rows whose duration is this time
  Vector observed;  ///< ... of which had the event
  Vector censored;  ///< removed - observed
  Vector entrance;  ///< rows entering: everyone at time 0, no one after
  Vector at_risk;   ///< rows still under observation just before this time
};

/// The product-limit estimator S(t) = prod_{t_i <= t} (1 - d_i / n_i), with lifelines'
/// exponential-Greenwood ("log-log") confidence interval
///   S(t)^exp(+-z * sqrt(V) / log S(t)),   V = sum_{t_i <= t} d_i / (n_i (n_i - d_i)),
/// written as lifelines computes it: exp(-exp(log(-log S) -+ z sqrt(V) / log S)), NaN -> 1
/// (where S = 1), and terms with n_i = d_i contribute 0 to V. The median is the first time
/// with S(t) <= 0.5 (+infinity if S stays above). Equal to lifelines' KaplanMeierFitter
/// (survival_function_, confidence_interval_, median_survival_time_, event_table) on
/// unweighted and integer-weighted data. With fractional weights lifelines truncates n_i to an
/// integer in V; cxkit uses the exact weighted n_i.
class KaplanMeier {
 public:
  /// alpha: 1 - confidence level of the interval (0.05 -> 95%). Throws InputError unless 0 < alpha < 1.
  explicit KaplanMeier(double alpha = 0.05);

  /// Fit on durations (finite, >= 0) and events (0/1, 1 = event observed); optional
  /// weights (finite, > 0: a row with weight 3 counts as three identical rows).
  /// Throws InputError on NaN/inf, negative durations, events other than 0/1, bad weights,
  /// mismatched lengths or no rows. O(n log n).
  KaplanMeier& fit(const VectorRef& durations, const VectorRef& events);
  KaplanMeier& fit(const VectorRef& durations, const VectorRef& events, const VectorRef& weights);

  bool fitted() const noexcept { return fitted_; }
  double alpha() const noexcept { return alpha_; }

  /// Times at which the curve is given: 0 and each distinct duration (lifelines' timeline).
  const Vector& timeline() const { return table().time; }
  /// S(t) at timeline(); S(0) = 1 unless some durations are 0 with events.
  const Vector& survival() const;
  /// Lower and upper confidence bounds at timeline().
  const Vector& lower() const;
  const Vector& upper() const;
  /// Cumulative Greenwood variance term V(t) at timeline() (on the log scale).
  const Vector& greenwood() const;
  /// The at-risk table.
  const KaplanMeierTable& table() const;

  /// Median survival time: first timeline time with S(t) <= 0.5, or +infinity.
  double median_survival_time() const;
  /// First timeline time with S(t) <= q (lifelines' qth_survival_time), or +infinity.
  /// Pre: 0 <= q <= 1.
  double percentile(double q) const;

  /// S at arbitrary times (a right-continuous step function; 1 before time 0). O(log m) each.
  double survival_at(double t) const;
  Vector survival_at(const VectorRef& times) const;

 private:
  void require_fitted() const;

  double alpha_;
  bool fitted_ = false;
  KaplanMeierTable table_;
  Vector survival_, lower_, upper_, greenwood_;
};

}  // namespace cxkit::churn
