"""Churn risk: point-in-time features, a logistic model trained on the past, a health scorecard.

Trains on monthly snapshots (features before each date, churn in the 90 days after it), scores
the customers at the last snapshot and explains the riskiest. Needs scikit-learn.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import cxkit
import cxkit.churn as churn

HEALTH: dict[str, Any] = {
    "name": "health",
    "bands": [{"name": "red", "min": 0, "max": 50}, {"name": "yellow", "min": 51, "max": 75},
              {"name": "green", "min": 76, "max": 100}],
    "measures": [{"name": "logins", "feature": "login_30d", "scheme": {"type": "linear", "lower": 0, "upper": 20}},
                 {"name": "last NPS", "feature": "nps_last", "scheme": {"type": "linear", "lower": 0, "upper": 10}}]}


def snapshot(co: cxkit.simulate.Company, as_of: pd.Timestamp) -> tuple[pd.DataFrame, pd.Series]:
    """Features of the accounts that are customers at ``as_of`` and their 90-day churn label."""
    y = churn.label(co.accounts, as_of, "90D")
    X = churn.build_features(co.events, co.accounts, as_of, numeric=(), categorical=["tier"])
    return X.loc[y.index], y


def main() -> None:
    co = cxkit.simulate.company(n_accounts=300, months=12, seed=1)
    dates = pd.date_range("2024-03-01", "2024-10-01", freq="MS")
    parts = [snapshot(co, d) for d in dates[:-1]]
    raw_train = pd.concat([X for X, _ in parts])
    typical = raw_train.median().fillna(0.0)  # NaN = undefined (no NPS answer yet, ...): the median
    y_train = pd.concat([y for _, y in parts])
    model = churn.LogisticRegression(C=0.1, class_weight="balanced").fit(raw_train.fillna(typical), y_train)
    raw_now, y_now = snapshot(co, dates[-1])
    X_now = raw_now.fillna(typical)
    risk = model.predict_proba(X_now)[:, 1]
    auc = churn.metrics.roc_auc_score(y_now, risk) if y_now.nunique() == 2 else float("nan")
    print(f"trained on {len(y_train)} account-months ({int(y_train.sum())} churned); "
          f"{len(y_now)} customers on {dates[-1].date()}, AUC over the next 90 days {auc:.2f}")
    riskiest = X_now.index[np.argsort(-risk)[:3]]
    print("\nwhy the three riskiest accounts are at risk:")
    print(model.explain(X_now.loc[riskiest], top=2)[["account", "rank", "text"]].to_string(index=False))

    health = churn.Scorecard(HEALTH).score(raw_now)  # NaN = measure missing, re-weighted
    print("\nhealth bands:", health["band"].value_counts(sort=False).to_dict())

    acc = co.accounts
    stop = acc["churn_date"].fillna(pd.Timestamp(co.truth["end"]))
    km = churn.KaplanMeier().fit((stop - acc["signup"]).dt.days, acc["churned"])
    print(f"Kaplan-Meier: {km.survival_at([180.0])[0]:.1%} of accounts still customers after 180 days")


if __name__ == "__main__":
    main()
