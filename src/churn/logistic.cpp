#include "cxkit/churn/logistic.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <Eigen/Cholesky>

#include "cxkit/core/error.hpp"
#include "lbfgs.hpp"
#include "validate.hpp"

namespace cxkit::churn {

namespace {

// automatic: Newton while one Hessian, n (p+1)^2 multiply-adds, costs under ~0.1 s; beyond
// that (wide data, or tall data with many features) L-BFGS's O(n p) iterations win.
constexpr double kNewtonBudget = 2.5e8;

/// sigmoid(z) without overflow.
inline double sigmoid(double z) noexcept {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

/// The objective scaled by 1 / (C * sum w) - scikit-learn's lbfgs scaling, which keeps
/// its size independent of n so that tol means the same for any data size:
///   F(theta) = sum_i u_i * logloss_i + alpha / 2 * ||coef||^2,  u = w / sum w, alpha = 1 / (C sum w)
/// theta = (coef, intercept) when fitting the intercept, else coef.
class LogisticLoss {
 public:
  LogisticLoss(const MatrixRef& X, const VectorRef& y, const Vector& u, double alpha, bool intercept)
      : X_(X), y_(y), u_(u), alpha_(alpha), intercept_(intercept), z_(X.rows()), r_(X.rows()), d_(X.rows()) {}

  Eigen::Index dim() const { return X_.cols() + (intercept_ ? 1 : 0); }

  /// F and its gradient at theta; remembers the Hessian weights for hessian().
  double value_grad(const Vector& theta, Vector& grad) {
    const Eigen::Index p = X_.cols();
    const auto coef = theta.head(p);
    // (Eigen's GEMV dereferences the data of a 0-column matrix: no features, no product.)
    if (p > 0) {
      z_.noalias() = X_ * coef;
    } else {
      z_.setZero();
    }
    if (intercept_) z_.array() += theta[p];
    double loss = 0;
    for (Eigen::Index i = 0; i < z_.size(); ++i) {
      const double z = z_[i];
      const double e = std::exp(-std::fabs(z));  // in (0, 1]: no overflow for any z
      loss += u_[i] * (std::log1p(e) + std::max(z, 0.0) - y_[i] * z);
      const double s = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
      r_[i] = u_[i] * (s - y_[i]);
      d_[i] = u_[i] * e / ((1.0 + e) * (1.0 + e));  // u * s * (1 - s)
    }
    grad.resize(dim());
    if (p > 0) {
      grad.head(p).noalias() = X_.transpose() * r_;
      grad.head(p) += alpha_ * coef;
    }
    if (intercept_) grad[p] = r_.sum();
    return loss + 0.5 * alpha_ * coef.squaredNorm();
  }

  /// Hessian at the point of the last value_grad: [X^T D X + alpha I, X^T d; d^T X, sum d].
  void hessian(Matrix& H) const {
    const Eigen::Index n = X_.rows(), p = X_.cols();
    H.setZero(dim(), dim());
    if (p == 0) {
      if (intercept_) H(0, 0) = d_.sum();
      return;
    }
    // Row blocks of about 2 MB: the scaled copy stays in cache for the rank update.
    const Eigen::Index block = std::clamp<Eigen::Index>(262144 / std::max<Eigen::Index>(p, 1), 256, 8192);
    Matrix scaled(std::min(block, n), p);
    auto Hcc = H.topLeftCorner(p, p);
    for (Eigen::Index r0 = 0; r0 < n; r0 += block) {
      const Eigen::Index b = std::min(block, n - r0);
      scaled.topRows(b) = d_.segment(r0, b).cwiseSqrt().asDiagonal() * X_.middleRows(r0, b);
      Hcc.selfadjointView<Eigen::Lower>().rankUpdate(scaled.topRows(b).transpose());
    }
    Hcc.diagonal().array() += alpha_;
    Hcc.triangularView<Eigen::StrictlyUpper>() = Hcc.transpose();
    if (intercept_) {
      const Vector xd = X_.transpose() * d_;
      H.col(p).head(p) = xd;
      H.row(p).head(p) = xd.transpose();
      H(p, p) = d_.sum();
    }
  }

 private:
  const MatrixRef& X_;
  const VectorRef& y_;
  const Vector& u_;
  double alpha_;
  bool intercept_;
  Vector z_, r_, d_;
};

struct SolveResult {
  Vector theta;
  int n_iter = 0;
  bool converged = false;
  double value = 0;
};

SolveResult solve_newton(LogisticLoss& loss, const LogisticOptions& opt) {
  SolveResult res;
  res.theta = Vector::Zero(loss.dim());
  Vector g, g_new, trial;
  Matrix H;
  Eigen::LDLT<Matrix> ldlt;
  double f = loss.value_grad(res.theta, g);
  while (true) {
    if (g.size() == 0 || g.cwiseAbs().maxCoeff() <= opt.tol) {
      res.converged = true;
      break;
    }
    if (res.n_iter >= opt.max_iter) break;
    ++res.n_iter;
    // value_grad was last called at theta (trial evaluations end on the accepted one).
    loss.hessian(H);
    ldlt.compute(H);
    if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().minCoeff() > 0.0)) {
      throw InputError(
          "LogisticRegression: the Hessian is singular - the classes are separable or features "
          "collinear; use a finite C");
    }
    const Vector delta = -ldlt.solve(g);
    const double slope = g.dot(delta);
    // Backtracking (Armijo); a change at rounding level counts as no increase.
    const double slack = 8 * std::numeric_limits<double>::epsilon() * std::fabs(f);
    bool accepted = false;
    double t = 1.0;
    for (int h = 0; h < 50; ++h, t /= 2) {
      trial = res.theta + t * delta;
      const double f_new = loss.value_grad(trial, g_new);
      if (std::isfinite(f_new) && (f_new <= f + 1e-4 * t * slope || f_new <= f + slack)) {
        res.theta.swap(trial);
        g.swap(g_new);
        f = f_new;
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      loss.value_grad(res.theta, g);  // restore the state at theta
      break;
    }
  }
  res.value = f;
  return res;
}

SolveResult solve_lbfgs(LogisticLoss& loss, const LogisticOptions& opt) {
  SolveResult res;
  res.theta = Vector::Zero(loss.dim());
  detail::LbfgsOptions lo;
  lo.gtol = opt.tol;
  lo.max_iter = opt.max_iter;
  const auto r = detail::minimize_lbfgs([&](const Vector& x, Vector& g) { return loss.value_grad(x, g); },
                                        res.theta, lo);
  res.n_iter = r.n_iter;
  res.converged = r.converged;
  res.value = r.f;
  return res;
}

}  // namespace

LogisticRegression::LogisticRegression(LogisticOptions options) : options_(options) {
  auto bad = [](const char* what, const char* field, double v) {
    throw InputError(what, {"LogisticOptions", -1, field, detail::format_value(v)});
  };
  if (!(options_.C > 0.0)) bad("C must be > 0", "C", options_.C);
  if (!(options_.tol > 0.0)) bad("tol must be > 0", "tol", options_.tol);
  if (options_.max_iter < 1) bad("max_iter must be >= 1", "max_iter", options_.max_iter);
  const auto& cw = options_.class_weight;
  if (cw.kind == ClassWeight::Kind::given) {
    if (!(cw.negative > 0.0 && std::isfinite(cw.negative))) bad("class weights must be finite and > 0", "class_weight", cw.negative);
    if (!(cw.positive > 0.0 && std::isfinite(cw.positive))) bad("class weights must be finite and > 0", "class_weight", cw.positive);
  }
}

LogisticRegression& LogisticRegression::fit(const MatrixRef& X, const VectorRef& y) {
  const Vector ones = Vector::Ones(X.rows());
  return fit(X, y, ones);
}

LogisticRegression& LogisticRegression::fit(const MatrixRef& X, const VectorRef& y, const VectorRef& sample_weight) {
  const Eigen::Index n = X.rows(), p = X.cols();
  detail::check_same_length(n, y.size(), "X rows", "y");
  detail::check_same_length(n, sample_weight.size(), "X rows", "sample_weight");
  if (n == 0) throw InputError("LogisticRegression.fit needs at least one row");
  detail::check_finite(X, "X");
  detail::check_binary(y, "y");
  detail::check_positive(sample_weight, "sample_weight");
  double sw0 = 0, sw1 = 0;
  for (Eigen::Index i = 0; i < n; ++i) (y[i] == 1.0 ? sw1 : sw0) += sample_weight[i];
  if (sw0 == 0 || sw1 == 0) {
    throw InputError("LogisticRegression.fit needs both classes in y; only class " + std::string(sw1 == 0 ? "0" : "1") +
                     " is present");
  }

  double cw0 = 1, cw1 = 1;
  switch (options_.class_weight.kind) {
    case ClassWeight::Kind::none:
      break;
    case ClassWeight::Kind::balanced:
      cw0 = (sw0 + sw1) / (2 * sw0);
      cw1 = (sw0 + sw1) / (2 * sw1);
      break;
    case ClassWeight::Kind::given:
      cw0 = options_.class_weight.negative;
      cw1 = options_.class_weight.positive;
      break;
  }
  Vector u(n);
  for (Eigen::Index i = 0; i < n; ++i) u[i] = sample_weight[i] * (y[i] == 1.0 ? cw1 : cw0);
  const double sw = u.sum();
  u /= sw;
  const double alpha = std::isinf(options_.C) ? 0.0 : 1.0 / (options_.C * sw);

  LogisticLoss loss(X, y, u, alpha, options_.fit_intercept);
  LogisticSolver solver = options_.solver;
  if (solver == LogisticSolver::automatic) {
    const double cost = static_cast<double>(n) * static_cast<double>(p + 1) * static_cast<double>(p + 1);
    solver = cost <= kNewtonBudget ? LogisticSolver::newton : LogisticSolver::lbfgs;
  }
  const SolveResult r = solver == LogisticSolver::newton ? solve_newton(loss, options_) : solve_lbfgs(loss, options_);

  coef_ = r.theta.head(p);
  intercept_ = options_.fit_intercept ? r.theta[p] : 0.0;
  n_iter_ = r.n_iter;
  converged_ = r.converged;
  solver_used_ = solver;
  // Back to scikit-learn's unscaled form: C * sum w l + 0.5 ||coef||^2 (sum w l without penalty).
  objective_ = std::isinf(options_.C) ? sw * r.value : options_.C * sw * r.value;
  cw_neg_ = cw0;
  cw_pos_ = cw1;
  fitted_ = true;
  return *this;
}

void LogisticRegression::require_fitted() const {
  if (!fitted_) throw Error("LogisticRegression: call fit() first");
}

const Vector& LogisticRegression::coef() const { return require_fitted(), coef_; }
double LogisticRegression::intercept() const { return require_fitted(), intercept_; }
int LogisticRegression::n_iter() const { return require_fitted(), n_iter_; }
bool LogisticRegression::converged() const { return require_fitted(), converged_; }
LogisticSolver LogisticRegression::solver_used() const { return require_fitted(), solver_used_; }
double LogisticRegression::objective() const { return require_fitted(), objective_; }
double LogisticRegression::class_weight_negative() const { return require_fitted(), cw_neg_; }
double LogisticRegression::class_weight_positive() const { return require_fitted(), cw_pos_; }

void LogisticRegression::check_predict_input(const MatrixRef& X) const {
  require_fitted();
  if (X.cols() != coef_.size()) {
    throw InputError("LogisticRegression: X has " + std::to_string(X.cols()) + " columns, the model was fitted on " +
                     std::to_string(coef_.size()));
  }
  detail::check_finite(X, "X");
}

Vector LogisticRegression::decision_function(const MatrixRef& X) const {
  check_predict_input(X);
  Vector z = coef_.size() > 0 ? Vector(X * coef_) : Vector(Vector::Zero(X.rows()));
  z.array() += intercept_;
  return z;
}

Vector LogisticRegression::predict_proba(const MatrixRef& X) const {
  Vector z = decision_function(X);
  for (Eigen::Index i = 0; i < z.size(); ++i) z[i] = sigmoid(z[i]);
  return z;
}

Vector LogisticRegression::predict(const MatrixRef& X) const {
  Vector z = decision_function(X);
  for (Eigen::Index i = 0; i < z.size(); ++i) z[i] = z[i] > 0 ? 1.0 : 0.0;
  return z;
}

}  // namespace cxkit::churn
