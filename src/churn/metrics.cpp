#include "cxkit/churn/metrics.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "cxkit/core/error.hpp"
#include "concordance.hpp"
#include "validate.hpp"

namespace cxkit::churn::metrics {

namespace {

using detail::check_binary;
using detail::check_finite;
using detail::check_positive;
using detail::check_probability;
using detail::check_same_length;

void check_labels_scores(const VectorRef& y, const VectorRef& s, const char* score_name) {
  check_same_length(y.size(), s.size(), "y_true", score_name);
  if (y.size() == 0) throw InputError("metrics need at least one row");
  check_binary(y, "y_true");
}

void check_weights(const VectorRef& y, const VectorRef& w) {
  check_same_length(y.size(), w.size(), "y_true", "sample_weight");
  check_positive(w, "sample_weight");
}

/// Row order by score, highest first; ties keep input order (so results never depend on
/// the sort's tie handling: all our sums are over whole tie groups anyway).
std::vector<Eigen::Index> order_by_score_desc(const VectorRef& s) {
  std::vector<Eigen::Index> idx(static_cast<std::size_t>(s.size()));
  std::iota(idx.begin(), idx.end(), Eigen::Index{0});
  std::stable_sort(idx.begin(), idx.end(), [&](Eigen::Index a, Eigen::Index b) { return s[a] > s[b]; });
  return idx;
}

/// Weighted true/false positive counts at each distinct threshold (scikit-learn's
/// _binary_clf_curve), calling visit(tp, fp) after each tie group, highest score first.
/// Rows are copied into one array with their label and weight so the sort and the walk read
/// memory in order; order inside a tie group is irrelevant (only group totals are visited).
template <class Visit>
void walk_thresholds(const VectorRef& y, const VectorRef& s, const double* w, Visit visit) {
  struct Row {
    double score, positive, weight;
  };
  const auto n = static_cast<std::size_t>(s.size());
  std::vector<Row> rows(n);
  for (std::size_t k = 0; k < n; ++k) {
    const auto i = static_cast<Eigen::Index>(k);
    rows[k] = {s[i], y[i], w ? w[i] : 1.0};
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.score > b.score; });
  double tp = 0, fp = 0;
  for (std::size_t k = 0; k < n;) {
    const double score = rows[k].score;
    for (; k < n && rows[k].score == score; ++k) {
      if (rows[k].positive == 1.0) {
        tp += rows[k].weight;
      } else {
        fp += rows[k].weight;
      }
    }
    visit(tp, fp);
  }
}

double auc_impl(const VectorRef& y, const VectorRef& s, const double* w) {
  check_finite(s, "y_score");
  double prev_tp = 0, prev_fp = 0, area = 0;
  walk_thresholds(y, s, w, [&](double tp, double fp) {
    area += (fp - prev_fp) * (tp + prev_tp) / 2;
    prev_tp = tp;
    prev_fp = fp;
  });
  if (prev_tp == 0 || prev_fp == 0) {
    throw InputError("roc_auc_score needs both classes in y_true (ROC AUC is undefined otherwise)");
  }
  return area / (prev_tp * prev_fp);
}

double ap_impl(const VectorRef& y, const VectorRef& s, const double* w) {
  check_finite(s, "y_score");
  double positives = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) positives += y[i] == 1.0 ? (w ? w[i] : 1.0) : 0.0;
  if (positives == 0) throw InputError("average_precision_score needs at least one positive in y_true");
  double prev_recall = 0, ap = 0;
  walk_thresholds(y, s, w, [&](double tp, double fp) {
    const double recall = tp / positives;
    ap += (recall - prev_recall) * (tp / (tp + fp));
    prev_recall = recall;
  });
  return ap;
}

double brier_impl(const VectorRef& y, const VectorRef& p, const double* w) {
  check_probability(p, "y_prob");
  double sum = 0, wsum = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double wi = w ? w[i] : 1.0;
    const double d = y[i] - p[i];
    sum += wi * d * d;
    wsum += wi;
  }
  return sum / wsum;
}

double log_loss_impl(const VectorRef& y, const VectorRef& p, const double* w) {
  check_probability(p, "y_prob");
  constexpr double eps = DBL_EPSILON;
  double sum = 0, wsum = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double wi = w ? w[i] : 1.0;
    // scikit-learn clips each column of [1 - p, p] separately, so clip 1 - p, not p.
    const double q = y[i] == 1.0 ? std::clamp(p[i], eps, 1 - eps) : std::clamp(1.0 - p[i], eps, 1 - eps);
    sum += -wi * std::log(q);
    wsum += wi;
  }
  return sum / wsum;
}

