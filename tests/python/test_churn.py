"""Churn models against the reference libraries on real data: scikit-learn and lifelines."""
import pickle

import numpy as np
import pandas as pd
import pytest

import cxkit
from conftest import shared_file

sklearn = pytest.importorskip("sklearn", reason="scikit-learn is the reference; scripts/bootstrap installs it")
lifelines = pytest.importorskip("lifelines", reason="lifelines is the reference; scripts/bootstrap installs it")
from sklearn.base import clone  # noqa: E402
from sklearn.linear_model import LogisticRegression as SkLogistic  # noqa: E402
from sklearn.model_selection import cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402


def telco():
    df = pd.read_csv(shared_file("churn", "telco_customer_churn.csv"))
    df["TotalCharges"] = pd.to_numeric(df["TotalCharges"].str.strip().replace("", "0"))
    X = pd.get_dummies(df[["tenure", "MonthlyCharges", "TotalCharges", "SeniorCitizen", "Contract",
                           "InternetService", "PaymentMethod", "PaperlessBilling"]], drop_first=True, dtype=float)
    X = (X - X.mean()) / X.std(ddof=0)
    return X, (df["Churn"] == "Yes").astype(int).to_numpy()


@pytest.mark.parametrize("params", [dict(C=1.0), dict(C=0.01), dict(C=1.0, class_weight="balanced"),
                                    dict(C=0.5, fit_intercept=False)])
def test_logistic_equals_scikit_learn_on_telco(params):
    X, y = telco()
    ours = cxkit.churn.LogisticRegression(tol=1e-10, max_iter=1000, **params).fit(X, y)
    ref = SkLogistic(solver="newton-cholesky", tol=1e-12, max_iter=1000, **params).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-8)


def test_logistic_is_a_scikit_learn_estimator():
    X, y = telco()
    m = cxkit.churn.LogisticRegression(C=0.3)
    assert clone(m).get_params()["C"] == 0.3
    m.set_params(C=2.0)
    assert m.C == 2.0
    scores = cross_val_score(make_pipeline(StandardScaler(), cxkit.churn.LogisticRegression()), X, y,
                             cv=3, scoring="roc_auc")
    assert scores.shape == (3,) and (scores > 0.75).all()
    fitted = cxkit.churn.LogisticRegression().fit(X, y)
    back = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(back.predict_proba(X), fitted.predict_proba(X))
    assert list(fitted.feature_names_in_) == list(X.columns) and fitted.n_features_in_ == X.shape[1]


def test_logistic_rejects_one_class():
    with pytest.raises(ValueError, match="2 classes"):
        cxkit.churn.LogisticRegression().fit(np.ones((4, 1)), np.zeros(4))


def rossi():
    return pd.read_csv(shared_file("churn", "rossi.csv"))


@pytest.mark.parametrize("kw", [dict(), dict(strata=["wexp"]), dict(penalizer=0.1), dict(penalizer=0.1, strata=["race"])])
def test_cox_equals_lifelines_on_rossi(kw):
    df = rossi()
    ours = cxkit.churn.CoxPH(**kw).fit(df, duration_col="week", event_col="arrest")
    ref = lifelines.CoxPHFitter(penalizer=kw.get("penalizer", 0.0), strata=kw.get("strata"))
    ref.fit(df, duration_col="week", event_col="arrest", fit_options=dict(precision=1e-14, r_precision=1e-15))
    np.testing.assert_allclose(ours.params_.to_numpy(), ref.params_.loc[ours.params_.index].to_numpy(), atol=1e-6)
    np.testing.assert_allclose(ours.standard_errors_.to_numpy(),
                               ref.standard_errors_.loc[ours.params_.index].to_numpy(), atol=1e-6)
    assert ours.log_likelihood_ == pytest.approx(ref.log_likelihood_, abs=1e-6)
    assert ours.concordance_index_ == pytest.approx(ref.concordance_index_, abs=1e-9)
    if "strata" not in kw:
        S = ours.predict_survival_function(df.head(5), times=[10, 30, 52])
        R = ref.predict_survival_function(df.head(5), times=[10, 30, 52])
        np.testing.assert_allclose(S.to_numpy(), R.to_numpy(), atol=1e-6)


def test_cox_matches_r_coxph_published_rossi_coefficients():
    # R: coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio, data = Rossi)
    ours = cxkit.churn.CoxPH().fit(rossi(), duration_col="week", event_col="arrest")
    r = {"fin": -0.3794, "age": -0.0574, "race": 0.3139, "wexp": -0.1498, "mar": -0.4337, "paro": -0.0849,
         "prio": 0.0915}
    for k, v in r.items():
        assert ours.params_[k] == pytest.approx(v, abs=5e-5)


def test_kaplan_meier_equals_lifelines():
    df = rossi()
    ours = cxkit.churn.KaplanMeier().fit(df["week"], df["arrest"])
    ref = lifelines.KaplanMeierFitter().fit(df["week"], df["arrest"])
    np.testing.assert_allclose(ours.survival_function_.to_numpy()[:, 0],
                               ref.survival_function_.to_numpy()[:, 0], atol=1e-12)
    np.testing.assert_allclose(ours.confidence_interval_.to_numpy(), ref.confidence_interval_.to_numpy(), atol=1e-9)
    assert ours.median_survival_time_ == ref.median_survival_time_


def test_metrics_equal_the_references():
    from sklearn import metrics as sk
    from lifelines.utils import concordance_index
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 5000)
    p = np.clip(rng.beta(2, 3, 5000) + 0.2 * y, 0.001, 0.999)
    p[:200] = np.round(p[:200], 1)  # ties
    m = cxkit.churn.metrics
    assert m.roc_auc_score(y, p) == pytest.approx(sk.roc_auc_score(y, p), abs=1e-9)
    assert m.average_precision_score(y, p) == pytest.approx(sk.average_precision_score(y, p), abs=1e-9)
    assert m.brier_score(y, p) == pytest.approx(sk.brier_score_loss(y, p), abs=1e-9)
    assert m.log_loss(y, p) == pytest.approx(sk.log_loss(y, p), abs=1e-9)
    df = rossi()
    score = -df["prio"].to_numpy(dtype=float)
    assert m.concordance_index(df["week"], score, df["arrest"]) == \
        pytest.approx(concordance_index(df["week"], score, df["arrest"]), abs=1e-9)
    lift = m.lift_at_k(y, p, 500)
    assert lift["capture"] == pytest.approx(y[np.argsort(-p, kind="stable")[:500]].sum() / y.sum())
