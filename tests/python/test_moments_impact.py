"""Compliance summaries (C++ cells vs pandas by hand), impact intervals, NPS trends, milestone triggers."""
import functools
import math
import pickle

import numpy as np
import pandas as pd
import pytest

import cxkit

Z = 1.959963984540054


# --------------------------------------------------------------------------- compliance
def random_occurrences(n=3000, seed=3):
    rng = np.random.default_rng(seed)
    status = rng.choice(["met", "breached", "pending", "overdue", "cancelled"], size=n, p=[.5, .2, .1, .1, .1])
    elapsed = pd.to_timedelta(rng.integers(0, 40 * 3600 * 10**6, size=n), unit="us")
    started = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 400 * 86400, size=n), unit="s")
    stopped = pd.Series(started + elapsed).where(np.isin(status, ["met", "breached", "cancelled"]))
    return pd.DataFrame({"case": rng.choice([f"A{i}" for i in range(40)], size=n),
                         "moment": rng.choice(["welcome", "first reply", "resolution"], size=n),
                         "key": "", "started": started, "stopped": stopped, "elapsed": elapsed,
                         "status": status})


def pandas_compliance(occ, by, period):
    """The computation by hand in pandas: counts by status, met rate, exact percentiles of met/breached."""
    keys = ["moment", *by]
    occ = occ.copy()
    if period:
        occ["period"] = occ["started"].dt.tz_localize(None).dt.to_period(period)
        keys.append("period")
    rows = []
    for k, g in occ.groupby(keys, dropna=False, sort=True):
        c = g["status"].value_counts()
        met, br, ov = c.get("met", 0), c.get("breached", 0), c.get("overdue", 0)
        stopped = g.loc[g["status"].isin(["met", "breached"]), "elapsed"].dt.total_seconds().to_numpy()
        rows.append({**dict(zip(keys, k)), "count": len(g), "met": met, "breached": br, "pending": c.get("pending", 0),
                     "overdue": ov, "cancelled": c.get("cancelled", 0),
                     "met_rate": met / (met + br + ov) if met + br + ov else math.nan,
                     "median_s": np.quantile(stopped, .5) if len(stopped) else math.nan,
                     "p90_s": np.quantile(stopped, .9) if len(stopped) else math.nan})
    return pd.DataFrame(rows)


def assert_same_compliance(ours, ref):
    assert len(ours) == len(ref)
    for c in ["count", "met", "breached", "pending", "overdue", "cancelled"]:
        assert ours[c].tolist() == ref[c].tolist(), c
    np.testing.assert_allclose(ours["met_rate"], ref["met_rate"], rtol=1e-12)
    np.testing.assert_allclose(ours["median_elapsed"].dt.total_seconds(), ref["median_s"], atol=1e-6)
    np.testing.assert_allclose(ours["p90_elapsed"].dt.total_seconds(), ref["p90_s"], atol=1e-6)


def test_compliance_equals_pandas_by_moment_owner_segment_and_month():
    occ = random_occurrences()
    accounts = pd.DataFrame({"account": [f"A{i}" for i in range(40)],
                             "owner": [["Ana", "Bo", "Cy"][i % 3] for i in range(40)],
                             "tier": [["SMB", "Enterprise"][i % 2] for i in range(40)]})
    ours = cxkit.moments.compliance(occ, by=["owner", "tier"], period="M", accounts=accounts)
    ref = pandas_compliance(occ.merge(accounts, left_on="case", right_on="account"), ["owner", "tier"], "M")
    assert ours[["moment", "owner", "tier"]].values.tolist() == ref[["moment", "owner", "tier"]].values.tolist()
    assert (ours["period"] == ref["period"]).all()
    assert_same_compliance(ours, ref)
    # groups indexed by case (the older keyword), quarters
    q = cxkit.moments.compliance(occ, by="owner", period="Q", groups=accounts.set_index("account")[["owner"]])
    assert_same_compliance(q, pandas_compliance(occ.merge(accounts, left_on="case", right_on="account"),
                                                ["owner"], "Q"))


