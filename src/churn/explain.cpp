#include "cxkit/churn/explain.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cxkit/core/error.hpp"
#include "validate.hpp"

namespace cxkit::churn {

Explanation explain_linear(const MatrixRef& X, const VectorRef& coef, const VectorRef& reference, int top) {
  const Eigen::Index n = X.rows(), p = X.cols();
  if (top < 1) throw InputError("explain_linear needs top >= 1", {"explain_linear", -1, "top", std::to_string(top)});
  detail::check_same_length(p, coef.size(), "X columns", "coef");
  detail::check_same_length(p, reference.size(), "X columns", "reference");
  detail::check_finite(X, "X");
  detail::check_finite(coef, "coef");
  detail::check_finite(reference, "reference");

  const Eigen::Index k = top;
  const Eigen::Index kept = std::min<Eigen::Index>(k, p);
  Explanation out;
  out.feature.setConstant(n, k, -1);
  out.contribution.setZero(n, k);
  std::vector<Eigen::Index> idx(static_cast<std::size_t>(p));
  std::vector<double> c(static_cast<std::size_t>(p));
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < p; ++j) {
      c[static_cast<std::size_t>(j)] = coef[j] * (X(i, j) - reference[j]);
      idx[static_cast<std::size_t>(j)] = j;
    }
    const auto larger = [&](Eigen::Index a, Eigen::Index b) {
      const double ca = std::fabs(c[static_cast<std::size_t>(a)]), cb = std::fabs(c[static_cast<std::size_t>(b)]);
      return ca != cb ? ca > cb : a < b;
    };
    std::partial_sort(idx.begin(), idx.begin() + kept, idx.end(), larger);
    for (Eigen::Index t = 0; t < kept; ++t) {
      const Eigen::Index j = idx[static_cast<std::size_t>(t)];
      out.feature(i, t) = j;
      out.contribution(i, t) = c[static_cast<std::size_t>(j)];
    }
  }
  return out;
}

}  // namespace cxkit::churn
