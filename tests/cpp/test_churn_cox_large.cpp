// Large Cox fits (>= 50k rows take the warm-start path: Newton from a subsample's optimum)
// checked against an independent implementation of the score equations, and for invariance
// to the input layout (column-major, row-major: the fit reads any strides in place).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "cxkit/churn/cox.hpp"

using namespace cxkit::churn;

namespace {

struct Data {
  Matrix X;
  Vector time, event;
  Codes strata;
};

/// Continuous times (no ties: Efron = Breslow), hazard exp(x . beta), 30% censored at random.
Data make(Eigen::Index n, std::uint64_t seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> N;
  std::uniform_real_distribution<double> U(0.0, 1.0);
  const double beta[4] = {0.6, -0.4, 0.2, 0.0};
  Data d;
  d.X.resize(n, 4);
  d.time.resize(n);
  d.event.resize(n);
  d.strata.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double eta = 0;
    for (int j = 0; j < 4; ++j) {
      d.X(i, j) = N(g) + (j == 3 ? 5.0 : 0.0);  // an offset column: normalisation matters
      eta += beta[j] * d.X(i, j);
    }
    d.time[i] = -std::log(1.0 - U(g)) / std::exp(eta);
    d.event[i] = U(g) < 0.7 ? 1.0 : 0.0;
    d.strata[i] = static_cast<std::int64_t>(i % 3);
  }
  return d;
}

/// Gradient of the Breslow log partial likelihood (no ties) at params on x's scale, computed
/// directly: sum over events of x_i - (sum_{t_j >= t_i, same stratum} x_j e^{x_j b}) /
/// (sum e^{x_j b}). Independent of the library's sorted, normalised, blocked evaluation.
Vector score(const Data& d, const Vector& b, bool stratified) {
  const Eigen::Index n = d.X.rows(), p = d.X.cols();
  std::vector<Eigen::Index> idx(static_cast<std::size_t>(n));
  std::iota(idx.begin(), idx.end(), 0);
  const auto key = [&](Eigen::Index i) { return stratified ? d.strata[i] : 0; };
  std::sort(idx.begin(), idx.end(), [&](Eigen::Index a, Eigen::Index c) {
    return key(a) != key(c) ? key(a) < key(c) : d.time[a] > d.time[c];  // latest first
  });
  const Vector eta = d.X * b;
  const double shift = eta.maxCoeff();
  Vector grad = Vector::Zero(p), sx(p);
  double s0 = 0;
  std::int64_t current = -1;
  for (const Eigen::Index i : idx) {
    if (key(i) != current) {
      current = key(i);
      s0 = 0;
      sx.setZero();
    }
    const double w = std::exp(eta[i] - shift);
    s0 += w;
    sx += w * d.X.row(i).transpose();
    if (d.event[i] != 0.0) grad += d.X.row(i).transpose() - sx / s0;
  }
  return grad;
}

}  // namespace

TEST(ChurnCoxLarge, WarmStartedFitSolvesTheScoreEquations) {
  const Data d = make(240'000, 11);
  CoxPH cox;
  cox.fit(d.X, d.time, d.event);
  ASSERT_TRUE(cox.converged());
  const Vector g = score(d, cox.params(), false);
  // At the optimum the score is 0; relative to its size at beta = 0 it is tiny.
  const Vector g0 = score(d, Vector::Zero(4), false);
  EXPECT_LT(g.cwiseAbs().maxCoeff(), 1e-7 * g0.cwiseAbs().maxCoeff()) << g.transpose();
  EXPECT_NEAR(cox.params()[0], 0.6, 0.02);
  EXPECT_NEAR(cox.params()[1], -0.4, 0.02);
  EXPECT_NEAR(cox.params()[3], 0.0, 0.02);
}

TEST(ChurnCoxLarge, WarmStartedStratifiedAndPenalised) {
  const Data d = make(210'000, 12);
  CoxPH strat;
  strat.fit(d.X, d.time, d.event, d.strata);
  const Vector g = score(d, strat.params(), true);
  EXPECT_LT(g.cwiseAbs().maxCoeff(), 1e-7 * score(d, Vector::Zero(4), true).cwiseAbs().maxCoeff());
  // Penalised: lifelines' objective ll(b_z) - n c / 2 ||b_z||^2 with b_z = params * std, so
  // the stationarity condition on x's scale is score = n c * params * std^2.
  const double c = 0.01;
  CoxPH pen({.penalizer = c});
  pen.fit(d.X, d.time, d.event);
  const Vector gp = score(d, pen.params(), false);
  const Vector want = static_cast<double>(d.X.rows()) * c * pen.params().cwiseProduct(pen.scales().cwiseAbs2());
  const double scale = score(d, Vector::Zero(4), false).cwiseAbs().maxCoeff();
  for (int j = 0; j < 4; ++j) EXPECT_NEAR(gp[j], want[j], 1e-7 * scale) << j;
  EXPECT_GT(want.cwiseAbs().maxCoeff(), 1e-3 * scale);  // the penalty really acts
}

TEST(ChurnCoxLarge, RowMajorInputGivesTheSameFit) {
  const Data d = make(220'000, 13);
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const RowMajor Xr = d.X;
  CoxPH a, b;
  a.fit(d.X, d.time, d.event);
  b.fit(Xr, d.time, d.event);  // read in place through strides, no copy
  for (int j = 0; j < 4; ++j) EXPECT_EQ(a.params()[j], b.params()[j]);
  EXPECT_EQ(a.log_likelihood(), b.log_likelihood());
  // A strided view (every other column of a wider matrix) as well.
  Matrix wide(d.X.rows(), 8);
  for (int j = 0; j < 4; ++j) wide.col(2 * j) = d.X.col(j);
  wide.col(1).setZero();
  CoxPH c;
  c.fit(Eigen::Map<const Matrix, 0, Eigen::OuterStride<>>(wide.data(), d.X.rows(), 4, Eigen::OuterStride<>(2 * d.X.rows())),
        d.time, d.event);
  for (int j = 0; j < 4; ++j) EXPECT_EQ(a.params()[j], c.params()[j]);
}
