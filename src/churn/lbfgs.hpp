// Limited-memory BFGS with a strong-Wolfe line search (Nocedal & Wright, algorithms 7.4, 3.5
// and 3.6), for smooth unconstrained minimisation. Internal to the churn models.
#pragma once

#include <functional>

#include "cxkit/churn/arrays.hpp"

namespace cxkit::churn::detail {

struct LbfgsOptions {
  int history = 10;         ///< correction pairs kept
  int max_iter = 100;       ///< iterations (line searches) at most
  double gtol = 1e-4;       ///< converged when max |gradient| <= gtol
  int max_linesearch = 40;  ///< function evaluations per line search at most
};

struct LbfgsResult {
  double f = 0;
  int n_iter = 0;
  int n_eval = 0;
  bool converged = false;
};

/// f(x) returned, gradient written into grad (already sized).
using Objective = std::function<double(const Vector& x, Vector& grad)>;

/// Minimises fg from x (updated in place). Stops converged when max|g| <= gtol; stops not
/// converged after max_iter iterations or when a line search finds no acceptable step.
LbfgsResult minimize_lbfgs(const Objective& fg, Vector& x, const LbfgsOptions& options);

}  // namespace cxkit::churn::detail
