// Tests of cxkit::churn::explain_linear: hand-computed contributions, the sum property with a
// fitted model, padding, ties and errors.
#include <gtest/gtest.h>

#include <cmath>

#include "cxkit/churn/cox.hpp"
#include "cxkit/churn/explain.hpp"
#include "cxkit/churn/logistic.hpp"
#include "cxkit/core/error.hpp"

using namespace cxkit::churn;

TEST(ChurnExplain, HandComputed) {
  Matrix X(2, 3);
  X << 1, 5, 2,   //
      0, 0, 0;
  const Vector coef = (Vector(3) << 2.0, -0.5, 1.0).finished();
  const Vector ref = (Vector(3) << 0.0, 1.0, 2.0).finished();
  // Row 0: 2*(1-0) = 2, -0.5*(5-1) = -2, 1*(2-2) = 0 -> |2| ties |-2|: lower index first.
  // Row 1: 0, -0.5*(0-1) = 0.5, 1*(0-2) = -2 -> -2, 0.5, 0.
  const auto e = explain_linear(X, coef, ref, 2);
  ASSERT_EQ(e.feature.rows(), 2);
  ASSERT_EQ(e.feature.cols(), 2);
  EXPECT_EQ(e.feature(0, 0), 0);
  EXPECT_DOUBLE_EQ(e.contribution(0, 0), 2.0);
  EXPECT_EQ(e.feature(0, 1), 1);
  EXPECT_DOUBLE_EQ(e.contribution(0, 1), -2.0);
  EXPECT_EQ(e.feature(1, 0), 2);
  EXPECT_DOUBLE_EQ(e.contribution(1, 0), -2.0);
  EXPECT_EQ(e.feature(1, 1), 1);
  EXPECT_DOUBLE_EQ(e.contribution(1, 1), 0.5);
  // More requested than features: padded with -1 and 0.
  const auto all = explain_linear(X, coef, ref, 5);
  EXPECT_EQ(all.feature(1, 3), -1);
  EXPECT_EQ(all.contribution(1, 4), 0.0);
}

TEST(ChurnExplain, ContributionsSumToScoreDifference) {
  // Cox: with reference = training means, all contributions sum to the log partial hazard.
  Matrix X(6, 2);
  X << 1, 0.5, 0, 1.5, 2, 0.1, 1, 0.9, 3, 0.2, 0, 0.4;
  const Vector t = (Vector(6) << 1, 2, 3, 4, 5, 6).finished();
  const Vector e = (Vector(6) << 1, 1, 0, 1, 1, 0).finished();
  CoxPH cox;
  cox.fit(X, t, e);
  const auto ex = explain_linear(X, cox.params(), cox.means(), 2);
  const Vector lph = cox.predict_log_partial_hazard(X);
  for (Eigen::Index i = 0; i < 6; ++i) EXPECT_NEAR(ex.contribution.row(i).sum(), lph[i], 1e-12);
  // Logistic: contributions sum to decision(x) - decision(reference).
  const Vector y = (Vector(6) << 1, 0, 1, 0, 1, 0).finished();
  LogisticRegression lr;
  lr.fit(X, y);
  const Vector ref = X.colwise().mean().transpose();
  const auto el = explain_linear(X, lr.coef(), ref, 2);
  const Vector d = lr.decision_function(X);
  const double d_ref = lr.decision_function(ref.transpose())[0];
  for (Eigen::Index i = 0; i < 6; ++i) EXPECT_NEAR(el.contribution.row(i).sum(), d[i] - d_ref, 1e-12);
}

TEST(ChurnExplain, Errors) {
  const Matrix X = Matrix::Ones(2, 2);
  const Vector c = Vector::Ones(2);
  EXPECT_THROW(explain_linear(X, c, c, 0), cxkit::InputError);
  EXPECT_THROW(explain_linear(X, Vector::Ones(3), c, 1), cxkit::InputError);
  EXPECT_THROW(explain_linear(X, c, Vector::Ones(1), 1), cxkit::InputError);
  Matrix bad = X;
  bad(1, 1) = NAN;
  EXPECT_THROW(explain_linear(bad, c, c, 1), cxkit::InputError);
}