/// NumPy's percentile(a, 100 * q) with method="linear" on sorted data, replicating its
/// arithmetic (index (n-1)*q, and the two-sided lerp) so bin edges agree to the last bit.
double numpy_percentile_sorted(const std::vector<double>& a, double q) {
  const double n = static_cast<double>(a.size());
  const double vi = (n - 1) * q;
  if (vi >= n - 1) return a.back();
  if (vi < 0) return a.front();
  const double prev = std::floor(vi);
  const auto lo = static_cast<std::size_t>(prev);
  const double gamma = vi - prev;
  const double x0 = a[lo], x1 = a[lo + 1];
  const double diff = x1 - x0;
  return gamma >= 0.5 ? x1 - diff * (1 - gamma) : x0 + diff * gamma;
}

}  // namespace

double roc_auc_score(const VectorRef& y_true, const VectorRef& y_score) {
  check_labels_scores(y_true, y_score, "y_score");
  return auc_impl(y_true, y_score, nullptr);
}

double roc_auc_score(const VectorRef& y_true, const VectorRef& y_score, const VectorRef& sample_weight) {
  check_labels_scores(y_true, y_score, "y_score");
  check_weights(y_true, sample_weight);
  return auc_impl(y_true, y_score, sample_weight.data());
}

double average_precision_score(const VectorRef& y_true, const VectorRef& y_score) {
  check_labels_scores(y_true, y_score, "y_score");
  return ap_impl(y_true, y_score, nullptr);
}

double average_precision_score(const VectorRef& y_true, const VectorRef& y_score,
                               const VectorRef& sample_weight) {
  check_labels_scores(y_true, y_score, "y_score");
  check_weights(y_true, sample_weight);
  return ap_impl(y_true, y_score, sample_weight.data());
}

double brier_score(const VectorRef& y_true, const VectorRef& y_prob) {
  check_labels_scores(y_true, y_prob, "y_prob");
  return brier_impl(y_true, y_prob, nullptr);
}

double brier_score(const VectorRef& y_true, const VectorRef& y_prob, const VectorRef& sample_weight) {
  check_labels_scores(y_true, y_prob, "y_prob");
  check_weights(y_true, sample_weight);
  return brier_impl(y_true, y_prob, sample_weight.data());
}

double log_loss(const VectorRef& y_true, const VectorRef& y_prob) {
  check_labels_scores(y_true, y_prob, "y_prob");
  return log_loss_impl(y_true, y_prob, nullptr);
}

double log_loss(const VectorRef& y_true, const VectorRef& y_prob, const VectorRef& sample_weight) {
  check_labels_scores(y_true, y_prob, "y_prob");
  check_weights(y_true, sample_weight);
  return log_loss_impl(y_true, y_prob, sample_weight.data());
}

std::vector<CalibrationBin> calibration_table(const VectorRef& y_true, const VectorRef& y_prob, int n_bins,
                                              BinStrategy strategy) {
  check_labels_scores(y_true, y_prob, "y_prob");
  check_probability(y_prob, "y_prob");
  if (n_bins < 1) throw InputError("calibration_table needs n_bins >= 1", {"calibration_table", -1, "n_bins", std::to_string(n_bins)});

  // Edges as NumPy builds them: linspace(0, 1, n+1) is k * (1/n) with the last forced to 1.
  const double step = 1.0 / n_bins;
  std::vector<double> edges(static_cast<std::size_t>(n_bins) + 1);
  if (strategy == BinStrategy::uniform) {
    for (int k = 0; k <= n_bins; ++k) edges[k] = k == n_bins ? 1.0 : k * step;
  } else {
    std::vector<double> sorted(y_prob.data(), y_prob.data() + y_prob.size());
    std::sort(sorted.begin(), sorted.end());
    for (int k = 0; k <= n_bins; ++k) {
      const double q = k == n_bins ? 1.0 : k * step;
      edges[k] = numpy_percentile_sorted(sorted, q * 100.0 / 100.0);
    }
  }

  std::vector<CalibrationBin> bins(static_cast<std::size_t>(n_bins));
  std::vector<double> sum_pred(bins.size(), 0.0), sum_true(bins.size(), 0.0);
  const auto inner_begin = edges.begin() + 1;
  const auto inner_end = edges.end() - 1;
  for (Eigen::Index i = 0; i < y_prob.size(); ++i) {
    // np.searchsorted(inner_edges, p, side="left"): the number of inner edges < p.
    const auto b = static_cast<std::size_t>(std::lower_bound(inner_begin, inner_end, y_prob[i]) - inner_begin);
    ++bins[b].count;
    sum_pred[b] += y_prob[i];
    sum_true[b] += y_true[i];
  }
  for (std::size_t b = 0; b < bins.size(); ++b) {
    bins[b].lower = edges[b];
    bins[b].upper = edges[b + 1];
    const double c = static_cast<double>(bins[b].count);
    bins[b].mean_predicted = bins[b].count ? sum_pred[b] / c : std::numeric_limits<double>::quiet_NaN();
    bins[b].observed_rate = bins[b].count ? sum_true[b] / c : std::numeric_limits<double>::quiet_NaN();
  }
  return bins;
}