def test_compliance_summary_merges_partitions_to_the_whole_and_pickles():
    occ = random_occurrences(2000, seed=9)
    whole = cxkit.moments.compliance_summary(occ, by="key", period="M")
    # Partitions see different moments first, so they number them differently.
    parts = [cxkit.moments.compliance_summary(p, by="key", period="M")
             for p in (occ.iloc[:700].sort_values("moment", ascending=False), occ.iloc[700:1500], occ.iloc[1500:])]
    parts = [pickle.loads(pickle.dumps(p)) for p in parts]
    merged = functools.reduce(cxkit.moments.ComplianceSummary.merge, parts)
    pd.testing.assert_frame_equal(merged.to_frame(), whole.to_frame())
    assert (parts[1] + parts[2]).to_frame()["count"].sum() == 1300
    with pytest.raises(ValueError, match="cannot merge"):
        whole.merge(cxkit.moments.compliance_summary(occ, by="key", period=None))
    with pytest.raises(KeyError, match="tier"):
        cxkit.moments.compliance(occ, by="tier")


def test_compliance_missing_group_values_form_their_own_group():
    occ = random_occurrences(200)
    groups = pd.DataFrame({"owner": ["Ana"]}, index=["A1"])
    out = cxkit.moments.compliance(occ, by="owner", period=None, groups=groups)
    assert out["count"].sum() == 200
    assert out["owner"].isna().sum() == 3  # one row per moment for the accounts without an owner


# --------------------------------------------------------------------------- impact
def test_newcombe_hybrid_score_interval_matches_newcombe_1998_example():
    # Newcombe (1998), Statistics in Medicine 17:873-890, Table II example (a): 56/70 vs 48/80,
    # method 10 (score, no continuity correction): 0.0524 to 0.3339.
    from cxkit._moments_impact import newcombe_interval
    lo, hi = newcombe_interval(56, 70, 48, 80)
    assert (round(lo, 4), round(hi, 4)) == (0.0524, 0.3339)


def test_impact_rates_met_vs_missed_with_wilson_parts_from_scipy():
    from scipy.stats import binomtest
    # 10 customers met (2 churned), 5 missed (3 churned); c10 has only a pending clock (left out).
    cases = [f"c{i}" for i in range(15)]
    occ = pd.DataFrame({"case": cases + ["c3", "c10", "c99"], "moment": "reply",
                        "status": ["met"] * 10 + ["breached"] * 3 + ["overdue"] * 2 + ["met", "pending", "pending"]})
    occ.loc[10, "status"] = "pending"  # c10: pending + pending -> neither group
    churned = [1, 1] + [0] * 8 + [0, 1, 1, 1, 0]
    outcomes = pd.DataFrame({"case": cases, "churned": churned})
    r = cxkit.moments.impact(occ, outcomes, outcome="churned").iloc[0]
    # met: c0..c9 (c3 met twice) -> 10, 2 churned; missed: c11..c14 -> 4, churned c11, c12, c13 = 3
    assert (r["n_met"], r["n_baseline"]) == (10, 4)
    assert r["outcome_met"] == pytest.approx(0.2) and r["outcome_baseline"] == pytest.approx(0.75)
    w1 = binomtest(2, 10).proportion_ci(0.95, method="wilson")
    w0 = binomtest(3, 4).proportion_ci(0.95, method="wilson")
    d = 0.2 - 0.75
    assert r["ci_low"] == pytest.approx(d - math.hypot(0.2 - w1.low, w0.high - 0.75), abs=1e-9)
    assert r["ci_high"] == pytest.approx(d + math.hypot(w1.high - 0.2, 0.75 - w0.low), abs=1e-9)
    wald = cxkit.moments.impact(occ, outcomes, outcome="churned", method="wald").iloc[0]
    se = math.sqrt(0.2 * 0.8 / 10 + 0.75 * 0.25 / 4)
    assert (wald["ci_low"], wald["ci_high"]) == pytest.approx((d - Z * se, d + Z * se))


def test_impact_nps_difference_uses_rocks_variances():
    occ = pd.DataFrame({"case": ["a", "b", "c"], "moment": "welcome", "status": ["met", "met", "breached"]})
    answers = pd.DataFrame({"case": ["a", "a", "b", "b", "c", "c", "c"], "score": [10, 9, 7, 3, 2, 9, 5]})
    r = cxkit.moments.impact(occ, answers, outcome="score", statistic="nps").iloc[0]
    # met answers 10, 9, 7, 3: NPS 25; missed 2, 9, 5: NPS -33.3
    assert r["outcome_met"] == pytest.approx(25.0) and r["outcome_baseline"] == pytest.approx(-100 / 3)

    def adj(pro, det, n):
        pp, pm = (pro + .75) / (n + 3), (det + .75) / (n + 3)
        return pp - pm, (pp + pm - (pp - pm) ** 2) / (n + 3)

    c1, v1 = adj(2, 1, 4)
    c0, v0 = adj(1, 2, 3)
    assert r["difference"] == pytest.approx(25 + 100 / 3)
    assert r["ci_low"] == pytest.approx(100 * (c1 - c0 - Z * math.sqrt(v1 + v0)))
    assert r["ci_high"] == pytest.approx(min(200, 100 * (c1 - c0 + Z * math.sqrt(v1 + v0))))
    with pytest.raises(ValueError, match="11"):
        cxkit.moments.impact(occ, answers.assign(score=[10, 9, 7, 3, 2, 9, 11]), outcome="score", statistic="nps")


