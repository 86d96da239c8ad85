"""explain(): each account's largest contributions, with words from the feature-description registry."""
import math

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit.churn import FeatureDescriptions, feature_descriptions
from conftest import shared_file


def tiny_logistic():
    """A fitted model whose coefficients and reference are then set by hand: 2, -0.5, 1 around 0, 1, 2."""
    X = pd.DataFrame({"logins_trend_30d": [0.0, 1.0, 0.5, 0.2], "open_p1_tickets": [0.0, 2.0, 1.0, 1.0],
                      "tenure_days": [1.0, 3.0, 2.0, 2.0]})
    m = cxkit.churn.LogisticRegression().fit(X, [0, 1, 0, 1])
    m.coef_ = np.array([[2.0, -0.5, 1.0]])
    m.feature_means_ = np.array([0.0, 1.0, 2.0])
    return m


def test_logistic_explain_hand_computed():
    m = tiny_logistic()
    # build_features' trend is log((1 + now) / (1 + before)): log(0.55) is "down 45%".
    X = pd.DataFrame({"logins_trend_30d": [math.log(0.55), 0.0], "open_p1_tickets": [3.0, 0.0],
                      "tenure_days": [2.0, 0.0]}, index=["acme", "globex"])
    ex = m.explain(X, top=2)
    # acme: 2 * (log 0.55 - 0) = -1.1957, -0.5 * (3 - 1) = -1.0, 1 * (2 - 2) = 0 -> -1.1957 then -1.0.
    # globex: 0, -0.5 * (0 - 1) = 0.5, 1 * (0 - 2) = -2                         -> -2 then 0.5.
    assert ex.columns.tolist() == ["account", "rank", "feature", "value", "contribution", "effect", "text"]
    acme = ex[ex["account"] == "acme"]
    assert acme["feature"].tolist() == ["logins_trend_30d", "open_p1_tickets"]
    assert acme["rank"].tolist() == [1, 2]
    assert acme["contribution"].tolist() == pytest.approx([2 * math.log(0.55), -1.0])
    assert acme["effect"].tolist() == ["lowers risk", "lowers risk"]
    assert acme["text"].tolist() == ["logins down 45% over 30 days", "3 open P1 tickets"]
    globex = ex[ex["account"] == "globex"]
    assert globex["feature"].tolist() == ["tenure_days", "open_p1_tickets"]
    assert globex["contribution"].tolist() == pytest.approx([-2.0, 0.5])
    assert globex["effect"].tolist() == ["lowers risk", "raises risk"]
    assert globex["text"].tolist() == ["customer for 0 days", "0 open P1 tickets"]
    # More than there are features: every feature once; a NumPy input is numbered by row.
    full = m.explain(X.to_numpy(), top=10)
    assert len(full) == 6 and set(full["account"]) == {0, 1}
    assert full[full["account"] == 0]["contribution"].sum() == pytest.approx(2 * math.log(0.55) - 1.0)


def test_logistic_explain_contributions_sum_to_the_log_odds_difference():
    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.normal(size=(200, 4)), columns=["a", "b", "c", "d"])
    y = (X["a"] - X["b"] + rng.normal(size=200) > 0).astype(int)
    m = cxkit.churn.LogisticRegression().fit(X, y)
    ex = m.explain(X, top=4)
    total = ex.groupby("account")["contribution"].sum().to_numpy()
    expected = m.decision_function(X) - m.decision_function(X.mean().to_frame().T)[0]
    np.testing.assert_allclose(total, expected, atol=1e-12)


def test_cox_explain_sums_to_lifelines_log_partial_hazard():
    lifelines = pytest.importorskip("lifelines")
    df = pd.read_csv(shared_file("churn", "rossi.csv"))
    ours = cxkit.churn.CoxPH().fit(df, duration_col="week", event_col="arrest")
    ref = lifelines.CoxPHFitter().fit(df, duration_col="week", event_col="arrest")
    ex = ours.explain(df.head(20), top=len(ours.covariates_))
    total = ex.groupby("account")["contribution"].sum().reindex(df.head(20).index).to_numpy()
    np.testing.assert_allclose(total, ref.predict_log_partial_hazard(df.head(20)).to_numpy(), atol=1e-6)
    top = ours.explain(df.head(20), top=2)
    assert (top.groupby("account").size() == 2).all()
    first = top[top["rank"] == 1].set_index("account")["contribution"].abs()
    second = top[top["rank"] == 2].set_index("account")["contribution"].abs()
    assert (first >= second).all()
    assert top["text"].map(len).gt(0).all()


