"""Cohort retention tables, against hand-computed Kaplan-Meier and lifelines."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxkit


def test_hand_computed_cohorts() -> None:
    # January: a churns after 56 days (1.84 months), b is active 102 days (censored), c churns
    # after 10 days. KM: S drops to 2/3 at 0.33 months, then to 2/3 * 1/2 = 1/3 at 1.84.
    # February: d active 88 days (2.89 months, censored): observable up to k = 2 only.
    t = cxkit.churn.cohort_retention(
        ["2024-01-05", "2024-01-20", "2024-01-10", "2024-02-03"],
        ["2024-03-01", None, "2024-01-20", None], as_of="2024-05-01", max_periods=4)
    jan, feb = pd.Period("2024-01", "M"), pd.Period("2024-02", "M")
    assert t.loc[jan, "accounts"] == 3 and t.loc[feb, "accounts"] == 1
    assert t.loc[jan, [0, 1, 2, 3]].tolist() == pytest.approx([1.0, 2 / 3, 1 / 3, 1 / 3])
    assert np.isnan(t.loc[jan, 4])  # the youngest January account is 3.35 months old
    assert t.loc[feb, [0, 1, 2]].tolist() == [1.0, 1.0, 1.0] and t.loc[feb, [3, 4]].isna().all()


def test_equals_lifelines_per_cohort_on_the_simulated_company() -> None:
    lifelines = pytest.importorskip("lifelines")
    co = cxkit.simulate.company(n_accounts=600, months=18, seed=4)
    acc = co.accounts
    end = pd.Timestamp(co.truth["end"])
    t = cxkit.churn.cohort_retention(acc["signup"], acc["churn_date"], as_of=end, max_periods=12)
    cohorts = acc["signup"].dt.tz_localize(None).dt.to_period("M")
    checked = 0
    for c, rows in acc.groupby(cohorts):
        stop = rows["churn_date"].fillna(end)
        months = (stop - rows["signup"]).dt.total_seconds() / 86400 / 30.4375
        km = lifelines.KaplanMeierFitter().fit(months, rows["churned"])
        for k in range(13):
            if not np.isnan(t.loc[c, k]):
                assert t.loc[c, k] == pytest.approx(float(km.predict(float(k))), abs=1e-12)
                checked += 1
    assert checked > 50


def test_bad_input_is_named() -> None:
    with pytest.raises(ValueError, match="row 0: churn_date"):
        cxkit.churn.cohort_retention(["2024-02-01"], ["2024-01-01"], as_of="2024-03-01")
    with pytest.raises(ValueError, match="period"):
        cxkit.churn.cohort_retention(["2024-02-01"], [None], as_of="2024-03-01", period="Q")
