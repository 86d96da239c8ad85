// Binary L2-penalised logistic regression with scikit-learn's conventions.
//
//   LogisticRegression model({.C = 1.0, .class_weight = ClassWeight::balanced()});
//   model.fit(X, y);                  // y: 0/1
//   Vector p = model.predict_proba(X_new);   // P(y = 1)
//
// Objective (scikit-learn's LogisticRegression, penalty "l2"):
//   minimise  C * sum_i w_i * logloss(y_i, x_i . coef + intercept) + 0.5 * ||coef||^2
// where the intercept is not penalised and w_i = sample weight * class weight. C = +infinity
// means no penalty. At the optimum the coefficients equal scikit-learn's (any of its exact
// solvers) to the tolerance both reach.
#pragma once

#include "cxkit/churn/arrays.hpp"

namespace cxkit::churn {

/// Per-class weights multiplying the sample weights (scikit-learn's class_weight).
struct ClassWeight {
  enum class Kind { none, balanced, given };
  Kind kind = Kind::none;
  double negative = 1.0;  ///< weight of class 0 (Kind::given)
  double positive = 1.0;  ///< weight of class 1 (Kind::given)

  static ClassWeight none() { return {}; }
  /// "balanced": class c gets sum(w) / (2 * sum of w over class c), w the sample weights
  /// (scikit-learn >= 1.6, which counts sample weights; without them: n / (2 n_c)).
  static ClassWeight balanced() { return {Kind::balanced, 1.0, 1.0}; }
  /// Explicit weights, as scikit-learn's class_weight={0: negative, 1: positive}.
  static ClassWeight given(double negative, double positive) { return {Kind::given, negative, positive}; }
};

enum class LogisticSolver {
  /// newton while n (p+1)^2 <= 2.5e8 (one Hessian in ~0.1 s: e.g. 100k x 50, 1M x 15),
  /// else lbfgs
  automatic,
  /// Newton-Raphson (IRLS) with an LDLT solve of the (p+1)^2 Hessian and Armijo backtracking;
  /// O(n p^2) per iteration, a handful of iterations, converges to the exact optimum
  newton,
  /// L-BFGS (10 pairs) with a strong-Wolfe line search; O(n p) per iteration. Like
  /// scikit-learn's lbfgs it stops at the gradient tolerance, so on ill-conditioned data its
  /// coefficients are only as exact as tol allows
  lbfgs,
};

struct LogisticOptions {
  double C = 1.0;                 ///< inverse penalty strength, > 0 (+infinity: no penalty)
  bool fit_intercept = true;
  ClassWeight class_weight = {};
  /// Converged when the largest gradient entry of the scaled objective
  /// (objective / (C * sum w), scikit-learn's lbfgs scaling) is <= tol.
  double tol = 1e-4;
  int max_iter = 100;             ///< Newton or L-BFGS iterations at most
  LogisticSolver solver = LogisticSolver::automatic;
};

class LogisticRegression {
 public:
  /// Throws InputError for C <= 0 or NaN, tol <= 0, max_iter < 1, class weights <= 0.
  explicit LogisticRegression(LogisticOptions options = {});

  /// Fit on X (n x p, column-major; see arrays.hpp) and y (n values, 0 or 1), optional
  /// sample weights (n, finite > 0).
  /// Throws InputError on NaN/inf in X, y or weights, labels other than 0/1, a single class,
  /// mismatched sizes, no rows, or a singular Hessian (only possible with C = +infinity).
  /// Not converging within max_iter is not an error: see converged().
  /// Complexity: newton O(n p^2 + p^3) per iteration, lbfgs O(n p) per evaluation; memory
  /// O(n + p^2) besides X (X is never copied).
  LogisticRegression& fit(const MatrixRef& X, const VectorRef& y);
  LogisticRegression& fit(const MatrixRef& X, const VectorRef& y, const VectorRef& sample_weight);

  const LogisticOptions& options() const noexcept { return options_; }
  bool fitted() const noexcept { return fitted_; }

  // ---- fitted model (each throws cxkit::Error before fit) ----
  const Vector& coef() const;
  double intercept() const;
  int n_iter() const;
  bool converged() const;
  /// Which solver ran (automatic resolved).
  LogisticSolver solver_used() const;
  /// The objective C * sum w_i logloss_i + 0.5 ||coef||^2 at the fitted coefficients.
  double objective() const;
  /// Class weights applied (1, 1 for ClassWeight::none).
  double class_weight_negative() const;
  double class_weight_positive() const;

  // ---- prediction (throws InputError on NaN/inf or a wrong column count) ----
  /// X . coef + intercept. O(n p).
  Vector decision_function(const MatrixRef& X) const;
  /// P(y = 1) = sigmoid(decision), computed without overflow. O(n p).
  Vector predict_proba(const MatrixRef& X) const;
  /// 1 where decision > 0, else 0 (scikit-learn's predict).
  Vector predict(const MatrixRef& X) const;

 private:
  void require_fitted() const;
  void check_predict_input(const MatrixRef& X) const;

  LogisticOptions options_;
  bool fitted_ = false;
  Vector coef_;
  double intercept_ = 0, objective_ = 0, cw_neg_ = 1, cw_pos_ = 1;
  int n_iter_ = 0;
  bool converged_ = false;
  LogisticSolver solver_used_ = LogisticSolver::newton;
};

}  // namespace cxkit::churn
