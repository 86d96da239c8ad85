"""cxkit.churn.LogisticRegression passes scikit-learn's own estimator checks (check_estimator).

The estimator is binary by design (a churn model): it says so through the ``multi_class=False``
classifier tag, which scikit-learn documents for binary-only classifiers; the checks then use
binary data and verify that fitting 3+ classes raises the documented ValueError.
"""
import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from cxkit.churn import LogisticRegression


@parametrize_with_checks([LogisticRegression(), LogisticRegression(C=0.3, class_weight="balanced", solver="lbfgs")])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


def test_zero_weight_is_the_row_left_out():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 2))
    y = (X[:, 0] + rng.normal(scale=0.5, size=60) > 0).astype(int)
    w = np.ones(60)
    w[::4] = 0.0
    a = LogisticRegression().fit(X, y, sample_weight=w)
    b = LogisticRegression().fit(X[w > 0], y[w > 0])
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-12)
    np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=1e-12)


def test_bad_inputs_raise_value_errors_naming_the_problem():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    with pytest.raises(ValueError, match="Only binary classification"):
        LogisticRegression().fit(X, [0, 1, 2, 0])
    with pytest.raises(ValueError, match="NaN"):
        LogisticRegression().fit(np.array([[np.nan], [1.0], [2.0], [3.0]]), [0, 0, 1, 1])
    with pytest.raises(ValueError, match="zero"):
        LogisticRegression().fit(X, [0, 0, 1, 1], sample_weight=np.zeros(4))
    with pytest.raises(ValueError, match=">= 0"):
        LogisticRegression().fit(X, [0, 0, 1, 1], sample_weight=[1.0, -1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="continuous"):
        LogisticRegression().fit(X, [0.1, 0.5, 0.7, 0.2])
