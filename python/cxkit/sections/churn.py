"""Churn risk: accounts at risk with ARR and top drivers, scorecard bands, retention curves by
segment, renewals coming up, and the model's evaluation on a rolling backtest."""
from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from cxkit.report import Report
from cxkit.report_config import config_error
from cxkit.report_inputs import Inputs
from cxkit.sections import SectionResult
from cxkit.sections._figures import pyplot

# The scorecard used when the configuration has none: usage, breadth, support pain, sentiment.
DEFAULT_SCORECARD: dict[str, Any] = {
    "name": "default health",
    "bands": [{"name": "red", "min": 0, "max": 50}, {"name": "yellow", "min": 51, "max": 75},
              {"name": "green", "min": 76, "max": 100}],
    "groups": [
        {"name": "usage", "weight": 50, "measures": [
            {"name": "logins", "feature": "login_30d", "weight": 2,
             "scheme": {"type": "linear", "lower": 0, "upper": 20}},
            {"name": "login trend", "feature": "login_trend_30d", "weight": 1,
             "scheme": {"type": "linear", "lower": -1, "upper": 0.2}},
            {"name": "feature breadth", "feature": "features_used_90d", "weight": 1,
             "scheme": {"type": "linear", "lower": 0, "upper": 6}}]},
        {"name": "support", "weight": 25, "measures": [
            {"name": "urgent open tickets", "feature": "open_tickets_urgent", "weight": 1,
             "scheme": {"type": "thresholds", "direction": "lower_is_better",
                        "steps": [{"bound": 0, "points": 100}, {"bound": 1, "points": 40}, {"bound": 2, "points": 0}]}}]},
        {"name": "sentiment", "weight": 25, "measures": [
            {"name": "last NPS", "feature": "nps_last", "weight": 1,
             "scheme": {"type": "linear", "lower": 0, "upper": 10}}]},
    ],
}


