// Evaluation metrics for churn models, with scikit-learn's and lifelines' definitions.
//
// Labels are 0/1 doubles (1 = churned / the positive class); scores are any finite doubles
// (higher = more likely positive), probabilities lie in [0, 1]. Every function validates its
// input and throws cxkit::InputError naming the argument, the row and the value for NaN or
// infinity, labels other than 0/1, probabilities outside [0, 1], non-positive weights and
// mismatched lengths. Results equal scikit-learn 1.9 / lifelines 0.30 to rounding (see
// docs/churn_models.md for each convention).
#pragma once

#include <cstdint>
#include <vector>

#include "cxkit/churn/arrays.hpp"

namespace cxkit::churn::metrics {

/// Area under the ROC curve, scikit-learn's roc_auc_score for binary labels: the trapezoidal
/// area over distinct score thresholds, so tied scores count one half (the Mann-Whitney U
/// statistic / (positives * negatives)). Weighted form: weights multiply each row's count.
/// Throws InputError if only one class is present. O(n log n).
double roc_auc_score(const VectorRef& y_true, const VectorRef& y_score);
double roc_auc_score(const VectorRef& y_true, const VectorRef& y_score, const VectorRef& sample_weight);

/// Average precision, scikit-learn's step definition: sum over distinct thresholds (from the
/// highest score down) of (R_k - R_{k-1}) * P_k, with tied scores entering together.
/// Throws InputError if there is no positive. O(n log n).
double average_precision_score(const VectorRef& y_true, const VectorRef& y_score);
double average_precision_score(const VectorRef& y_true, const VectorRef& y_score,
                               const VectorRef& sample_weight);

/// Brier score: (weighted) mean of (y - p)^2; scikit-learn's brier_score_loss for binary
/// labels. O(n).
double brier_score(const VectorRef& y_true, const VectorRef& y_prob);
double brier_score(const VectorRef& y_true, const VectorRef& y_prob, const VectorRef& sample_weight);

/// Log loss (natural log), scikit-learn's log_loss for binary labels: probabilities are
/// clipped to [eps, 1 - eps] with eps = DBL_EPSILON (2.22e-16), as scikit-learn does for
/// float64 input since 1.5; (weighted) mean. O(n).
double log_loss(const VectorRef& y_true, const VectorRef& y_prob);
double log_loss(const VectorRef& y_true, const VectorRef& y_prob, const VectorRef& sample_weight);

/// How calibration bins are placed.
enum class BinStrategy {
  uniform,   ///< n equal-width bins on [0, 1]
  quantile,  ///< edges at the 0, 1/n, ..., 1 quantiles of y_prob (NumPy's "linear" percentile)
};

/// One bin of a calibration (reliability) table.
struct CalibrationBin {
  double lower = 0;           ///< bin edge; a probability p falls in the bin with lower < p <= upper
  double upper = 0;           ///< (the first bin also takes p == lower)
  std::int64_t count = 0;     ///< rows in the bin
  double mean_predicted = 0;  ///< mean of y_prob in the bin (NaN if empty)
  double observed_rate = 0;   ///< fraction of positives in the bin (NaN if empty)
};

/// Calibration table with n_bins bins. The non-empty bins' (observed_rate, mean_predicted)
/// equal scikit-learn's calibration_curve(y_true, y_prob, n_bins=, strategy=) (prob_true,
/// prob_pred), with the same bin assignment (searchsorted over the inner edges). Empty bins are
/// kept (count 0) so tables of different models line up. Quantile edges may repeat; such bins
/// are empty. Pre: n_bins >= 1, y_prob in [0, 1]. O(n log n) for quantile, O(n log n_bins)
/// for uniform.
std::vector<CalibrationBin> calibration_table(const VectorRef& y_true, const VectorRef& y_prob,
                                              int n_bins = 10,
                                              BinStrategy strategy = BinStrategy::uniform);

/// Pair counts behind Harrell's concordance index.
struct ConcordanceCounts {
  std::int64_t correct = 0;  ///< comparable pairs ordered correctly
  std::int64_t tied = 0;     ///< comparable pairs with equal scores (each counts 1/2)
  std::int64_t pairs = 0;    ///< comparable pairs
  /// (correct + tied / 2) / pairs; throws InputError when there is no comparable pair.
  double index() const;
  /// Sum of counts (for strata, or partitions computed apart: the index is the same).
  ConcordanceCounts& merge(const ConcordanceCounts& other) noexcept;
};

/// Harrell's C with lifelines' argument order and convention
/// (lifelines.utils.concordance_index(event_times, predicted_scores, event_observed)): a higher
/// score predicts a LONGER survival (pass -risk or -partial hazard for risk scores). A pair is
/// comparable when the shorter time is an observed event and the times differ, or when the
/// times tie and exactly one of the two is an event (the censored one is taken as the longer).
/// Tied scores count 1/2. events: 0/1 (1 = event observed). O(n log n): sort by time, then a
/// Fenwick tree over the ranks of event rows' scores.
/// Throws InputError for bad input and when no pair is comparable (lifelines' ZeroDivisionError).
double concordance_index(const VectorRef& durations, const VectorRef& scores, const VectorRef& events);
/// Every row an observed event.
double concordance_index(const VectorRef& durations, const VectorRef& scores);
/// The counts themselves (an all-censored input gives zero pairs, no throw).
ConcordanceCounts concordance_counts(const VectorRef& durations, const VectorRef& scores,
                                     const VectorRef& events);

/// Lift and capture of the k highest-scoring rows.
struct LiftAtK {
  std::int64_t k = 0;
  double positives_in_top = 0;  ///< positives among the top k
  double precision = 0;         ///< positives_in_top / k
  double base_rate = 0;         ///< positives / n
  double lift = 0;              ///< precision / base_rate
  double capture = 0;           ///< positives_in_top / positives (recall at k)
};

/// Lift and capture at the top k rows by score. Rows tied on score at the cut are taken in
/// input order (stable), so the result is deterministic. Pre: 1 <= k <= n; at least one
/// positive, else InputError. O(n log n).
LiftAtK lift_at_k(const VectorRef& y_true, const VectorRef& y_score, std::int64_t k);

}  // namespace cxkit::churn::metrics
