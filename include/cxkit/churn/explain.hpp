// Per-account drivers of a linear risk score: which features push each account's score up or
// down the most, relative to a reference account. Works for LogisticRegression (score =
// decision_function, contributions in log-odds) and CoxPH (score = log partial hazard,
// contributions in log hazard ratio). Turning a feature index and contribution into words
// ("logins down 45% over 30 days") needs the feature's name and unit and is the feature
// layer's job; this gives it the numbers.
#pragma once

#include <cstdint>

#include "cxkit/churn/arrays.hpp"

namespace cxkit::churn {

/// The top contributions of each row, largest |contribution| first.
struct Explanation {
  /// n x top feature (column) indices; -1 pads rows when top > number of features.
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> feature;
  /// n x top contributions coef_j * (x_ij - reference_j); 0 in padded cells.
  Matrix contribution;
};

/// For each row of X, the `top` features with the largest |coef_j * (x_ij - reference_j)|;
/// ties broken by the lower feature index, so the result is deterministic. The contributions
/// of all features sum to score(x) - score(reference). Typical reference: the training means
/// (CoxPH::means(), where the Cox score is 0), or a "healthy" account.
/// Throws InputError for top < 1, NaN/inf, or coef/reference lengths that differ from X's
/// columns. O(n p log top).
Explanation explain_linear(const MatrixRef& X, const VectorRef& coef, const VectorRef& reference, int top = 3);

}  // namespace cxkit::churn
