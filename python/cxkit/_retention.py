"""Cohort retention tables: accounts grouped by signup period, the share still a customer
``k`` periods after signing, by Kaplan-Meier so accounts still active are censored correctly."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["cohort_retention"]

_AVERAGE_MONTH_DAYS = 30.4375


def cohort_retention(signup: Any, churn_date: Any, as_of: Any, period: str = "M", max_periods: int = 24,
                     min_accounts: int = 1) -> pd.DataFrame:
    """Retention by signup cohort: one row per cohort, one column per period since signup.

    Parameters
    ----------
    signup, churn_date : array-likes of instants (naive = UTC); churn_date NaT for accounts still active
    as_of : the end of observation; accounts still active are censored there
    period : "M" (months of 30.4375 days), "W" (weeks) or "D" (days) — both the cohort grouping
        (calendar month / ISO week / day of signup) and the unit of the columns
    max_periods : columns 0..max_periods
    min_accounts : cohorts with fewer accounts are left out

    Returns
    -------
    DataFrame indexed by cohort (a pandas Period), columns ``accounts`` then 0, 1, ... the
    Kaplan-Meier survival S(k) of the cohort (1.0 at 0). A cell is NaN once k is beyond what
    every member of the cohort could have been observed for (as_of - the cohort's last signup),
    so a young cohort never shows a made-up tail.

    Raises ValueError when a churn date precedes its signup or a signup is after ``as_of``.

    Examples
    --------
    >>> t = cohort_retention(["2024-01-05", "2024-01-20", "2024-02-03"], ["2024-03-01", None, None],
    ...                      as_of="2024-05-01", max_periods=3)
    >>> t.loc[pd.Period("2024-01", "M"), [0, 1, 2]].tolist()
    [1.0, 1.0, 0.5]
    """
    from cxkit.churn import KaplanMeier

    unit_days = {"M": _AVERAGE_MONTH_DAYS, "W": 7.0, "D": 1.0}.get(period)
    if unit_days is None:
        raise ValueError(f"period must be 'M', 'W' or 'D', not {period!r}")
    start = pd.to_datetime(pd.Series(signup), utc=True)
    stop = pd.to_datetime(pd.Series(churn_date), utc=True)
    end = pd.Timestamp(as_of)
    end = end.tz_localize("UTC") if end.tzinfo is None else end
    if (start > end).any():
        row = int((start > end).to_numpy().argmax())
        raise ValueError(f"row {row}: signup {start.iloc[row]} is after as_of {end}")
    churned = stop.notna().to_numpy()
    if (stop < start).any():
        row = int((stop < start).to_numpy().argmax())
        raise ValueError(f"row {row}: churn_date {stop.iloc[row]} is before signup {start.iloc[row]}")
    stop = stop.where(stop.notna() & (stop <= end), end)
    churned &= (pd.to_datetime(pd.Series(churn_date), utc=True) <= end).fillna(False).to_numpy()
    duration = ((stop - start).dt.total_seconds() / 86400 / unit_days).to_numpy()
    cohort = start.dt.tz_localize(None).dt.to_period(period)
    rows = {}
    for c, idx in cohort.groupby(cohort).groups.items():
        members = np.asarray(idx)  # positions: the Series has a RangeIndex
        if len(members) < min_accounts:
            continue
        km = KaplanMeier().fit(duration[members], churned[members].astype(float))
        observable = (end - start.iloc[members].max()).total_seconds() / 86400 / unit_days
        ks = np.arange(max_periods + 1, dtype=float)
        s = km.survival_at(ks)
        s[ks > observable] = np.nan
        rows[c] = [len(members), *s]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["accounts", *range(max_periods + 1)])
    out.index.name = "cohort"
    return out.sort_index()
