"""cxkit.churn features, labels, backtest, renewals and expansion signals.

Expectations are computed independently: by hand on a tiny log, with a plain pandas
re-implementation on a random log, and against the simulator's ground truth.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit import churn

AS_OF = pd.Timestamp("2024-03-31", tz="UTC")
DAY = pd.Timedelta("1D")


def _log(rows: list[tuple]) -> cxkit.EventLog:
    df = pd.DataFrame(rows, columns=["case", "activity", "timestamp", "ticket", "priority", "feature", "score"])
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True)
    return cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="timestamp",
                                      attributes={"ticket": "categorical", "priority": "categorical",
                                                  "feature": "categorical", "score": "numeric"})


def _tiny() -> list[tuple]:
    n = None
    return [
        ("a", "signed", AS_OF - 60 * DAY, n, n, n, n),
        ("a", "login", AS_OF - 40 * DAY, n, n, n, n),
        ("a", "login", AS_OF - 6 * DAY, n, n, n, n),
        ("a", "login", AS_OF - 12 * pd.Timedelta("1h"), n, n, n, n),
        ("a", "feature used", AS_OF - 5 * DAY, n, n, "reports", n),
        ("a", "feature used", AS_OF - 50 * DAY, n, n, "api", n),
        ("a", "ticket opened", AS_OF - 3 * DAY, "T1", "P0", n, n),
        ("a", "ticket opened", AS_OF - 20 * DAY, "T2", "P2", n, n),
        ("a", "resolved", AS_OF - 19 * DAY, "T2", "P2", n, n),
        ("a", "nps answered", AS_OF - 10 * DAY, n, n, n, 9.0),
        ("b", "signed", AS_OF - 10 * DAY, n, n, n, n),
        ("b", "churned", AS_OF - 2 * DAY, n, n, n, n),
    ]


def test_tiny_log_by_hand() -> None:
    f = churn.build_features(_log(_tiny()), as_of=AS_OF, windows=("7D", "30D"), active_only=False)
    a = f.loc["a"]
    assert (a["login_7d"], a["login_30d"]) == (2, 2)
    assert a["login_trend_7d"] == pytest.approx(np.log(3 / 1))   # [t-14d, t-7d): none
    assert a["login_trend_30d"] == pytest.approx(np.log(3 / 2))  # [t-60d, t-30d): the login 40 days ago
    assert a["days_since_last_use"] == pytest.approx(0.5)
    assert (a["features_used_7d"], a["features_used_30d"], a["features_adopted"]) == (1, 1, 2)
    assert a["premium_features_30d"] == 0 and a["feature_used_30d"] == 1  # api was 50 days ago
    assert (a["tickets_7d"], a["tickets_30d"], a["tickets_p0_30d"], a["tickets_p2_30d"]) == (1, 2, 1, 1)
    assert (a["open_tickets"], a["open_tickets_p0"], a["open_tickets_urgent"]) == (1, 1, 1)
    assert (a["nps_last"], a["nps_promoter"], a["nps_detractor"], a["days_since_nps"]) == (9, 1, 0, 10)
    assert a["tenure_days"] == 60 and a["days_to_renewal"] == pytest.approx(366 - 60)  # Jan 31 2024 -> 2025: 366 days
    assert a["events_7d"] == 4 and a["events_30d"] == 7
    assert f.loc["b", "status"] == "churned" and a["status"] == "active"
    assert list(churn.build_features(_log(_tiny()), as_of=AS_OF).index) == ["a"]


def test_later_events_change_nothing() -> None:
    rows = _tiny()
    before = churn.build_features(_log(rows), as_of=AS_OF, active_only=False)
    n = None
    later = [("a", "login", AS_OF, n, n, n, n), ("a", "feature used", AS_OF + DAY, n, n, "sso", n),
             ("a", "resolved", AS_OF + DAY, "T1", "P0", n, n), ("a", "nps answered", AS_OF, n, n, n, 0.0),
             ("a", "churned", AS_OF + 2 * DAY, n, n, n, n), ("c", "signed", AS_OF + DAY, n, n, n, n),
             ("b", "ticket opened", AS_OF, "T9", "P1", n, n)]
    after = churn.build_features(_log(rows + later), as_of=AS_OF, active_only=False)
    pd.testing.assert_frame_equal(before, after.loc[before.index])
    assert after.loc["c", "status"] == "not_yet"


def _random_log(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(40):
        acct = f"c{c:02d}"
        start = AS_OF - pd.Timedelta(seconds=int(rng.integers(30, 300) * 86400))
        rows.append((acct, "signed", start, None, None, None, np.nan))
        for _ in range(int(rng.integers(0, 60))):
            t = start + pd.Timedelta(seconds=int(rng.integers(0, 330 * 86400)))
            kind = rng.choice(["login", "feature used", "ticket", "nps answered"], p=[0.5, 0.3, 0.1, 0.1])
            if kind == "feature used":
                rows.append((acct, kind, t, None, None, f"f{rng.integers(0, 6)}", np.nan))
            elif kind == "ticket":
                tk, pr = f"{acct}-T{len(rows)}", f"P{rng.integers(0, 4)}"
                rows.append((acct, "ticket opened", t, tk, pr, None, np.nan))
                if rng.random() < 0.7:
                    t2 = t + pd.Timedelta(seconds=int(rng.integers(3600, 40 * 86400)))
                    rows.append((acct, "resolved", t2, tk, pr, None, np.nan))
                    if rng.random() < 0.3:
                        rows.append((acct, "reopened", t2 + DAY, tk, pr, None, np.nan))
            else:
                rows.append((acct, kind, t, None, None, None, float(rng.integers(0, 11)) if kind == "nps answered"
                             else np.nan))
    df = pd.DataFrame(rows, columns=["case", "activity", "timestamp", "ticket", "priority", "feature", "score"])
    return df.sort_values(["case", "timestamp"], kind="mergesort").reset_index(drop=True)


def _reference(df: pd.DataFrame, w: pd.Timedelta) -> pd.DataFrame:
    """The same features in plain pandas, from the definitions in docs/churn_features.md."""
    past = df[df["timestamp"] < AS_OF]
    age = AS_OF - past["timestamp"]
    out = {}
    for case, g in past.groupby("case"):
        a = age.loc[g.index]
        login = g["activity"] == "login"
        now, prev = (login & (a <= w)).sum(), (login & (a > w) & (a <= 2 * w)).sum()
        use = g[g["activity"].isin(["login", "feature used"])]
        signup = df.loc[df["case"] == case, "timestamp"].min()
        last_use = use["timestamp"].max() if len(use) else signup
        feats = g[(g["activity"] == "feature used") & (a <= w)]["feature"].nunique()
        status = g[g["ticket"].notna()].groupby("ticket")["activity"].last()
        nps = g[g["activity"] == "nps answered"]
        out[case] = {"login": now, "trend": np.log((1 + now) / (1 + prev)),
                     "recency": (AS_OF - last_use) / DAY, "breadth": feats,
                     "open": status.isin(["ticket opened", "reopened"]).sum(),
                     "nps_last": nps["score"].iloc[-1] if len(nps) else np.nan, "events": (a <= w).sum()}
    return pd.DataFrame.from_dict(out, orient="index")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_log_matches_pandas(seed: int) -> None:
    df = _random_log(seed)
    log = cxkit.EventLog.from_pandas(df, case="case", activity="activity", timestamp="timestamp")
    f = churn.build_features(log, as_of=AS_OF, windows=("30D",), active_only=False)
    ref = _reference(df, 30 * DAY)
    f = f.loc[ref.index]
    np.testing.assert_array_equal(f["login_30d"], ref["login"])
    np.testing.assert_allclose(f["login_trend_30d"], ref["trend"], rtol=1e-12)
    np.testing.assert_allclose(f["days_since_last_use"], ref["recency"], rtol=1e-12)
    np.testing.assert_array_equal(f["features_used_30d"], ref["breadth"])
    np.testing.assert_array_equal(f["open_tickets"], ref["open"])
    np.testing.assert_array_equal(f["nps_last"], ref["nps_last"])
    np.testing.assert_array_equal(f["events_30d"], ref["events"])


def test_accounts_table_external_nps_and_one_hot() -> None:
    acc = pd.DataFrame({"account": ["a", "b", "z"], "signup": pd.to_datetime(["2024-01-31", "2024-03-21", "2024-01-01"],
                                                                               utc=True),
                        "contract": ["monthly", "annual", "annual"], "tier": ["SMB", "Enterprise", "SMB"],
                        "employees": [10.0, 500.0, 3.0], "seats": [5.0, 50.0, 2.0], "arr": [1.0, 2.0, 3.0]})
    nps = pd.DataFrame({"account": ["a", "a", "z"], "timestamp": pd.to_datetime(["2024-03-01", "2024-04-02", "2024-02-01"],
                                                                                utc=True), "score": [3.0, 10.0, 8.0]})
    f = churn.build_features(_log(_tiny()), acc, AS_OF, nps=nps, active_only=False)
    assert list(f.index) == ["a", "b", "z"]
    assert f.loc["a", "nps_last"] == 3 and f.loc["a", "nps_detractor"] == 1 and f.loc["a", "nps_responses"] == 1
    # Monthly from Jan 31: the Mar 31 renewal falls exactly at as_of.
    assert f.loc["a", "days_to_renewal"] == 0 and f.loc["a", "tenure_days"] == 60
    assert f.loc["z", "status"] == "active" and f.loc["z", "login_30d"] == 0  # in the table only
    assert (f.loc["b", "tier_enterprise"], f.loc["b", "tier_smb"], f.loc["b", "employees"]) == (1, 0, 500)
    assert f.loc["z", "licensed_seats"] == 2  # no licence event: the table's seats
    assert not {"churned", "arr_column", "seats", "signup"} & set(f.columns)


def test_label_by_hand() -> None:
    acc = pd.DataFrame({"account": list("abcde"),
                        "signup": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-01", "2024-04-05", "2024-01-01"],
                                                 utc=True),
                        "churn_date": pd.to_datetime(["2024-03-31 00:00", "2024-04-29 23:00", "2024-04-30 00:00", None, "2024-03-30 00:00"],
                                                     utc=True)})
    y = churn.label(acc, AS_OF, "30D")
    # a churns exactly at as_of (in), b an hour before the horizon ends, c exactly at as_of + 30 days (out),
    # d not yet a customer, e already gone.
    assert y.to_dict() == {"a": 1, "b": 1, "c": 0}
    assert churn.label(_log(_tiny()), AS_OF - 5 * DAY, "7D").to_dict() == {"a": 0, "b": 1}


def test_errors() -> None:
    log = _log(_tiny())
    with pytest.raises(ValueError):
        churn.build_features(log, as_of=None)
    with pytest.raises(ValueError):
        churn.build_features(log, as_of=AS_OF, windows=("0D",))
    with pytest.raises(TypeError):
        churn.build_features(log, as_of=AS_OF, spec={"no_such_field": 1})
    with pytest.raises(KeyError):
        churn.build_features(log, pd.DataFrame({"account": ["a"]}), AS_OF, numeric=["nope"])
    with pytest.raises(ValueError):
        churn.build_features(log, as_of=AS_OF, windows=("30D", "30D"))  # two columns login_30d


# ---- the simulated company ----

@pytest.fixture(scope="module")
def company() -> cxkit.simulate.Company:
    return cxkit.simulate.company(n_accounts=6000, months=24, seed=11)


_OCC: dict[int, pd.DataFrame] = {}


def _occurrences(co: cxkit.simulate.Company) -> pd.DataFrame:
    """The simulator's two moments with a true effect, each on its support hub's calendar."""
    if id(co) in _OCC:
        return _OCC[id(co)]
    events = co.events.to_pandas()
    hub = co.accounts.set_index("account")["support_hub"]
    welcome = cxkit.moments.Moment("welcome", trigger="signed", fulfil="welcome sent", within="24h")
    parts = [cxkit.moments.evaluate(co.events, [welcome])]
    for name, cal in co.support_calendars().items():
        sub = events[events["case"].map(hub) == name]
        m = cxkit.moments.Moment("first reply", trigger="ticket opened", fulfil="first reply", within="4h",
                                 key="ticket", calendar=cal)
        parts.append(cxkit.moments.evaluate(cxkit.EventLog.from_pandas(sub, case="case", activity="activity",
                                                                       timestamp="timestamp",
                                                                       attributes={"ticket": "categorical"}), [m]))
    _OCC[id(co)] = pd.concat(parts, ignore_index=True)
    return _OCC[id(co)]


# Each true churn driver of the simulator (docs/simulator.md) and the build_features column that
# measures it, in the driver's own units.
DRIVER_FEATURES = {
    "usage_trend": ("login_trend_28d", lambda x: x.clip(-2, 2)),
    "feature_breadth": ("features_used_90d", lambda x: x / 12),
    "open_p0_p1_tickets": ("open_tickets_urgent", lambda x: x.clip(upper=3)),
    "missed_welcome": ("welcome_breaches", lambda x: x.clip(upper=1)),
    "missed_first_replies_90d": ("first_reply_breaches_90d", lambda x: x.clip(upper=3)),
    "nps_detractor": ("nps_detractor", lambda x: x),
    "nps_promoter": ("nps_promoter", lambda x: x),
    "tier_mid_market": ("tier_mid_market", lambda x: x),
    "tier_enterprise": ("tier_enterprise", lambda x: x),
    "contract_monthly": ("contract_monthly", lambda x: x),
}


def test_true_drivers_recovered(company: cxkit.simulate.Company) -> None:
    """The simulator's hazard in tenure period k uses drivers measured at tau_k = signup + k P
    (P = 365.2425/12 days). Features as of each account's own tau_k, labelled with churn in
    [tau_k, tau_k + P), stacked over k, form the discrete-time hazard data set the truth
    describes; a logistic model on the standardised driver features gets every sign right and
    ranks the drivers' standardised effects (beta x sd) like the truth does."""
    co = company
    occ = _occurrences(co)
    truth = pd.Series({d["name"]: d["coefficient"] for d in co.truth["churn"]["drivers"]})
    period = pd.Timedelta(days=365.2425 / 12)
    end = pd.Timestamp(co.truth["end"])
    signup = co.accounts.set_index("account")["signup"]
    X, y = [], []
    for k in range(1, 24):
        as_of = signup + k * period
        as_of = as_of[as_of + period <= end]  # complete label windows only
        f = churn.build_features(co.events, co.accounts, as_of, windows=("28D", "90D"), occurrences=occ,
                                 categorical={"tier": ["SMB", "Mid-market", "Enterprise"],
                                              "contract": ["annual", "monthly"]}, numeric=())
        lab = churn.label(co.accounts, as_of, period)
        f = f.loc[f.index.intersection(lab.index)]
        X.append(pd.DataFrame({d: fn(f[col]) for d, (col, fn) in DRIVER_FEATURES.items()}))
        y.append(lab.loc[f.index])
    X, y = pd.concat(X), pd.concat(y)
    assert y.sum() > 500
    sd = X.std()
    model = churn.LogisticRegression(C=1e6).fit((X - X.mean()) / sd, y.to_numpy())
    fitted = pd.Series(model.coef_[0], index=X.columns)
    true_std = truth[X.columns] * sd
    table = pd.DataFrame({"fitted": fitted, "true": true_std})
    assert (np.sign(fitted) == np.sign(true_std)).all(), table
    assert fitted.abs().corr(true_std.abs(), method="spearman") > 0.85, table
    assert fitted.abs().idxmax() == true_std.abs().idxmax() == "usage_trend", table
    # In the drivers' own units the estimates are close to the true log hazard ratios.
    raw = churn.LogisticRegression(C=1e6).fit(X, y.to_numpy()).coef_[0]
    big = truth[X.columns].abs() >= 0.7
    np.testing.assert_allclose(raw[big.to_numpy()], truth[X.columns][big], rtol=0.4)