def test_impact_stratified_mantel_haenszel_weights_by_hand():
    # Two tiers; in each the missed customers churn more. Tier S: met 4 (1 churn), missed 2 (1);
    # tier E: met 2 (0), missed 2 (1).
    occ = pd.DataFrame({"case": list("abcdefghij"), "moment": "m",
                        "status": ["met"] * 4 + ["breached"] * 2 + ["met"] * 2 + ["breached"] * 2})
    out = pd.DataFrame({"case": list("abcdefghij"), "churned": [1, 0, 0, 0, 1, 0, 0, 0, 1, 0],
                        "tier": ["S"] * 6 + ["E"] * 4})
    r = cxkit.moments.impact(occ, out, outcome="churned", stratify="tier").iloc[0]
    ws, we = 4 * 2 / 6, 2 * 2 / 4
    ds, de = 0.25 - 0.5, 0.0 - 0.5
    vs, ve = 0.25 * 0.75 / 4 + 0.25 / 2, 0 + 0.25 / 2
    est = (ws * ds + we * de) / (ws + we)
    se = math.sqrt(ws**2 * vs + we**2 * ve) / (ws + we)
    assert r["difference"] == pytest.approx(est)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((est - Z * se, est + Z * se))
    assert r["crude_difference"] == pytest.approx(1 / 6 - 2 / 4) and r["strata"] == 2


def test_service_recovery_compares_resolved_in_time_with_no_problem():
    occ = pd.DataFrame({"case": ["a", "b", "c"], "moment": "resolution", "status": ["met", "met", "breached"]})
    out = pd.DataFrame({"case": list("abcdef"), "retained": [1, 1, 0, 1, 0, 1]})
    r = cxkit.moments.impact(occ, out, outcome="retained", baseline="no problem").iloc[0]
    # resolved in time: a, b (both retained); no problem: d, e, f (2 of 3 retained); c is neither
    assert (r["n_met"], r["n_baseline"], r["outcome_met"]) == (2, 3, 1.0)
    assert r["outcome_baseline"] == pytest.approx(2 / 3)
    pooled = cxkit.moments.impact(occ.assign(moment=["x", "y", "y"]), out, outcome="retained", by_moment=False)
    assert pooled["moment"].tolist() == ["all moments"] and pooled["n_met"].iloc[0] == 2


# --------------------------------------------------------------------------- NPS trends
def answers_frame():
    return pd.DataFrame({"timestamp": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03", "2024-03-10",
                                                      "2024-03-11", "2024-05-01"], utc=True),
                         "score": [10, 3, 9, 8, 10, 0], "tier": ["S", "E", "S", "S", "E", "E"]})


def test_nps_by_calendar_period_and_group():
    df = answers_frame()
    monthly = cxkit.moments.nps(df, period="M")
    assert [str(p) for p in monthly.index] == ["2024-01", "2024-02", "2024-03", "2024-05"]
    assert monthly["n"].tolist() == [2, 1, 2, 1]
    assert monthly["nps"].tolist() == [0.0, 100.0, 50.0, -100.0]
    by_tier = cxkit.moments.nps(df, by="tier", period="Q")
    assert by_tier.loc[("E", pd.Period("2024Q1"))]["n"] == 2
    assert by_tier.loc[("S", pd.Period("2024Q1"))]["nps"] == pytest.approx(100 * 2 / 3)


