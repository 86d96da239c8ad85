// Harrell's concordance on data already sorted by time: the O(n log n) core shared by
// metrics::concordance_counts (which sorts first) and CoxPH (whose data is sorted).
#pragma once

#include <cstddef>

#include "cxkit/churn/metrics.hpp"

namespace cxkit::churn::detail {

/// Counts of lifelines' concordance over n rows sorted by time increasing and, at equal
/// times, events (event != 0) before censored rows. Scores must not be NaN. O(n log n): one
/// sort by score to rank event scores, then one sweep with a Fenwick tree over those ranks.
metrics::ConcordanceCounts concordance_sorted(const double* time, const double* score, const double* event,
                                              std::size_t n);

}  // namespace cxkit::churn::detail