def test_backtest_on_the_simulated_company(company: cxkit.simulate.Company) -> None:
    """Measured first: on calendar snapshots with a 60-day horizon even the true model (true
    drivers x true coefficients) reaches only AUC 0.65-0.70 per fold on this company (most churn
    is the hazard's own randomness), so the bar is "close to that", not 0.7: the fitted default
    model scores 0.60-0.69 (mean 0.66) with lift 1.9-2.8 at the top 10%."""
    co = company
    dates = pd.date_range("2024-07-01", "2025-11-01", freq="2MS", tz="UTC")
    res = churn.backtest(co.events, co.accounts, dates, horizon="60D", windows=("28D", "90D"),
                         occurrences=_occurrences(co),
                         categorical={"tier": ["SMB", "Mid-market", "Enterprise"], "contract": ["annual", "monthly"],
                                      "plan": ["Starter", "Growth", "Business", "Enterprise"]}, numeric=())
    folds = res.folds
    assert len(folds) == len(dates) - 1
    assert (folds["auc"] > 0.58).all() and folds["auc"].mean() > 0.63, folds
    assert (folds["lift"] > 1.5).all(), folds
    assert (folds["n_train"].diff().dropna() >= 0).all()  # the past only grows
    assert folds["brier"].between(0, 0.25).all()
    # Scores line up with labels recomputed by hand for one fold.
    last = res.scores[res.scores["as_of"] == folds["as_of"].iloc[-1]].set_index("account")
    y = churn.label(co.accounts, folds["as_of"].iloc[-1], "60D")
    assert (last["label"] == y.loc[last.index]).all()
    with pytest.raises(ValueError, match="observed"):
        churn.backtest(co.events, co.accounts, ["2025-11-01", "2025-12-15"], horizon="60D")


