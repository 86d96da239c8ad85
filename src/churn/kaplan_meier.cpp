#include "cxkit/churn/kaplan_meier.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "cxkit/churn/normal.hpp"
#include "cxkit/core/error.hpp"
#include "validate.hpp"

namespace cxkit::churn {

KaplanMeier::KaplanMeier(double alpha) : alpha_(alpha) {
  if (!(alpha > 0.0 && alpha < 1.0)) {
    throw InputError("KaplanMeier needs 0 < alpha < 1", {"KaplanMeier", -1, "alpha", detail::format_value(alpha)});
  }
}

KaplanMeier& KaplanMeier::fit(const VectorRef& durations, const VectorRef& events) {
  const Vector ones = Vector::Ones(durations.size());
  return fit(durations, events, ones);
}

KaplanMeier& KaplanMeier::fit(const VectorRef& durations, const VectorRef& events, const VectorRef& weights) {
  detail::check_same_length(durations.size(), events.size(), "durations", "events");
  detail::check_same_length(durations.size(), weights.size(), "durations", "weights");
  if (durations.size() == 0) throw InputError("KaplanMeier.fit needs at least one row");
  detail::check_finite(durations, "durations");
  for (Eigen::Index i = 0; i < durations.size(); ++i) {
    if (durations[i] < 0) {
      throw InputError("durations must be >= 0", {"durations", i, "", detail::format_value(durations[i]), "row"});
    }
  }
  detail::check_binary(events, "events");
  detail::check_positive(weights, "weights");

  const Eigen::Index n = durations.size();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return durations[a] < durations[b]; });

  // Distinct times, with time 0 always present (lifelines' birth time when no entry is given).
  std::vector<double> time, removed, observed;
  time.push_back(0.0);
  removed.push_back(0.0);
  observed.push_back(0.0);
  double total = 0;
  for (const Eigen::Index i : order) {
    if (durations[i] != time.back()) {
      time.push_back(durations[i]);
      removed.push_back(0.0);
      observed.push_back(0.0);
    }
    removed.back() += weights[i];
    observed.back() += events[i] * weights[i];
    total += weights[i];
  }

  const auto m = static_cast<Eigen::Index>(time.size());
  KaplanMeierTable t;
  t.time = Eigen::Map<const Vector>(time.data(), m);
  t.removed = Eigen::Map<const Vector>(removed.data(), m);
  t.observed = Eigen::Map<const Vector>(observed.data(), m);
  t.censored = t.removed - t.observed;
  t.entrance = Vector::Zero(m);
  t.entrance[0] = total;
  t.at_risk.resize(m);

  survival_.resize(m);
  greenwood_.resize(m);
  lower_.resize(m);
  upper_.resize(m);
  const double z = normal_quantile(1 - alpha_ / 2);
  double at_risk = total, log_s = 0, var = 0;
  for (Eigen::Index k = 0; k < m; ++k) {
    t.at_risk[k] = at_risk;
    const double d = t.observed[k];
    // log(n - d) - log(n) as lifelines sums it (n = d gives -inf: S drops to 0).
    log_s += std::log(std::max(at_risk - d, 0.0)) - std::log(at_risk);
    const double v = d / (at_risk * (at_risk - d));
    var += std::isinf(v) ? 0.0 : v;
    survival_[k] = std::exp(log_s);
    greenwood_[k] = var;
    const double lv = std::log(survival_[k]);
    double lo = std::exp(-std::exp(std::log(-lv) - z * std::sqrt(var) / lv));
    double hi = std::exp(-std::exp(std::log(-lv) + z * std::sqrt(var) / lv));
    lower_[k] = std::isnan(lo) ? 1.0 : lo;
    upper_[k] = std::isnan(hi) ? 1.0 : hi;
    at_risk -= t.removed[k];
  }
  table_ = std::move(t);
  fitted_ = true;
  return *this;
}

void KaplanMeier::require_fitted() const {
  if (!fitted_) throw Error("KaplanMeier: call fit() first");
}

const Vector& KaplanMeier::survival() const {
  require_fitted();
  return survival_;
}
const Vector& KaplanMeier::lower() const {
  require_fitted();
  return lower_;
}
const Vector& KaplanMeier::upper() const {
  require_fitted();
  return upper_;
}
const Vector& KaplanMeier::greenwood() const {
  require_fitted();
  return greenwood_;
}
const KaplanMeierTable& KaplanMeier::table() const {
  require_fitted();
  return table_;
}

double KaplanMeier::percentile(double q) const {
  require_fitted();
  if (!(q >= 0.0 && q <= 1.0)) throw InputError("percentile needs 0 <= q <= 1", {"percentile", -1, "q", detail::format_value(q)});
  for (Eigen::Index k = 0; k < survival_.size(); ++k) {
    if (survival_[k] <= q) return table_.time[k];
  }
  return std::numeric_limits<double>::infinity();
}

double KaplanMeier::median_survival_time() const { return percentile(0.5); }

double KaplanMeier::survival_at(double t) const {
  require_fitted();
  const double* b = table_.time.data();
  const double* e = b + table_.time.size();
  const auto it = std::upper_bound(b, e, t);  // first time > t
  if (it == b) return 1.0;
  return survival_[it - b - 1];
}

Vector KaplanMeier::survival_at(const VectorRef& times) const {
  Vector out(times.size());
  for (Eigen::Index i = 0; i < times.size(); ++i) out[i] = survival_at(times[i]);
  return out;
}

}  // namespace cxkit::churn