def test_sentence_formats_and_plugging_in_rules():
    d = FeatureDescriptions()
    # The names and value conventions of build_features (docs/churn_features.md) ...
    assert d.describe("login_trend_30d", math.log(0.55), 0.0) == "logins down 45% over 30 days"
    assert d.describe("events_trend_7d", math.log(1.2), 0.0) == "events up 20% over 7 days"
    assert d.describe("active_seats_change_90d", -3, 0.5) == "active seats down 3 over 90 days"
    assert d.describe("open_tickets_urgent", 2, 0.1) == "2 open urgent tickets"
    assert d.describe("tickets_p1_90d", 2, 0.5) == "2 P1 tickets in the last 90 days (typical 0.5)"
    assert d.describe("days_since_last_use", 21, 3) == "last use 21 days ago (typical 3)"
    assert d.describe("nps_last", 3, 8) == "last NPS answer 3 (detractor)"
    assert d.describe("seat_utilisation", 0.62, 0.8) == "62% of licensed seats active (typical 80%)"
    assert d.describe("onboarding_call_breaches_90d", 2, 1) == "2 onboarding call breaches in the last 90 days (typical 1)"
    # ... and common hand-made ones.
    assert d.describe("logins_pct_change_30d", -0.45, 0.0) == "logins down 45% over 30 days"
    assert d.describe("logins_ratio_30d", 0.55, 1.0) == "logins down 45% over 30 days"
    assert d.describe("open_p1_tickets", 3, 0.2) == "3 open P1 tickets"
    assert d.describe("open_tickets", 1, 2) == "1 open ticket"
    assert d.describe("logins_30d", 12, 20) == "12 logins in the last 30 days (typical 20)"
    assert d.describe("days_since_last_login", 21, 3) == "last login 21 days ago (typical 3)"
    assert d.describe("days_to_renewal", 45, 100) == "renewal in 45 days"
    assert d.describe("last_nps", 3, 8) == "last NPS answer 3 (detractor)"
    assert d.describe("seat_utilization", 0.62, 0.8) == "62% of licensed seats active (typical 80%)"
    assert d.describe("arr", 1000, 5000.5) == "ARR 1,000 (typical 5,000)"
    assert d.describe("mrr", 1000, 5000.5) == "mrr is low (1,000 vs typical 5,000)"
    assert d.describe("support_load", 12, 4.1) == "support load is high (12 vs typical 4.1)"
    assert d.describe("plan_enterprise", 1, 0.3) == "plan enterprise: yes (30% of accounts: yes)"
    assert d.describe("logins_30d", float("nan"), 3) == "logins 30d unknown"
    # A user rule wins over the built-in ones; the shared registry is left alone.
    d.register(r"(?P<what>\w+)_30d", lambda m, v, ref: f"{m['what']}: {v:g} this month")
    assert d.describe("logins_30d", 12, 20) == "logins: 12 this month"
    assert feature_descriptions.describe("logins_30d", 12, 20) == "12 logins in the last 30 days (typical 20)"
    bare = FeatureDescriptions(defaults=False)
    assert bare.describe("logins_trend_30d", -0.45, 0.0) == "logins trend 30d is low (-0.45 vs typical 0)"
    with pytest.raises(TypeError):
        d.register("x", "not callable")
    # explain() takes the registry to use.
    m = tiny_logistic()
    X = pd.DataFrame({"logins_trend_30d": [-0.1], "open_p1_tickets": [3.0], "tenure_days": [2.0]})
    custom = FeatureDescriptions()
    custom.register(r"open_p1_tickets", lambda m, v, ref: f"{v:g} urgent tickets waiting")
    assert m.explain(X, top=1, descriptions=custom)["text"].tolist() == ["3 urgent tickets waiting"]
    with pytest.raises(ValueError):
        m.explain(X, top=0)