def test_renewals_and_expansion(company: cxkit.simulate.Company) -> None:
    co = company
    as_of = pd.Timestamp("2025-06-01", tz="UTC")
    f = churn.build_features(co.events, co.accounts, as_of)
    risk = pd.Series(np.linspace(0.01, 0.9, len(f)), index=f.index)
    r = churn.renewals(risk, co.accounts, as_of, within="90D", features=f,
                       drivers=pd.Series("usage down", index=f.index))
    assert len(r) > 0 and r["days_to_renewal"].between(0, 90, inclusive="left").all()
    assert r["arr_at_risk"].is_monotonic_decreasing
    np.testing.assert_allclose(r["arr_at_risk"], r["risk"] * r["arr"])
    # The renewal dates are the log's own renewal events (for accounts that did renew).
    ev = co.events.to_pandas()
    ren = ev[(ev["activity"] == "renewal") & (ev["timestamp"] >= as_of)].groupby("case")["timestamp"].min()
    both = r.index.intersection(ren.index)
    assert len(both) > 0 and (r.loc[both, "renewal_date"] == ren.loc[both]).all()
    # Without features: the same dates from signup + contract.
    r2 = churn.renewals(risk, co.accounts, as_of, within="90D")
    assert (r2.loc[both, "renewal_date"] == r.loc[both, "renewal_date"]).all()

    e = churn.expansion_signals(f, co.accounts)
    assert len(e) > 0 and e["score"].is_monotonic_decreasing and (e["reason"].str.len() > 0).all()
    near = e[e["seat_utilisation"] >= 0.85]
    assert near["reason"].str.contains("licensed seats active").all()
    top_plan = e[e["plan"] == "Enterprise"]
    assert not top_plan["reason"].str.contains("higher-plan").any()
