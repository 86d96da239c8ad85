#include "lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace cxkit::churn::detail {

namespace {

constexpr double kC1 = 1e-4;  // sufficient decrease
constexpr double kC2 = 0.9;   // curvature (the usual quasi-Newton choice)
// Near the optimum f changes below its rounding error and the sufficient-decrease test cannot
// be decided; there Hager & Zhang's approximate Wolfe conditions (derivative tests only, with
// f allowed a rounding-sized rise) take over.
constexpr double kApproxDelta = 0.1;
constexpr double kFNoise = 1e-12;

/// Minimiser of the cubic through (a, fa, da) and (b, fb, db), or NaN if it has none.
double cubic_min(double a, double fa, double da, double b, double fb, double db) {
  const double d1 = da + db - 3 * (fa - fb) / (a - b);
  const double disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return std::nan("");
  const double d2 = std::copysign(std::sqrt(disc), b - a);
  return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
}

struct Point {
  double a, f, d;  // step, value, directional derivative
};

class LineSearch {
 public:
  LineSearch(const Objective& fg, const Vector& x0, const Vector& dir, double f0, double d0, int max_eval)
      : fg_(fg), x0_(x0), dir_(dir), f0_(f0), d0_(d0), max_eval_(max_eval) {}

  /// Returns true and leaves x, f, g at an acceptable step; false if none was found.
  bool run(double a1, Vector& x, double& f, Vector& g) {
    Point prev{0, f0_, d0_};
    double a = a1;
    for (int i = 0; evals_ < max_eval_; ++i) {
      Point cur = eval(a, x, f, g);
      if (approx_wolfe(cur)) return true;
      if (cur.f > f0_ + kC1 * a * d0_ || (i > 0 && cur.f >= prev.f)) return zoom(prev, cur, x, f, g);
      if (std::fabs(cur.d) <= -kC2 * d0_) return true;
      if (cur.d >= 0) return zoom(cur, prev, x, f, g);
      prev = cur;
      a *= 2;
    }
    return false;
  }
  int evals() const { return evals_; }

 private:
  Point eval(double a, Vector& x, double& f, Vector& g) {
    x = x0_ + a * dir_;
    f = fg_(x, g);
    ++evals_;
    return {a, f, g.dot(dir_)};
  }

  bool approx_wolfe(const Point& p) const {
    return p.f <= f0_ + kFNoise * std::fabs(f0_) && p.d >= kC2 * d0_ && p.d <= (2 * kApproxDelta - 1) * d0_;
  }

  bool zoom(Point lo, Point hi, Vector& x, double& f, Vector& g) {
    while (evals_ < max_eval_) {
      const double left = std::min(lo.a, hi.a), right = std::max(lo.a, hi.a), width = right - left;
      if (width <= 1e-16 * std::max(1.0, right)) break;
      double a = cubic_min(lo.a, lo.f, lo.d, hi.a, hi.f, hi.d);
      // Safeguard: stay well inside the bracket, else bisect.
      if (!(a > left + 0.1 * width && a < right - 0.1 * width)) a = 0.5 * (lo.a + hi.a);
      const Point cur = eval(a, x, f, g);
      if (approx_wolfe(cur)) return true;
      if (cur.f > f0_ + kC1 * a * d0_ || cur.f >= lo.f) {
        hi = cur;
      } else {
        if (std::fabs(cur.d) <= -kC2 * d0_) return true;
        if (cur.d * (hi.a - lo.a) >= 0) hi = lo;
        lo = cur;
      }
    }
    // Out of budget: fall back to the best sufficient-decrease point seen, if it improves.
    if (lo.a > 0 && lo.f < f0_) {
      eval(lo.a, x, f, g);
      return true;
    }
    return false;
  }

  const Objective& fg_;
  const Vector& x0_;
  const Vector& dir_;
  double f0_, d0_;
  int max_eval_;
  int evals_ = 0;
};

}  // namespace

LbfgsResult minimize_lbfgs(const Objective& fg, Vector& x, const LbfgsOptions& options) {
  const Eigen::Index n = x.size();
  const int m = std::max(1, options.history);
  std::vector<Vector> s_hist, y_hist;
  std::vector<double> rho_hist;
  s_hist.reserve(static_cast<std::size_t>(m));
  y_hist.reserve(static_cast<std::size_t>(m));
  rho_hist.reserve(static_cast<std::size_t>(m));
  std::vector<double> alpha(static_cast<std::size_t>(m));

  LbfgsResult res;
  Vector g(n), x_new(n), g_new(n), dir(n);
  double f = fg(x, g);
  res.n_eval = 1;
  std::size_t head = 0;  // ring-buffer position of the oldest pair once full

  while (true) {
    if (g.size() == 0 || g.cwiseAbs().maxCoeff() <= options.gtol) {
      res.converged = true;
      break;
    }
    if (res.n_iter >= options.max_iter) break;

    // Two-loop recursion: dir = -H g.
    dir = -g;
    const std::size_t k = s_hist.size();
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t i = (head + k - 1 - j) % k;  // newest first
      alpha[i] = rho_hist[i] * s_hist[i].dot(dir);
      dir -= alpha[i] * y_hist[i];
    }
    if (k > 0) {
      const std::size_t newest = (head + k - 1) % k;
      dir *= s_hist[newest].dot(y_hist[newest]) / y_hist[newest].squaredNorm();
    }
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t i = (head + j) % k;  // oldest first
      const double beta = rho_hist[i] * y_hist[i].dot(dir);
      dir += (alpha[i] - beta) * s_hist[i];
    }
    double d0 = g.dot(dir);
    if (!(d0 < 0)) {  // not a descent direction (lost curvature): restart from steepest descent
      s_hist.clear();
      y_hist.clear();
      rho_hist.clear();
      head = 0;
      dir = -g;
      d0 = -g.squaredNorm();
    }
    // First iteration: a unit step along -g may be far too long; scale it to length 1.
    const double a1 = k == 0 ? std::min(1.0, 1.0 / dir.norm()) : 1.0;
    LineSearch ls(fg, x, dir, f, d0, options.max_linesearch);
    double f_new = f;
    const bool ok = ls.run(a1, x_new, f_new, g_new);
    res.n_eval += ls.evals();
    ++res.n_iter;
    if (!ok) break;

    Vector s = x_new - x, y = g_new - g;
    const double sy = s.dot(y);
    x.swap(x_new);
    g.swap(g_new);
    f = f_new;
    if (sy > 1e-16 * y.squaredNorm()) {  // keep only pairs with positive curvature
      if (s_hist.size() < static_cast<std::size_t>(m)) {
        s_hist.push_back(std::move(s));
        y_hist.push_back(std::move(y));
        rho_hist.push_back(1.0 / sy);
      } else {
        s_hist[head] = std::move(s);
        y_hist[head] = std::move(y);
        rho_hist[head] = 1.0 / sy;
        head = (head + 1) % static_cast<std::size_t>(m);
      }
    }
  }
  res.f = f;
  return res;
}

}  // namespace cxkit::churn::detail