def test_nps_moving_window_at_each_period_end():
    df = answers_frame()
    w = cxkit.moments.nps(df, period="M", window="60D")
    # Month ends (exclusive): Feb 1, Mar 1, Apr 1, May 1, Jun 1; windows of 60 days before each.
    assert [str(p) for p in w.index] == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    # [Dec 2, Feb 1): 10, 3 | [Dec 31, Mar 1): 10, 3, 9 | [Feb 1, Apr 1): 9, 8, 10
    # [Mar 2, May 1): 8, 10 | [Apr 2, Jun 1): 0
    assert w["n"].tolist() == [2, 3, 3, 2, 1]
    assert w["promoters"].tolist() == [1, 2, 2, 1, 0]
    assert w["nps"].tolist() == pytest.approx([0.0, 100 / 3, 200 / 3, 50.0, -100.0])
    assert w["window_end"].iloc[0] == pd.Timestamp("2024-02-01", tz="UTC")
    one = cxkit.moments.nps([9, 8, 3])
    assert (w.iloc[3][["n", "nps"]].tolist()) == [2, 50.0] and one["n"].iloc[0] == 3
    # interval columns agree with the scalar function on the same answers
    direct = cxkit.moments.nps([9, 8, 10]).iloc[0]
    assert w.iloc[2][["se", "ci_low", "ci_high"]].tolist() == pytest.approx(direct[["se", "ci_low", "ci_high"]].tolist())


def test_nps_rejects_scores_outside_0_to_10():
    with pytest.raises(ValueError, match="11"):
        cxkit.moments.nps(answers_frame().assign(score=[10, 3, 9, 8, 11, 0]), period="M")
    with pytest.raises(ValueError):
        cxkit.moments.nps([5, float("nan")])
    with pytest.raises(ValueError, match="answer times"):
        cxkit.moments.nps([5, 9], period="M")


# --------------------------------------------------------------------------- milestones
def test_due_milestones_from_python():
    ev = pd.DataFrame({"case": ["A1", "A1", "A1", "A2"],
                       "activity": ["ticket opened", "ticket solved", "nps answered", "report"],
                       "timestamp": pd.to_datetime(["2024-03-01 10:00", "2024-03-01 14:00", "2024-03-02 10:00",
                                                    "2024-03-03 00:00"], utc=True),
                       "score": [np.nan, np.nan, 10, np.nan]})
    log = cxkit.EventLog.from_pandas(ev, case="case", activity="activity", timestamp="timestamp",
                                     attributes={"score": "numeric"})
    acc = pd.DataFrame({"account": ["A1", "A2", "A3"],
                        "signup": pd.to_datetime(["2023-03-15", "2024-02-01", "2024-02-10"], utc=True)})
    fix = cxkit.moments.Moment("fix", trigger="ticket opened", fulfil="ticket solved", within="2h")
    rules = [{"name": "anniversary", "kind": "anniversary"},
             {"name": "30 days", "kind": "days_after_signup", "days": 30},
             {"name": "recovered", "kind": "recovered", "moment": fix, "then": "nps answered",
              "then_attribute": "score", "at_least": 9}]
    out = cxkit.moments.due(log, acc, rules, ("2024-03-01", "2024-04-01"))
    assert out[["account", "rule"]].values.tolist() == [["A2", "30 days"], ["A1", "recovered"],
                                                        ["A3", "30 days"], ["A1", "anniversary"]]
    assert out["due"].tolist() == [pd.Timestamp("2024-03-02", tz="UTC"), pd.Timestamp("2024-03-02 10:00", tz="UTC"),
                                   pd.Timestamp("2024-03-11", tz="UTC"), pd.Timestamp("2024-03-15", tz="UTC")]
    with pytest.raises(ValueError, match="count"):
        cxkit.moments.due(log, acc, [{"name": "x", "kind": "nth_activity", "event": "report", "count": 0}],
                          ("2024-03-01", "2024-04-01"))


def test_pickled_moment_evaluates_like_the_original():
    # A Moment keeps its validated C++ definition (calendar tables built once); pickling rebuilds it.
    cal = cxkit.Calendar("UTC")
    m = cxkit.moments.Moment("reply", trigger="open", fulfil="reply", within="1h", calendar=cal)
    ev = pd.DataFrame({"case": ["a", "a"], "activity": ["open", "reply"],
                       "timestamp": pd.to_datetime(["2024-03-01 16:30", "2024-03-04 09:45"], utc=True)})
    log = cxkit.EventLog.from_pandas(ev, case="case", activity="activity", timestamp="timestamp")
    copy = pickle.loads(pickle.dumps(m))
    a, b = cxkit.moments.evaluate(log, [m]), cxkit.moments.evaluate(log, [copy])
    pd.testing.assert_frame_equal(a, b)
    # Friday 16:30-17:00 and Monday 09:00-09:45: 75 business minutes, over the 1h target
    assert a["elapsed"].iloc[0] == pd.Timedelta(minutes=75) and a["status"].iloc[0] == "breached"