double ConcordanceCounts::index() const {
  if (pairs == 0) throw InputError("concordance index: no comparable pairs (need an observed event before another time)");
  return (static_cast<double>(correct) + static_cast<double>(tied) / 2) / static_cast<double>(pairs);
}

ConcordanceCounts& ConcordanceCounts::merge(const ConcordanceCounts& other) noexcept {
  correct += other.correct;
  tied += other.tied;
  pairs += other.pairs;
  return *this;
}

ConcordanceCounts concordance_counts(const VectorRef& durations, const VectorRef& scores, const VectorRef& events) {
  check_same_length(durations.size(), scores.size(), "durations", "scores");
  check_same_length(durations.size(), events.size(), "durations", "events");
  check_finite(durations, "durations");
  // lifelines rejects NaN only; an infinite score still orders, so allow it.
  for (Eigen::Index i = 0; i < scores.size(); ++i) {
    if (std::isnan(scores[i])) {
      throw InputError("scores: values must not be NaN", {"scores", i, "", "nan", "row"});
    }
  }
  check_binary(events, "events");

  const auto n = static_cast<std::size_t>(durations.size());
  if (n >= (std::size_t{1} << 32)) throw InputError("concordance_counts supports fewer than 2^32 rows");
  // Sort by time, events before censored rows at equal times (the order the sweep needs),
  // with the event flag in the key so the comparison touches only the sorted array.
  struct Keyed {
    double time;
    std::uint32_t censored;
    std::uint32_t row;
  };
  std::vector<Keyed> by(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    by[i] = {durations[r], events[r] == 1.0 ? 0u : 1u, static_cast<std::uint32_t>(i)};
  }
  std::sort(by.begin(), by.end(), [](const Keyed& a, const Keyed& b) {
    return a.time != b.time ? a.time < b.time : a.censored < b.censored;
  });
  std::vector<double> t(n), s(n), e(n);
  for (std::size_t k = 0; k < n; ++k) {
    t[k] = by[k].time;
    s[k] = scores[by[k].row];
    e[k] = by[k].censored ? 0.0 : 1.0;
  }
  return detail::concordance_sorted(t.data(), s.data(), e.data(), n);
}

double concordance_index(const VectorRef& durations, const VectorRef& scores, const VectorRef& events) {
  return concordance_counts(durations, scores, events).index();
}

double concordance_index(const VectorRef& durations, const VectorRef& scores) {
  const Vector all = Vector::Ones(durations.size());
  return concordance_index(durations, scores, all);
}

LiftAtK lift_at_k(const VectorRef& y_true, const VectorRef& y_score, std::int64_t k) {
  check_labels_scores(y_true, y_score, "y_score");
  check_finite(y_score, "y_score");
  const auto n = static_cast<std::int64_t>(y_true.size());
  if (k < 1 || k > n) throw InputError("lift_at_k needs 1 <= k <= n", {"lift_at_k", -1, "k", std::to_string(k)});
  const double positives = y_true.sum();
  if (positives == 0) throw InputError("lift_at_k needs at least one positive in y_true");
  const auto idx = order_by_score_desc(y_score);
  LiftAtK out;
  out.k = k;
  for (std::int64_t j = 0; j < k; ++j) out.positives_in_top += y_true[idx[static_cast<std::size_t>(j)]];
  out.precision = out.positives_in_top / static_cast<double>(k);
  out.base_rate = positives / static_cast<double>(n);
  out.lift = out.precision / out.base_rate;
  out.capture = out.positives_in_top / positives;
  return out;
}

}  // namespace cxkit::churn::metrics