def _survival_table(acc: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    stop = acc["churn_date"].where(acc["churned"] == 1, end)
    months = (stop - acc["signup"]).dt.total_seconds() / (30.4375 * 86400)
    return pd.DataFrame({"months": months.clip(lower=0), "event": acc["churned"].astype(float)}, index=acc.index)


def build(inp: Inputs, cfg: Mapping[str, Any], report: Report,
          earlier: Mapping[str, SectionResult]) -> SectionResult:
    import cxkit
    from cxkit import churn

    sec = report.section("Churn risk")
    out = SectionResult()
    acc = inp.accounts
    needed = {"account", "signup", "churned", "churn_date"}
    if acc is None or not needed <= set(acc.columns):
        sec.text(f"Churn needs --accounts with the columns {sorted(needed)} (map them in accounts.columns).")
        return out
    cc = cfg["churn"]
    as_of = pd.Timestamp(cc["as_of"], tz="UTC") if cc["as_of"] else inp.as_of
    horizon = pd.Timedelta(cc["horizon"])
    occurrences = earlier.get("moments of truth")
    occ = occurrences.data.get("occurrences") if occurrences is not None else None
    occ = occ if isinstance(occ, pd.DataFrame) and len(occ) else None

    # Retention curves by segment (Kaplan-Meier on months since signup).
    segment = next((c for c in ("tier", "segment", "plan") if c in acc.columns), None)
    surv = _survival_table(acc, inp.as_of)
    rows = []
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 3)) if plt is not None else (None, None)
    for name, idx in (acc.groupby(segment).groups.items() if segment else [("all", acc.index)]):
        km = churn.KaplanMeier().fit(surv.loc[idx, "months"], surv.loc[idx, "event"], label=str(name))
        rows.append({"segment": str(name), "accounts": len(idx), "churned": int(surv.loc[idx, "event"].sum()),
                     "retained at 6 months": float(km.survival_at(6.0)[0]), "retained at 12 months": float(km.survival_at(12.0)[0]),
                     "median months": km.median_survival_time_})
        if ax is not None:
            km.plot(ax=ax)
    retention = pd.DataFrame(rows)
    if fig is not None and ax is not None:
        ax.set_xlabel("months since signup")
        ax.set_ylabel("share still a customer")
        sec.figure(fig, f"Retention by {segment or 'account'} (Kaplan-Meier, 95% interval)")
        plt.close(fig)
    sec.table(retention, f"Retention by {segment or 'account'}")
    out.tables["retention_by_segment"] = retention
    cohorts = churn.cohort_retention(acc["signup"], acc["churn_date"], as_of=inp.as_of, max_periods=12)
    shown = cohorts[["accounts", 1, 3, 6, 9, 12]].tail(12).rename(columns=lambda k: f"month {k}" if k != "accounts" else k)
    sec.table(shown.reset_index().astype({"cohort": str}), "Retention by signup month (share still a customer, "
              "Kaplan-Meier; blank where the cohort is too young)")
    out.tables["cohort_retention"] = cohorts.reset_index().astype({"cohort": str})

    # The model: trained on snapshots whose churn window has closed, scoring today's accounts.
    windows = tuple(cc["windows"])
    # Who owns an account or where it is served from describes the company, not the customer:
    # only the customer's own categories become features.
    categorical = [c for c in ("tier", "plan", "contract", "industry", "segment") if c in acc.columns]
    dates = [as_of - horizon * k for k in range(cc["backtest_folds"] + 3, 0, -1)]
    bt = churn.backtest(inp.log, acc, dates, horizon=horizon, occurrences=occ, windows=windows,
                        observed_until=inp.as_of, categorical=categorical)
    if len(bt.folds):
        sec.table(bt.folds, f"Backtest: train on the past, score the next {cc['horizon']} (one row per fold)")
        out.tables["churn_backtest"] = bt.folds
        out.lines.append("churn model backtest: " + ", ".join(
            f"AUC {r.auc:.2f}" for r in bt.folds.itertuples()))
    train = [churn.build_features(inp.log, acc, d, windows=windows, occurrences=occ, categorical=categorical) for d in dates]
    labels = [churn.label(acc, d, horizon) for d in dates]
    X = pd.concat([f.loc[lab.index] for f, lab in zip(train, labels)])
    y = pd.concat(labels)
    now = churn.build_features(inp.log, acc, as_of, windows=windows, occurrences=occ, categorical=categorical)
    now = now.loc[[a for a in now.index if a in set(churn.label(acc, as_of, horizon).index)]]
    X = X[now.columns]
    mean, std = X.mean(), X.std().replace(0, 1).fillna(1)
    model = churn.LogisticRegression(C=1.0, max_iter=500).fit(((X - mean) / std).fillna(0), y)
    Z = ((now - mean) / std).fillna(0)
    risk = pd.Series(model.predict_proba(Z)[:, 1], index=now.index, name="risk")
    # Explanations on the features' own scale (so the words say "3 open P1 tickets", not
    # z-scores): the same model with coef / std and the training means, which gives every
    # account exactly the same contributions as the standardised one.
    raw = copy.deepcopy(model)
    raw.coef_ = model.coef_ / std.to_numpy()
    raw.intercept_ = model.intercept_ - raw.coef_[0] @ mean.to_numpy()
    raw.feature_means_ = mean.to_numpy()
    why = raw.explain(now.fillna(mean), top=len(now.columns))
    why = why[why["effect"] == "raises risk"].groupby("account").head(3)  # the reasons for concern
    drivers = why.groupby("account")["text"].agg("; ".join)

    at_risk = pd.DataFrame({"risk": risk})
    if "arr" in acc.columns:
        at_risk["arr"] = acc.set_index("account")["arr"].reindex(at_risk.index)
        at_risk["arr at risk"] = at_risk["risk"] * at_risk["arr"]
    at_risk["drivers"] = drivers.reindex(at_risk.index).fillna("")
    at_risk = at_risk.sort_values("arr at risk" if "arr" in at_risk else "risk", ascending=False)
    sec.table(at_risk.head(20).reset_index(names="account"), "Accounts at risk (churn probability within "
              f"{cc['horizon']}), by ARR at stake, with their top drivers")
    out.tables["accounts_at_risk"] = at_risk
    out.lines.append(f"accounts at risk: {len(at_risk):,} scored; top by ARR at stake:")
    for r in at_risk.head(3).itertuples():
        out.lines.append(f"  {r.Index}  risk {r.risk:.0%}" + (f"  ARR ${r.arr:,.0f}" if "arr" in at_risk else "")
                         + f"  {r.drivers}")

    # Health scorecard bands.
    try:
        card = churn.Scorecard(cfg["scorecard"] or DEFAULT_SCORECARD)
    except (ValueError, KeyError, TypeError) as e:
        raise config_error(cfg, "scorecard", e) from None
    health = card.score(now)
    bands = health["band"].value_counts(sort=False).rename_axis("band").reset_index(name="accounts")
    bands["churn risk (mean)"] = [float(risk[health["band"] == b].mean()) for b in bands["band"]]
    sec.table(bands, f"Health scorecard '{card.name}': accounts per band")
    out.tables["scorecard"] = health
    out.lines.append("health bands: " + ", ".join(f"{r.band} {r.accounts:,}" for r in bands.itertuples()))

    # Renewals coming up, ranked by ARR at risk.
    upcoming = churn.renewals(risk, acc, as_of, within=cc["renewal_within"], drivers=drivers, features=now)
    sec.table(upcoming.head(15), f"Renewals in the next {cc['renewal_within']}, by ARR at risk")
    out.tables["renewals"] = upcoming
    expansion = churn.expansion_signals(now, acc)
    if len(expansion):
        sec.table(expansion.head(10), "Expansion signals")
        out.tables["expansion_signals"] = expansion
    out.data.update({"risk": risk, "model": model})
    return out
